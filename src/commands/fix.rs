//! `secretlint fix` (and `secretlint rotate KEY`): plan with the engine, then back up, write,
//! record and audit — or, with `--dry-run`, show the masked diff and stop.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use secretlint_engine::age::{RotationSource, format_date};
use secretlint_engine::audit::{self, Event};
use secretlint_engine::backup::{self, Backup, BackupFile, BackupState, Touched};
use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::document::DocumentKind;
use secretlint_engine::fix::{self, FixOptions, LedgerUpdate, Plan};
use secretlint_engine::{CheckOptions, Input, Report};

use super::apply::{self, GitIgnored};
use super::policy::{self, LoadError, Loaded};
use crate::cli::{BackupArgs, FixArgs, ScanArgs};
use crate::render::plural;

pub fn run(args: FixArgs) -> anyhow::Result<ExitCode> {
    execute(&Request {
        scan: &args.scan,
        dry_run: args.dry_run,
        include_expiring: args.include_expiring,
        env: args.env.clone(),
        on_demand: None,
        backup: &args.backup,
        command: "fix",
    })
}

/// One run of the fix pipeline.
pub struct Request<'a> {
    pub scan: &'a ScanArgs,
    pub dry_run: bool,
    pub include_expiring: bool,
    pub env: Option<String>,
    /// `secretlint rotate KEY`.
    pub on_demand: Option<String>,
    pub backup: &'a BackupArgs,
    /// `fix` or `rotate`, as backups and messages name it.
    pub command: &'static str,
}

