//! Masked copies of source text, for anything that shows a snippet of a file: every byte of
//! every value, and every byte of a line that could not be parsed (it may be a value without
//! its key), becomes `*`. Line terminators are kept, so byte offsets, lines and columns of the
//! masked copy are those of the original.

use crate::workspace::SourceFile;

fn key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Whether `name` is a plain key (letters, digits, `_`, `-`, `.`), which the masked copy of a
/// line with an error keeps visible, so messages may name it.
pub fn plain_key(name: &str) -> bool {
    !name.is_empty() && name.chars().all(key_char)
}

/// The file's text with every value and unparsable line masked.
pub fn masked_text(file: &SourceFile) -> String {
    let mut bytes = file.text.as_bytes().to_vec();
    let mut mask = |start: usize, end: usize| {
        let end = end.min(bytes.len());
        for b in bytes.get_mut(start.min(end)..end).into_iter().flatten() {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b'*';
            }
        }
    };
    for entry in &file.document.entries {
        mask(entry.raw_value_span.start, entry.raw_value_span.end);
    }
    for error in &file.document.errors {
        // Keep a key-like prefix so the reader can see which line it is (`KEY=` in an env
        // file, `  KEY:` in YAML); mask the rest.
        let line = file.text.get(error.span.range()).unwrap_or("");
        let keep = line
            .find(|c: char| !(key_char(c) || c == ' ' || c == '\t'))
            .unwrap_or(0);
        let keep = if line[keep..].starts_with(['=', ':']) {
            keep + 1
        } else {
            keep.min(line.len())
        };
        let keep = if line.contains(['=', ':']) { keep } else { 0 };
        mask(error.span.start + keep, error.span.end);
    }
    // Every replaced byte is ASCII and every kept byte is untouched, but a multi-byte
    // character may have been partly masked at a span edge; lossy conversion keeps this total.
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}
