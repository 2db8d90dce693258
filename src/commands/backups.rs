//! `secretlint backups`: the backups in the backup directory, oldest first, from their clear
//! index (no decryption, no value).

use std::io::Write;
use std::process::ExitCode;

use secretlint_engine::backup::BackupState;

use super::apply;
use super::policy::{self, LoadError};
use crate::cli::BackupsArgs;

pub fn run(args: BackupsArgs) -> anyhow::Result<ExitCode> {
    let color = super::check::color_choice(crate::cli::ColorChoice::Auto, false);
    let loaded = match policy::load(args.policy.policy.as_deref(), None, color) {
        Ok(l) => l,
        Err(LoadError::Reported) => return Ok(ExitCode::from(2)),
        Err(LoadError::Io(e)) => return Err(e),
    };
    let real_root = apply::real_root(&loaded.root)?;
    let dir = apply::backup_dir(&loaded.root, &real_root, &loaded.policy)?;
    let backups = apply::list(&dir);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if backups.is_empty() {
        writeln!(out, "no backups in `{}`", loaded.policy.backup.dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 6]> = backups
        .iter()
        .map(|m| {
            let keys: std::collections::BTreeSet<&str> =
                m.touched.iter().map(|t| t.key.as_str()).collect();
            [
                m.id.clone(),
                m.command.clone(),
                match m.state {
                    BackupState::Complete => "complete".into(),
                    // A run that died between its backup and its last write.
                    BackupState::Pending => "interrupted".into(),
                },
                if m.encrypted {
                    format!(
                        "age ({})",
                        crate::render::plural(m.recipients.len(), "recipient")
                    )
                } else {
                    "plaintext".into()
                },
                m.actor.clone(),
                format!(
                    "{}: {}",
                    crate::render::plural(m.files.len(), "file"),
                    keys.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ]
        })
        .collect();
    let header = ["ID", "COMMAND", "STATE", "ENCRYPTION", "ACTOR", "CHANGED"];
    crate::render::write_table(&mut out, header, &rows)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