pub fn execute(req: &Request) -> anyhow::Result<ExitCode> {
    let color = super::check::color_choice(crate::cli::ColorChoice::Auto, false);
    let loaded = match policy::load(
        req.scan.policy.policy.as_deref(),
        req.scan.paths.first().map(|p| p.as_path()),
        color,
    ) {
        Ok(l) => l,
        Err(LoadError::Reported) => return Ok(ExitCode::from(2)),
        Err(LoadError::Io(e)) => return Err(e),
    };
    let policy = &loaded.policy;
    let now = super::now::parse(req.scan.now.as_deref())?;
    let environment = match &req.env {
        Some(name) => Some(policy.environment_named(name).ok_or_else(|| {
            let names: Vec<&str> = policy.environments.iter().map(|e| &*e.name).collect();
            anyhow::anyhow!(
                "unknown environment `{name}`; the policy has: {}",
                names.join(", ")
            )
        })?),
        None => None,
    };
    let root = loaded.root.clone();
    let real_root = apply::real_root(&root)?;
    // The plan is made under the lock, so no other run changes the files in between.
    let _lock = if req.dry_run {
        None
    } else {
        Some(apply::lock(&root)?)
    };
    let (report, selected) = scan(&loaded, &real_root, req.scan)?;
    let ledger_path = apply::resolve(&root, &real_root, &policy.ledger)
        .map_err(|why| anyhow::anyhow!("the rotation metadata `{}` {why}", policy.ledger))?;
    let ledger = apply::read_ledger(&ledger_path, &policy.ledger)?;
    if !req.dry_run {
        // The audit log is appended to last: a link there is refused before anything changes.
        apply::audit_log(&root)?;
        // Temporary files a killed run left beside anything this run may write: they can hold
        // secrets, and the lock means no run is writing them now.
        let mut near: Vec<std::path::PathBuf> = report
            .files
            .iter()
            .filter_map(|f| apply::resolve(&root, &real_root, &f.path).ok())
            .collect();
        near.push(ledger_path.clone());
        if let Ok(dir) = apply::backup_dir(&root, &real_root, policy) {
            near.push(dir.join("backup"));
        }
        apply::clean_temp_files(near.iter().map(|p| p.as_path()));
    }
    let mut unwritable = BTreeMap::new();
    for f in &report.files {
        if f.kind == DocumentKind::Ledger {
            continue;
        }
        if let Err(why) = apply::resolve(&root, &real_root, &f.path) {
            unwritable.insert(f.path.clone(), why);
        }
    }
    let options = FixOptions {
        now,
        include_expiring: req.include_expiring,
        selected,
        environment,
        on_demand: req.on_demand.clone(),
        ledger: Some(ledger.clone()),
        unwritable,
    };
    let plan = fix::plan(policy, &report, &options);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let recipients = apply::recipients(req.backup, policy);
    if req.dry_run {
        for change in &plan.changes {
            let file = &report.files[change.file];
            if let Some(new) = &change.new_text {
                write!(
                    out,
                    "{}",
                    fix::masked_diff(file, new.expose(), &change.edits)
                )?;
            }
            if change.old_mode != change.new_mode
                && let (Some(a), Some(b)) = (change.old_mode, change.new_mode)
            {
                writeln!(out, "mode `{}`: {a:o} -> {b:o}", change.path)?;
            }
        }
        if !plan.changes.is_empty() {
            writeln!(out)?;
        }
        summary(&mut out, &plan, true)?;
        if !plan.is_empty() {
            match &recipients {
                Ok(Some(r)) => writeln!(
                    out,
                    "a backup encrypted to {} would be written to `{}` first",
                    plural(r.len(), "recipient"),
                    policy.backup.dir
                )?,
                Ok(None) => writeln!(
                    out,
                    "an unencrypted backup (mode 600) would be written to `{}` first",
                    policy.backup.dir
                )?,
                Err(e) => writeln!(out, "note: a real run would stop: {e}")?,
            }
            writeln!(out, "dry run: nothing was written")?;
        }
        out.flush()?;
        return Ok(exit_code(&plan));
    }
    if plan.is_empty() {
        summary(&mut out, &plan, false)?;
        out.flush()?;
        return Ok(exit_code(&plan));
    }
    let recipients = recipients?;
    let backup_dir = apply::backup_dir(&root, &real_root, policy)?;

    // 1. The backup, durable before anything else is touched.
    let actor = audit::actor(|k| std::env::var(k).ok());
    let mut touched: BTreeSet<Touched> = BTreeSet::new();
    for u in &plan.ledger {
        let (LedgerUpdate::Rotated { file, key, .. } | LedgerUpdate::PreviousRemoved { file, key }) =
            u;
        touched.insert(Touched {
            file: file.clone(),
            key: key.clone(),
        });
    }
    for e in &plan.events {
        touched.insert(Touched {
            file: e.file.clone(),
            key: e.key.clone(),
        });
    }
    let touched: Vec<Touched> = touched.into_iter().collect();
    let mut targets = Vec::new();
    let mut files = Vec::new();
    for change in &plan.changes {
        let old = report.files[change.file].text.as_bytes();
        let real = apply::resolve(&root, &real_root, &change.path)
            .map_err(|why| anyhow::anyhow!("`{}` {why}", change.path))?;
        let new = change.new_text.as_ref().map(|t| t.expose().as_bytes());
        files.push(BackupFile {
            path: change.path.clone(),
            mode: change.old_mode,
            content: old.to_vec(),
            written_sha256: Some(backup::sha256_hex(new.unwrap_or(old))),
        });
        targets.push((change, real));
    }
    let body = Backup {
        version: backup::VERSION,
        id: String::new(),
        created: now.to_string(),
        actor: actor.clone(),
        command: req.command.into(),
        files,
        ledger: apply::ledger_snapshot(&ledger, &touched),
        touched,
    };
    let mut meta = apply::write_backup(&backup_dir, body, recipients.as_deref(), now)?;

    // 2. Each file atomically; the content read at planning time must still be there.
    apply::clean_temp_files(targets.iter().map(|(_, p)| p.as_path()));
    for (written, (change, real)) in targets.iter().enumerate() {
        let result = write_change(&report, change, real);
        if let Err(e) = result {
            return Err(e.context(format!(
                "the run stopped after changing {written} of {} files; `secretlint restore {}` puts them back",
                targets.len(),
                meta.id
            )));
        }
    }

    // 3. The rotation metadata and the audit log: dates, names and the backup id, no value.
    let mut ledger = apply::read_ledger(&ledger_path, &policy.ledger)?;
    for u in &plan.ledger {
        match u {
            LedgerUpdate::Rotated {
                file,
                key,
                at,
                previous_until,
            } => ledger.record(
                file,
                key,
                *at,
                RotationSource::Fix,
                Some(actor.clone()),
                *previous_until,
            ),
            LedgerUpdate::PreviousRemoved { file, key } => {
                for e in ledger
                    .entries
                    .iter_mut()
                    .filter(|e| &e.file == file && &e.key == key)
                {
                    e.previous_until = None;
                }
            }
        }
    }
    secretlint_engine::store::write_atomic(&ledger_path, ledger.to_toml().as_bytes(), 0o644)
        .with_context(|| format!("could not write `{}`", policy.ledger))?;
    let events: Vec<Event> = plan
        .events
        .iter()
        .map(|e| Event {
            time: now.to_string(),
            actor: actor.clone(),
            action: e.action,
            file: e.file.clone(),
            key: e.key.clone(),
            environment: e.environment.clone(),
            reason: e.reason.clone(),
            backup: Some(meta.id.clone()),
        })
        .collect();
    apply::audit(&root, &events)?;
    meta.state = BackupState::Complete;
    apply::write_meta(&backup_dir, &meta)?;

    summary(&mut out, &plan, false)?;
    let encryption = if meta.encrypted {
        format!(
            "encrypted to {}",
            plural(meta.recipients.len(), "recipient")
        )
    } else {
        "unencrypted, mode 600".into()
    };
    writeln!(
        out,
        "backup `{}` ({encryption}) in `{}`{}; `secretlint restore {}{}` undoes this run",
        meta.id,
        policy.backup.dir,
        match apply::git_ignored(&root, &backup_dir) {
            GitIgnored::Yes => ", ignored by git",
            GitIgnored::NotARepository => "",
            GitIgnored::No => "",
        },
        meta.id,
        if meta.encrypted {
            " -i IDENTITY_FILE"
        } else {
            ""
        }
    )?;
    if let GitIgnored::No = apply::git_ignored(&root, &backup_dir) {
        writeln!(
            out,
            "warning: git does not ignore `{}`; add it to `.gitignore` so backups are never committed",
            policy.backup.dir
        )?;
    }
    writeln!(
        out,
        "updated `{}` and `{}`",
        policy.ledger,
        audit::DEFAULT_PATH
    )?;
    out.flush()?;
    Ok(exit_code(&plan))
}

