//! The files of one check: what was read, how it parsed, which environment it belongs to.

use crate::document::{Document, DocumentKind};

/// One file handed to the engine by the discovery layer, the language server or a test.
#[derive(Debug, Clone)]
pub struct Input {
    /// Slash-separated path relative to the policy's directory: what environment globs match
    /// and what output shows.
    pub path: String,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub enum Content {
    Text {
        text: String,
        /// Unix permission bits, when known (for `insecure-permissions`).
        mode: Option<u32>,
    },
    /// The file could not be read; the reason is shown as an `unreadable-input` finding.
    Unreadable { reason: String },
}

impl Input {
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Input {
        Input {
            path: path.into(),
            content: Content::Text {
                text: text.into(),
                mode: None,
            },
        }
    }
}

/// A file after reading and parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    /// The file's text; empty when it could not be read. Render only [`crate::mask`]ed copies.
    pub text: String,
    /// What the file turned out to be (a YAML file's content decides).
    pub kind: DocumentKind,
    pub document: Document,
    pub environment: Option<usize>,
    pub mode: Option<u32>,
    pub unreadable: Option<String>,
}

impl SourceFile {
    /// Parses `input` and places it in the policy's environment for its path, or, for a
    /// manifest no environment's globs place, the environment its namespace is listed under.
    pub fn read(policy: &crate::Policy, input: Input) -> SourceFile {
        let env = policy.environment_for(&input.path);
        SourceFile::placed(policy, input, env)
    }

    /// [`SourceFile::read`] for an input whose path is already known to match `env`'s globs
    /// (`None`: no environment's), so the globs are not matched twice.
    pub(crate) fn placed(policy: &crate::Policy, input: Input, env: Option<usize>) -> SourceFile {
        let mut file = SourceFile::new(input, env);
        if file.environment.is_none() {
            file.environment = file
                .document
                .namespace
                .as_deref()
                .and_then(|ns| policy.environment_for_namespace(ns));
        }
        file
    }

    pub(crate) fn new(input: Input, environment: Option<usize>) -> SourceFile {
        let kind = DocumentKind::for_path(&input.path);
        match input.content {
            Content::Text { text, mode } => {
                let document = Document::parse(kind, &text);
                SourceFile {
                    kind: document.kind,
                    document,
                    path: input.path,
                    text,
                    environment,
                    mode,
                    unreadable: None,
                }
            }
            Content::Unreadable { reason } => SourceFile {
                document: Document::parse(kind, ""),
                path: input.path,
                text: String::new(),
                kind,
                environment,
                mode: None,
                unreadable: Some(reason),
            },
        }
    }

    /// The directory part of the path, with a trailing slash (empty at the root).
    pub fn dir(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[..=i],
            None => "",
        }
    }

    /// The file name.
    pub fn name(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[i + 1..],
            None => &self.path,
        }
    }
}
