//! `secretlint fix`, `rotate KEY`, `restore` and `backups` end to end: fix then check finds
//! nothing fixable, only value bytes change (golden files), restore gives back exact bytes and
//! modes, backups decrypt with the right identity only, the lock and the symlink policy hold.

use std::collections::BTreeMap;

use secretlint_engine::document::{Document, DocumentKind};

use crate::jobswipe::{jobswipe, policy_arg};
use crate::{Sandbox, walk};

/// A fresh age identity: (the identity file's text, the recipient).
pub fn identity() -> (String, String) {
    let (secret, recipient) = secretlint_engine::backup::generate_identity();
    (format!("{}\n", secret.expose()), recipient)
}

/// Every file of the sandbox outside `.secretlint`, with its bytes and mode.
pub fn files(s: &Sandbox) -> BTreeMap<String, (Vec<u8>, u32)> {
    walk(s.path())
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == ".secretlint"))
        .map(|p| {
            let rel = p
                .strip_prefix(s.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, (std::fs::read(&p).unwrap(), mode(&p)))
        })
        .collect()
}

pub fn mode(p: &std::path::Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = p;
        0
    }
}

fn check_json(s: &Sandbox, policy: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(policy);
    let out = s.run(&args);
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out}"));
    v["findings"].as_array().unwrap().clone()
}

