//! The policy file as written: serde types that mirror the TOML one to one, with spans kept on
//! every value that validation may need to point at. [`super::compile`] turns them into the
//! checked [`super::Policy`], and [`super::schema`] derives the JSON schema from them: the doc
//! comments here are the descriptions editors show, so they are written for policy authors.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::schema as s;

/// A secretlint policy: which secrets are required in which environment, how long and random
/// they must be, which may never be shared, and how often each must be rotated.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "secretlint policy", rename = "Policy")]
pub struct RawPolicy {
    /// The policy language version; only `1` exists.
    #[schemars(schema_with = "s::version")]
    #[serde(default)]
    pub version: Option<Spanned<i64>>,
    /// A built-in policy to start from; this file's environments, profiles, secrets and links
    /// come first and win by name.
    #[schemars(schema_with = "s::extends")]
    #[serde(default)]
    pub extends: Option<Spanned<String>>,
    /// Settings of the whole policy.
    #[serde(default)]
    pub settings: RawSettings,
    /// Named sets of files, most protected first: a file belongs to the first environment
    /// whose globs match its path.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, RawEnvironment>")]
    pub environments: IndexMap<String, Spanned<RawEnvironment>>,
    /// Reusable bundles of requirements and a generator, named by secrets' `profile`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, RawProfile>")]
    pub profiles: IndexMap<String, Spanned<RawProfile>>,
    /// Bindings of key names to a profile and a rotation interval; the first whose names match
    /// a key governs it.
    #[serde(default)]
    #[schemars(with = "Vec<RawSecret>")]
    pub secrets: Vec<Spanned<RawSecret>>,
    /// Parts of one value that must equal another secret (the password inside `DATABASE_URL`
    /// and `POSTGRES_PASSWORD`).
    #[serde(default)]
    #[schemars(with = "Vec<RawLink>")]
    pub links: Vec<Spanned<RawLink>>,
    /// Severity per rule id: `error`, `warning`, `info` or `off`.
    #[serde(default)]
    #[schemars(schema_with = "s::rule_severities")]
    pub rules: IndexMap<Spanned<String>, Spanned<String>>,
    /// Where `secretlint fix` backs files up, and to whom backups are encrypted.
    #[serde(default)]
    pub backup: RawBackup,
}

/// Where `secretlint fix` backs files up before rewriting them, and to whom the backups are
/// encrypted.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Backup")]
pub struct RawBackup {
    /// age x25519 recipients (`age1...`, as `age-keygen` prints them) that can decrypt
    /// backups.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub recipients: Vec<Spanned<String>>,
    /// The backup directory, relative to the policy's directory (default
    /// `.secretlint/backups`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub dir: Option<Spanned<String>>,
}

/// Settings of the whole policy.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Settings")]
pub struct RawSettings {
    /// How far ahead `expiring-soon` warns before a secret is due, such as `7d` (default).
    #[serde(default)]
    #[schemars(schema_with = "s::duration")]
    pub expiring_within: Option<Spanned<String>>,
    /// Where the rotation metadata lives, relative to the policy's directory (default:
    /// `.secretlint/rotations.toml`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ledger: Option<Spanned<String>>,
}

/// A named set of files with its own strictness.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Environment")]
pub struct RawEnvironment {
    /// Globs relative to the policy's directory, matched against slash-separated paths: `*`
    /// stays within a directory, `**` crosses them (`**/.env.production`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// Kubernetes namespaces: a manifest that no environment's `files` match belongs to the
    /// environment listing its `metadata.namespace`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub namespaces: Vec<Spanned<String>>,
    /// A development-like environment: strength findings are warnings, and requirements,
    /// permissions and age rules are off.
    #[serde(default)]
    pub relaxed: bool,
    /// `placeholders-only` for a template such as `.env.example`: its values are not judged for
    /// strength, but one that is live in another environment is flagged. `secrets` (the
    /// default) judges every value.
    #[serde(default)]
    #[schemars(schema_with = "s::values_kind")]
    pub values: Option<Spanned<String>>,
    /// A template file name (such as `.env.example`) beside each file of this environment whose
    /// keys must all be present and non-empty.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub required_from: Option<Spanned<String>>,
    /// Severity overrides for this environment only, per rule id.
    #[serde(default)]
    #[schemars(schema_with = "s::rule_severities")]
    pub rules: IndexMap<Spanned<String>, Spanned<String>>,
}

/// Requirements a value must meet in one environment; every field is optional so that an
/// override can set just one of them (`0` or `[]` removes a requirement).
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Requirements")]
pub struct RawRequirements {
    /// The fewest characters a value may have (`too-short`).
    #[serde(default)]
    #[schemars(schema_with = "s::min_length")]
    pub min_length: Option<Spanned<i64>>,
    /// The least estimated entropy in bits (`low-entropy`).
    #[serde(default)]
    #[schemars(schema_with = "s::min_entropy_bits")]
    pub min_entropy_bits: Option<Spanned<f64>>,
    /// The least zxcvbn score, 0 to 4, for human-chosen passwords (`weak-password`).
    #[serde(default)]
    #[schemars(schema_with = "s::min_zxcvbn_score")]
    pub min_zxcvbn_score: Option<Spanned<i64>>,
    /// The format a value must have (`bad-format`): a built-in name or `{ regex = "..." }`.
    #[serde(default)]
    #[schemars(with = "Option<RawFormat>")]
    pub format: Option<Spanned<RawFormat>>,
    /// Extra whole values that count as placeholders (`placeholder`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub placeholders: Option<Vec<Spanned<String>>>,
    /// Regexes a value must not match, such as the company's name (`predictable-pattern`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub forbidden_patterns: Option<Vec<Spanned<String>>>,
}

