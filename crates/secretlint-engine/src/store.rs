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

/// Checks that writing `path` stays inside `root`: `path` is below `root` (no `..`), and no
/// component from `root` down to `path` itself is a symbolic link. A cloned repository can
/// commit `.secretlint -> /home/me/.ssh` or `.secretlint/audit.jsonl -> ~/.bashrc`; a write
/// through either would land outside the repository. Components that do not exist yet are
/// fine: they are created as real directories.
///
/// This guards against links committed to the repository, not against a local attacker
/// racing the check (see docs/threat-model.md).
pub fn check_inside(root: &Path, path: &Path) -> io::Result<()> {
    let refuse = |why: String| Err(io::Error::new(io::ErrorKind::PermissionDenied, why));
    let Ok(rel) = path.strip_prefix(root) else {
        return refuse(format!(
            "`{}` is outside `{}`",
            path.display(),
            root.display()
        ));
    };
    let mut at = root.to_path_buf();
    for component in rel.components() {
        match component {
            std::path::Component::Normal(c) => at.push(c),
            std::path::Component::CurDir => continue,
            _ => return refuse(format!("`{}` leaves `{}`", path.display(), root.display())),
        }
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return refuse(format!(
                    "`{}` is a symbolic link; secretlint does not write through links",
                    at.display()
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => break,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Appends one line to a JSON Lines file, creating it (mode 0600) if needed, and syncs it.
/// A symbolic link at `path` is refused rather than followed (see [`check_inside`]).
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
        options.mode(0o600);
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
