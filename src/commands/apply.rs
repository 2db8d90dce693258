//! The disk side of `fix`, `rotate` and `restore`: the repository lock, where a file really
//! is (symlinks, and never outside the repository), backups made durable before any change,
//! atomic writes, the rotation metadata and the audit log.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use secretlint_engine::Policy;
use secretlint_engine::age::{Ledger, LedgerEntry, RotationSource};
use secretlint_engine::audit::{self, Event};
use secretlint_engine::backup::{self, Backup, BackupMeta, BackupState, LedgerSnapshot, Touched};
use secretlint_engine::lock::{self, RepoLock};
use secretlint_engine::store;

use crate::cli::BackupArgs;

/// Takes the repository lock, or explains who holds it. The lock file is written, so it
/// must resolve inside the repository like every other file written (`.secretlint` may be a
/// link committed to the repository).
pub fn lock(root: &Path) -> anyhow::Result<RepoLock> {
    Ok(lock::acquire(&unlinked(
        root,
        lock::DEFAULT_PATH,
        "the lock",
    )?)?)
}

/// Where a file that secretlint owns (the lock, the audit log) is: its directory resolved
/// inside the repository, its own name not resolved, so that a link there is seen and
/// refused by the writer rather than followed. Following `.secretlint/lock ->
/// ../.env.production` would truncate the env file; the lock and the log are never links.
fn unlinked(root: &Path, rel: &str, what: &str) -> anyhow::Result<PathBuf> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or((".", rel));
    Ok(inside(root, dir, what)?.join(name))
}

/// Where the root-relative `rel` really is, or why it is refused (see [`resolve`]).
pub fn inside(root: &Path, rel: &str, what: &str) -> anyhow::Result<PathBuf> {
    let real_root = real_root(root)?;
    resolve(root, &real_root, rel).map_err(|why| anyhow::anyhow!("{what} `{rel}` {why}"))
}

/// The repository root as the file system sees it (symlinks resolved).
pub fn real_root(root: &Path) -> anyhow::Result<PathBuf> {
    fs::canonicalize(root).with_context(|| format!("could not resolve `{}`", root.display()))
}

/// Where the root-relative `rel` really is. A symlinked env file is written through: its
/// target is replaced atomically and the link stays a link. A path whose target (or any
/// directory on the way) lies outside the repository is refused with the reason, so nothing
/// is ever written outside it. A file that does not exist yet is judged by its directory.
pub fn resolve(root: &Path, real_root: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel_path = Path::new(rel);
    if rel_path.is_absolute() || rel_path.components().any(|c| c == Component::ParentDir) {
        return Err("is outside the repository".into());
    }
    let abs = root.join(rel_path);
    let (existing, rest) = match fs::canonicalize(&abs) {
        Ok(real) => (real, None),
        Err(_) => {
            let parent = abs.parent().unwrap_or(root);
            let name = abs.file_name().map(PathBuf::from).unwrap_or_default();
            let real_parent = nearest_existing(parent)?;
            (real_parent.0, Some(real_parent.1.join(name)))
        }
    };
    if !existing.starts_with(real_root) {
        return Err(
            if fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink()) {
                "is a symlink to a file outside the repository; it is never written".into()
            } else {
                "leads outside the repository through a symlinked directory; it is never written"
                    .into()
            },
        );
    }
    Ok(match rest {
        Some(rest) => existing.join(rest),
        None => existing,
    })
}

/// The nearest existing ancestor of `dir`, resolved, and the part below it that is missing.
fn nearest_existing(dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let mut missing = Vec::new();
    let mut at = dir;
    loop {
        if let Ok(real) = fs::canonicalize(at) {
            let rest: PathBuf = missing.iter().rev().collect();
            return Ok((real, rest));
        }
        match (at.file_name(), at.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                at = parent;
            }
            _ => return Err("could not be resolved".into()),
        }
    }
}

/// The backup directory, which must be inside the repository.
pub fn backup_dir(root: &Path, real_root: &Path, policy: &Policy) -> anyhow::Result<PathBuf> {
    resolve(root, real_root, &policy.backup.dir)
        .map_err(|why| anyhow::anyhow!("the backup directory `{}` {why}", policy.backup.dir))
}

