//! The one task that checks and publishes, and the background index of the workspace's files.
//!
//! Every `publishDiagnostics` comes from [`run`], one check at a time, so diagnostics for a
//! document can never arrive out of order. Edits wake it through a [`Notify`], which holds at
//! most one pending wake-up: a burst of keystrokes during a check becomes one follow-up check
//! of the latest text. An idle server checks at once (so one edit is answered in the engine's
//! time, not after a timer); while edits keep coming, checks start at most once per
//! `debounce`, so fast typing costs a bounded amount of work.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::{CheckOptions, Policy};
use tokio::sync::Notify;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{Diagnostic, MessageType, ProgressToken, Uri};

use crate::diagnostics;
use crate::server::Inner;
use crate::state::{DocKind, Published, report_file_index};

/// Wakes the checker.
#[derive(Debug, Default)]
pub struct Wake(Notify);

impl Wake {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Publications decided under the lock and sent after it is released.
type Outbox = Vec<(Uri, Vec<Diagnostic>, Option<i32>)>;

/// The checker loop. Ends when the server shuts down.
pub async fn run(inner: Arc<Inner>) {
    let mut last_start: Option<Instant> = None;
    loop {
        inner.wake.0.notified().await;
        let (shutdown, debounce) = {
            let state = inner.lock();
            (state.shutdown, state.debounce)
        };
        if shutdown {
            break;
        }
        if let Some(t) = last_start {
            let next = t + debounce;
            if Instant::now() < next {
                tokio::time::sleep_until(next.into()).await;
            }
        }
        let outbox = side_publications(&inner);
        send(&inner.client, outbox).await;
        let Some(snapshot) = inner.lock().snapshot() else {
            continue;
        };
        last_start = Some(Instant::now());
        let options = CheckOptions {
            now: Some(inner.options.now.unwrap_or_else(jiff::Timestamp::now)),
            ledger: snapshot.ledger.clone(),
            ..Default::default()
        };
        let files = snapshot.inputs.len();
        let policy = snapshot.policy.clone();
        let inputs = snapshot.inputs.clone();
        let cache = inner.cache.clone();
        let started = Instant::now();
        let report = match tokio::task::spawn_blocking(move || {
            secretlint_engine::check_with_cache(&policy, inputs, &options, &cache)
        })
        .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!("the check failed: {e}");
                continue;
            }
        };
        tracing::debug!(
            files,
            findings = report.findings.len(),
            elapsed_us = started.elapsed().as_micros() as u64,
            "checked"
        );
        let outbox = {
            let mut state = inner.lock();
            let mut outbox = Outbox::new();
            let uris: HashMap<String, Uri> = snapshot
                .open
                .iter()
                .map(|(rel, (uri, _))| (rel.clone(), uri.clone()))
                .collect();
            let root = snapshot.root.clone();
            let uri_of = |rel: &str| {
                uris.get(rel)
                    .cloned()
                    .or_else(|| crate::state::file_uri(&root, rel))
            };
            let mut maps = diagnostics::LineMaps::new(&report, snapshot.encoding);
            for (rel, (uri, version)) in &snapshot.open {
                // A newer edit has queued another check: publishing this one would show
                // diagnostics of text the editor no longer has.
                let current = state.docs.get(uri);
                if !current.is_some_and(|d| {
                    d.version == *version
                        && matches!(&d.kind, DocKind::Env { rel: r } | DocKind::Ledger { rel: r } if r == rel)
                }) {
                    continue;
                }
                let findings: Vec<_> = match report_file_index(&report, rel) {
                    Some(i) => report
                        .findings
                        .iter()
                        .filter(|f| f.file == i)
                        .map(|f| {
                            (
                                f.clone(),
                                diagnostics::from_finding(&report, f, &mut maps, &uri_of),
                            )
                        })
                        .collect(),
                    None => Vec::new(),
                };
                let unchanged = state.published.get(uri).is_some_and(|p| {
                    p.version == *version
                        && p.findings
                            .iter()
                            .map(|x| &x.1)
                            .eq(findings.iter().map(|x| &x.1))
                });
                if unchanged {
                    continue;
                }
                let diags = findings.iter().map(|(_, d)| d.clone()).collect();
                state.published.insert(
                    uri.clone(),
                    Published {
                        version: *version,
                        findings,
                    },
                );
                outbox.push((uri.clone(), diags, Some(*version)));
            }
            outbox
        };
        send(&inner.client, outbox).await;
    }
}

