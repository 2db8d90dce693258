//! Byte arithmetic on YAML source: where a scalar's token and text begin and end, where a
//! block scalar's header is, and what surrounds an entry (its dash, its trailing comment).
//! The parser reports where a node starts and ends; these helpers turn that into the exact
//! bytes a diagnostic underlines and a rewrite replaces.

use saphyr_parser::ScalarStyle;

use crate::span::Span;

/// The token (`raw`) and text (`inner`) spans of a scalar the parser reported at `span`.
///
/// The parser's span of a scalar starts at its anchor or tag, if any; for a block scalar it
/// starts at the first content line (the header is left out) and runs to the indentation of
/// the next token. `prev_end` is the end of the previous event: a block scalar's header lies
/// between it and the content.
pub(super) fn text_spans(
    text: &str,
    span: Span,
    style: ScalarStyle,
    prev_end: usize,
) -> (Span, Span) {
    let start = skip_properties(text, span.start, span.end);
    match style {
        ScalarStyle::Plain => {
            if start == span.end && text[start..].starts_with(':') {
                // A value left out (`KEY:`): the parser points at the colon.
                let at = Span::empty(start + 1);
                return (at, at);
            }
            let s = Span::new(start, span.end);
            (s, s)
        }
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            // The parser's span runs on over a trailing comment: find the closing quote.
            let end = closing_quote(text, start, span.end, style == ScalarStyle::DoubleQuoted)
                .map_or(span.end, |q| q + 1);
            let raw = Span::new(start, end);
            let inner = if raw.len() >= 2 {
                Span::new(raw.start + 1, raw.end - 1)
            } else {
                raw
            };
            (raw, inner)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let end = content_end(text, span.start, span.end);
            let (header, content) =
                if start < span.end && matches!(text.as_bytes()[start], b'|' | b'>') {
                    // With an anchor or a tag, the parser's span starts at them, before the header.
                    (start, first_content(text, start, end))
                } else {
                    let header = block_header(text, prev_end.min(span.start), span.start)
                        .unwrap_or(span.start);
                    (header, span.start)
                };
            (
                Span::new(header, end.max(header)),
                Span::new(content.min(end), end.max(content.min(end))),
            )
        }
    }
}

/// The closing quote of the quoted scalar opening at `open`, before `end`: `''` is an escaped
/// quote in single quotes, `\` escapes the next character in double quotes.
fn closing_quote(text: &str, open: usize, end: usize, double: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = if double { b'"' } else { b'\'' };
    let mut at = open + 1;
    while at < end {
        match bytes[at] {
            b'\\' if double => at += 2,
            b'\'' if !double && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            b if b == quote => return Some(at),
            _ => at += 1,
        }
    }
    None
}

/// The first content character of a block scalar whose header is at `header`: past the rest
/// of the header line, blank lines and the indentation.
fn first_content(text: &str, header: usize, end: usize) -> usize {
    let line = line_end(text, header);
    let next = line
        + if text[line..].starts_with("\r\n") {
            2
        } else {
            1
        };
    let bytes = text.as_bytes();
    let mut at = next.min(end);
    while at < end && matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
        at += 1;
    }
    at
}

/// Skips anchors (`&name`) and tags (`!tag`, `!!str`) and the blanks, line breaks and
/// comments after them.
fn skip_properties(text: &str, mut at: usize, end: usize) -> usize {
    while at < end && matches!(text.as_bytes()[at], b'&' | b'!') {
        let rest = &text[at..end];
        at += rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
        at = skip_blank_lines(text, at, end);
    }
    at
}

/// Skips blanks, line breaks and comments.
fn skip_blank_lines(text: &str, mut at: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    while at < end {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => at = line_end(text, at).min(end),
            _ => break,
        }
    }
    at
}

/// The `|` or `>` of a block scalar whose content starts at `content`, searched from `from`
/// past indicators (`:`, `-`, `?`), properties and comments.
fn block_header(text: &str, from: usize, content: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < content {
        match bytes[at] {
            b'|' | b'>' => return Some(at),
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' | b',' => at += 1,
            b'#' => at = line_end(text, at),
            b'&' | b'!' => at = skip_properties(text, at, content),
            _ => return None,
        }
    }
    None
}

