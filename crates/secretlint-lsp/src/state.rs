//! The server's state: open documents, the workspace's env files as read from disk, the policy,
//! and the diagnostics last published. It sits behind one `std::sync::Mutex` that is never held
//! across an `.await`; handlers update it before their first `.await`, so a notification
//! overtaken by a later one (tower-lsp runs up to four handlers at once) cannot undo it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use secretlint_engine::{Finding, Input, LedgerInput, Policy, Report};
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::position::Encoding;
use crate::workspace::Workspace;

/// What kind of file an open document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    /// Linted: an env file, by its root-relative path.
    Env { rel: String },
    /// The policy file: gets policy diagnostics.
    Policy,
    /// The rotation metadata (the ledger), by its root-relative path: its buffer is what the
    /// age rules read, and findings inside it are published on it.
    Ledger { rel: String },
    /// Neither: ignored.
    Other,
}

/// A document the editor has open; its text is the truth, not the disk's.
#[derive(Debug, Clone)]
pub struct OpenDoc {
    pub version: i32,
    pub text: String,
    pub language_id: Option<String>,
    pub path: Option<PathBuf>,
    pub kind: DocKind,
    /// Permission bits of the file on disk, so `insecure-permissions` agrees with the CLI.
    pub mode: Option<u32>,
}

/// What the client can do, read once from `initialize`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientFeatures {
    /// `codeAction/resolve` may fill in `edit`: generated values wait until an action is picked.
    pub resolve_edit: bool,
    /// Disabled code actions are shown with their reason.
    pub disabled_actions: bool,
    /// `workspace/didChangeWatchedFiles` can be registered dynamically.
    pub watch_files: bool,
    /// `window/workDoneProgress/create` is supported.
    pub progress: bool,
    /// `workspace/applyEdit` is supported (for the command fallback).
    pub apply_edit: bool,
}

/// What was last published for one document, for code actions, hover and completion.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub version: i32,
    /// The findings with the diagnostics made of them, in the same order.
    pub findings: Vec<(Finding, Diagnostic)>,
}

/// Everything the server knows.
#[derive(Debug, Default)]
pub struct State {
    pub encoding: Encoding,
    pub features: ClientFeatures,
    /// The folder from `initialize`, if the client sent one.
    pub folder: Option<PathBuf>,
    /// An explicit policy path from the initialization options.
    pub explicit_policy: Option<PathBuf>,
    pub workspace: Option<Workspace>,
    pub docs: HashMap<Uri, OpenDoc>,
    /// Env files of the workspace as read from disk, by root-relative path.
    pub disk: HashMap<String, Input>,
    /// The rotation metadata as read from disk, when the workspace has one.
    pub ledger_disk: Option<String>,
    /// The disk index has been built for the current policy; until then checks wait, so the
    /// first diagnostics already include cross-file findings.
    pub index_ready: bool,
    /// Bumped whenever a new index build starts; a build that is no longer current is dropped.
    pub index_generation: u64,
    pub published: HashMap<Uri, Published>,
    /// Closed documents whose diagnostics the checker must clear.
    pub to_clear: Vec<Uri>,
    /// Policy-file diagnostics last published, by document version.
    pub published_policy: HashMap<Uri, i32>,
    /// The policy error last shown in a message, so it is shown once.
    pub policy_error_shown: Option<String>,
    pub shutdown: bool,
    /// The shortest time between two checks while edits keep coming.
    pub debounce: std::time::Duration,
    /// Inlay hints with each secret's age, when the client asked for them.
    pub inlay_hints: bool,
}

impl State {
    /// An open env document with its root-relative path and the policy that governs it: what
    /// hover and inlay hints read. `None` for other documents or before a policy is loaded.
    pub fn env_doc(&self, uri: &Uri) -> Option<(&OpenDoc, &str, Arc<Policy>)> {
        let doc = self.docs.get(uri)?;
        let DocKind::Env { rel } = &doc.kind else {
            return None;
        };
        let policy = self.workspace.as_ref()?.policy.clone()?;
        Some((doc, rel, policy))
    }
}

