//! The CI-facing parts of `secretlint check`: SARIF, GitHub annotations and JUnit reports,
//! `--output` with an unchanged exit code, baselines, and `--shard`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::Sandbox;
use crate::jobswipe::{jobswipe, policy_arg};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every finding of a JSON report as (path, key, rule, line).
fn findings(report: &Value) -> BTreeSet<(String, String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["key"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_has_the_structure_of_sarif_2_1_0() {
    let s = jobswipe();
    let out = s.run(&["check", "--policy", &policy_arg(), "--format", "sarif"]);
    assert_eq!(out.code, 1, "{out}");
    let log = json(&out.stdout);
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json")
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "secretlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .ends_with('/')
    );

    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert_eq!(r["helpUri"], format!("https://secretlint.dev/rules/{id}"));
        assert!(
            !r["shortDescription"]["text"].as_str().unwrap().is_empty(),
            "{id}"
        );
        assert!(
            r["help"]["text"]
                .as_str()
                .unwrap()
                .contains("## What it does"),
            "{id}"
        );
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(
            ["error", "warning", "note"].contains(&level),
            "{id}: {level}"
        );
    }

    let artifacts = run["artifacts"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 10, "the fixture has many findings");
    let mut rules_seen = BTreeSet::new();
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        rules_seen.insert(rule.to_owned());
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], rule, "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        assert!(
            !r["partialFingerprints"]["secretlint/v1"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let phys = &locations[0]["physicalLocation"];
        let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.contains(' ') && !uri.starts_with('/'), "{uri}");
        assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let art = phys["artifactLocation"]["index"].as_u64().unwrap() as usize;
        assert_eq!(artifacts[art]["location"]["uri"], uri);
        let region = &phys["region"];
        let n = |k: &str| {
            region[k]
                .as_u64()
                .unwrap_or_else(|| panic!("{k} in {region}"))
        };
        assert!(n("startLine") >= 1 && n("startColumn") >= 1);
        assert!((n("endLine"), n("endColumn")) >= (n("startLine"), n("startColumn")));
        for related in r["relatedLocations"].as_array().into_iter().flatten() {
            assert!(related["id"].as_u64().is_some());
            assert!(!related["message"]["text"].as_str().unwrap().is_empty());
        }
    }
    // Every family is represented: value, cross-file, age and file rules.
    for rule in [
        "too-short",
        "reused-across-environments",
        "syntax-error",
        "insecure-permissions",
    ] {
        assert!(rules_seen.contains(rule), "{rule} in {rules_seen:?}");
    }
    // Related locations are carried (a reused value points at its other holder).
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()));
}

#[test]
fn sarif_positions_match_json_positions_on_ascii_files() {
    let s = jobswipe();
    let sarif = json(
        &s.run(&["check", "--policy", &policy_arg(), "--format", "sarif"])
            .stdout,
    );
    let report = json(
        &s.run(&["check", "--policy", &policy_arg(), "--format", "json"])
            .stdout,
    );
    let from_sarif: Vec<(String, u64, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let p = &r["locations"][0]["physicalLocation"];
            (
                p["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                p["region"]["startLine"].as_u64().unwrap(),
                p["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    let from_json: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(from_sarif, from_json);
}

#[test]
fn github_annotations_carry_rule_severity_location_and_message() {
    let s = Sandbox::new();
    s.write(
        "api/.env.production",
        "# signing key\nSECRET_KEY=dev-secret\n",
    );
    s.write("api/.env", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check", "--format", "github"]);
    assert_eq!(out.code, 1, "{out}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    let annotation = "::error file=api/.env.production,line=2,endLine=2,col=12,endColumn=22,\
                      title=secretlint too-short%3A SECRET_KEY::[too-short] `SECRET_KEY` is too \
                      short: 10 of 32 characters%0A";
    assert!(lines.iter().any(|l| l.starts_with(annotation)), "{out}");
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with("::") || !l.contains('\r'))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=api/.env,line=1,")),
        "development findings are warnings: {out}"
    );
    assert!(lines.last().unwrap().contains("checked against"), "{out}");
    assert!(!out.stdout.contains("dev-secret"));
}

#[test]
fn junit_is_well_formed_with_a_failure_per_failing_finding() {
    let s = jobswipe();
    let out = s.run(&["check", "--policy", &policy_arg(), "--format", "junit"]);
    assert_eq!(out.code, 1, "{out}");
    let doc = roxmltree::Document::parse(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let report = json(
        &s.run(&["check", "--policy", &policy_arg(), "--format", "json"])
            .stdout,
    );
    let errors = report["summary"]["errors"].as_u64().unwrap();
    let files = report["summary"]["files_checked"].as_u64().unwrap();
    assert_eq!(
        root.attribute("failures"),
        Some(errors.to_string().as_str())
    );
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len() as u64, files, "one suite per checked file");
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len() as u64, errors);
    for f in &failures {
        let rule = f.attribute("type").unwrap();
        let text = f.text().unwrap();
        assert!(text.starts_with(&format!("error[{rule}]: ")), "{text}");
        assert!(text.contains("\n  --> "), "the location: {text}");
        assert!(!f.attribute("message").unwrap().is_empty());
    }
    // Warnings do not fail the run, so they are not failures, but they are reported.
    let outs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("system-out"))
        .collect();
    assert!(
        outs.iter()
            .all(|n| n.text().unwrap().starts_with("warning["))
    );
    assert!(!outs.is_empty());
    // With `--deny warnings` they are failures too.
    let out = s.run(&[
        "check",
        "--policy",
        &policy_arg(),
        "--format",
        "junit",
        "--deny",
        "warnings",
    ]);
    let doc = roxmltree::Document::parse(&out.stdout).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("system-out"))
            .count(),
        0
    );
}

