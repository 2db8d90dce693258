//! End-to-end tests of the `secretlint` binary: a temp dir, files written into it, the binary
//! run with `NO_COLOR=1` and a fixed clock, and snapshots of exit code, stdout and stderr.

mod check;
mod ci;
mod completions;
mod crash;
mod explain;
mod fix;
mod hostile;
mod init;
mod jobswipe;
mod leak;
mod leak_property;
mod lsp;
mod write_safety;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary directory to run the binary in.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What a run printed and how it exited.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        self.chmod(rel, 0o600);
        self
    }

    pub fn chmod(&self, rel: &str, mode: u32) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                self.dir.path().join(rel),
                std::fs::Permissions::from_mode(mode),
            )
            .unwrap();
        }
        let _ = (rel, mode);
    }

    /// Copies a directory of the repository (a fixture) into the sandbox, files mode 600.
    pub fn copy(&self, from: &str, to: &str) -> &Self {
        let src = repo_root().join(from);
        for entry in walk(&src) {
            let rel = entry
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&entry).unwrap();
            self.write(format!("{to}/{rel}").trim_start_matches('/'), &text);
        }
        self
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_secretlint"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env("SECRETLINT_NOW", "2026-11-30")
            .env_remove("RUST_LOG")
            .output()
            .expect("run secretlint");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout)
                .replace(self.dir.path().to_str().unwrap(), "[TMP]"),
            stderr: String::from_utf8_lossy(&out.stderr)
                .replace(self.dir.path().to_str().unwrap(), "[TMP]"),
        }
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

impl Sandbox {
    /// Runs the binary in a subdirectory of the sandbox.
    pub fn run_in(&self, sub: &str, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_secretlint"))
            .args(args)
            .current_dir(self.dir.path().join(sub))
            .env("NO_COLOR", "1")
            .env("SECRETLINT_NOW", "2026-11-30")
            .output()
            .expect("run secretlint");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}
