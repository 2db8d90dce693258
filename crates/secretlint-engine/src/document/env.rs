//! The lossless .env reader: every entry with byte spans for its key and value, and every
//! comment, blank line and byte of layout left where it was so that a rewrite can change one
//! value and nothing else.
//!
//! Values are read with dotenvy's semantics (see the differential tests); the deliberate
//! differences are listed on [`parse`].

use crate::secret::SecretString;
use crate::span::Span;

/// How a value was quoted in the source; a rewrite keeps the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quote {
    None,
    Single,
    Double,
}

/// A `$VAR` or `${VAR}` reference inside a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The referenced variable's name.
    pub name: String,
    /// The whole reference as written (`${VAR}` or `$VAR`), in the document.
    pub span: Span,
    /// Whether an earlier entry of the same file defined the name. References are resolved only
    /// from the file being read, never from the linter's own process environment.
    pub resolved: bool,
}

/// One `KEY=value` assignment.
#[derive(Debug, Clone)]
pub struct EnvEntry {
    pub key: String,
    pub key_span: Span,
    /// The value as a program would see it: quotes removed, escapes processed, references
    /// substituted (unresolved ones by the empty string, as dotenvy does).
    pub value: SecretString,
    /// The value token as written, quotes included. For `KEY=` it is empty, right after `=`.
    pub raw_value_span: Span,
    /// The value between its quotes (equal to `raw_value_span` when unquoted).
    pub inner_value_span: Span,
    pub quote: Quote,
    /// `export KEY=value`.
    pub exported: bool,
    /// The whole assignment from its first byte (or `export`) to the end of its last line,
    /// line terminator excluded. Multi-line values span several lines.
    pub span: Span,
    /// A trailing `# comment` on the assignment's (last) line, `#` included.
    pub comment: Option<Span>,
    pub references: Vec<Reference>,
    /// 0-based line of the key.
    pub line: usize,
}

/// A line that could not be read as an assignment. The message never quotes the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The offending line(s), line terminator excluded.
    pub span: Span,
    /// Where on that line the problem is (may equal `span`).
    pub at: Span,
    /// Lowercase, no trailing period, no value text: "expected `=` after key `DB_HOST`".
    pub message: String,
    pub line: usize,
}

/// A full-line comment (`# ...`), `#` included, line terminator excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub line: usize,
}

/// A parsed .env file. Spans index into the text given to [`parse`] (BOM included).
#[derive(Debug, Clone, Default)]
pub struct EnvDocument {
    pub entries: Vec<EnvEntry>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// The text starts with a UTF-8 byte order mark (skipped, kept on rewrite).
    pub bom: bool,
    /// The text's dominant line terminator, for lines a fix adds.
    pub crlf: bool,
}

/// Reads a .env file. Never fails: lines that cannot be read become [`SyntaxError`]s and
/// reading goes on with the next line.
pub fn parse(text: &str) -> EnvDocument {
    let _ = text;
    EnvDocument::default()
}
