//! Per-file rules: readability, syntax, duplicates, permissions, coverage, requirements and
//! the strength of each value against its profile.

use super::index::{Analysis, Judged, Names, Occurrence, SecretIndex, judged_text};
use super::{CheckOptions, finding};
use crate::finding::{Applicability, Finding, Fix, FixAction, Related};
use crate::policy::{Policy, Requirements, Source};
use crate::rules::Rule;
use crate::span::Span;
use crate::value;
use crate::workspace::SourceFile;

pub(super) fn check_file(
    policy: &Policy,
    files: &[SourceFile],
    index: &SecretIndex,
    names: &mut Names,
    file_index: usize,
    options: &CheckOptions,
    ledger: Option<&crate::age::Ledger>,
) -> Vec<Finding> {
    let file = &files[file_index];
    let mut out = Vec::new();
    if let Some(reason) = &file.unreadable {
        out.push(finding(
            policy,
            Rule::UnreadableInput,
            file_index,
            file,
            Span::empty(0),
            None,
            format!("could not read `{}`: {reason}", file.path),
        ));
        return out;
    }
    let template = file
        .environment
        .is_some_and(|e| policy.environments[e].template);
    for error in &file.document.errors {
        out.push(finding(
            policy,
            Rule::SyntaxError,
            file_index,
            file,
            error.at,
            None,
            error.message.clone(),
        ));
    }
    duplicate_keys(policy, file_index, file, &mut out);
    // The definition of each key that takes effect: found in one pass, for the required keys
    // and the age rules (scanning the rest of the file for every entry took quadratic time,
    // minutes for an 80,000-line file).
    let last = last_definitions(&file.document.entries);
    if !template {
        permissions(policy, file_index, file, &mut out);
        missing_required(policy, files, file_index, file, &last, &mut out);
    }
    if let (Some(now), false) = (options.now, template) {
        let sources = super::age::AgeSources {
            ledger,
            git: Some(&options.line_commit_times),
        };
        // Only the definition that takes effect has an age.
        for (i, entry) in file.document.entries.iter().enumerate() {
            if last.get(entry.key.as_str()) != Some(&i) {
                continue;
            }
            if entry.key.ends_with(super::PREVIOUS_SUFFIX) {
                super::age::check_previous(
                    policy, &sources, now, file_index, file, entry, &mut out,
                );
            } else if let Some(secret) = names.secret_for(policy, &entry.key) {
                super::age::check_entry(
                    policy, &sources, now, file_index, file, entry, secret, &mut out,
                );
            }
        }
    }
    for occ in index.of_file(file_index) {
        let entry = &file.document.entries[occ.entry];
        let Some(secret) = occ.secret else {
            if !template {
                out.push(finding(
                    policy,
                    Rule::UndeclaredSecret,
                    file_index,
                    file,
                    entry.key_span,
                    Some(&entry.key),
                    format!(
                        "`{}` looks like a secret but no rule of the policy covers it",
                        entry.key
                    ),
                ));
            }
            continue;
        };
        if template {
            continue;
        }
        if let Some(f) = strength(policy, index, file_index, file, occ, secret) {
            out.push(f);
        }
    }
    out
}

/// The index of the last definition of each key, the one that takes effect, whatever the
/// section it is in.
pub(super) fn last_definitions(
    entries: &[crate::document::Entry],
) -> foldhash::HashMap<&str, usize> {
    let mut last = foldhash::HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    last.extend(entries.iter().enumerate().map(|(i, e)| (e.key.as_str(), i)));
    last
}

fn duplicate_keys(policy: &Policy, file_index: usize, file: &SourceFile, out: &mut Vec<Finding>) {
    // A key repeats freely across the sections of a manifest (two Secrets, two services).
    let mut first: foldhash::HashMap<(usize, &str), usize> =
        foldhash::HashMap::with_capacity_and_hasher(
            file.document.entries.len(),
            Default::default(),
        );
    for (i, entry) in file.document.entries.iter().enumerate() {
        match first.get(&(entry.section, entry.key.as_str())) {
            None => {
                first.insert((entry.section, &entry.key), i);
            }
            Some(&earlier) => {
                let earlier = &file.document.entries[earlier];
                let mut f = finding(
                    policy,
                    Rule::DuplicateKey,
                    file_index,
                    file,
                    entry.key_span,
                    Some(&entry.key),
                    format!(
                        "`{}` is defined more than once; this definition overrides line {}",
                        entry.key,
                        earlier.line + 1
                    ),
                );
                f.related.push(Related {
                    file: file_index,
                    span: earlier.key_span,
                    message: "first defined here".into(),
                });
                out.push(f);
            }
        }
    }
}