#[test]
fn output_writes_the_report_to_a_file_and_keeps_the_exit_code() {
    let s = Sandbox::new();
    s.write("api/.env.production", "SECRET_KEY=dev-secret\n");
    for format in ["human", "json", "sarif", "github", "junit"] {
        let to_stdout = s.run(&["check", "--format", format]);
        let name = format!("report.{format}");
        let to_file = s.run(&["check", "--format", format, "--output", &name]);
        assert_eq!(to_stdout.code, 1, "{to_stdout}");
        assert_eq!(
            to_file.code, 1,
            "{format}: findings still fail the run: {to_file}"
        );
        assert_eq!(to_file.stdout, "", "{format}: the report went to the file");
        assert_eq!(
            to_file.stderr,
            format!(
                "1 error, 0 warnings in 1 file; 1 file checked against built-in policy \
                 `recommended`; report written to `{name}`\n"
            )
        );
        let written = std::fs::read_to_string(s.path().join(&name))
            .unwrap()
            .replace(s.path().to_str().unwrap(), "[TMP]");
        assert_eq!(written, to_stdout.stdout, "{format}: the same report");
    }
    // A clean run exits 0 with or without a file.
    s.write(
        "api/.env.production",
        "SECRET_KEY=Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA-strong-fake\n",
    );
    let out = s.run(&["check", "--format", "sarif", "--output", "clean.sarif"]);
    assert_eq!(out.code, 0, "{out}");
    // An unwritable destination is an error (2), never a silent pass.
    let out = s.run(&["check", "--output", "no/such/dir/report.txt"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: could not write the report to `no/such/dir/report.txt`"),
        "{out}"
    );
}

#[test]
fn a_baseline_fails_only_on_new_findings_and_reports_stale_entries() {
    let s = Sandbox::new();
    s.write(
        "api/.env.production",
        "SECRET_KEY=dev-secret\nAPI_TOKEN=short\n",
    );
    s.write("web/.env.production", "SESSION_SECRET=changeme\n");
    let out = s.run(&["baseline", "--output", "baseline.json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stderr,
        "recorded 3 findings (3 entries) in `baseline.json`\n"
    );
    let text = std::fs::read_to_string(s.path().join("baseline.json")).unwrap();
    insta::assert_snapshot!(text);
    assert_eq!(s.run(&["baseline"]).stdout, text, "stdout and file agree");

    // Known findings pass, even after lines move.
    s.write(
        "api/.env.production",
        "# moved\n\nAPI_TOKEN=short\nSECRET_KEY=dev-secret\n",
    );
    let out = s.run(&["check", "--baseline", "baseline.json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        "baseline `baseline.json`: 3 known findings not shown, no stale entries\n\
         no findings: 2 files checked against built-in policy `recommended`\n"
    );

    // A new finding fails; a fixed one is reported as stale.
    s.write(
        "api/.env.production",
        "API_TOKEN=short\nSECRET_KEY=dev-secret\nDB_PASSWORD=hunter2\n",
    );
    s.write(
        "web/.env.production",
        "SESSION_SECRET=Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA-strong-fake\n",
    );
    let out = s.run(&["check", "--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let report = json(&out.stdout);
    let keys: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["DB_PASSWORD"]);
    assert_eq!(report["baseline"]["known"], 2);
    assert_eq!(
        report["baseline"]["stale"][0]["path"],
        "web/.env.production"
    );
    assert_eq!(report["baseline"]["stale"][0]["key"], "SESSION_SECRET");
    assert!(out.stderr.contains("stale: web/.env.production: "), "{out}");

    // A run over one directory does not call the other directory's entries stale...
    let out = s.run(&[
        "check",
        "api",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(
        json(&out.stdout)["baseline"]["stale"],
        serde_json::json!([]),
        "{out}"
    );
    // ...but a deleted file's entries are stale from anywhere.
    std::fs::remove_file(s.path().join("web/.env.production")).unwrap();
    let out = s.run(&[
        "check",
        "api",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(
        json(&out.stdout)["baseline"]["stale"][0]["path"],
        "web/.env.production"
    );
}

#[test]
fn a_bad_baseline_is_an_error_not_a_pass() {
    let s = Sandbox::new();
    s.write("api/.env.production", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check", "--baseline", "missing.json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: could not read baseline `missing.json`"),
        "{out}"
    );
    s.write("b.json", "{\"version\": 9, \"entries\": []}");
    let out = s.run(&["check", "--baseline", "b.json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("baseline format version 9 is newer"),
        "{out}"
    );
}

#[test]
fn shards_are_disjoint_and_their_union_is_the_whole_report() {
    let s = jobswipe();
    let policy = policy_arg();
    let whole = json(
        &s.run(&["check", "--policy", &policy, "--format", "json"])
            .stdout,
    );
    let all = findings(&whole);
    let files = whole["summary"]["files_checked"].as_u64().unwrap();
    assert!(
        all.iter().any(|f| f.2 == "reused-across-environments"),
        "cross-file findings"
    );
    for n in [2u32, 3, 5] {
        let mut union = BTreeSet::new();
        let mut files_sum = 0;
        for i in 1..=n {
            let shard = format!("{i}/{n}");
            let out = s.run(&[
                "check", "--policy", &policy, "--format", "json", "--shard", &shard,
            ]);
            let report = json(&out.stdout);
            assert_eq!(report["shard"]["index"], i);
            assert_eq!(
                report["shard"]["files_read"], files,
                "every shard reads every file"
            );
            files_sum += report["summary"]["files_checked"].as_u64().unwrap();
            for f in findings(&report) {
                assert!(
                    union.insert(f.clone()),
                    "{f:?} reported by two shards of {n}"
                );
            }
        }
        assert_eq!(union, all, "the shards of {n} together report everything");
        assert_eq!(files_sum, files, "each file is in exactly one shard of {n}");
    }
}

#[test]
fn shards_compose_with_a_baseline() {
    let s = jobswipe();
    let policy = policy_arg();
    let out = s.run(&["baseline", "--policy", &policy, "--output", "b.json"]);
    assert_eq!(out.code, 0, "{out}");
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let out = s.run(&[
            "check",
            "--policy",
            &policy,
            "--baseline",
            "b.json",
            "--shard",
            &shard,
            "--format",
            "json",
        ]);
        assert_eq!(out.code, 0, "{out}");
        let report = json(&out.stdout);
        assert_eq!(report["findings"], serde_json::json!([]));
        assert_eq!(
            report["baseline"]["stale"],
            serde_json::json!([]),
            "{shard}"
        );
    }
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let s = Sandbox::new();
    for bad in ["0/2", "3/2", "1/0", "two"] {
        let out = s.run(&["check", "--shard", bad]);
        assert_eq!(out.code, 2, "{bad}: {out}");
        assert!(
            out.stderr.contains(&format!("invalid shard `{bad}`")),
            "{out}"
        );
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let s = jobswipe();
    let out = s.run(&["check", "--policy", &policy_arg(), "--format", "json"]);
    assert_eq!(out.stderr, "", "{out}");
}

#[test]
fn output_is_identical_with_one_thread_or_many() {
    let s = jobswipe();
    // More files than threads, in nested directories, so the parallel walk interleaves.
    for i in 0..40 {
        s.write(
            &format!("services/svc-{i}/.env.production"),
            &format!("SECRET_KEY=dev-secret-{}\nAPI_TOKEN=short\n", i % 3),
        );
    }
    let policy = policy_arg();
    let run = |jobs: &str| {
        s.run(&[
            "check", "--policy", &policy, "--jobs", jobs, "--format", "json",
        ])
    };
    let one = run("1");
    assert_eq!(one.code, 1, "{one}");
    for jobs in ["2", "4", "16"] {
        let many = run(jobs);
        assert_eq!(many.stdout, one.stdout, "--jobs {jobs} changes nothing");
        assert_eq!(many.code, one.code);
    }
}

#[test]
fn exclude_takes_globs_and_rejects_bad_ones() {
    let s = Sandbox::new();
    s.write("api/.env.production", "SECRET_KEY=dev-secret\n");
    s.write("legacy/old/.env.production", "SECRET_KEY=dev-secret\n");
    s.write("web/.env.production.local", "SECRET_KEY=dev-secret\n");
    let files = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let out = s.run(&all);
        let report = json(&out.stdout);
        let mut paths: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_owned())
            .collect();
        paths.dedup();
        paths
    };
    assert_eq!(files(&[]).len(), 3);
    assert_eq!(
        files(&["--exclude", "legacy", "--exclude", "**/*.local"]),
        ["api/.env.production"]
    );
    let out = s.run(&["check", "--exclude", "a{b"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: invalid --exclude glob `a{b`"),
        "{out}"
    );
}
