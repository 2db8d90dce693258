//! What `fix`, `rotate` and `restore` write, in a repository that tries to make them write
//! elsewhere: no write ever lands outside the repository (links to files or directories
//! outside it, a linked `.secretlint`, a linked lock file or audit log), a rewritten file
//! keeps its owner and never gains a permission bit, backups are readable by their owner
//! only or encrypted, and no temporary file survives a run, even a killed one.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::hostile::{Bounded, run_bounded, set_mode, symlink, write};

/// A weak production secret that `fix` regenerates.
const WEAK: &[u8] = b"SECRET_KEY=dev-secret\n";

/// A repository (`repo/`) beside a directory that must stay untouched (`outside/`).
struct Layout {
    _dir: tempfile::TempDir,
    repo: std::path::PathBuf,
    outside: std::path::PathBuf,
}

fn layout() -> Layout {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&repo).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    write(&repo.join(".env.production"), WEAK);
    Layout {
        _dir: dir,
        repo,
        outside,
    }
}

/// Every file below `dir` with its bytes (links listed as their target).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir(dir) {
        let meta = std::fs::symlink_metadata(&entry).expect("metadata");
        let rel = entry
            .strip_prefix(dir)
            .expect("below")
            .to_string_lossy()
            .into_owned();
        let bytes = if meta.file_type().is_symlink() {
            std::fs::read_link(&entry)
                .expect("link")
                .to_string_lossy()
                .into_owned()
                .into_bytes()
        } else {
            std::fs::read(&entry).expect("read")
        };
        out.push((rel, bytes));
    }
    out
}

/// Every file and link below `dir`, without following links.
fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        let ty = e.file_type().expect("file type");
        if ty.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Runs every writing command in `repo` and asserts that `outside` did not change and that
/// each command was refused (exit 2) with one of `why` in its message.
fn assert_refused_everywhere(l: &Layout, why: &[&str]) {
    let before = snapshot(&l.outside);
    let env_before = std::fs::read(l.repo.join(".env.production")).expect("read");
    for args in [
        &["fix", "--plaintext-backup"][..],
        &["rotate", "SECRET_KEY", "--plaintext-backup"],
        &["rotate", "--record", "SECRET_KEY"],
    ] {
        let out = run_bounded(&l.repo, args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            why.iter().any(|w| out.stderr.contains(w)),
            "{args:?}: {out:?}"
        );
        assert_eq!(
            snapshot(&l.outside),
            before,
            "{args:?} wrote outside the repository"
        );
        assert_eq!(
            std::fs::read(l.repo.join(".env.production")).expect("read"),
            env_before,
            "{args:?} changed a file although the run was refused"
        );
    }
}

/// How a refused link is explained: outside the repository, or a link at all.
const LINK: &[&str] = &["symlink to a file outside the repository", "symbolic link"];

#[test]
fn a_linked_secretlint_directory_is_never_written_through() {
    let l = layout();
    symlink("../outside", &l.repo.join(".secretlint"));
    assert_refused_everywhere(&l, &["outside the repository"]);
}

#[test]
fn a_linked_lock_file_is_never_opened() {
    let l = layout();
    write(&l.outside.join("victim"), b"precious\n");
    symlink("../../outside/victim", &l.repo.join(".secretlint/lock"));
    // Before the fix, taking the lock truncated the link's target.
    assert_refused_everywhere(&l, LINK);
    // And inside the repository: a lock linked to the env file must not empty it.
    std::fs::remove_file(l.repo.join(".secretlint/lock")).expect("rm");
    symlink("../.env.production", &l.repo.join(".secretlint/lock"));
    assert_refused_everywhere(&l, LINK);
}

#[test]
fn a_linked_audit_log_is_refused_before_anything_changes() {
    let l = layout();
    write(&l.outside.join("victim"), b"precious\n");
    symlink(
        "../../outside/victim",
        &l.repo.join(".secretlint/audit.jsonl"),
    );
    assert_refused_everywhere(&l, LINK);
}

