//! Age rules: `stale`, `expiring-soon`, `unknown-age`, `previous-expired` per entry, and
//! `stale-metadata` over the ledger. Dates come from [`crate::age`]; this module only turns
//! them into findings.

use jiff::Timestamp;

use super::finding;
use crate::age::{self, Ledger, Status, format_date, last_rotation, rotation_annotation};
use crate::document::Entry;
use crate::finding::{Applicability, Finding, Fix, FixAction};
use crate::policy::{Policy, Source};
use crate::rules::Rule;
use crate::span::Span;
use crate::workspace::SourceFile;

/// Where ages come from besides the files themselves.
#[derive(Clone, Copy)]
pub(super) struct AgeSources<'a> {
    pub ledger: Option<&'a Ledger>,
    pub git: Option<&'a std::collections::HashMap<String, Vec<Option<Timestamp>>>>,
}

/// The suffix of a zero-downtime companion holding a secret's previous value.
pub const PREVIOUS_SUFFIX: &str = "_PREVIOUS";

/// The time a secret in `file` was last rotated, and where that came from; errors in a
/// `# rotated:` comment are reported through `out`.
pub(super) fn last_rotated(
    policy: &Policy,
    cx: &AgeSources,
    file_index: usize,
    file: &SourceFile,
    entry: &Entry,
    out: &mut Vec<Finding>,
) -> Option<(Timestamp, age::AgeSource)> {
    let comment = match rotation_annotation(&file.text, &file.document, entry) {
        Some(Ok(a)) => Some(a),
        Some(Err(e)) => {
            out.push(finding(
                policy,
                Rule::SyntaxError,
                file_index,
                file,
                e.span,
                Some(&entry.key),
                e.message,
            ));
            None
        }
        None => None,
    };
    // A manifest's annotation is kept beside the value like a comment, so it comes next.
    let annotation = match age::manifest::rotation_annotation(&file.text, &file.document, entry) {
        Some(Ok(a)) => Some(a),
        Some(Err(e)) => {
            out.push(finding(
                policy,
                Rule::SyntaxError,
                file_index,
                file,
                e.span,
                Some(&entry.key),
                e.message,
            ));
            None
        }
        None => None,
    };
    if let (None, Some(a)) = (&comment, annotation) {
        return Some((a.at, age::AgeSource::ManifestAnnotation));
    }
    let record = cx.ledger.and_then(|l| l.lookup(&file.path, &entry.key));
    last_rotation(
        comment.as_ref(),
        record,
        age::sops_lastmodified(&file.document),
    )
    .or_else(|| {
        // Last resort: when the line holding the value last changed in git. A commit that
        // only reformatted the line dates it too late, never too early: it can hide staleness
        // only until the next real rotation, and it is opt-in for that reason.
        let times = cx.git?.get(&file.path)?;
        times
            .get(entry.line)
            .copied()
            .flatten()
            .map(|t| (t, age::AgeSource::Git))
    })
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// `stale`, `expiring-soon` or `unknown-age` for one governed entry with an interval.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename these"
)]
pub(super) fn check_entry(
    policy: &Policy,
    cx: &AgeSources,
    now: Timestamp,
    file_index: usize,
    file: &SourceFile,
    entry: &Entry,
    secret: usize,
    out: &mut Vec<Finding>,
) {
    let rule = &policy.secrets[secret];
    let Some(every) = rule.rotate_every_days else {
        return;
    };
    let key = entry.key.as_str();
    let external = rule.source == Source::External;
    let rotate_fix = || {
        Some(if external {
            Fix {
                applicability: Applicability::Manual,
                action: FixAction::Regenerate {
                    key: key.to_owned(),
                },
                title: format!(
                    "rotate `{key}` at its source, then `secretlint rotate --record {key}`"
                ),
            }
        } else {
            Fix {
                applicability: Applicability::Safe,
                action: FixAction::Regenerate {
                    key: key.to_owned(),
                },
                title: "rotate it now with a generated compliant value".into(),
            }
        })
    };
    let Some((rotated, source)) = last_rotated(policy, cx, file_index, file, entry, out) else {
        let mut f = finding(
            policy,
            Rule::UnknownAge,
            file_index,
            file,
            entry.key_span,
            Some(key),
            format!(
                "`{key}` has no known rotation date; the policy rotates it every {}",
                days(every)
            ),
        );
        f.notes.push(format!(
            "record one with `secretlint rotate --record {key}` or a `# rotated: YYYY-MM-DD` comment above it"
        ).into());
        out.push(f);
        return;
    };
    let a = age::assess(rotated, now, every, policy.expiring_within_days);
    let when = format!(
        "last rotated {} ({} ago), every {}",
        format_date(rotated),
        days(a.age_days),
        days(every)
    );
    let (rule_id, message) = match a.status {
        Status::Ok { .. } => return,
        Status::Stale { days_overdue } => (
            Rule::Stale,
            format!(
                "`{key}` is overdue for rotation by {}: {when}",
                days(days_overdue)
            ),
        ),
        Status::ExpiringSoon { days_left: 0 } => (
            Rule::ExpiringSoon,
            format!("`{key}` is due for rotation today: {when}"),
        ),
        Status::ExpiringSoon { days_left } => (
            Rule::ExpiringSoon,
            format!(
                "`{key}` is due for rotation in {} (on {}): {when}",
                days(days_left),
                format_date(a.due)
            ),
        ),
    };
    let mut f = finding(
        policy,
        rule_id,
        file_index,
        file,
        entry.key_span,
        Some(key),
        message,
    );
    f.notes
        .push(format!("the rotation date comes from {}", source.describe()).into());
    f.set_fix(rotate_fix());
    out.push(f);
}

