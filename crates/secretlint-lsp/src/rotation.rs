//! Recording rotations in the rotation metadata (the ledger) and the audit log, as
//! `secretlint rotate --record` does: after the user records a rotation done elsewhere, and
//! after an applied fix wrote a generated value. Neither file ever holds a value.

use std::path::Path;

use jiff::Timestamp;
use secretlint_engine::Policy;
use secretlint_engine::age::{Ledger, RotationSource};
use secretlint_engine::audit::{self, Action, Event};
use secretlint_engine::store;
use serde::{Deserialize, Serialize};

/// The command that records rotations: arguments are one [`RecordArgs`].
pub const RECORD_ROTATION_COMMAND: &str = "secretlint.recordRotation";

/// What to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordArgs {
    /// Root-relative file and key of each rotation.
    pub rotations: Vec<(String, String)>,
    /// `fix` when the editor wrote a generated value, `record` for a rotation done elsewhere.
    pub by: String,
    /// The rule whose finding led here, for the audit log.
    pub reason: String,
}

/// Adds the rotations to the ledger text (`None`: no ledger yet) and returns the new text.
pub fn record(
    ledger_text: Option<&str>,
    args: &RecordArgs,
    now: Timestamp,
    actor: &str,
) -> Result<String, String> {
    let by = RotationSource::from_name(&args.by)
        .ok_or_else(|| format!("unknown rotation source `{}`", args.by))?;
    let mut ledger = match ledger_text {
        Some(text) => Ledger::parse(text).map_err(|errors| {
            let first = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            format!("the rotation metadata is invalid ({first}); fix it before recording")
        })?,
        None => Ledger::default(),
    };
    for (file, key) in &args.rotations {
        ledger.record(file, key, now, by, Some(actor.to_owned()), None);
    }
    Ok(ledger.to_toml())
}

/// Writes the new ledger atomically and appends one audit event per rotation.
pub fn write(
    root: &Path,
    policy: &Policy,
    text: &str,
    args: &RecordArgs,
    now: Timestamp,
    actor: &str,
) -> std::io::Result<()> {
    store::write_atomic(&root.join(&policy.ledger), text.as_bytes(), 0o644)?;
    let action = if args.by == RotationSource::Fix.name() {
        Action::Rotate
    } else {
        Action::Record
    };
    for (file, key) in &args.rotations {
        let event = Event {
            time: now.to_string(),
            actor: actor.to_owned(),
            action,
            file: file.clone(),
            key: key.clone(),
            environment: policy
                .environment_for(file)
                .map(|e| policy.environments[e].name.clone()),
            reason: args.reason.clone(),
            backup: None,
        };
        store::append_line(&root.join(audit::DEFAULT_PATH), &event.to_json_line())?;
    }
    Ok(())
}

/// Who is acting, as the CLI names it.
pub fn actor() -> String {
    audit::actor(|k| std::env::var(k).ok())
}
