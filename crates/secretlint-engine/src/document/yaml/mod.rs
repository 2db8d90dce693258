//! The manifest reader: Kubernetes `Secret`s (`data` base64-decoded, `stringData` as written)
//! and docker compose `environment`s (map form `KEY: value` and list form `- KEY=value`), every
//! key and value with byte spans into the source, so a diagnostic underlines the right bytes
//! and a fix can rewrite one value and nothing else.
//!
//! YAML is read with `saphyr-parser`'s event parser, which never expands an alias; the tree
//! built from its events keeps an alias as a pointer ([`tree`]). A file is read document by
//! document (`---`), and each document is a Secret (`kind: Secret`, or a `kind: List` of
//! them), a compose file (a top-level `services` mapping) or neither, which yields nothing.
//!
//! # Limits
//!
//! No file can make a check hang or take memory out of proportion to its size:
//!
//! - a file over [`MAX_BYTES`] is not read at all;
//! - a document of more than [`MAX_NODES`] nodes, or nested more than [`MAX_DEPTH`] levels
//!   (saphyr-parser itself refuses flow collections nested past 255), is left out;
//! - a document whose aliases would expand it past [`MAX_EXPANDED_NODES`] nodes (an alias
//!   bomb, such as the "billion laughs") is left out as soon as the count passes the limit;
//! - merge keys (`<<`) nest at most [`MAX_DEPTH`] deep.
//!
//! Each of these is an error of the document, and reading goes on with the next document. A
//! syntax error ends the reading of the file: nothing after it is read, and the document it
//! is in yields no entries.
//!
//! # Values
//!
//! - A Secret's `data` value is decoded as Kubernetes does (standard base64 alphabet with
//!   padding; line breaks ignored); a value that is not base64, or not UTF-8 once decoded, is
//!   an error. Its spans point at the base64 text in the file.
//! - A compose value is interpolated as compose does with no variable set (see
//!   [`interpolate`]); a value made only of references (`${SECRET_KEY}`) is an alias. A
//!   variable with no value (`KEY:` or `- KEY`) is taken from the shell and yields no entry.
//! - A value written through an alias (`*anchor`) or merged in with `<<` points at the
//!   anchored text, which is what a rewrite must change.
//! - A value left out in a Secret (`KEY:`) is empty, with an empty span right after the colon:
//!   a rewrite must put a blank before the new value.

mod interpolate;
mod spans;
mod tree;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use saphyr_parser::ScalarStyle;

use self::interpolate::{Interpolated, interpolate};
use self::spans::{char_at, full_line_comments, item_dash, lines, trailing_comment};
use self::tree::{Documents, Kind, MergeError, Next, NodeId, Scalar, Tree};
use super::{Document, DocumentError, DocumentKind, Entry, ValueEncoding, YamlStyle};
use crate::secret::SecretString;
use crate::span::{LineIndex, Span};

/// Files larger than this are not read (Kubernetes refuses objects over about 1.5 MiB; a
/// file may hold many).
pub const MAX_BYTES: usize = 8 << 20;
/// Deepest nesting of collections in a document (Secrets and compose files need 5).
pub const MAX_DEPTH: usize = 128;
/// Most nodes (scalars, collections, aliases) in one document.
pub const MAX_NODES: usize = 250_000;
/// Most nodes one document may stand for with every alias replaced by what it names.
pub const MAX_EXPANDED_NODES: usize = 1_000_000;

/// Whether a path names a YAML file (`.yaml` or `.yml`, in any case).
pub fn is_yaml_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")
}

