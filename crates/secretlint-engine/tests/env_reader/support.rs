//! Shared by the env reader's differential test and proptests: running dotenvy 0.15.7 as the
//! reference, comparing its answer with ours, and the span invariants every document keeps.
//!
//! Included with `#[path]` so that it is not a test target of its own.

use secretlint_engine::LineIndex;
use secretlint_engine::document::env::{EnvDocument, Quote};
use secretlint_engine::span::Span;

/// What dotenvy's iterator yields for a text: its pairs up to its first error, and the text of
/// the line it failed on.
#[derive(Debug)]
pub struct DotenvyReading {
    pub pairs: Vec<(String, String)>,
    pub error: Option<String>,
}

/// Replaces each CR that is not followed by LF with LF.
pub fn lone_cr_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs dotenvy's iterator on the text.
pub fn dotenvy_reads(input: &str) -> DotenvyReading {
    let mut pairs = Vec::new();
    let mut error = None;
    for item in dotenvy::from_read_iter(input.as_bytes()) {
        match item {
            Ok(pair) => pairs.push(pair),
            Err(dotenvy::Error::LineParse(line, _)) => {
                error = Some(line);
                break;
            }
            Err(other) => panic!("dotenvy failed on valid UTF-8 from memory: {other}"),
        }
    }
    DotenvyReading { pairs, error }
}

/// Every name dotenvy might look up in the process environment while reading the text: the
/// alphanumeric run after each `$`, and the text between `${` and `}`. It is a superset (it
/// ignores quoting), which is what a safety check needs.
pub fn names_dotenvy_may_look_up(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices('$') {
        let rest = &text[at + 1..];
        if let Some(braced) = rest.strip_prefix('{') {
            let name = braced.split('}').next().unwrap_or(braced);
            names.push(name.to_owned());
        }
        let bare: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        names.push(bare);
    }
    names
}

/// Names among [`names_dotenvy_may_look_up`] that are set in this process. dotenvy reads the
/// process environment before the file's own entries, and our reader never does, so the two
/// can be compared only when this is empty. (Unsetting variables would need `unsafe` in
/// edition 2024, which this crate forbids; the fixtures and generators use names with a
/// `ZQ`-style prefix that no environment sets, and this check makes sure.)
pub fn names_set_in_environment(text: &str) -> Vec<String> {
    names_dotenvy_may_look_up(text)
        .into_iter()
        .filter(|name| !name.is_empty() && std::env::var_os(name).is_some())
        .collect()
}

/// Our message for lines that a quote in a comment hides from dotenvy: an error of ours that
/// dotenvy does not report.
pub fn is_hidden_lines_error(message: &str) -> bool {
    message.starts_with("line is read as part of the comment of key")
}

/// What one comparison covered.
#[derive(Debug, Default, Clone, Copy)]
pub struct Agreement {
    /// (key, value) pairs compared.
    pub values: usize,
    /// Lines dotenvy failed on where we reported a syntax error at that line.
    pub errors: usize,
}

/// Compares our document with dotenvy's reading of the same text: every pair dotenvy yields
/// must be ours, in order; if dotenvy stops at a bad line, we must report a syntax error at
/// that line, after the last pair and before our next entry, and the comparison goes on from
/// where we resume. Returns what was compared, or a description of the first disagreement
/// (never quoting values).
///
/// A text with lone CRs is compared through a copy with each lone CR turned into LF: the copy
/// has the same length, so our document of it must have exactly the same spans, keys, errors
/// and comments (values differ only where a quoted value holds a CR), and the copy is what
/// dotenvy reads.
pub fn agree_with_dotenvy(text: &str, doc: &EnvDocument) -> Result<Agreement, String> {
    let converted = lone_cr_to_lf(text);
    if converted == text {
        return agree_exactly(text, doc);
    }
    let converted_doc = secretlint_engine::document::env::parse(&converted);
    same_structure(doc, &converted_doc)?;
    agree_exactly(&converted, &converted_doc)
}

