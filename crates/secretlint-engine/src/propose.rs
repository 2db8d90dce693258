//! `secretlint init`'s proposal: a first policy for a repository, read off the env files it
//! already has. Environments come from the file names found, a secret rule from every
//! secret-looking key, and each secret gets a kind (a profile of the recommended policy) and a
//! rotation tier from its kind (JobSwipe's 30/90/180 days). [`Proposal::to_toml`] writes it as
//! a policy with comments explaining each part.

use std::collections::{BTreeMap, BTreeSet};

use crate::document::{Document, DocumentKind};
use crate::policy::{Policy, Source};
use crate::value::secret_like_name;
use crate::workspace::{Content, Input};

/// Where `#:schema` points in a policy written outside this repository: the committed
/// `policy/policy.schema.json`, as published beside the rule pages.
pub const SCHEMA_URL: &str = "https://secretlint.dev/policy.schema.json";

/// How strict an environment is, which decides its place in the policy (most protected
/// first) and its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EnvClass {
    Production,
    Staging,
    /// A name secretlint does not know (`.env.sandbox`): strict until the team says otherwise.
    Other,
    /// `.env.example` and friends: placeholders, not secrets.
    Template,
    /// Developers' own files: relaxed.
    Development,
}

/// An environment of the proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedEnvironment {
    pub name: String,
    pub class: EnvClass,
    /// Globs, one per file name found (`**/.env.production`).
    pub files: Vec<String>,
    /// The files found, relative to the repository.
    pub found: Vec<String>,
}

/// A rotation tier of JobSwipe's strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Every 30 days: signing and encryption keys, salts, database credentials, passwords.
    Critical,
    /// Every 90 days: tokens, API keys and key material issued elsewhere.
    High,
    /// Every 180 days: administrators' passwords of internal tools.
    Medium,
}

impl Tier {
    pub const fn days(self) -> i64 {
        match self {
            Tier::Critical => 30,
            Tier::High => 90,
            Tier::Medium => 180,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Tier::Critical => "critical",
            Tier::High => "high priority",
            Tier::Medium => "medium priority",
        }
    }

    /// The tier a kind of secret defaults to: what a leak costs and how hard a rotation is.
    pub fn for_kind(profile: &str, key: &str) -> Tier {
        match profile {
            "password" if segments(key).any(|s| s == "ADMIN") => Tier::Medium,
            "signing-key" | "password" | "salt" | "connection-url" => Tier::Critical,
            _ => Tier::High,
        }
    }
}

/// One `[[secrets]]` entry of the proposal: the keys found of one kind and tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedSecret {
    /// Key names, sorted.
    pub names: Vec<String>,
    /// A profile of the recommended policy.
    pub profile: String,
    pub tier: Tier,
    pub external: bool,
}

/// A proposed policy.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Most protected first.
    pub environments: Vec<ProposedEnvironment>,
    pub secrets: Vec<ProposedSecret>,
    /// The files read, relative to the repository, sorted.
    pub files: Vec<String>,
    /// Where `#:schema` points.
    pub schema: String,
}

/// The profile a secret-looking key that no recommended rule names falls back to: checked,
/// never generated, since nothing says what generates it.
const FALLBACK_PROFILE: &str = "token";

