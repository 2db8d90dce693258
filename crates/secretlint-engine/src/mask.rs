//! Masked copies of source text, for anything that shows a snippet of a file: every byte of
//! every value, and every byte of a line that could not be parsed (it may be a value without
//! its key), becomes `*`. Line terminators are kept, so byte offsets, lines and columns of the
//! masked copy are those of the original.

use crate::document::DocumentKind;
use crate::workspace::SourceFile;

/// A character of a YAML key as the masked copy keeps it: Kubernetes and compose keys.
fn yaml_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// A character of an env (or ledger) key as the masked copy keeps it. Narrower than YAML's on
/// purpose: an env line that lost its key may be a base64url or dotted value, and `-` and `.`
/// would let one show up to its first `=`.
fn env_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `name` is a plain YAML key (letters, digits, `_`, `-`, `.`), which the masked copy
/// of a YAML line with an error keeps visible before its `:`, so messages may name it.
pub fn plain_key(name: &str) -> bool {
    !name.is_empty() && name.chars().all(yaml_key_char)
}

/// Whether `name` is made only of the characters the masked copy of an env line with an error
/// keeps visible as its key (letters, digits, `_`), so messages about that line may name it.
pub fn plain_env_key(name: &str) -> bool {
    !name.is_empty() && name.chars().all(env_key_char)
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
    // Keep a key-like prefix so the reader can see which line it is (`KEY=` in an env file,
    // `  KEY:` in YAML); mask the rest. Only YAML keys end at `:`: in an env file a line
    // without `=` may be a `user:password` value that lost its key.
    let yaml = matches!(
        file.kind,
        DocumentKind::Yaml | DocumentKind::KubernetesSecret | DocumentKind::Compose
    );
    let (key_char, separator): (fn(char) -> bool, char) = if yaml {
        (yaml_key_char, ':')
    } else {
        (env_key_char, '=')
    };
    for error in &file.document.errors {
        let line = file.text.get(error.span.range()).unwrap_or("");
        let keep = line
            .find(|c: char| !(key_char(c) || c == ' ' || c == '\t'))
            .unwrap_or(0);
        let keep = if line[keep..].starts_with(separator) {
            keep + 1
        } else {
            keep.min(line.len())
        };
        let keep = if line.contains(separator) { keep } else { 0 };
        mask(error.span.start + keep, error.span.end);
    }
    // Every replaced byte is ASCII and every kept byte is untouched, but a multi-byte
    // character may have been partly masked at a span edge; lossy conversion keeps this total.
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::masked_text;
    use crate::workspace::{Input, SourceFile};

    fn masked(path: &str, text: &str) -> String {
        masked_text(&SourceFile::new(Input::text(path, text), None))
    }

    #[test]
    fn an_env_line_without_its_key_is_hidden_whole_even_with_a_colon() {
        // Not an assignment: the reader reports it, and nothing of it may show.
        let out = masked(".env", "KEY=ok\nadmin:Xk29fPq7Lm3ZtR8w\n");
        assert_eq!(out.lines().nth(1), Some("**********************"));
    }

    #[test]
    fn an_env_error_keeps_only_a_plain_key_before_its_equals_sign() {
        let out = masked(".env", "SECRET_KEY=\"Xk29fPq7Lm3ZtR8w\n");
        assert!(out.starts_with("SECRET_KEY="), "{out}");
        assert!(!out.contains("Xk29"), "{out}");
    }

    #[test]
    fn a_yaml_error_keeps_the_key_before_its_colon() {
        let text = "apiVersion: v1\nkind: Secret\ndata:\n  api-key.v1: not*base64!\n";
        let out = masked("k8s/secret.yaml", text);
        let line = out.lines().nth(3).unwrap_or_default();
        assert!(line.starts_with("  api-key.v1:"), "{line}");
        assert!(!line.contains("base64"), "{line}");
    }
}
