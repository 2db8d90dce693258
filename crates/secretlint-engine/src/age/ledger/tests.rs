//! Tests of the ledger reader and writer.

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn parse_ok(text: &str) -> Ledger {
    match Ledger::parse(text) {
        Ok(l) => l,
        Err(errors) => panic!("expected a ledger, got {errors:?}"),
    }
}

fn parse_err(text: &str) -> Vec<LedgerError> {
    match Ledger::parse(text) {
        Ok(l) => panic!("expected errors, got {l:?}"),
        Err(errors) => errors,
    }
}

/// The text an error's span points at.
fn at<'t>(text: &'t str, e: &LedgerError) -> &'t str {
    &text[e.span.expect("error span").range()]
}

const EXAMPLE: &str = r#"# secretlint rotation metadata: when each secret was last rotated. It holds no values.
version = 1

[[rotation]]
file = "api/.env.production"            # root-relative, slash-separated
key = "SECRET_KEY"
rotated = 2026-11-20T10:00:00Z          # a TOML datetime; a bare date means midnight UTC
by = "fix"                              # "fix", "record" or "import"
actor = "alice@laptop"                  # optional: who rotated it
previous_until = 2026-11-27T10:00:00Z   # optional: end of the `KEY_PREVIOUS` grace period

[[rotation]]
file = "api/.env.production"
key = "STRIPE_SECRET_KEY"
rotated = 2026-09-01
by = "record"
"#;

#[test]
fn reads_the_documented_example() {
    let ledger = parse_ok(EXAMPLE);
    assert_eq!(ledger.entries.len(), 2);
    let e = &ledger.entries[0];
    assert_eq!(e.file, "api/.env.production");
    assert_eq!(e.key, "SECRET_KEY");
    assert_eq!(e.rotated, ts("2026-11-20T10:00:00Z"));
    assert_eq!(e.by, RotationSource::Fix);
    assert_eq!(e.actor.as_deref(), Some("alice@laptop"));
    assert_eq!(e.previous_until, Some(ts("2026-11-27T10:00:00Z")));
    let table = &EXAMPLE[e.span.range()];
    assert!(table.starts_with("[[rotation]]\nfile"), "{table}");
    assert!(
        table.ends_with("previous_until = 2026-11-27T10:00:00Z"),
        "{table}"
    );
    let bare = &ledger.entries[1];
    assert_eq!(bare.rotated, ts("2026-09-01T00:00:00Z"));
    assert_eq!(bare.by, RotationSource::Record);
    assert_eq!((bare.actor.as_ref(), bare.previous_until), (None, None));
}

#[test]
fn empty_text_and_missing_version_are_fine() {
    assert_eq!(parse_ok(""), Ledger::default());
    let l = parse_ok(
        "[[rotation]]\nfile = \".env\"\nkey = \"K\"\nrotated = 2026-01-01\nby = \"import\"\n",
    );
    assert_eq!(l.entries.len(), 1);
}

#[test]
fn offsets_are_converted_to_utc() {
    let l = parse_ok(
        "[[rotation]]\nfile = \".env\"\nkey = \"K\"\nrotated = 2026-01-01T12:00:00+02:00\nby = \"fix\"\n",
    );
    assert_eq!(l.entries[0].rotated, ts("2026-01-01T10:00:00Z"));
}

