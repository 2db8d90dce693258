//! No output ever contains a value: every value of the fixtures, and every 6-character slice
//! of one, is searched for in the output of every command and format.

use crate::jobswipe::{jobswipe, policy_arg};

/// The values of every `KEY=value` line of the fixture repository, and of every `KEY: value`
/// line of its manifests (quotes stripped; for URLs, the password inside).
fn fixture_values() -> Vec<String> {
    values_in(&crate::repo_root().join("tests/fixtures/jobswipe"))
}

/// The values of every `KEY=value` line of the files below `root`, as [`fixture_values`].
fn values_in(root: &std::path::Path) -> Vec<String> {
    let root = root.to_path_buf();
    let mut values = Vec::new();
    for file in crate::walk(&root) {
        // The rotation metadata holds dates and paths, never values; policies hold globs.
        if file.components().any(|c| c.as_os_str() == ".secretlint")
            || file.extension().is_some_and(|e| e == "toml")
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let yaml = file.extension().is_some_and(|e| e == "yaml" || e == "yml");
        for line in text.lines() {
            let line = line.trim().trim_start_matches("export ");
            if line.starts_with('#') {
                continue;
            }
            // In a manifest, a Secret's or a compose service's `KEY: value` (base64 included).
            let yaml_pair = line.split_once(": ").filter(|(k, _)| {
                yaml && k
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            });
            let Some((_, v)) = yaml_pair.or_else(|| line.split_once('=')) else {
                continue;
            };
            let v = v.trim().trim_matches(['"', '\'']).trim_end_matches('\r');
            let v = match (v.find("://"), v.rfind('@')) {
                (Some(s), Some(at)) if at > s => v[s + 3..at].split_once(':').map_or(v, |(_, p)| p),
                _ => v,
            };
            // References name other keys; they are not values.
            if v.len() >= 6 && !v.contains("${") {
                values.push(v.to_owned());
            }
        }
    }
    values.sort();
    values.dedup();
    assert!(values.len() > 25, "the fixture has values");
    values
}

fn is_prose(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

/// Values and slices made only of lowercase letters and dashes are words that prose may contain
/// ("secret", "change"); every other slice must never appear.
fn leaks(output: &str, values: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for v in values {
        if !is_prose(v) && output.contains(v.as_str()) {
            found.push(format!("whole value of {} chars", v.len()));
            continue;
        }
        let chars: Vec<char> = v.chars().collect();
        for w in chars.windows(6) {
            let slice: String = w.iter().collect();
            if is_prose(&slice) {
                continue;
            }
            if output.contains(&slice) {
                found.push(format!("a 6-character slice of a {}-char value", v.len()));
                break;
            }
        }
    }
    found
}

#[test]
fn no_value_appears_in_any_output_format() {
    let s = jobswipe();
    let values = fixture_values();
    let policy = policy_arg();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "--policy", &policy],
        vec!["check", "--policy", &policy, "--color", "always"],
        vec!["check", "--policy", &policy, "--format", "json"],
        vec!["check", "--policy", &policy, "--format", "sarif"],
        vec!["check", "--policy", &policy, "--format", "github"],
        vec!["check", "--policy", &policy, "--format", "junit"],
        vec![
            "check",
            "--policy",
            &policy,
            "--format",
            "sarif",
            "--output",
            "report.sarif",
        ],
        vec!["check", "--policy", &policy, "--output", "report.txt"],
        vec![
            "check", "--policy", &policy, "--shard", "1/2", "--format", "json",
        ],
        vec!["baseline", "--policy", &policy],
        vec!["baseline", "--policy", &policy, "--output", "baseline.json"],
        vec![
            "check",
            "--policy",
            &policy,
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        vec!["check"],
        vec!["explain"],
    ];
    for args in runs {
        let out = s.run(&args);
        let mut all = format!("{}{}", out.stdout, out.stderr);
        // A report or baseline written to a file is output too.
        if let Some(at) = args.iter().position(|a| *a == "--output") {
            all.push_str(&std::fs::read_to_string(s.path().join(args[at + 1])).unwrap());
        }
        assert!(!all.is_empty());
        let found = leaks(&all, &values);
        assert!(
            found.is_empty(),
            "`secretlint {}` leaked: {found:?}",
            args.join(" ")
        );
    }
}

#[test]
fn no_value_appears_in_fix_output_the_audit_log_the_ledger_or_backup_listings() {
    let s = jobswipe();
    let old = fixture_values();
    let policy = policy_arg();
    let (_, recipient) = crate::fix::identity();
    let mut outputs = Vec::new();
    for args in [
        vec!["fix", "--dry-run", "--policy", &policy],
        vec![
            "fix",
            "--dry-run",
            "--policy",
            &policy,
            "--include-expiring",
        ],
        vec![
            "fix",
            "--policy",
            &policy,
            "--include-expiring",
            "--recipient",
            &recipient,
        ],
        vec![
            "rotate",
            "SECRET_KEY",
            "--env",
            "production",
            "--policy",
            &policy,
            "--plaintext-backup",
        ],
        vec!["backups", "--policy", &policy],
    ] {
        let out = s.run(&args);
        assert!(out.code == 0, "`secretlint {}`: {out}", args.join(" "));
        outputs.push((args.join(" "), format!("{}{}", out.stdout, out.stderr)));
    }
    let meta = |name: &str| std::fs::read_to_string(s.path().join(name)).unwrap();
    outputs.push(("the audit log".into(), meta(".secretlint/audit.jsonl")));
    outputs.push(("the ledger".into(), meta(".secretlint/rotations.toml")));
    for p in crate::walk(&s.path().join(".secretlint/backups")) {
        let name = p.to_string_lossy().into_owned();
        if name.ends_with(".meta.json") {
            outputs.push((name.clone(), std::fs::read_to_string(&p).unwrap()));
        }
        if name.ends_with(".age") {
            // The encrypted body holds values, but not readably.
            let bytes = std::fs::read(&p).unwrap();
            outputs.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    // The values written by the fix must not leak either.
    let mut new = values_in(s.path());
    new.retain(|v| !old.contains(v));
    assert!(new.len() > 10, "the fix wrote new values: {}", new.len());
    for (what, text) in &outputs {
        let found = leaks(text, &old);
        assert!(found.is_empty(), "{what} leaked an old value: {found:?}");
        let found = leaks(text, &new);
        assert!(found.is_empty(), "{what} leaked a new value: {found:?}");
    }
}
