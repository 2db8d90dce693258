//! What each fuzz target checks, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*`, on
//! nightly) and the regression test that replays every crash they found (`fuzz_regressions.rs`,
//! on stable), so a fixed crash stays fixed under exactly the checks that found it.
//!
//! Included with `#[path]` so that it is not a test target of its own. Every function takes
//! the fuzzer's raw bytes and panics when an invariant does not hold.

#![allow(dead_code, reason = "each includer uses only some of the targets")]

#[path = "../env_reader/support.rs"]
mod support;

use std::sync::OnceLock;

use secretlint_engine::document::{Document, DocumentKind};
use secretlint_engine::mask::masked_text;
use secretlint_engine::span::Span;
use secretlint_engine::{CheckOptions, Input, Policy, PolicyOrigin, Report};

/// The clock every fuzzed check runs at, so that a crash reproduces on any day.
const NOW: &str = "2026-11-30T12:00:00Z";

/// The env reader on any text: every span invariant of the lossless reader holds, and the
/// reader agrees with dotenvy 0.15.7 whenever dotenvy's answer cannot depend on the process
/// environment. Bytes that are not UTF-8 are replaced, as the disk layer never hands the
/// reader anything but valid UTF-8.
pub fn env_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let doc = secretlint_engine::document::env::parse(&text);
    if let Err(e) = support::check_invariants(&text, &doc) {
        panic!("env reader invariant: {e}");
    }
    if support::names_set_in_environment(&text).is_empty()
        && let Err(e) = support::agree_with_dotenvy(&text, &doc)
    {
        panic!("env reader disagrees with dotenvy: {e}");
    }
    // The engine's document view of the same text.
    let document = Document::parse(DocumentKind::Env, &text);
    assert_eq!(document.entries.len(), doc.entries.len());
}

/// The policy loader on any text: it returns a policy or errors whose spans point into the
/// text, never panics, and a policy it accepts can check files without panicking.
pub fn policy_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let policy = match Policy::from_toml(&text, PolicyOrigin::File("fuzz.toml".into())) {
        Ok(policy) => policy,
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "an error without a diagnostic");
            for d in &e.diagnostics {
                if let Some(span) = d.span {
                    check_span(&e.text, span, "policy diagnostic");
                }
                assert!(!d.message.is_empty(), "an empty diagnostic message");
            }
            return;
        }
    };
    // A few paths and keys that the built-in policies and typical fuzzed ones name.
    for path in [".env", "api/.env.production", "k8s/production/s.yaml", ""] {
        let _ = policy.environment_for(path);
    }
    let inputs = vec![
        Input::text(
            ".env.production",
            "SECRET_KEY=dev-secret\nDATABASE_URL=postgres://u:pw@h/db\nPOSTGRES_PASSWORD=pw\n\
             API_KEY=Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA\n# rotated: 2026-01-01\nJWT_SECRET=\n",
        ),
        Input::text(
            ".env.staging",
            "SECRET_KEY=dev-secret\nAPI_KEY=Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA\n",
        ),
        Input::text(".env", "SECRET_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"),
        Input::text(".env.example", "SECRET_KEY=changeme\nAPI_KEY=\n"),
    ];
    let report = run_check(&policy, inputs);
    check_report(&report);
}

/// The whole check on fuzzed files under the reference policy: the input is split at `0xFF`
/// bytes (never part of UTF-8) into up to four files of different environments, so that
/// cross-file rules run too. Every finding points into its file, and no message, note or
/// related message shows a value.
pub fn check_files(data: &[u8]) {
    const NAMES: [&str; 4] = [
        "api/.env.production",
        "api/.env.staging",
        "web/.env.production",
        "api/.env.example",
    ];
    let inputs: Vec<Input> = data
        .split(|&b| b == 0xFF)
        .zip(NAMES)
        .map(|(bytes, name)| Input::text(name, String::from_utf8_lossy(bytes)))
        .collect();
    let report = run_check(jobswipe(), inputs);
    check_report(&report);
}

/// The manifest reader on any text, read as each kind it can be asked for: every span points
/// into the text, and the whole check over the text as a production Kubernetes manifest and
/// as a compose file keeps every report invariant. The reader's own limits (nodes, depth,
/// alias expansion) keep each input within libFuzzer's time and memory limits.
pub fn yaml_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for want in [
        DocumentKind::Yaml,
        DocumentKind::KubernetesSecret,
        DocumentKind::Compose,
    ] {
        check_document(&text, &Document::parse(want, &text));
    }
    let inputs = vec![
        Input::text("k8s/production/secret.yaml", &*text),
        Input::text("docker-compose.yml", &*text),
    ];
    let report = run_check(jobswipe(), inputs);
    check_report(&report);
}

