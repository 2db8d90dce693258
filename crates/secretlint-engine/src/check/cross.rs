//! Cross-value rules over the index: the same value in two environments or under two keys,
//! a shared secret with several values, a URL part that disagrees with its linked secret.

use std::collections::BTreeMap;

use super::finding;
use super::index::{Occurrence, SecretIndex};
use crate::finding::{Applicability, Finding, Fix, FixAction, Related};
use crate::policy::{Policy, Scope, Source, UrlPart};
use crate::rules::Rule;
use crate::span::Span;
use crate::value;
use crate::workspace::SourceFile;

pub(super) fn check(policy: &Policy, files: &[SourceFile], index: &SecretIndex) -> Vec<Finding> {
    let mut out = Vec::new();
    let groups = identical_values(files, index);
    for group in &groups {
        reused_across_environments(policy, files, group, &mut out);
        reused_across_keys(policy, files, group, &mut out);
    }
    inconsistent_across_files(policy, files, index, &mut out);
    linked_mismatch(policy, files, &mut out);
    out
}

fn entry<'a>(files: &'a [SourceFile], occ: &Occurrence) -> &'a crate::document::Entry {
    &files[occ.file].document.entries[occ.entry]
}

/// Groups of occurrences holding the same value. Hashes only bucket candidates; values are
/// compared for real before they are grouped, so a hash collision can never report a reuse.
fn identical_values<'a>(files: &[SourceFile], index: &'a SecretIndex) -> Vec<Vec<&'a Occurrence>> {
    // Sorted by hash rather than bucketed in a map: most values occur once, and a map would
    // hold a vector for each of them.
    let mut by_hash: Vec<(u64, usize)> = index
        .occurrences
        .iter()
        .enumerate()
        .filter_map(|(i, occ)| occ.value_hash.map(|h| (h, i)))
        .collect();
    by_hash.sort_unstable();
    let mut groups = Vec::new();
    for bucket in by_hash.chunk_by(|a, b| a.0 == b.0) {
        if bucket.len() < 2 {
            continue;
        }
        let mut parts: Vec<Vec<&Occurrence>> = Vec::new();
        for occ in bucket.iter().map(|&(_, i)| &index.occurrences[i]) {
            let v = entry(files, occ).value.expose();
            match parts
                .iter_mut()
                .find(|p| entry(files, p[0]).value.expose() == v)
            {
                Some(p) => p.push(occ),
                None => parts.push(vec![occ]),
            }
        }
        groups.extend(parts.into_iter().filter(|p| p.len() > 1));
    }
    for g in &mut groups {
        g.sort_by_key(|o| (o.file, o.entry));
    }
    groups.sort_by_key(|g| (g[0].file, g[0].entry));
    groups
}

fn is_template(policy: &Policy, file: &SourceFile) -> bool {
    file.environment
        .is_some_and(|e| policy.environments[e].template)
}

fn env_name(policy: &Policy, env: Option<usize>) -> String {
    env.map_or_else(
        || "no environment".to_owned(),
        |e| policy.environments[e].name.to_string(),
    )
}

fn regenerate_fix(policy: &Policy, secret: Option<usize>, key: &str) -> Option<Fix> {
    let external = secret.is_some_and(|s| policy.secrets[s].source == Source::External);
    let generated = secret.and_then(|s| policy.generator(s)).is_some();
    Some(Fix {
        applicability: if external || !generated {
            Applicability::Manual
        } else {
            Applicability::Safe
        },
        action: FixAction::Regenerate {
            key: key.to_owned(),
        },
        title: if external {
            format!("rotate `{key}` at its source (issued externally)")
        } else if !generated {
            "set a new value by hand (the profile has no generator)".into()
        } else {
            "replace with a new generated value".into()
        },
    })
}

