//! Hover on an entry: the secret rule and profile that govern the key, what the policy asks of
//! it here, the value's length and strength estimate, its rotation interval, and the findings
//! on it. Never the value, nor any part of it.

use jiff::Timestamp;
use secretlint_engine::age::{
    AgeSource, Assessment, Ledger, Status, assess, format_date, last_rotation, rotation_annotation,
    sops_lastmodified,
};
use secretlint_engine::document::{Document, Entry};
use secretlint_engine::policy::{FormatRequirement, Policy, Scope, Source};
use secretlint_engine::value;
use secretlint_engine::{Finding, Rule};

/// Longest value zxcvbn is run on for a hover: it grows faster than linearly (12 ms at 120
/// characters) and long random values score 4 anyway.
const ZXCVBN_MAX_CHARS: usize = 128;

/// What the age of an entry is measured against.
pub struct AgeContext<'a> {
    /// The file's text and its parsed document (for `# rotated:` comments and SOPS metadata).
    pub text: &'a str,
    pub document: &'a Document,
    /// The file's engine path, as the ledger names it.
    pub rel: &'a str,
    pub ledger: Option<&'a Ledger>,
    pub now: Timestamp,
}

/// The rotation interval, last rotation and assessment of an entry whose key has an interval.
pub struct Age {
    pub every_days: i64,
    /// `None` when no rotation date is known.
    pub last: Option<(Timestamp, AgeSource, Assessment)>,
}

/// The age of `entry`, when its key has a rotation interval: the same sources, in the same
/// precedence, as the age rules (`# rotated:` comment, then ledger, then SOPS metadata).
pub fn age_of(policy: &Policy, entry: &Entry, cx: &AgeContext<'_>) -> Option<Age> {
    let secret = policy.secret_for(&entry.key)?;
    let every_days = policy.secrets[secret].rotate_every_days?;
    let comment = match rotation_annotation(cx.text, cx.document, entry) {
        Some(Ok(a)) => Some(a),
        _ => None,
    };
    let record = cx.ledger.and_then(|l| l.lookup(cx.rel, &entry.key));
    let last = last_rotation(comment.as_ref(), record, sops_lastmodified(cx.document)).map(
        |(t, source)| {
            (
                t,
                source,
                assess(t, cx.now, every_days, policy.expiring_within_days),
            )
        },
    );
    Some(Age { every_days, last })
}

/// "due in 18 days", "due today", "overdue by 3 days".
pub fn due_phrase(status: Status) -> String {
    let days = |n: i64| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    };
    match status {
        Status::Ok { days_left } | Status::ExpiringSoon { days_left } if days_left > 0 => {
            format!("due in {}", days(days_left))
        }
        Status::Ok { .. } | Status::ExpiringSoon { .. } => "due today".into(),
        Status::Stale { days_overdue } => format!("overdue by {}", days(days_overdue)),
    }
}

