//! `secretlint init`: the proposed policy is written only when asked, never over an existing
//! one without `--force`, and `check` runs with what it wrote.

use crate::Sandbox;

/// A small monorepo: strong, distinct values in production and staging, placeholders in the
/// template, weak ones in a developer's file.
fn repo() -> Sandbox {
    let sb = Sandbox::new();
    sb.write(
        "api/.env.production",
        "SECRET_KEY=Zq8vN3xL0pR7tY2wK5mB9cF4hJ6gD1sA8eU3iO7yT2rW\n\
         DB_PASSWORD=hT4-mQ9x_Lw2Vz7nKb8RcY3p\n\
         STRIPE_API_KEY=sk9Hf2Lq7Wx4Nz1Tb6Vm3Rk8Yp5Jd0Gc\n\
         GRAFANA_ADMIN_PASSWORD=pX7-rN2q_Vb9Mz4wLk6TcY8h\n\
         LOG_LEVEL=info\n",
    )
    .write(
        "api/.env.staging",
        "SECRET_KEY=Wd3kP9sG1xM6vB2nQ8rT5yL0cF7hJ4zA1eU6iO3tY9rK\n\
         DB_PASSWORD=qL8-wZ3n_Tk6Xc1vRb5MhY9d\n\
         STRIPE_API_KEY=rk3Tn8Wq1Lx6Vz4Hb9Fm2Pk7Yd5Jc0Gs\n\
         LOG_LEVEL=debug\n",
    )
    .write(
        "api/.env.example",
        "SECRET_KEY=changeme\nDB_PASSWORD=\nSTRIPE_API_KEY=your-api-key-here\nLOG_LEVEL=info\n",
    )
    .write("api/.env", "SECRET_KEY=dev\nDB_PASSWORD=postgres\n");
    sb
}

fn policy(sb: &Sandbox) -> Option<String> {
    std::fs::read_to_string(sb.path().join("secretlint.toml")).ok()
}

#[test]
fn init_writes_a_policy_that_check_runs_with() {
    let sb = repo();
    let out = sb.run(&["init", "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    insta::assert_snapshot!("init_summary", out.to_string());
    let written = policy(&sb).expect("secretlint.toml written");
    insta::assert_snapshot!("init_policy", written);

    let check = sb.run(&["check"]);
    // Strong values pass; what is left are warnings (no rotation dates yet, weak dev values).
    assert_eq!(check.code, 0, "{check}");
    assert!(
        check.stdout.contains("checked against `secretlint.toml`"),
        "{check}"
    );
    assert!(check.stdout.contains("warning[unknown-age]"), "{check}");
    assert!(!check.stdout.contains("undeclared-secret"), "{check}");

    // The tiers reach the rotation calendar.
    let due = sb.run(&["due", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&due.stdout).expect("json");
    let every = |key: &str| {
        json["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .map(|s| s["every_days"].as_i64().unwrap())
    };
    assert_eq!(every("SECRET_KEY"), Some(30));
    assert_eq!(every("DB_PASSWORD"), Some(30));
    assert_eq!(every("STRIPE_API_KEY"), Some(90));
    assert_eq!(every("GRAFANA_ADMIN_PASSWORD"), Some(180));
    assert_eq!(every("LOG_LEVEL"), None);
}

#[test]
fn init_catches_what_the_policy_forbids() {
    let sb = repo();
    // Staging copies production's signing key: the proposed policy must notice.
    sb.write(
        "api/.env.staging",
        "SECRET_KEY=Zq8vN3xL0pR7tY2wK5mB9cF4hJ6gD1sA8eU3iO7yT2rW\n",
    );
    assert_eq!(sb.run(&["init", "--yes"]).code, 0);
    let check = sb.run(&["check"]);
    assert_eq!(check.code, 1, "{check}");
    assert!(
        check.stdout.contains("error[reused-across-environments]"),
        "{check}"
    );
}

#[test]
fn init_never_overwrites_without_force() {
    let sb = repo();
    sb.write("secretlint.toml", "# ours\nversion = 1\n");
    let out = sb.run(&["init", "--yes"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: `secretlint.toml` already exists; pass `--force` to replace it\n"
    );
    assert_eq!(policy(&sb).as_deref(), Some("# ours\nversion = 1\n"));

    let out = sb.run(&["init", "--yes", "--force"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(policy(&sb).unwrap().contains("[environments.production]"));
}

#[test]
fn init_asks_before_writing_and_never_hangs_without_a_terminal() {
    let sb = repo();
    let out = sb.run(&["init"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: `secretlint init` asks before writing; pass `--yes` to write `secretlint.toml` without asking\n"
    );
    assert_eq!(out.stdout, "");
    assert_eq!(policy(&sb), None);
}

#[test]
fn init_stdout_prints_the_policy_and_writes_nothing() {
    let sb = repo();
    sb.write("secretlint.toml", "# ours\n");
    let out = sb.run(&["init", "--stdout"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("#:schema "), "{out}");
    assert!(out.stdout.contains("[[secrets]]"));
    assert_eq!(policy(&sb).as_deref(), Some("# ours\n"));
}

#[test]
fn init_in_an_empty_repository_proposes_the_usual_environments() {
    let sb = Sandbox::new();
    let out = sb.run(&["init", "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("no env files found"), "{out}");
    let written = policy(&sb).unwrap();
    for env in ["production", "staging", "template", "development"] {
        assert!(
            written.contains(&format!("[environments.{env}]")),
            "{written}"
        );
    }
    let check = sb.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
}

#[test]
fn init_looks_at_the_named_directory() {
    let sb = repo();
    std::fs::create_dir_all(sb.path().join("elsewhere")).unwrap();
    let out = sb.run_in("elsewhere", &["init", "--yes", ".."]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("wrote `../secretlint.toml`"), "{out}");
    assert!(policy(&sb).is_some());
}
