//! The policy language: both shipped policies load, and broken policies are reported with
//! spans and suggestions.

use secretlint_engine::policy::{Policy, PolicyOrigin, Scope, Source};

const JOBSWIPE: &str = include_str!("../../../policy/jobswipe.toml");

fn load(text: &str) -> Result<Policy, secretlint_engine::PolicyError> {
    Policy::from_toml(text, PolicyOrigin::File("secretlint.toml".into()))
}

#[test]
fn recommended_policy_loads_and_covers_common_names() {
    let p = Policy::recommended();
    for key in [
        "SECRET_KEY",
        "STRIPE_API_KEY",
        "DATABASE_URL",
        "POSTGRES_PASSWORD",
        "GITHUB_TOKEN",
        "SESSION_SECRET",
    ] {
        assert!(p.secret_for(key).is_some(), "{key} is not covered");
    }
    assert_eq!(
        &*p.environments[p.environment_for("api/.env.production").unwrap()].name,
        "production"
    );
    assert_eq!(
        &*p.environments[p.environment_for(".env").unwrap()].name,
        "development"
    );
    assert_eq!(
        &*p.environments[p.environment_for("a/b/.env.example").unwrap()].name,
        "template"
    );
    assert!(p.environment_for("src/main.rs").is_none());
}

#[test]
fn jobswipe_policy_encodes_the_seed() {
    let p = load(JOBSWIPE).unwrap();
    let tier = |key: &str| p.secrets[p.secret_for(key).unwrap()].rotate_every_days;
    for key in [
        "SECRET_KEY",
        "ENCRYPTION_PASSWORD",
        "ENCRYPTION_SALT",
        "DATABASE_URL",
        "POSTGRES_PASSWORD",
    ] {
        assert_eq!(tier(key), Some(30), "{key}");
    }
    for key in [
        "ANALYTICS_API_KEY",
        "INGESTION_API_KEY",
        "DEDUPLICATION_API_KEY",
        "CATEGORIZATION_API_KEY",
        "AUTOMATION_API_KEY",
        "OAUTH_STATE_SECRET",
        "VAULT_TOKEN",
    ] {
        assert_eq!(tier(key), Some(90), "{key}");
    }
    for key in ["GRAFANA_ADMIN_PASSWORD", "JWT_SECRET_KEY"] {
        assert_eq!(tier(key), Some(180), "{key}");
    }
    let prod = p.environment_named("production");
    let min = |key: &str| p.requirements(p.secret_for(key).unwrap(), prod).min_length;
    assert_eq!(min("SECRET_KEY"), Some(32));
    assert_eq!(min("JWT_SECRET_KEY"), Some(32));
    assert_eq!(min("ANALYTICS_API_KEY"), Some(32));
    assert_eq!(min("POSTGRES_PASSWORD"), Some(16));
    assert_eq!(min("GRAFANA_ADMIN_PASSWORD"), Some(16));
    let dev = p.environment_named("development");
    assert_eq!(
        p.requirements(p.secret_for("SECRET_KEY").unwrap(), dev)
            .min_length,
        Some(16)
    );
    let vault = &p.secrets[p.secret_for("VAULT_TOKEN").unwrap()];
    assert_eq!(vault.source, Source::External);
    assert_eq!(
        p.secrets[p.secret_for("AUTOMATION_API_KEY").unwrap()].scope,
        Scope::Shared
    );
    assert_eq!(
        p.secrets[p.secret_for("SECRET_KEY").unwrap()].scope,
        Scope::Owned
    );
    assert_eq!(p.links.len(), 1);
    assert_eq!(p.links[0].key, "DATABASE_URL");
    assert_eq!(p.links[0].equals, "POSTGRES_PASSWORD");
    assert!(p.environments[dev.unwrap()].relaxed);
    assert!(!p.environments[prod.unwrap()].relaxed);
}

fn first_error(text: &str) -> secretlint_engine::policy::PolicyDiagnostic {
    load(text).unwrap_err().diagnostics.remove(0)
}

