//! The rule registry: the single source of truth for rule ids, families, default severities,
//! fix availability and documentation. The enum, id parsing, `secretlint explain`, the docs
//! index and the policy's `[rules]` table all derive from the table below.

pub(crate) mod age;
pub(crate) mod cross;
pub(crate) mod file;
pub(crate) mod value;

use crate::finding::Severity;

/// Where each rule's page is published: [`Rule::docs_url`] is this followed by the rule id.
/// The pages are generated from [`Rule::doc`] into `docs/rules/<id>.md`; the language server's
/// `codeDescription` and SARIF's `helpUri` link here.
pub const DOCS_BASE_URL: &str = "https://secretlint.dev/rules/";

/// The family a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// One value against its profile.
    Value,
    /// Values across keys, files and environments.
    Cross,
    /// When a secret was rotated and when it is due.
    Age,
    /// A file as a whole.
    File,
}

/// Whether a rule's findings can carry a fix the tool applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    /// Fixed by `secretlint fix` (for generated secrets; external ones are manual).
    Safe,
    /// Needs a person.
    None,
}

macro_rules! registry {
    ($($variant:ident => $id:literal, $label:literal, $family:ident, $severity:ident, $fix:ident, $module:path;)*) => {
        /// A rule, by its stable kebab-case id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in registry order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id used in policies, output and `secretlint explain`.
            pub const fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// A few words for the underline in a snippet: "too short".
            pub const fn label(self) -> &'static str {
                match self { $(Rule::$variant => $label,)* }
            }

            pub const fn family(self) -> Family {
                match self { $(Rule::$variant => Family::$family,)* }
            }

            pub const fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            pub const fn fix_availability(self) -> FixAvailability {
                match self { $(Rule::$variant => FixAvailability::$fix,)* }
            }

            /// The rule's documentation in fixed sections: *What it does*, *Why is this bad?*,
            /// *Example*, *Fix*.
            pub fn doc(self) -> &'static str {
                match self { $(Rule::$variant => { use $module as m; m::DOC },)* }
            }
        }
    };
}

registry! {
    MissingRequired => "missing-required", "required key missing", Value, Error, Safe, value::missing_required;
    EmptyValue => "empty-value", "empty", Value, Error, Safe, value::empty_value;
    TooShort => "too-short", "too short", Value, Error, Safe, value::too_short;
    LowEntropy => "low-entropy", "low entropy", Value, Error, Safe, value::low_entropy;
    WeakPassword => "weak-password", "weak password", Value, Error, Safe, value::weak_password;
    Placeholder => "placeholder", "placeholder", Value, Error, Safe, value::placeholder;
    PredictablePattern => "predictable-pattern", "predictable", Value, Error, Safe, value::predictable_pattern;
    BadFormat => "bad-format", "wrong format", Value, Error, Safe, value::bad_format;
    ReusedAcrossEnvironments => "reused-across-environments", "value reused across environments", Cross, Error, Safe, cross::reused_across_environments;
    ReusedAcrossKeys => "reused-across-keys", "value reused across keys", Cross, Warning, Safe, cross::reused_across_keys;
    InconsistentAcrossFiles => "inconsistent-across-files", "differs from other files", Cross, Error, Safe, cross::inconsistent_across_files;
    LinkedMismatch => "linked-mismatch", "does not match its linked secret", Cross, Error, Safe, cross::linked_mismatch;
    Stale => "stale", "overdue for rotation", Age, Error, Safe, age::stale;
    ExpiringSoon => "expiring-soon", "due for rotation soon", Age, Warning, Safe, age::expiring_soon;
    UnknownAge => "unknown-age", "no known rotation date", Age, Warning, None, age::unknown_age;
    PreviousExpired => "previous-expired", "grace period over", Age, Error, Safe, age::previous_expired;
    StaleMetadata => "stale-metadata", "records a secret that is gone", Age, Warning, None, age::stale_metadata;
    SyntaxError => "syntax-error", "syntax error", File, Error, None, file::syntax_error;
    DuplicateKey => "duplicate-key", "defined again", File, Warning, None, file::duplicate_key;
    InsecurePermissions => "insecure-permissions", "readable by others", File, Warning, Safe, file::insecure_permissions;
    UndeclaredSecret => "undeclared-secret", "not covered by the policy", File, Warning, None, file::undeclared_secret;
    UnreadableInput => "unreadable-input", "unreadable", File, Error, None, file::unreadable_input;
    InvalidSuppression => "invalid-suppression", "invalid suppression", File, Warning, None, file::invalid_suppression;
    UnusedSuppression => "unused-suppression", "suppresses nothing", File, Warning, None, file::unused_suppression;
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The address of the rule's documentation page.
    pub fn docs_url(self) -> String {
        format!("{DOCS_BASE_URL}{}", self.id())
    }

    /// The first sentence of *What it does*, without its period: the one-line summary in
    /// `secretlint explain`, the docs index and the schema.
    pub fn summary(self) -> &'static str {
        let first = self.doc().lines().nth(1).unwrap_or("");
        first
            .split(". ")
            .next()
            .unwrap_or(first)
            .trim_end_matches('.')
    }

    /// The severity in a relaxed (development) environment: strength findings become warnings
    /// at most; requirements, permissions and age are not enforced.
    pub(crate) fn relaxed_severity(self, base: Severity) -> Severity {
        match self {
            Rule::MissingRequired
            | Rule::InsecurePermissions
            | Rule::Stale
            | Rule::ExpiringSoon
            | Rule::UnknownAge
            | Rule::PreviousExpired
            | Rule::StaleMetadata => Severity::Off,
            Rule::EmptyValue
            | Rule::TooShort
            | Rule::LowEntropy
            | Rule::WeakPassword
            | Rule::Placeholder
            | Rule::PredictablePattern
            | Rule::BadFormat
            | Rule::ReusedAcrossKeys
            | Rule::UndeclaredSecret => base.min(Severity::Warning),
            _ => base,
        }
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{id} is not kebab-case"
            );
            assert_eq!(Rule::from_id(id), Some(*rule));
        }
    }

    #[test]
    fn every_rule_has_documentation_in_fixed_sections() {
        for rule in Rule::ALL {
            let doc = rule.doc();
            let mut at = 0;
            for section in [
                "## What it does\n",
                "## Why is this bad?\n",
                "## Example\n",
                "## Fix\n",
            ] {
                let found = doc[at..]
                    .find(section)
                    .unwrap_or_else(|| panic!("{rule}: no {section:?}"));
                at += found + section.len();
            }
        }
    }
}
