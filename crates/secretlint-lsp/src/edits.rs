//! Turning a finding's fix into text edits: a generated value written the way the old one was
//! quoted, only the password replaced inside a connection URL (percent-encoded), the same new
//! value carried to linked keys in the file (`DATABASE_URL#password` follows
//! `POSTGRES_PASSWORD`) and to every file of the environment for a shared secret; a missing key
//! added; an expired entry removed; a suppression comment inserted.
//!
//! This is the editor's small fix applier. Values are generated here and only here, when the
//! user has picked an action (`codeAction/resolve` or the command fallback), never while
//! actions are being listed.

use std::collections::HashMap;

use jiff::Timestamp;
use secretlint_engine::SecretString;
use secretlint_engine::age::{Annotated, AnnotationError, format_date, rotation_annotation};
use secretlint_engine::document::env::Quote;
use secretlint_engine::document::{Document, DocumentKind, Entry, ValueEncoding};
use secretlint_engine::generate::generate_compliant;
use secretlint_engine::policy::{FormatRequirement, Scope, Source, UrlPart};
use secretlint_engine::value::{self, Format};
use secretlint_engine::{Policy, Span};
use tower_lsp_server::ls_types::Uri;

/// A replacement of the bytes `start..end` of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A file the planner may edit: its engine path, its URI and its current text.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub rel: String,
    pub uri: Uri,
    pub text: String,
}

/// The edits of one file, sorted and non-overlapping.
#[derive(Debug, Clone)]
pub struct FileEdits {
    pub uri: Uri,
    pub text: String,
    pub edits: Vec<ByteEdit>,
}

struct Parsed {
    source: SourceText,
    document: Document,
    environment: Option<usize>,
    edits: Vec<ByteEdit>,
}

/// Collects the edits of one or more fixes, generating each key's new value once.
pub struct Planner<'a> {
    policy: &'a Policy,
    files: Vec<Parsed>,
    /// New value per key, so a key fixed twice (a fix-all, a link) gets one value.
    values: HashMap<String, SecretString>,
    /// "Today", for rotation dates.
    now: Timestamp,
    /// Rotations to record in the ledger once the edit is applied: (file, key).
    records: Vec<(String, String)>,
}

/// What a plan produced: the text edits, and the rotations to record in the ledger after the
/// client applied them (a generated value is a rotation; the age rules must learn of it).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub files: Vec<FileEdits>,
    pub records: Vec<(String, String)>,
}

