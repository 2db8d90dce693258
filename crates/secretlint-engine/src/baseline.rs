//! Baselines: the findings a repository already had when it adopted secretlint, recorded
//! without values and keyed on content that survives edits which move lines (path, rule, key),
//! so `check --baseline` fails only on new findings and reports the entries that no longer
//! match, letting the file shrink as things are fixed. The format is documented in
//! docs/baseline.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::check::Report;
use crate::finding::Finding;

/// The version of the baseline file format; bumped only on an incompatible change.
pub const BASELINE_VERSION: u32 = 1;

/// What identifies a finding across runs: never a line number, never a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identity {
    /// The file, root-relative and slash-separated, as in every output format.
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// The key the finding is about, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For findings without a key (a syntax error, unreadable input): the message with every
    /// run of digits replaced by `#`, so that two different syntax errors in one file stay
    /// apart while a byte offset or mode in the message does not make a known finding new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
}

/// One recorded finding, or several identical ones (`count`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    #[serde(flatten)]
    pub identity: Identity,
    /// How many findings share this identity (a key defined three times).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A baseline file: its entries, sorted by identity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Baseline {
    pub entries: Vec<BaselineEntry>,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    entries: Vec<BaselineEntry>,
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("not a secretlint baseline: {0}")]
    Syntax(String),
    #[error(
        "baseline format version {found} is newer than this secretlint reads (up to {BASELINE_VERSION}); \
         upgrade secretlint"
    )]
    Version { found: u32 },
}

/// The result of holding a report against a baseline.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// For each finding of the report, in order: whether the baseline already knew it.
    pub known: Vec<bool>,
    /// Findings the baseline knew.
    pub matched: usize,
    /// Entries (or parts of an entry's `count`) that matched nothing in the files judged: the
    /// problem was fixed, and the entry can go. `count` is the number left unmatched.
    pub stale: Vec<BaselineEntry>,
}

impl Comparison {
    /// Findings the baseline did not know.
    pub fn new_findings(&self) -> usize {
        self.known.iter().filter(|k| !**k).count()
    }
}

/// The identity of a finding of `report`.
pub fn identity(report: &Report, finding: &Finding) -> Identity {
    let path = report
        .files
        .get(finding.file)
        .map_or_else(String::new, |f| f.path.clone());
    Identity {
        path,
        rule: finding.rule.id().to_owned(),
        key: finding.key.as_deref().map(str::to_owned),
        discriminator: finding.key.is_none().then(|| normalize(&finding.message)),
    }
}

