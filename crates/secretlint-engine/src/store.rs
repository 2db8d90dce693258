//! The writing half of the disk layer: atomic replacement of a file, and the append-only
//! audit log. Like [`crate::discover`], it is called by the CLI and the language server; the
//! rest of the engine never touches the disk.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes` so that a crash at any instant leaves either the old file or
/// the new one, never a mix: the bytes go to a temporary file in the same directory (so the
/// rename cannot cross file systems), are synced, and the temporary file is renamed over the
/// original; then the directory is synced so the rename itself is durable. The file keeps
/// its permission bits (or gets `new_mode` when it did not exist).
pub fn write_atomic(path: &Path, bytes: &[u8], new_mode: u32) -> io::Result<()> {
    replace_atomic(path, bytes, existing_mode(path).unwrap_or(new_mode))
}

/// [`write_atomic`] with the mode given rather than kept: the temporary file is created with
/// `mode`, so the content and the permissions change in the same rename (a fix that also
/// restricts a file's permissions, a restore that puts an old mode back).
pub fn replace_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = None;
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(
            ".{name}.secretlint-{}-{attempt}.tmp",
            std::process::id()
        ));
        match create_new(&candidate, mode) {
            Ok(f) => {
                tmp = Some((candidate, f));
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    let Some((tmp_path, mut file)) = tmp else {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "could not create a temporary file",
        ));
    };
    let result = (|| {
        // `open`'s mode is masked by the umask; set it exactly.
        set_mode(&file, mode)?;
        keep_owner(&file, path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp_path, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        // Never leave a temporary copy of a secrets file behind.
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

#[cfg(unix)]
fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode & 0o7777)
        .open(path)
}

#[cfg(not(unix))]
fn create_new(path: &Path, _mode: u32) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode & 0o7777))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Gives the temporary file the owner and group of the file it replaces. A new file belongs
/// to whoever runs secretlint: root fixing a service's `.env` would otherwise leave it owned
/// by root and unreadable by the service. When the owner cannot be kept (an unprivileged
/// user replacing another user's file), the write is refused rather than made with a
/// changed owner.
#[cfg(unix)]
fn keep_owner(file: &File, path: &Path) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Ok(old) = fs::metadata(path) else {
        return Ok(());
    };
    let new = file.metadata()?;
    if (old.uid(), old.gid()) == (new.uid(), new.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "could not keep the owner {}:{} of `{}`: {e}",
                old.uid(),
                old.gid(),
                path.display()
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn existing_mode(_path: &Path) -> Option<u32> {
    None
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Appends one line to a JSON Lines file, creating it (mode 0600) if needed, and syncs it.
/// A symbolic link at `path` is refused rather than followed: a repository that commits
/// `.secretlint/audit.jsonl -> ~/.bashrc` must not get secretlint to append to that file.
pub fn append_line(path: &Path, line: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "`{}` is a symbolic link; secretlint does not write through links",
                path.display()
            ),
        ));
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The check above gives the message; this closes the gap between it and the open.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let mut f = options.open(path)?;
    let mut buf = line.trim_end_matches('\n').to_owned();
    buf.push('\n');
    f.write_all(buf.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_keeps_the_mode() {
        let dir = std::env::temp_dir().join(format!("secretlint-store-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join(".env");
        fs::write(&p, "A=1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, b"A=2\n", 0o600).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "A=2\n");
        #[cfg(unix)]
        assert_eq!(existing_mode(&p), Some(0o640));
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
