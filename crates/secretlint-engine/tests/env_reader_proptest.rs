//! Property tests of the .env reader: on generated files it agrees with dotenvy 0.15.7 (as in
//! the differential test), on every string it keeps its span invariants without panicking,
//! and replacing one raw value changes that value and nothing else (lossless rewrites).
//!
//! Generated names all start with `ZQ`/`zq` and the test skips any case whose referenced names
//! happen to be set in the process environment, which dotenvy would consult and we do not.

#![expect(
    clippy::print_stderr,
    reason = "the tests report how much they compared"
)]

#[path = "env_reader/support.rs"]
mod support;

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use secretlint_engine::document::env::{EnvDocument, Quote, parse};
use secretlint_engine::span::Span;

/// Runs `cases` cases of `test` on `strategy` (or `PROPTEST_CASES`, for long runs by hand) and
/// returns how many were run, not skipped.
fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u32 {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    let config = Config {
        cases,
        max_global_rejects: cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let ran = Cell::new(0u32);
    let result = runner.run(&strategy, |value| {
        test(value)?;
        ran.set(ran.get() + 1);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    ran.get()
}

/// Agreement with dotenvy plus the invariants, for one text.
fn agrees(text: &str) -> Result<EnvDocument, TestCaseError> {
    prop_assume!(support::names_set_in_environment(text).is_empty());
    let doc = parse(text);
    support::check_invariants(text, &doc).map_err(TestCaseError::fail)?;
    support::agree_with_dotenvy(text, &doc).map_err(TestCaseError::fail)?;
    Ok(doc)
}

/// What the generated cases covered, so that a generator that stops reaching the tricky cases
/// fails the test instead of passing quietly.
#[derive(Default)]
struct Coverage {
    values: Cell<usize>,
    dotenvy_errors: Cell<usize>,
    hidden_lines: Cell<usize>,
    multi_line: Cell<usize>,
    resolved: Cell<usize>,
    unresolved: Cell<usize>,
    quoted: Cell<usize>,
    comments: Cell<usize>,
}

impl Coverage {
    fn count(&self, text: &str) -> Result<(), TestCaseError> {
        let doc = agrees(text)?;
        let agreement = support::agree_with_dotenvy(text, &doc).map_err(TestCaseError::fail)?;
        let add = |cell: &Cell<usize>, n: usize| cell.set(cell.get() + n);
        add(&self.values, agreement.values);
        add(&self.dotenvy_errors, agreement.errors);
        let hidden = doc
            .errors
            .iter()
            .filter(|e| support::is_hidden_lines_error(&e.message));
        add(&self.hidden_lines, hidden.count());
        let entries = &doc.entries;
        add(
            &self.multi_line,
            entries
                .iter()
                .filter(|e| text[e.span.range()].contains('\n'))
                .count(),
        );
        let references = entries.iter().flat_map(|e| &e.references);
        let (resolved, unresolved): (Vec<_>, Vec<_>) = references.partition(|r| r.resolved);
        add(&self.resolved, resolved.len());
        add(&self.unresolved, unresolved.len());
        add(
            &self.quoted,
            entries.iter().filter(|e| e.quote != Quote::None).count(),
        );
        add(
            &self.comments,
            entries.iter().filter(|e| e.comment.is_some()).count(),
        );
        Ok(())
    }

    /// Prints what was covered and fails when a kind of case never came up, except the kinds in
    /// `by_chance`, which the generator reaches only sometimes (another test covers them).
    fn report(&self, what: &str, cases: u32, by_chance: &[&str]) {
        eprintln!(
            "{what}: {cases} cases, {} values compared, {} dotenvy errors matched, {} hidden-line \
             errors, {} multi-line entries, {} resolved and {} unresolved references, {} quoted \
             values, {} inline comments",
            self.values.get(),
            self.dotenvy_errors.get(),
            self.hidden_lines.get(),
            self.multi_line.get(),
            self.resolved.get(),
            self.unresolved.get(),
            self.quoted.get(),
            self.comments.get(),
        );
        for (name, cell) in [
            ("values", &self.values),
            ("dotenvy errors", &self.dotenvy_errors),
            ("hidden lines", &self.hidden_lines),
            ("multi-line entries", &self.multi_line),
            ("resolved references", &self.resolved),
            ("unresolved references", &self.unresolved),
            ("quoted values", &self.quoted),
            ("inline comments", &self.comments),
        ] {
            assert!(
                cell.get() > 0 || by_chance.contains(&name),
                "{what}: the generator never produced {name}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies

const KEYS: &[&str] = &["ZQA", "ZQB1", "ZQ_C", "zq.d", "_ZQE", "export", "ZQ9x"];

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(KEYS).prop_map(String::from)
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(options).prop_map(String::from)
}

fn concat(
    pieces: impl Strategy<Value = String>,
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(pieces, len).prop_map(|pieces| pieces.concat())
}

/// Short runs of blanks, mostly ASCII, sometimes Unicode ones that dotenvy treats apart.
fn blanks() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        4 => pick(&[" ", "  ", "\t", "   ", " \t"]),
        1 => pick(&["\u{a0}", "\u{3000}", "\u{b}", "\u{c}"]),
    ]
}

/// A reference to a generated key, in both forms.
fn reference() -> impl Strategy<Value = String> {
    (key(), any::<bool>()).prop_map(|(k, braced)| {
        if braced {
            format!("${{{k}}}")
        } else {
            format!("${k}")
        }
    })
}

/// The inside of a double-quoted value: plain text, escapes (some invalid), references,
/// line breaks.
fn double_inside() -> impl Strategy<Value = String> {
    concat(
        prop_oneof![
            6 => pick(&["fake", "a", "Z9", " ", "'", "#", "=", "{", "}", "é", "-", "\t"]),
            3 => pick(&["\\n", "\\\\", "\\\"", "\\$", "\\'", "\\ "]),
            1 => pick(&["\\t", "\\r", "\\x", "\n", "\r\n", "\r", "$", "${}"]),
            2 => reference(),
        ],
        0..8,
    )
}

/// The inside of a single-quoted value: anything but its quote, including backslashes.
fn single_inside() -> impl Strategy<Value = String> {
    concat(
        prop_oneof![
            8 => pick(&["fake", "b", " ", "$ZQA", "${ZQA}", "\"", "#", "=", "\t", "ü"]),
            1 => pick(&["\\", "\\n", "\n", "\r\n"]),
        ],
        0..6,
    )
}

/// An unquoted value part: plain text, escapes, references, and characters that interact.
fn unquoted_inside() -> impl Strategy<Value = String> {
    concat(
        prop_oneof![
            8 => pick(&["fake", "x", "42", "-", ".", "/", ":", "@", "=", "#", "é", "_"]),
            3 => pick(&["\\ ", "\\\\", "\\$", "\\\"", "\\'", "\\n"]),
            3 => reference(),
            1 => pick(&["\\t", "\\", "$", " ", "\u{a0}"]),
        ],
        1..6,
    )
}

/// A raw value token in any style, or several styles glued together.
fn raw_value() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        6 => unquoted_inside(),
        6 => single_inside().prop_map(|s| format!("'{s}'")),
        6 => double_inside().prop_map(|s| format!("\"{s}\"")),
        1 => pick(&["'", "\"", "'unclosed", "\"unclosed", "${ZQA"]),
    ];
    prop_oneof![
        1 => Just(String::new()),
        6 => part.clone(),
        2 => prop::collection::vec(part, 2..4).prop_map(|p| p.concat()),
    ]
}

/// What follows a value: nothing, blanks, or a comment (which may hold quotes).
fn trailing() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        1 => blanks(),
        4 => (pick(&[" ", "  ", "\t", "   ", ""]), comment_text()).prop_map(|(b, c)| format!("{b}#{c}")),
        1 => pick(&[" junk", " more words", "", "", "", "", "", ""]),
    ]
}

