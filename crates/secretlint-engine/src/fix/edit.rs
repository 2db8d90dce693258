//! Byte edits and how a value is written: sorted, non-overlapping replacements applied to a
//! text, and the token a new value becomes in each encoding (dotenv quoting, YAML styles,
//! a Kubernetes Secret's base64) so that a rewrite keeps the file's way of writing values.

use base64::Engine as _;

use crate::document::env::Quote;
use crate::document::{ValueEncoding, YamlStyle};
use crate::span::Span;

/// A replacement of the bytes `span` of one text. The replacement may hold a secret value:
/// an `Edit` is never formatted (its `Debug` shows only the span and the length).
#[derive(Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl std::fmt::Debug for Edit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Edit({}..{} <- {} bytes)",
            self.span.start,
            self.span.end,
            self.text.len()
        )
    }
}

/// Two edits of one text that touch the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("edits overlap at bytes {at}")]
pub struct Overlap {
    pub at: usize,
}

/// Applies `edits` to `text`. Edits are sorted by position first (insertions at one offset
/// keep their order); two edits that touch the same bytes are an error, never a guess.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, Overlap> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut at = 0;
    for e in sorted {
        if e.span.start < at || e.span.end > text.len() || e.span.start > e.span.end {
            return Err(Overlap { at: e.span.start });
        }
        out.push_str(text.get(at..e.span.start).ok_or(Overlap { at })?);
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(text.get(at..).ok_or(Overlap { at })?);
    Ok(out)
}

/// Characters a dotenv value may hold without quotes (and a YAML plain scalar, when it does
/// not start with an indicator): nothing a shell that sources the file or a YAML reader
/// would read as syntax.
fn plain_safe(value: &str) -> bool {
    !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=' | b':' | b'@' | b'%' | b','
                )
        })
}

/// Why a value cannot be written in an encoding without changing what the file means.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("a value with these characters cannot be written in this quoting style")]
    Unquotable,
    #[error("YAML block scalars are not rewritten; change this value by hand")]
    BlockScalar,
}

/// The token that replaces a value's raw span (quotes included) so that the file reads back
/// as `value`, written in the style of `encoding`.
///
/// Generated values only hold letters, digits and `-_.~+/=`, which every style takes as is;
/// other values (a copied shared secret) are checked and refused rather than mis-escaped.
pub fn encode_value(encoding: ValueEncoding, value: &str) -> Result<String, EncodeError> {
    match encoding {
        ValueEncoding::Env(quote) => encode_env(quote, value),
        // Inside a compose `- KEY=value` item the scalar's own quoting is already there: only a
        // value that needs no escaping in any style can go in as it is.
        ValueEncoding::Yaml {
            list_item: true, ..
        } => {
            // A `:` at the end would make the item a mapping key (`- KEY=abc:`; fuzz find).
            if plain_safe(value) && !value.contains(['"', '\'', '\\']) && !value.ends_with(':') {
                Ok(value.to_owned())
            } else {
                Err(EncodeError::Unquotable)
            }
        }
        ValueEncoding::Yaml {
            base64: true,
            style,
            ..
        } => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(value.as_bytes());
            encode_yaml(style, &encoded)
        }
        ValueEncoding::Yaml { style, .. } => encode_yaml(style, value),
    }
}

fn encode_env(quote: Quote, value: &str) -> Result<String, EncodeError> {
    let no_newline = !value.contains(['\n', '\r']);
    // A NUL makes the file read as binary, and every value in it unchecked.
    if value.contains('\0') {
        return Err(EncodeError::Unquotable);
    }
    match quote {
        Quote::None if plain_safe(value) => Ok(value.to_owned()),
        // An unquoted value that needs quotes keeps its meaning in single quotes (literal),
        // unless it ends in an odd run of backslashes: dotenvy's line joiner reads `\'` as an
        // escaped quote even there, so `'a\'` would stay open and swallow the lines after it
        // (found by the `fix_applier` fuzz target).
        Quote::None | Quote::Single
            if no_newline && !value.contains('\'') && !ends_in_escape(value) =>
        {
            Ok(format!("'{value}'"))
        }
        Quote::Double if no_newline && !value.contains(['"', '\\', '$', '`']) => {
            Ok(format!("\"{value}\""))
        }
        _ => Err(EncodeError::Unquotable),
    }
}