/// The value must not be live in two environments. The copy in the most protected
/// environment (declared first) stays quiet; every other copy is reported, pointing at it.
fn reused_across_environments(
    policy: &Policy,
    files: &[SourceFile],
    group: &[&Occurrence],
    out: &mut Vec<Finding>,
) {
    let live: Vec<&&Occurrence> = group
        .iter()
        .filter(|o| !is_template(policy, &files[o.file]))
        .collect();
    let Some(anchor) = live.iter().min_by_key(|o| {
        (
            files[o.file].environment.unwrap_or(usize::MAX),
            o.file,
            o.entry,
        )
    }) else {
        return;
    };
    let anchor_env = files[anchor.file].environment;
    for occ in group {
        let file = &files[occ.file];
        let e = entry(files, occ);
        if occ
            .secret
            .is_some_and(|s| !policy.secrets[s].distinct_across_environments)
        {
            continue;
        }
        let template = is_template(policy, file);
        if !template && file.environment == anchor_env {
            continue;
        }
        let anchor_file = &files[anchor.file];
        let anchor_entry = entry(files, anchor);
        let message = if template {
            format!(
                "`{}` holds a value that is live in {} (`{}` in `{}`)",
                e.key,
                env_name(policy, anchor_env),
                anchor_entry.key,
                anchor_file.path
            )
        } else {
            format!(
                "`{}` holds the same value as `{}` in {} (`{}`)",
                e.key,
                anchor_entry.key,
                env_name(policy, anchor_env),
                anchor_file.path
            )
        };
        let mut f = finding(
            policy,
            Rule::ReusedAcrossEnvironments,
            occ.file,
            file,
            e.raw_value_span,
            Some(&e.key),
            message,
        );
        f.related.push(Related {
            file: anchor.file,
            span: anchor_entry.raw_value_span,
            message: "the same value is here".into(),
        });
        f.notes.push(
            format!(
                "a value shared with a less protected environment is exposed: rotate it in {} too",
                env_name(policy, anchor_env)
            )
            .into(),
        );
        f.set_fix(if template {
            Some(Fix {
                applicability: Applicability::Manual,
                action: FixAction::Regenerate { key: e.key.clone() },
                title: "replace with a placeholder".into(),
            })
        } else {
            regenerate_fix(policy, occ.secret, &e.key)
        });
        out.push(f);
    }
}

/// Two keys of one environment must not share a value. The first definition (by path, then
/// line) keeps it.
fn reused_across_keys(
    policy: &Policy,
    files: &[SourceFile],
    group: &[&Occurrence],
    out: &mut Vec<Finding>,
) {
    let mut by_env: BTreeMap<Option<usize>, Vec<&Occurrence>> = BTreeMap::new();
    for occ in group {
        let file = &files[occ.file];
        if is_template(policy, file)
            || occ
                .secret
                .is_some_and(|s| !policy.secrets[s].distinct_across_keys)
        {
            continue;
        }
        by_env.entry(file.environment).or_default().push(occ);
    }
    for (_, occs) in by_env {
        let Some(anchor) = occs.first() else { continue };
        let first_key = entry(files, anchor).key.as_str();
        for occ in &occs {
            let e = entry(files, occ);
            if e.key == first_key {
                continue;
            }
            let anchor_file = &files[anchor.file];
            let where_ = if anchor.file == occ.file {
                "in this file".to_owned()
            } else {
                format!("in `{}`", anchor_file.path)
            };
            let mut f = finding(
                policy,
                Rule::ReusedAcrossKeys,
                occ.file,
                &files[occ.file],
                e.raw_value_span,
                Some(&e.key),
                format!("`{}` holds the same value as `{first_key}` {where_}", e.key),
            );
            f.related.push(Related {
                file: anchor.file,
                span: entry(files, anchor).raw_value_span,
                message: "the same value is here".into(),
            });
            f.set_fix(regenerate_fix(policy, occ.secret, &e.key));
            out.push(f);
        }
    }
}

/// A shared secret has one value per environment. The value most files hold (ties: the
/// first file by path) is the reference; the others are reported.
fn inconsistent_across_files(
    policy: &Policy,
    files: &[SourceFile],
    index: &SecretIndex,
    out: &mut Vec<Finding>,
) {
    let mut by_key: BTreeMap<(usize, &str), Vec<&Occurrence>> = BTreeMap::new();
    for occ in &index.occurrences {
        let Some(s) = occ.secret else { continue };
        let file = &files[occ.file];
        let Some(env) = file.environment else {
            continue;
        };
        // Placeholders, empty values and references are other rules' business.
        if policy.secrets[s].scope != Scope::Shared
            || is_template(policy, file)
            || occ.value_hash.is_none()
        {
            continue;
        }
        // Within one file (one section of a manifest) only the last definition takes effect.
        let e = entry(files, occ);
        let last = file
            .document
            .entries
            .iter()
            .rposition(|x| x.key == e.key && x.section == e.section);
        if last != Some(occ.entry) {
            continue;
        }
        by_key.entry((env, e.key.as_str())).or_default().push(occ);
    }
    for ((env, key), occs) in by_key {
        let mut values: Vec<(&str, Vec<&Occurrence>)> = Vec::new();
        for occ in &occs {
            let v = entry(files, occ).value.expose();
            match values.iter_mut().find(|(x, _)| *x == v) {
                Some((_, list)) => list.push(occ),
                None => values.push((v, vec![occ])),
            }
        }
        if values.len() < 2 {
            continue;
        }
        // Most holders first; ties keep first-seen order (files are sorted by path).
        values.sort_by_key(|v| std::cmp::Reverse(v.1.len()));
        let anchor = values[0].1[0];
        let holders = occs.len();
        for (_, list) in values.iter().skip(1) {
            for occ in list {
                let e = entry(files, occ);
                let mut f = finding(
                    policy,
                    Rule::InconsistentAcrossFiles,
                    occ.file,
                    &files[occ.file],
                    e.raw_value_span,
                    Some(key),
                    format!(
                        "`{key}` is shared across {} but this file holds a different value than `{}` ({} values among {holders} files)",
                        policy.environments[env].name,
                        files[anchor.file].path,
                        values.len()
                    ),
                );
                f.related.push(Related {
                    file: anchor.file,
                    span: entry(files, anchor).raw_value_span,
                    message: "a different value is here".into(),
                });
                f.notes.push(
                    "a rotation writes one new value into every file of the environment".into(),
                );
                f.set_fix(regenerate_fix(policy, occ.secret, key));
                out.push(f);
            }
        }
    }
}

