//! The repository lock: one `secretlint` run at a time may change a repository's secrets,
//! its rotation metadata and its backups. Part of the disk layer, like [`crate::store`].
//!
//! The lock is an advisory lock of the operating system on a file
//! (`.secretlint/lock` by default), not the file's existence: a run killed at any instant
//! (the crash test sends SIGKILL) releases it with its process, so no stale lock ever blocks
//! the next run and no one has to be told to delete a file.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file, relative to the policy's directory.
pub const DEFAULT_PATH: &str = ".secretlint/lock";

/// Held until dropped.
#[derive(Debug)]
pub struct RepoLock {
    _file: File,
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another `secretlint` run is changing this repository ({holder}); wait for it to finish (lock `{path}`)"
    )]
    Held { path: String, holder: String },
    #[error("could not take the lock `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Takes the lock at `path` without waiting.
pub fn acquire(path: &Path) -> Result<RepoLock, LockError> {
    let shown = path.display().to_string();
    let io = |source| LockError::Io {
        path: shown.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // The lock file is truncated and written once taken: through a link committed to the
    // repository (`.secretlint/lock -> ~/.bashrc`, or `-> ../.env.production`) that would
    // destroy another file. A link is refused, and `O_NOFOLLOW` closes the gap after the check.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "it is a symbolic link; secretlint does not write through links",
        )));
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options.open(path).map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(LockError::Held {
                path: shown,
                holder: if holder.is_empty() {
                    "process unknown".into()
                } else {
                    holder.to_owned()
                },
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    // Who holds it, for the message another run prints; best effort.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "process {}", std::process::id()));
    Ok(RepoLock {
        _file: file,
        path: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("secretlint-lock-{}", std::process::id()));
        let path = dir.join("lock");
        let first = acquire(&path).unwrap();
        let second = acquire(&path);
        assert!(
            matches!(&second, Err(LockError::Held { holder, .. }) if holder.starts_with("process ")),
            "{second:?}"
        );
        drop(first);
        assert!(acquire(&path).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
