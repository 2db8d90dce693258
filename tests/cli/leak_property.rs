//! Leak-proof output as a property: random secret values are planted in a repository built
//! to trigger every rule that can point at a value (too short, reused, linked, shared, in a
//! template, on a broken line, on a line of its own, ...), every command and output format
//! is run over it, and no value, nor any 6-character slice of one, may appear in anything
//! the tool prints or writes: stdout, stderr, the rotation metadata and the audit log.
//!
//! The values change on every run; the seed is printed, and `SECRETLINT_LEAK_SEED=<seed>`
//! replays a failing run.

use std::path::Path;

use crate::hostile::{Bounded, run_bounded};

/// Characters of generated values: safe unquoted, in both quote styles and inside a URL's
/// userinfo, and never escaped by JSON, XML (JUnit, SARIF) or percent-encoding, so that a
/// leak shows up byte for byte.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

/// Rounds per test run: each is a fresh repository with fresh values.
const ROUNDS: u64 = 2;

/// A small deterministic generator (xorshift64*), so a seed replays a run exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value of `len` characters with at least one upper- and lowercase letter and digit.
    fn value(&mut self, len: usize) -> String {
        loop {
            let v: String = (0..len)
                .map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize] as char)
                .collect();
            if v.chars().any(|c| c.is_ascii_uppercase())
                && v.chars().any(|c| c.is_ascii_lowercase())
                && v.chars().any(|c| c.is_ascii_digit())
            {
                return v;
            }
        }
    }

    /// A value with only letters and digits (a token pasted as a key name looks like this).
    fn word(&mut self, len: usize) -> String {
        loop {
            let v = self.value(len);
            if v.chars().all(|c| c.is_ascii_alphanumeric()) {
                return v;
            }
        }
    }
}

/// The planted repository and every value in it.
struct Planted {
    dir: tempfile::TempDir,
    values: Vec<String>,
}

fn plant(rng: &mut Rng) -> Planted {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut values = Vec::new();
    let mut v = |len: usize| {
        let s = rng.value(len);
        values.push(s.clone());
        s
    };
    let strong = v(64);
    let jwt_short = v(12);
    let postgres = v(28);
    let url_password = v(28);
    let shared_a = v(48);
    let salt = v(64);
    let oauth = v(64);
    let enc_single = v(32);
    let undeclared = v(40);
    let grafana_first = v(24);
    let grafana_second = v(24);
    let unterminated = v(30);
    let multiline_a = v(20);
    let multiline_b = v(20);
    let vault_short = v(10);
    let previous = v(64);
    let staging_reused_keys = v(30);
    let shared_b = v(48);
    let dev_weak = v(8);
    let comment_suppressed = v(16);
    let bare = rng.word(40);
    let spaced = rng.word(36);
    values.extend([bare.clone(), spaced.clone()]);

    let files: Vec<(&str, String, u32)> = vec![
        ("secretlint.toml", "extends = \"jobswipe\"\n".into(), 0o644),
        (
            "api/.env.production",
            format!(
                "# rotated: 2026-11-20\n\
                 SECRET_KEY={strong}\n\
                 JWT_SECRET_KEY={jwt_short}\n\
                 # rotated: 2026-01-01\n\
                 SECRET_KEY_PREVIOUS={previous}\n\
                 POSTGRES_PASSWORD={postgres}\n\
                 DATABASE_URL=postgres://app:{url_password}@db.internal:5432/app\n\
                 ANALYTICS_API_KEY={shared_a}\n\
                 ENCRYPTION_SALT={salt}\n\
                 OAUTH_STATE_SECRET=\"{oauth}\"\n\
                 ENCRYPTION_PASSWORD='{enc_single}'\n\
                 UNDECLARED_SERVICE_TOKEN={undeclared}\n\
                 GRAFANA_ADMIN_PASSWORD={grafana_first}\n\
                 GRAFANA_ADMIN_PASSWORD={grafana_second}\n\
                 VAULT_TOKEN={vault_short} # secretlint-ignore too-short: issued by Vault\n\
                 PRIVATE_KEY=\"{multiline_a}\n{multiline_b}\"\n\
                 {bare}\n\
                 PASTED {spaced}\n\
                 LAST_SECRET=\"{unterminated}\n"
            ),
            // Readable by others: `insecure-permissions`.
            0o644,
        ),
        (
            "api/.env.staging",
            format!(
                "SECRET_KEY={strong}\n\
                 POSTGRES_PASSWORD={staging_reused_keys}\n\
                 ENCRYPTION_PASSWORD={staging_reused_keys}\n\
                 ANALYTICS_API_KEY={shared_b}\n"
            ),
            0o600,
        ),
        (
            "web/.env.production",
            format!("ANALYTICS_API_KEY={shared_b}\nSECRET_KEY={comment_suppressed}\n"),
            0o600,
        ),
        (
            "api/.env.example",
            format!("SECRET_KEY={strong}\nJWT_SECRET_KEY=\nPOSTGRES_PASSWORD=changeme\n"),
            0o644,
        ),
        ("api/.env", format!("SECRET_KEY={dev_weak}\n"), 0o600),
        (
            ".secretlint/rotations.toml",
            "version = 1\n\n[[rotation]]\nfile = \"api/.env.production\"\n\
             key = \"POSTGRES_PASSWORD\"\nrotated = 2026-08-01T00:00:00Z\nby = \"fix\"\n"
                .into(),
            0o644,
        ),
    ];
    for (rel, text, mode) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    Planted { dir, values }
}