/// The format a value must have.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Format")]
pub enum RawFormat {
    /// A built-in format.
    Named(#[schemars(schema_with = "s::format_name")] String),
    /// A regex the whole value must match.
    Regex {
        /// A regex (Rust syntax, linear-time; anchor it with `^...$` to match the whole value).
        regex: String,
    },
}

/// A reusable bundle of requirements and a generator.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Profile")]
pub struct RawProfile {
    /// What kind of secret this is, shown in messages and hovers.
    pub description: Option<String>,
    // The requirement fields are repeated rather than flattened: serde cannot combine
    // `flatten` with `deny_unknown_fields`, and unknown keys must be reported.
    /// The fewest characters a value may have (`too-short`).
    #[serde(default)]
    #[schemars(schema_with = "s::min_length")]
    pub min_length: Option<Spanned<i64>>,
    /// The least estimated entropy in bits (`low-entropy`).
    #[serde(default)]
    #[schemars(schema_with = "s::min_entropy_bits")]
    pub min_entropy_bits: Option<Spanned<f64>>,
    /// The least zxcvbn score, 0 to 4, for human-chosen passwords (`weak-password`).
    #[serde(default)]
    #[schemars(schema_with = "s::min_zxcvbn_score")]
    pub min_zxcvbn_score: Option<Spanned<i64>>,
    /// The format a value must have (`bad-format`): a built-in name or `{ regex = "..." }`.
    #[serde(default)]
    #[schemars(with = "Option<RawFormat>")]
    pub format: Option<Spanned<RawFormat>>,
    /// Extra whole values that count as placeholders (`placeholder`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub placeholders: Option<Vec<Spanned<String>>>,
    /// Regexes a value must not match, such as the company's name (`predictable-pattern`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub forbidden_patterns: Option<Vec<Spanned<String>>>,
    /// How `secretlint fix` generates a value for this profile; without it, secrets of this
    /// profile are checked but never generated.
    #[serde(default)]
    #[schemars(with = "Option<RawGenerate>")]
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

/// How a value is generated: a cryptographically secure random draw from a character set.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Generate")]
pub struct RawGenerate {
    /// The character set to draw from.
    #[schemars(schema_with = "s::charset")]
    pub charset: Spanned<String>,
    /// How many characters, 8 to 4096 (default 64); `uuid` and `fernet` have a fixed length.
    #[serde(default)]
    #[schemars(schema_with = "s::generate_length")]
    pub length: Option<Spanned<i64>>,
}

/// A binding of key names to a profile, the environments that require it and a rotation
/// interval.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Secret")]
pub struct RawSecret {
    /// Key names or globs (`*_API_KEY`); an exact name wins over a glob.
    #[schemars(with = "Vec<String>")]
    pub names: Vec<Spanned<String>>,
    /// What the secret is for, shown in hovers and the rotation calendar.
    pub description: Option<String>,
    /// The profile (in `[profiles]`) whose requirements and generator apply.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub profile: Option<Spanned<String>>,
    /// Environments in which every file must define the key (`missing-required`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub required: Vec<Spanned<String>>,
    /// Limits the rule's requirement to files matching these globs (a monorepo where only one
    /// service holds the key).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// `owned` (the default: each file holds its own value) or `shared` (every file of an
    /// environment holds the same value, and a rotation writes it everywhere).
    #[serde(default)]
    #[schemars(schema_with = "s::scope")]
    pub scope: Option<Spanned<String>>,
    /// `generated` (the default) or `external`: issued elsewhere (a provider, Vault), checked
    /// but never generated.
    #[serde(default)]
    #[schemars(schema_with = "s::source")]
    pub source: Option<Spanned<String>>,
    /// How often the secret must be rotated, such as `30d` or `12w` (`stale`,
    /// `expiring-soon`, `unknown-age`).
    #[serde(default)]
    #[schemars(schema_with = "s::duration")]
    pub rotate_every: Option<Spanned<String>>,
    /// Which distinctness rules apply: `environments`, `keys` (default: both; `[]` for none).
    #[serde(default)]
    #[schemars(schema_with = "s::distinct_across")]
    pub distinct_across: Option<Vec<Spanned<String>>>,
    /// Secrets that rotate together with this one (an encryption password and its salt).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub rotate_with: Vec<Spanned<String>>,
    /// Keep the old value under `<KEY>_PREVIOUS` for this long after a rotation, such as `7d`
    /// (`previous-expired`).
    #[serde(default)]
    #[schemars(schema_with = "s::duration")]
    pub keep_previous: Option<Spanned<String>>,
    /// Per-environment overrides of the profile's requirements, by environment name.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, RawRequirements>")]
    pub overrides: IndexMap<Spanned<String>, RawRequirements>,
}

/// A part of a connection URL that must equal another secret.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Link")]
pub struct RawLink {
    /// `KEY#password` or `KEY#username`: a part of a connection URL.
    #[schemars(schema_with = "s::url_part")]
    pub part: Spanned<String>,
    /// The key whose value the part must equal.
    #[schemars(with = "String")]
    pub equals: Spanned<String>,
}
