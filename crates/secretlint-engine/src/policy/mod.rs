//! The policy language: what a team's secrets must look like, per environment. [`raw`] holds
//! the TOML as written; this module checks it and compiles globs, regexes and durations into a
//! [`Policy`] the rules can query cheaply.

mod compile;
pub mod raw;
pub mod schema;

use globset::GlobSet;
use regex::Regex;

use crate::finding::Severity;
use crate::rules::Rule;
use crate::span::Span;
use crate::value::Format;

pub use compile::parse_days;

/// The rule id closest to `given`, for "did you mean" hints.
pub fn suggest_rule(given: &str) -> Option<&'static str> {
    compile::suggest(given, Rule::ALL.iter().map(|r| r.id()))
}

/// The built-in policy used when no `secretlint.toml` is found.
pub const RECOMMENDED: &str = include_str!("../../../../policy/recommended.toml");

/// JobSwipe's secret rotation strategy, the reference policy (`extends = "jobswipe"`).
pub const JOBSWIPE: &str = include_str!("../../../../policy/jobswipe.toml");

/// The names `extends` accepts.
pub const BUILTIN_NAMES: [&str; 2] = ["recommended", "jobswipe"];

/// Built-in policies by the name `extends` uses.
pub fn builtin(name: &str) -> Option<&'static str> {
    match name {
        "recommended" => Some(RECOMMENDED),
        "jobswipe" => Some(JOBSWIPE),
        _ => None,
    }
}

/// Where a policy came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyOrigin {
    /// A file, by the path shown to the user.
    File(String),
    /// A built-in policy by name.
    Builtin(&'static str),
}

impl std::fmt::Display for PolicyOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyOrigin::File(path) => write!(f, "{path}"),
            PolicyOrigin::Builtin(name) => write!(f, "built-in policy `{name}`"),
        }
    }
}

/// One problem in a policy file, with the span it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDiagnostic {
    pub message: String,
    pub span: Option<Span>,
    /// A short label under the span.
    pub label: Option<String>,
    /// A suggestion: "did you mean `min_length`?".
    pub help: Option<String>,
}

/// A policy that could not be loaded: every problem found, with the text they point into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy {origin}: {}", .diagnostics.first().map(|d| d.message.as_str()).unwrap_or("unknown error"))]
pub struct PolicyError {
    pub origin: PolicyOrigin,
    pub text: String,
    pub diagnostics: Vec<PolicyDiagnostic>,
}

/// A named set of files with its own strictness.
#[derive(Debug, Clone)]
pub struct Environment {
    /// Shared by every finding in this environment: a large run has hundreds of thousands of
    /// findings and a handful of environments.
    pub name: std::sync::Arc<str>,
    pub patterns: Vec<String>,
    matcher: GlobSet,
    /// Kubernetes namespaces that place a manifest here when no environment's globs match
    /// its path.
    pub namespaces: Vec<String>,
    /// Development-style: strength findings are warnings; requirements, permissions and age
    /// rules are off.
    pub relaxed: bool,
    /// A template (`values = "placeholders-only"`): values are not judged for strength.
    pub template: bool,
    /// A template file name beside each file whose keys must be present and non-empty.
    pub required_from: Option<String>,
    severities: foldhash::HashMap<Rule, Severity>,
}