fn permissions(policy: &Policy, file_index: usize, file: &SourceFile, out: &mut Vec<Finding>) {
    let Some(mode) = file.mode else { return };
    let loose = mode & 0o077;
    if loose == 0 {
        return;
    }
    let who = match (loose & 0o070 != 0, loose & 0o007 != 0) {
        (true, true) => "its group and other users",
        (true, false) => "its group",
        _ => "other users",
    };
    let mut f = finding(
        policy,
        Rule::InsecurePermissions,
        file_index,
        file,
        Span::empty(0),
        None,
        format!(
            "`{}` is accessible to {who} (mode {:o}); secrets files should be 600",
            file.path,
            mode & 0o777
        ),
    );
    f.set_fix(Some(Fix {
        applicability: Applicability::Safe,
        action: FixAction::RestrictPermissions,
        title: "make the file readable by its owner only".into(),
    }));
    out.push(f);
}

/// Keys required in this file: by the policy's `required` environments and by the template
/// named in the environment's `required_from`.
fn missing_required(
    policy: &Policy,
    files: &[SourceFile],
    file_index: usize,
    file: &SourceFile,
    last: &foldhash::HashMap<&str, usize>,
    out: &mut Vec<Finding>,
) {
    let Some(env) = file.environment else { return };
    let env_name = &policy.environments[env].name;
    // Required key -> why it is required.
    let mut required: Vec<(String, String, Option<usize>)> = Vec::new();
    for (s, rule) in policy.secrets.iter().enumerate() {
        if rule.required.contains(&env) && rule.applies_to_file(&file.path) {
            for name in rule.literal_names() {
                required.push((
                    name.to_owned(),
                    format!("required in {env_name} by the policy"),
                    Some(s),
                ));
            }
        }
    }
    if let Some(template_name) = &policy.environments[env].required_from {
        let template_path = format!("{}{}", file.dir(), template_name);
        // `files` is sorted by path (see `check_impl`): a scan per file would be quadratic
        // in a monorepo where every service has its template.
        if template_path != file.path
            && let Ok(t) = files.binary_search_by(|f| f.path.as_str().cmp(&template_path))
        {
            let t = &files[t];
            for e in &t.document.entries {
                required.push((
                    e.key.clone(),
                    format!("listed in `{template_path}`"),
                    policy.secret_for(&e.key),
                ));
            }
        }
    }
    if required.is_empty() {
        return;
    }
    let present: foldhash::HashMap<&str, bool> = file
        .document
        .entries
        .iter()
        .map(|e| (e.key.as_str(), !e.value.is_empty() || e.has_references))
        .collect();
    // Looked up once per required key: a scan per key would be quadratic.
    let mut seen = foldhash::HashSet::default();
    for (key, why, secret) in required {
        if !seen.insert(key.clone()) {
            continue;
        }
        let external = secret.is_some_and(|s| policy.secrets[s].source == Source::External);
        match present.get(key.as_str()) {
            None => {
                let mut f = finding(
                    policy,
                    Rule::MissingRequired,
                    file_index,
                    file,
                    Span::empty(0),
                    Some(&key),
                    format!("`{key}` is not defined; it is {why}"),
                );
                f.set_fix(Some(Fix {
                    applicability: if external || secret.and_then(|s| policy.generator(s)).is_none()
                    {
                        Applicability::Manual
                    } else {
                        Applicability::Safe
                    },
                    action: FixAction::AddKey { key: key.clone() },
                    title: format!("add `{key}` with a generated value"),
                }));
                out.push(f);
            }
            // Governed secrets get `empty-value` from the strength check; only template keys
            // that no rule governs are reported here.
            Some(false) if secret.is_none() => {
                let Some(entry) = last.get(key.as_str()).map(|&i| &file.document.entries[i]) else {
                    continue;
                };
                let mut f = finding(
                    policy,
                    Rule::EmptyValue,
                    file_index,
                    file,
                    entry.raw_value_span,
                    Some(&key),
                    format!("`{key}` is empty; it is {why}"),
                );
                f.set_fix(regenerate(policy, secret, &key));
                out.push(f);
            }
            Some(_) => {}
        }
    }
}