fn write_change(
    report: &Report,
    change: &fix::FileChange,
    real: &std::path::Path,
) -> anyhow::Result<()> {
    let expected = report.files[change.file].text.as_bytes();
    let current = apply::current(real)?;
    if current.as_ref().map(|(bytes, _)| bytes.as_slice()) != Some(expected) {
        anyhow::bail!(
            "`{}` changed while the fix was being planned; it was not written",
            change.path
        );
    }
    let mode = change.new_mode.or(change.old_mode).unwrap_or(0o600);
    match &change.new_text {
        Some(text) => {
            secretlint_engine::store::replace_atomic(real, text.expose().as_bytes(), mode)
                .with_context(|| format!("could not write `{}`", change.path))
        }
        None => apply::set_mode(real, mode),
    }
}

/// Walks the whole repository, so that a shared value reaches every file that holds it,
/// and the paths asked for, whose findings are the ones fixed. A file reached through two
/// paths (a symlink inside the repository) is read once, under its real path.
fn scan(
    loaded: &Loaded,
    real_root: &std::path::Path,
    args: &ScanArgs,
) -> anyhow::Result<(Report, Option<BTreeSet<String>>)> {
    let policy = &loaded.policy;
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() {
            anyhow::bail!("no such file or directory: `{}`", path.display());
        }
    }
    let asked: Vec<PathBuf> = args
        .paths
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let walk = |paths: Vec<PathBuf>| {
        discover::collect(
            policy,
            &WalkOptions {
                root: loaded.root.clone(),
                paths,
                exclude: args.exclude.clone(),
                threads: 0,
            },
        )
    };
    let whole = walk(vec![loaded.root.clone()])?;
    let mine = walk(asked.clone())?;
    let everything = asked
        .iter()
        .any(|p| std::fs::canonicalize(p).ok().as_deref() == Some(real_root));
    let selected = (!everything).then(|| mine.iter().map(|i| i.path.clone()).collect());
    let mut inputs: Vec<Input> = whole;
    for i in mine {
        if !inputs.iter().any(|x| x.path == i.path) {
            inputs.push(i);
        }
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut seen: BTreeMap<PathBuf, String> = BTreeMap::new();
    // Prefer the path that is not a symlink: sort so real files come first.
    inputs.sort_by_key(|i| {
        let abs = loaded.root.join(&i.path);
        std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink())
    });
    inputs.retain(|i| match std::fs::canonicalize(loaded.root.join(&i.path)) {
        Ok(real) => match seen.get(&real) {
            Some(_) => false,
            None => {
                seen.insert(real, i.path.clone());
                true
            }
        },
        Err(_) => true,
    });
    let options = CheckOptions {
        now: Some(super::now::parse(args.now.as_deref())?),
        ledger: loaded.ledger()?,
        ..CheckOptions::default()
    };
    let report = secretlint_engine::check(policy, inputs, &options);
    Ok((report, selected))
}

