//! Recording rotations in the rotation metadata (the ledger) and the audit log, as the CLI does:
//! after the client applied a fix planned by the engine (`secretlint fix` records the same
//! updates and events), and for "Record rotation today" (`secretlint rotate --record`). Neither
//! file ever holds a value.

use std::path::Path;

use jiff::Timestamp;
use secretlint_engine::Policy;
use secretlint_engine::age::{Ledger, RotationSource};
use secretlint_engine::audit::{self, Action, Event};
use secretlint_engine::fix::{LedgerUpdate, PlannedEvent};
use secretlint_engine::store;
use serde::{Deserialize, Serialize};

/// The command that records rotations: its argument is one [`RecordArgs`].
pub const RECORD_ROTATION_COMMAND: &str = "secretlint.recordRotation";

/// What to record: the plan's ledger updates and audit events, carried through the client in
/// the command's arguments (so they hold no value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordArgs {
    /// `fix` when the editor wrote a generated value, `record` for a rotation done elsewhere.
    pub by: String,
    pub rotations: Vec<Rotation>,
    /// `(file, key)` whose `_PREVIOUS` companion was removed: its grace period ends.
    #[serde(default)]
    pub previous_removed: Vec<(String, String)>,
    pub events: Vec<AuditEvent>,
}

/// One ledger entry to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    pub file: String,
    pub key: String,
    /// RFC 3339.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_until: Option<String>,
}

/// One audit line, less the time and actor added when it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub file: String,
    pub key: String,
    pub environment: Option<String>,
    /// `rotate`, `record`, `remove-previous` or `add`.
    pub action: String,
    pub reason: String,
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Rotate => "rotate",
        Action::Record => "record",
        Action::Restore => "restore",
        Action::RemovePrevious => "remove-previous",
        Action::Add => "add",
    }
}

fn action_of(name: &str) -> Option<Action> {
    [
        Action::Rotate,
        Action::Record,
        Action::Restore,
        Action::RemovePrevious,
        Action::Add,
    ]
    .into_iter()
    .find(|a| action_name(*a) == name)
}

impl RecordArgs {
    /// The records of an engine fix plan.
    pub fn of_plan(ledger: &[LedgerUpdate], events: &[PlannedEvent]) -> RecordArgs {
        let mut args = RecordArgs {
            by: RotationSource::Fix.name().to_owned(),
            ..RecordArgs::default()
        };
        for u in ledger {
            match u {
                LedgerUpdate::Rotated {
                    file,
                    key,
                    at,
                    previous_until,
                } => args.rotations.push(Rotation {
                    file: file.clone(),
                    key: key.clone(),
                    at: at.to_string(),
                    previous_until: previous_until.map(|t| t.to_string()),
                }),
                LedgerUpdate::PreviousRemoved { file, key } => {
                    args.previous_removed.push((file.clone(), key.clone()));
                }
            }
        }
        args.events = events
            .iter()
            .map(|e| AuditEvent {
                file: e.file.clone(),
                key: e.key.clone(),
                environment: e.environment.clone(),
                action: action_name(e.action).to_owned(),
                reason: e.reason.clone(),
            })
            .collect();
        args
    }

    /// "Record rotation today" for one key of one file.
    pub fn record(
        file: &str,
        key: &str,
        environment: Option<String>,
        now: Timestamp,
        reason: &str,
    ) -> RecordArgs {
        RecordArgs {
            by: RotationSource::Record.name().to_owned(),
            rotations: vec![Rotation {
                file: file.to_owned(),
                key: key.to_owned(),
                at: now.to_string(),
                previous_until: None,
            }],
            previous_removed: Vec::new(),
            events: vec![AuditEvent {
                file: file.to_owned(),
                key: key.to_owned(),
                environment,
                action: action_name(Action::Record).to_owned(),
                reason: reason.to_owned(),
            }],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rotations.is_empty() && self.previous_removed.is_empty() && self.events.is_empty()
    }
}

/// Applies the records to the ledger text (`None`: no ledger yet) and returns the new text.
pub fn apply(ledger_text: Option<&str>, args: &RecordArgs, actor: &str) -> Result<String, String> {
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
    let time = |s: &str| {
        s.parse::<Timestamp>()
            .map_err(|e| format!("could not read the time `{s}`: {e}"))
    };
    for r in &args.rotations {
        let until = r.previous_until.as_deref().map(time).transpose()?;
        ledger.record(
            &r.file,
            &r.key,
            time(&r.at)?,
            by,
            Some(actor.to_owned()),
            until,
        );
    }
    for (file, key) in &args.previous_removed {
        for e in ledger
            .entries
            .iter_mut()
            .filter(|e| &e.file == file && &e.key == key)
        {
            e.previous_until = None;
        }
    }
    Ok(ledger.to_toml())
}

/// Writes the new ledger atomically and appends the audit events.
pub fn write(
    root: &Path,
    policy: &Policy,
    text: &str,
    args: &RecordArgs,
    now: Timestamp,
    actor: &str,
) -> std::io::Result<()> {
    store::write_atomic(&root.join(&policy.ledger), text.as_bytes(), 0o644)?;
    for e in &args.events {
        let event = Event {
            time: now.to_string(),
            actor: actor.to_owned(),
            action: action_of(&e.action).unwrap_or(Action::Record),
            file: e.file.clone(),
            key: e.key.clone(),
            environment: e.environment.clone(),
            reason: e.reason.clone(),
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