/// A consistent copy of what one check needs, taken under the lock and used without it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub policy: Arc<Policy>,
    pub root: PathBuf,
    pub inputs: Vec<Input>,
    /// The rotation metadata: the open buffer's text, else the disk's.
    pub ledger: Option<LedgerInput>,
    /// Open env and ledger documents: root-relative path → (URI, version).
    pub open: HashMap<String, (Uri, i32)>,
    pub encoding: Encoding,
}

impl State {
    /// Classifies a path for the current workspace.
    pub fn classify(&self, path: Option<&PathBuf>, language_id: Option<&str>) -> DocKind {
        let (Some(ws), Some(path)) = (&self.workspace, path) else {
            return DocKind::Other;
        };
        if ws.is_policy_file(path) {
            return DocKind::Policy;
        }
        let rel = ws.relative(path);
        if ws.policy.as_ref().is_some_and(|p| p.ledger == rel) {
            return DocKind::Ledger { rel };
        }
        if ws.is_env_file(&rel, language_id) {
            DocKind::Env { rel }
        } else {
            DocKind::Other
        }
    }

    /// Re-classifies every open document (after the workspace or its policy changed).
    pub fn reclassify(&mut self) {
        let kinds: Vec<(Uri, DocKind)> = self
            .docs
            .iter()
            .map(|(uri, d)| {
                (
                    uri.clone(),
                    self.classify(d.path.as_ref(), d.language_id.as_deref()),
                )
            })
            .collect();
        for (uri, kind) in kinds {
            if let Some(d) = self.docs.get_mut(&uri) {
                d.kind = kind;
            }
        }
    }

    /// The inputs of a check: every indexed file from disk, with open documents' text over
    /// them. `None` while there is nothing to check against (no policy yet, index pending).
    pub fn snapshot(&self) -> Option<Snapshot> {
        let ws = self.workspace.as_ref()?;
        let policy = ws.policy.clone()?;
        if !self.index_ready {
            return None;
        }
        let mut inputs: HashMap<&str, Input> = self
            .disk
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        let mut open = HashMap::new();
        let mut ledger = self.ledger_disk.clone().map(|text| LedgerInput {
            path: policy.ledger.clone(),
            text,
        });
        for (uri, doc) in &self.docs {
            match &doc.kind {
                DocKind::Env { rel } => {
                    inputs.insert(
                        rel,
                        Input {
                            path: rel.clone(),
                            content: secretlint_engine::Content::Text {
                                text: doc.text.clone(),
                                mode: doc.mode,
                            },
                        },
                    );
                    open.insert(rel.clone(), (uri.clone(), doc.version));
                }
                DocKind::Ledger { rel } => {
                    ledger = Some(LedgerInput {
                        path: rel.clone(),
                        text: doc.text.clone(),
                    });
                    open.insert(rel.clone(), (uri.clone(), doc.version));
                }
                DocKind::Policy | DocKind::Other => {}
            }
        }
        Some(Snapshot {
            policy,
            root: ws.root.clone(),
            inputs: inputs.into_values().collect(),
            ledger,
            open,
            encoding: self.encoding,
        })
    }
}

/// The file URI of a root-relative path.
pub fn file_uri(root: &std::path::Path, rel: &str) -> Option<Uri> {
    let joined = root.join(rel);
    let path = std::path::absolute(&joined).unwrap_or(joined);
    let clean: PathBuf = normalize(&path);
    Uri::from_file_path(clean)
}

/// Resolves `..` and `.` lexically (the path may not exist).
fn normalize(path: &std::path::Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The diagnostics of one report for one file, by the report's file index.
pub fn report_file_index(report: &Report, rel: &str) -> Option<usize> {
    report.files.iter().position(|f| f.path == rel)
}
