//! The audit log: append-only JSON Lines, one event per rotation, record or restore. An event
//! names the file, key, environment, actor and reason, never a value.

use serde::Serialize;

/// The default audit log, relative to the policy's directory.
pub const DEFAULT_PATH: &str = ".secretlint/audit.jsonl";

/// What happened to a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// `secretlint fix` or `secretlint rotate` wrote a new value.
    Rotate,
    /// `secretlint rotate --record`: rotated elsewhere, recorded here.
    Record,
    /// `secretlint restore` put an old value back.
    Restore,
    /// An expired `_PREVIOUS` companion was removed.
    RemovePrevious,
    /// `secretlint fix` added a missing key (a generated value, or the value a shared
    /// secret already has in its environment).
    Add,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// RFC 3339, UTC.
    pub time: String,
    /// `user@host`, or the CI system and its actor.
    pub actor: String,
    pub action: Action,
    pub file: String,
    pub key: String,
    pub environment: Option<String>,
    /// The rule whose finding triggered it, or `on-demand`.
    pub reason: String,
    pub backup: Option<String>,
}

impl Event {
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Who is acting, from the environment: a CI system and its actor when there is one,
/// `user@host` otherwise. `env` is passed in so that this stays a pure function.
pub fn actor(env: impl Fn(&str) -> Option<String>) -> String {
    if env("GITHUB_ACTIONS").as_deref() == Some("true") {
        let who = env("GITHUB_ACTOR").unwrap_or_else(|| "unknown".into());
        return format!("github-actions:{who}");
    }
    if env("GITLAB_CI").as_deref() == Some("true") {
        let who = env("GITLAB_USER_LOGIN").unwrap_or_else(|| "unknown".into());
        return format!("gitlab-ci:{who}");
    }
    if env("CI").is_some_and(|v| v == "true" || v == "1") {
        return "ci".into();
    }
    let user = env("USER")
        .or_else(|| env("LOGNAME"))
        .or_else(|| env("USERNAME"))
        .unwrap_or_else(|| "unknown".into());
    let host = env("HOSTNAME")
        .or_else(|| env("COMPUTERNAME"))
        .unwrap_or_else(|| "localhost".into());
    format!("{user}@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_prefers_the_ci_system() {
        let gh = |k: &str| match k {
            "GITHUB_ACTIONS" => Some("true".into()),
            "GITHUB_ACTOR" => Some("octocat".into()),
            "USER" => Some("runner".into()),
            _ => None,
        };
        assert_eq!(actor(gh), "github-actions:octocat");
        let local = |k: &str| match k {
            "USER" => Some("alice".into()),
            "HOSTNAME" => Some("laptop".into()),
            _ => None,
        };
        assert_eq!(actor(local), "alice@laptop");
    }
}
