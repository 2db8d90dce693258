//! The `LanguageServer` implementation: lifecycle, document sync, and the requests.
//!
//! Every notification handler updates the state synchronously, before its first `.await`, and
//! drops a change whose version is not newer than the stored one; publishing is left to the
//! checker task (see [`crate::checker`]), so handlers never race each other's diagnostics.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use secretlint_engine::age::Ledger;
use secretlint_engine::discover;
use secretlint_engine::document::{Document, DocumentKind};
use secretlint_engine::fix::{self, FixOptions};
use secretlint_engine::{CheckOptions, Report, Rule};
use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use crate::actions::{
    self, APPLY_FIX_COMMAND, ActionData, FIX_ALL_KIND, RESTRICT_PERMISSIONS_COMMAND,
};
use crate::checker::{self, DEFAULT_DEBOUNCE, Wake};
use crate::hover;
use crate::position::{Encoding, LineMap, apply_change};
use crate::rotation::{self, RECORD_ROTATION_COMMAND, RecordArgs};
use crate::state::{ClientFeatures, DocKind, OpenDoc, State, report_file_index};
use crate::workspace::{Workspace, uri_path};

/// Settings of a server that are not negotiated with the client.
#[derive(Debug, Clone)]
pub struct Options {
    /// "Today" for age rules; `None` reads the clock at every check.
    pub now: Option<jiff::Timestamp>,
    /// The shortest time between two checks while edits keep coming.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            now: None,
            debounce: DEFAULT_DEBOUNCE,
        }
    }
}

/// `initializationOptions` a client may send.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct InitOptions {
    /// A policy file, relative to the workspace folder (as `secretlint check --policy`).
    policy: Option<PathBuf>,
    /// Overrides [`Options::debounce`], in milliseconds.
    debounce_ms: Option<u64>,
    /// Show each secret's age at the end of its line ("rotated 12 days ago · due in 18").
    inlay_hints: bool,
}

/// What the handlers and the checker share.
#[derive(Debug)]
pub struct Inner {
    pub client: Client,
    state: Mutex<State>,
    pub wake: Wake,
    pub options: Options,
    /// Value analyses kept between checks: an edit re-analyses only the values it changed.
    pub cache: Arc<secretlint_engine::AnalysisCache>,
}

impl Inner {
    /// The state. A handler that panicked while holding the lock left it consistent enough to
    /// go on with (every update is a single assignment), so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The language server.
#[derive(Debug)]
pub struct Backend {
    inner: Arc<Inner>,
}

/// A service and the socket for its server-to-client messages, ready for
/// [`tower_lsp_server::Server::serve`].
pub fn service(options: Options) -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::new(|client| Backend {
        inner: Arc::new(Inner {
            client,
            state: Mutex::new(State::default()),
            wake: Wake::default(),
            options,
            cache: Arc::default(),
        }),
    })
}

fn features(caps: &ClientCapabilities) -> ClientFeatures {
    let td = caps.text_document.as_ref();
    let ca = td.and_then(|t| t.code_action.as_ref());
    let ws = caps.workspace.as_ref();
    ClientFeatures {
        resolve_edit: ca
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        disabled_actions: ca.and_then(|c| c.disabled_support).unwrap_or(false),
        watch_files: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        progress: caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        apply_edit: ws.and_then(|w| w.apply_edit).unwrap_or(false),
    }
}

/// The folder to work in: the first workspace folder, else the root URI.
#[expect(
    deprecated,
    reason = "`root_uri` is still what single-folder clients send"
)]
fn folder(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_path(&f.uri))
        .or_else(|| params.root_uri.as_ref().and_then(uri_path))
}