/// Slices that prose or numbers may contain by chance: only lowercase letters and dashes, or
/// only digits. Every other 6-character slice of a value must never appear.
fn is_common(slice: &str) -> bool {
    slice.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        || slice.chars().all(|c| c.is_ascii_digit())
}

/// Every value, or 6-character slice of one, found in `output`.
fn leaks(output: &str, values: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for v in values {
        if output.contains(v.as_str()) {
            found.push(format!("a whole value of {} characters", v.len()));
            continue;
        }
        for w in v.as_bytes().windows(6) {
            let slice = std::str::from_utf8(w).expect("ASCII");
            if !is_common(slice) && output.contains(slice) {
                found.push(format!(
                    "the slice `{slice}` of a {}-character value",
                    v.len()
                ));
                break;
            }
        }
    }
    found
}

fn assert_no_leak(what: &str, output: &str, values: &[String]) {
    let found = leaks(output, values);
    assert!(found.is_empty(), "{what} leaked: {found:?}\n{output}");
}

/// Every check-like command and format over the planted repository.
const RUNS: &[&[&str]] = &[
    &["check"],
    &["check", "--color", "always"],
    &["check", "--format", "json"],
    &["check", "--format", "sarif"],
    &["check", "--format", "github"],
    &["check", "--format", "junit"],
    &["check", "--deny", "warnings", "-j", "1"],
    &["check", "api/.env.production"],
    &["check", "api/.env.production", "--format", "json"],
    &["check", "--age-from-git"],
    &["due"],
    &["due", "--format", "json"],
    &["due", "--within", "400d"],
    &["baseline"],
    &["fix", "--dry-run"],
    &[
        "fix",
        "--dry-run",
        "--include-expiring",
        "api/.env.production",
    ],
    &["rotate", "SECRET_KEY", "--dry-run"],
    &["backups"],
    // `explain` reads no file, but it is output too.
    &["explain"],
    &["explain", "linked-mismatch"],
];

fn run_all(dir: &Path, values: &[String]) -> Vec<Bounded> {
    let mut outputs = Vec::new();
    for args in RUNS {
        let out = run_bounded(dir, args);
        assert!(
            !out.stdout.is_empty() || !out.stderr.is_empty(),
            "`{}` printed nothing",
            args.join(" ")
        );
        let all = format!("{}{}", out.stdout, out.stderr);
        assert_no_leak(&format!("`secretlint {}`", args.join(" ")), &all, values);
        outputs.push(out);
    }
    outputs
}