/// The end of a block scalar's last line of content: the parser's span runs on over trailing
/// blank lines to the next token's indentation; blanks that end the last content line are
/// content and stay.
fn content_end(text: &str, start: usize, end: usize) -> usize {
    let slice = &text.as_bytes()[start..end];
    let Some(last) = slice
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    else {
        return start;
    };
    let mut at = start + last + 1;
    while at < end && matches!(text.as_bytes()[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

/// The end of the line holding byte `at`, line terminator excluded.
pub(super) fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[at..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |i| at + i)
}

/// The start of the line holding byte `at`.
pub(super) fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// `span` widened to whole lines, line terminator excluded.
pub(super) fn lines(text: &str, span: Span) -> Span {
    Span::new(
        line_start(text, span.start),
        line_end(text, span.end.max(span.start)),
    )
}

/// The character at byte `at` (empty at the end of the text).
pub(super) fn char_at(text: &str, at: usize) -> Span {
    let at = at.min(text.len());
    let len = text
        .get(at..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

/// A `# comment` after the token ending at `end`, on the same line (`#` included, line
/// terminator excluded).
pub(super) fn trailing_comment(text: &str, end: usize) -> Option<Span> {
    let bytes = text.as_bytes();
    let mut at = end;
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    // A `#` starts a comment only after a blank.
    (at > end && at < bytes.len() && bytes[at] == b'#').then(|| Span::new(at, line_end(text, at)))
}

/// The `-` of the block sequence item whose node starts at `start`, if it is on the same line.
pub(super) fn item_dash(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = start;
    while at > 0 && matches!(bytes[at - 1], b' ' | b'\t') {
        at -= 1;
    }
    (at > 0 && bytes[at - 1] == b'-').then(|| at - 1)
}

/// Full-line comments: lines whose first non-blank character is `#`, outside the scalars
/// written over several lines (`multiline`, sorted), where such a line is text.
pub(super) fn full_line_comments(text: &str, multiline: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut inside = multiline.iter().peekable();
    let mut at = 0;
    while at < text.len() {
        let end = line_end(text, at);
        let line = &text[at..end];
        let trimmed = line.trim_start_matches([' ', '\t', '\u{feff}']);
        if trimmed.starts_with('#') {
            let hash = end - trimmed.len();
            while inside.peek().is_some_and(|s| s.end <= hash) {
                inside.next();
            }
            if inside.peek().is_none_or(|s| s.start > hash) {
                out.push(Span::new(hash, end));
            }
        }
        // Past the terminator: `\r\n`, `\n` or a lone `\r`.
        at = end
            + if text[end..].starts_with("\r\n") {
                2
            } else {
                1
            };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_content_keeps_blanks_that_end_its_last_line() {
        let text = "a: |\n  x  \n\n  \nb: 1";
        let start = text.find('x').unwrap_or(0);
        let end = text.find('b').unwrap_or(0);
        assert_eq!(&text[start..content_end(text, start, end)], "x  ");
    }

    #[test]
    fn comments_inside_block_scalars_are_text() {
        let text = "# one\na: |\n  # not a comment\n  x\n  # two\nb: 1 # trailing\n";
        let start = text.find("  # not").unwrap_or(0) + 2;
        let end = text.find("b:").unwrap_or(0);
        let found: Vec<&str> = full_line_comments(text, &[Span::new(start, end)])
            .iter()
            .map(|s| &text[s.range()])
            .collect();
        assert_eq!(found, ["# one"]);
        assert_eq!(
            trailing_comment(text, text.find(" # trailing").unwrap_or(0)).map(|s| &text[s.range()]),
            Some("# trailing")
        );
    }

    #[test]
    fn a_hash_inside_a_plain_token_is_not_a_comment() {
        assert_eq!(trailing_comment("a: b#c", 4), None);
        assert_eq!(trailing_comment("a: 'b' # c", 6).map(|s| s.start), Some(7));
    }
}