impl<'a> Planner<'a> {
    /// A planner over the workspace's files (open buffers and indexed files from disk).
    pub fn new(policy: &'a Policy, sources: Vec<SourceText>, now: Timestamp) -> Planner<'a> {
        let files = sources
            .into_iter()
            .map(|source| Parsed {
                document: Document::parse(DocumentKind::for_path(&source.rel), &source.text),
                environment: policy.environment_for(&source.rel),
                source,
                edits: Vec::new(),
            })
            .collect();
        Planner {
            policy,
            files,
            values: HashMap::new(),
            now,
            records: Vec::new(),
        }
    }

    fn file(&self, rel: &str) -> Result<usize, String> {
        self.files
            .iter()
            .position(|f| f.source.rel == rel)
            .ok_or_else(|| format!("`{rel}` is not part of the workspace"))
    }

    /// The new value for `key` in the file's environment, generated on first use.
    fn value_for(&mut self, file: usize, key: &str) -> Result<SecretString, String> {
        if let Some(v) = self.values.get(key) {
            return Ok(v.clone());
        }
        let secret = self
            .policy
            .secret_for(key)
            .ok_or_else(|| format!("no rule of the policy governs `{key}`"))?;
        if self.policy.secrets[secret].source == Source::External {
            return Err(external_reason(key));
        }
        let value = generate_compliant(self.policy, secret, self.files[file].environment, key)
            .map_err(|e| e.to_string())?;
        self.values.insert(key.to_owned(), value.clone());
        Ok(value)
    }

    /// Replaces the value of `key` (the entry at `hint`, else its last definition) with a new
    /// compliant value, and writes the same value wherever the policy says it must follow.
    pub fn regenerate(&mut self, rel: &str, key: &str, hint: Option<usize>) -> Result<(), String> {
        let file = self.file(rel)?;
        let entry = find_entry(&self.files[file].document, key, hint)
            .ok_or_else(|| format!("`{key}` is no longer in `{rel}`"))?;
        let value = self.value_for(file, key)?;
        self.write_value(file, entry, &value)?;
        self.follow_links(file, key, &value);
        let secret = self.policy.secret_for(key);
        let shared = secret.is_some_and(|s| self.policy.secrets[s].scope == Scope::Shared);
        if let (true, Some(env)) = (shared, self.files[file].environment) {
            // A shared secret has one value per environment: write it into every file of the
            // environment that holds the key, or the fix creates `inconsistent-across-files`.
            for other in 0..self.files.len() {
                if other == file || self.files[other].environment != Some(env) {
                    continue;
                }
                if let Some(e) = find_entry(&self.files[other].document, key, None) {
                    self.write_value(other, e, &value)?;
                    self.follow_links(other, key, &value);
                }
            }
        }
        Ok(())
    }

    /// Writes `value` as the value of entry `entry`: the password part of a connection URL,
    /// or the whole value re-quoted as it was.
    fn write_value(
        &mut self,
        file: usize,
        entry: usize,
        value: &SecretString,
    ) -> Result<(), String> {
        let f = &self.files[file];
        let e = &f.document.entries[entry];
        let current = e.value.expose();
        let Some(style) = quote(e) else {
            return Err(unsupported(e));
        };
        let edit = match value::url_parts(current) {
            Some(parts) => {
                let Some(pw) = parts.password else {
                    return Err(format!(
                        "`{}` holds a URL without a password; set one by hand",
                        e.key
                    ));
                };
                let encoded = value::percent_encode_userinfo(value.expose());
                if e.value_is_verbatim(&f.source.text) {
                    // Only the password changes; everything else in the URL stays byte for byte.
                    let base = e.inner_value_span.start;
                    ByteEdit {
                        start: base + pw.start,
                        end: base + pw.end,
                        text: encoded,
                    }
                } else {
                    let mut whole = current.to_owned();
                    whole.replace_range(pw, &encoded);
                    ByteEdit {
                        start: e.raw_value_span.start,
                        end: e.raw_value_span.end,
                        text: requote(&whole, style),
                    }
                }
            }
            None => {
                if wants_url(self.policy, &e.key, f.environment) {
                    return Err(format!(
                        "`{}` must be a connection URL; write one by hand",
                        e.key
                    ));
                }
                ByteEdit {
                    start: e.raw_value_span.start,
                    end: e.raw_value_span.end,
                    text: requote(value.expose(), style),
                }
            }
        };
        push(&mut self.files[file].edits, edit);
        self.note_rotation(file, entry);
        Ok(())
    }

    /// A new value for an entry whose key has a rotation interval is a rotation: its
    /// `# rotated:` comment gets today's date, or, without one, the ledger gets an entry.
    fn note_rotation(&mut self, file: usize, entry: usize) {
        let f = &self.files[file];
        let e = &f.document.entries[entry];
        let Some(secret) = self.policy.secret_for(&e.key) else {
            return;
        };
        if self.policy.secrets[secret].rotate_every_days.is_none() {
            return;
        }
        match rotation_annotation(&f.source.text, &f.document, e) {
            Some(Ok(Annotated { span, .. })) | Some(Err(AnnotationError { span, .. })) => {
                let edit = ByteEdit {
                    start: span.start,
                    end: span.end,
                    text: format_date(self.now),
                };
                push(&mut self.files[file].edits, edit);
            }
            None => {
                let record = (f.source.rel.clone(), e.key.clone());
                if !self.records.contains(&record) {
                    self.records.push(record);
                }
            }
        }
    }

    /// Carries a new value to the keys linked to `key` in the same file.
    fn follow_links(&mut self, file: usize, key: &str, value: &SecretString) {
        let links: Vec<(String, String)> = self
            .policy
            .links
            .iter()
            .filter(|l| l.part == UrlPart::Password && (l.equals == key || l.key == key))
            .map(|l| (l.key.clone(), l.equals.clone()))
            .collect();
        for (url_key, equals) in links {
            let other = if url_key == key { equals } else { url_key };
            self.values
                .entry(other.clone())
                .or_insert_with(|| value.clone());
            if let Some(e) = find_entry(&self.files[file].document, &other, None) {
                // A linked entry that cannot take the value (a URL without a password) keeps
                // its value; `linked-mismatch` then says so.
                let _ = self.write_value(file, e, value);
            }
        }
    }

    /// Appends `key` with a new compliant value at the end of the file.
    pub fn add_key(&mut self, rel: &str, key: &str) -> Result<(), String> {
        let file = self.file(rel)?;
        let value = self.value_for(file, key)?;
        let f = &self.files[file];
        let nl = if f.document.crlf { "\r\n" } else { "\n" };
        let text = &f.source.text;
        let end = text.len();
        // A second key added in the same plan goes after the first, which already broke the line.
        let pending = f.edits.iter().any(|e| e.start == end && e.end == end);
        let mut line = String::new();
        if !pending && !text.is_empty() && !text.ends_with(['\n', '\r']) {
            line.push_str(nl);
        }
        line.push_str(&format!(
            "{key}={}{nl}",
            requote(value.expose(), Quote::None)
        ));
        push(
            &mut self.files[file].edits,
            ByteEdit {
                start: end,
                end,
                text: line,
            },
        );
        if self
            .policy
            .secret_for(key)
            .is_some_and(|s| self.policy.secrets[s].rotate_every_days.is_some())
        {
            self.records.push((rel.to_owned(), key.to_owned()));
        }
        Ok(())
    }

    /// Removes the entry of `key` (at `hint`) with its line terminator.
    pub fn remove_entry(
        &mut self,
        rel: &str,
        key: &str,
        hint: Option<usize>,
    ) -> Result<(), String> {
        let file = self.file(rel)?;
        let f = &self.files[file];
        let entry = find_entry(&f.document, key, hint)
            .ok_or_else(|| format!("`{key}` is no longer in `{rel}`"))?;
        let span = f.document.entries[entry].span;
        let rest = &f.source.text[span.end..];
        let terminator = if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with(['\n', '\r']))
        };
        let edit = ByteEdit {
            start: span.start,
            end: span.end + terminator,
            text: String::new(),
        };
        push(&mut self.files[file].edits, edit);
        Ok(())
    }

    /// The edits planned, per file, and the rotations they make.
    pub fn finish(self) -> Plan {
        let files = self
            .files
            .into_iter()
            .filter(|f| !f.edits.is_empty())
            .map(|f| {
                let mut edits = f.edits;
                edits.sort_by_key(|e| (e.start, e.end));
                FileEdits {
                    uri: f.source.uri,
                    text: f.source.text,
                    edits,
                }
            })
            .collect();
        Plan {
            files,
            records: self.records,
        }
    }
}