/// Proposes a policy from the env files of a repository (paths relative to it). Unreadable
/// inputs only contribute their names.
pub fn propose(inputs: &[Input]) -> Proposal {
    let recommended = Policy::recommended();
    let mut files: Vec<String> = inputs.iter().map(|i| i.path.clone()).collect();
    files.sort();
    files.dedup();

    let mut environments: BTreeMap<(EnvClass, String), ProposedEnvironment> = BTreeMap::new();
    for path in &files {
        let base = path.rsplit('/').next().unwrap_or(path);
        let (class, name) = classify(base);
        let env = environments
            .entry((class, name.clone()))
            .or_insert_with(|| ProposedEnvironment {
                name,
                class,
                files: Vec::new(),
                found: Vec::new(),
            });
        let glob = format!("**/{base}");
        if !env.files.contains(&glob) {
            env.files.push(glob);
        }
        env.found.push(path.clone());
    }
    let mut environments: Vec<ProposedEnvironment> = environments.into_values().collect();
    if environments.is_empty() {
        environments = recommended_environments(&recommended);
    }
    for env in &mut environments {
        env.files.sort();
    }

    let mut keys = BTreeSet::new();
    for input in inputs {
        if let Content::Text { text, .. } = &input.content {
            let doc = Document::parse(DocumentKind::for_path(&input.path), text);
            keys.extend(
                doc.entries
                    .into_iter()
                    .map(|e| e.key)
                    .filter(|k| secret_like_name(k)),
            );
        }
    }
    // `KEY_PREVIOUS` is the grace-period companion of `KEY` (`keep_previous`), not a secret
    // rule of its own.
    let companions: BTreeSet<String> = keys
        .iter()
        .filter(|k| {
            k.strip_suffix("_PREVIOUS")
                .is_some_and(|base| keys.contains(base))
        })
        .cloned()
        .collect();

    let mut groups: BTreeMap<(Tier, String), ProposedSecret> = BTreeMap::new();
    for key in keys.difference(&companions) {
        let rule = recommended.secret_for(key).map(|i| &recommended.secrets[i]);
        let profile = rule
            .and_then(|r| r.profile)
            .map_or(FALLBACK_PROFILE, |p| recommended.profiles[p].name.as_str());
        let external = rule.is_none_or(|r| r.source == Source::External);
        let tier = Tier::for_kind(profile, key);
        groups
            .entry((tier, profile.to_owned()))
            .or_insert_with(|| ProposedSecret {
                names: Vec::new(),
                profile: profile.to_owned(),
                tier,
                external,
            })
            .names
            .push(key.clone());
    }
    Proposal {
        environments,
        secrets: groups.into_values().collect(),
        files,
        schema: SCHEMA_URL.to_owned(),
    }
}

/// The environment a file name belongs to: `.env.production`, `.env.prod.local` and
/// `production.env` are production; an unknown suffix names its own environment.
fn classify(base: &str) -> (EnvClass, String) {
    let lower = base.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split('.')
        .filter(|w| !w.is_empty() && *w != "env" && *w != "local")
        .collect();
    // `api.env.example`: a service prefix before `.env`; the environment is named after it.
    let after_env: Vec<&str> = match lower.find(".env") {
        Some(at) if at > 0 => lower[at + 4..]
            .split('.')
            .filter(|w| !w.is_empty() && *w != "local")
            .collect(),
        _ => words.clone(),
    };
    let mut known = after_env
        .iter()
        .chain(&words)
        .filter_map(|w| known_class(w));
    // `.env.production.example` is a template of production, not production.
    if known.clone().any(|c| c == EnvClass::Template) {
        return (
            EnvClass::Template,
            class_name(EnvClass::Template).to_owned(),
        );
    }
    if let Some(class) = known.next() {
        return (class, class_name(class).to_owned());
    }
    match after_env.first() {
        // `.env` and `.env.local` alone, or `api.env`: a developer's file.
        None => (EnvClass::Development, "development".to_owned()),
        Some(word) => {
            let name: String = word
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            (EnvClass::Other, name)
        }
    }
}

fn known_class(word: &str) -> Option<EnvClass> {
    Some(match word {
        "production" | "prod" | "live" => EnvClass::Production,
        "staging" | "stage" | "preprod" | "uat" | "qa" => EnvClass::Staging,
        "example" | "sample" | "template" | "dist" | "defaults" => EnvClass::Template,
        "development" | "dev" | "test" | "ci" => EnvClass::Development,
        _ => return None,
    })
}

fn class_name(class: EnvClass) -> &'static str {
    match class {
        EnvClass::Production => "production",
        EnvClass::Staging => "staging",
        EnvClass::Template => "template",
        EnvClass::Development => "development",
        EnvClass::Other => "other",
    }
}

/// With no env file found, the recommended policy's environments: a starting point that
/// covers the usual names.
fn recommended_environments(recommended: &Policy) -> Vec<ProposedEnvironment> {
    recommended
        .environments
        .iter()
        .map(|e| ProposedEnvironment {
            name: e.name.to_string(),
            class: if e.template {
                EnvClass::Template
            } else if e.relaxed {
                EnvClass::Development
            } else {
                known_class(&e.name).unwrap_or(EnvClass::Other)
            },
            files: e.patterns.clone(),
            found: Vec::new(),
        })
        .collect()
}

fn segments(key: &str) -> impl Iterator<Item = String> + '_ {
    key.split(['_', '-', '.'])
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_uppercase())
}

/// A TOML string, quoted and escaped.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    let one_line = format!("[{}]", quoted.join(", "));
    if one_line.len() <= 88 {
        return one_line;
    }
    let mut out = String::from("[\n");
    for q in quoted {
        out.push_str("  ");
        out.push_str(&q);
        out.push_str(",\n");
    }
    out.push(']');
    out
}