/// Reads a YAML file. With `want` [`DocumentKind::KubernetesSecret`] or
/// [`DocumentKind::Compose`] only documents of that kind are read; with any other kind each
/// document's content decides, and the result's kind says what was found
/// ([`DocumentKind::Yaml`] when neither). Never fails: problems become
/// [`Document::errors`].
pub fn parse(text: &str, want: DocumentKind) -> Document {
    let mut out = Output {
        want: Some(want),
        ..Output::default()
    };
    // The dominant line terminator, for lines a fix adds.
    let crlf_count = text.matches("\r\n").count();
    let crlf = crlf_count > text.matches(['\n', '\r']).count() - 2 * crlf_count;
    if text.len() > MAX_BYTES {
        out.errors.push(DocumentError {
            span: Span::new(0, text.len()),
            at: Span::empty(0),
            message: format!(
                "the file is larger than {} MiB, the most a manifest may be",
                MAX_BYTES >> 20
            ),
        });
        return out.finish(Vec::new(), crlf);
    }
    let lines = LineIndex::new(text);
    let mut documents = Documents::new(text);
    for next in documents.by_ref() {
        match next {
            Next::Document(tree) => Reader {
                text,
                lines: &lines,
                tree: &tree,
                out: &mut out,
            }
            .document(),
            Next::Failed(f) | Next::Fatal(f) => out.errors.push(DocumentError {
                span: f.span,
                at: f.at,
                message: f.message,
            }),
        }
    }
    let comments = full_line_comments(text, &documents.multiline);
    out.finish(comments, crlf)
}

/// What has been read so far.
#[derive(Debug, Default)]
struct Output {
    want: Option<DocumentKind>,
    entries: Vec<Entry>,
    errors: Vec<DocumentError>,
    namespace: Option<String>,
    secrets: bool,
    compose: bool,
    sections: usize,
}

impl Output {
    fn finish(self, comments: Vec<Span>, crlf: bool) -> Document {
        let kind = match self.want {
            Some(k @ (DocumentKind::KubernetesSecret | DocumentKind::Compose)) => k,
            _ if self.secrets => DocumentKind::KubernetesSecret,
            _ if self.compose => DocumentKind::Compose,
            _ => DocumentKind::Yaml,
        };
        Document {
            kind,
            entries: self.entries,
            comments,
            errors: self.errors,
            crlf,
            namespace: self.namespace,
        }
    }

    fn wants(&self, kind: DocumentKind) -> bool {
        match self.want {
            Some(k @ (DocumentKind::KubernetesSecret | DocumentKind::Compose)) => k == kind,
            _ => true,
        }
    }

    fn next_section(&mut self) -> usize {
        self.sections += 1;
        self.sections - 1
    }
}

/// Reads the entries of one document.
struct Reader<'r, 'a> {
    text: &'a str,
    lines: &'r LineIndex,
    tree: &'r Tree<'a>,
    out: &'r mut Output,
}

/// A scalar value as written at one place: its own spans, and the end of what is written
/// where the key is (the `*alias` token when it is an alias).
struct Written<'t, 'a> {
    scalar: &'t Scalar<'a>,
    written_end: usize,
}

/// An entry's value as a program sees it.
enum Value {
    /// A Secret's: decoded from base64 for `data`.
    Secret { value: SecretString, base64: bool },
    /// A compose file's, after interpolation.
    Compose(Interpolated),
}

/// Where an entry's key is and where the entry starts.
#[derive(Debug, Clone, Copy)]
struct KeyAt {
    span: Span,
    start: usize,
}

impl<'r, 'a> Reader<'r, 'a> {
    fn document(&mut self) {
        let tree = self.tree;
        let Some(root) = tree.root else { return };
        // Until the document shows what it is, a broken merge is not ours to report.
        let Ok(Some(pairs)) = tree.pairs(root) else {
            return;
        };
        match self
            .get(&pairs, "kind")
            .and_then(|k| tree.scalar(k))
            .map(|s| s.value.as_ref())
        {
            Some("Secret") if self.out.wants(DocumentKind::KubernetesSecret) => self.secret(&pairs),
            // `kubectl get secrets -o yaml` prints a `List` of them.
            Some("List") | Some("SecretList") if self.out.wants(DocumentKind::KubernetesSecret) => {
                let Some(items) = self.get(&pairs, "items") else {
                    return;
                };
                let Kind::Seq(items) = &tree.node(tree.resolve(items)).kind else {
                    return;
                };
                for &item in items {
                    let Ok(Some(pairs)) = tree.pairs(item) else {
                        continue;
                    };
                    let kind = self.get(&pairs, "kind").and_then(|k| tree.scalar(k));
                    if kind.is_some_and(|k| k.value == "Secret") {
                        self.secret(&pairs);
                    }
                }
            }
            _ => {
                let services = self.get(&pairs, "services").filter(|&s| self.is_map(s));
                if let Some(services) = services.filter(|_| self.out.wants(DocumentKind::Compose)) {
                    self.out.compose = true;
                    self.compose(services);
                }
            }
        }
    }