/// Our documents of a text and of its lone-CR-to-LF copy have the same shape.
fn same_structure(doc: &EnvDocument, copy: &EnvDocument) -> Result<(), String> {
    if doc.entries.len() != copy.entries.len() {
        return Err("lone CR read differently from LF: entry count".into());
    }
    for (a, b) in doc.entries.iter().zip(&copy.entries) {
        let same = a.key == b.key
            && a.key_span == b.key_span
            && a.raw_value_span == b.raw_value_span
            && a.inner_value_span == b.inner_value_span
            && a.span == b.span
            && a.comment == b.comment
            && a.quote == b.quote
            && a.exported == b.exported
            && a.line == b.line
            && a.references.len() == b.references.len()
            && a.references.iter().zip(&b.references).all(|(r, q)| {
                // A `${...}` name can hold a CR too.
                r.span == q.span
                    && r.resolved == q.resolved
                    && r.name.replace('\r', "\n") == q.name.replace('\r', "\n")
            })
            && a.value.expose().replace('\r', "\n") == b.value.expose().replace('\r', "\n");
        if !same {
            return Err(format!(
                "lone CR read differently from LF: entry `{}`",
                a.key
            ));
        }
    }
    if doc.errors != copy.errors || doc.comments != copy.comments || doc.bom != copy.bom {
        return Err("lone CR read differently from LF: errors or comments".into());
    }
    Ok(())
}

/// [`agree_with_dotenvy`] for a text without lone CRs.
///
/// dotenvy stops at its first error while we go on, so after each error the comparison goes
/// on too: dotenvy reads the text again from the line where we resume. In those later
/// segments a value with references is compared by key only, since dotenvy no longer knows the
/// entries before the segment.
fn agree_exactly(text: &str, doc: &EnvDocument) -> Result<Agreement, String> {
    let mut agreement = Agreement::default();
    let mut start = 0;
    let mut first = 0;
    loop {
        let segment = &text[start..];
        // Our reader skips a byte order mark on purpose; dotenvy's iterator does not.
        let segment = if start == 0 {
            segment.strip_prefix('\u{feff}').unwrap_or(segment)
        } else {
            segment
        };
        let reference = dotenvy_reads(segment);
        let n = reference.pairs.len();
        let ours = doc
            .entries
            .get(first..first + n)
            .ok_or_else(|| format!("dotenvy read {n} entries from byte {start}, we have fewer"))?;
        for ((key, value), entry) in reference.pairs.iter().zip(ours) {
            if *key != entry.key {
                return Err(format!(
                    "line {}: dotenvy key `{key}`, ours `{}`",
                    entry.line, entry.key
                ));
            }
            let comparable = start == 0 || entry.references.is_empty();
            if comparable {
                if entry.value.expose() != value {
                    return Err(format!("line {} (`{key}`): values differ", entry.line));
                }
                agreement.values += 1;
            }
        }
        let after = ours.last().map_or(start, |e| e.span.end);
        let our_errors = doc
            .errors
            .iter()
            .filter(|e| !is_hidden_lines_error(&e.message));
        let mut our_errors = our_errors.filter(|e| e.span.start >= after);
        let Some(failed_line) = reference.error else {
            if doc.entries.len() != first + n {
                return Err(format!(
                    "dotenvy read {n} entries from byte {start}, we read more"
                ));
            }
            if let Some(e) = our_errors.next() {
                return Err(format!(
                    "dotenvy accepted line {}, we report: {}",
                    e.line, e.message
                ));
            }
            return Ok(agreement);
        };
        let error = our_errors.next().ok_or_else(|| {
            format!("dotenvy failed after line {after}, we report no error there")
        })?;
        let before = doc
            .entries
            .get(first + n)
            .map_or(text.len(), |e| e.span.start);
        if error.span.end > before {
            return Err(format!(
                "dotenvy failed before our entry at byte {before}, our next error (line {}) is after it",
                error.line
            ));
        }
        // dotenvy quotes the logical line (cut at a comment), the value alone for errors in
        // the value, or everything to the end of the text for an unclosed quote.
        let ours = &text[error.span.range()];
        if !(ours.contains(&failed_line) || failed_line.starts_with(ours)) {
            return Err(format!(
                "dotenvy failed on another line than our error at line {}",
                error.line
            ));
        }
        agreement.errors += 1;
        // We resume on the line after the error's span.
        start = match text[error.span.end..].find('\n') {
            Some(offset) => error.span.end + offset + 1,
            None => return Ok(agreement),
        };
        first = doc
            .entries
            .iter()
            .position(|e| e.span.start >= start)
            .unwrap_or(doc.entries.len());
    }
}