#[test]
fn wrong_version_points_at_it() {
    let text = "version = 2\n";
    let errors = parse_err(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(at(text, &errors[0]), "2");
    assert_eq!(
        errors[0].message,
        "unsupported rotation metadata version `2`; this secretlint reads `version = 1`"
    );
    let errors = parse_err("version = \"1\"\n");
    assert_eq!(
        errors[0].message,
        "`version` must be an integer: `version = 1`"
    );
}

#[test]
fn unknown_keys_are_reported_with_suggestions() {
    let text = "versoin = 1\n\n[[rotation]]\nfile = \".env\"\nkey = \"K\"\nrotatd = 2026-01-01\nrotated = 2026-01-01\nby = \"fix\"\n";
    let errors = parse_err(text);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(at(text, &errors[0]), "versoin");
    assert_eq!(
        errors[0].message,
        "unknown key `versoin`; did you mean `version`?"
    );
    assert_eq!(at(text, &errors[1]), "rotatd");
    assert_eq!(
        errors[1].message,
        "unknown key `rotatd` in a `[[rotation]]` entry; did you mean `rotated`?"
    );
}

#[test]
fn bad_dates_point_at_the_date() {
    let text = "version = 1\n\n[[rotation]]\nfile = \".env\"\nkey = \"A\"\nrotated = 2026-01-01T10:00:00\nby = \"fix\"\n\n[[rotation]]\nfile = \".env\"\nkey = \"B\"\nrotated = \"2026-01-01\"\nby = \"fix\"\nprevious_until = 10:00:00\n";
    let errors = parse_err(text);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(at(text, &errors[0]), "2026-01-01T10:00:00");
    assert!(
        errors[0].message.starts_with(
            "could not read `rotated` value `2026-01-01T10:00:00` as a time: it has no UTC offset"
        ),
        "{}",
        errors[0].message
    );
    assert_eq!(at(text, &errors[1]), "\"2026-01-01\"");
    assert!(
        errors[1].message.contains("without quotes"),
        "{}",
        errors[1].message
    );
    assert_eq!(at(text, &errors[2]), "10:00:00");
    assert!(
        errors[2]
            .message
            .ends_with("it is a time of day without a date"),
        "{}",
        errors[2].message
    );
}

#[test]
fn missing_fields_and_bad_values_are_all_reported() {
    let text = "[[rotation]]\nfile = \"C:\\\\app\\\\.env\"\nby = \"manual\"\n";
    let errors = parse_err(text);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`file` must be root-relative and slash-separated, such as `api/.env.production`, not `C:\\app\\.env`",
            "unknown rotation source `manual`; expected one of `fix`, `record`, `import`",
            "`[[rotation]]` entry is missing `key`",
            "`[[rotation]]` entry is missing `rotated`",
        ]
    );
    assert!(at(text, &errors[2]).starts_with("[[rotation]]"));
}

#[test]
fn rotation_must_be_tables() {
    let errors = parse_err("rotation = 3\n");
    assert_eq!(
        errors[0].message,
        "`rotation` must be a list of `[[rotation]]` tables"
    );
    let errors = parse_err("rotation = [1]\n");
    assert_eq!(
        errors[0].message,
        "each `rotation` must be a `[[rotation]]` table"
    );
}

#[test]
fn syntax_errors_have_spans() {
    let errors = parse_err("version = \n[[rotation]\n");
    assert!(!errors.is_empty());
    assert!(
        errors
            .iter()
            .all(|e| e.span.is_some() && !e.message.is_empty())
    );
}

#[test]
fn lookup_takes_the_latest_of_duplicates() {
    let text = "[[rotation]]\nfile = \".env\"\nkey = \"K\"\nrotated = 2026-05-01\nby = \"fix\"\n\n[[rotation]]\nfile = \".env\"\nkey = \"K\"\nrotated = 2026-06-01\nby = \"record\"\n\n[[rotation]]\nfile = \".env\"\nkey = \"K\"\nrotated = 2026-04-01\nby = \"import\"\n";
    let l = parse_ok(text);
    let e = l.lookup(".env", "K").expect("entry");
    assert_eq!(e.rotated, ts("2026-06-01T00:00:00Z"));
    assert_eq!(e.by, RotationSource::Record);
    assert!(l.lookup(".env", "OTHER").is_none());
    assert!(l.lookup("other/.env", "K").is_none());
}