/// Every span of a document is ordered, inside the text and on character boundaries, and a
/// value's inner span lies within its raw span.
pub fn check_document(text: &str, doc: &Document) {
    for e in &doc.entries {
        for (span, what) in [
            (e.span, "entry span"),
            (e.key_span, "key span"),
            (e.raw_value_span, "raw value span"),
            (e.inner_value_span, "inner value span"),
        ] {
            check_span(text, span, what);
        }
        assert!(
            e.raw_value_span.contains(e.inner_value_span),
            "inner value span outside the raw value span"
        );
        if let Some(c) = e.comment {
            check_span(text, c, "comment span");
        }
    }
    for c in &doc.comments {
        check_span(text, *c, "comment");
    }
    for err in &doc.errors {
        check_span(text, err.span, "error span");
        check_span(text, err.at, "error location");
        assert!(!err.message.is_empty(), "an empty error message");
    }
}

/// The fix applier: values (from the input) written into a document (from the input) the way
/// `fix` writes them, each encoded for its entry's quoting or YAML style, the edits applied,
/// and the text read again. Every value reads back exactly as written, every other entry keeps
/// its key and value, and nothing new fails to parse.
///
/// Input: a kind byte (env, Kubernetes Secret, compose), the text up to a `0xFF` byte, then
/// the values separated by `0xFE` bytes (neither byte occurs in UTF-8).
pub fn fix_applier(data: &[u8]) {
    use secretlint_engine::fix::edit::encode_value;
    use secretlint_engine::fix::{Edit, apply_edits};

    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let kind = match kind % 3 {
        0 => DocumentKind::Env,
        1 => DocumentKind::KubernetesSecret,
        _ => DocumentKind::Compose,
    };
    let (text, values) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    let values: Vec<String> = values
        .split(|&b| b == 0xFE)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    let before = Document::parse(kind, &text);
    check_document(&text, &before);
    if values.is_empty() {
        return;
    }
    // A quote outside every value (`DOngeme'` on a line of its own, `# it's` in a comment)
    // can pair with a quote a new value brings, and the lines between then read as one. The
    // encoder cannot prevent that; `fix` catches it by reading every rewritten file back and
    // dropping the rotation (`read_back_ok`), so here quoted values go only into files
    // without such a quote.
    let stray_quote = kind == DocumentKind::Env
        && text.char_indices().any(|(i, c)| {
            matches!(c, '\'' | '"' | '`')
                && !before
                    .entries
                    .iter()
                    .any(|e| e.raw_value_span.range().contains(&i))
        });
    let mut edits = Vec::new();
    let mut written = std::collections::HashMap::new();
    for (i, e) in before.entries.iter().enumerate() {
        // A value reached through a YAML alias shares its span with the anchor's entry: one
        // edit changes both, which `fix` plans as one; an empty span needs the care described
        // on `document::env::parse` (a blank before a comment), which the planner takes.
        let shared =
            before
                .entries
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && o.raw_value_span.range().contains(&e.raw_value_span.start))
                || before.entries.iter().enumerate().any(|(j, o)| {
                    j != i && e.raw_value_span.range().contains(&o.raw_value_span.start)
                });
        if shared || e.raw_value_span.is_empty() {
            continue;
        }
        let value = &values[i % values.len()];
        let Ok(token) = encode_value(e.encoding, value) else {
            continue;
        };
        // The same holds for a quote a value takes away: it may have paired with one outside.
        let old_raw = &text[e.raw_value_span.range()];
        if stray_quote && (token.contains(['\'', '"', '`']) || old_raw.contains(['\'', '"', '`'])) {
            continue;
        }
        edits.push(Edit {
            span: e.raw_value_span,
            text: token,
        });
        written.insert(i, value.clone());
    }
    let Ok(after_text) = apply_edits(&text, &edits) else {
        panic!("edits of disjoint value spans overlap");
    };
    let after = Document::parse(kind, &after_text);
    check_document(&after_text, &after);
    // In a file that already has syntax errors, what a value's neighbours mean can hinge on
    // them (a YAML complex key beside the value, a quote in a comment). `fix` reads every
    // rewritten file back and drops a rotation whose errors or other values would change
    // (`read_back_ok`); the encoder's own promise is checked on files that read cleanly.
    if !before.errors.is_empty() {
        return;
    }
    assert_eq!(
        after.entries.len(),
        before.entries.len(),
        "writing values changed the number of entries"
    );
    assert!(
        after.errors.len() <= before.errors.len(),
        "writing values made the file fail to parse"
    );
    for (i, (old, new)) in before.entries.iter().zip(&after.entries).enumerate() {
        assert_eq!(old.key, new.key, "writing values changed a key");
        match written.get(&i) {
            Some(value) => assert!(
                new.value.expose() == value,
                "a written value of {} bytes reads back differently ({:?})",
                value.len(),
                old.encoding
            ),
            // A `$NAME` in another value follows the value it names: that is the point.
            None if old.has_references => {}
            None => assert!(
                new.value.expose() == old.value.expose(),
                "writing one value changed another"
            ),
        }
    }
}

