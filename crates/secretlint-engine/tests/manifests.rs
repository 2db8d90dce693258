//! Manifests through the whole engine: a weak value in a Kubernetes Secret or a compose file
//! is reported on exactly the bytes of that value, a Secret is placed in an environment by
//! its namespace when the policy says so, and masked snippets never show a manifest's values.

use secretlint_engine::{CheckOptions, Input, Policy, PolicyOrigin, Report, Rule, check, mask};

const POLICY: &str = r#"
version = 1

[environments.production]
files = ["k8s/production/**/*.yaml"]
namespaces = ["prod", "production"]

[environments.development]
files = ["**/docker-compose.yml"]
relaxed = true

[profiles.signing-key]
min_length = 32
min_entropy_bits = 128
generate = { charset = "base64url", length = 64 }

[[secrets]]
names = ["SECRET_KEY", "*_SIGNING_KEY"]
profile = "signing-key"

[[secrets]]
names = ["POSTGRES_PASSWORD", "DATABASE_URL"]

[[links]]
part = "DATABASE_URL#password"
equals = "POSTGRES_PASSWORD"
"#;

fn run(files: &[(&str, &str)]) -> Report {
    let policy = Policy::from_toml(POLICY, PolicyOrigin::File("secretlint.toml".into()))
        .unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    let inputs = files.iter().map(|(p, t)| Input::text(*p, *t)).collect();
    check(&policy, inputs, &CheckOptions::default())
}

/// `(path, rule, the bytes the finding underlines)` for every finding.
fn underlined(report: &Report) -> Vec<(&str, Rule, &str)> {
    report
        .findings
        .iter()
        .map(|f| {
            let file = report.file(f);
            (file.path.as_str(), f.rule, &file.text[f.span.range()])
        })
        .collect()
}

const SECRET: &str = "apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: api\r\n  namespace: prod\r\ndata:\r\n  SECRET_KEY: ZGV2LXNlY3JldA== # dev-secret\r\nstringData:\r\n  API_SIGNING_KEY: 'short''quoted'\r\n";

const COMPOSE: &str = "services:\n  api:\n    environment:\n      SECRET_KEY: \"weak\"\n      API_SIGNING_KEY: ${API_SIGNING_KEY}\n  worker:\n    environment:\n      - SECRET_KEY=also-weak\n      - POSTGRES_PASSWORD=Q4y9T2mVb7Lk3Rz8\n      - DATABASE_URL=postgres://app:other@db/app\n";

#[test]
fn weak_values_are_underlined_exactly() {
    let report = run(&[
        ("k8s/production/api-secret.yaml", SECRET),
        ("docker-compose.yml", COMPOSE),
    ]);
    assert_eq!(
        underlined(&report),
        [
            ("docker-compose.yml", Rule::TooShort, "\"weak\""),
            ("docker-compose.yml", Rule::TooShort, "also-weak"),
            ("docker-compose.yml", Rule::LinkedMismatch, "other"),
            (
                "k8s/production/api-secret.yaml",
                Rule::TooShort,
                "ZGV2LXNlY3JldA=="
            ),
            (
                "k8s/production/api-secret.yaml",
                Rule::TooShort,
                "'short''quoted'"
            ),
        ]
    );
    // The same key in two services is not a duplicate; `${API_SIGNING_KEY}` comes from the
    // shell and is not judged.
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.rule == Rule::DuplicateKey || f.rule == Rule::EmptyValue)
    );
}

#[test]
fn a_secret_no_glob_places_is_placed_by_its_namespace() {
    let elsewhere = SECRET.replace("namespace: prod", "namespace: production");
    let unknown = SECRET.replace("namespace: prod", "namespace: sandbox");
    let report = run(&[
        ("deploy/api.yaml", &elsewhere),
        ("deploy/other.yaml", &unknown),
        ("k8s/production/api-secret.yaml", SECRET),
    ]);
    let env = |path: &str| {
        let file = report
            .files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path}"));
        file.environment
    };
    assert_eq!(env("deploy/api.yaml"), Some(0));
    assert_eq!(env("deploy/other.yaml"), None);
    assert_eq!(env("k8s/production/api-secret.yaml"), Some(0));
    let placed = report
        .findings
        .iter()
        .find(|f| report.file(f).path == "deploy/api.yaml");
    assert_eq!(
        placed.and_then(|f| f.environment.as_deref()),
        Some("production")
    );
}

#[test]
fn masked_manifests_show_no_value() {
    let bad = "kind: Secret\nstringData:\n  SECRET_KEY: visible-if-unmasked\ndata:\n  API_SIGNING_KEY: bm90LWJhc2U2NA*=\n";
    let report = run(&[
        ("k8s/production/api-secret.yaml", SECRET),
        ("docker-compose.yml", COMPOSE),
        ("k8s/production/bad.yaml", bad),
    ]);
    for file in &report.files {
        let masked = mask::masked_text(file);
        assert_eq!(masked.len(), file.text.len());
        for e in &file.document.entries {
            let raw = &file.text[e.raw_value_span.range()];
            if raw.len() > 3 {
                assert!(
                    !masked.contains(raw),
                    "{}: `{}` shows in a snippet",
                    file.path,
                    e.key
                );
            }
        }
        for secret in [
            "visible-if-unmasked",
            "bm90LWJhc2U2NA",
            "Q4y9T2mVb7Lk3Rz8",
            "also-weak",
        ] {
            assert!(
                !masked.contains(secret),
                "{}: a value shows in a snippet:\n{masked}",
                file.path
            );
        }
    }
    let bad_file = report
        .files
        .iter()
        .find(|f| f.path == "k8s/production/bad.yaml")
        .map(|f| &f.document);
    assert_eq!(bad_file.map(|d| d.errors.len()), Some(1));
}