/// Whether git ignores the backup directory.
pub enum GitIgnored {
    Yes,
    No,
    NotARepository,
}

/// Asks git whether a file in `dir` would be ignored (the `.gitignore` this tool writes in
/// the directory, or the repository's own rules).
pub fn git_ignored(root: &Path, dir: &Path) -> GitIgnored {
    let probe = dir.join("probe.age");
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["check-ignore", "-q"])
        .arg(&probe)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status.map(|s| s.code()) {
        Ok(Some(0)) => GitIgnored::Yes,
        Ok(Some(1)) => GitIgnored::No,
        _ => GitIgnored::NotARepository,
    }
}

/// Creates the backup directory (mode 700) with a `.gitignore` that keeps all of it out of
/// git, whatever the repository's own ignore rules say.
pub fn prepare_backup_dir(dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir)
        .with_context(|| format!("could not create the backup directory `{}`", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("could not restrict `{}`", dir.display()))?;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        store::replace_atomic(
            &ignore,
            b"# secretlint backups hold secrets: never commit them.\n*\n",
            0o600,
        )
        .with_context(|| format!("could not write `{}`", ignore.display()))?;
    }
    Ok(())
}

/// The recipients to encrypt a backup to: `--recipient` or `SECRETLINT_BACKUP_RECIPIENTS`,
/// else the policy's. `Ok(None)` means a plaintext backup, which must be asked for.
pub fn recipients(args: &BackupArgs, policy: &Policy) -> anyhow::Result<Option<Vec<String>>> {
    let given = backup::split_recipients(args.recipients.iter().map(String::as_str));
    let chosen = if given.is_empty() {
        policy.backup.recipients.clone()
    } else {
        given
    };
    for r in &chosen {
        backup::parse_recipient(r)?;
    }
    if !chosen.is_empty() {
        return Ok(Some(chosen));
    }
    if args.plaintext_backup {
        return Ok(None);
    }
    anyhow::bail!(
        "no age recipient to encrypt the backup to, so nothing was changed: add `recipients` to the policy's `[backup]` table, pass `--recipient age1...`, or set `SECRETLINT_BACKUP_RECIPIENTS`; `--plaintext-backup` writes an unencrypted backup (mode 600) instead"
    )
}

/// Every backup index in `dir`, oldest first.
pub fn list(dir: &Path) -> Vec<BackupMeta> {
    let mut out: Vec<BackupMeta> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".meta.json"))
        .filter_map(|e| fs::read(e.path()).ok())
        .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
        .collect();
    out.sort_by_key(|m: &BackupMeta| m.sequence);
    out
}

/// Writes a backup's body and its index, each durably, and returns the index. Nothing is
/// changed before this returns.
pub fn write_backup(
    dir: &Path,
    mut body: Backup,
    recipients: Option<&[String]>,
    now: jiff::Timestamp,
) -> anyhow::Result<BackupMeta> {
    prepare_backup_dir(dir)?;
    let sequence = list(dir).last().map_or(1, |m| m.sequence + 1);
    let id = backup::new_id(now, sequence);
    body.id = id.clone();
    let json = body.to_json();
    let (bytes, encrypted) = match recipients {
        Some(r) => (backup::encrypt(json.expose().as_bytes(), r)?, true),
        None => (json.expose().as_bytes().to_vec(), false),
    };
    let meta = BackupMeta {
        version: backup::VERSION,
        id: id.clone(),
        sequence,
        created: body.created.clone(),
        actor: body.actor.clone(),
        command: body.command.clone(),
        state: BackupState::Pending,
        encrypted,
        recipients: recipients.map(<[String]>::to_vec).unwrap_or_default(),
        files: body.files.iter().map(|f| f.path.clone()).collect(),
        touched: body.touched.clone(),
    };
    let body_path = dir.join(meta.body_name());
    store::replace_atomic(&body_path, &bytes, 0o600)
        .with_context(|| format!("could not write the backup `{}`", body_path.display()))?;
    write_meta(dir, &meta)?;
    Ok(meta)
}

pub fn write_meta(dir: &Path, meta: &BackupMeta) -> anyhow::Result<()> {
    let path = dir.join(backup::meta_name(&meta.id));
    let json = serde_json::to_string_pretty(meta)?;
    store::replace_atomic(&path, format!("{json}\n").as_bytes(), 0o600)
        .with_context(|| format!("could not write `{}`", path.display()))
}