/// The hover text (markdown) for an entry, or `None` for a key nothing is known about.
pub fn describe(
    policy: &Policy,
    environment: Option<usize>,
    entry: &Entry,
    findings: &[&Finding],
    age: &AgeContext<'_>,
) -> Option<String> {
    let key = entry.key.as_str();
    let secret = policy.secret_for(key);
    if secret.is_none() && findings.is_empty() && !value::secret_like_name(key) {
        return None;
    }
    let mut out = format!("### `{key}`\n\n");
    let env_name = environment.map(|e| &*policy.environments[e].name);
    match secret {
        None => out.push_str("No secret rule of the policy governs this key.\n\n"),
        Some(s) => {
            let rule = &policy.secrets[s];
            let names = rule
                .names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!("**Rule**: secret rule for {names}"));
            if let Some(d) = &rule.description {
                out.push_str(&format!(" — {d}"));
            }
            out.push_str("\n\n");
            if let Some(p) = rule.profile {
                let profile = &policy.profiles[p];
                out.push_str(&format!("**Profile**: `{}`", profile.name));
                if let Some(d) = &profile.description {
                    out.push_str(&format!(" — {d}"));
                }
                out.push_str("\n\n");
            }
            let mut facts = Vec::new();
            match env_name {
                Some(name) => facts.push(format!("environment `{name}`")),
                None => facts.push("no environment".into()),
            }
            if environment.is_some_and(|e| rule.required.contains(&e)) {
                facts.push("required here".into());
            }
            facts.push(match rule.scope {
                Scope::Owned => "one value per file".into(),
                Scope::Shared => "one value shared by every file of the environment".into(),
            });
            out.push_str(&format!("- {}\n", facts.join(" · ")));
            let req = policy.requirements(s, environment);
            let mut asks = Vec::new();
            if let Some(n) = req.min_length {
                asks.push(format!("at least {n} characters"));
            }
            if let Some(b) = req.min_entropy_bits {
                asks.push(format!("{b:.0} bits of entropy"));
            }
            if let Some(z) = req.min_zxcvbn_score {
                asks.push(format!("zxcvbn score {z}"));
            }
            match &req.format {
                Some(FormatRequirement::Builtin(f)) => asks.push(format!("format `{}`", f.name())),
                Some(FormatRequirement::Regex(_)) => asks.push("a format pattern".into()),
                None => {}
            }
            if !req.forbidden_patterns.is_empty() {
                asks.push(format!(
                    "none of {} forbidden pattern(s)",
                    req.forbidden_patterns.len()
                ));
            }
            if !asks.is_empty() {
                out.push_str(&format!("- **Policy asks**: {}\n", asks.join(", ")));
            }
            out.push_str(&format!(
                "- {}\n",
                strength(entry, req.min_zxcvbn_score.is_some())
            ));
            match age_of(policy, entry, age) {
                Some(Age { every_days, last: Some((t, source, a)) }) => out.push_str(&format!(
                    "- **Rotation**: every {every_days} days · last rotated {} ({} days ago, from {}) · next due {} ({})\n",
                    format_date(t),
                    a.age_days,
                    source.describe(),
                    format_date(a.due),
                    due_phrase(a.status)
                )),
                Some(Age { every_days, last: None }) => {
                    out.push_str(&format!("- **Rotation**: every {every_days} days · no known rotation date\n"));
                }
                None => out.push_str("- **Rotation**: no interval set\n"),
            }
            match (rule.source, policy.generator(s)) {
                (Source::External, _) => {
                    out.push_str("- **Issued externally**: rotate it at its source; secretlint never generates it\n");
                }
                (Source::Generated, Some(g)) => {
                    out.push_str(&format!(
                        "- **Generated as**: {} characters of `{}`\n",
                        g.length,
                        g.charset.name()
                    ));
                }
                (Source::Generated, None) => {
                    out.push_str("- **Generated as**: no generator in the profile\n")
                }
            }
        }
    }
    if secret.is_none() {
        out.push_str(&format!("- {}\n", strength(entry, false)));
    }
    if !findings.is_empty() {
        out.push_str("\n**Findings**\n");
        for f in findings {
            out.push_str(&format!(
                "- `{}` ({}): {}\n",
                f.rule.id(),
                f.severity.as_str(),
                f.message
            ));
        }
    }
    Some(out)
}

/// Length, character classes and an entropy estimate of the judged part of the value.
fn strength(entry: &Entry, with_zxcvbn: bool) -> String {
    let whole = entry.value.expose();
    if whole.is_empty() {
        return "**Value**: empty".into();
    }
    if entry.only_references {
        return "**Value**: only references to other keys".into();
    }
    if let Some(e) = value::encrypted(whole) {
        return format!("**Value**: {}", e.describe());
    }
    let (subject, judged) = match value::url_parts(whole) {
        Some(parts) => match parts.password {
            Some(p) => (
                "**Password inside the URL**",
                value::percent_decode(whole.get(p).unwrap_or("")),
            ),
            None => return "**Value**: a URL without a password".into(),
        },
        None => ("**Value**", whole.to_owned()),
    };
    let chars = judged.chars().count();
    let mut s = format!(
        "{subject}: {chars} characters ({}); about {:.0} bits of entropy",
        value::char_classes(&judged).describe(),
        value::entropy_bits(&judged).floor()
    );
    if with_zxcvbn && chars <= ZXCVBN_MAX_CHARS {
        s.push_str(&format!(
            "; zxcvbn score {} of 4",
            value::zxcvbn_score(&judged, &[&entry.key])
        ));
    }
    if value::placeholder(&judged, &[]).is_some() {
        s.push_str("; looks like a placeholder");
    }
    s
}

/// The findings that are about `entry` (its key or any part of its value).
pub fn findings_on<'a>(
    entry: &Entry,
    findings: impl Iterator<Item = &'a Finding>,
) -> Vec<&'a Finding> {
    findings
        .filter(|f| {
            f.rule != Rule::MissingRequired
                && f.key.as_deref() == Some(entry.key.as_str())
                && entry.span.start <= f.span.start
                && f.span.end <= entry.span.end
        })
        .collect()
}
