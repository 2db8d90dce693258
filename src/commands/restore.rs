//! `secretlint restore [BACKUP_ID]`: puts back every file of a backup byte for byte, with its
//! mode, and the rotation metadata of every key the backed-up run touched. The state being
//! replaced is backed up first, so a restore can itself be undone.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use secretlint_engine::audit::{self, Action, Event};
use secretlint_engine::backup::{self, Backup, BackupFile, BackupState};

use super::apply;
use super::policy::{self, LoadError};
use crate::cli::RestoreArgs;

pub fn run(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let color = super::check::color_choice(crate::cli::ColorChoice::Auto, false);
    let loaded = match policy::load(args.policy.policy.as_deref(), None, color) {
        Ok(l) => l,
        Err(LoadError::Reported) => return Ok(ExitCode::from(2)),
        Err(LoadError::Io(e)) => return Err(e),
    };
    let policy = &loaded.policy;
    let now = super::now::parse(args.now.as_deref())?;
    let root = loaded.root.clone();
    let real_root = apply::real_root(&root)?;
    let _lock = apply::lock(&root)?;
    let dir = apply::backup_dir(&root, &real_root, policy)?;
    let all = apply::list(&dir);
    let meta = match &args.id {
        Some(id) => all
            .iter()
            .find(|m| &m.id == id)
            .ok_or_else(|| anyhow::anyhow!("no backup `{id}` in `{}`", policy.backup.dir))?,
        None => all
            .last()
            .ok_or_else(|| anyhow::anyhow!("no backups in `{}`", policy.backup.dir))?,
    };
    let id = &meta.id;
    let raw = std::fs::read(dir.join(meta.body_name()))
        .with_context(|| format!("could not read backup `{id}`"))?;
    let mut identities = String::new();
    let body = if meta.encrypted {
        if args.identities.is_empty() {
            anyhow::bail!(
                "backup `{id}` is encrypted: pass `--identity FILE` (the age identity of one of its recipients) or set `SECRETLINT_BACKUP_IDENTITY`"
            );
        }
        for path in &args.identities {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("could not read the identity file `{}`", path.display())
            })?;
            identities.push_str(&text);
            identities.push('\n');
        }
        let plain = backup::decrypt(&raw, &identities)
            .map_err(|e| anyhow::anyhow!("backup `{id}`: {e}"))?;
        Backup::from_json(plain.expose().as_bytes())
    } else {
        Backup::from_json(&raw)
    }
    .map_err(|e| anyhow::anyhow!("backup `{id}`: {e}"))?;

    // What must change, and whether anything changed since the backed-up run wrote it.
    let mut work = Vec::new();
    for f in &body.files {
        let real = apply::resolve(&root, &real_root, &f.path)
            .map_err(|why| anyhow::anyhow!("`{}` {why}", f.path))?;
        let current = apply::current(&real)?;
        if let Some((bytes, mode)) = &current {
            if bytes == &f.content && (f.mode.is_none() || *mode == f.mode) {
                continue;
            }
            let since = backup::sha256_hex(bytes);
            if !args.force && f.written_sha256.as_deref() != Some(since.as_str()) {
                anyhow::bail!(
                    "`{}` changed after backup `{id}` was taken; nothing was restored (`--force` restores it anyway, after backing up its current state)",
                    f.path
                );
            }
        }
        work.push((f, real, current));
    }
    let ledger_path = apply::resolve(&root, &real_root, &policy.ledger)
        .map_err(|why| anyhow::anyhow!("the rotation metadata `{}` {why}", policy.ledger))?;
    let mut ledger = apply::read_ledger(&ledger_path, &policy.ledger)?;

    // The current state first, like any change. With no recipient given or in the policy,
    // an encrypted backup's restore is backed up to the identities it was restored with, so
    // `restore -i key.txt` after `fix --recipient age1...` works as the guide shows. Not to
    // the recipients in the backup's index: that file is clear and unauthenticated.
    let own = backup::identity_recipients(&identities);
    let recipients = if meta.encrypted
        && !own.is_empty()
        && args.backup.recipients.is_empty()
        && policy.backup.recipients.is_empty()
    {
        Some(own)
    } else {
        apply::recipients(&args.backup, policy)?
    };
    let actor = audit::actor(|k| std::env::var(k).ok());
    let before = Backup {
        version: backup::VERSION,
        id: String::new(),
        created: now.to_string(),
        actor: actor.clone(),
        command: "restore".into(),
        files: work
            .iter()
            .filter_map(|(f, _, current)| {
                current.as_ref().map(|(bytes, mode)| BackupFile {
                    path: f.path.clone(),
                    mode: *mode,
                    content: bytes.clone(),
                    written_sha256: Some(backup::sha256_hex(&f.content)),
                })
            })
            .collect(),
        touched: body.touched.clone(),
        ledger: apply::ledger_snapshot(&ledger, &body.touched),
    };
    let mut undo = apply::write_backup(&dir, before, recipients.as_deref(), now)?;

    apply::clean_temp_files(work.iter().map(|(_, p, _)| p.as_path()));
    for (f, real, _) in &work {
        secretlint_engine::store::replace_atomic(real, &f.content, f.mode.unwrap_or(0o600))
            .with_context(|| format!("could not restore `{}`", f.path))?;
    }
    apply::restore_ledger(&mut ledger, &body.touched, &body.ledger);
    secretlint_engine::store::write_atomic(&ledger_path, ledger.to_toml().as_bytes(), 0o644)
        .with_context(|| format!("could not write `{}`", policy.ledger))?;
    let events: Vec<Event> = body
        .touched
        .iter()
        .map(|t| Event {
            time: now.to_string(),
            actor: actor.clone(),
            action: Action::Restore,
            file: t.file.clone(),
            key: t.key.clone(),
            environment: policy
                .environment_for(&t.file)
                .map(|e| policy.environments[e].name.to_string()),
            reason: "restore".into(),
            backup: Some(id.clone()),
        })
        .collect();
    apply::audit(&root, &events)?;
    undo.state = BackupState::Complete;
    apply::write_meta(&dir, &undo)?;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (f, _, _) in &work {
        match f.mode {
            Some(mode) => writeln!(out, "restored `{}` (mode {mode:o})", f.path)?,
            None => writeln!(out, "restored `{}`", f.path)?,
        }
    }
    let unchanged = body.files.len() - work.len();
    if unchanged > 0 {
        writeln!(
            out,
            "{} already as backed up",
            crate::render::plural(unchanged, "file")
        )?;
    }
    writeln!(
        out,
        "restored the rotation metadata of {} from backup `{id}`",
        crate::render::plural(body.touched.len(), "key")
    )?;
    writeln!(
        out,
        "the state before this restore is backup `{}`; updated `{}` and `{}`",
        undo.id,
        policy.ledger,
        audit::DEFAULT_PATH
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