#[test]
fn a_linked_rotation_metadata_file_is_never_read_or_written() {
    let l = layout();
    // Read as the ledger, an env file would be shown unmasked in its syntax errors.
    symlink(
        "../.env.production",
        &l.repo.join(".secretlint/rotations.toml"),
    );
    let out = run_bounded(&l.repo, &["check"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("could not read the rotation metadata"),
        "{out:?}"
    );
    assert!(!out.stdout.contains("dev-secret") && !out.stderr.contains("dev-secret"));
    assert_refused_everywhere(&l, LINK);
}

#[test]
fn a_linked_directory_of_env_files_outside_is_never_written() {
    let l = layout();
    write(&l.outside.join("api/.env.production"), WEAK);
    symlink("../outside/api", &l.repo.join("api"));
    let before = snapshot(&l.outside);
    // Walked: directory links are not followed, so only the file inside is fixed.
    let out = run_bounded(&l.repo, &["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(snapshot(&l.outside), before, "{out:?}");
    assert_ne!(
        std::fs::read(l.repo.join(".env.production")).expect("read"),
        WEAK,
        "{out:?}"
    );
    // Named: read and reported, never written.
    let out = run_bounded(
        &l.repo,
        &["fix", "--plaintext-backup", "api/.env.production"],
    );
    assert_ne!(out.code, 0, "{out:?}");
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains("outside the repository"),
        "{out:?}"
    );
    assert_eq!(snapshot(&l.outside), before, "{out:?}");
}

#[test]
fn a_rewritten_file_keeps_its_owner_and_gains_no_permission() {
    let l = layout();
    let env = l.repo.join(".env.production");
    write(&l.repo.join(".env.staging"), WEAK);
    set_mode(&env, 0o640);
    set_mode(&l.repo.join(".env.staging"), 0o400);
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if is_root {
        // Root fixing a service's file must leave it to the service.
        std::os::unix::fs::chown(&env, Some(4242), Some(4343)).expect("chown");
    } else {
        eprintln!("SKIPPED the owner half: only root can give a file to another user");
    }
    let owners = |p: &Path| {
        let m = std::fs::metadata(p).expect("meta");
        (m.uid(), m.gid(), m.permissions().mode() & 0o7777)
    };
    let before = [owners(&env), owners(&l.repo.join(".env.staging"))];
    let out = run_bounded(&l.repo, &["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out:?}");
    for (path, (uid, gid, mode)) in [&env, &l.repo.join(".env.staging")].iter().zip(before) {
        assert_ne!(
            std::fs::read(path).expect("read"),
            WEAK,
            "{path:?} not fixed"
        );
        let (uid2, gid2, mode2) = owners(path);
        assert_eq!((uid2, gid2), (uid, gid), "{path:?}: owner changed");
        assert_eq!(mode2 & !mode, 0, "{path:?}: {mode:o} widened to {mode2:o}");
    }
    assert_no_temp_files(&l.repo);
}

/// Backups hold old values by design: the directory is the owner's only, every file in it
/// is mode 0600, and an unencrypted backup exists only when asked for.
pub fn assert_backups_private(repo: &Path) {
    let dir = repo.join(".secretlint/backups");
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the backup directory");
    let files = walkdir(&dir);
    assert!(files.len() >= 2, "no backup in {dir:?}");
    for f in files {
        assert_eq!(mode(&f), 0o600, "{f:?}");
    }
}

#[test]
fn backups_are_private_and_encrypted_unless_asked_otherwise() {
    let l = layout();
    let (_, recipient) = secretlint_engine::backup::generate_identity();
    let out = run_bounded(&l.repo, &["fix", "--recipient", &recipient]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_backups_private(&l.repo);
    let bodies: Vec<_> = walkdir(&l.repo.join(".secretlint/backups"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "age"))
        .collect();
    assert_eq!(bodies.len(), 1, "one encrypted body");
    let body = std::fs::read(&bodies[0]).expect("read");
    assert!(
        body.starts_with(b"age-encryption.org/v1"),
        "not an age file"
    );
    assert!(
        !body.windows(10).any(|w| w == b"dev-secret"),
        "the old value is in clear"
    );
    // With no recipient and no `--plaintext-backup`, nothing is written at all.
    let l = layout();
    let out = run_bounded(&l.repo, &["fix"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        std::fs::read(l.repo.join(".env.production")).expect("read"),
        WEAK
    );
    assert!(!l.repo.join(".secretlint/backups").exists(), "{out:?}");
}

/// No `.NAME.secretlint-*.tmp` file anywhere below `dir`.
fn assert_no_temp_files(dir: &Path) {
    let left: Vec<_> = walkdir(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

#[test]
fn no_temporary_file_survives_a_run_even_a_killed_one() {
    let l = layout();
    // Enough files that a run lasts long enough to be killed in the middle of it.
    for i in 0..60 {
        write(&l.repo.join(format!("svc{i}/.env.production")), WEAK);
    }
    let mut killed = 0;
    for delay_ms in [5u64, 15, 30, 60, 120] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_secretlint"))
            .args(["fix", "--plaintext-backup"])
            .current_dir(&l.repo)
            .env("SECRETLINT_NOW", "2026-11-30")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().expect("wait").is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        // Make the values weak again, so that the next run has work to do.
        for i in 0..60 {
            write(&l.repo.join(format!("svc{i}/.env.production")), WEAK);
        }
    }
    let out: Bounded = run_bounded(&l.repo, &["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_no_temp_files(&l.repo);
    let out = run_bounded(&l.repo, &["restore", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_no_temp_files(&l.repo);
    eprintln!("temporary files: {killed} of 5 runs killed mid-way, none left behind");
}
