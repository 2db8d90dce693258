//! Checks a parsed policy and compiles it: every problem is collected with its span, so a
//! user sees all of them at once, each pointing into the policy file.

use std::collections::HashMap;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexBuilder};
use toml::Spanned;

use super::raw::{RawFormat, RawPolicy, RawRequirements};
use super::{
    Charset, Environment, FormatRequirement, Generator, Link, NameIndex, Policy, PolicyDiagnostic,
    PolicyError, PolicyOrigin, Profile, RequirementFields, Requirements, Scope, SecretRule, Source,
    UrlPart,
};
use crate::finding::Severity;
use crate::rules::Rule;
use crate::span::Span;
use crate::value::Format;

/// A policy's regexes may not make a run take unbounded time or memory: the regex crate
/// guarantees linear-time matching, and these limits bound the compiled size.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const REGEX_DFA_SIZE_LIMIT: usize = 1 << 20;

const DEFAULT_EXPIRING_WITHIN_DAYS: i64 = 7;
const DEFAULT_LEDGER: &str = ".secretlint/rotations.toml";

pub(super) fn compile(text: &str, origin: PolicyOrigin) -> Result<Policy, PolicyError> {
    let mut cx = Compiler {
        diagnostics: Vec::new(),
    };
    let raw: RawPolicy = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            cx.diagnostics.push(toml_error(&e));
            return Err(cx.into_error(origin, text));
        }
    };
    let raw = match cx.resolve_extends(raw) {
        Some(raw) => raw,
        None => return Err(cx.into_error(origin, text)),
    };
    let policy = cx.policy(raw, origin.clone());
    if policy.environments.is_empty() {
        // An empty or half-written policy would otherwise pass every CI run while checking
        // nothing: a security gate that is silently open.
        cx.error(
            "the policy names no environments, so no file would be checked",
            None,
            Some(
                "start from a built-in policy with `extends = \"recommended\"`, or add \
                 `[environments.NAME]` tables with `files = [...]`"
                    .into(),
            ),
        );
    }
    if cx.diagnostics.is_empty() {
        Ok(policy)
    } else {
        Err(cx.into_error(origin, text))
    }
}

struct Compiler {
    diagnostics: Vec<PolicyDiagnostic>,
}

fn span_of<T>(s: &Spanned<T>) -> Option<Span> {
    Some(s.span().into())
}

impl Compiler {
    fn error(&mut self, message: impl Into<String>, span: Option<Span>, help: Option<String>) {
        self.diagnostics.push(PolicyDiagnostic {
            message: message.into(),
            span,
            label: None,
            help,
        });
    }

    fn into_error(self, origin: PolicyOrigin, text: &str) -> PolicyError {
        PolicyError {
            origin,
            text: text.to_owned(),
            diagnostics: self.diagnostics,
        }
    }