impl Environment {
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// A format requirement.
#[derive(Debug, Clone)]
pub enum FormatRequirement {
    Builtin(Format),
    /// A user regex, shown by its index in messages, never by the matched text.
    Regex(Regex),
}

impl FormatRequirement {
    pub fn matches(&self, value: &str) -> bool {
        match self {
            FormatRequirement::Builtin(f) => f.matches(value),
            FormatRequirement::Regex(r) => r.is_match(value),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            FormatRequirement::Builtin(f) => format!("`{}`", f.name()),
            FormatRequirement::Regex(r) => format!("the pattern `{}`", r.as_str()),
        }
    }
}

/// What a value must satisfy. Fields left `None` are not checked.
#[derive(Debug, Clone, Default)]
pub struct Requirements {
    pub min_length: Option<usize>,
    pub min_entropy_bits: Option<f64>,
    pub min_zxcvbn_score: Option<u8>,
    pub format: Option<FormatRequirement>,
    pub placeholders: Vec<String>,
    pub forbidden_patterns: Vec<Regex>,
}

impl Requirements {
    /// `other`'s fields where set, ours elsewhere (a per-environment override on a profile).
    fn overlay(&self, other: &Requirements, set: &RequirementFields) -> Requirements {
        Requirements {
            min_length: if set.min_length {
                other.min_length
            } else {
                self.min_length
            },
            min_entropy_bits: if set.min_entropy_bits {
                other.min_entropy_bits
            } else {
                self.min_entropy_bits
            },
            min_zxcvbn_score: if set.min_zxcvbn_score {
                other.min_zxcvbn_score
            } else {
                self.min_zxcvbn_score
            },
            format: if set.format {
                other.format.clone()
            } else {
                self.format.clone()
            },
            placeholders: if set.placeholders {
                other.placeholders.clone()
            } else {
                self.placeholders.clone()
            },
            forbidden_patterns: if set.forbidden_patterns {
                other.forbidden_patterns.clone()
            } else {
                self.forbidden_patterns.clone()
            },
        }
    }
}

/// Which fields an override sets (an override may set one to "no requirement").
#[derive(Debug, Clone, Default)]
struct RequirementFields {
    min_length: bool,
    min_entropy_bits: bool,
    min_zxcvbn_score: bool,
    format: bool,
    placeholders: bool,
    forbidden_patterns: bool,
}

/// The character set a generator draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Charset {
    Hex,
    Base64,
    Base64Url,
    Alphanumeric,
    /// Letters, digits and symbols that need no quoting in dotenv, YAML or a URL.
    Password,
    Uuid,
    /// 32 random bytes, base64url-encoded (a Fernet key).
    Fernet,
}

impl Charset {
    pub const ALL: [Charset; 7] = [
        Charset::Hex,
        Charset::Base64,
        Charset::Base64Url,
        Charset::Alphanumeric,
        Charset::Password,
        Charset::Uuid,
        Charset::Fernet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Charset::Hex => "hex",
            Charset::Base64 => "base64",
            Charset::Base64Url => "base64url",
            Charset::Alphanumeric => "alphanumeric",
            Charset::Password => "password",
            Charset::Uuid => "uuid",
            Charset::Fernet => "fernet",
        }
    }

    pub fn from_name(name: &str) -> Option<Charset> {
        Charset::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether the generated length is fixed by the charset itself.
    pub fn fixed_length(self) -> Option<usize> {
        match self {
            Charset::Uuid => Some(36),
            Charset::Fernet => Some(44),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generator {
    pub charset: Charset,
    pub length: usize,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub description: Option<String>,
    pub requirements: Requirements,
    pub generate: Option<Generator>,
}

/// Whether every file holds its own value or all files of an environment share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Owned,
    Shared,
}

/// Whether the tool may generate the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Generated,
    /// Issued elsewhere (Vault, a third party): checked, never generated.
    External,
}

/// A binding of key names to a profile, requirements and a rotation interval.
#[derive(Debug, Clone)]
pub struct SecretRule {
    pub names: Vec<String>,
    pub description: Option<String>,
    pub profile: Option<usize>,
    /// Indices of environments where the key is required.
    pub required: Vec<usize>,
    files: Option<GlobSet>,
    pub scope: Scope,
    pub source: Source,
    /// Rotation interval in days.
    pub rotate_every_days: Option<i64>,
    pub distinct_across_environments: bool,
    pub distinct_across_keys: bool,
    pub rotate_with: Vec<String>,
    /// Grace period in days for the `_PREVIOUS` companion.
    pub keep_previous_days: Option<i64>,
    /// Per environment with overrides: the profile's requirements with them applied.
    overrides: foldhash::HashMap<usize, Requirements>,
}

impl SecretRule {
    /// Whether the rule's requirement applies to `path` (its `files` filter, if any).
    pub fn applies_to_file(&self, path: &str) -> bool {
        self.files.as_ref().is_none_or(|f| f.is_match(path))
    }

    /// Whether `name` is one of the rule's literal names (globs cannot be required).
    pub fn literal_names(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .map(String::as_str)
            .filter(|n| !is_glob(n))
    }
}

pub(crate) fn is_glob(name: &str) -> bool {
    name.contains(['*', '?', '[', '{'])
}

/// Which part of a connection URL a link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlPart {
    Password,
    Username,
}

/// `part = "DATABASE_URL#password"`, `equals = "POSTGRES_PASSWORD"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub key: String,
    pub part: UrlPart,
    pub equals: String,
}

/// A checked, compiled policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub origin: PolicyOrigin,
    pub environments: Vec<Environment>,
    pub profiles: Vec<Profile>,
    pub secrets: Vec<SecretRule>,
    pub links: Vec<Link>,
    severities: foldhash::HashMap<Rule, Severity>,
    /// `expiring-soon` window in days.
    pub expiring_within_days: i64,
    /// Path of the rotation metadata, relative to the policy's directory.
    pub ledger: String,
    /// Backups of `secretlint fix`.
    pub backup: BackupSettings,
    names: NameIndex,
    /// Every environment's globs in one set: most files of a walk belong to no environment,
    /// and one match over all the globs rules them out at once.
    any_environment: GlobSet,
}