#[test]
fn record_replaces_or_appends() {
    let mut l = parse_ok(EXAMPLE);
    l.record(
        "api/.env.production",
        "SECRET_KEY",
        ts("2026-12-01T08:00:00.75Z"),
        RotationSource::Fix,
        None,
        None,
    );
    l.record(
        "web/.env",
        "SESSION_SECRET",
        ts("2026-12-02T00:00:00Z"),
        RotationSource::Record,
        Some("bob".into()),
        None,
    );
    assert_eq!(l.entries.len(), 3);
    let e = l
        .lookup("api/.env.production", "SECRET_KEY")
        .expect("entry");
    // Sub-second precision is dropped, and the old actor and grace period went with the entry.
    assert_eq!(e.rotated, ts("2026-12-01T08:00:00Z"));
    assert_eq!((e.actor.as_ref(), e.previous_until), (None, None));
    assert_eq!(
        l.lookup("web/.env", "SESSION_SECRET")
            .and_then(|e| e.actor.as_deref()),
        Some("bob")
    );
}

#[test]
fn to_toml_is_sorted_and_exact() {
    let mut l = Ledger::default();
    l.record(
        "b/.env",
        "Z",
        ts("2026-02-01T00:00:00Z"),
        RotationSource::Import,
        None,
        None,
    );
    l.record(
        "a/.env",
        "Y",
        ts("2026-01-01T10:00:00Z"),
        RotationSource::Fix,
        Some("alice@laptop".into()),
        Some(ts("2026-01-08T10:00:00Z")),
    );
    l.record(
        "a/.env",
        "X",
        ts("2026-03-01T00:00:00Z"),
        RotationSource::Record,
        None,
        None,
    );
    let expected = "\
# secretlint rotation metadata: when each secret was last rotated. It holds no values.
version = 1

[[rotation]]
file = \"a/.env\"
key = \"X\"
rotated = 2026-03-01T00:00:00Z
by = \"record\"

[[rotation]]
file = \"a/.env\"
key = \"Y\"
rotated = 2026-01-01T10:00:00Z
by = \"fix\"
actor = \"alice@laptop\"
previous_until = 2026-01-08T10:00:00Z

[[rotation]]
file = \"b/.env\"
key = \"Z\"
rotated = 2026-02-01T00:00:00Z
by = \"import\"
";
    assert_eq!(l.to_toml(), expected);
    assert_eq!(
        Ledger::default().to_toml(),
        format!("{HEADER}\nversion = 1\n")
    );
}

/// Entries without their spans, which depend on the layout of the text they came from.
fn without_spans(l: &Ledger) -> Vec<LedgerEntry> {
    let mut entries = l.entries.clone();
    for e in &mut entries {
        e.span = Span::default();
    }
    entries.sort_by(|a, b| (&a.file, &a.key, a.rotated).cmp(&(&b.file, &b.key, b.rotated)));
    entries
}

#[test]
fn round_trips_through_toml() {
    let original = parse_ok(EXAMPLE);
    let written = original.to_toml();
    let reread = parse_ok(&written);
    assert_eq!(without_spans(&reread), without_spans(&original));
    assert_eq!(reread.to_toml(), written, "writing is idempotent");
}

#[test]
fn round_trips_awkward_strings_and_sub_seconds() {
    let mut l = Ledger::default();
    l.record(
        "dir with \"quotes\"/.env",
        "K\\EY'",
        ts("2026-01-01T00:00:00Z"),
        RotationSource::Fix,
        Some("ünïcode\tactor".into()),
        None,
    );
    // Entries read from a hand-written file keep their sub-seconds and still round-trip.
    l.entries.push(LedgerEntry {
        file: ".env".into(),
        key: "K".into(),
        rotated: ts("2026-01-01T00:00:00.5Z"),
        by: RotationSource::Import,
        actor: None,
        previous_until: None,
        span: Span::default(),
    });
    let reread = parse_ok(&l.to_toml());
    assert_eq!(without_spans(&reread), without_spans(&l));
}