/// A number as the policy writes it: `128`, not `128.0`.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn section(out: &mut String, title: &str) {
    let rule = "-".repeat(92usize.saturating_sub(title.len() + 7));
    out.push_str(&format!("\n# --- {title} {rule}\n"));
}

impl Proposal {
    /// The template file name found first, for `required_from`.
    fn template_name(&self) -> Option<&str> {
        self.environments
            .iter()
            .find(|e| e.class == EnvClass::Template)
            .and_then(|e| e.found.first())
            .map(|p| p.rsplit('/').next().unwrap_or(p))
    }

    /// The policy as TOML, with comments explaining each part. It always compiles (a test
    /// proves it for the shapes `propose` produces).
    pub fn to_toml(&self) -> String {
        let recommended = Policy::recommended();
        let mut out = String::new();
        out.push_str(&format!("#:schema {}\n", self.schema));
        out.push_str(
            "# The secretlint policy of this repository, proposed by `secretlint init` from the env files\n\
             # it found. It says which secrets exist, what each must look like, and how often each must\n\
             # be rotated; `secretlint check` holds every env file against it. Edit it freely: every\n\
             # part is explained where it starts, `secretlint explain` documents the rules, and the\n\
             # `#:schema` line above lets TOML editors (Taplo, Even Better TOML) complete and check it.\n",
        );
        if self.files.is_empty() {
            out.push_str(
                "#\n# No env file was found, so the environments below are the usual names and no secret is\n\
                 # listed yet: `secretlint check` reports secret-looking keys the policy does not cover\n\
                 # (`undeclared-secret`) once there are env files.\n",
            );
        }
        out.push_str("version = 1\n");

        out.push_str(
            "\n[settings]\n\
             # `expiring-soon` warns this long before a secret is due for rotation.\n\
             expiring_within = \"7d\"\n\
             # Rotation dates recorded by `secretlint rotate --record` and `secretlint fix`.\n\
             ledger = \".secretlint/rotations.toml\"\n",
        );

        section(&mut out, "Environments");
        out.push_str(
            "# Named sets of files, each with its own strictness. A file belongs to the first\n\
             # environment whose globs match its path (relative to this file), so the most protected\n\
             # come first. Globs: `*` stays within a directory, `**` crosses directories.\n",
        );
        let template = self.template_name();
        for env in &self.environments {
            out.push('\n');
            match env.class {
                EnvClass::Production | EnvClass::Staging => out.push_str(&format!(
                    "# {}: strict. Values must meet their profile, must not be shared with another\n\
                     # environment, and must be rotated on time.\n",
                    capitalize(&env.name)
                )),
                EnvClass::Other => out.push_str(&format!(
                    "# `{}` is not a name secretlint knows, so it is strict like production. Add\n\
                     # `relaxed = true` if it is a development-like environment.\n",
                    env.name
                )),
                EnvClass::Template => out.push_str(
                    "# Templates hold placeholders, not secrets: their values are not judged for strength,\n\
                     # but one that is live in another environment is flagged.\n",
                ),
                EnvClass::Development => out.push_str(
                    "# Developers' own files: weak values are warnings, and requirements, permissions and\n\
                     # rotation are not enforced.\n",
                ),
            }
            if !env.found.is_empty() {
                let mut found = env.found.clone();
                let more = found.len().saturating_sub(4);
                found.truncate(4);
                let mut words: Vec<String> = found
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if i + 1 < found.len() {
                            format!("{f},")
                        } else {
                            f.clone()
                        }
                    })
                    .collect();
                if more > 0 {
                    words.push(format!("and {more} more"));
                }
                comment_wrapped(&mut out, "Found:", &words);
            }
            out.push_str(&format!("[environments.{}]\n", table_key(&env.name)));
            out.push_str(&format!("files = {}\n", list(&env.files)));
            match env.class {
                EnvClass::Template => out.push_str("values = \"placeholders-only\"\n"),
                EnvClass::Development => out.push_str("relaxed = true\n"),
                EnvClass::Production | EnvClass::Staging | EnvClass::Other => {
                    if let Some(t) = template {
                        out.push_str(&format!(
                            "# Uncomment to require every key of the template beside each file, set:\n\
                             # required_from = {}\n",
                            quote(t)
                        ));
                    }
                }
            }
        }

        let used: BTreeSet<&str> = self.secrets.iter().map(|s| s.profile.as_str()).collect();
        if !used.is_empty() {
            section(&mut out, "Profiles");
            out.push_str(
                "# What each kind of secret must look like, and how `secretlint fix` generates a new\n\
                 # value (`generate`). These are the recommended policy's floors: a generated value always\n\
                 # meets them, a hand-typed weak one rarely does.\n",
            );
        }
        for profile in recommended
            .profiles
            .iter()
            .filter(|p| used.contains(p.name.as_str()))
        {
            out.push_str(&format!("\n[profiles.{}]\n", table_key(&profile.name)));
            if let Some(d) = &profile.description {
                out.push_str(&format!("description = {}\n", quote(d)));
            }
            let r = &profile.requirements;
            if let Some(n) = r.min_length {
                out.push_str(&format!("min_length = {n}\n"));
            }
            if let Some(n) = r.min_entropy_bits {
                out.push_str(&format!("min_entropy_bits = {}\n", number(n)));
            }
            if let Some(n) = r.min_zxcvbn_score {
                out.push_str(&format!("min_zxcvbn_score = {n}\n"));
            }
            if let Some(crate::policy::FormatRequirement::Builtin(f)) = &r.format {
                out.push_str(&format!("format = {}\n", quote(f.name())));
            }
            if let Some(g) = &profile.generate {
                match g.charset.fixed_length() {
                    Some(_) => out.push_str(&format!(
                        "generate = {{ charset = {} }}\n",
                        quote(g.charset.name())
                    )),
                    None => out.push_str(&format!(
                        "generate = {{ charset = {}, length = {} }}\n",
                        quote(g.charset.name()),
                        g.length
                    )),
                }
            }
        }

        if !self.secrets.is_empty() {
            section(&mut out, "Secrets");
            out.push_str(
                "# The secret-looking keys found, by rotation tier: critical every 30 days, high\n\
                 # priority every 90, medium priority every 180. The tier follows from the kind of\n\
                 # secret; move a name to another entry to change it. `secretlint due` lists what is due,\n\
                 # and `secretlint rotate --record KEY` records a rotation done elsewhere.\n",
            );
        }
        let mut last_tier = None;
        for secret in &self.secrets {
            out.push('\n');
            if last_tier != Some(secret.tier) {
                out.push_str(&format!(
                    "# {}: every {} days. {}.\n",
                    capitalize(secret.tier.name()),
                    secret.tier.days(),
                    capitalize(tier_blurb(secret.tier)),
                ));
                last_tier = Some(secret.tier);
            }
            if secret.external {
                out.push_str(
                    "# Issued elsewhere (a provider, Vault): checked, and rotated where it is issued.\n",
                );
            }
            out.push_str("[[secrets]]\n");
            out.push_str(&format!("names = {}\n", list(&secret.names)));
            out.push_str(&format!("profile = {}\n", quote(&secret.profile)));
            if secret.external {
                out.push_str("source = \"external\"\n");
            }
            out.push_str(&format!("rotate_every = \"{}d\"\n", secret.tier.days()));
        }

        section(&mut out, "Rules");
        out.push_str(
            "# Severity per rule: `error`, `warning`, `info` or `off`. Secrets with no known rotation\n\
             # date are `unknown-age` warnings until a date is recorded; uncomment to silence them\n\
             # while you adopt the policy.\n\
             [rules]\n\
             # unknown-age = \"off\"\n",
        );
        out
    }
}

