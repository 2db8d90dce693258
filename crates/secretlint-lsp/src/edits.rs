//! Text edits the server makes itself, which carry no secret: the suppression comment, and the
//! byte edits (of the engine's fix plans, of a `# rotated:` date) on their way to an LSP
//! workspace edit. Fixes that write values are planned by the engine (`secretlint_engine::fix`),
//! exactly as `secretlint fix` plans them.

use secretlint_engine::Span;
use secretlint_engine::age::{Annotated, AnnotationError, rotation_annotation};
use secretlint_engine::document::Document;
use tower_lsp_server::ls_types::Uri;

/// A replacement of the bytes `start..end` of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The edits of one file, sorted and non-overlapping.
#[derive(Debug, Clone)]
pub struct FileEdits {
    pub uri: Uri,
    pub text: String,
    pub edits: Vec<ByteEdit>,
}

/// Why an external secret gets no generated value.
pub fn external_reason(key: &str) -> String {
    format!(
        "`{key}` is issued externally: rotate it at its source and paste the new value; secretlint never invents it"
    )
}

/// The comment that suppresses `rule` for the line of `span`: inserted above the line with
/// its indentation, or, when the entry there already has a `# rotated:` comment directly
/// above it (which must stay directly above), appended to the entry's own line. The reason is
/// left for the user to write.
pub fn suppression(text: &str, doc: &Document, rule: &str, span: Span) -> ByteEdit {
    let comment = format!("# secretlint-allow: {rule} -- {SUPPRESSION_REASON}");
    let at = span.start.min(text.len());
    let entry = doc
        .entries
        .iter()
        .find(|e| e.span.start <= at && at <= e.span.end);
    if let Some(e) = entry {
        let annotated_above = match rotation_annotation(text, doc, e) {
            Some(Ok(Annotated { span, .. }) | Err(AnnotationError { span, .. })) => {
                !e.comment.is_some_and(|c| c.contains(span))
            }
            None => false,
        };
        if annotated_above {
            // A trailing comment covers its own line; after an existing one it is read as
            // part of it, which the suppression reader allows.
            return ByteEdit {
                start: e.span.end,
                end: e.span.end,
                text: format!(" {comment}"),
            };
        }
    }
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    ByteEdit {
        start: line_start,
        end: line_start,
        text: format!("{indent}{comment}{nl}"),
    }
}

/// The reason placeholder of a new suppression comment, for the user to replace.
pub const SUPPRESSION_REASON: &str = "TODO: say why this is acceptable";

#[cfg(test)]
mod tests {
    use super::*;
    use secretlint_engine::document::DocumentKind;

    #[test]
    fn suppression_goes_above_the_line_with_its_indentation() {
        let text = "A=1\n  B=2\r\n";
        let doc = Document::parse(DocumentKind::Env, text);
        let at = text.find('B').unwrap_or_default();
        let e = suppression(text, &doc, "too-short", Span::new(at, at + 1));
        assert_eq!(e.start, 4);
        assert_eq!(
            e.text,
            format!("  # secretlint-allow: too-short -- {SUPPRESSION_REASON}\r\n")
        );
    }

    #[test]
    fn suppression_keeps_a_rotation_comment_directly_above_its_entry() {
        let text = "# rotated: 2026-11-01\nB=2 # billing\nC=3 # rotated: 2026-11-02\n";
        let doc = Document::parse(DocumentKind::Env, text);
        let b = text.find("B=2").unwrap_or_default();
        let e = suppression(text, &doc, "stale", Span::new(b, b + 1));
        assert_eq!(
            (e.start, e.end),
            (b + "B=2 # billing".len(), b + "B=2 # billing".len())
        );
        assert_eq!(
            e.text,
            format!(" # secretlint-allow: stale -- {SUPPRESSION_REASON}")
        );
        // An annotation on the entry's own line is not in the way: the comment goes above.
        let c = text.find("C=3").unwrap_or_default();
        let e = suppression(text, &doc, "stale", Span::new(c, c + 1));
        assert_eq!(e.start, c);
    }
}
