//! Differential test of the .env reader against dotenvy 0.15.7: every fixture under
//! `tests/fixtures/env/` is read by both, and every (key, value) pair dotenvy yields must be
//! ours, in order. Where dotenvy stops at a bad line, we must report a syntax error at that
//! line (and, unlike dotenvy, go on; what follows is not compared).
//!
//! The process environment cannot influence the comparison: dotenvy consults it for `$VAR`
//! before the file's own entries, so the test first asserts that no name a fixture could
//! reference is set (see `names_set_in_environment`); the fixtures use prefixed names.

#![expect(
    clippy::print_stderr,
    reason = "the tests report how much they compared"
)]

#[path = "env_reader/support.rs"]
mod support;

use std::fs;
use std::path::{Path, PathBuf};

use secretlint_engine::LineIndex;
use secretlint_engine::document::env::parse;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/env");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixture directory exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "env"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_fixture_agrees_with_dotenvy() {
    let paths = fixtures();
    assert!(
        paths.len() >= 25,
        "expected at least 25 fixtures, found {}",
        paths.len()
    );
    let (mut lines, mut entries, mut values, mut errors) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for path in &paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = fs::read_to_string(path).expect("fixture is UTF-8");
        let set = support::names_set_in_environment(&text);
        assert!(
            set.is_empty(),
            "{name}: referenced names set in the environment: {set:?}"
        );
        let doc = parse(&text);
        entries += doc.entries.len();
        if let Err(problem) = support::check_invariants(&text, &doc) {
            failures.push(format!("{name}: {problem}"));
        }
        match support::agree_with_dotenvy(&text, &doc) {
            Ok(agreement) => {
                values += agreement.values;
                errors += agreement.errors;
            }
            Err(problem) => failures.push(format!("{name}: {problem}")),
        }
        lines += LineIndex::new(&text).line_count();
    }
    eprintln!(
        "env reader vs dotenvy: {} files, {lines} lines, {values} of our {entries} values \
         compared, {errors} dotenvy errors matched",
        paths.len()
    );
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}

/// The fixtures exercise what they are named for: errors where dotenvy fails, entries read
/// on after them, and the differences that are ours on purpose.
#[test]
fn fixtures_cover_errors_and_deliberate_differences() {
    let read = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/env")
            .join(name);
        let text = fs::read_to_string(path).expect("fixture exists");
        let doc = parse(&text);
        (text, doc)
    };

    let (_, doc) = read("21_unterminated_double.env");
    let keys: Vec<&str> = doc.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["UD_OK", "UD_NEXT", "UD_LAST"]);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.errors[0].line, 1);
    assert_eq!(
        doc.errors[0].message,
        "unterminated double-quoted value for key `UD_BAD`"
    );

    let (_, doc) = read("23_quote_in_comment.env");
    let keys: Vec<&str> = doc.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["QC_ONE", "QC_AFTER", "QC_ODD", "QC_END"]);
    assert!(support::is_hidden_lines_error(&doc.errors[0].message));
    assert_eq!(doc.errors[0].line, 1);

    let (text, doc) = read("13_bom.env");
    assert!(doc.bom);
    assert_eq!(doc.entries[0].key_span.start, 3);
    assert_eq!(&text[doc.entries[0].key_span.range()], "BOM_FIRST");

    let (_, doc) = read("12_lone_cr.env");
    let keys: Vec<&str> = doc.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["LC_ONE", "LC_TWO", "LC_THREE", "LC_LAST"]);
    assert!(doc.errors.is_empty());

    let (_, doc) = read("11_crlf.env");
    assert!(doc.crlf);

    // No error message quotes a value: every fixture value containing "fake" stays out.
    for path in fixtures() {
        let text = fs::read_to_string(&path).expect("fixture is UTF-8");
        for error in parse(&text).errors {
            assert!(
                !error.message.contains("fake"),
                "{}: {}",
                path.display(),
                error.message
            );
        }
    }
}