    /// Merges the built-in policy named by `extends` under this one: this file's environments,
    /// profiles, secrets and links come first and win by name.
    fn resolve_extends(&mut self, mut raw: RawPolicy) -> Option<RawPolicy> {
        if let Some(v) = &raw.version
            && *v.get_ref() != 1
        {
            self.error(
                format!("unsupported policy version {}", v.get_ref()),
                span_of(v),
                Some("this secretlint reads `version = 1`".into()),
            );
        }
        let Some(extends) = raw.extends.take() else {
            return Some(raw);
        };
        let Some(base_text) = super::builtin(extends.get_ref()) else {
            let help = suggest(extends.get_ref(), super::BUILTIN_NAMES)
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some("the built-in policies are: `recommended`, `jobswipe`".into()));
            self.error(
                format!("unknown built-in policy `{}`", extends.get_ref()),
                span_of(&extends),
                help,
            );
            return None;
        };
        let Ok(mut base) = toml::from_str::<RawPolicy>(base_text) else {
            self.error(
                "the built-in policy could not be read",
                span_of(&extends),
                None,
            );
            return None;
        };
        // Spans in the merged document must point into this file: the base's spans would point
        // into the built-in text. The built-in policies are valid (a test proves it), so the
        // base entries never produce diagnostics; their spans are reset to the `extends` line.
        let at = extends.span();
        for (name, env) in std::mem::take(&mut base.environments) {
            raw.environments
                .entry(name)
                .or_insert_with(|| Spanned::new(at.clone(), env.into_inner()));
        }
        for (name, profile) in std::mem::take(&mut base.profiles) {
            raw.profiles
                .entry(name)
                .or_insert_with(|| Spanned::new(at.clone(), profile.into_inner()));
        }
        raw.secrets.extend(
            base.secrets
                .into_iter()
                .map(|s| Spanned::new(at.clone(), s.into_inner())),
        );
        raw.links.extend(
            base.links
                .into_iter()
                .map(|l| Spanned::new(at.clone(), l.into_inner())),
        );
        for (rule, sev) in base.rules {
            if !raw.rules.contains_key(&rule) {
                raw.rules.insert(rule, sev);
            }
        }
        if raw.settings.expiring_within.is_none() {
            raw.settings.expiring_within = base.settings.expiring_within;
        }
        if raw.settings.ledger.is_none() {
            raw.settings.ledger = base.settings.ledger;
        }
        Some(raw)
    }

    fn policy(&mut self, raw: RawPolicy, origin: PolicyOrigin) -> Policy {
        let environments: Vec<Environment> = raw
            .environments
            .iter()
            .map(|(name, env)| self.environment(name, env))
            .collect();
        self.unique_namespaces(&raw);
        let env_index: HashMap<&str, usize> = environments
            .iter()
            .enumerate()
            .map(|(i, e)| (&*e.name, i))
            .collect();
        let profiles: Vec<Profile> = raw
            .profiles
            .iter()
            .map(|(name, p)| self.profile(name, p))
            .collect();
        let profile_index: HashMap<&str, usize> = profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();
        let secrets: Vec<SecretRule> = raw
            .secrets
            .iter()
            .map(|s| self.secret(s, &env_index, &profile_index, &profiles))
            .collect();
        let links = raw.links.iter().filter_map(|l| self.link(l)).collect();
        let severities = self.severities(&raw.rules);
        let expiring_within_days = match &raw.settings.expiring_within {
            Some(s) => self.days(s).unwrap_or(DEFAULT_EXPIRING_WITHIN_DAYS),
            None => DEFAULT_EXPIRING_WITHIN_DAYS,
        };
        let ledger = match &raw.settings.ledger {
            Some(l) => self.ledger(l, &environments),
            None => DEFAULT_LEDGER.to_owned(),
        };
        let backup = self.backup(&raw.backup);
        let names = self.name_index(&secrets);
        let any_environment = {
            let mut all = GlobSetBuilder::new();
            for pattern in environments.iter().flat_map(|e| &e.patterns) {
                // An invalid glob was reported with its environment.
                if let Ok(g) = glob(pattern) {
                    all.add(g);
                }
            }
            all.build().unwrap_or_else(|_| GlobSet::empty())
        };
        Policy {
            origin,
            environments,
            profiles,
            secrets,
            links,
            severities,
            expiring_within_days,
            ledger,
            backup,
            names,
            any_environment,
        }
    }

    fn backup(&mut self, raw: &super::raw::RawBackup) -> super::BackupSettings {
        let mut recipients = Vec::new();
        for r in &raw.recipients {
            match crate::backup::parse_recipient(r.get_ref()) {
                Ok(_) => recipients.push(r.get_ref().trim().to_owned()),
                Err(_) => self.error(
                    format!("invalid age recipient `{}`", r.get_ref()),
                    span_of(r),
                    Some(
                        "an x25519 recipient starts with `age1`, as `age-keygen` prints it".into(),
                    ),
                ),
            }
        }
        let dir = match &raw.dir {
            Some(d) => {
                let path = std::path::Path::new(d.get_ref());
                let escapes = path.is_absolute()
                    || path
                        .components()
                        .any(|c| matches!(c, std::path::Component::ParentDir));
                if escapes || d.get_ref().trim().is_empty() {
                    self.error(
                        "the backup directory must be a relative path inside the repository",
                        span_of(d),
                        Some(format!("such as `{}`", crate::backup::DEFAULT_DIR)),
                    );
                }
                d.get_ref().clone()
            }
            None => crate::backup::DEFAULT_DIR.to_owned(),
        };
        super::BackupSettings { recipients, dir }
    }

    fn environment(
        &mut self,
        name: &str,
        env: &Spanned<super::raw::RawEnvironment>,
    ) -> Environment {
        let raw = env.get_ref();
        if raw.files.is_empty() && raw.namespaces.is_empty() {
            self.error(
                format!("environment `{name}` has no `files`"),
                span_of(env),
                Some("add globs such as `files = [\"**/.env.production\"]`".into()),
            );
        }
        let matcher = self.globset(&raw.files);
        for ns in &raw.namespaces {
            if ns.get_ref().trim().is_empty() {
                self.error("a namespace cannot be empty", span_of(ns), None);
            }
        }
        let template = match &raw.values {
            None => false,
            Some(v) if v.get_ref() == "placeholders-only" => true,
            Some(v) if v.get_ref() == "secrets" => false,
            Some(v) => {
                self.error(
                    format!("unknown `values` kind `{}`", v.get_ref()),
                    span_of(v),
                    Some("use `placeholders-only` for templates such as `.env.example`".into()),
                );
                false
            }
        };
        Environment {
            name: name.into(),
            patterns: raw.files.iter().map(|f| f.get_ref().clone()).collect(),
            matcher,
            namespaces: raw.namespaces.iter().map(|n| n.get_ref().clone()).collect(),
            relaxed: raw.relaxed,
            template,
            required_from: raw.required_from.as_ref().map(|r| r.get_ref().clone()),
            severities: self.severities(&raw.rules),
        }
    }

    /// A namespace places a manifest in one environment: listing it twice is a mistake
    /// (only the first would count).
    fn unique_namespaces(&mut self, raw: &RawPolicy) {
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for (name, env) in &raw.environments {
            for ns in &env.get_ref().namespaces {
                match owner.get(ns.get_ref().as_str()) {
                    Some(first) if first != name => self.error(
                        format!(
                            "namespace `{}` is already listed by environment `{first}`",
                            ns.get_ref()
                        ),
                        span_of(ns),
                        Some(
                            "a manifest belongs to the first environment listing its namespace"
                                .into(),
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        owner.insert(ns.get_ref(), name);
                    }
                }
            }
        }
    }

    fn globset(&mut self, globs: &[Spanned<String>]) -> GlobSet {
        let mut builder = GlobSetBuilder::new();
        for g in globs {
            match glob(g.get_ref()) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(e) => self.error(format!("invalid glob: {}", e.kind()), span_of(g), None),
            }
        }
        builder.build().unwrap_or_else(|_| GlobSet::empty())
    }

    fn profile(&mut self, name: &str, p: &Spanned<super::raw::RawProfile>) -> Profile {
        let raw = p.get_ref();
        let (requirements, _) = self.requirements(&raw.requirements());
        let generate = raw.generate.as_ref().and_then(|g| {
            let g = g.get_ref();
            let Some(charset) = Charset::from_name(g.charset.get_ref()) else {
                let names = Charset::ALL.map(Charset::name);
                self.error(
                    format!("unknown generator charset `{}`", g.charset.get_ref()),
                    span_of(&g.charset),
                    suggest_or_list(g.charset.get_ref(), names),
                );
                return None;
            };
            let length = match (&g.length, charset.fixed_length()) {
                (_, Some(fixed)) => fixed,
                (Some(l), None) if (8..=4096).contains(l.get_ref()) => *l.get_ref() as usize,
                (Some(l), None) => {
                    self.error(
                        "generator length must be between 8 and 4096",
                        span_of(l),
                        None,
                    );
                    return None;
                }
                (None, None) => 64,
            };
            Some(Generator { charset, length })
        });
        Profile {
            name: name.to_owned(),
            description: raw.description.clone(),
            requirements,
            generate,
        }
    }

    fn requirements(&mut self, raw: &RawRequirements) -> (Requirements, RequirementFields) {
        let set = RequirementFields {
            min_length: raw.min_length.is_some(),
            min_entropy_bits: raw.min_entropy_bits.is_some(),
            min_zxcvbn_score: raw.min_zxcvbn_score.is_some(),
            format: raw.format.is_some(),
            placeholders: raw.placeholders.is_some(),
            forbidden_patterns: raw.forbidden_patterns.is_some(),
        };
        let min_length =
            raw.min_length
                .as_ref()
                .and_then(|l| match usize::try_from(*l.get_ref()) {
                    Ok(0) => None,
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.error("`min_length` cannot be negative", span_of(l), None);
                        None
                    }
                });
        let min_entropy_bits = raw.min_entropy_bits.as_ref().and_then(|b| {
            let v = *b.get_ref();
            if !(0.0..=4096.0).contains(&v) {
                self.error(
                    "`min_entropy_bits` must be between 0 and 4096",
                    span_of(b),
                    None,
                );
                None
            } else if v == 0.0 {
                None
            } else {
                Some(v)
            }
        });
        let min_zxcvbn_score = raw
            .min_zxcvbn_score
            .as_ref()
            .and_then(|s| match *s.get_ref() {
                0 => None,
                n @ 1..=4 => Some(n as u8),
                _ => {
                    self.error(
                        "`min_zxcvbn_score` must be between 0 and 4",
                        span_of(s),
                        None,
                    );
                    None
                }
            });
        let format = raw.format.as_ref().and_then(|f| match f.get_ref() {
            RawFormat::Named(name) => match Format::from_name(name) {
                Some(format) => Some(FormatRequirement::Builtin(format)),
                None => {
                    let names = Format::ALL.map(Format::name);
                    self.error(
                        format!("unknown format `{name}`"),
                        span_of(f),
                        suggest_or_list(name, names)
                            .map(|h| format!("{h}; or write `format = {{ regex = \"...\" }}`")),
                    );
                    None
                }
            },
            RawFormat::Regex { regex } => {
                self.regex(regex, span_of(f)).map(FormatRequirement::Regex)
            }
        });
        let placeholders = raw
            .placeholders
            .iter()
            .flatten()
            .map(|p| p.get_ref().clone())
            .collect();
        let forbidden_patterns = raw
            .forbidden_patterns
            .iter()
            .flatten()
            .filter_map(|p| self.regex(p.get_ref(), span_of(p)))
            .collect();
        (
            Requirements {
                min_length,
                min_entropy_bits,
                min_zxcvbn_score,
                format,
                placeholders,
                forbidden_patterns,
            },
            set,
        )
    }

    /// The rotation metadata's path, which must stay inside the repository and out of every
    /// environment. A policy in a cloned repository is as untrusted as its files: `check`
    /// reads the ledger, and `rotate` and `fix` replace it, so `ledger = "../../.bashrc"`
    /// would make a rotation overwrite a file outside the repository. And the ledger is read
    /// as TOML and shown unmasked (it holds no values), so a ledger that is also an env file
    /// would have its values printed in `syntax-error` snippets.
    fn ledger(&mut self, ledger: &Spanned<String>, environments: &[Environment]) -> String {
        let path = ledger.get_ref();
        let outside = path.is_empty()
            || path.starts_with(['/', '\\'])
            || path.get(1..2) == Some(":")
            || path.split(['/', '\\']).any(|c| c == "..");
        if outside {
            self.error(
                format!("the rotation metadata `{path}` is not a relative path inside the repository"),
                span_of(ledger),
                Some("name a file below the policy's directory, such as `.secretlint/rotations.toml`".into()),
            );
            return DEFAULT_LEDGER.to_owned();
        }
        if let Some(env) = environments.iter().find(|e| e.matches(path)) {
            self.error(
                format!(
                    "the rotation metadata `{path}` is also a file of environment `{}`",
                    env.name
                ),
                span_of(ledger),
                Some("the ledger is shown unmasked; keep it apart from env files".into()),
            );
            return DEFAULT_LEDGER.to_owned();
        }
        path.clone()
    }

    fn regex(&mut self, pattern: &str, span: Option<Span>) -> Option<Regex> {
        match RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
            .build()
        {
            Ok(r) => Some(r),
            Err(regex::Error::CompiledTooBig(_)) => {
                self.error(
                    "regex is too large to compile within the size limit",
                    span,
                    None,
                );
                None
            }
            Err(e) => {
                // The regex crate's message spans several lines with a caret; keep its last
                // line, which says what is wrong.
                let text = e.to_string();
                let reason = text
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("");
                let reason = reason.trim().trim_start_matches("error: ");
                self.error(format!("invalid regex: {reason}"), span, None);
                None
            }
        }
    }

    fn secret(
        &mut self,
        s: &Spanned<super::raw::RawSecret>,
        envs: &HashMap<&str, usize>,
        profiles: &HashMap<&str, usize>,
        compiled: &[Profile],
    ) -> SecretRule {
        let raw = s.get_ref();
        if raw.names.is_empty() {
            self.error("secret rule has no `names`", span_of(s), None);
        }
        for n in &raw.names {
            if let Err(e) = glob(n.get_ref()) {
                self.error(format!("invalid name glob: {}", e.kind()), span_of(n), None);
            }
        }
        let profile = raw
            .profile
            .as_ref()
            .and_then(|p| match profiles.get(p.get_ref().as_str()) {
                Some(&i) => Some(i),
                None => {
                    self.error(
                        format!("unknown profile `{}`", p.get_ref()),
                        span_of(p),
                        suggest_or_list(p.get_ref(), profiles.keys().copied()),
                    );
                    None
                }
            });
        let required = raw
            .required
            .iter()
            .filter_map(|e| self.env_ref(e, envs))
            .collect();
        let files = if raw.files.is_empty() {
            None
        } else {
            Some(self.globset(&raw.files))
        };
        let scope = match raw.scope.as_ref().map(|s| (s, s.get_ref().as_str())) {
            None | Some((_, "owned")) => Scope::Owned,
            Some((_, "shared")) => Scope::Shared,
            Some((s, other)) => {
                self.error(
                    format!("unknown scope `{other}`"),
                    span_of(s),
                    suggest_or_list(other, ["owned", "shared"]),
                );
                Scope::Owned
            }
        };
        let source = match raw.source.as_ref().map(|s| (s, s.get_ref().as_str())) {
            None | Some((_, "generated")) => Source::Generated,
            Some((_, "external")) => Source::External,
            Some((s, other)) => {
                self.error(
                    format!("unknown source `{other}`"),
                    span_of(s),
                    suggest_or_list(other, ["generated", "external"]),
                );
                Source::Generated
            }
        };
        let rotate_every_days = raw.rotate_every.as_ref().and_then(|r| self.days(r));
        let keep_previous_days = raw.keep_previous.as_ref().and_then(|r| self.days(r));
        let (mut across_envs, mut across_keys) = (true, true);
        if let Some(list) = &raw.distinct_across {
            across_envs = false;
            across_keys = false;
            for item in list {
                match item.get_ref().as_str() {
                    "environments" => across_envs = true,
                    "keys" => across_keys = true,
                    other => self.error(
                        format!("unknown `distinct_across` value `{other}`"),
                        span_of(item),
                        suggest_or_list(other, ["environments", "keys"]),
                    ),
                }
            }
        }
        let mut overrides = foldhash::HashMap::default();
        for (env, req) in &raw.overrides {
            if let Some(e) = self.env_ref(env, envs) {
                let (over, set) = self.requirements(req);
                let base = profile
                    .map_or_else(Requirements::default, |p| compiled[p].requirements.clone());
                overrides.insert(e, base.overlay(&over, &set));
            }
        }
        SecretRule {
            names: raw.names.iter().map(|n| n.get_ref().clone()).collect(),
            description: raw.description.clone(),
            profile,
            required,
            files,
            scope,
            source,
            rotate_every_days,
            distinct_across_environments: across_envs,
            distinct_across_keys: across_keys,
            rotate_with: raw
                .rotate_with
                .iter()
                .map(|n| n.get_ref().clone())
                .collect(),
            keep_previous_days,
            overrides,
        }
    }

    fn env_ref(&mut self, name: &Spanned<String>, envs: &HashMap<&str, usize>) -> Option<usize> {
        match envs.get(name.get_ref().as_str()) {
            Some(&i) => Some(i),
            None => {
                self.error(
                    format!("unknown environment `{}`", name.get_ref()),
                    span_of(name),
                    suggest_or_list(name.get_ref(), envs.keys().copied()),
                );
                None
            }
        }
    }

    fn link(&mut self, l: &Spanned<super::raw::RawLink>) -> Option<Link> {
        let raw = l.get_ref();
        let Some((key, part)) = raw.part.get_ref().split_once('#') else {
            self.error(
                "a link part must be `KEY#password` or `KEY#username`",
                span_of(&raw.part),
                None,
            );
            return None;
        };
        let part = match part {
            "password" => UrlPart::Password,
            "username" | "user" => UrlPart::Username,
            other => {
                self.error(
                    format!("unknown URL part `{other}`"),
                    span_of(&raw.part),
                    suggest_or_list(other, ["password", "username"]),
                );
                return None;
            }
        };
        Some(Link {
            key: key.to_owned(),
            part,
            equals: raw.equals.get_ref().clone(),
        })
    }

    fn severities(
        &mut self,
        rules: &indexmap::IndexMap<Spanned<String>, Spanned<String>>,
    ) -> foldhash::HashMap<Rule, Severity> {
        let mut out = foldhash::HashMap::default();
        for (id, sev) in rules {
            let Some(rule) = Rule::from_id(id.get_ref()) else {
                self.error(
                    format!("unknown rule `{}`", id.get_ref()),
                    span_of(id),
                    suggest_or_list(id.get_ref(), Rule::ALL.iter().map(|r| r.id())),
                );
                continue;
            };
            match Severity::parse(sev.get_ref()) {
                Some(s) => {
                    out.insert(rule, s);
                }
                None => self.error(
                    format!("unknown severity `{}`", sev.get_ref()),
                    span_of(sev),
                    suggest_or_list(sev.get_ref(), ["error", "warning", "info", "off"]),
                ),
            }
        }
        out
    }

    fn days(&mut self, s: &Spanned<String>) -> Option<i64> {
        match parse_days(s.get_ref()) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(
                    message,
                    span_of(s),
                    Some("write a number of days or weeks, such as `30d` or `12w`".into()),
                );
                None
            }
        }
    }

    fn name_index(&mut self, secrets: &[SecretRule]) -> NameIndex {
        let mut literal = foldhash::HashMap::default();
        let mut builder = GlobSetBuilder::new();
        let mut glob_rule = Vec::new();
        for (i, rule) in secrets.iter().enumerate() {
            for name in &rule.names {
                if super::is_glob(name) {
                    if let Ok(g) = glob(name) {
                        builder.add(g);
                        glob_rule.push(i);
                    }
                } else {
                    literal.entry(name.clone()).or_insert(i);
                }
            }
        }
        let globs = builder.build().unwrap_or_else(|_| GlobSet::empty());
        NameIndex {
            literal,
            globs,
            glob_rule,
        }
    }
}