/// A URL part must equal its linked secret: in the same file, or else the one value the
/// environment holds when the linked secret is shared.
fn linked_mismatch(policy: &Policy, files: &[SourceFile], out: &mut Vec<Finding>) {
    for (fi, file) in files.iter().enumerate() {
        if is_template(policy, file) || file.unreadable.is_some() {
            continue;
        }
        // The last definition of each key in each section (a compose service has its own
        // URL), found in one pass: a scan of the rest of the file per entry was quadratic.
        let entries = &file.document.entries;
        let last: foldhash::HashMap<(usize, &str), usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.section, e.key.as_str()), i))
            .collect();
        for link in &policy.links {
            let urls = entries.iter().enumerate().filter(|&(i, e)| {
                e.key == link.key && last.get(&(e.section, e.key.as_str())) == Some(&i)
            });
            for (_, url) in urls {
                let url_value = url.value.expose();
                let Some(parts) = value::url_parts(url_value) else {
                    continue;
                };
                let range = match link.part {
                    UrlPart::Password => parts.password.clone(),
                    UrlPart::Username => parts.username.clone(),
                };
                let Some(range) = range else { continue };
                if url.only_references || url.unresolved_references {
                    continue;
                }
                let part = value::percent_decode(&url_value[range.clone()]);
                let expected = match last
                    .get(&(url.section, link.equals.as_str()))
                    .map(|&i| &entries[i])
                {
                    Some(e) => Some((fi, e)),
                    None => env_value(policy, files, file.environment, &link.equals),
                };
                let Some((efile, expected)) = expected else {
                    continue;
                };
                if expected.value.expose() == part || expected.value.is_empty() {
                    continue;
                }
                let part_name = match link.part {
                    UrlPart::Password => "password",
                    UrlPart::Username => "username",
                };
                let span = if url.value_is_verbatim(&file.text) {
                    Span::new(
                        url.inner_value_span.start + range.start,
                        url.inner_value_span.start + range.end,
                    )
                } else {
                    url.raw_value_span
                };
                let mut f = finding(
                    policy,
                    Rule::LinkedMismatch,
                    fi,
                    file,
                    span,
                    Some(&url.key),
                    format!(
                        "the {part_name} inside `{}` does not match `{}`",
                        url.key, link.equals
                    ),
                );
                f.related.push(Related {
                    file: efile,
                    span: expected.raw_value_span,
                    message: format!("`{}` is defined here", link.equals),
                });
                let secret = policy.secret_for(&link.equals);
                let mut fix = regenerate_fix(policy, secret, &link.equals);
                if let Some(fix) = &mut fix {
                    fix.title = format!("rotate `{}` and write it into `{}`", link.equals, url.key);
                }
                f.set_fix(fix);
                out.push(f);
            }
        }
    }
}

/// The single value a shared secret has across an environment, if there is exactly one.
fn env_value<'a>(
    policy: &Policy,
    files: &'a [SourceFile],
    env: Option<usize>,
    key: &str,
) -> Option<(usize, &'a crate::document::Entry)> {
    let env = env?;
    let secret = policy.secret_for(key)?;
    if policy.secrets[secret].scope != Scope::Shared {
        return None;
    }
    let mut found: Option<(usize, &crate::document::Entry)> = None;
    for (i, f) in files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.environment == Some(env))
    {
        if let Some(e) = f.document.entries.iter().rev().find(|e| e.key == key) {
            match found {
                Some((_, prev)) if prev.value != e.value => return None,
                Some(_) => {}
                None => found = Some((i, e)),
            }
        }
    }
    found
}