fn check_span(text: &str, span: Span, what: &str) -> Result<(), String> {
    if span.start > span.end || span.end > text.len() {
        return Err(format!(
            "{what} {span:?} out of bounds ({} bytes)",
            text.len()
        ));
    }
    if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return Err(format!("{what} {span:?} not on char boundaries"));
    }
    Ok(())
}

fn check_within(outer: Span, inner: Span, what: &str) -> Result<(), String> {
    if outer.contains(inner) {
        Ok(())
    } else {
        Err(format!("{what}: {inner:?} not within {outer:?}"))
    }
}

/// The message templates, with every backticked key replaced by `K`.
const MESSAGES: &[&str] = &[
    "expected `=` after key `K`",
    "expected `=` after the key",
    "expected `KEY=value`; the line has no `=`",
    "expected a key before `=`",
    "invalid character in key",
    "unexpected text after the value of key `K`",
    "invalid escape sequence in the value of key `K`",
    "unterminated `${` reference in the value of key `K`",
    "unterminated single-quoted value for key `K`",
    "unterminated double-quoted value for key `K`",
    "the closing quote of key `K` is read as part of the `$` reference before it (write the \
     reference as `${...}`)",
    "line is read as part of the comment of key `K` because of a quote in that comment",
    "unexpected end of file after a backslash",
    "unexpected end of file after trailing whitespace (add a final newline)",
    "unterminated quote in the comment of key `K`",
    "single-quoted value of key `K` is left open: dotenv does not end it at a quote right after \
     a backslash",
    "unterminated quote in the value of key `K`",
    "unterminated quote",
];

/// The message with each backticked key replaced by `K`.
pub fn message_template(message: &str) -> String {
    let key = regex::Regex::new(r"`[A-Za-z_][A-Za-z0-9_.]*`").expect("valid regex");
    key.replace_all(message, "`K`").into_owned()
}