/// Policy globs match slash-separated paths relative to the policy's directory; `*` does not
/// cross a `/`, `**` does.
fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// Parses a rotation interval such as `30d`, `12w` or `90 days` into whole days.
pub fn parse_days(text: &str) -> Result<i64, String> {
    let span: jiff::Span = text
        .parse()
        .map_err(|_| format!("could not read `{text}` as a duration"))?;
    if span.get_years() != 0 || span.get_months() != 0 {
        return Err(format!(
            "`{text}` uses months or years, whose length varies"
        ));
    }
    let days = span
        .total((jiff::Unit::Day, jiff::SpanRelativeTo::days_are_24_hours()))
        .map_err(|_| format!("could not read `{text}` as a duration"))?;
    if days < 1.0 || days.fract() != 0.0 {
        return Err(format!(
            "`{text}` is not a whole number of days (at least one)"
        ));
    }
    Ok(days as i64)
}

/// The candidate closest to `given`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn suggest_or_list<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut all: Vec<&str> = candidates.into_iter().collect();
    if let Some(s) = suggest(given, all.iter().copied()) {
        return Some(format!("did you mean `{s}`?"));
    }
    all.sort_unstable();
    if all.is_empty() {
        return None;
    }
    let list: Vec<String> = all.iter().map(|c| format!("`{c}`")).collect();
    Some(format!("expected one of {}", list.join(", ")))
}

