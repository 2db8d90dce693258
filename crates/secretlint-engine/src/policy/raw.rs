//! The policy file as written: serde types that mirror the TOML one to one, with spans kept on
//! every value that validation may need to point at. [`super::compile`] turns them into the
//! checked [`super::Policy`].

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// The whole policy document.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// The policy language version; only `1` exists.
    pub version: Option<Spanned<i64>>,
    /// A built-in policy to start from (`recommended`); this file's entries come first and win.
    pub extends: Option<Spanned<String>>,
    #[serde(default)]
    pub settings: RawSettings,
    /// Named sets of files, in order of precedence: a file belongs to the first that matches.
    #[serde(default)]
    pub environments: IndexMap<String, Spanned<RawEnvironment>>,
    /// Reusable bundles of requirements and a generator.
    #[serde(default)]
    pub profiles: IndexMap<String, Spanned<RawProfile>>,
    /// Bindings of key names to profiles; the first whose names match a key governs it.
    #[serde(default)]
    pub secrets: Vec<Spanned<RawSecret>>,
    /// Parts of one value that must equal another secret.
    #[serde(default)]
    pub links: Vec<Spanned<RawLink>>,
    /// Severity per rule id: `error`, `warning`, `info` or `off`.
    #[serde(default)]
    pub rules: IndexMap<Spanned<String>, Spanned<String>>,
    /// Where `secretlint fix` backs files up, and to whom backups are encrypted.
    #[serde(default)]
    pub backup: RawBackup,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBackup {
    /// age x25519 recipients (`age1...`, as `age-keygen` prints them) that can decrypt
    /// backups.
    #[serde(default)]
    pub recipients: Vec<Spanned<String>>,
    /// The backup directory, relative to the policy's directory (default
    /// `.secretlint/backups`).
    pub dir: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// How far ahead `expiring-soon` warns, such as `7d`.
    pub expiring_within: Option<Spanned<String>>,
    /// Where the rotation metadata lives, relative to the policy's directory.
    pub ledger: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    /// Globs relative to the policy's directory, matched against slash-separated paths.
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    /// Kubernetes namespaces: a manifest that no environment's `files` match belongs to the
    /// environment listing its `metadata.namespace`.
    #[serde(default)]
    pub namespaces: Vec<Spanned<String>>,
    /// A relaxed environment (development): strength findings are warnings, requirements and
    /// age rules are off.
    #[serde(default)]
    pub relaxed: bool,
    /// `placeholders-only`: a template such as `.env.example`; its values are not judged for
    /// strength, but one that is live in another environment is flagged.
    pub values: Option<Spanned<String>>,
    /// A template file name (such as `.env.example`) beside each file of this environment whose
    /// keys must all be present and non-empty.
    pub required_from: Option<Spanned<String>>,
    /// Severity overrides for this environment only.
    #[serde(default)]
    pub rules: IndexMap<Spanned<String>, Spanned<String>>,
}

/// Requirements a value must meet; every field is optional so that a per-environment override
/// can set just one of them.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirements {
    pub min_length: Option<Spanned<i64>>,
    pub min_entropy_bits: Option<Spanned<f64>>,
    pub min_zxcvbn_score: Option<Spanned<i64>>,
    /// A built-in format name (`hex`, `base64`, `base64url`, `alphanumeric`, `uuid`, `url`,
    /// `postgres-url`) or `{ regex = "..." }`.
    pub format: Option<Spanned<RawFormat>>,
    /// Extra whole values that count as placeholders.
    pub placeholders: Option<Vec<Spanned<String>>>,
    /// Regexes a value must not match (a company name, an environment name, ...).
    pub forbidden_patterns: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawFormat {
    Named(String),
    Regex { regex: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub description: Option<String>,
    // The requirement fields are repeated rather than flattened: serde cannot combine
    // `flatten` with `deny_unknown_fields`, and unknown keys must be reported.
    pub min_length: Option<Spanned<i64>>,
    pub min_entropy_bits: Option<Spanned<f64>>,
    pub min_zxcvbn_score: Option<Spanned<i64>>,
    pub format: Option<Spanned<RawFormat>>,
    pub placeholders: Option<Vec<Spanned<String>>>,
    pub forbidden_patterns: Option<Vec<Spanned<String>>>,
    /// How `secretlint fix` generates a value for this profile.
    pub generate: Option<Spanned<RawGenerate>>,
}

impl RawProfile {
    pub fn requirements(&self) -> RawRequirements {
        RawRequirements {
            min_length: self.min_length.clone(),
            min_entropy_bits: self.min_entropy_bits.clone(),
            min_zxcvbn_score: self.min_zxcvbn_score.clone(),
            format: self.format.clone(),
            placeholders: self.placeholders.clone(),
            forbidden_patterns: self.forbidden_patterns.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGenerate {
    /// `hex`, `base64`, `base64url`, `alphanumeric`, `password`, `uuid`, `fernet`.
    pub charset: Spanned<String>,
    pub length: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecret {
    /// Key names or globs (`*_API_KEY`).
    pub names: Vec<Spanned<String>>,
    pub description: Option<String>,
    pub profile: Option<Spanned<String>>,
    /// Environments in which every file must define the key.
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    /// Limits the rule's requirement to files matching these globs (a monorepo where only
    /// one service holds the key).
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    /// `owned` (default: each file holds its own value) or `shared` (every file of an
    /// environment holds the same value).
    pub scope: Option<Spanned<String>>,
    /// `generated` (default) or `external`: issued elsewhere, checked but never generated.
    pub source: Option<Spanned<String>>,
    /// How often the secret must be rotated, such as `30d`.
    pub rotate_every: Option<Spanned<String>>,
    /// Which distinctness rules apply: `environments`, `keys` (default: both).
    pub distinct_across: Option<Vec<Spanned<String>>>,
    /// Secrets that rotate together with this one (an encryption password and its salt).
    #[serde(default)]
    pub rotate_with: Vec<Spanned<String>>,
    /// Keep the old value under `<KEY>_PREVIOUS` for this long after a rotation.
    pub keep_previous: Option<Spanned<String>>,
    /// Per-environment overrides of the profile's requirements.
    #[serde(default)]
    pub overrides: IndexMap<Spanned<String>, RawRequirements>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    /// `KEY#password` or `KEY#username`: a part of a connection URL.
    pub part: Spanned<String>,
    /// The key whose value the part must equal.
    pub equals: Spanned<String>,
}
