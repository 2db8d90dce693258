//! Inline rotation dates: a `# rotated: 2026-09-01` comment kept next to a secret in its env
//! file, found and read with the span of the date so findings can point at it.
//!
//! The comment may be
//!
//! - the trailing comment on the entry's own line: `API_KEY=... # rotated: 2026-09-01`, or
//! - a full-line comment on the line directly above the entry, with no blank line between.
//!
//! The own-line comment wins when both exist. `rotated:` is matched case-insensitively after
//! the `#` marks and blanks, and the colon is required: `# rotated 2026-09-01` is an ordinary
//! comment, because prose such as "# rotated by hand when bob left" must not be misread as a
//! malformed date. The date is the first blank-separated word after the colon, either a bare
//! date (midnight UTC) or an RFC 3339 time with an offset (`2026-09-01T10:00:00Z`); anything
//! after it (`# rotated: 2026-09-01 by alice`) is free text.

use jiff::Timestamp;

use crate::document::{Document, Entry};
use crate::span::Span;

use super::parse_when;

const MARKER: &str = "rotated:";

/// A readable `# rotated:` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotated {
    pub at: Timestamp,
    /// The date text in the file.
    pub span: Span,
}

/// A `# rotated:` comment whose date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationError {
    /// The bad date text (empty, right after the colon, when the date is missing).
    pub span: Span,
    /// Quotes the date text, which is not a secret: "could not read `2026-13-01` as a date: ...".
    pub message: String,
}

/// The `# rotated:` annotation of `entry` in `text`, if it has one; `Some(Err(..))` when the
/// annotation is there but its date is unreadable. `doc` must be parsed from `text`.
pub fn rotation_annotation(
    text: &str,
    doc: &Document,
    entry: &Entry,
) -> Option<Result<Annotated, AnnotationError>> {
    // A trailing comment that is not an annotation ("# used by billing") does not hide one on
    // the line above.
    entry
        .comment
        .and_then(|own| read_comment(text, own))
        .or_else(|| comment_directly_above(text, doc, entry).and_then(|c| read_comment(text, c)))
}

/// The full-line comment that ends on the line right before the entry starts.
///
/// Comments are in file order, so the last one ending before the entry is the only candidate;
/// it is directly above when nothing but one line break and the entry's indentation separates
/// them. This avoids building a line index per entry.
fn comment_directly_above(text: &str, doc: &Document, entry: &Entry) -> Option<Span> {
    let before = doc.comments.partition_point(|c| c.end <= entry.span.start);
    let candidate = *doc.comments.get(before.checked_sub(1)?)?;
    let gap = text.get(candidate.end..entry.span.start)?;
    let rest = gap
        .strip_prefix("\r\n")
        .or_else(|| gap.strip_prefix(['\n', '\r']))?;
    rest.bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(candidate)
}