/// Replaces every run of ASCII digits with `#`.
fn normalize(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_digits = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

impl Baseline {
    /// Every finding of `report`, grouped by identity.
    pub fn from_report(report: &Report) -> Baseline {
        let mut counts: BTreeMap<Identity, usize> = BTreeMap::new();
        for f in &report.findings {
            *counts.entry(identity(report, f)).or_default() += 1;
        }
        Baseline {
            entries: counts
                .into_iter()
                .map(|(identity, count)| BaselineEntry { identity, count })
                .collect(),
        }
    }

    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        // The version first, so a newer file is reported as such rather than as a shape error.
        let v: Version =
            serde_json::from_str(text).map_err(|e| BaselineError::Syntax(e.to_string()))?;
        if v.version > BASELINE_VERSION || v.version == 0 {
            return Err(BaselineError::Version { found: v.version });
        }
        let file: File =
            serde_json::from_str(text).map_err(|e| BaselineError::Syntax(e.to_string()))?;
        let mut entries = file.entries;
        entries.sort_by(|a, b| a.identity.cmp(&b.identity));
        Ok(Baseline { entries })
    }

    /// The file's text: one entry per line, sorted, so that diffs show exactly the findings
    /// that came and went, and two branches that each fix something merge cleanly.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\n  \"version\": {BASELINE_VERSION},\n  \"entries\": [");
        for (i, e) in self.entries.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            // Serializing plain strings and numbers cannot fail.
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
        }
        out.push_str(if self.entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    /// Holds `report` against the baseline. Each entry absorbs up to `count` findings with its
    /// identity (in report order); the rest are new. An entry is stale only when its file was
    /// judged this run (`judged(path)`): a run over one directory, or one shard, says nothing
    /// about the entries of files it did not look at.
    pub fn compare(&self, report: &Report, judged: &dyn Fn(&str) -> bool) -> Comparison {
        let mut left: BTreeMap<&Identity, usize> = self
            .entries
            .iter()
            .map(|e| (&e.identity, e.count))
            .collect();
        let mut known = Vec::with_capacity(report.findings.len());
        let mut matched = 0;
        for f in &report.findings {
            let id = identity(report, f);
            let hit = match left.get_mut(&id) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            };
            matched += usize::from(hit);
            known.push(hit);
        }
        let stale = left
            .into_iter()
            .filter(|(id, n)| *n > 0 && judged(&id.path))
            .map(|(id, n)| BaselineEntry {
                identity: id.clone(),
                count: n,
            })
            .collect();
        Comparison {
            known,
            matched,
            stale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CheckOptions, Input, Policy, check};

    fn report(files: &[(&str, &str)]) -> Report {
        let inputs = files.iter().map(|(p, t)| Input::text(*p, *t)).collect();
        check(&Policy::recommended(), inputs, &CheckOptions::default())
    }

    #[test]
    fn a_baseline_survives_moved_lines_and_changed_weak_values() {
        let before = report(&[(
            "api/.env.production",
            "SECRET_KEY=dev-secret\nAPI_TOKEN=short\n",
        )]);
        let baseline = Baseline::from_report(&before);
        assert_eq!(baseline.entries.len(), before.findings.len());
        // Lines moved, a comment added, one weak value swapped for another weak value.
        let after = report(&[(
            "api/.env.production",
            "# moved\nAPI_TOKEN=short\n\nSECRET_KEY=other-dev\n",
        )]);
        let cmp = baseline.compare(&after, &|_| true);
        assert_eq!(cmp.new_findings(), 0, "{:?}", after.findings);
        assert!(cmp.stale.is_empty());
    }

    #[test]
    fn new_findings_are_new_and_fixed_ones_are_stale() {
        let before = report(&[("api/.env.production", "SECRET_KEY=dev-secret\n")]);
        let baseline = Baseline::from_report(&before);
        let after = report(&[("api/.env.production", "API_TOKEN=short\n")]);
        let cmp = baseline.compare(&after, &|_| true);
        assert_eq!(cmp.known, vec![false]);
        assert_eq!(cmp.stale.len(), 1);
        assert_eq!(cmp.stale[0].identity.key.as_deref(), Some("SECRET_KEY"));
        // A file this run did not judge keeps its entries.
        let cmp = baseline.compare(&after, &|p| p != "api/.env.production");
        assert!(cmp.stale.is_empty());
    }

    #[test]
    fn counts_absorb_only_as_many_findings_as_were_recorded() {
        let before = report(&[("a/.env", "K=1\nK=2\n")]);
        let baseline = Baseline::from_report(&before);
        let dup = baseline
            .entries
            .iter()
            .find(|e| e.identity.rule == "duplicate-key")
            .unwrap();
        assert_eq!(dup.count, 1);
        let after = report(&[("a/.env", "K=1\nK=2\nK=3\n")]);
        let cmp = baseline.compare(&after, &|_| true);
        assert_eq!(cmp.new_findings(), 1);
    }

    #[test]
    fn keyless_findings_are_told_apart_by_their_message_without_digits() {
        assert_eq!(
            normalize("not valid UTF-8 (byte 120, line 4)"),
            "not valid UTF-# (byte #, line #)"
        );
        let before = report(&[("a/.env", "=x\n\"unterminated\n")]);
        let baseline = Baseline::from_report(&before);
        let syntax: Vec<_> = baseline
            .entries
            .iter()
            .filter(|e| e.identity.rule == "syntax-error")
            .collect();
        assert!(!syntax.is_empty());
        assert!(
            syntax
                .iter()
                .all(|e| e.identity.key.is_none() && e.identity.discriminator.is_some())
        );
    }

    #[test]
    fn the_file_round_trips_and_rejects_newer_versions() {
        let before = report(&[("api/.env.production", "SECRET_KEY=dev-secret\nK=1\nK=1\n")]);
        let baseline = Baseline::from_report(&before);
        let text = baseline.to_json();
        assert!(!text.contains("dev-secret"));
        assert_eq!(Baseline::parse(&text).unwrap(), baseline);
        assert_eq!(
            Baseline::parse("{\"version\":1,\"entries\":[]}").unwrap(),
            Baseline::default()
        );
        assert_eq!(
            Baseline::default().to_json(),
            "{\n  \"version\": 1,\n  \"entries\": []\n}\n"
        );
        assert!(matches!(
            Baseline::parse("{\"version\":2}"),
            Err(BaselineError::Version { found: 2 })
        ));
        assert!(matches!(
            Baseline::parse("[]"),
            Err(BaselineError::Syntax(_))
        ));
    }
}