/// The reference policy, compiled once: the fuzzer runs thousands of inputs a second.
fn jobswipe() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let text = secretlint_engine::policy::builtin("jobswipe").expect("built-in policy");
        Policy::from_toml(text, PolicyOrigin::Builtin("jobswipe")).expect("it loads")
    })
}

fn run_check(policy: &Policy, inputs: Vec<Input>) -> Report {
    let options = CheckOptions {
        now: NOW.parse().ok(),
        ..CheckOptions::default()
    };
    secretlint_engine::check(policy, inputs, &options)
}

/// What every report keeps, whatever it was made from.
pub fn check_report(report: &Report) {
    for f in &report.findings {
        let file = report.files.get(f.file).expect("finding names a file");
        check_span(&file.text, f.span, f.rule.id());
        for r in &f.related {
            let other = report.files.get(r.file).expect("related names a file");
            check_span(&other.text, r.span, "related span");
        }
    }
    for file in &report.files {
        let masked = masked_text(file);
        assert_eq!(masked.len(), file.text.len(), "masking changed the length");
        for (a, b) in masked.bytes().zip(file.text.bytes()) {
            assert_eq!(
                a == b'\n' || a == b'\r',
                b == b'\n' || b == b'\r',
                "masking moved a line break"
            );
        }
        for entry in &file.document.entries {
            let raw = &masked.as_bytes()[entry.raw_value_span.range()];
            assert!(
                raw.iter().all(|&b| matches!(b, b'*' | b'\n' | b'\r')),
                "a value is not masked"
            );
        }
    }
    check_no_value_in_messages(report);
}

/// Nothing the masked copy of a file hides appears in a message, a note, a related message or
/// a key: the masked copy hides every value and every line that could not be read (it may be
/// a value without its key), and a message must not show more than the snippet beside it.
///
/// Only words that look like real secrets are searched for (12 characters or more, with
/// upper- and lowercase letters and digits), and only when the same word does not also
/// appear unmasked in some file (as a key, or in a comment, which messages may quote).
fn check_no_value_in_messages(report: &Report) {
    let mut texts: Vec<&str> = Vec::new();
    for f in &report.findings {
        texts.push(&f.message);
        texts.extend(f.notes.iter().map(|n| &**n));
        texts.extend(f.related.iter().map(|r| r.message.as_str()));
        if let Some(k) = &f.key {
            texts.push(k);
        }
    }
    let public: Vec<String> = report.files.iter().map(masked_text).collect();
    for (file, masked) in report.files.iter().zip(&public) {
        for word in hidden_words(&file.text, masked) {
            let secret_like = word.len() >= 12
                && word.chars().any(|c| c.is_ascii_digit())
                && word.chars().any(|c| c.is_ascii_uppercase())
                && word.chars().any(|c| c.is_ascii_lowercase());
            if !secret_like || public.iter().any(|p| p.contains(word)) {
                continue;
            }
            for t in &texts {
                assert!(
                    !t.contains(word),
                    "a hidden word of {} bytes appears in a message",
                    word.len()
                );
            }
        }
    }
}

/// The blank-separated words of `text` that `masked` hides entirely.
fn hidden_words<'t>(text: &'t str, masked: &str) -> Vec<&'t str> {
    let hidden: Vec<bool> = text
        .bytes()
        .zip(masked.bytes())
        .map(|(t, m)| m == b'*' && t != b'*')
        .collect();
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let inside =
            i < text.len() && !c.is_whitespace() && hidden[i..i + c.len_utf8()].iter().all(|&h| h);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// `span` is ordered, inside `text` and on character boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(
        text.get(span.range()).is_some(),
        "{what}: span {span:?} outside the text ({} bytes) or not on a character boundary",
        text.len()
    );
}