/// A comment line starting with `lead`, wrapped at 92 columns.
fn comment_wrapped(out: &mut String, lead: &str, words: &[String]) {
    let mut line = format!("# {lead}");
    for w in words {
        if line.len() + 1 + w.len() > 92 {
            out.push_str(&line);
            out.push('\n');
            line = "#  ".to_owned();
        }
        line.push(' ');
        line.push_str(w);
    }
    out.push_str(&line);
    out.push('\n');
}

fn tier_blurb(tier: Tier) -> &'static str {
    match tier {
        Tier::Critical => "signing and encryption keys, salts, database credentials, passwords",
        Tier::High => "tokens, API keys and key material issued by a provider",
        Tier::Medium => "administrators' passwords of internal tools",
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A table key as written after `[environments.`: bare when it can be, quoted otherwise.
fn table_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        name.to_owned()
    } else {
        quote(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyOrigin;

    fn inputs(files: &[(&str, &str)]) -> Vec<Input> {
        files.iter().map(|(p, t)| Input::text(*p, *t)).collect()
    }

    fn compiles(proposal: &Proposal) -> Policy {
        let text = proposal.to_toml();
        match Policy::from_toml(&text, PolicyOrigin::File("secretlint.toml".into())) {
            Ok(p) => p,
            Err(e) => panic!("{:?}\n{text}", e.diagnostics),
        }
    }

    #[test]
    fn file_names_become_environments_most_protected_first() {
        let p = propose(&inputs(&[
            ("api/.env", ""),
            ("api/.env.example", ""),
            ("api/.env.production", ""),
            ("web/.env.prod.local", ""),
            (".env.sandbox", ""),
            (".env.staging", ""),
            ("worker.env.test", ""),
            ("api/.env.production.example", ""),
        ]));
        let envs: Vec<(&str, Vec<&str>)> = p
            .environments
            .iter()
            .map(|e| {
                (
                    e.name.as_str(),
                    e.files.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            envs,
            [
                (
                    "production",
                    vec!["**/.env.prod.local", "**/.env.production"]
                ),
                ("staging", vec!["**/.env.staging"]),
                ("sandbox", vec!["**/.env.sandbox"]),
                (
                    "template",
                    vec!["**/.env.example", "**/.env.production.example"]
                ),
                ("development", vec!["**/.env", "**/worker.env.test"]),
            ]
        );
        let policy = compiles(&p);
        assert_eq!(
            policy
                .environment_for("svc/.env.prod.local")
                .map(|i| &*policy.environments[i].name),
            Some("production")
        );
        assert!(policy.environments[3].template);
        assert!(policy.environments[4].relaxed);
    }

    #[test]
    fn the_seeds_secrets_get_its_tiers_by_kind() {
        let env = "SECRET_KEY=x\nENCRYPTION_PASSWORD=x\nENCRYPTION_SALT=x\nDATABASE_URL=x\n\
                   POSTGRES_PASSWORD=x\nANALYTICS_API_KEY=x\nVAULT_TOKEN=x\n\
                   GRAFANA_ADMIN_PASSWORD=x\nDEBUG=true\nSECRET_KEY_PREVIOUS=x\nLOG_LEVEL=info\n";
        let p = propose(&inputs(&[(".env.production", env)]));
        let tier_of = |key: &str| {
            p.secrets
                .iter()
                .find(|s| s.names.iter().any(|n| n == key))
                .map(|s| (s.tier.days(), s.profile.as_str()))
        };
        assert_eq!(tier_of("SECRET_KEY"), Some((30, "signing-key")));
        assert_eq!(tier_of("ENCRYPTION_PASSWORD"), Some((30, "password")));
        assert_eq!(tier_of("ENCRYPTION_SALT"), Some((30, "salt")));
        assert_eq!(tier_of("DATABASE_URL"), Some((30, "connection-url")));
        assert_eq!(tier_of("POSTGRES_PASSWORD"), Some((30, "password")));
        assert_eq!(tier_of("ANALYTICS_API_KEY"), Some((90, "token")));
        assert_eq!(tier_of("VAULT_TOKEN"), Some((90, "token")));
        assert_eq!(tier_of("GRAFANA_ADMIN_PASSWORD"), Some((180, "password")));
        assert_eq!(tier_of("DEBUG"), None);
        assert_eq!(tier_of("LOG_LEVEL"), None);
        assert_eq!(tier_of("SECRET_KEY_PREVIOUS"), None);
        let policy = compiles(&p);
        let rule = policy.secret_for("VAULT_TOKEN").unwrap();
        assert_eq!(policy.secrets[rule].rotate_every_days, Some(90));
        assert_eq!(policy.secrets[rule].source, Source::External);
        let rule = policy.secret_for("GRAFANA_ADMIN_PASSWORD").unwrap();
        assert_eq!(policy.secrets[rule].rotate_every_days, Some(180));
    }

    #[test]
    fn an_empty_repository_gets_the_usual_environments() {
        let p = propose(&[]);
        let policy = compiles(&p);
        let names: Vec<&str> = policy.environments.iter().map(|e| &*e.name).collect();
        assert_eq!(names, ["production", "staging", "template", "development"]);
        assert!(policy.secrets.is_empty());
    }

    #[test]
    fn odd_names_are_quoted_and_still_compile() {
        let p = propose(&inputs(&[
            (".env.my env\"x", "A_TOKEN=1\n"),
            (".env.Ünïcode", "B_PASSWORD=1\n"),
        ]));
        compiles(&p);
    }

    #[test]
    fn long_name_lists_wrap() {
        let keys: String = (0..12)
            .map(|i| format!("SERVICE_{i}_API_KEY=x\n"))
            .collect();
        let p = propose(&inputs(&[(".env.production", &keys)]));
        let text = p.to_toml();
        assert!(
            text.contains("names = [\n  \"SERVICE_0_API_KEY\",\n"),
            "{text}"
        );
        compiles(&p);
    }
}
