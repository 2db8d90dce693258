//! Findings and fixes as data: what the renderers, the language server and the fix applier
//! consume. Nothing here holds a secret value.

use std::sync::Arc;

use crate::rules::Rule;
use crate::span::Span;

/// How serious a finding is. `Off` disables a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(name: &str) -> Option<Severity> {
        match name {
            "off" => Some(Severity::Off),
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in another file (or elsewhere in the same file) that explains a finding: the other
/// holder of a reused value, the earlier definition of a duplicated key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Related {
    /// Index into [`crate::Report::files`].
    pub file: usize,
    pub span: Span,
    pub message: String,
}

/// Whether a fix can be applied by the tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The tool can do it: a value it can generate, a key it can add, a mode it can set.
    Safe,
    /// A person must act: a secret issued elsewhere (a Vault token, a third-party API key) is
    /// rotated at its source, never invented here.
    Manual,
}

/// What a fix does. Values are generated only when a fix is applied, never when it is
/// planned, so a finding never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FixAction {
    /// Generate a compliant value for the finding's key, and write it wherever the policy
    /// says the value must follow (other files of a shared secret, linked URL parts).
    Regenerate { key: String },
    /// Add the missing key with a generated value.
    AddKey { key: String },
    /// Remove the entry (an expired `_PREVIOUS` companion).
    RemoveEntry { key: String },
    /// Make the file readable by its owner only.
    RestrictPermissions,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub action: FixAction,
    /// A short imperative title for menus: "generate a new compliant value".
    pub title: String,
}

/// One violation of the policy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Index into [`crate::Report::files`].
    pub file: usize,
    /// The primary location: a value, a key, a line.
    pub span: Span,
    /// The key the finding is about, when there is one. Together with the file and rule it
    /// identifies a finding across edits that move lines (baselines key on it).
    pub key: Option<Arc<str>>,
    /// The environment of the file, when it belongs to one.
    pub environment: Option<Arc<str>>,
    /// What was found and what the policy asks; never the value. Shared like the key, the
    /// environment and the notes: a large run has one distinct message for every five
    /// findings, and one distinct fix for every thousand.
    pub message: Arc<str>,
    pub related: Vec<Related>,
    /// Further lines: other failed checks, how to fix, what governs the value. Shared: a
    /// large run repeats a few hundred distinct notes across hundreds of thousands of findings.
    pub notes: Vec<Arc<str>>,
    pub fix: Option<Arc<Fix>>,
}

impl Finding {
    /// Sets the fix. Behind a pointer because most findings of a large run share a handful of
    /// fix kinds and the finding stays small: hundreds of thousands of them are held at once.
    pub fn set_fix(&mut self, fix: Option<Fix>) {
        self.fix = fix.map(Arc::new);
    }
}
