//! Renderers: findings to text for people and to machine formats. Each reads the engine's
//! report and writes; none computes anything the language server would need too. Snippets
//! come from masked copies of the files, so no renderer can print a value.

pub mod human;
pub mod json;

use secretlint_engine::{LineIndex, Report, SourceFile, Span};

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(file: &SourceFile, index: &LineIndex, offset: usize) -> (usize, usize) {
    let (line, byte_col) = index.line_col(offset);
    let start = index.line_start(line);
    let col = file
        .text
        .get(start..start + byte_col)
        .map_or(byte_col, |s| s.chars().count());
    (line + 1, col + 1)
}

/// Line indexes for the files a report's findings point into.
pub fn line_indexes(report: &Report) -> Vec<Option<LineIndex>> {
    let mut out: Vec<Option<LineIndex>> = vec![None; report.files.len()];
    for f in &report.findings {
        for i in std::iter::once(f.file).chain(f.related.iter().map(|r| r.file)) {
            if out[i].is_none() {
                out[i] = Some(LineIndex::new(&report.files[i].text));
            }
        }
    }
    out
}

/// Whether a span's line is too long to show as a snippet (a 5 MiB one-line value).
pub fn line_too_long(_file: &SourceFile, index: &LineIndex, span: Span) -> bool {
    const MAX_SNIPPET_LINE: usize = 400;
    let (line, _) = index.line_col(span.start);
    let start = index.line_start(line);
    let end = index.line_start(line + 1);
    end.saturating_sub(start) > MAX_SNIPPET_LINE || span.len() > MAX_SNIPPET_LINE
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
