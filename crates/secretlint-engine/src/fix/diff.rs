//! The preview of a fix: a unified diff of the lines its edits touch, rendered from masked
//! copies of the old and new text so that no value, old or new, is ever shown.

use std::fmt::Write as _;

use super::edit::{Edit, after_line, line_start};
use crate::mask::masked_text;
use crate::span::LineIndex;
use crate::workspace::{Input, SourceFile};

/// A unified diff of `old` → `new_text`, where `new_text` is `old`'s text with `edits`
/// applied. Every value byte of both sides is shown as `*`.
pub fn masked_diff(old: &SourceFile, new_text: &str, edits: &[Edit]) -> String {
    let new_file = SourceFile::new(
        Input::text(old.path.clone(), new_text.to_owned()),
        old.environment,
    );
    let old_masked = masked_text(old);
    let new_masked = masked_text(&new_file);
    let (old_lines, new_lines) = (LineIndex::new(&old.text), LineIndex::new(new_text));
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    // Regions of whole lines in the old text, merged when they touch, with the growth of the
    // text before each so that they can be found in the new text.
    let mut regions: Vec<(usize, usize, isize, isize)> = Vec::new();
    let mut delta: isize = 0;
    for e in sorted {
        let text = &old.text;
        let start = e.span.start;
        let at_line_start = start == 0 || matches!(text.as_bytes()[start - 1], b'\n' | b'\r');
        let (region_start, region_end) = if e.span.is_empty() && at_line_start {
            (start, start)
        } else {
            let end =
                if e.span.end > start && matches!(text.as_bytes()[e.span.end - 1], b'\n' | b'\r') {
                    e.span.end
                } else {
                    after_line(text, e.span.end).0
                };
            (line_start(text, start), end)
        };
        let growth = e.text.len() as isize - e.span.len() as isize;
        match regions.last_mut() {
            Some(last) if region_start <= last.1 => {
                last.1 = last.1.max(region_end);
                last.3 += growth;
            }
            _ => regions.push((region_start, region_end, delta, growth)),
        }
        delta += growth;
    }
    let mut out = String::new();
    let _ = writeln!(out, "--- a/{}\n+++ b/{}", old.path, old.path);
    for (start, end, before, growth) in regions {
        let new_start = (start as isize + before) as usize;
        let new_end = (end as isize + before + growth) as usize;
        let old_part = old_masked.get(start..end).unwrap_or("");
        let new_part = new_masked.get(new_start..new_end).unwrap_or("");
        let (old_count, new_count) = (count_lines(old_part), count_lines(new_part));
        let _ = writeln!(
            out,
            "@@ -{},{old_count} +{},{new_count} @@",
            old_lines.line_col(start).0 + 1,
            new_lines.line_col(new_start).0 + 1
        );
        for line in split_lines(old_part) {
            let _ = writeln!(out, "-{line}");
        }
        for line in split_lines(new_part) {
            let _ = writeln!(out, "+{line}");
        }
    }
    out
}

/// The lines of `text`, terminators (`\n`, `\r\n`, lone `\r`) removed.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let terminator = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\n' | b'\r' => 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(&text[start..i]);
        i += terminator;
        start = i;
    }
    if start < bytes.len() {
        out.push(&text[start..]);
    }
    out
}

fn count_lines(text: &str) -> usize {
    split_lines(text).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn the_diff_masks_old_and_new_values() {
        let old = SourceFile::new(Input::text("a/.env", "# keep\nKEY=hunter2\nB=1\n"), None);
        let edits = [Edit {
            span: Span::new(11, 18),
            text: "n3wS3cretValue".into(),
        }];
        let new_text = super::super::edit::apply_edits(&old.text, &edits).unwrap();
        let diff = masked_diff(&old, &new_text, &edits);
        assert_eq!(
            diff,
            "--- a/a/.env\n+++ b/a/.env\n@@ -2,1 +2,1 @@\n-KEY=*******\n+KEY=**************\n"
        );
    }
}
