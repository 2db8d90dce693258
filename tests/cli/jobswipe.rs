//! The JobSwipe-like fixture repository checked with `policy/jobswipe.toml`: every planted
//! violation is reported with its rule id, and the compliant values raise nothing.

use std::collections::BTreeSet;

use crate::{Sandbox, repo_root};

pub fn jobswipe() -> Sandbox {
    let s = Sandbox::new();
    s.copy("tests/fixtures/jobswipe", "");
    // Planted: a production file readable by others.
    s.chmod("ops/.env.production", 0o644);
    // The reference policy, copied in so that paths in the output do not depend on where the
    // repository is checked out.
    let policy = std::fs::read_to_string(repo_root().join("policy/jobswipe.toml")).unwrap();
    s.write(POLICY, &policy);
    s
}

/// The JobSwipe policy inside the sandbox, for `--policy`.
pub const POLICY: &str = "jobswipe-policy.toml";

pub fn policy_arg() -> String {
    POLICY.to_owned()
}

fn findings(s: &Sandbox) -> (i32, Vec<serde_json::Value>) {
    let out = s.run(&["check", "--policy", &policy_arg(), "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out}"));
    (out.code, v["findings"].as_array().unwrap().clone())
}

#[test]
fn every_planted_violation_is_reported() {
    let s = jobswipe();
    let (code, findings) = findings(&s);
    assert_eq!(code, 1);
    let got: BTreeSet<(String, String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["key"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = [
        ("api/.env.production", "JWT_SECRET_KEY", "too-short"),
        ("api/.env.production", "ENCRYPTION_SALT", "bad-format"),
        ("api/.env.staging", "JWT_SECRET_KEY", "reused-across-keys"),
        (
            "api/.env.staging",
            "OAUTH_STATE_SECRET",
            "reused-across-environments",
        ),
        ("api/.env.staging", "DATABASE_URL", "linked-mismatch"),
        ("api/.env", "SECRET_KEY", "too-short"),
        (
            "analytics/.env.production",
            "ANALYTICS_API_KEY",
            "inconsistent-across-files",
        ),
        (
            "analytics/.env.production",
            "OAUTH_STATE_SECRET",
            "low-entropy",
        ),
        (
            "ingestion/.env.production",
            "DEDUPLICATION_API_KEY",
            "placeholder",
        ),
        (
            "ingestion/.env.production",
            "INGESTION_API_KEY",
            "duplicate-key",
        ),
        ("ingestion/.env.production", "", "syntax-error"),
        (
            "ingestion/.env.production",
            "AUTOMATION_API_KEY",
            "missing-required",
        ),
        ("ops/.env.production", "VAULT_TOKEN", "too-short"),
        (
            "ops/.env.production",
            "GRAFANA_ADMIN_PASSWORD",
            "predictable-pattern",
        ),
        (
            "ops/.env.production",
            "STRIPE_WEBHOOK_SECRET",
            "undeclared-secret",
        ),
        ("ops/.env.production", "", "insecure-permissions"),
        ("api/.env.production", "POSTGRES_PASSWORD", "stale"),
        (
            "api/.env.production",
            "SECRET_KEY_PREVIOUS",
            "previous-expired",
        ),
        ("api/.env.production", "ANALYTICS_API_KEY", "expiring-soon"),
        (
            "ops/.env.staging",
            "GRAFANA_ADMIN_PASSWORD",
            "expiring-soon",
        ),
        ("analytics/.env.production", "DATABASE_URL", "unknown-age"),
        (
            ".secretlint/rotations.toml",
            "LEGACY_API_KEY",
            "stale-metadata",
        ),
        ("docker-compose.yml", "GRAFANA_ADMIN_PASSWORD", "too-short"),
    ];
    for (path, key, rule) in expect {
        assert!(
            got.contains(&(path.to_owned(), key.to_owned(), rule.to_owned())),
            "missing {rule} on {path} {key}; got:\n{got:#?}"
        );
    }
    let weak_pg = got.iter().any(|(p, k, r)| {
        p == "analytics/.env.production"
            && k == "POSTGRES_PASSWORD"
            && (r == "predictable-pattern" || r == "weak-password")
    });
    assert!(weak_pg, "the weak analytics password is reported: {got:#?}");
    // The VAULT_TOKEN is external: reported, never generated.
    let vault = findings.iter().find(|f| f["key"] == "VAULT_TOKEN").unwrap();
    assert_eq!(vault["fix"]["applicability"], "manual");
}

#[test]
fn compliant_values_raise_nothing() {
    let s = jobswipe();
    let (_, findings) = findings(&s);
    // Files holding only compliant values, and compliant keys in files with planted problems.
    let quiet_files = [
        "automation/.env.production",
        "ingestion/.env.staging",
        "analytics/.env.staging",
        "k8s/production/api-secret.yaml",
    ];
    for f in &findings {
        let path = f["path"].as_str().unwrap();
        assert!(
            !quiet_files.contains(&path),
            "unexpected finding in {path}: {f:#}"
        );
        let key = f["key"].as_str().unwrap_or("");
        if path == "api/.env.production" {
            let planted = [
                "JWT_SECRET_KEY",
                "ENCRYPTION_SALT",
                "POSTGRES_PASSWORD",
                "SECRET_KEY_PREVIOUS",
                "ANALYTICS_API_KEY",
            ];
            assert!(planted.contains(&key), "unexpected finding: {f:#}");
        }
        if path == "ops/.env.staging" {
            assert_eq!(f["rule"], "expiring-soon", "{f:#}");
        }
        // Templates hold placeholders: only a live value in one is a finding.
        if path.ends_with(".env.example") {
            assert_eq!(f["rule"], "reused-across-environments", "{f:#}");
        }
    }
}

#[test]
fn human_report_snapshot() {
    let s = jobswipe();
    let out = s.run(&["check", "--policy", &policy_arg()]);
    insta::assert_snapshot!(out.to_string());
}

#[test]
fn due_lists_the_calendar_most_urgent_first_and_fails_when_overdue() {
    let s = jobswipe();
    let out = s.run(&["due", "--policy", &policy_arg()]);
    assert_eq!(out.code, 1, "POSTGRES_PASSWORD is overdue: {out}");
    insta::assert_snapshot!(out.to_string());
    let out = s.run(&[
        "due",
        "--policy",
        &policy_arg(),
        "--within",
        "7d",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = v["secrets"].as_array().unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert!(
        statuses
            .iter()
            .all(|s| ["unknown", "overdue", "due-soon"].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(statuses[0], "unknown");
    let shared = rows
        .iter()
        .find(|r| r["key"] == "ANALYTICS_API_KEY" && r["environment"] == "production")
        .unwrap();
    assert_eq!(
        shared["files"].as_array().unwrap().len(),
        3,
        "a shared secret is one row per environment"
    );
    assert_eq!(shared["days_left"], 5);
}

#[test]
fn rotate_record_updates_the_ledger_and_the_audit_log_without_values() {
    let s = jobswipe();
    let out = s.run(&[
        "rotate",
        "--record",
        "POSTGRES_PASSWORD",
        "--env",
        "production",
        "--policy",
        &policy_arg(),
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "recorded `POSTGRES_PASSWORD` in `api/.env.production` as rotated on 2026-11-30"
        ),
        "{out}"
    );
    let ledger = std::fs::read_to_string(s.path().join(".secretlint/rotations.toml")).unwrap();
    assert!(
        ledger.contains(
            "key = \"POSTGRES_PASSWORD\"\nrotated = 2026-11-30T00:00:00Z\nby = \"record\""
        ),
        "{ledger}"
    );
    let audit = std::fs::read_to_string(s.path().join(".secretlint/audit.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        events.len(),
        2,
        "api and analytics production files hold it: {audit}"
    );
    assert_eq!(events[0]["action"], "record");
    assert_eq!(events[0]["environment"], "production");
    // The stale finding is gone: the ledger now dates it today... but the inline comment still
    // wins for api/.env.production, where a person keeps the date by hand.
    let out = s.run(&["check", "--policy", &policy_arg(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let stale: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "stale")
        .collect();
    assert_eq!(
        stale.len(),
        1,
        "the `# rotated:` comment takes precedence over the ledger"
    );
    let out = s.run(&["rotate", "--record", "NOPE_KEY", "--policy", &policy_arg()]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, "error: no checked file defines `NOPE_KEY`\n");
}

#[test]
fn the_sample_policy_is_the_reference_policy_and_is_discovered_from_the_path() {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/jobswipe/secretlint.toml"))
        .unwrap();
    let active: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(active, ["extends = \"jobswipe\""]);
    // Run from above the sample, as the README does: the sample's policy and ledger apply.
    let s = Sandbox::new();
    s.copy("tests/fixtures/jobswipe", "sample");
    let out = s.run(&["check", "sample", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["policy"], "sample/secretlint.toml");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"stale") && rules.contains(&"stale-metadata"),
        "the sample's ledger is read: {rules:?}"
    );
}
