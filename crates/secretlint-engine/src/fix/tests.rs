//! Planner tests on small in-memory workspaces: what a fix reaches, and that every other byte
//! stays.

use super::*;
use crate::{CheckOptions, Input, check};

const POLICY: &str = r#"
version = 1
[environments.production]
files = ["**/.env.production"]
[profiles.token]
min_length = 32
min_entropy_bits = 128
generate = { charset = "base64url", length = 40 }
[[secrets]]
names = ["*_TOKEN"]
profile = "token"
[[secrets]]
names = ["SHARED_KEY"]
profile = "token"
scope = "shared"
required = ["production"]
[[secrets]]
names = ["PASSWORD", "SALT"]
profile = "token"
rotate_with = ["PASSWORD", "SALT"]
[[secrets]]
names = ["ISSUED_KEY"]
profile = "token"
source = "external"
"#;

fn now() -> Timestamp {
    "2026-11-30T00:00:00Z".parse().unwrap()
}

fn run(files: &[(&str, &str)], policy: &str) -> (Report, Plan) {
    let policy = Policy::from_toml(policy, crate::PolicyOrigin::Builtin("test")).unwrap();
    let inputs = files.iter().map(|(p, t)| Input::text(*p, *t)).collect();
    let report = check(
        &policy,
        inputs,
        &CheckOptions {
            now: Some(now()),
            ledger: None,
            ..CheckOptions::default()
        },
    );
    let plan = plan(
        &policy,
        &report,
        &FixOptions {
            now: now(),
            include_expiring: false,
            selected: None,
            environment: None,
            on_demand: None,
            ledger: None,
            unwritable: BTreeMap::new(),
        },
    );
    (report, plan)
}

fn new_text<'a>(plan: &'a Plan, path: &str) -> &'a str {
    plan.changes
        .iter()
        .find(|c| c.path == path)
        .and_then(|c| c.new_text.as_ref())
        .map(|t| t.expose())
        .unwrap_or_else(|| panic!("no change to {path}"))
}

fn value(text: &str, key: &str) -> String {
    let doc = Document::parse(DocumentKind::Env, text);
    doc.entries
        .iter()
        .rev()
        .find(|e| e.key == key)
        .map(|e| e.value.expose().to_owned())
        .unwrap_or_else(|| panic!("no {key}"))
}

#[test]
fn an_empty_value_before_a_comment_gets_a_blank() {
    let (_, plan) = run(
        &[(
            "a/.env.production",
            "A_TOKEN=#note\nSHARED_KEY=9J_MWkdQ0yRvfs3xAa8ZTqgVb1n-L6CePhY\n",
        )],
        POLICY,
    );
    let text = new_text(&plan, "a/.env.production");
    assert_eq!(value(text, "A_TOKEN").len(), 40);
    assert!(text.contains(" #note\n"), "the comment stays a comment");
}

#[test]
fn a_missing_shared_key_gets_the_value_its_environment_shares() {
    let shared = "9J_MWkdQ0yRvfs3xAa8ZTqgVb1n-L6CePhYoNiu2Dz47";
    let a = format!("SHARED_KEY={shared}\r\n");
    let (_, plan) = run(
        &[
            ("a/.env.production", &a),
            ("b/.env.production", "# b\r\nX=1"),
        ],
        POLICY,
    );
    let text = new_text(&plan, "b/.env.production");
    assert_eq!(text, format!("# b\r\nX=1\r\nSHARED_KEY={shared}"));
    assert_eq!(
        plan.rotations[0].copied_from.as_deref(),
        Some("a/.env.production")
    );
    assert!(plan.changes.iter().all(|c| c.path != "a/.env.production"));
}