fn comment_text() -> impl Strategy<Value = String> {
    concat(
        pick(&[" note", " it's", " \"q\"", " $ZQA", "#", " x=y", " \\"]),
        0..3,
    )
}

fn assignment() -> impl Strategy<Value = String> {
    (
        prop_oneof![6 => Just(String::new()), 1 => pick(&["export ", "export  ", "export\t"])],
        blanks(),
        key(),
        blanks(),
        prop_oneof![30 => Just("="), 1 => Just(""), 1 => Just(" : ")],
        blanks(),
        raw_value(),
        trailing(),
    )
        .prop_map(
            |(export, indent, key, before, equals, after, value, trailing)| {
                format!("{indent}{export}{key}{before}{equals}{after}{value}{trailing}")
            },
        )
}

/// Lines that are not assignments: comments, blanks and some junk.
fn other_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (blanks(), comment_text()).prop_map(|(b, c)| format!("{b}#{c}")),
        3 => blanks(),
    ]
}

fn bad_line() -> impl Strategy<Value = String> {
    pick(&[
        "1BAD=fake",
        "=fake",
        "ZQA fake",
        "ZQ-A=fake",
        "export",
        "export ZQA",
        "\u{feff}ZQA=x",
        "ZQA=a b",
    ])
}

fn terminator() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just("\n"), 3 => Just("\r\n"), 1 => Just("\r")]
}