/// Reads one comment (`#` included); `None` when it is not a `rotated:` annotation.
fn read_comment(text: &str, comment: Span) -> Option<Result<Annotated, AnnotationError>> {
    let body = text.get(comment.range())?;
    let after_hashes = body.trim_start_matches('#');
    let marked = after_hashes.trim_start();
    let marker = marked.get(..MARKER.len())?;
    if !marker.eq_ignore_ascii_case(MARKER) {
        return None;
    }
    let after_marker = &marked[MARKER.len()..];
    let from_date = after_marker.trim_start();
    let date_text = from_date.split(char::is_whitespace).next().unwrap_or("");
    // Offsets within the comment are measured from its end, since only prefixes were cut.
    let offset_of = |rest: &str| comment.start + (body.len() - rest.len());
    if date_text.is_empty() {
        return Some(Err(AnnotationError {
            span: Span::empty(offset_of(after_marker)),
            message: "missing date after `rotated:`; write it as `# rotated: 2026-09-01`".into(),
        }));
    }
    let start = offset_of(from_date);
    let span = Span::new(start, start + date_text.len());
    Some(match parse_when(date_text) {
        Ok(at) => Ok(Annotated { at, span }),
        Err(reason) => Err(AnnotationError {
            span,
            message: format!("could not read `{date_text}` as a date: {reason}"),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocumentKind;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    /// The annotation of `key` in `text`.
    fn annotation(text: &str, key: &str) -> Option<Result<Annotated, AnnotationError>> {
        let doc = Document::parse(DocumentKind::Env, text);
        let entry = doc.entries.iter().find(|e| e.key == key).expect("test key");
        rotation_annotation(text, &doc, entry)
    }

    /// The date and the text its span covers.
    fn date_at(text: &str, key: &str) -> (Timestamp, String) {
        match annotation(text, key) {
            Some(Ok(a)) => (a.at, text[a.span.range()].to_owned()),
            other => panic!("expected an annotation, got {other:?}"),
        }
    }

    #[test]
    fn trailing_comment_on_the_entry_line() {
        let text = "A=1\nAPI_KEY=abc # rotated: 2026-09-01\n";
        assert_eq!(
            date_at(text, "API_KEY"),
            (ts("2026-09-01T00:00:00Z"), "2026-09-01".into())
        );
    }

    #[test]
    fn full_line_comment_directly_above() {
        let text = "A=1\n# rotated: 2026-09-01T10:00:00Z\nAPI_KEY=abc\n";
        assert_eq!(
            date_at(text, "API_KEY"),
            (ts("2026-09-01T10:00:00Z"), "2026-09-01T10:00:00Z".into())
        );
        assert!(annotation(text, "A").is_none());
    }

    #[test]
    fn crlf_and_indentation_still_count_as_directly_above() {
        let text = "# rotated: 2026-09-01\r\n  API_KEY=abc\r\n";
        assert_eq!(date_at(text, "API_KEY").1, "2026-09-01");
    }

    #[test]
    fn export_and_multi_line_entries_are_found() {
        let text = "# rotated: 2026-09-01\nexport API_KEY=abc\nCERT=\"line1\nline2\" # rotated: 2026-08-01\n";
        assert_eq!(date_at(text, "API_KEY").1, "2026-09-01");
        assert_eq!(date_at(text, "CERT").1, "2026-08-01");
    }

    #[test]
    fn a_blank_line_breaks_the_link() {
        assert!(annotation("# rotated: 2026-09-01\n\nAPI_KEY=abc\n", "API_KEY").is_none());
        assert!(annotation("# rotated: 2026-09-01\n  \nAPI_KEY=abc\n", "API_KEY").is_none());
    }

    #[test]
    fn only_the_next_entry_gets_the_comment_above() {
        let text = "# rotated: 2026-09-01\nA=1\nB=2\n";
        assert!(annotation(text, "A").is_some());
        assert!(annotation(text, "B").is_none());
    }

    #[test]
    fn a_comment_two_lines_up_does_not_count() {
        let text = "# rotated: 2026-09-01\n# owner: payments\nAPI_KEY=abc\n";
        assert!(annotation(text, "API_KEY").is_none());
    }

    #[test]
    fn own_line_comment_wins_over_the_line_above() {
        let text = "# rotated: 2026-01-01\nAPI_KEY=abc # rotated: 2026-09-01\n";
        assert_eq!(date_at(text, "API_KEY").0, ts("2026-09-01T00:00:00Z"));
    }

    #[test]
    fn an_unrelated_own_line_comment_falls_back_to_the_line_above() {
        let text = "# rotated: 2026-01-01\nAPI_KEY=abc # used by billing\n";
        assert_eq!(date_at(text, "API_KEY").0, ts("2026-01-01T00:00:00Z"));
    }

    #[test]
    fn marker_is_case_insensitive_and_tolerates_layout() {
        assert!(matches!(
            annotation("K=v # Rotated: 2026-09-01\n", "K"),
            Some(Ok(_))
        ));
        assert!(matches!(
            annotation("K=v #ROTATED:2026-09-01\n", "K"),
            Some(Ok(_))
        ));
        assert!(matches!(
            annotation("## rotated:\t2026-09-01 by alice\nK=v\n", "K"),
            Some(Ok(_))
        ));
    }

    #[test]
    fn the_colon_is_required() {
        assert!(annotation("K=v # rotated 2026-09-01\n", "K").is_none());
        assert!(annotation("# rotated by hand when bob left\nK=v\n", "K").is_none());
        assert!(annotation("K=v # last rotated: 2026-09-01\n", "K").is_none());
    }

    #[test]
    fn no_comment_no_annotation() {
        assert!(annotation("K=v\n", "K").is_none());
    }

    #[test]
    fn a_bad_date_is_an_error_pointing_at_it() {
        let text = "K=v # rotated: 2026-13-01\n";
        let Some(Err(e)) = annotation(text, "K") else {
            panic!("expected an error")
        };
        assert_eq!(&text[e.span.range()], "2026-13-01");
        assert!(
            e.message
                .starts_with("could not read `2026-13-01` as a date: "),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_time_without_offset_is_an_error() {
        let text = "# rotated: 2026-09-01T10:00:00\nK=v\n";
        let Some(Err(e)) = annotation(text, "K") else {
            panic!("expected an error")
        };
        assert_eq!(&text[e.span.range()], "2026-09-01T10:00:00");
        assert!(e.message.contains("no UTC offset"), "{}", e.message);
    }

    #[test]
    fn a_missing_date_is_an_error_after_the_colon() {
        let text = "K=v # rotated:   \n";
        let Some(Err(e)) = annotation(text, "K") else {
            panic!("expected an error")
        };
        assert_eq!(e.span, Span::empty(text.find(':').expect("colon") + 1));
        assert_eq!(
            e.message,
            "missing date after `rotated:`; write it as `# rotated: 2026-09-01`"
        );
    }

    #[test]
    fn the_error_never_carries_the_value() {
        let text = "K=hunter2-secret # rotated: soon\n";
        let Some(Err(e)) = annotation(text, "K") else {
            panic!("expected an error")
        };
        assert!(!e.message.contains("hunter2"));
    }
}