/// Clears for closed documents, diagnostics of open policy files, and a one-time message
/// when no valid policy can be loaded.
fn side_publications(inner: &Inner) -> Outbox {
    let mut state = inner.lock();
    let mut outbox: Outbox = state
        .to_clear
        .drain(..)
        .map(|uri| (uri, Vec::new(), None))
        .collect();
    let encoding = state.encoding;
    let mut seen = Vec::new();
    for (uri, doc) in &state.docs {
        if doc.kind != DocKind::Policy || state.published_policy.get(uri) == Some(&doc.version) {
            continue;
        }
        let origin = secretlint_engine::PolicyOrigin::File(
            doc.path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        );
        let diags = match Policy::from_toml(&doc.text, origin) {
            Ok(_) => Vec::new(),
            Err(e) => diagnostics::from_policy_error(&e, &doc.text, encoding),
        };
        seen.push((uri.clone(), doc.version));
        outbox.push((uri.clone(), diags, Some(doc.version)));
    }
    state.published_policy.extend(seen);
    let error = state
        .workspace
        .as_ref()
        .filter(|ws| ws.policy.is_none())
        .and_then(|ws| ws.policy_error.as_ref())
        .map(|e| {
            format!(
                "secretlint: the policy `{}` has {} error(s); nothing is checked until it is fixed",
                e.origin,
                e.diagnostics.len()
            )
        });
    if let Some(message) = error
        && state.policy_error_shown.as_ref() != Some(&message)
    {
        state.policy_error_shown = Some(message.clone());
        let client = inner.client.clone();
        tokio::spawn(async move { client.show_message(MessageType::WARNING, message).await });
    }
    outbox
}

async fn send(client: &Client, outbox: Outbox) {
    for (uri, diags, version) in outbox {
        client.publish_diagnostics(uri, diags, version).await;
    }
}

/// Reads every env file of the workspace from disk, reporting `$/progress`, then wakes the
/// checker. A build overtaken by a newer one (the policy changed meanwhile) is dropped.
pub async fn index(inner: Arc<Inner>) {
    let (generation, policy, root, progress, ledger_rel) = {
        let mut state = inner.lock();
        let Some(ws) = state.workspace.as_ref() else {
            return;
        };
        let Some(policy) = ws.policy.clone() else {
            return;
        };
        let root = ws.root.clone();
        state.index_generation += 1;
        state.index_ready = false;
        let ledger_rel = policy.ledger.clone();
        (
            state.index_generation,
            policy,
            root,
            state.features.progress,
            ledger_rel,
        )
    };
    let token = ProgressToken::String(format!("secretlint/index/{generation}"));
    let ongoing = if progress
        && inner
            .client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
    {
        Some(
            inner
                .client
                .progress(token, "secretlint")
                .with_message("indexing env files")
                .begin()
                .await,
        )
    } else {
        None
    };
    let started = Instant::now();
    let walk = WalkOptions {
        root: root.clone(),
        paths: vec![root.clone()],
        exclude: Vec::new(),
        threads: 0,
    };
    let inputs = tokio::task::spawn_blocking(move || discover::collect(&policy, &walk)).await;
    let inputs = match inputs {
        Ok(Ok(inputs)) => inputs,
        Ok(Err(e)) => {
            tracing::error!("could not index the workspace: {e}");
            Vec::new()
        }
        Err(e) => {
            tracing::error!("could not index the workspace: {e}");
            Vec::new()
        }
    };
    let count = inputs.len();
    let ledger_text = std::fs::read_to_string(root.join(&ledger_rel)).ok();
    let current = {
        let mut state = inner.lock();
        let current = state.index_generation == generation;
        if current {
            state.disk = inputs.into_iter().map(|i| (i.path.clone(), i)).collect();
            state.ledger_disk = ledger_text;
            state.index_ready = true;
        }
        current
    };
    tracing::info!(files = count, elapsed_ms = started.elapsed().as_millis() as u64, root = %root.display(), "indexed the workspace");
    if let Some(ongoing) = ongoing {
        ongoing
            .finish_with_message(format!(
                "{count} env file{}",
                if count == 1 { "" } else { "s" }
            ))
            .await;
    }
    if current {
        inner.wake.wake();
    }
}

/// The shortest time between two checks while edits keep coming.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(50);