/// A whole file: lines with terminators, maybe a BOM, maybe no final newline.
fn env_file() -> impl Strategy<Value = String> {
    let line = prop_oneof![6 => assignment(), 2 => other_line(), 1 => bad_line()];
    (
        prop::collection::vec((line, terminator()), 0..12),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(lines, bom, drop_final)| {
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            let count = lines.len();
            for (i, (line, end)) in lines.into_iter().enumerate() {
                text.push_str(&line);
                if !(drop_final && i + 1 == count) {
                    text.push_str(end);
                }
            }
            text
        })
}

/// Lines of characters that matter to the reader, with no structure beyond an optional
/// `KEY=` in front, so that some lines are read as entries.
fn soup() -> impl Strategy<Value = String> {
    let chars = concat(
        pick(&[
            "ZQA", "zq.d", "=", " ", "\t", "#", "'", "\"", "\\", "$", "{", "}", "x", "export ",
            "n", "\u{a0}", "\0", "é", "\u{feff}", "1", "_",
        ]),
        0..12,
    );
    let line = (prop::option::weighted(0.7, key()), chars)
        .prop_map(|(key, rest)| key.map_or(rest.clone(), |k| format!("{k}={rest}")));
    concat(
        (line, pick(&["\n", "\r\n", "\r", ""])).prop_map(|(line, end)| line + &end),
        0..8,
    )
}

// ---------------------------------------------------------------------------------------------
// A family of values whose meaning is known without dotenvy, for the rewrite property.

/// A raw value with the value a program sees, built piece by piece.
#[derive(Debug, Clone)]
struct KnownValue {
    raw: String,
    value: String,
    quote: Quote,
}