#[test]
fn fix_then_check_reports_nothing_fixable_on_the_jobswipe_fixture() {
    let s = jobswipe();
    let policy = policy_arg();
    let (_, recipient) = identity();
    let out = s.run(&[
        "fix",
        "--policy",
        &policy,
        "--include-expiring",
        "--recipient",
        &recipient,
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("manual: `VAULT_TOKEN` in `ops/.env.production` (too-short)"),
        "external secrets are listed, never invented: {out}"
    );
    let findings = check_json(&s, &["--policy", &policy]);
    let fixable: Vec<_> = findings
        .iter()
        .filter(|f| f["fix"]["applicability"] == "safe")
        .collect();
    assert!(fixable.is_empty(), "still fixable: {fixable:#?}");
    // What is left needs a person: planted problems no tool may decide.
    for f in &findings {
        let rule = f["rule"].as_str().unwrap();
        assert!(
            [
                "duplicate-key",
                "syntax-error",
                "undeclared-secret",
                "stale-metadata",
                "too-short"
            ]
            .contains(&rule),
            "{f:#}"
        );
        if rule == "too-short" {
            assert_eq!(f["key"], "VAULT_TOKEN");
        }
    }
    // A shared secret has one new value in every file of its environment.
    let value = |path: &str, key: &str| {
        let text = std::fs::read_to_string(s.path().join(path)).unwrap();
        let doc = Document::parse(DocumentKind::Env, &text);
        doc.entries
            .iter()
            .rev()
            .find(|e| e.key == key)
            .map(|e| e.value.expose().to_owned())
            .unwrap()
    };
    let shared = value("api/.env.production", "ANALYTICS_API_KEY");
    assert_eq!(
        value("analytics/.env.production", "ANALYTICS_API_KEY"),
        shared
    );
    assert_eq!(
        value("automation/.env.production", "ANALYTICS_API_KEY"),
        shared
    );
    // The password inside DATABASE_URL follows POSTGRES_PASSWORD.
    let password = value("api/.env.production", "POSTGRES_PASSWORD");
    assert!(value("api/.env.production", "DATABASE_URL").contains(&format!(":{password}@")));
    // The hand-kept date moved with the rotation, and the ledger knows the rest.
    let api = std::fs::read_to_string(s.path().join("api/.env.production")).unwrap();
    assert!(
        api.contains("# rotated: 2026-11-30\nPOSTGRES_PASSWORD="),
        "{api}"
    );
    assert!(
        !api.contains("\nSECRET_KEY_PREVIOUS="),
        "the expired companion is gone"
    );
    let ledger = std::fs::read_to_string(s.path().join(".secretlint/rotations.toml")).unwrap();
    assert!(
        ledger.contains(
            "file = \"api/.env.production\"\nkey = \"JWT_SECRET_KEY\"\nrotated = 2026-11-30T00:00:00Z\nby = \"fix\""
        ),
        "{ledger}"
    );
    assert!(
        ledger.contains("previous_until = 2026-12-07T00:00:00Z"),
        "{ledger}"
    );
    let audit = std::fs::read_to_string(s.path().join(".secretlint/audit.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.iter().all(|e| e["backup"].is_string()));
    assert!(events.iter().any(|e| e["action"] == "remove-previous"
        && e["key"] == "SECRET_KEY_PREVIOUS"
        && e["reason"] == "previous-expired"));
    assert!(events.iter().any(|e| e["action"] == "rotate"
        && e["key"] == "ENCRYPTION_SALT"
        && e["environment"] == "production"));
    assert_eq!(
        super::fix::mode(&s.path().join("ops/.env.production")),
        0o600,
        "insecure-permissions is fixed with chmod 600"
    );
    // A second run has nothing left to do.
    let again = s.run(&["fix", "--policy", &policy, "--recipient", &recipient]);
    assert_eq!(again.code, 0, "{again}");
    assert!(again.stdout.contains("nothing to fix"), "{again}");
}

#[test]
fn dry_run_shows_a_masked_diff_and_writes_nothing() {
    let s = jobswipe();
    let before = files(&s);
    let out = s.run(&["fix", "--dry-run", "--policy", &policy_arg()]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(files(&s), before, "a dry run writes nothing");
    assert!(!s.path().join(".secretlint/backups").exists());
    insta::assert_snapshot!(out.to_string());
}

/// The file with every value that changed replaced by `‹KEY›` (the password inside a URL by
/// `‹KEY#password›`), CRs shown as `␍` and a BOM as `<BOM>`: what must stay byte for byte.
fn skeleton(old: &str, new: &str) -> String {
    let old_doc = Document::parse(DocumentKind::Env, old);
    let doc = Document::parse(DocumentKind::Env, new);
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    for e in &doc.entries {
        let before = old_doc.entries.iter().rev().find(|o| o.key == e.key);
        if e.has_references || before.is_some_and(|b| b.value == e.value) {
            continue;
        }
        let v = e.value.expose();
        match secretlint_engine::value::url_parts(v).and_then(|p| p.password) {
            Some(r) => spans.push((
                e.inner_value_span.start + r.start,
                e.inner_value_span.start + r.end,
                format!("‹{}#password›", e.key),
            )),
            None => spans.push((
                e.inner_value_span.start,
                e.inner_value_span.end,
                format!("‹{}›", e.key),
            )),
        }
    }
    spans.sort();
    let mut out = String::new();
    let mut at = 0;
    for (start, end, label) in spans {
        out.push_str(&new[at..start]);
        out.push_str(&label);
        at = end;
    }
    out.push_str(&new[at..]);
    out.replace('\u{feff}', "<BOM>").replace('\r', "␍")
}

fn golden() -> Sandbox {
    let s = Sandbox::new();
    s.copy("tests/fixtures/fix/golden", "");
    s.chmod("crlf/.env.production", 0o644);
    s.chmod("url/.env.production", 0o640);
    s
}

#[test]
fn golden_files_only_value_bytes_change() {
    let s = golden();
    let before = files(&s);
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    let after = files(&s);
    for name in [
        "quotes/.env.production",
        "crlf/.env.production",
        "url/.env.production",
    ] {
        let old = String::from_utf8(before[name].0.clone()).unwrap();
        let new = String::from_utf8(after[name].0.clone()).unwrap();
        assert_ne!(old, new);
        insta::assert_snapshot!(name.replace('/', "_"), skeleton(&old, &new));
        // A kept previous value is the old value, byte for byte.
        let (a, b) = (
            Document::parse(DocumentKind::Env, &old),
            Document::parse(DocumentKind::Env, &new),
        );
        let get = |d: &Document, k: &str| {
            d.entries
                .iter()
                .find(|e| e.key == k)
                .map(|e| e.value.expose().to_owned())
        };
        if let Some(previous) = get(&b, "SESSION_KEY_PREVIOUS") {
            assert_eq!(Some(previous), get(&a, "SESSION_KEY"), "{name}");
        }
        assert_eq!(after[name].1, 0o600, "{name} is restricted to its owner");
    }
    assert_eq!(after["secretlint.toml"], before["secretlint.toml"]);
    let findings = check_json(&s, &[]);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn restore_gives_back_exact_bytes_modes_and_ledger_entries() {
    let s = golden();
    let (secret, recipient) = identity();
    std::fs::write(s.path().join("id.txt"), &secret).unwrap();
    let before = files(&s);
    let out = s.run(&["fix", "--recipient", &recipient]);
    assert_eq!(out.code, 0, "{out}");
    assert_ne!(files(&s), before);
    let ledger_after_fix =
        std::fs::read_to_string(s.path().join(".secretlint/rotations.toml")).unwrap();
    assert!(ledger_after_fix.contains("SESSION_KEY"));

    // An encrypted backup needs an identity; a wrong one fails cleanly and changes nothing.
    let (other, _) = identity();
    std::fs::write(s.path().join("other.txt"), &other).unwrap();
    let fixed = files(&s);
    let out = s.run(&["restore", "--recipient", &recipient]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("is encrypted: pass `--identity FILE`"),
        "{out}"
    );
    let out = s.run(&["restore", "-i", "other.txt", "--recipient", &recipient]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("none of the given identities is a recipient of this backup"),
        "{out}"
    );
    assert_eq!(files(&s), fixed);

    let out = s.run(&["restore", "-i", "id.txt", "--recipient", &recipient]);
    assert_eq!(out.code, 0, "{out}");
    let mut restored = files(&s);
    restored.remove("other.txt");
    assert_eq!(restored, before, "every byte and mode is back");
    assert!(
        out.stdout
            .contains("restored `crlf/.env.production` (mode 644)"),
        "{out}"
    );
    // The ledger entries of the touched keys are back as they were: none.
    let ledger = std::fs::read_to_string(s.path().join(".secretlint/rotations.toml")).unwrap();
    assert!(!ledger.contains("SESSION_KEY"), "{ledger}");
    // The restore backed up the state it replaced: restoring that undoes the restore.
    let out = s.run(&["backups"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("-0001  fix "), "{out}");
    assert!(out.stdout.contains("-0002  restore "), "{out}");
    assert!(out.stdout.contains("complete"), "{out}");
    let out = s.run(&["restore", "-i", "id.txt", "--recipient", &recipient]);
    assert_eq!(out.code, 0, "{out}");
    let mut again = files(&s);
    again.remove("other.txt");
    let mut fixed_state = fixed.clone();
    fixed_state.remove("other.txt");
    assert_eq!(again, fixed_state);
}

#[test]
fn restore_refuses_a_file_changed_since_unless_forced() {
    let s = golden();
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    s.write(
        "url/.env.production",
        "POSTGRES_PASSWORD=edited-by-hand-after\n",
    );
    let out = s.run(&["restore", "--plaintext-backup"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("`url/.env.production` changed after backup"),
        "{out}"
    );
    let out = s.run(&["restore", "--plaintext-backup", "--force"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn no_recipient_means_no_change_unless_plaintext_is_asked_for() {
    let s = golden();
    let before = files(&s);
    let out = s.run(&["fix"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("no age recipient"), "{out}");
    assert_eq!(files(&s), before);
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    let dir = s.path().join(".secretlint/backups");
    let bodies: Vec<_> = walk(&dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with("-0001.json"))
        .collect();
    assert_eq!(bodies.len(), 1);
    assert_eq!(mode(&bodies[0]), 0o600);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*"),
        "the backup directory keeps itself out of git"
    );
}

#[test]
fn the_policy_names_backup_recipients() {
    let s = golden();
    let (_, recipient) = identity();
    let policy = std::fs::read_to_string(s.path().join("secretlint.toml")).unwrap();
    s.write(
        "secretlint.toml",
        &format!("{policy}\n[backup]\nrecipients = [\"{recipient}\"]\n"),
    );
    let out = s.run(&["fix"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("(encrypted to 1 recipient)"), "{out}");
    s.write(
        "secretlint.toml",
        &format!("{policy}\n[backup]\nrecipients = [\"age1nope\"]\n"),
    );
    let out = s.run(&["fix"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("invalid age recipient `age1nope`"),
        "{out}"
    );
}

#[test]
fn a_second_run_waits_for_the_lock() {
    let s = golden();
    let lock = secretlint_engine::lock::acquire(&s.path().join(".secretlint/lock")).unwrap();
    let before = files(&s);
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("another `secretlint` run is changing this repository"),
        "{out}"
    );
    assert_eq!(files(&s), before);
    drop(lock);
    assert_eq!(s.run(&["fix", "--plaintext-backup"]).code, 0);
}

#[cfg(unix)]
#[test]
fn symlinks_are_written_through_inside_the_repository_and_never_outside() {
    let outside = tempfile::tempdir().unwrap();
    let s = golden();
    // Inside: `link/.env.production` points at `quotes/.env.production`.
    std::fs::create_dir_all(s.path().join("link")).unwrap();
    std::os::unix::fs::symlink(
        "../quotes/.env.production",
        s.path().join("link/.env.production"),
    )
    .unwrap();
    // Outside: `ext/.env.production` points out of the repository.
    let target = outside.path().join(".env.production");
    std::fs::write(&target, "EXT_TOKEN=weak\n").unwrap();
    std::fs::create_dir_all(s.path().join("ext")).unwrap();
    std::os::unix::fs::symlink(&target, s.path().join("ext/.env.production")).unwrap();
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 1, "the outside file is a failed fix: {out}");
    assert!(
        out.stdout
            .contains("`ext/.env.production` is a symlink to a file outside the repository"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "EXT_TOKEN=weak\n"
    );
    let link = s.path().join("link/.env.production");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&link).unwrap();
    assert!(
        !text.contains("changeme"),
        "the target was fixed through the link"
    );
}

#[test]
fn rotate_key_rotates_a_compliant_secret_on_demand() {
    let s = jobswipe();
    let policy = policy_arg();
    let (_, recipient) = identity();
    let read = |p: &str| std::fs::read_to_string(s.path().join(p)).unwrap();
    let before_ingestion = read("ingestion/.env.staging");
    let out = s.run(&[
        "rotate",
        "INGESTION_API_KEY",
        "--env",
        "staging",
        "--policy",
        &policy,
        "--recipient",
        &recipient,
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "rotated `INGESTION_API_KEY` in staging: `api/.env.staging`, `ingestion/.env.staging` (on-demand)"
        ),
        "{out}"
    );
    assert_ne!(read("ingestion/.env.staging"), before_ingestion);
    let audit = read(".secretlint/audit.jsonl");
    assert!(audit.contains("\"reason\":\"on-demand\""), "{audit}");
    let out = s.run(&[
        "rotate",
        "VAULT_TOKEN",
        "--env",
        "staging",
        "--policy",
        &policy,
    ]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("issued externally"), "{out}");
    let out = s.run(&[
        "rotate",
        "NOPE_KEY",
        "--policy",
        &policy,
        "--recipient",
        &recipient,
    ]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout.contains("no checked file defines `NOPE_KEY`"),
        "{out}"
    );
}

/// `old` and `new` with the values of `changed` keys replaced by `‹KEY›` (inner spans, so
/// quotes stay), CRs shown as `␍`: equal skeletons mean every other byte is unchanged.
fn manifest_skeleton(kind: DocumentKind, text: &str, changed: &[&str]) -> String {
    let doc = Document::parse(kind, text);
    let mut spans: Vec<_> = doc
        .entries
        .iter()
        .filter(|e| changed.contains(&e.key.as_str()))
        .map(|e| (e.inner_value_span, format!("‹{}›", e.key)))
        .collect();
    spans.sort_by_key(|(s, _)| s.start);
    let mut out = String::new();
    let mut at = 0;
    for (span, label) in spans {
        out.push_str(&text[at..span.start]);
        out.push_str(&label);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out.replace('\r', "␍")
}

/// Key -> value as the engine reads a file back (a Secret's `data` decoded from base64).
fn read_values(s: &Sandbox, path: &str, kind: DocumentKind) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(s.path().join(path)).unwrap();
    let doc = Document::parse(kind, &text);
    assert!(doc.errors.is_empty(), "{path} reads back without errors");
    doc.entries
        .iter()
        .map(|e| (e.key.clone(), e.value.expose().to_owned()))
        .collect()
}

const MANIFEST_POLICY: &str = r#"version = 1

[environments.production]
files = ["**/.env.production", "k8s/**/*.yaml"]

[environments.development]
files = ["docker-compose.yml"]
relaxed = true

[profiles.key]
min_length = 32
min_entropy_bits = 128
generate = { charset = "base64url", length = 48 }

[profiles.password]
min_length = 16
min_entropy_bits = 80
generate = { charset = "password", length = 32 }

[[secrets]]
names = ["SECRET_KEY"]
profile = "key"

[[secrets]]
names = ["*_API_KEY"]
profile = "key"
scope = "shared"

[[secrets]]
names = ["*_PASSWORD"]
profile = "password"
"#;

/// A Kubernetes Secret (`data` base64, `stringData` plain, single- and double-quoted, CRLF)
/// and a compose file (`environment` as a map and as a list, quoted and not): `fix` writes
/// each value in its own encoding, every other byte stays, and the files read back with the
/// new values — the same value where an env file and a manifest share it.
#[test]
fn manifests_are_rewritten_in_their_own_encoding() {
    let s = Sandbox::new();
    s.write("secretlint.toml", MANIFEST_POLICY);
    // Fake weak values, written for this test.
    s.write(
        "api/.env.production",
        "SECRET_KEY=tooshort-signing1\nBILLING_API_KEY=changeme\n",
    );
    // `dG9vc2hvcnQtc2lnbmluZzE=` is base64 of the env file's SECRET_KEY: a mirror.
    s.write(
        "k8s/secret.yaml",
        "# The API's Secret.\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ntype: Opaque\n\
         data:\n  SECRET_KEY: dG9vc2hvcnQtc2lnbmluZzE=   # mirrors api/.env.production\n  \
         OTHER: bm90LWEtc2VjcmV0\nstringData:\n  BILLING_API_KEY: changeme\n  \
         SEARCH_API_KEY: 'short-search-key'\n  MAIL_API_KEY: \"short-mail-key\"\n",
    );
    s.write(
        "k8s/crlf.yaml",
        "apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: worker\r\ndata:\r\n  \
         WORKER_API_KEY: c2hvcnQtd29ya2VyLWtleQ==\r\nstringData:\r\n  \
         FLOW_API_KEY: \"short-flow\"\r\n",
    );
    s.write(
        "docker-compose.yml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      \
         - POSTGRES_USER=app\n      - POSTGRES_PASSWORD=weakpass1\n      \
         - \"REPLICA_PASSWORD=weakpass2\"\n  grafana:\n    image: grafana/grafana:11\n    \
         environment:\n      GRAFANA_ADMIN_PASSWORD: admin123\n      \
         REDIS_PASSWORD: \"redis-weak\"   # quoted\n      CACHE_PASSWORD: 'cache-weak'\n",
    );
    let before = files(&s);
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "rotated `SECRET_KEY` in production: `api/.env.production`, `k8s/secret.yaml` (too-short)"
        ),
        "{out}"
    );
    assert!(
        out.stdout.contains(
            "rotated `BILLING_API_KEY` in production: `api/.env.production`, `k8s/secret.yaml` (placeholder)"
        ),
        "{out}"
    );
    assert!(
        out.stdout.contains("fixed: 11 rotations in 4 files\n"),
        "{out}"
    );
    let after = files(&s);

    // Only the values' bytes changed: quotes, comments, indentation, CRLF are as they were.
    let cases: [(&str, DocumentKind, &[&str]); 3] = [
        (
            "k8s/secret.yaml",
            DocumentKind::KubernetesSecret,
            &[
                "SECRET_KEY",
                "BILLING_API_KEY",
                "SEARCH_API_KEY",
                "MAIL_API_KEY",
            ],
        ),
        (
            "k8s/crlf.yaml",
            DocumentKind::KubernetesSecret,
            &["WORKER_API_KEY", "FLOW_API_KEY"],
        ),
        (
            "docker-compose.yml",
            DocumentKind::Compose,
            &[
                "POSTGRES_PASSWORD",
                "REPLICA_PASSWORD",
                "GRAFANA_ADMIN_PASSWORD",
                "REDIS_PASSWORD",
                "CACHE_PASSWORD",
            ],
        ),
    ];
    for (path, kind, changed) in cases {
        let old = String::from_utf8(before[path].0.clone()).unwrap();
        let new = String::from_utf8(after[path].0.clone()).unwrap();
        assert_ne!(old, new, "{path}");
        assert_eq!(
            manifest_skeleton(kind, &new, changed),
            manifest_skeleton(kind, &old, changed),
            "{path}: only values change"
        );
        let (old_values, new_values) = (
            Document::parse(kind, &old)
                .entries
                .into_iter()
                .map(|e| (e.key, e.value.expose().to_owned()))
                .collect::<BTreeMap<_, _>>(),
            read_values(&s, path, kind),
        );
        assert_eq!(
            old_values.keys().collect::<Vec<_>>(),
            new_values.keys().collect::<Vec<_>>()
        );
        for (key, value) in &new_values {
            assert_eq!(
                value != &old_values[key],
                changed.contains(&key.as_str()),
                "{path}: `{key}` changed exactly when it was rotated"
            );
        }
        assert_eq!(after[path].1, before[path].1, "{path} keeps its mode");
    }
    let crlf = String::from_utf8(after["k8s/crlf.yaml"].0.clone()).unwrap();
    assert_eq!(crlf.matches("\r\n").count(), crlf.matches('\n').count());

    // A Secret's `data` holds base64 of the new value, the same one the env file got, and
    // `stringData` the plain text; the shared key has one value in production.
    let env = read_values(&s, "api/.env.production", DocumentKind::Env);
    let secret = read_values(&s, "k8s/secret.yaml", DocumentKind::KubernetesSecret);
    assert_eq!(secret["SECRET_KEY"], env["SECRET_KEY"]);
    assert_eq!(secret["BILLING_API_KEY"], env["BILLING_API_KEY"]);
    assert_eq!(secret["SECRET_KEY"].len(), 48);
    assert_eq!(secret["OTHER"], "not-a-secret");
    let raw = String::from_utf8(after["k8s/secret.yaml"].0.clone()).unwrap();
    assert!(
        !raw.contains(&env["SECRET_KEY"]),
        "`data` is written base64-encoded, not in clear"
    );
    let compose = read_values(&s, "docker-compose.yml", DocumentKind::Compose);
    assert_eq!(compose["POSTGRES_USER"], "app");
    assert!(compose["POSTGRES_PASSWORD"].len() == 32 && compose["REDIS_PASSWORD"].len() == 32);

    // Read back by the checker: nothing is left to fix.
    let findings = check_json(&s, &[]);
    assert!(findings.is_empty(), "{findings:#?}");
    // No output names a value, old or new.
    for value in env.values().chain(secret.values()).chain(compose.values()) {
        if value.len() >= 6 {
            assert!(!out.stdout.contains(value.as_str()) && !out.stderr.contains(value.as_str()));
        }
    }
}

/// What `fix` refuses in a manifest, and says so: a block scalar is never rewritten, a key
/// is never added to a manifest; the rest of the run goes ahead.
#[test]
fn manifest_rewrites_it_cannot_do_are_reported_not_guessed() {
    let s = Sandbox::new();
    s.write("secretlint.toml", MANIFEST_POLICY);
    s.write(
        "k8s/block.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: block\nstringData:\n  \
         BLOCK_API_KEY: |\n    short-block-key\n  FLOW_API_KEY: short-flow\n",
    );
    let before = files(&s)["k8s/block.yaml"].0.clone();
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 1, "a fix that failed is exit 1: {out}");
    assert!(
        out.stdout.contains(
            "error: not fixed: `BLOCK_API_KEY` in `k8s/block.yaml`: YAML block scalars are not rewritten; change this value by hand\n"
        ),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("fixed: 1 rotation in 1 file; 1 fix failed\n"),
        "{out}"
    );
    let text = std::fs::read_to_string(s.path().join("k8s/block.yaml")).unwrap();
    assert_ne!(text.as_bytes(), before.as_slice());
    assert!(text.contains("  BLOCK_API_KEY: |\n    short-block-key\n"));
}

/// A generated password with a character a URL's userinfo cannot hold as it is (base64's
/// `/`) is written into `DATABASE_URL` percent-encoded, and decodes to the password.
#[test]
fn a_linked_url_password_is_percent_encoded() {
    let s = Sandbox::new();
    s.write(
        "secretlint.toml",
        r#"version = 1

[environments.production]
files = ["**/.env.production"]

[profiles.password]
min_length = 16
min_entropy_bits = 80
generate = { charset = "base64", length = 64 }

[profiles.url]
format = "postgres-url"

[[secrets]]
names = ["POSTGRES_PASSWORD"]
profile = "password"

[[secrets]]
names = ["DATABASE_URL"]
profile = "url"

[[links]]
part = "DATABASE_URL#password"
equals = "POSTGRES_PASSWORD"
"#,
    );
    s.write(
        "api/.env.production",
        "POSTGRES_PASSWORD=weakpass1\nDATABASE_URL=postgres://app:weakpass1@db:5432/app\n",
    );
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("the password inside `DATABASE_URL` in `api/.env.production` follows"),
        "{out}"
    );
    // Each base64 character is `/` one time in 64: rotate until a password holds one (a
    // run of 20 without is about one in 10^9), checking every URL written on the way.
    let mut escaped = false;
    for _ in 0..20 {
        let env = read_values(&s, "api/.env.production", DocumentKind::Env);
        let password = &env["POSTGRES_PASSWORD"];
        let url = &env["DATABASE_URL"];
        assert!(url.starts_with("postgres://app:") && url.ends_with("@db:5432/app"));
        let parts = secretlint_engine::value::url_parts(url).unwrap();
        let written = &url[parts.password.unwrap()];
        assert_eq!(secretlint_engine::value::percent_decode(written), *password);
        assert!(!written.contains(['/', '@', ':']), "escaped in the URL");
        if password.contains('/') {
            assert!(written.contains("%2F"));
            escaped = true;
            break;
        }
        let out = s.run(&["rotate", "POSTGRES_PASSWORD", "--plaintext-backup"]);
        assert_eq!(out.code, 0, "{out}");
    }
    assert!(escaped, "no generated password held a `/`");
    assert!(check_json(&s, &[]).is_empty());
}

/// The guide's `secretlint restore -i key.txt`, with no recipient given again: the state
/// being replaced is backed up to that identity, and restoring that backup undoes it.
#[test]
fn restore_with_only_an_identity_backs_up_to_that_identity() {
    let s = golden();
    let (secret, recipient) = identity();
    std::fs::write(s.path().join("id.txt"), &secret).unwrap();
    let before = files(&s);
    let out = s.run(&["fix", "--recipient", &recipient]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "; `secretlint restore 20261130T000000Z-0001 -i IDENTITY_FILE` undoes this run"
        ),
        "{out}"
    );
    let out = s.run(&["restore", "-i", "id.txt"]);
    assert_eq!(out.code, 0, "{out}");
    let mut restored = files(&s);
    restored.remove("id.txt");
    let mut expected = before.clone();
    expected.remove("id.txt");
    assert_eq!(restored, expected);
    let out = s.run(&["backups"]);
    assert!(
        out.stdout
            .contains("-0002  restore  complete  age (1 recipient)"),
        "{out}"
    );
    let out = s.run(&["restore", "-i", "id.txt"]);
    assert_eq!(
        out.code, 0,
        "the restore's own backup opens with the same key: {out}"
    );
    assert_ne!(
        files(&s)["quotes/.env.production"],
        expected["quotes/.env.production"]
    );
    // A plaintext backup gives no recipient to reuse: restoring it still asks for one.
    let s = golden();
    assert_eq!(s.run(&["fix", "--plaintext-backup"]).code, 0);
    let out = s.run(&["restore"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("no age recipient"), "{out}");
}

/// In a git repository the backup directory keeps itself out of git with its own
/// `.gitignore`; when someone changed that file so git would pick the backups up, `fix` says
/// so.
#[test]
fn a_backup_directory_git_would_commit_is_warned_about() {
    let git = |s: &Sandbox| {
        let status = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(s.path())
            .status()
            .expect("git runs");
        assert!(status.success());
    };
    let s = golden();
    git(&s);
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("in `.secretlint/backups`, ignored by git; `secretlint restore"),
        "{out}"
    );
    assert!(
        !out.stdout.contains("warning: git does not ignore"),
        "{out}"
    );

    let s = golden();
    git(&s);
    s.write(".secretlint/backups/.gitignore", "# kept by hand\n!*\n");
    let out = s.run(&["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "warning: git does not ignore `.secretlint/backups`; add it to `.gitignore` so backups are never committed"
        ),
        "{out}"
    );
    assert!(!out.stdout.contains("ignored by git;"), "{out}");
}