/// The ledger entries of `touched` keys, as a backup keeps them.
pub fn ledger_snapshot(ledger: &Ledger, touched: &[Touched]) -> Vec<LedgerSnapshot> {
    ledger
        .entries
        .iter()
        .filter(|e| touched.iter().any(|t| t.file == e.file && t.key == e.key))
        .map(|e| LedgerSnapshot {
            file: e.file.clone(),
            key: e.key.clone(),
            rotated: e.rotated.to_string(),
            by: e.by.name().to_owned(),
            actor: e.actor.clone(),
            previous_until: e.previous_until.map(|t| t.to_string()),
        })
        .collect()
}

/// Puts the entries of `touched` keys back as `snapshot` had them.
pub fn restore_ledger(ledger: &mut Ledger, touched: &[Touched], snapshot: &[LedgerSnapshot]) {
    ledger
        .entries
        .retain(|e| !touched.iter().any(|t| t.file == e.file && t.key == e.key));
    for s in snapshot {
        let (Ok(rotated), Some(by)) = (
            s.rotated.parse::<jiff::Timestamp>(),
            RotationSource::from_name(&s.by),
        ) else {
            continue;
        };
        ledger.entries.push(LedgerEntry {
            file: s.file.clone(),
            key: s.key.clone(),
            rotated,
            by,
            actor: s.actor.clone(),
            previous_until: s.previous_until.as_ref().and_then(|t| t.parse().ok()),
            span: Default::default(),
        });
    }
}

/// Reads the ledger at `path` (an empty one when there is none); an invalid ledger stops the
/// run before anything is written.
pub fn read_ledger(path: &Path, shown: &str) -> anyhow::Result<Ledger> {
    // With the guards of a checked file: a FIFO here would block the run under the lock.
    match secretlint_engine::discover::read_optional(path) {
        Ok(Some(text)) => Ledger::parse(&text).map_err(|errors| {
            let first = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            anyhow::anyhow!(
                "the rotation metadata `{shown}` is invalid ({first}); fix it before rotating"
            )
        }),
        Ok(None) => Ok(Ledger::default()),
        Err(reason) => Err(anyhow::anyhow!("could not read `{shown}`: {reason}")),
    }
}

/// Removes temporary files an interrupted run left next to `files` (`.NAME.secretlint-*.tmp`,
/// see [`store::write_atomic`]). They may hold secrets; the lock guarantees no run is
/// writing them now.
pub fn clean_temp_files<'a>(files: impl IntoIterator<Item = &'a Path>) {
    let mut dirs: Vec<&Path> = files.into_iter().filter_map(Path::parent).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".secretlint-") && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The audit log's path, if it can be appended to: inside the repository and not a link
/// (checked before a run changes anything, since the log is written last).
pub fn audit_log(root: &Path) -> anyhow::Result<PathBuf> {
    let path = unlinked(root, audit::DEFAULT_PATH, "the audit log")?;
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        anyhow::bail!(
            "the audit log `{}` is a symbolic link; secretlint does not write through links",
            audit::DEFAULT_PATH
        );
    }
    Ok(path)
}

/// Appends events to the audit log.
pub fn audit(root: &Path, events: &[Event]) -> anyhow::Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let path = audit_log(root)?;
    // One append and one sync for the whole run.
    let lines: Vec<String> = events.iter().map(Event::to_json_line).collect();
    store::append_line(&path, &lines.join("\n"))
        .with_context(|| format!("could not append to `{}`", path.display()))
}

/// The current bytes and mode of a file (`None` when it does not exist).
pub fn current(path: &Path) -> anyhow::Result<Option<(Vec<u8>, Option<u32>)>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some((bytes, mode_of(path)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => {
            Err(anyhow::Error::new(e).context(format!("could not read `{}`", path.display())))
        }
    }
}

#[cfg(unix)]
pub fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
pub fn mode_of(_path: &Path) -> Option<u32> {
    None
}

/// Sets a file's permission bits (a fix that only restricts permissions).
pub fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .with_context(|| format!("could not change the mode of `{}`", path.display()))?;
    }
    let _ = (path, mode);
    Ok(())
}
