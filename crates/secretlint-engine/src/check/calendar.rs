//! The rotation calendar behind `secretlint due`: every governed secret with an interval, per
//! file, or per environment for a shared secret (whose files must rotate together, so the
//! oldest copy dates them all).

use std::collections::BTreeMap;

use super::{CheckOptions, Report};
use crate::age::{self, DueItem, Ledger, sort_calendar};
use crate::policy::{Policy, Scope};

/// The calendar for the files of `report`, most urgent first.
pub fn calendar(policy: &Policy, report: &Report, options: &CheckOptions) -> Vec<DueItem> {
    let Some(now) = options.now else {
        return Vec::new();
    };
    let ledger = options
        .ledger
        .as_ref()
        .and_then(|l| Ledger::parse(&l.text).ok());
    let mut shared: BTreeMap<(Option<usize>, String), DueItem> = BTreeMap::new();
    let mut items = Vec::new();
    for (fi, file) in report.files.iter().enumerate() {
        // Templates hold no live values, and where the policy turns age rules off (relaxed
        // development environments) there is no schedule to keep.
        let template = file
            .environment
            .is_some_and(|e| policy.environments[e].template);
        let off = policy.severity(crate::rules::Rule::Stale, file.environment)
            == crate::finding::Severity::Off;
        if template || off {
            continue;
        }
        // One pass for the last definition of each key, not a scan per entry (quadratic).
        let last = super::value::last_definitions(&file.document.entries);
        for (i, entry) in file.document.entries.iter().enumerate() {
            if last.get(entry.key.as_str()) != Some(&i) {
                continue;
            }
            let Some(secret) = policy.secret_for(&entry.key) else {
                continue;
            };
            let rule = &policy.secrets[secret];
            let Some(every) = rule.rotate_every_days else {
                continue;
            };
            let mut ignored = Vec::new();
            let last = super::age::last_rotated(
                policy,
                &super::age::AgeSources {
                    ledger: ledger.as_ref(),
                    git: Some(&options.line_commit_times),
                },
                fi,
                file,
                entry,
                &mut ignored,
            );
            let item = DueItem {
                key: entry.key.clone(),
                environment: file
                    .environment
                    .map(|e| policy.environments[e].name.to_string()),
                files: vec![file.path.clone()],
                last_rotated: last.map(|(t, _)| t),
                source: last.map(|(_, s)| s),
                every_days: every,
                due: None,
                days_left: None,
            };
            if rule.scope == Scope::Shared && file.environment.is_some() {
                match shared.entry((file.environment, entry.key.clone())) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(item);
                    }
                    std::collections::btree_map::Entry::Occupied(mut o) => {
                        let held = o.get_mut();
                        held.files.push(file.path.clone());
                        // The oldest copy (or an unknown one) dates the whole group.
                        if held.last_rotated.is_some()
                            && (item.last_rotated.is_none()
                                || item.last_rotated < held.last_rotated)
                        {
                            held.last_rotated = item.last_rotated;
                            held.source = item.source;
                        }
                    }
                }
            } else {
                items.push(item);
            }
        }
    }
    items.extend(shared.into_values());
    for item in &mut items {
        if let Some(t) = item.last_rotated {
            let a = age::assess(t, now, item.every_days, policy.expiring_within_days);
            item.due = Some(a.due);
            item.days_left = Some(item.every_days - a.age_days);
        }
    }
    sort_calendar(&mut items);
    items
}
