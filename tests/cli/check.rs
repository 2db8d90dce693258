//! `secretlint check`: discovery, exit codes, formats and policy errors.

use crate::Sandbox;

const STRONG: &str = "Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA-strong-fake-value";

#[test]
fn clean_repository_exits_zero_with_a_summary() {
    let s = Sandbox::new();
    s.write(".env.production", &format!("SECRET_KEY={STRONG}\n"));
    let out = s.run(&["check"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        "no findings: 1 file checked against built-in policy `recommended`\n"
    );
}

#[test]
fn errors_exit_one_and_warnings_only_with_deny() {
    let s = Sandbox::new();
    s.write(".env", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check"]);
    assert_eq!(out.code, 0, "development findings are warnings: {out}");
    assert!(out.stdout.contains("warning[too-short]"), "{out}");
    let out = s.run(&["check", "--deny", "warnings"]);
    assert_eq!(out.code, 1, "{out}");
    s.write(".env.production", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check"]);
    assert_eq!(out.code, 1, "{out}");
}

#[test]
fn human_output_is_rustc_style_with_the_value_masked() {
    let s = Sandbox::new();
    s.write(
        "api/.env.production",
        "# signing key\nSECRET_KEY=dev-secret # too short\n",
    );
    let out = s.run(&["check"]);
    insta::assert_snapshot!(out.to_string());
    assert!(!out.stdout.contains("dev-secret"));
}

#[test]
fn json_output_is_versioned_and_has_positions() {
    let s = Sandbox::new();
    s.write("api/.env.production", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check", "--format", "json"]);
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["errors"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "too-short");
    assert_eq!(f["path"], "api/.env.production");
    assert_eq!(f["key"], "SECRET_KEY");
    assert_eq!(f["environment"], "production");
    assert_eq!(f["start"]["line"], 1);
    assert_eq!(f["start"]["column"], 12);
    assert_eq!(f["fix"]["applicability"], "safe");
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn gitignored_and_hidden_env_files_are_checked_but_dependency_dirs_are_not() {
    let s = Sandbox::new();
    s.write(".gitignore", ".env\n");
    s.write(".env", "SECRET_KEY=dev-secret\n");
    s.write(
        "node_modules/pkg/.env.production",
        "SECRET_KEY=dev-secret\n",
    );
    s.write("target/.env.production", "SECRET_KEY=dev-secret\n");
    s.write(".git/.env.production", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files_checked"], 1, "{out}");
    assert_eq!(v["findings"][0]["path"], ".env");
}

#[test]
fn an_explicit_path_is_always_checked() {
    let s = Sandbox::new();
    s.write("config/secrets.txt", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check", "config/secrets.txt", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "too-short", "{out}");
    assert_eq!(v["findings"][0]["environment"], serde_json::Value::Null);
}

#[test]
fn exclude_leaves_paths_out() {
    let s = Sandbox::new();
    s.write("legacy/.env.production", "SECRET_KEY=dev-secret\n");
    s.write("app/.env.production", &format!("SECRET_KEY={STRONG}\n"));
    let out = s.run(&["check", "--exclude", "legacy"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let out = Sandbox::new().run(&["check", "nope"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, "error: no such file or directory: `nope`\n");
}

#[test]
fn a_broken_policy_is_reported_against_the_policy_file_with_exit_two() {
    let s = Sandbox::new();
    s.write(
        "secretlint.toml",
        "version = 1\n[profiles.password]\nmin_lenght = 16\n",
    );
    s.write(".env.production", "SECRET_KEY=dev-secret\n");
    let out = s.run(&["check"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.to_string());
}

#[test]
fn the_policy_is_found_upward_from_the_working_directory() {
    let s = Sandbox::new();
    s.write("secretlint.toml", "[environments.production]\nfiles = [\"**/prod.env\"]\n[profiles.k]\nmin_length = 40\n[[secrets]]\nnames = [\"TOKEN\"]\nprofile = \"k\"\n");
    s.write("svc/prod.env", &format!("TOKEN={STRONG}\n"));
    let mut out = s.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["policy"], "secretlint.toml");
    assert_eq!(v["summary"]["files_checked"], 1);
    std::fs::create_dir_all(s.path().join("svc/sub")).unwrap();
    out = crate::Sandbox::run_in(&s, "svc", &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["policy"], "../secretlint.toml", "{out}");
}

#[test]
fn color_is_used_only_when_asked_or_on_a_terminal() {
    let s = Sandbox::new();
    s.write(".env.production", "SECRET_KEY=dev-secret\n");
    assert!(!s.run(&["check"]).stdout.contains('\x1b'));
    assert!(
        s.run(&["check", "--color", "always"])
            .stdout
            .contains('\x1b')
    );
}

#[test]
fn age_from_git_dates_secrets_by_their_last_commit() {
    let s = Sandbox::new();
    s.write(
        "secretlint.toml",
        "extends = \"recommended\"\n[[secrets]]\nnames = [\"SECRET_KEY\"]\nprofile = \"signing-key\"\nrotate_every = \"30d\"\n",
    );
    s.write(".env.production", &format!("SECRET_KEY={STRONG}\n"));
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(s.path())
            .env("GIT_AUTHOR_DATE", "2026-08-01T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-08-01T12:00:00Z")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "initial"]);
    let out = s.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "unknown-age", "{out}");
    let out = s.run(&["check", "--age-from-git", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "stale", "{out}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("last rotated 2026-08-01"),
        "{f}"
    );
    assert_eq!(
        f["notes"][0],
        "the rotation date comes from the last git commit that changed the line"
    );
}

#[test]
fn manifests_are_walked_by_glob_or_by_namespace() {
    let s = Sandbox::new();
    s.write(
        "secretlint.toml",
        "extends = \"recommended\"\n\
         [environments.cluster]\n\
         files = [\"k8s/**/*.yaml\"]\n\
         namespaces = [\"prod\"]\n",
    );
    let secret = |ns: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: {ns}\nstringData:\n  SECRET_KEY: dev-secret\n"
        )
    };
    s.write("k8s/api.yaml", &secret("default"));
    s.write("deploy/api.yaml", &secret("prod"));
    s.write("deploy/sandbox.yaml", &secret("sandbox"));
    // Not YAML until Helm renders it: a file no environment names is never read.
    s.write(
        "deploy/templates/secret.yaml",
        "kind: Secret\n{{ .Values.x }}: [\n",
    );
    s.write(".github/workflows/ci.yml", "on: push\n");
    let out = s.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files_checked"], 2, "{out}");
    let found: Vec<(&str, &str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["environment"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("deploy/api.yaml", "too-short", "cluster"),
            ("k8s/api.yaml", "too-short", "cluster"),
        ]
    );
    assert_eq!(v["findings"][0]["start"]["line"], 7);
    assert_eq!(v["findings"][0]["start"]["column"], 15);
    assert!(!out.stdout.contains("dev-secret"));
}