/// Whether `value` ends in an odd number of backslashes, which would escape a closing quote.
fn ends_in_escape(value: &str) -> bool {
    value.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

fn encode_yaml(style: YamlStyle, value: &str) -> Result<String, EncodeError> {
    let no_newline = !value.contains(['\n', '\r']);
    // YAML allows only printable characters in a stream (tab aside): a NUL or another
    // control character would make the whole file unreadable (found by the `fix_applier`
    // fuzz target). Generated values never hold one; a value that does is not written.
    if !value.chars().all(yaml_printable) {
        return Err(EncodeError::Unquotable);
    }
    // docker compose reads `$NAME` in any value as a variable, quoted or not: a value with a
    // `$` would read back as something else there (found by the `fix_applier` fuzz target).
    // Generated values never hold one, and a Kubernetes Secret's `data` is base64 by now.
    if value.contains('$') {
        return Err(EncodeError::Unquotable);
    }
    match style {
        YamlStyle::Plain
            if plain_safe(value)
                && value.starts_with(|c: char| c.is_ascii_alphanumeric())
                && !value.contains(": ")
                && !value.ends_with(':') =>
        {
            Ok(value.to_owned())
        }
        YamlStyle::Plain | YamlStyle::SingleQuoted if no_newline => {
            Ok(format!("'{}'", value.replace('\'', "''")))
        }
        YamlStyle::DoubleQuoted if no_newline && !value.contains(['"', '\\']) => {
            Ok(format!("\"{value}\""))
        }
        YamlStyle::Block => Err(EncodeError::BlockScalar),
        _ => Err(EncodeError::Unquotable),
    }
}

/// YAML 1.2's `c-printable`, without the line breaks (handled by each style).
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}')
        || matches!(c, '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The start of the line holding byte `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// The first byte after the line terminator that follows `at` (the end of the text when the
/// line has none), and whether a terminator was found.
pub fn after_line(text: &str, at: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut i = at.min(bytes.len());
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    match (bytes.get(i), bytes.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => (i + 2, true),
        (Some(_), _) => (i + 1, true),
        (None, _) => (i, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit {
            span: Span::new(start, end),
            text: text.into(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_overlaps_are_refused() {
        let text = "A=1\nB=2\n";
        assert_eq!(
            apply_edits(text, &[edit(6, 7, "xyz"), edit(2, 3, "q")]).unwrap(),
            "A=q\nB=xyz\n"
        );
        assert_eq!(
            apply_edits(text, &[edit(8, 8, "C=3\n")]).unwrap(),
            "A=1\nB=2\nC=3\n"
        );
        assert!(apply_edits(text, &[edit(2, 5, "x"), edit(4, 6, "y")]).is_err());
        assert!(apply_edits(text, &[edit(2, 50, "x")]).is_err());
    }

    #[test]
    fn values_keep_their_quoting_style() {
        let env = |q| ValueEncoding::Env(q);
        assert_eq!(encode_value(env(Quote::None), "ab+/=").unwrap(), "ab+/=");
        assert_eq!(encode_value(env(Quote::Single), "ab").unwrap(), "'ab'");
        assert_eq!(encode_value(env(Quote::Double), "ab").unwrap(), "\"ab\"");
        assert_eq!(encode_value(env(Quote::None), "a b").unwrap(), "'a b'");
        assert!(encode_value(env(Quote::Double), "a$b").is_err());
        assert!(encode_value(env(Quote::Single), "a'b").is_err());
        let yaml = |style, base64| ValueEncoding::Yaml {
            style,
            base64,
            list_item: false,
        };
        assert_eq!(
            encode_value(yaml(YamlStyle::Plain, true), "hello").unwrap(),
            "aGVsbG8="
        );
        assert_eq!(
            encode_value(yaml(YamlStyle::Plain, false), "-x").unwrap(),
            "'-x'"
        );
        assert!(encode_value(yaml(YamlStyle::Block, false), "x").is_err());
    }

    #[test]
    fn lines_are_found_with_every_terminator() {
        let text = "A=1\r\nB=2\rC=3";
        assert_eq!(line_start(text, 6), 5);
        assert_eq!(after_line(text, 0), (5, true));
        assert_eq!(after_line(text, 5), (9, true));
        assert_eq!(after_line(text, 9), (12, false));
    }
}
