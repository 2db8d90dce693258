//! Documents: the file formats secretlint reads, each turned into one shape — entries with
//! byte spans for every key and value — so that rules, renderers and the fix applier never
//! care which format a value came from.

pub mod env;
pub mod yaml;

use crate::secret::SecretString;
use crate::span::Span;

/// The format of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    Env,
    /// A YAML file whose content decides what it is: read as nothing when it is neither a
    /// Secret nor a compose file (a Deployment, a CI configuration).
    Yaml,
    /// A Kubernetes `Secret` manifest (`data` base64-encoded, `stringData` plain).
    KubernetesSecret,
    /// A docker compose file (`environment` in map or list form).
    Compose,
    /// The rotation metadata (the ledger): no entries, but findings can point into it.
    Ledger,
}

impl DocumentKind {
    /// Picks the reader for a path: `.yaml` and `.yml` files are read as YAML (the content
    /// then says whether a file is a Kubernetes Secret, a compose file or neither, see
    /// [`Document::parse`]); everything else is read as a .env file.
    pub fn for_path(path: &str) -> DocumentKind {
        if yaml::is_yaml_path(path) {
            DocumentKind::Yaml
        } else {
            DocumentKind::Env
        }
    }
}

/// How a value is written in its file, so a replacement can be written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueEncoding {
    Env(env::Quote),
    /// A YAML scalar; `base64` when the value is stored base64-encoded (a Secret's `data`).
    Yaml {
        style: YamlStyle,
        base64: bool,
        /// The value is the part after `=` of a compose `- KEY=value` item: its spans lie
        /// inside the item's scalar (inside its quotes when it is quoted), so a rewrite escapes
        /// the new value for `style` and adds no quotes of its own.
        list_item: bool,
    },
}

/// How a YAML scalar is written, so a replacement keeps the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum YamlStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` or `>` block scalars.
    Block,
}

/// One key and its value, whatever the format.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    /// The value as the application sees it.
    pub value: SecretString,
    /// The value token as written (quotes included): what a rewrite replaces.
    pub raw_value_span: Span,
    /// The value between its quotes.
    pub inner_value_span: Span,
    pub encoding: ValueEncoding,
    /// The whole entry, for removal.
    pub span: Span,
    /// A trailing comment on the entry's line.
    pub comment: Option<Span>,
    /// 0-based line of the key.
    pub line: usize,
    /// Which part of its file the entry belongs to: always 0 in a .env file; in a manifest,
    /// one number per Secret (a file may hold several) or per compose service. A key may
    /// appear once in each part: only a repeat within one part is a duplicate, and only
    /// entries of one part see each other (the last definition wins, a linked URL and its
    /// password go together).
    pub section: usize,
    /// The value contains `$VAR` references.
    pub has_references: bool,
    /// The value is nothing but references (`${OTHER}`): an alias, not a secret of its own.
    pub only_references: bool,
    /// Some reference could not be resolved from the same file.
    pub unresolved_references: bool,
}

impl Entry {
    /// Whether the inner span holds exactly the value's text, so that positions inside the
    /// value (a URL's password) can be mapped to byte offsets in the file.
    pub fn value_is_verbatim(&self, text: &str) -> bool {
        text.get(self.inner_value_span.range()) == Some(self.value.expose())
    }
}

/// A problem reading part of a document. The message never quotes the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    pub span: Span,
    /// The narrow location to underline.
    pub at: Span,
    pub message: String,
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub entries: Vec<Entry>,
    /// Full-line comments.
    pub comments: Vec<Span>,
    pub errors: Vec<DocumentError>,
    pub crlf: bool,
    /// The `metadata.namespace` of a Kubernetes Secret (the first one that has one, when a
    /// file holds several): a policy can place the file in an environment by it.
    pub namespace: Option<String>,
}

impl Document {
    /// Reads `text` as `kind`. A [`DocumentKind::Yaml`] file comes back as the kind its
    /// content shows ([`DocumentKind::KubernetesSecret`], [`DocumentKind::Compose`], or
    /// [`DocumentKind::Yaml`] with no entries); asking for one of the two manifest kinds
    /// reads only documents of that kind.
    pub fn parse(kind: DocumentKind, text: &str) -> Document {
        match kind {
            DocumentKind::Env => Document::from_env(env::parse(text), text),
            DocumentKind::Yaml | DocumentKind::KubernetesSecret | DocumentKind::Compose => {
                yaml::parse(text, kind)
            }
            DocumentKind::Ledger => Document {
                kind,
                entries: Vec::new(),
                comments: Vec::new(),
                errors: Vec::new(),
                crlf: text.contains("\r\n"),
                namespace: None,
            },
        }
    }

    fn from_env(doc: env::EnvDocument, text: &str) -> Document {
        let entries = doc
            .entries
            .into_iter()
            .map(|e| {
                let inner = text.get(e.inner_value_span.range()).unwrap_or("");
                let only_references = !e.references.is_empty() && {
                    let mut rest = inner.to_owned();
                    for r in &e.references {
                        if let Some(t) = text.get(r.span.range()) {
                            rest = rest.replacen(t, "", 1);
                        }
                    }
                    rest.trim().is_empty()
                };
                Entry {
                    has_references: !e.references.is_empty(),
                    unresolved_references: e.references.iter().any(|r| !r.resolved),
                    only_references,
                    key: e.key,
                    key_span: e.key_span,
                    value: e.value,
                    raw_value_span: e.raw_value_span,
                    inner_value_span: e.inner_value_span,
                    encoding: ValueEncoding::Env(e.quote),
                    span: e.span,
                    comment: e.comment,
                    line: e.line,
                    section: 0,
                }
            })
            .collect();
        Document {
            kind: DocumentKind::Env,
            entries,
            comments: doc.comments.iter().map(|c| c.span).collect(),
            errors: doc
                .errors
                .into_iter()
                .map(|e| DocumentError {
                    span: e.span,
                    at: e.at,
                    message: e.message,
                })
                .collect(),
            crlf: doc.crlf,
            namespace: None,
        }
    }
}