/// The policy's `[backup]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSettings {
    /// age x25519 recipients, checked when the policy is loaded.
    pub recipients: Vec<String>,
    /// Relative to the policy's directory.
    pub dir: String,
}

/// Finds the first secret rule whose names match a key.
#[derive(Debug, Clone)]
struct NameIndex {
    // foldhash: looked up for every entry of every file; keys are names, never values.
    literal: foldhash::HashMap<String, usize>,
    globs: GlobSet,
    glob_rule: Vec<usize>,
}

impl Policy {
    /// Parses and checks a policy. `extends` is resolved against the built-in policies.
    pub fn from_toml(text: &str, origin: PolicyOrigin) -> Result<Policy, PolicyError> {
        compile::compile(text, origin)
    }

    /// The built-in recommended policy.
    pub fn recommended() -> Policy {
        #[expect(
            clippy::expect_used,
            reason = "the embedded policy is checked by a test"
        )]
        compile::compile(RECOMMENDED, PolicyOrigin::Builtin("recommended"))
            .expect("the built-in policy is valid")
    }

    /// The environment a file belongs to: the first whose globs match its slash-separated path
    /// relative to the policy's directory.
    pub fn environment_for(&self, path: &str) -> Option<usize> {
        let path = globset::Candidate::new(path);
        if !self.any_environment.is_match_candidate(&path) {
            return None;
        }
        self.environments
            .iter()
            .position(|e| e.matcher.is_match_candidate(&path))
    }

    /// The environment that lists Kubernetes namespace `namespace`, for a manifest whose path
    /// no environment's globs match.
    pub fn environment_for_namespace(&self, namespace: &str) -> Option<usize> {
        self.environments
            .iter()
            .position(|e| e.namespaces.iter().any(|n| n == namespace))
    }

    /// Whether some environment places manifests by namespace, so that discovery must look
    /// at YAML files no glob names.
    pub fn places_by_namespace(&self) -> bool {
        self.environments.iter().any(|e| !e.namespaces.is_empty())
    }

    pub fn environment_named(&self, name: &str) -> Option<usize> {
        self.environments.iter().position(|e| &*e.name == name)
    }

    /// The secret rule governing `key`: an exact name first, then the first matching glob in
    /// policy order.
    pub fn secret_for(&self, key: &str) -> Option<usize> {
        let exact = self.names.literal.get(key).copied();
        let glob = self
            .names
            .globs
            .matches(key)
            .into_iter()
            .map(|i| self.names.glob_rule[i])
            .min();
        match (exact, glob) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The effective requirements of a secret rule in an environment: its profile's, with the
    /// environment's overrides applied (resolved once, when the policy is compiled — a check
    /// asks for every value it judges, and cloning the requirements would clone their
    /// regexes, whose match caches then start cold).
    pub fn requirements(&self, secret: usize, environment: Option<usize>) -> &Requirements {
        static NONE: Requirements = Requirements {
            min_length: None,
            min_entropy_bits: None,
            min_zxcvbn_score: None,
            format: None,
            placeholders: Vec::new(),
            forbidden_patterns: Vec::new(),
        };
        let rule = &self.secrets[secret];
        environment
            .and_then(|e| rule.overrides.get(&e))
            .or_else(|| rule.profile.map(|p| &self.profiles[p].requirements))
            .unwrap_or(&NONE)
    }

    pub fn generator(&self, secret: usize) -> Option<Generator> {
        self.secrets[secret]
            .profile
            .and_then(|p| self.profiles[p].generate)
    }

    /// The severity of `rule` in `environment`: the environment's override, then the policy's
    /// `[rules]`, then the rule's default adjusted for relaxed and template environments.
    pub fn severity(&self, rule: Rule, environment: Option<usize>) -> Severity {
        let env = environment.map(|e| &self.environments[e]);
        if let Some(s) = env.and_then(|e| e.severities.get(&rule)) {
            return *s;
        }
        let base = self
            .severities
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_severity());
        match env {
            Some(e) if e.relaxed => rule.relaxed_severity(base),
            _ => base,
        }
    }

    /// The links whose URL key is `key`.
    pub fn links_for(&self, key: &str) -> impl Iterator<Item = &Link> {
        self.links.iter().filter(move |l| l.key == key)
    }
}