fn regenerate(policy: &Policy, secret: Option<usize>, key: &str) -> Option<Fix> {
    let secret = secret?;
    let external = policy.secrets[secret].source == Source::External;
    let generated = policy.generator(secret).is_some();
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
            "set a compliant value by hand (the profile has no generator)".into()
        } else {
            "replace with a generated compliant value".into()
        },
    })
}

/// Judges one value against its profile. At most one strength finding per value: the most
/// telling problem leads, and the other failed checks become notes, so an editor shows one
/// underline with the whole story.
fn strength(
    policy: &Policy,
    index: &SecretIndex,
    file_index: usize,
    file: &SourceFile,
    occ: &Occurrence,
    secret: usize,
) -> Option<Finding> {
    let entry = &file.document.entries[occ.entry];
    let req = policy.requirements(secret, file.environment);
    let key = entry.key.as_str();
    let value = entry.value.expose();
    let subject = match occ.judged {
        Judged::UrlPassword { .. } => Subject::PasswordIn(key),
        _ => Subject::Key(key),
    };
    let span = judged_span(file, occ).unwrap_or(entry.raw_value_span);
    // A value made only of references the file does not resolve (`${SECRET_KEY}` in a compose
    // file) comes from the environment at run time: it is not empty, it is not here.
    if entry.only_references && entry.unresolved_references {
        return None;
    }
    if value.is_empty() {
        let mut f = finding(
            policy,
            Rule::EmptyValue,
            file_index,
            file,
            entry.raw_value_span,
            Some(key),
            format!("`{key}` is empty"),
        );
        f.set_fix(regenerate(policy, Some(secret), key));
        return Some(f);
    }
    let analysis = index.analysis(occ)?;
    if analysis.encrypted.is_some() {
        return None;
    }
    let text = judged_text(entry, occ.judged);
    let mut problems = problems(req, analysis, &text, subject);
    if let Some(FormatRequirement { rule, message }) = format_problem(req, value, &text, subject) {
        problems.push(Problem {
            rule,
            message,
            order: 7,
        });
    }
    if problems.is_empty() {
        return None;
    }
    problems.sort_by_key(|p| p.order);
    let entropy_said = problems.iter().any(|p| p.rule == Rule::LowEntropy);
    let lead = problems.remove(0);
    let mut f = finding(
        policy,
        lead.rule,
        file_index,
        file,
        span,
        Some(key),
        lead.message,
    );
    f.notes.extend(
        problems
            .into_iter()
            .map(|p| format!("also: {}", p.message).into()),
    );
    f.notes.push(describe_value(analysis, !entropy_said).into());
    if let Some(p) = policy.secrets[secret].profile {
        f.notes
            .push(format!("governed by profile `{}`", policy.profiles[p].name).into());
    }
    f.set_fix(regenerate(policy, Some(secret), key));
    Some(f)
}

struct Problem {
    rule: Rule,
    message: String,
    order: u8,
}

struct FormatRequirement {
    rule: Rule,
    message: String,
}

/// What a strength message is about: the key, or the password inside the URL it holds.
/// Written straight into each message, as most values judged have no problem at all.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Key(&'a str),
    PasswordIn(&'a str),
    /// Words used as they are ("the value").
    Text(&'static str),
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Key(key) => write!(f, "`{key}`"),
            Subject::PasswordIn(key) => write!(f, "the password inside `{key}`"),
            Subject::Text(text) => f.write_str(text),
        }
    }
}