/// Adds an edit unless it overlaps one already planned (the first plan wins: the same range is
/// reached again through a link or a fix-all).
fn push(edits: &mut Vec<ByteEdit>, edit: ByteEdit) {
    if edit.start == edit.end {
        // Insertions at one point (keys added by a fix-all) are kept in order.
        if let Some(e) = edits
            .iter_mut()
            .find(|e| e.start == edit.start && e.end == edit.end)
        {
            if !e.text.contains(&edit.text) {
                e.text.push_str(&edit.text);
            }
            return;
        }
    }
    let overlaps = edits.iter().any(|e| {
        (e.start < edit.end && edit.start < e.end) || (e.start == edit.start && e.end == edit.end)
    });
    if !overlaps {
        edits.push(edit);
    }
}

/// The entry of `key` containing byte `hint`, else the last definition (the one that wins).
fn find_entry(doc: &Document, key: &str, hint: Option<usize>) -> Option<usize> {
    let matches = |e: &Entry| e.key == key;
    hint.and_then(|h| {
        doc.entries
            .iter()
            .position(|e| matches(e) && e.span.start <= h && h <= e.span.end)
    })
    .or_else(|| doc.entries.iter().rposition(matches))
}

/// The quoting of an env entry; `None` for formats the editor does not rewrite yet (YAML
/// manifests: their scalars need YAML's own escaping and, for a Secret's `data`, base64).
fn quote(e: &Entry) -> Option<Quote> {
    match e.encoding {
        ValueEncoding::Env(q) => Some(q),
        ValueEncoding::Yaml { .. } => None,
    }
}

fn unsupported(e: &Entry) -> String {
    format!(
        "`{}` is in a YAML manifest; the editor rewrites only env files so far: run `secretlint fix`",
        e.key
    )
}

/// Whether the key's profile asks for a whole connection URL (a generated password then goes
/// inside the URL, never in place of it).
fn wants_url(policy: &Policy, key: &str, environment: Option<usize>) -> bool {
    let Some(secret) = policy.secret_for(key) else {
        return false;
    };
    matches!(
        policy.requirements(secret, environment).format,
        Some(FormatRequirement::Builtin(
            Format::Url | Format::PostgresUrl
        ))
    )
}

/// Why an external secret gets no generated value.
pub fn external_reason(key: &str) -> String {
    format!(
        "`{key}` is issued externally: rotate it at its source and paste the new value; secretlint never invents it"
    )
}

/// Writes `value` in the quoting style `style`, falling back to a stricter style when the value
/// needs it, so the file reads back as exactly `value`.
pub fn requote(value: &str, style: Quote) -> String {
    let bare_ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '#' | '"' | '\'' | '\\' | '$' | '`'));
    let single_ok = !value.contains(['\'', '\n', '\r']);
    match style {
        Quote::None if bare_ok => value.to_owned(),
        Quote::None | Quote::Single if single_ok => format!("'{value}'"),
        _ => {
            let mut out = String::with_capacity(value.len() + 2);
            out.push('"');
            for c in value.chars() {
                match c {
                    '"' | '\\' | '$' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\n' => out.push_str("\\n"),
                    _ => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
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
    use secretlint_engine::document::env;

    /// Reads `KEY=<written>` back and returns the value the application would see.
    fn read_back(written: &str) -> String {
        let doc = env::parse(&format!("KEY={written}\n"));
        assert!(doc.errors.is_empty(), "{written}: {:?}", doc.errors);
        doc.entries[0].value.expose().to_owned()
    }

    #[test]
    fn requoting_keeps_the_style_and_reads_back_exactly() {
        assert_eq!(requote("abc-_.~", Quote::None), "abc-_.~");
        assert_eq!(requote("abc", Quote::Single), "'abc'");
        assert_eq!(requote("abc", Quote::Double), "\"abc\"");
        for value in ["a b#c", "it's", "x\"y$z\\w", "a$b", "line\nbreak", "日本"] {
            for style in [Quote::None, Quote::Single, Quote::Double] {
                assert_eq!(
                    read_back(&requote(value, style)),
                    value,
                    "{value:?} {style:?}"
                );
            }
        }
    }

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
