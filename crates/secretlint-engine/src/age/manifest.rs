//! Rotation dates in Kubernetes manifests, as annotations on the Secret:
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     secretlint.dev/rotated: "2026-09-01"              # every key of this Secret
//!     secretlint.dev/rotated.SECRET_KEY: "2026-11-20"   # one key; wins over the above
//! ```
//!
//! Annotations are read from the lines of the YAML document (between `---` separators) that
//! holds the entry, so a multi-document file dates each Secret by its own annotations.

use std::sync::LazyLock;

use regex::Regex;

use super::{Annotated, AnnotationError, parse_when};
use crate::document::{Document, DocumentKind, Entry};
use crate::span::Span;

/// The annotation name; `secretlint.dev/rotated.<KEY>` dates one key.
pub const ANNOTATION: &str = "secretlint.dev/rotated";

static LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"^[ \t]*["']?secretlint\.dev/rotated(?:\.([A-Za-z0-9_.-]+))?["']?[ \t]*:[ \t]*["']?([^"'\s#]*)"#,
    )
    .ok()
});

/// The rotation date the Secret holding `entry` gives it, if any.
pub fn rotation_annotation(
    text: &str,
    doc: &Document,
    entry: &Entry,
) -> Option<Result<Annotated, AnnotationError>> {
    if doc.kind != DocumentKind::KubernetesSecret {
        return None;
    }
    let re = LINE.as_ref()?;
    let (start, end) = yaml_document_around(text, entry.span.start);
    let mut whole: Option<(usize, &str)> = None;
    let mut own: Option<(usize, &str)> = None;
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        if let Some(c) = re.captures(line)
            && let Some(date) = c.get(2)
        {
            let at = offset + date.start();
            match c.get(1).map(|k| k.as_str()) {
                Some(k) if k == entry.key => own = Some((at, date.as_str())),
                Some(_) => {}
                None => whole = Some((at, date.as_str())),
            }
        }
        offset += line.len();
    }
    let (at, date) = own.or(whole)?;
    let span = Span::new(at, at + date.len());
    Some(match parse_when(date) {
        Ok(ts) => Ok(Annotated { at: ts, span }),
        Err(e) => Err(AnnotationError {
            span,
            message: format!("could not read `{date}` as a date: {e}"),
        }),
    })
}

/// The byte range of the YAML document (between `---` lines) containing `offset`.
fn yaml_document_around(text: &str, offset: usize) -> (usize, usize) {
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let end = pos + line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if pos > offset {
                return (start, pos);
            }
            start = end;
        }
        pos = end;
    }
    (start, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRETS: &str = "\
apiVersion: v1
kind: Secret
metadata:
  name: a
  annotations:
    secretlint.dev/rotated: \"2026-09-01\"
    secretlint.dev/rotated.TOKEN: \"2026-11-20\"
stringData:
  TOKEN: fake-token-value-one
  OTHER: fake-token-value-two
---
apiVersion: v1
kind: Secret
metadata:
  name: b
stringData:
  TOKEN: fake-token-value-three
";

    fn dates() -> Vec<Option<String>> {
        let doc = Document::parse(DocumentKind::KubernetesSecret, SECRETS);
        doc.entries
            .iter()
            .map(|e| {
                rotation_annotation(SECRETS, &doc, e).map(|r| {
                    let a = r.unwrap();
                    assert_eq!(&SECRETS[a.span.range()], &super::super::format_date(a.at));
                    super::super::format_date(a.at)
                })
            })
            .collect()
    }

    #[test]
    fn per_key_annotations_win_and_documents_stay_apart() {
        assert_eq!(
            dates(),
            [
                Some("2026-11-20".to_owned()),
                Some("2026-09-01".to_owned()),
                None
            ]
        );
    }

    #[test]
    fn a_bad_date_points_at_itself() {
        let text = SECRETS.replace("2026-09-01", "2026-13-01");
        let doc = Document::parse(DocumentKind::KubernetesSecret, &text);
        let other = doc.entries.iter().find(|e| e.key == "OTHER").unwrap();
        let err = rotation_annotation(&text, &doc, other)
            .unwrap()
            .unwrap_err();
        assert_eq!(&text[err.span.range()], "2026-13-01");
    }
}