fn problems(req: &Requirements, a: &Analysis, text: &str, subject: Subject) -> Vec<Problem> {
    let mut out = Vec::new();
    let extra_placeholder =
        !req.placeholders.is_empty() && value::placeholder(text, &req.placeholders).is_some();
    if let Some(kind) = a
        .placeholder
        .or(extra_placeholder.then_some(value::PlaceholderKind::PolicyPattern))
    {
        out.push(Problem {
            rule: Rule::Placeholder,
            message: format!("{subject} holds {}, not a secret", kind.describe()),
            order: 0,
        });
        // A placeholder says everything: its length and entropy are beside the point.
        return out;
    }
    if let Some(min) = req.min_length
        && a.chars < min
    {
        out.push(Problem {
            rule: Rule::TooShort,
            message: format!("{subject} is too short: {} of {min} characters", a.chars),
            order: 1,
        });
    }
    if let Some(p) = a.pattern {
        out.push(Problem {
            rule: Rule::PredictablePattern,
            message: format!(
                "{subject} is predictable: {} covers {} of {} characters",
                p.kind.describe(),
                p.covered,
                a.chars
            ),
            order: 2,
        });
    }
    if let Some(min) = req.min_entropy_bits
        && a.entropy_bits < min
    {
        out.push(Problem {
            rule: Rule::LowEntropy,
            message: format!(
                "{subject} has about {:.0} bits of entropy; the policy asks for {min:.0}",
                a.entropy_bits.floor()
            ),
            order: 3,
        });
    }
    if let (Some(min), Some(score)) = (req.min_zxcvbn_score, a.zxcvbn)
        && score < min
    {
        out.push(Problem {
            rule: Rule::WeakPassword,
            message: format!(
                "{subject} is a weak password: zxcvbn score {score} of 4; the policy asks for {min}"
            ),
            order: 4,
        });
    }
    out
}

fn format_problem(
    req: &Requirements,
    whole: &str,
    judged: &str,
    subject: Subject,
) -> Option<FormatRequirement> {
    if let Some(format) = &req.format {
        // A URL format judges the whole value; character formats judge the secret part.
        let target = match format {
            crate::policy::FormatRequirement::Builtin(
                value::Format::Url | value::Format::PostgresUrl,
            ) => whole,
            _ => judged,
        };
        if !format.matches(target) {
            return Some(FormatRequirement {
                rule: Rule::BadFormat,
                message: format!(
                    "{subject} is not in the format the policy asks for ({})",
                    format.describe()
                ),
            });
        }
    }
    for (i, pattern) in req.forbidden_patterns.iter().enumerate() {
        if pattern.is_match(judged) {
            return Some(FormatRequirement {
                rule: Rule::PredictablePattern,
                message: format!(
                    "{subject} matches forbidden pattern #{} (`{}`)",
                    i + 1,
                    pattern.as_str()
                ),
            });
        }
    }
    None
}

/// What a value is made of, without the value: "12 characters: lowercase letters and digits;
/// about 41 bits of entropy".
fn describe_value(a: &Analysis, with_entropy: bool) -> String {
    let mut s = format!(
        "the value has {} characters ({})",
        a.chars,
        a.classes.describe()
    );
    if with_entropy {
        s.push_str(&format!(
            "; about {:.0} bits of entropy",
            a.entropy_bits.floor()
        ));
    }
    s
}

/// The span of the judged part in the file, when it can be located exactly.
fn judged_span(file: &SourceFile, occ: &Occurrence) -> Option<Span> {
    let entry = &file.document.entries[occ.entry];
    match occ.judged {
        Judged::UrlPassword { start, end } if entry.value_is_verbatim(&file.text) => {
            let base = entry.inner_value_span.start;
            Some(Span::new(base + start, base + end))
        }
        _ => None,
    }
}

/// The rules a candidate value would break under `req` (used to check generated values before
/// they are written). The whole value is judged, as for a value outside a URL.
pub fn requirement_violations(req: &Requirements, value: &str, key: &str) -> Vec<Rule> {
    let analysis = Analysis {
        chars: value.chars().count(),
        classes: value::char_classes(value),
        entropy_bits: value::entropy_bits(value),
        placeholder: value::placeholder(value, &[]),
        pattern: value::predictable_pattern(value),
        encrypted: None,
        zxcvbn: req
            .min_zxcvbn_score
            .map(|_| value::zxcvbn_score(value, &[key])),
    };
    let mut rules: Vec<Rule> = problems(req, &analysis, value, Subject::Text("the value"))
        .into_iter()
        .map(|p| p.rule)
        .collect();
    // A URL format applies to the whole URL a generated password goes into, not to it.
    let character_format = !matches!(
        req.format,
        Some(crate::policy::FormatRequirement::Builtin(
            value::Format::Url | value::Format::PostgresUrl
        ))
    );
    if let Some(p) = format_problem(req, value, value, Subject::Text("the value"))
        && (character_format || p.rule != Rule::BadFormat)
    {
        rules.push(p.rule);
    }
    rules
}
