//! The workspace a server checks: its root, its policy, and which paths are env files, the
//! policy file, or neither. Loading follows the CLI exactly (`secretlint.toml` found upward,
//! globs relative to its directory; an explicit policy applies to the workspace root; the
//! built-in recommended policy otherwise), so both see the same environments.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use secretlint_engine::discover::{self, POLICY_FILE};
use secretlint_engine::{Policy, PolicyError, PolicyOrigin};

/// Where the policy came from and the directory its globs are relative to.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory paths are made relative to before they reach the engine.
    pub root: PathBuf,
    /// The policy file, when there is one (none means the built-in recommended policy).
    pub policy_path: Option<PathBuf>,
    /// The policy in force: the last one that loaded. `None` until one loads.
    pub policy: Option<Arc<Policy>>,
    /// Why the policy file on disk could not be loaded, when it could not.
    pub policy_error: Option<PolicyError>,
}

impl Workspace {
    /// Finds the policy for a workspace folder (or, without one, for the directory of the first
    /// file opened) and loads it.
    pub fn load(folder: &Path, explicit: Option<&Path>) -> Workspace {
        let (policy_path, root) = match explicit {
            Some(p) => (Some(folder.join(p)), folder.to_path_buf()),
            None => match discover::find_policy(folder) {
                Some(found) => {
                    let root = found
                        .parent()
                        .map_or_else(|| folder.to_path_buf(), Path::to_path_buf);
                    (Some(found), root)
                }
                None => (None, folder.to_path_buf()),
            },
        };
        let mut ws = Workspace {
            root,
            policy_path,
            policy: None,
            policy_error: None,
        };
        match &ws.policy_path {
            None => ws.policy = Some(Arc::new(Policy::recommended())),
            Some(path) => {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                ws.reload_from(&text);
            }
        }
        ws
    }

    /// Compiles `text` as the policy. On success it replaces the policy in force; on failure
    /// the last good policy stays in force and the error is kept for the policy file's
    /// diagnostics. Returns whether the policy changed.
    pub fn reload_from(&mut self, text: &str) -> bool {
        match Policy::from_toml(text, self.origin()) {
            Ok(policy) => {
                self.policy = Some(Arc::new(policy));
                self.policy_error = None;
                true
            }
            Err(e) => {
                self.policy_error = Some(e);
                false
            }
        }
    }

    fn origin(&self) -> PolicyOrigin {
        match &self.policy_path {
            Some(p) => PolicyOrigin::File(discover::display_path(&self.root, p)),
            None => PolicyOrigin::Builtin("recommended"),
        }
    }

    /// The engine's name for a file: slash-separated and relative to the root.
    pub fn relative(&self, path: &Path) -> String {
        discover::display_path(&self.root, path)
    }

    /// Whether `path` is the policy file in force (or, without one, any `secretlint.toml`).
    pub fn is_policy_file(&self, path: &Path) -> bool {
        match &self.policy_path {
            Some(p) => p == path,
            None => path.file_name().is_some_and(|n| n == POLICY_FILE),
        }
    }

    /// Whether a document is linted as an env file: an environment of the policy claims it,
    /// the editor calls it dotenv, or its name says so. A shell script that an editor labels
    /// `sh` is left alone.
    pub fn is_env_file(&self, rel: &str, language_id: Option<&str>) -> bool {
        if language_id == Some("dotenv") {
            return true;
        }
        if self
            .policy
            .as_ref()
            .is_some_and(|p| p.environment_for(rel).is_some())
        {
            return true;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
    }
}

/// A `file:` URI's path, absolute and without `.` components.
pub fn uri_path(uri: &tower_lsp_server::ls_types::Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    let path = uri.to_file_path()?;
    Some(std::path::absolute(&path).unwrap_or_else(|_| path.into_owned()))
}
