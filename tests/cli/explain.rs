//! `secretlint explain`.

use crate::Sandbox;

#[test]
fn explain_prints_the_rule_documentation() {
    let out = Sandbox::new().run(&["explain", "too-short"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("# too-short\n"));
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Fix",
    ] {
        assert!(out.stdout.contains(section), "{section} missing");
    }
}

#[test]
fn explain_lists_every_rule() {
    let out = Sandbox::new().run(&["explain"]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn explain_suggests_a_near_rule() {
    let out = Sandbox::new().run(&["explain", "too-shrt"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: unknown rule `too-shrt`; did you mean `too-short`?\n"
    );
}