    fn is_map(&self, id: NodeId) -> bool {
        matches!(self.tree.node(self.tree.resolve(id)).kind, Kind::Map(_))
    }

    /// The last value of `key` among `pairs` (the one a YAML loader keeps).
    fn get(&self, pairs: &[(NodeId, NodeId)], key: &str) -> Option<NodeId> {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| self.tree.key_text(*k) == Some(key))
            .map(|(_, v)| *v)
    }

    /// The pairs of a mapping, merges expanded; `None` (after reporting a bad merge) when it
    /// is not a mapping.
    fn pairs(&mut self, id: NodeId) -> Option<Vec<(NodeId, NodeId)>> {
        match self.tree.pairs(id) {
            Ok(pairs) => pairs,
            Err(MergeError::NotAMapping(at)) => {
                self.error(
                    at,
                    at,
                    "the merge key `<<` must name a mapping or a list of mappings".into(),
                );
                None
            }
            Err(MergeError::TooDeep(at)) => {
                self.error(
                    at,
                    at,
                    format!("merge keys `<<` nest more than {MAX_DEPTH} levels deep"),
                );
                None
            }
        }
    }

    fn error(&mut self, at: Span, around: Span, message: String) {
        let at = if at.is_empty() {
            char_at(self.text, at.start)
        } else {
            at
        };
        let span = lines(
            self.text,
            Span::new(around.start.min(at.start), around.end.max(at.end)),
        );
        self.out.errors.push(DocumentError { span, at, message });
    }

    // --- Kubernetes ------------------------------------------------------------------------

    fn secret(&mut self, pairs: &[(NodeId, NodeId)]) {
        self.out.secrets = true;
        let section = self.out.next_section();
        if self.out.namespace.is_none() {
            let metadata = self
                .get(pairs, "metadata")
                .and_then(|m| self.pairs(m))
                .unwrap_or_default();
            let namespace = self
                .get(&metadata, "namespace")
                .and_then(|n| self.tree.scalar(n));
            self.out.namespace = namespace
                .filter(|n| !n.is_null())
                .map(|n| n.value.clone().into_owned());
        }
        for &(k, v) in pairs {
            let base64 = match self.tree.key_text(k) {
                Some("data") => true,
                Some("stringData") => false,
                _ => continue,
            };
            let field = if base64 { "data" } else { "stringData" };
            if self.tree.is_null(v) {
                continue;
            }
            let Some(values) = self.pairs(v) else {
                if self.is_map(v) {
                    continue; // a bad merge, already reported
                }
                let at = self.tree.node(v).span;
                self.error(at, at, format!("`{field}` of a Secret is not a mapping"));
                continue;
            };
            for (key, value) in values {
                self.secret_value(field, base64, key, value, section);
            }
        }
    }

    fn secret_value(
        &mut self,
        field: &str,
        base64: bool,
        key: NodeId,
        value: NodeId,
        section: usize,
    ) {
        let Some((name, key_at)) = self.key(key, field) else {
            return;
        };
        let Some(written) = self.written(value) else {
            let at = self.tree.node(value).span;
            self.error(
                at,
                key_at.span,
                format!("the value of {} in `{field}` is not a string", named(&name)),
            );
            return;
        };
        let scalar = written.scalar;
        let text = if scalar.is_null() {
            ""
        } else {
            scalar.value.as_ref()
        };
        let decoded = if base64 {
            match decode_base64(text) {
                Ok(v) => v,
                Err(why) => {
                    let around = Span::new(key_at.start, written.written_end);
                    self.error(
                        scalar.raw,
                        around,
                        format!("the value of {} in `data` {why}", named(&name)),
                    );
                    return;
                }
            }
        } else {
            text.to_owned()
        };
        let value = Value::Secret {
            value: SecretString::new(decoded),
            base64,
        };
        let entry = self.entry(name, key_at, &written, value, section);
        self.out.entries.push(entry);
    }

    // --- docker compose --------------------------------------------------------------------

    fn compose(&mut self, services: NodeId) {
        let Some(services) = self.pairs(services) else {
            return;
        };
        for (name, service) in services {
            let Some(service_name) = self.tree.key_text(name).map(str::to_owned) else {
                continue;
            };
            if !self.is_map(service) {
                continue;
            }
            let Some(settings) = self.pairs(service) else {
                continue;
            };
            let section = self.out.next_section();
            for (k, env) in settings {
                if self.tree.key_text(k) == Some("environment") {
                    self.environment(&service_name, env, section);
                }
            }
        }
    }

    fn environment(&mut self, service: &str, env: NodeId, section: usize) {
        let tree = self.tree;
        let node = tree.node(tree.resolve(env));
        match &node.kind {
            Kind::Map(_) => {
                let Some(pairs) = self.pairs(env) else { return };
                for (key, value) in pairs {
                    self.compose_pair(service, key, value, section);
                }
            }
            Kind::Seq(items) => {
                for &item in items {
                    self.compose_item(service, item, section);
                }
            }
            Kind::Scalar(s) if s.is_null() => {}
            _ => {
                let at = self.tree.node(env).span;
                self.error(
                    at,
                    at,
                    format!(
                        "the `environment` of service {} is neither a mapping nor a list",
                        named(service)
                    ),
                );
            }
        }
    }

    /// `KEY: value`.
    fn compose_pair(&mut self, service: &str, key: NodeId, value: NodeId, section: usize) {
        let Some((name, key_at)) = self.key(key, "environment") else {
            return;
        };
        let Some(written) = self.written(value) else {
            let at = self.tree.node(value).span;
            self.error(
                at,
                key_at.span,
                format!(
                    "the value of {} in service {} is not a string",
                    named(&name),
                    named(service)
                ),
            );
            return;
        };
        if written.scalar.is_null() {
            return; // taken from the shell
        }
        let around = Span::new(key_at.start, written.written_end);
        let Some(interpolated) =
            self.interpolate(&name, &written.scalar.value, written.scalar.raw, around)
        else {
            return;
        };
        let entry = self.entry(
            name,
            key_at,
            &written,
            Value::Compose(interpolated),
            section,
        );
        self.out.entries.push(entry);
    }

    /// `- KEY=value`.
    fn compose_item(&mut self, service: &str, item: NodeId, section: usize) {
        let Some(written) = self.written(item) else {
            let at = self.tree.node(item).span;
            self.error(
                at,
                at,
                format!(
                    "an `environment` entry of service {} is not a string",
                    named(service)
                ),
            );
            return;
        };
        let scalar = written.scalar;
        let Some((name, value)) = scalar.value.split_once('=') else {
            return; // `- KEY`: taken from the shell
        };
        if name.is_empty() {
            self.error(
                scalar.raw,
                scalar.raw,
                format!(
                    "an `environment` entry of service {} has no name before `=`",
                    named(service)
                ),
            );
            return;
        }
        // The name and the value are one YAML scalar: split its text where the source has
        // `NAME=` verbatim (always, unless the name is written with escapes).
        let inner = scalar.inner;
        let literal = self
            .text
            .get(inner.range())
            .is_some_and(|t| t.starts_with(name) && t[name.len()..].starts_with('='));
        let (key_span, value_span) = if literal {
            let eq = inner.start + name.len();
            (Span::new(inner.start, eq), Span::new(eq + 1, inner.end))
        } else {
            (inner, inner)
        };
        let alias = matches!(self.tree.node(item).kind, Kind::Alias(_));
        let start = if alias {
            self.tree.node(item).span.start
        } else {
            scalar.raw.start
        };
        let key_at = KeyAt {
            span: key_span,
            start: item_dash(self.text, start).unwrap_or(start),
        };
        let around = Span::new(key_at.start, written.written_end);
        let Some(interpolated) = self.interpolate(name, value, value_span, around) else {
            return;
        };
        let value = Value::Compose(interpolated);
        let mut entry = self.entry(name.to_owned(), key_at, &written, value, section);
        entry.raw_value_span = value_span;
        entry.inner_value_span = value_span;
        if let ValueEncoding::Yaml { list_item, .. } = &mut entry.encoding {
            *list_item = true;
        }
        self.out.entries.push(entry);
    }

    fn interpolate(
        &mut self,
        name: &str,
        value: &str,
        at: Span,
        around: Span,
    ) -> Option<Interpolated> {
        match interpolate(value) {
            Ok(i) => Some(i),
            Err(e) => {
                self.error(
                    at,
                    around,
                    format!("the value of {} holds {}", named(name), e.describe()),
                );
                None
            }
        }
    }

    // --- entries -----------------------------------------------------------------------------

    /// A key's text and spans; reports a key that is not a string.
    fn key(&mut self, key: NodeId, field: &str) -> Option<(String, KeyAt)> {
        let tree = self.tree;
        let node = tree.node(key);
        let Some(scalar) = tree.scalar(key) else {
            self.error(
                node.span,
                node.span,
                format!("a key in `{field}` is not a string"),
            );
            return None;
        };
        let at = match node.kind {
            Kind::Alias(_) => KeyAt {
                span: node.span,
                start: node.span.start,
            },
            _ => KeyAt {
                span: scalar.inner,
                start: scalar.raw.start,
            },
        };
        Some((scalar.value.clone().into_owned(), at))
    }

    /// The scalar a value node stands for, through an alias; `None` for a collection.
    fn written(&self, value: NodeId) -> Option<Written<'r, 'a>> {
        let tree: &'r Tree<'a> = self.tree;
        let node = tree.node(value);
        let scalar = tree.scalar(value)?;
        let written_end = match node.kind {
            Kind::Alias(_) => node.span.end,
            _ => scalar.raw.end,
        };
        Some(Written {
            scalar,
            written_end,
        })
    }

    fn entry(
        &self,
        key: String,
        key_at: KeyAt,
        written: &Written<'_, 'a>,
        value: Value,
        section: usize,
    ) -> Entry {
        let scalar = written.scalar;
        let style = match scalar.style {
            ScalarStyle::Plain => YamlStyle::Plain,
            ScalarStyle::SingleQuoted => YamlStyle::SingleQuoted,
            ScalarStyle::DoubleQuoted => YamlStyle::DoubleQuoted,
            ScalarStyle::Literal | ScalarStyle::Folded => YamlStyle::Block,
        };
        let block = style == YamlStyle::Block;
        let end = written.written_end.max(key_at.span.end);
        // (value, base64, has references, only references)
        let (value, base64, references, only_references) = match value {
            Value::Secret { value, base64 } => (value, base64, false, false),
            Value::Compose(i) => {
                let only = i.only_references();
                (SecretString::new(i.value), false, i.references > 0, only)
            }
        };
        Entry {
            key,
            key_span: key_at.span,
            value,
            raw_value_span: scalar.raw,
            inner_value_span: scalar.inner,
            encoding: ValueEncoding::Yaml {
                style,
                base64,
                list_item: false,
            },
            span: Span::new(key_at.start, end),
            // After a block scalar the next line is not the entry's.
            comment: if block {
                None
            } else {
                trailing_comment(self.text, written.written_end)
            },
            line: self.lines.line_col(key_at.span.start).0,
            section,
            has_references: references,
            only_references,
            // Compose takes variables from the shell or a `.env` file, never from itself.
            unresolved_references: references,
        }
    }
}

/// A key or service name as an error message shows it: in backquotes when it is a plain
/// identifier (what Kubernetes and compose accept), otherwise described. An error masks its
/// whole line in snippets except a plain key before `:`, so a message must not show more of
/// an odd line (a value that lost its indentation can read as a key) than the snippet does.
fn named(name: &str) -> String {
    if crate::mask::plain_key(name) {
        format!("`{name}`")
    } else {
        "a key with unusual characters".to_owned()
    }
}

/// Decodes a Secret's `data` value as Kubernetes does (Go's `base64.StdEncoding`): padding
/// required, line breaks ignored, stray bits after the last byte tolerated. The error says
/// what is wrong without the value.
fn decode_base64(text: &str) -> Result<String, &'static str> {
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
            .with_decode_allow_trailing_bits(true),
    );
    let bytes = if text.contains(['\r', '\n']) {
        let joined: String = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
        ENGINE.decode(joined)
    } else {
        ENGINE.decode(text)
    };
    let bytes = bytes.map_err(|_| "is not valid base64")?;
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text once decoded from base64")
}

#[cfg(test)]
mod tests;