#[test]
fn a_shared_rotation_reaches_every_holder_with_one_value() {
    let (_, plan) = run(
        &[
            ("a/.env.production", "SHARED_KEY=changeme\n"),
            (
                "b/.env.production",
                "SHARED_KEY=9J_MWkdQ0yRvfs3xAa8ZTqgVb1n-L6CePhYoNiu2Dz47\n",
            ),
        ],
        POLICY,
    );
    let (a, b) = (
        value(new_text(&plan, "a/.env.production"), "SHARED_KEY"),
        value(new_text(&plan, "b/.env.production"), "SHARED_KEY"),
    );
    assert_eq!(a, b);
    assert_ne!(a, "changeme");
}

#[test]
fn rotate_with_partners_rotate_together_and_fail_together() {
    let shared = "SHARED_KEY=9J_MWkdQ0yRvfs3xAa8ZTqgVb1n-L6CePhYoNiu2Dz47\n";
    let text = format!("{shared}PASSWORD=short\nSALT=3kTq9Lw0Zx8Pb2Nc7Vd1Rf6Hg5Jm4Ks-_yAeIoU\n");
    let (_, plan) = run(&[("a/.env.production", &text)], POLICY);
    let keys: Vec<&str> = plan.rotations.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["PASSWORD", "SALT"]);
    assert_eq!(plan.warnings.len(), 1);
    let after = new_text(&plan, "a/.env.production");
    assert_ne!(value(after, "SALT"), value(&text, "SALT"));

    // A partner that is issued elsewhere cannot rotate here: neither does the group.
    let policy = POLICY.replace(
        "names = [\"PASSWORD\", \"SALT\"]\nprofile = \"token\"\nrotate_with = [\"PASSWORD\", \"SALT\"]",
        "names = [\"PASSWORD\"]\nprofile = \"token\"\nrotate_with = [\"ISSUED_KEY\"]",
    );
    let text = format!("{shared}PASSWORD=short\nISSUED_KEY=abc\n");
    let (_, plan) = run(&[("a/.env.production", &text)], &policy);
    assert!(plan.rotations.is_empty(), "{:?}", plan.rotations);
    assert!(
        plan.failures
            .iter()
            .any(|f| f.message.contains("rotates together with `ISSUED_KEY`")),
        "{:?}",
        plan.failures
    );
    assert!(
        plan.manual
            .iter()
            .any(|m| m.key.as_deref() == Some("ISSUED_KEY"))
    );
}

#[test]
fn an_unwritable_file_fails_every_rotation_that_reaches_it() {
    let policy = Policy::from_toml(POLICY, crate::PolicyOrigin::Builtin("test")).unwrap();
    let files = [
        ("a/.env.production", "SHARED_KEY=changeme\n"),
        ("b/.env.production", "SHARED_KEY=changeme\nB_TOKEN=short\n"),
    ];
    let inputs = files.iter().map(|(p, t)| Input::text(*p, *t)).collect();
    let report = check(&policy, inputs, &CheckOptions::default());
    let mut unwritable = BTreeMap::new();
    unwritable.insert("b/.env.production".to_owned(), "is a symlink".to_owned());
    let plan = plan(
        &policy,
        &report,
        &FixOptions {
            now: now(),
            include_expiring: false,
            selected: None,
            environment: None,
            on_demand: None,
            ledger: None,
            unwritable,
        },
    );
    assert!(plan.changes.is_empty(), "{:?}", plan.changes);
    assert_eq!(plan.failures.len(), 2, "{:?}", plan.failures);
}

#[test]
fn a_text_that_does_not_read_back_is_refused() {
    let file = SourceFile::new(Input::text("a/.env.production", "A=1\nB=2\n"), None);
    let mut work = FileWork::default();
    work.replaced.insert(0, "new".into());
    assert!(read_back_ok(&file, "A=new\nB=2\n", &work).is_ok());
    assert_eq!(
        read_back_ok(&file, "A=new #x\nB=3\n", &work),
        Err("`B` would not read back as written".into())
    );
    assert_eq!(
        read_back_ok(&file, "A=new\n", &work),
        Err("its keys would change".into())
    );
    assert_eq!(
        read_back_ok(&file, "A=new\nB=2\nC=\"x\n", &work),
        Err("its syntax errors would change".into())
    );
}