/// `previous-expired` for a `<KEY>_PREVIOUS` companion whose grace period is over.
pub(super) fn check_previous(
    policy: &Policy,
    cx: &AgeSources,
    now: Timestamp,
    file_index: usize,
    file: &SourceFile,
    entry: &Entry,
    out: &mut Vec<Finding>,
) {
    let Some(base) = entry.key.strip_suffix(PREVIOUS_SUFFIX) else {
        return;
    };
    let Some(secret) = policy.secret_for(base) else {
        return;
    };
    let Some(grace) = policy.secrets[secret].keep_previous_days else {
        return;
    };
    let record = cx.ledger.and_then(|l| l.lookup(&file.path, base));
    let until = match record.and_then(|r| r.previous_until) {
        Some(t) => Some(t),
        None => {
            let base_entry = file
                .document
                .entries
                .iter()
                .rev()
                .find(|e| e.key == base && e.section == entry.section);
            let mut ignored = Vec::new();
            base_entry
                .and_then(|e| last_rotated(policy, cx, file_index, file, e, &mut ignored))
                .map(|(t, _)| age::assess(t, t, grace, 0).due)
        }
    };
    let Some(until) = until else { return };
    if now <= until {
        return;
    }
    let mut f = finding(
        policy,
        Rule::PreviousExpired,
        file_index,
        file,
        entry.key_span,
        Some(&entry.key),
        format!(
            "`{}` kept the previous value of `{base}` for a grace period that ended {}",
            entry.key,
            format_date(until)
        ),
    );
    f.notes
        .push(format!("the policy keeps previous values for {}", days(grace)).into());
    f.set_fix(Some(Fix {
        applicability: Applicability::Safe,
        action: FixAction::RemoveEntry {
            key: entry.key.clone(),
        },
        title: format!("remove `{}`", entry.key),
    }));
    out.push(f);
}

/// `stale-metadata`: ledger entries naming a checked file that no longer defines the key.
pub(super) fn stale_metadata(
    policy: &Policy,
    ledger: &Ledger,
    ledger_index: usize,
    ledger_file: &SourceFile,
    files: &[SourceFile],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for record in &ledger.entries {
        let Some(file) = files
            .iter()
            .find(|f| f.path == record.file && f.unreadable.is_none())
        else {
            continue;
        };
        let keys: foldhash::HashSet<&str> = file
            .document
            .entries
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        if keys.contains(record.key.as_str()) {
            continue;
        }
        out.push(finding(
            policy,
            Rule::StaleMetadata,
            ledger_index,
            ledger_file,
            record.span,
            Some(&record.key),
            format!(
                "the rotation metadata records `{}` in `{}`, which no longer defines it",
                record.key, record.file
            ),
        ));
    }
    out
}

/// A span-less placeholder for ledger problems that have no position.
pub(super) fn ledger_span(span: Option<Span>) -> Span {
    span.unwrap_or_default()
}