#[test]
fn unknown_key_is_named_with_a_suggestion_and_a_span() {
    let text = "version = 1\n[profiles.p]\nmin_lenght = 3\n";
    let d = first_error(text);
    assert_eq!(d.message, "unknown key `min_lenght`");
    assert_eq!(d.help.as_deref(), Some("did you mean `min_length`?"));
    assert_eq!(&text[d.span.unwrap().range()], "min_lenght");
}

#[test]
fn bad_regex_and_glob_point_at_themselves() {
    let text = "[environments.production]\nfiles = [\"**/.env.{prod\"]\n[profiles.p]\nforbidden_patterns = [\"(unclosed\"]\n";
    let e = load(text).unwrap_err();
    let messages: Vec<_> = e
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), &text[d.span.unwrap().range()]))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(m, at)| m.starts_with("invalid glob") && at.contains(".env.{prod")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(m, at)| m.starts_with("invalid regex") && at.contains("(unclosed")),
        "{messages:?}"
    );
}

#[test]
fn unknown_profile_environment_and_rule_are_reported_together() {
    let text = r#"
[environments.production]
files = ["**/.env.production"]
[profiles.password]
min_length = 16
[[secrets]]
names = ["DB_PASSWORD"]
profile = "pasword"
required = ["prod"]
[rules]
too-shrt = "error"
"#;
    let e = load(text).unwrap_err();
    let got: Vec<(String, Option<String>)> = e
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.help.clone()))
        .collect();
    assert!(
        got.contains(&(
            "unknown profile `pasword`".into(),
            Some("did you mean `password`?".into())
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "unknown environment `prod`".into(),
            Some("did you mean `production`?".into())
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "unknown rule `too-shrt`".into(),
            Some("did you mean `too-short`?".into())
        )),
        "{got:?}"
    );
}

#[test]
fn extends_merges_under_the_file() {
    let text = r#"
extends = "recommended"
[profiles.password]
min_length = 24
[[secrets]]
names = ["BILLING_PASSWORD"]
profile = "password"
rotate_every = "30d"
"#;
    let p = load(text).unwrap();
    let s = p.secret_for("BILLING_PASSWORD").unwrap();
    assert_eq!(p.secrets[s].rotate_every_days, Some(30));
    assert_eq!(p.requirements(s, None).min_length, Some(24));
    // The base still covers names this file does not mention, with this file's profile.
    let other = p.secret_for("REDIS_PASSWORD").unwrap();
    assert_eq!(p.requirements(other, None).min_length, Some(24));
    assert!(p.environment_named("production").is_some());
    let d = first_error("extends = \"recomended\"\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `recommended`?"));
}

#[test]
fn toml_syntax_errors_have_spans() {
    let d = first_error("version = 1\n[environments\n");
    assert!(d.span.is_some());
}

#[test]
fn durations_must_be_days_or_weeks() {
    let d = first_error("[[secrets]]\nnames = [\"A_KEY\"]\nrotate_every = \"1 month\"\n");
    assert!(d.message.contains("months or years"), "{}", d.message);
}

#[test]
fn namespaces_place_manifests_and_belong_to_one_environment() {
    let p = load(
        "[environments.production]\nnamespaces = [\"prod\", \"production\"]\n\
         [environments.staging]\nfiles = [\"k8s/staging/*.yaml\"]\nnamespaces = [\"staging\"]\n",
    )
    .unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    assert!(p.places_by_namespace());
    assert_eq!(p.environment_for_namespace("production"), Some(0));
    assert_eq!(p.environment_for_namespace("staging"), Some(1));
    assert_eq!(p.environment_for_namespace("default"), None);
    assert!(!Policy::recommended().places_by_namespace());

    let text = "[environments.production]\nnamespaces = [\"prod\"]\n[environments.staging]\nnamespaces = [\"qa\", \"prod\"]\n";
    let d = first_error(text);
    assert_eq!(
        d.message,
        "namespace `prod` is already listed by environment `production`"
    );
    assert_eq!(&text[d.span.unwrap().range()], "\"prod\"");

    let text = "[environments.production]\nnamespaces = []\n";
    assert_eq!(
        first_error(text).message,
        "environment `production` has no `files`"
    );
}