fn pieces(
    options: &'static [(&'static str, &'static str)],
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = (String, String)> {
    prop::collection::vec(prop::sample::select(options), len).prop_map(|chosen| {
        chosen.iter().fold(
            (String::new(), String::new()),
            |(mut raw, mut value), (r, v)| {
                raw.push_str(r);
                value.push_str(v);
                (raw, value)
            },
        )
    })
}

fn known_value() -> impl Strategy<Value = KnownValue> {
    const UNQUOTED: &[(&str, &str)] = &[
        ("fake", "fake"),
        ("x", "x"),
        ("9", "9"),
        ("-", "-"),
        ("/", "/"),
        (":", ":"),
        ("@", "@"),
        ("=", "="),
        ("é", "é"),
        ("\\ ", " "),
        ("\\\\", "\\"),
        ("\\$", "$"),
        ("\\\"", "\""),
        ("\\'", "'"),
        ("\\n", "\n"),
    ];
    const SINGLE: &[(&str, &str)] = &[
        ("fake", "fake"),
        (" ", " "),
        ("$ZQA", "$ZQA"),
        ("${ZQA}", "${ZQA}"),
        ("\"", "\""),
        ("#", "#"),
        ("\n", "\n"),
        ("ü", "ü"),
    ];
    const DOUBLE: &[(&str, &str)] = &[
        ("fake", "fake"),
        (" ", " "),
        ("'", "'"),
        ("#", "#"),
        ("\\n", "\n"),
        ("\\\\", "\\"),
        ("\\\"", "\""),
        ("\\$", "$"),
        ("\\'", "'"),
        ("\\ ", " "),
        ("\n", "\n"),
        ("€", "€"),
    ];
    prop_oneof![
        1 => Just(KnownValue { raw: String::new(), value: String::new(), quote: Quote::None }),
        // `#` may follow, but not start, an unquoted value.
        3 => (pieces(UNQUOTED, 1..6), any::<bool>()).prop_map(|((raw, value), hash)| {
            // dotenvy trims the line, so an escaped blank cannot end it.
            let tail = if hash { "#x" } else if raw.ends_with("\\ ") { "x" } else { "" };
            let (raw, value) = (format!("{raw}{tail}"), format!("{value}{tail}"));
            KnownValue { raw, value, quote: Quote::None }
        }),
        3 => pieces(SINGLE, 0..5).prop_map(|(raw, value)| KnownValue { raw: format!("'{raw}'"), value, quote: Quote::Single }),
        3 => pieces(DOUBLE, 0..5).prop_map(|(raw, value)| KnownValue { raw: format!("\"{raw}\""), value, quote: Quote::Double }),
    ]
}

/// A file of known values: assignments, comments and blank lines, every line terminated.
/// Inline comments with quotes follow an odd run of blanks (an even run lets dotenvy read the
/// quote as opening a value, which is a different property).
#[derive(Debug, Clone)]
struct KnownFile {
    text: String,
    /// (key, value, quote) of each assignment, in order.
    entries: Vec<(String, KnownValue)>,
}

fn known_file() -> impl Strategy<Value = KnownFile> {
    let assignment = (
        prop_oneof![3 => Just(""), 1 => Just("export ")],
        key(),
        pick(&["", " ", "\t"]),
        pick(&["", " ", "  "]),
        known_value(),
        prop_oneof![
            3 => Just(String::new()),
            1 => pick(&[" ", "\t\t"]),
            2 => pick(&[" # it's fine", "\t# \"quoted\"", "   # a=b", "  # plain", "    #plain"]),
        ],
    )
        .prop_map(|(export, key, before, after, value, trailing)| {
            // Blanks after `=` would join the blanks before a comment when the value is empty.
            let after = if value.raw.is_empty() {
                ""
            } else {
                after.as_str()
            };
            let text = format!("{export}{key}{before}={after}{}{trailing}", value.raw);
            (text, Some((key, value)))
        });
    let other = pick(&["# a comment with 'quotes'", "", "   ", "\t# indented", "#"])
        .prop_map(|t| (t, None));
    (
        prop::collection::vec(prop_oneof![4 => assignment, 1 => other], 1..10),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(lines, end)| {
            let mut text = String::new();
            let mut entries = Vec::new();
            for (line, entry) in lines {
                text.push_str(&line);
                text.push_str(end);
                entries.extend(entry);
            }
            KnownFile { text, entries }
        })
}

// ---------------------------------------------------------------------------------------------
// Properties

#[test]
fn generated_files_agree_with_dotenvy() {
    let coverage = Coverage::default();
    let ran = run(3000, env_file(), |text| coverage.count(&text));
    coverage.report("generated files", ran, &[]);
    assert!(ran > 2000, "too many cases skipped");
}

#[test]
fn character_soup_agrees_with_dotenvy() {
    let coverage = Coverage::default();
    let ran = run(3000, soup(), |text| coverage.count(&text));
    // The soup makes a resolved reference only when a `$ZQA` happens to follow a `ZQA=` line:
    // in about half the runs. `generated_files_agree_with_dotenvy` builds them on purpose.
    coverage.report("character soup", ran, &["resolved references"]);
    assert!(ran > 2000, "too many cases skipped");
}

#[test]
fn arbitrary_strings_never_panic_and_keep_invariants() {
    let ran = run(3000, any::<String>(), |text| {
        let doc = parse(&text);
        support::check_invariants(&text, &doc).map_err(TestCaseError::fail)?;
        // Agreement too, whenever dotenvy's answer cannot depend on the environment.
        if support::names_set_in_environment(&text).is_empty() {
            support::agree_with_dotenvy(&text, &doc).map_err(TestCaseError::fail)?;
        }
        Ok(())
    });
    eprintln!("arbitrary strings: {ran} cases");
}

#[test]
fn known_values_are_read_as_built() {
    let ran = run(2000, known_file(), |file| {
        let doc = agrees(&file.text)?;
        prop_assert!(
            doc.errors.is_empty(),
            "errors in a well-formed file: {:?}",
            doc.errors
        );
        prop_assert_eq!(doc.entries.len(), file.entries.len());
        for (entry, (key, known)) in doc.entries.iter().zip(&file.entries) {
            prop_assert_eq!(&entry.key, key);
            prop_assert_eq!(entry.value.expose(), known.value.as_str());
            prop_assert_eq!(entry.quote, known.quote);
            prop_assert_eq!(&file.text[entry.raw_value_span.range()], known.raw.as_str());
        }
        Ok(())
    });
    eprintln!("known values: {ran} cases");
}

/// Shifts a span that lies after the edit by the edit's change in length.
fn shifted(span: Span, edit_end: usize, delta: isize) -> Span {
    let shift = |at: usize| {
        if at >= edit_end {
            at.checked_add_signed(delta).unwrap_or(at)
        } else {
            at
        }
    };
    Span::new(shift(span.start), shift(span.end))
}

#[test]
fn replacing_one_raw_value_changes_only_that_value() {
    // The replacement is a non-empty token: emptying a value is a different edit (from
    // right after `=`, so that blanks before a comment keep their count).
    let replacement = known_value().prop_filter("non-empty", |v| !v.raw.is_empty());
    let strategy = (known_file(), any::<prop::sample::Index>(), replacement);
    let ran = run(2000, strategy, |(file, which, replacement)| {
        let before = parse(&file.text);
        prop_assume!(!before.entries.is_empty());
        let i = which.index(before.entries.len());
        let target = before.entries[i].raw_value_span;
        let mut text = file.text.clone();
        text.replace_range(target.range(), &replacement.raw);
        let after = agrees(&text)?;

        let delta = replacement.raw.len() as isize - target.len() as isize;
        let moved = |span: Span| shifted(span, target.end, delta);
        prop_assert!(after.errors.is_empty());
        prop_assert_eq!(after.entries.len(), before.entries.len());
        let new = &after.entries[i];
        prop_assert_eq!(new.value.expose(), replacement.value.as_str());
        prop_assert_eq!(new.quote, replacement.quote);
        prop_assert_eq!(
            new.raw_value_span,
            Span::new(target.start, target.start + replacement.raw.len())
        );
        for (j, (old, new)) in before.entries.iter().zip(&after.entries).enumerate() {
            prop_assert_eq!(&old.key, &new.key);
            prop_assert_eq!(moved(old.key_span), new.key_span);
            prop_assert_eq!(old.comment.map(moved), new.comment);
            prop_assert_eq!(moved(old.span), new.span);
            prop_assert_eq!(old.exported, new.exported);
            if j != i {
                prop_assert_eq!(old.value.expose(), new.value.expose());
                prop_assert_eq!(moved(old.raw_value_span), new.raw_value_span);
                prop_assert_eq!(moved(old.inner_value_span), new.inner_value_span);
                prop_assert_eq!(old.quote, new.quote);
            }
        }
        let comments = |doc: &EnvDocument| doc.comments.iter().map(|c| c.span).collect::<Vec<_>>();
        prop_assert_eq!(
            comments(&before).into_iter().map(moved).collect::<Vec<_>>(),
            comments(&after)
        );
        Ok(())
    });
    eprintln!("lossless rewrites: {ran} cases");
}