/// The permission bits of a file on disk.
fn disk_mode(path: &std::path::Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl Backend {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock()
    }

    /// Loads the workspace for `folder` and starts indexing it.
    fn start_workspace(&self, state: &mut State, folder: PathBuf) {
        let ws = Workspace::load(&folder, state.explicit_policy.as_deref());
        tracing::info!(root = %ws.root.display(), policy = ?ws.policy_path, valid = ws.policy.is_some(), "workspace");
        state.workspace = Some(ws);
        state.reclassify();
        tokio::spawn(checker::index(self.inner.clone()));
    }

    /// Reloads the policy from `text` (or from disk); re-indexes and re-checks when it changed.
    fn reload_policy(&self, text: Option<String>) {
        let mut state = self.lock();
        let Some(ws) = state.workspace.as_mut() else {
            return;
        };
        let text = match text.or_else(|| {
            ws.policy_path
                .as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
        }) {
            Some(t) => t,
            None => return,
        };
        let changed = ws.reload_from(&text);
        tracing::info!(valid = changed, "policy reloaded");
        state.reclassify();
        // Open policy documents get their diagnostics again against the new state.
        state.published_policy.clear();
        state.policy_error_shown = None;
        drop(state);
        if changed {
            tokio::spawn(checker::index(self.inner.clone()));
        }
        self.inner.wake.wake();
    }

    /// Re-reads one env file (or the rotation metadata) from disk into the index, or drops
    /// it when it is gone.
    fn refresh_disk(&self, path: &std::path::Path, deleted: bool) {
        let mut state = self.lock();
        let Some(ws) = state.workspace.as_ref() else {
            return;
        };
        let rel = ws.relative(path);
        let gone = deleted || !path.exists();
        if ws.policy.as_ref().is_some_and(|p| p.ledger == rel) {
            state.ledger_disk = if gone {
                None
            } else {
                std::fs::read_to_string(path).ok()
            };
            return;
        }
        let claimed = ws
            .policy
            .as_ref()
            .is_some_and(|p| p.environment_for(&rel).is_some());
        if gone {
            state.disk.remove(&rel);
        } else if claimed {
            state
                .disk
                .insert(rel.clone(), discover::read_input(path, rel));
        }
    }

    /// The rotation metadata in force: the open buffer, else the disk; `None` when there is
    /// none or it does not parse (the check reports why).
    fn ledger(state: &State) -> Option<Ledger> {
        let open = state
            .docs
            .values()
            .find(|d| matches!(d.kind, DocKind::Ledger { .. }))
            .map(|d| d.text.as_str());
        Ledger::parse(open.or(state.ledger_disk.as_deref())?).ok()
    }

    /// "Today": the pinned time of the options, else the clock.
    fn now(&self) -> jiff::Timestamp {
        self.inner.options.now.unwrap_or_else(jiff::Timestamp::now)
    }

    /// The workspace edit of a picked action, and the rotations to record once it is applied.
    /// The engine plans it exactly as `secretlint fix` would for the same findings (shared
    /// secrets, mirrors, linked URL passwords, `rotate_with` partners, `_PREVIOUS` companions,
    /// each value written in its entry's own encoding); this is the only place values are
    /// generated.
    fn plan(
        &self,
        data: &ActionData,
    ) -> std::result::Result<(WorkspaceEdit, Option<RecordArgs>), String> {
        let (snapshot, rel, version) = {
            let state = self.lock();
            let doc = state
                .docs
                .get(&data.uri)
                .ok_or("the document is no longer open")?;
            let DocKind::Env { rel } = &doc.kind else {
                return Err("not an env file".into());
            };
            let snapshot = state
                .snapshot()
                .ok_or("the workspace is still being indexed; try again")?;
            (snapshot, rel.clone(), doc.version)
        };
        let now = self.now();
        let options = CheckOptions {
            now: Some(now),
            ledger: snapshot.ledger.clone(),
            ..Default::default()
        };
        let report = secretlint_engine::check_with_cache(
            &snapshot.policy,
            snapshot.inputs.clone(),
            &options,
            &self.inner.cache,
        );
        let file =
            report_file_index(&report, &rel).ok_or("the document is not part of the check")?;
        let findings = actions::chosen(&report, file, data, version)?;
        if findings.is_empty() {
            return Err("nothing to fix".into());
        }
        let ledger = snapshot
            .ledger
            .as_ref()
            .and_then(|l| Ledger::parse(&l.text).ok());
        let fix_options = FixOptions {
            now,
            // The user picked this finding: a secret due soon is rotated like any other.
            include_expiring: true,
            selected: Some(BTreeSet::from([rel.clone()])),
            environment: None,
            on_demand: None,
            ledger,
            unwritable: BTreeMap::new(),
        };
        let chosen = Report {
            files: report.files.clone(),
            findings,
            timings: Vec::new(),
        };
        let plan = fix::plan(&snapshot.policy, &chosen, &fix_options);
        if plan.changes.iter().all(|c| c.edits.is_empty()) {
            return Err(actions::nothing_planned(&plan));
        }
        let uris: std::collections::HashMap<&str, &Uri> = snapshot
            .open
            .iter()
            .map(|(rel, (uri, _))| (rel.as_str(), uri))
            .collect();
        let uri_of = |path: &str| {
            uris.get(path)
                .map(|u| (*u).clone())
                .or_else(|| crate::state::file_uri(&snapshot.root, path))
        };
        let edit = actions::plan_edit(&chosen, &plan, snapshot.encoding, &uri_of);
        let records = RecordArgs::of_plan(&plan.ledger, &plan.events);
        Ok((edit, (!records.is_empty()).then_some(records)))
    }

    /// Records rotations in the ledger and the audit log, then re-checks.
    fn record(&self, args: &RecordArgs) -> std::result::Result<(), String> {
        let now = self.now();
        let mut state = self.lock();
        let ws = state.workspace.as_ref().ok_or("no workspace")?;
        let policy = ws.policy.clone().ok_or("no valid policy is loaded")?;
        let root = ws.root.clone();
        // An open ledger with unsaved edits would be overwritten behind the editor's back.
        let unsaved = state.docs.values().any(|d| {
            matches!(&d.kind, DocKind::Ledger { .. }) && Some(&d.text) != state.ledger_disk.as_ref()
        });
        if unsaved {
            return Err(format!(
                "save `{}` first: it has unsaved changes",
                policy.ledger
            ));
        }
        let actor = rotation::actor();
        let text = rotation::apply(state.ledger_disk.as_deref(), args, &actor)?;
        rotation::write(&root, &policy, &text, args, now, &actor)
            .map_err(|e| format!("could not record the rotation in `{}`: {e}", policy.ledger))?;
        tracing::info!(rotations = args.rotations.len(), by = %args.by, "recorded rotations");
        state.ledger_disk = Some(text);
        drop(state);
        self.inner.wake.wake();
        Ok(())
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into().into(),
        data: None,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let init: InitOptions = params
            .initialization_options
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        {
            let mut state = self.lock();
            state.encoding = encoding;
            state.features = features(&params.capabilities);
            state.folder = folder(&params);
            state.explicit_policy = init.policy;
            state.inlay_hints = init.inlay_hints;
            state.debounce = init
                .debounce_ms
                .map_or(self.inner.options.debounce, Duration::from_millis);
        }
        tokio::spawn(checker::run(self.inner.clone()));
        tracing::info!(encoding = ?encoding, "initialize");
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "secretlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(true),
                        })),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                // Off unless asked for: ages at the end of every line are noise for most users.
                inlay_hint_provider: init.inlay_hints.then_some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions::default()),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, FIX_ALL_KIND]),
                        resolve_provider: Some(true),
                        ..Default::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        APPLY_FIX_COMMAND.into(),
                        RECORD_ROTATION_COMMAND.into(),
                        RESTRICT_PERMISSIONS_COMMAND.into(),
                    ],
                    ..Default::default()
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (folder, watch) = {
            let mut state = self.lock();
            let folder = state.folder.clone();
            if let Some(f) = folder.clone() {
                self.start_workspace(&mut state, f);
            }
            (folder, state.features.watch_files)
        };
        if watch {
            // Spawned: awaiting the client here would hold one of the four handler slots.
            let client = self.inner.client.clone();
            // The ledger's path comes from the policy; the environments' globs name the rest.
            let mut globs: Vec<String> = [
                "**/secretlint.toml",
                "**/.env",
                "**/.env.*",
                "**/*.env",
                "**/*.yaml",
                "**/*.yml",
            ]
            .into_iter()
            .map(String::from)
            .collect();
            if let Some(ledger) = self
                .lock()
                .workspace
                .as_ref()
                .and_then(|w| w.policy.as_ref())
                .map(|p| p.ledger.clone())
            {
                globs.push(format!("**/{ledger}"));
            }
            tokio::spawn(async move {
                let watchers = globs
                    .into_iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g),
                        kind: None,
                    })
                    .collect();
                let options = DidChangeWatchedFilesRegistrationOptions { watchers };
                let registration = Registration {
                    id: "secretlint-watch".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(options).ok(),
                };
                if let Err(e) = client.register_capability(vec![registration]).await {
                    tracing::warn!("could not register file watchers: {e}");
                }
            });
        } else {
            tracing::info!(
                "the client cannot watch files; the policy is re-read when it is saved in the editor"
            );
        }
        if folder.is_none() {
            tracing::info!(
                "no workspace folder; the workspace is chosen when the first file is opened"
            );
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.lock().shutdown = true;
        self.inner.wake.wake();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let path = uri_path(&td.uri);
        {
            let mut state = self.lock();
            if state.workspace.is_none()
                && let Some(dir) = path.as_ref().and_then(|p| p.parent())
            {
                self.start_workspace(&mut state, dir.to_path_buf());
            }
            let kind = state.classify(path.as_ref(), Some(&td.language_id));
            tracing::debug!(uri = td.uri.as_str(), version = td.version, ?kind, "open");
            let mode = path.as_deref().and_then(disk_mode);
            let doc = OpenDoc {
                version: td.version,
                text: td.text,
                language_id: Some(td.language_id),
                path,
                kind,
                mode,
            };
            state.docs.insert(td.uri, doc);
        }
        self.inner.wake.wake();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let id = params.text_document;
        {
            let mut state = self.lock();
            let encoding = state.encoding;
            let Some(doc) = state.docs.get_mut(&id.uri) else {
                return;
            };
            if id.version <= doc.version {
                tracing::debug!(
                    uri = id.uri.as_str(),
                    version = id.version,
                    stored = doc.version,
                    "ignored a change that is not newer"
                );
                return;
            }
            for change in params.content_changes {
                apply_change(&mut doc.text, change.range, &change.text, encoding);
            }
            doc.version = id.version;
        }
        self.inner.wake.wake();
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let (kind, path) = {
            let state = self.lock();
            match state.docs.get(&params.text_document.uri) {
                Some(d) => (d.kind.clone(), d.path.clone()),
                None => return,
            }
        };
        match kind {
            DocKind::Policy => self.reload_policy(params.text),
            DocKind::Env { .. } | DocKind::Ledger { .. } => {
                if let Some(p) = path {
                    self.refresh_disk(&p, false);
                    let mode = disk_mode(&p);
                    if let Some(d) = self.lock().docs.get_mut(&params.text_document.uri) {
                        d.mode = mode;
                    }
                }
                self.inner.wake.wake();
            }
            DocKind::Other => {}
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let closed = {
            let mut state = self.lock();
            let closed = state.docs.remove(&uri);
            state.published.remove(&uri);
            state.published_policy.remove(&uri);
            if closed.is_some() {
                state.to_clear.push(uri.clone());
            }
            closed
        };
        // The buffer may have been discarded unsaved: the disk is the truth again.
        if let Some(OpenDoc {
            kind: DocKind::Env { .. } | DocKind::Ledger { .. },
            path: Some(path),
            ..
        }) = &closed
        {
            self.refresh_disk(path, false);
        }
        self.inner.wake.wake();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut policy_changed = false;
        for change in params.changes {
            let Some(path) = uri_path(&change.uri) else {
                continue;
            };
            let is_policy = self
                .lock()
                .workspace
                .as_ref()
                .is_some_and(|w| w.is_policy_file(&path));
            if is_policy {
                policy_changed = true;
            } else {
                self.refresh_disk(&path, change.typ == FileChangeType::DELETED);
            }
        }
        if policy_changed {
            self.reload_policy(None);
        }
        self.inner.wake.wake();
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = self.lock();
        let Some(doc) = state.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        let Some(published) = state.published.get(&params.text_document.uri) else {
            return Ok(Some(Vec::new()));
        };
        let DocKind::Env { rel } = &doc.kind else {
            return Ok(Some(Vec::new()));
        };
        let cx = actions::ListContext {
            uri: &params.text_document.uri,
            version: doc.version,
            text: &doc.text,
            path: doc.path.as_deref(),
            published,
            features: state.features,
            encoding: state.encoding,
            rel,
            now: self.now(),
        };
        Ok(Some(actions::list(
            &cx,
            params.range,
            params.context.only.as_deref(),
        )))
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let Some(data) = action
            .data
            .clone()
            .and_then(|d| serde_json::from_value::<ActionData>(d).ok())
        else {
            return Ok(action);
        };
        let (edit, records) = self.plan(&data).map_err(invalid)?;
        action.edit = Some(edit);
        // Run after the edit is applied: the new values are rotations the ledger must know.
        action.command = records.as_ref().map(actions::record_command);
        Ok(action)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let arg = params.arguments.into_iter().next();
        match params.command.as_str() {
            APPLY_FIX_COMMAND => {
                let data: ActionData = arg
                    .and_then(|v| serde_json::from_value(v).ok())
                    .ok_or_else(|| invalid("expected the fix's data as the argument"))?;
                let (edit, records) = self.plan(&data).map_err(invalid)?;
                let applied = self.inner.client.apply_edit(edit).await?;
                if !applied.applied {
                    tracing::warn!(reason = ?applied.failure_reason, "the client did not apply the fix");
                    return Ok(None);
                }
                if let Some(records) = records {
                    self.record(&records).map_err(invalid)?;
                }
                Ok(None)
            }
            RECORD_ROTATION_COMMAND => {
                let args: RecordArgs = arg
                    .and_then(|v| serde_json::from_value(v).ok())
                    .ok_or_else(|| invalid("expected the rotations to record as the argument"))?;
                self.record(&args).map_err(invalid)?;
                Ok(None)
            }
            RESTRICT_PERMISSIONS_COMMAND => {
                let path = arg
                    .and_then(|v| v.as_str().map(PathBuf::from))
                    .ok_or_else(|| invalid("expected a file path as the argument"))?;
                // Only files this server lints: the command is not a general chmod.
                let ours = {
                    let state = self.lock();
                    state
                        .workspace
                        .as_ref()
                        .is_some_and(|w| w.is_env_file(&w.relative(&path), None))
                };
                if !ours {
                    return Err(invalid(format!(
                        "`{}` is not an env file of the workspace",
                        path.display()
                    )));
                }
                restrict_permissions(&path)
                    .map_err(|e| invalid(format!("could not change `{}`: {e}", path.display())))?;
                self.refresh_disk(&path, false);
                let mode = disk_mode(&path);
                for doc in self.lock().docs.values_mut() {
                    if doc.path.as_deref() == Some(path.as_path()) {
                        doc.mode = mode;
                    }
                }
                self.inner.wake.wake();
                Ok(None)
            }
            other => Err(invalid(format!("unknown command `{other}`"))),
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let state = self.lock();
        let Some((doc, rel, policy)) = state.env_doc(&pos.text_document.uri) else {
            return Ok(None);
        };
        let map = LineMap::new(&doc.text, state.encoding);
        let offset = map.offset(pos.position);
        let parsed = Document::parse(DocumentKind::for_path(rel), &doc.text);
        let Some(entry) = parsed
            .entries
            .iter()
            .find(|e| e.span.start <= offset && offset <= e.span.end)
        else {
            return Ok(None);
        };
        let published = state
            .published
            .get(&pos.text_document.uri)
            .filter(|p| p.version == doc.version);
        let findings = hover::findings_on(
            entry,
            published
                .into_iter()
                .flat_map(|p| p.findings.iter().map(|(f, _)| f)),
        );
        let ledger = Self::ledger(&state);
        let age = hover::AgeContext {
            text: &doc.text,
            document: &parsed,
            rel,
            ledger: ledger.as_ref(),
            now: self.now(),
        };
        let text = hover::describe(&policy, policy.environment_for(rel), entry, &findings, &age);
        Ok(text.map(|value| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(map.range(entry.key_span.start, entry.key_span.end)),
        }))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let state = self.lock();
        if !state.inlay_hints {
            return Ok(None);
        }
        let Some((doc, rel, policy)) = state.env_doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let map = LineMap::new(&doc.text, state.encoding);
        let (from, to) = (map.offset(params.range.start), map.offset(params.range.end));
        let parsed = Document::parse(DocumentKind::for_path(rel), &doc.text);
        let ledger = Self::ledger(&state);
        let age = hover::AgeContext {
            text: &doc.text,
            document: &parsed,
            rel,
            ledger: ledger.as_ref(),
            now: self.now(),
        };
        let hints = parsed
            .entries
            .iter()
            .filter(|e| e.span.end >= from && e.span.start <= to)
            .filter_map(|e| {
                let (_, _, a) = hover::age_of(&policy, e, &age)?.last?;
                let label = format!(
                    "rotated {} days ago · {}",
                    a.age_days,
                    hover::due_phrase(a.status)
                );
                Some(InlayHint {
                    position: map.position(e.span.end),
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
            })
            .collect();
        Ok(Some(hints))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let state = self.lock();
        let Some(doc) = state.docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let map = LineMap::new(&doc.text, state.encoding);
        let offset = map.offset(pos.position);
        let line_start = map.line_start(pos.position.line as usize);
        let before = doc.text.get(line_start..offset).unwrap_or("");
        let typed = before.trim_start();
        // Keys are completed only where a key is being typed.
        if typed.contains(['=', '#', ' ']) {
            return Ok(None);
        }
        let Some(published) = state.published.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let start = map.position(offset - typed.len());
        let mut items: Vec<CompletionItem> = Vec::new();
        for (finding, _) in &published.findings {
            let (Rule::MissingRequired, Some(key)) = (finding.rule, finding.key.as_deref()) else {
                continue;
            };
            if items.iter().any(|i| i.label == key) {
                continue;
            }
            items.push(CompletionItem {
                label: key.to_owned(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some(finding.message.to_string()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: Range::new(start, pos.position),
                    new_text: format!("{key}="),
                })),
                ..Default::default()
            });
        }
        Ok(Some(CompletionResponse::Array(items)))
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_permissions(_: &std::path::Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "permissions are Unix-only",
    ))
}