fn exit_code(plan: &Plan) -> ExitCode {
    if plan.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn needs(n: usize) -> String {
    if n == 1 {
        "1 secret needs".into()
    } else {
        format!("{n} secrets need")
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What was (or would be) done, then what is left for a person.
pub fn summary(out: &mut dyn Write, plan: &Plan, dry_run: bool) -> anyhow::Result<()> {
    let (rotated, added, removed, restricted) = if dry_run {
        (
            "would rotate",
            "would add",
            "would remove",
            "would restrict",
        )
    } else {
        ("rotated", "added", "removed", "restricted")
    };
    for r in &plan.rotations {
        let reasons = r.reasons.join(", ");
        let env = r
            .environment
            .as_ref()
            .map(|e| format!(" in {e}"))
            .unwrap_or_default();
        if let Some(from) = &r.copied_from {
            writeln!(
                out,
                "{added} `{}` to {} with the value already shared{env} (copied from `{from}`) ({reasons})",
                r.key,
                list(&r.added_to)
            )?;
            continue;
        }
        if !r.files.is_empty() {
            writeln!(
                out,
                "{rotated} `{}`{env}: {} ({reasons})",
                r.key,
                list(&r.files)
            )?;
        }
        if !r.added_to.is_empty() {
            writeln!(
                out,
                "{added} `{}`{env} with a generated value: {} ({reasons})",
                r.key,
                list(&r.added_to)
            )?;
        }
        // A partner's reason is the rule that flagged the key it rotates with: say so, or
        // `ENCRYPTION_PASSWORD (bad-format)` reads as if that password were malformed.
        if !r.together_with.is_empty() {
            writeln!(
                out,
                "  together with {} (`rotate_with` in the policy)",
                list(&r.together_with)
            )?;
        }
        for (file, url) in &r.follows {
            writeln!(out, "  the password inside `{url}` in `{file}` follows")?;
        }
        for (file, until) in &r.previous {
            writeln!(
                out,
                "  the old value stays as `{}{}` in `{file}` until {}",
                r.key,
                fix::PREVIOUS_SUFFIX,
                format_date(*until)
            )?;
        }
    }
    for r in &plan.removals {
        writeln!(
            out,
            "{removed} `{}` from `{}` ({})",
            r.key, r.file, r.reason
        )?;
    }
    for p in &plan.permissions {
        writeln!(
            out,
            "{restricted} `{}` to mode {:o} (was {:o})",
            p.file, p.to, p.from
        )?;
    }
    for w in &plan.warnings {
        writeln!(out, "warning: {w}")?;
    }
    for m in &plan.manual {
        let key = m
            .key
            .as_ref()
            .map(|k| format!("`{k}` in "))
            .unwrap_or_default();
        writeln!(
            out,
            "manual: {key}`{}` ({}): {}",
            m.file,
            m.rule.id(),
            m.title
        )?;
    }
    for f in &plan.failures {
        // Messages that name the key and its file already (`KEY` in `path`: ...) need no
        // prefix repeating it.
        let key = f
            .key
            .as_ref()
            .filter(|k| !f.message.starts_with(&format!("`{k}`")))
            .map(|k| format!("`{k}`: "))
            .unwrap_or_default();
        writeln!(out, "error: not fixed: {key}{}", f.message)?;
    }
    if plan.skipped_expiring > 0 {
        writeln!(
            out,
            "note: {} left alone; `--include-expiring` rotates them too",
            plural(plan.skipped_expiring, "expiring-soon finding")
        )?;
    }
    if !plan.unfixable.is_empty() {
        let rules: BTreeSet<&str> = plan.unfixable.iter().map(|u| u.rule.id()).collect();
        writeln!(
            out,
            "note: {} need a person and no fix exists ({}); `secretlint check` shows them",
            plural(plan.unfixable.len(), "finding"),
            rules.into_iter().collect::<Vec<_>>().join(", ")
        )?;
    }
    let files: BTreeSet<&str> = plan
        .changes
        .iter()
        .filter(|c| c.new_text.is_some())
        .map(|c| c.path.as_str())
        .collect();
    let rotations = plan
        .rotations
        .iter()
        .filter(|r| r.copied_from.is_none())
        .count();
    let manual_keys: BTreeSet<(&str, Option<&str>)> = plan
        .manual
        .iter()
        .map(|m| (m.file.as_str(), m.key.as_deref()))
        .collect();
    let head = if dry_run { "would fix" } else { "fixed" };
    if plan.is_empty() && plan.failures.is_empty() {
        writeln!(
            out,
            "nothing to fix{}",
            if manual_keys.is_empty() {
                String::new()
            } else {
                format!("; {} manual rotation", needs(manual_keys.len()))
            }
        )?;
        return Ok(());
    }
    // Only what happened: "0 keys added, 0 entries removed" is noise.
    let mut done = vec![format!(
        "{} in {}",
        plural(rotations, "rotation"),
        plural(files.len(), "file")
    )];
    let added: usize = plan.rotations.iter().map(|r| r.added_to.len()).sum();
    for (n, what, how) in [
        (added, "key", "added"),
        (plan.removals.len(), "entry", "removed"),
        (plan.permissions.len(), "file", "restricted"),
    ] {
        if n > 0 {
            done.push(format!("{} {how}", plural(n, what)));
        }
    }
    let mut line = format!("{head}: {}", done.join(", "));
    if !manual_keys.is_empty() {
        line.push_str(&format!("; {} manual rotation", needs(manual_keys.len())));
    }
    if !plan.failures.is_empty() {
        line.push_str(&format!("; {} failed", plural(plan.failures.len(), "fix")));
    }
    writeln!(out, "{line}")?;
    Ok(())
}