/// Turns a TOML or serde error into a diagnostic; an unknown key gets a suggestion.
fn toml_error(e: &toml::de::Error) -> PolicyDiagnostic {
    let message = e.message().trim().to_owned();
    let span = e.span().map(Span::from);
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let help = suggest_or_list(field, candidates);
        return PolicyDiagnostic {
            message: format!("unknown key `{field}`"),
            span,
            label: Some("not a key of this table".into()),
            help,
        };
    }
    PolicyDiagnostic {
        message,
        span,
        label: None,
        help: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_accept_days_and_weeks_only() {
        assert_eq!(parse_days("30d"), Ok(30));
        assert_eq!(parse_days("12w"), Ok(84));
        assert_eq!(parse_days("90 days"), Ok(90));
        assert!(parse_days("6mo").is_err());
        assert!(parse_days("36h").is_err());
        assert!(parse_days("soon").is_err());
    }

    #[test]
    fn backup_recipients_and_dir_are_checked_with_spans() {
        let (_, recipient) = crate::backup::generate_identity();
        let text = format!(
            "version = 1\nextends = \"recommended\"\n[backup]\nrecipients = [\"{recipient}\", \"age1nope\"]\ndir = \"../out\"\n"
        );
        let err = compile(&text, PolicyOrigin::Builtin("test")).unwrap_err();
        let messages: Vec<&str> = err.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "invalid age recipient `age1nope`",
                "the backup directory must be a relative path inside the repository"
            ]
        );
        let span = err.diagnostics[0].span.unwrap();
        assert_eq!(&text[span.range()], "\"age1nope\"");
        let ok = format!(
            "version = 1\nextends = \"recommended\"\n[backup]\nrecipients = [\"{recipient}\"]\n"
        );
        let policy = compile(&ok, PolicyOrigin::Builtin("test")).unwrap();
        assert_eq!(policy.backup.recipients, [recipient]);
        assert_eq!(policy.backup.dir, crate::backup::DEFAULT_DIR);
    }

    #[test]
    fn suggestions_find_near_misses_only() {
        assert_eq!(
            suggest("min_lenght", ["min_length", "format"]),
            Some("min_length")
        );
        assert_eq!(suggest("zzz", ["min_length", "format"]), None);
    }
}