#[test]
fn no_random_value_appears_in_any_command_format_or_written_file() {
    let seed = std::env::var("SECRETLINT_LEAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    eprintln!("leak property: seed {seed} (replay with SECRETLINT_LEAK_SEED={seed})");
    let mut rng = Rng(seed | 1);
    for round in 0..ROUNDS {
        let planted = plant(&mut rng);
        let dir = planted.dir.path();
        let values = &planted.values;
        let outputs = run_all(dir, values);

        // The repository really triggers the rules that point at values: a property over a
        // run that found nothing would prove nothing.
        let json: serde_json::Value =
            serde_json::from_str(&outputs[2].stdout).expect("JSON report");
        let rules: std::collections::BTreeSet<&str> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .collect();
        for rule in [
            "too-short",
            "reused-across-environments",
            "reused-across-keys",
            "inconsistent-across-files",
            "linked-mismatch",
            "bad-format",
            "duplicate-key",
            "syntax-error",
            "undeclared-secret",
            "insecure-permissions",
            "stale",
            "previous-expired",
        ] {
            assert!(
                rules.contains(rule),
                "round {round}: no `{rule}` in {rules:?}"
            );
        }

        // Writing commands: what they print and what they write.
        let out = run_bounded(dir, &["rotate", "--record", "POSTGRES_PASSWORD"]);
        assert_eq!(out.code, 0, "{out:?}");
        assert_no_leak(
            "`secretlint rotate --record`",
            &format!("{}{}", out.stdout, out.stderr),
            values,
        );
        for written in [".secretlint/rotations.toml", ".secretlint/audit.jsonl"] {
            let text = std::fs::read_to_string(dir.join(written)).expect("written file");
            assert!(text.contains("POSTGRES_PASSWORD"), "{written}: {text}");
            assert_no_leak(written, &text, values);
        }
        // The check and the calendar again, with the new metadata in place.
        for args in [&["check", "--format", "json"][..], &["due"]] {
            let out = run_bounded(dir, args);
            let all = format!("{}{}", out.stdout, out.stderr);
            assert_no_leak(
                &format!("`secretlint {}` after recording", args.join(" ")),
                &all,
                values,
            );
        }

        fix_and_restore(dir, values);
    }
}

/// `fix` for real (with a plaintext backup, so that the test needs no key), then `backups`
/// and `restore`: neither the old values nor the generated ones may appear in what they
/// print, in the rotation metadata or in the audit log. Backups hold the old values by
/// design; they must be readable by their owner only.
fn fix_and_restore(dir: &Path, planted: &[String]) {
    let before = env_values(dir);
    let out = run_bounded(dir, &["fix", "--plaintext-backup"]);
    assert_eq!(out.code, 0, "{out:?}");
    let generated: Vec<String> = env_values(dir)
        .into_iter()
        .filter(|v| !before.contains(v) && v.len() >= 16)
        .collect();
    assert!(!generated.is_empty(), "fix generated nothing: {out:?}");
    let mut values = planted.to_vec();
    values.extend(generated);
    assert_no_leak(
        "`secretlint fix`",
        &format!("{}{}", out.stdout, out.stderr),
        &values,
    );
    for args in [
        &["backups"][..],
        &["check", "--format", "json"],
        &["fix", "--dry-run"],
        &["restore", "--plaintext-backup"],
        &["backups"],
        &["due", "--format", "json"],
    ] {
        let out = run_bounded(dir, args);
        assert!(args[0] != "restore" || out.code == 0, "{out:?}");
        let all = format!("{}{}", out.stdout, out.stderr);
        assert_no_leak(&format!("`secretlint {}`", args.join(" ")), &all, &values);
    }
    for written in [".secretlint/rotations.toml", ".secretlint/audit.jsonl"] {
        let text = std::fs::read_to_string(dir.join(written)).expect("written file");
        assert_no_leak(&format!("{written} after fix and restore"), &text, &values);
    }
    crate::write_safety::assert_backups_private(dir);
}

/// Every value of every env file under `dir`, as the engine reads it.
fn env_values(dir: &Path) -> Vec<String> {
    let mut values = Vec::new();
    for file in crate::walk(dir) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        if !name.starts_with(".env") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let doc = secretlint_engine::document::Document::parse(
            secretlint_engine::document::DocumentKind::Env,
            &text,
        );
        values.extend(doc.entries.iter().map(|e| e.value.expose().to_owned()));
    }
    values
}

#[test]
fn the_leak_search_finds_whole_values_and_slices() {
    let mut rng = Rng(42);
    let value = rng.value(32);
    let values = [value.clone()];
    assert!(!leaks(&format!("x {value} y"), &values).is_empty());
    assert!(!leaks(&format!("x `{}` y", &value[10..16]), &values).is_empty());
    assert!(leaks(&format!("x `{}` y", &value[10..15]), &values).is_empty());
    assert!(leaks("error[too-short]: `SECRET_KEY` is too short", &values).is_empty());
}