/// The invariants of every document: spans in bounds and on char boundaries, nested as the
/// fields promise, items sorted and disjoint, keys and simple values equal to their text, line
/// numbers right, messages from the known set.
pub fn check_invariants(text: &str, doc: &EnvDocument) -> Result<(), String> {
    let index = LineIndex::new(text);
    let line_of = |span: Span| index.line_col(span.start).0;
    let mut items: Vec<(Span, &str)> = Vec::new();
    if doc.bom != text.starts_with('\u{feff}') {
        return Err("bom flag wrong".into());
    }
    for (i, e) in doc.entries.iter().enumerate() {
        let what = format!("entry {i} (`{}`)", e.key);
        for (span, name) in [
            (e.span, "span"),
            (e.key_span, "key span"),
            (e.raw_value_span, "raw value span"),
            (e.inner_value_span, "inner value span"),
        ] {
            check_span(text, span, &format!("{what} {name}"))?;
        }
        check_within(e.span, e.key_span, &what)?;
        check_within(e.span, e.raw_value_span, &what)?;
        check_within(e.raw_value_span, e.inner_value_span, &what)?;
        if e.key_span.end >= e.raw_value_span.start {
            return Err(format!("{what}: value does not come after the key"));
        }
        if text[e.key_span.range()] != e.key {
            return Err(format!("{what}: key text differs"));
        }
        let starts_with_key = e.span.start == e.key_span.start;
        let prefixed =
            text[e.span.range()].starts_with("export") && e.key_span.start > e.span.start + 6;
        if (e.exported && !prefixed) || (!e.exported && !starts_with_key) {
            return Err(format!("{what}: exported flag or entry start wrong"));
        }
        if let Some(comment) = e.comment {
            check_span(text, comment, &what)?;
            check_within(e.span, comment, &what)?;
            if !text[comment.range()].starts_with('#') || comment.start < e.raw_value_span.end {
                return Err(format!("{what}: comment misplaced"));
            }
            if comment.end != e.span.end {
                return Err(format!("{what}: comment does not end the entry"));
            }
        }
        for r in &e.references {
            check_span(text, r.span, &what)?;
            check_within(e.raw_value_span, r.span, &what)?;
            let written = &text[r.span.range()];
            if written != format!("${}", r.name) && written != format!("${{{}}}", r.name) {
                return Err(format!("{what}: reference span does not hold the name"));
            }
        }
        if line_of(e.key_span) != e.line {
            return Err(format!(
                "{what}: line {} but key on line {}",
                e.line,
                line_of(e.key_span)
            ));
        }
        check_value_text(text, e)?;
        items.push((e.span, "entry"));
    }
    for c in &doc.comments {
        check_span(text, c.span, "comment")?;
        if !text[c.span.range()].starts_with('#') || line_of(c.span) != c.line {
            return Err(format!("comment {:?} misplaced", c.span));
        }
        items.push((c.span, "comment"));
    }
    for e in &doc.errors {
        check_span(text, e.span, "error span")?;
        check_span(text, e.at, "error at")?;
        check_within(e.span, e.at, "error")?;
        if line_of(e.span) != e.line {
            return Err(format!(
                "error on line {} says line {}",
                line_of(e.span),
                e.line
            ));
        }
        let template = message_template(&e.message);
        if !MESSAGES.contains(&template.as_str()) {
            return Err(format!("unknown message template: {template}"));
        }
        items.push((e.span, "error"));
    }
    items.sort_by_key(|(span, _)| (span.start, span.end));
    for pair in items.windows(2) {
        if pair[0].0.end > pair[1].0.start {
            return Err(format!(
                "{} {:?} overlaps {} {:?}",
                pair[0].1, pair[0].0, pair[1].1, pair[1].0
            ));
        }
    }
    Ok(())
}

/// How a value relates to its written text when nothing is substituted or escaped.
fn check_value_text(
    text: &str,
    e: &secretlint_engine::document::env::EnvEntry,
) -> Result<(), String> {
    let raw = &text[e.raw_value_span.range()];
    let inner = &text[e.inner_value_span.range()];
    let value = e.value.expose();
    let what = format!("entry `{}`", e.key);
    match e.quote {
        Quote::Single => {
            if raw != format!("'{inner}'") || value != inner || !e.references.is_empty() {
                return Err(format!("{what}: single-quoted value differs from its text"));
            }
        }
        Quote::Double => {
            if raw != format!("\"{inner}\"") {
                return Err(format!("{what}: double-quoted raw value not in quotes"));
            }
            if !inner.contains(['\\', '$']) && value != inner {
                return Err(format!(
                    "{what}: plain double-quoted value differs from its text"
                ));
            }
        }
        Quote::None => {
            if e.inner_value_span != e.raw_value_span {
                return Err(format!("{what}: unquoted inner span differs from raw span"));
            }
            if !raw.contains(['\\', '$', '\'', '"']) && value != raw {
                return Err(format!(
                    "{what}: plain unquoted value differs from its text"
                ));
            }
        }
    }
    Ok(())
}
