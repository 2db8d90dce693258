//! Hostile repositories: files nobody vetted, built at test time because git cannot hold most
//! of them (FIFOs, symlink loops, unreadable files, invalid UTF-8 names of env files).
//!
//! Every case is checked twice: alone beside a control file, and all together in one tree.
//! Each run must finish within [`LIMIT`] (the child is killed otherwise) under a memory limit,
//! report the documented finding on the hostile file, still check the control file, and exit
//! with the documented code. The outcomes are listed in docs/threat-model.md.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one run may take. The slowest case finishes in well under a second on a loaded
/// two-core machine; the limit only separates "finished" from "hung".
const LIMIT: Duration = Duration::from_secs(20);

/// The address-space limit of each run, in KiB (`ulimit -v`): a run that tried to hold a
/// blown-up alias tree or a file many times over would abort instead of passing.
const MEMORY_KIB: u64 = 4 << 20;

/// A file outside every hostile case, with a development warning (`too-short`) whose presence
/// proves the rest of the tree was still checked and whose severity leaves the exit code to
/// the hostile case.
const CONTROL: (&str, &str) = ("control/.env", "SECRET_KEY=ctl-secret\n");

/// The policy of every hostile tree: the built-in one, plus an environment for Kubernetes
/// manifests so that the YAML cases are read.
const POLICY: &str = "extends = \"recommended\"\n\
                      [environments.cluster]\n\
                      files = [\"k8s/**/*.yaml\"]\n";

/// A strong value: files that must be read fine carry it, so they add no finding of their own.
const STRONG: &str = "Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA-strong-fake-value";

/// What a bounded run printed, how it exited and how long it took.
#[derive(Debug)]
pub struct Bounded {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs the binary in `dir` with a time and a memory limit. The child is killed when the time
/// runs out and the test fails, so a hang cannot stall the suite.
pub fn run_bounded(dir: &Path, args: &[&str]) -> Bounded {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_secretlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SECRETLINT_NOW", "2026-11-30")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run secretlint");
    // Drained on threads: a child blocked on a full pipe would look like a hang.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`secretlint {}` did not finish within {LIMIT:?}: killed",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let out = Bounded {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
        elapsed,
    };
    assert!(
        !out.stderr.contains("internal error") && status.code().is_some(),
        "`secretlint {}` crashed: {out:?}",
        args.join(" ")
    );
    out
}

/// Whether this process can read anything whatever its mode (root, or a capability that
/// amounts to it): permission cases are meaningless then.
fn ignores_permissions(dir: &Path) -> bool {
    let probe = dir.join(".permission-probe");
    write(&probe, b"x");
    set_mode(&probe, 0o000);
    let readable = std::fs::read(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    readable
}

pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(path, bytes).expect("write");
    // Owner-only, so that no case adds an `insecure-permissions` finding of its own.
    set_mode(path, 0o600);
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

pub fn symlink(target: &str, link: &Path) {
    if let Some(parent) = link.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

fn mkfifo(path: &Path) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    // std has no mkfifo and the test crates forbid unsafe code; the coreutils tool does it.
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo failed");
}

/// Standard base64 with padding, as a Secret's `data` holds it.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A deterministic pseudo-random base64url string (xorshift), for large values.
fn noise(len: usize, seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHABET[(x % 64) as usize] as char
        })
        .collect()
}

/// One expected finding: on `path`, of `rule`, with a message containing `says`.
#[derive(Debug, Clone, Copy)]
struct Expect {
    path: &'static str,
    rule: &'static str,
    says: &'static str,
}

const fn expect(path: &'static str, rule: &'static str, says: &'static str) -> Expect {
    Expect { path, rule, says }
}

/// A hostile case: what it builds under the case's directory and what `check` must report.
struct Case {
    name: &'static str,
    build: fn(&Path),
    /// Findings on the case's own files (the control's warning is checked separately); an
    /// empty list means the case's files must raise nothing.
    findings: Vec<Expect>,
    /// Exit code when the case is checked alone with the control.
    code: i32,
    /// Needs a process that permissions apply to (not root).
    needs_permissions: bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a binary file named .env",
            build: |d| {
                let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
                bytes.extend((0..=255u8).cycle().take(4096));
                write(&d.join("binary/.env"), &bytes);
            },
            findings: vec![expect(
                "binary/.env",
                "unreadable-input",
                "binary file (NUL byte at offset 7)",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "invalid UTF-8",
            build: |d| {
                write(
                    &d.join("latin1/.env.production"),
                    b"# caf\xe9\nSECRET_KEY=dev-secret\n",
                );
            },
            findings: vec![expect(
                "latin1/.env.production",
                "unreadable-input",
                "not valid UTF-8 (byte 5, line 1)",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "NUL bytes in a text file",
            build: |d| {
                write(
                    &d.join("nul/.env.production"),
                    b"A=1\nSECRET_KEY=dev\0secret\n",
                );
            },
            findings: vec![expect(
                "nul/.env.production",
                "unreadable-input",
                "binary file (NUL byte at offset 18)",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a 5 MiB single-line value",
            build: |d| {
                let value = noise(5 << 20, 7);
                write(
                    &d.join("huge/.env.production"),
                    format!("SECRET_KEY={value}\n").as_bytes(),
                );
            },
            // Long and random: compliant. The point is that it is judged in bounded time.
            findings: vec![],
            code: 0,
            needs_permissions: false,
        },
        Case {
            name: "a 5 MiB single line that is not an assignment",
            build: |d| {
                // A token pasted without its key is a valid key name, with no `=` after it.
                let mut text = noise(5 << 20, 11).replace('-', "x");
                text.push_str("\nSECRET_KEY=dev-secret\n");
                write(&d.join("hugeline/.env.production"), text.as_bytes());
            },
            findings: vec![
                expect(
                    "hugeline/.env.production",
                    "syntax-error",
                    "the line has no `=`",
                ),
                expect("hugeline/.env.production", "too-short", "too short"),
            ],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a file over the 16 MiB read limit (sparse)",
            build: |d| {
                let path = d.join("sparse/.env.production");
                write(&path, b"");
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .expect("open");
                file.set_len(17 << 20).expect("set_len");
            },
            findings: vec![expect(
                "sparse/.env.production",
                "unreadable-input",
                "larger than 16 MiB",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a UTF-8 byte order mark",
            build: |d| {
                write(
                    &d.join("bom/.env.production"),
                    "\u{feff}SECRET_KEY=dev-secret\n".as_bytes(),
                );
            },
            // The BOM is skipped: the key is read, not reported as a syntax error.
            findings: vec![expect("bom/.env.production", "too-short", "too short")],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "CR-only line endings",
            build: |d| {
                write(
                    &d.join("cr/.env.production"),
                    format!("# classic Mac\rAPI_TOKEN={STRONG}\rSECRET_KEY=dev-secret\r")
                        .as_bytes(),
                );
            },
            findings: vec![expect("cr/.env.production", "too-short", "too short")],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "an unterminated quote at the top of a long file",
            build: |d| {
                let mut text = String::from("SECRET_KEY=\"never closed\n");
                for i in 0..20_000 {
                    text.push_str(&format!("SETTING_{i}=value-{i}\n"));
                }
                text.push_str("SESSION_SECRET=dev-secret\n");
                write(&d.join("quote/.env.production"), text.as_bytes());
            },
            // Only the opening line is lost; the last line is still read and judged.
            findings: vec![
                expect("quote/.env.production", "syntax-error", "quote"),
                expect("quote/.env.production", "too-short", "too short"),
            ],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a quote opened on every line",
            build: |d| {
                // Each quote closes on the next line: 10,000 two-line values, read once each.
                let text: String = (0..20_000).map(|i| format!("K{i}=\"\n")).collect();
                write(&d.join("quotes/.env.production"), text.as_bytes());
            },
            findings: vec![],
            code: 0,
            needs_permissions: false,
        },
        Case {
            name: "a symlink loop",
            build: |d| {
                symlink(".env.production", &d.join("loop/.env.production"));
                symlink(".env.staging.b", &d.join("loop/.env.staging"));
                symlink(".env.staging", &d.join("loop/.env.staging.b"));
            },
            findings: vec![
                expect(
                    "loop/.env.production",
                    "unreadable-input",
                    "too many levels of symbolic links",
                ),
                expect(
                    "loop/.env.staging",
                    "unreadable-input",
                    "too many levels of symbolic links",
                ),
                expect(
                    "loop/.env.staging.b",
                    "unreadable-input",
                    "too many levels of symbolic links",
                ),
            ],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a dangling symlink",
            build: |d| symlink("gone/.env.production", &d.join("dangling/.env.production")),
            findings: vec![expect(
                "dangling/.env.production",
                "unreadable-input",
                "broken symlink",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a symlink to a device",
            build: |d| symlink("/dev/zero", &d.join("device/.env.production")),
            findings: vec![expect(
                "device/.env.production",
                "unreadable-input",
                "not a regular file",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a directory cycle through symlinks",
            build: |d| {
                write(
                    &d.join("cycle/a/.env.production"),
                    format!("SECRET_KEY={STRONG}\n").as_bytes(),
                );
                symlink("..", &d.join("cycle/a/up"));
                symlink("../a", &d.join("cycle/a/again"));
                symlink("../../cycle", &d.join("cycle/a/b/root"));
            },
            // Directory symlinks are not followed: the walk ends, the real file is read once.
            findings: vec![],
            code: 0,
            needs_permissions: false,
        },
        Case {
            name: "a FIFO named .env.production",
            build: |d| mkfifo(&d.join("fifo/.env.production")),
            findings: vec![expect(
                "fifo/.env.production",
                "unreadable-input",
                "not a regular file",
            )],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a directory named .env",
            build: |d| {
                // Python's `venv .env` makes exactly this: walked as a directory, not reported.
                write(&d.join("py/.env/bin/activate"), b"export VIRTUAL_ENV=x\n");
                write(
                    &d.join("py/.env/.env.production"),
                    b"SECRET_KEY=dev-secret\n",
                );
            },
            findings: vec![expect("py/.env/.env.production", "too-short", "too short")],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "a YAML alias bomb (billion laughs)",
            build: |d| {
                let mut text = String::from(
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: lol\nstringData:\n  \
                     a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
                );
                // Nine levels of nine aliases each: 9^9 (387 million) strings once expanded.
                for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
                    let refs = vec![format!("*{prev}"); 9].join(",");
                    text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
                }
                text.push_str(
                    "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: after\n\
                               stringData:\n  SECRET_KEY: dev-secret\n",
                );
                write(&d.join("k8s/bomb.yaml"), text.as_bytes());
            },
            // The bomb's document is left out; the next document is still read.
            findings: vec![
                expect("k8s/bomb.yaml", "syntax-error", "alias"),
                expect("k8s/bomb.yaml", "too-short", "too short"),
            ],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "broken YAML",
            build: |d| {
                write(
                    &d.join("k8s/broken.yaml"),
                    b"apiVersion: v1\nkind: Secret\nstringData:\n  SECRET_KEY: [unclosed\n  API_KEY: x\n",
                );
            },
            findings: vec![expect("k8s/broken.yaml", "syntax-error", "invalid YAML")],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "invalid base64 in a Kubernetes Secret",
            build: |d| {
                write(
                    &d.join("k8s/base64.yaml"),
                    format!(
                        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  \
                         SECRET_KEY: \"not base64!!\"\n  API_TOKEN: {}\n",
                        base64(STRONG)
                    )
                    .as_bytes(),
                );
            },
            // The bad value is reported; the good one beside it is decoded and judged.
            findings: vec![expect("k8s/base64.yaml", "syntax-error", "`SECRET_KEY`")],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "YAML nested 10,000 levels deep",
            build: |d| {
                let text = format!(
                    "apiVersion: v1\nkind: Secret\nstringData:\n  SECRET_KEY: {}{}\n",
                    "[".repeat(10_000),
                    "]".repeat(10_000)
                );
                write(&d.join("k8s/deep.yaml"), text.as_bytes());
            },
            findings: vec![expect("k8s/deep.yaml", "syntax-error", "")],
            code: 1,
            needs_permissions: false,
        },
        Case {
            name: "an unreadable file",
            build: |d| {
                let path = d.join("locked/.env.production");
                write(&path, b"SECRET_KEY=dev-secret\n");
                set_mode(&path, 0o000);
            },
            findings: vec![expect(
                "locked/.env.production",
                "unreadable-input",
                "permission denied",
            )],
            code: 1,
            needs_permissions: true,
        },
        Case {
            name: "an unreadable directory",
            build: |d| {
                write(
                    &d.join("sealed/inner/.env.production"),
                    b"SECRET_KEY=dev-secret\n",
                );
                set_mode(&d.join("sealed/inner"), 0o000);
            },
            findings: vec![expect(
                "sealed/inner",
                "unreadable-input",
                "could not list directory: permission denied",
            )],
            code: 1,
            needs_permissions: true,
        },
        Case {
            name: "100 nested directories",
            build: |d| {
                let deep: PathBuf = std::iter::repeat_n("d", 100).collect();
                write(
                    &d.join("nested").join(deep).join(".env.production"),
                    b"SECRET_KEY=dev-secret\n",
                );
            },
            findings: vec![expect(
                // `nested/` and 100 `d/`, checked against the suffix below.
                ".env.production",
                "too-short",
                "too short",
            )],
            code: 1,
            needs_permissions: false,
        },
    ]
}

/// Builds `case` in a fresh directory with the control file; `None` when it cannot run here.
fn build(case: &Case, permissions_apply: bool) -> Option<tempfile::TempDir> {
    if case.needs_permissions && !permissions_apply {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("secretlint.toml"), POLICY.as_bytes());
    write(&dir.path().join(CONTROL.0), CONTROL.1.as_bytes());
    (case.build)(dir.path());
    Some(dir)
}

/// Says loudly that a case did not run, and why, in the test's output.
fn skipped(case: &Case) {
    eprintln!(
        "SKIPPED hostile case `{}`: running as root (or with CAP_DAC_OVERRIDE), which reads \
         files whatever their mode, so there is no unreadable file to report",
        case.name
    );
}

/// The findings of a JSON report as (path, rule, message).
fn findings(out: &Bounded) -> Vec<(String, String, String)> {
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {out:?}"));
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("path"), s("rule"), s("message"))
        })
        .collect()
}

/// Asserts that `got` holds every expected finding (the path compared as a suffix, for the
/// deep case) and nothing else outside the control file.
fn assert_findings(case: &Case, got: &[(String, String, String)]) {
    for e in &case.findings {
        assert!(
            got.iter()
                .any(|(p, r, m)| p.ends_with(e.path) && r == e.rule && m.contains(e.says)),
            "{}: expected {e:?} in {got:#?}",
            case.name
        );
    }
    let stray: Vec<_> = got
        .iter()
        .filter(|(p, r, _)| {
            p != CONTROL.0
                && !case
                    .findings
                    .iter()
                    .any(|e| p.ends_with(e.path) && r == e.rule)
        })
        .collect();
    assert!(stray.is_empty(), "{}: unexpected {stray:#?}", case.name);
    assert!(
        got.iter()
            .any(|(p, r, _)| p == CONTROL.0 && r == "too-short"),
        "{}: the control file was not checked: {got:#?}",
        case.name
    );
}

#[test]
fn each_hostile_case_alone_is_reported_and_the_rest_still_checked() {
    let probe = tempfile::tempdir().expect("temp dir");
    let permissions_apply = !ignores_permissions(probe.path());
    for case in cases() {
        let Some(dir) = build(&case, permissions_apply) else {
            skipped(&case);
            continue;
        };
        let out = run_bounded(dir.path(), &["check", "--format", "json"]);
        let got = findings(&out);
        assert_findings(&case, &got);
        assert_eq!(out.code, case.code, "{}: {out:?}", case.name);
        // The human renderer copes with the same tree (snippets of huge or odd files).
        let human = run_bounded(dir.path(), &["check"]);
        assert_eq!(human.code, case.code, "{}: {human:?}", case.name);
        for e in &case.findings {
            assert!(
                human.stdout.contains(&format!("[{}]", e.rule)),
                "{}: {human:?}",
                case.name
            );
        }
        eprintln!(
            "hostile case `{}`: exit {} in {:?}",
            case.name, out.code, out.elapsed
        );
        for (path, rule, message) in got.iter().filter(|(p, _, _)| p != CONTROL.0) {
            let message: String = message.chars().take(160).collect();
            eprintln!("    {rule} on `{path}`: {message}");
        }
        restore_permissions(dir.path());
    }
}

#[test]
fn every_hostile_case_at_once_still_checks_every_other_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let permissions_apply = !ignores_permissions(dir.path());
    write(&dir.path().join("secretlint.toml"), POLICY.as_bytes());
    write(&dir.path().join(CONTROL.0), CONTROL.1.as_bytes());
    let cases = cases();
    for case in &cases {
        if case.needs_permissions && !permissions_apply {
            skipped(case);
            continue;
        }
        (case.build)(dir.path());
    }
    let out = run_bounded(dir.path(), &["check", "--format", "json"]);
    let got = findings(&out);
    for case in &cases {
        if case.needs_permissions && !permissions_apply {
            continue;
        }
        for e in &case.findings {
            assert!(
                got.iter()
                    .any(|(p, r, m)| p.ends_with(e.path) && r == e.rule && m.contains(e.says)),
                "{}: expected {e:?} in {got:#?}",
                case.name
            );
        }
    }
    assert!(got.iter().any(|(p, _, _)| p == CONTROL.0), "{got:#?}");
    assert_eq!(out.code, 1);
    restore_permissions(dir.path());
}

/// Gives every directory back its permissions, so that the temp dir can be removed.
fn restore_permissions(dir: &Path) {
    for sub in ["sealed/inner", "locked/.env.production"] {
        let p = dir.join(sub);
        if std::fs::symlink_metadata(&p).is_ok() {
            set_mode(&p, 0o700);
        }
    }
}

#[test]
fn a_long_file_is_checked_and_dated_in_linear_time() {
    // 50,000 lines, with a URL every tenth line and every key defined twice: finding the
    // definition that takes effect once per entry by scanning the rest of the file made
    // this take about 40 seconds (check) and as long again (due); it now takes about one.
    let dir = tempfile::tempdir().expect("temp dir");
    // The reference policy: rotation intervals for `due`, a link for the URLs.
    write(
        &dir.path().join("secretlint.toml"),
        b"extends = \"jobswipe\"\n",
    );
    let mut text = String::new();
    for i in 0..25_000 {
        text.push_str(&format!("SETTING_{}=value-{i}\n", i % 12_500));
        if i % 10 == 0 {
            text.push_str(&format!("DATABASE_URL=postgres://app:pw{i}@db/app\n"));
        }
    }
    text.push_str("# rotated: 2026-01-01\nSECRET_KEY=dev-secret\n");
    write(&dir.path().join(".env.production"), text.as_bytes());
    let out = run_bounded(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let got = findings(&out);
    assert!(
        got.iter().any(|(_, r, _)| r == "duplicate-key")
            && got.iter().any(|(_, r, _)| r == "too-short"),
        "{:?}",
        &got[..got.len().min(5)]
    );
    let out = run_bounded(dir.path(), &["due", "--format", "json"]);
    assert_eq!(out.code, 1, "`SECRET_KEY` is overdue: {out:?}");
    eprintln!("50,000-line file: due in {:?}", out.elapsed);
}

#[test]
fn a_fifo_named_on_the_command_line_is_reported_not_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join(".env.production"));
    let out = run_bounded(
        dir.path(),
        &["check", ".env.production", "--format", "json"],
    );
    let got = findings(&out);
    assert_eq!(
        got,
        [(
            ".env.production".to_owned(),
            "unreadable-input".to_owned(),
            "could not read `.env.production`: not a regular file".to_owned()
        )],
        "{out:?}"
    );
    assert_eq!(out.code, 1);
}

#[test]
fn a_fifo_as_the_rotation_metadata_is_reported_not_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join(CONTROL.0), CONTROL.1.as_bytes());
    mkfifo(&dir.path().join(".secretlint/rotations.toml"));
    for args in [
        &["check", "--format", "json"][..],
        &["due"],
        &["rotate", "--record", "SECRET_KEY"],
    ] {
        let out = run_bounded(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr
                .contains("could not read the rotation metadata `.secretlint/rotations.toml`: not a regular file"),
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn a_pathological_regex_in_the_policy_is_refused_with_exit_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join(CONTROL.0), CONTROL.1.as_bytes());
    // Compiles to far more than the size limit: (2^10)^3 repetitions of a class.
    write(
        &dir.path().join("secretlint.toml"),
        br#"version = 1
extends = "recommended"

[profiles.blown-up]
min_length = 8
format = { regex = '(\w{1024}){1024}' }
"#,
    );
    let out = run_bounded(dir.path(), &["check"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("regex is too large to compile within the size limit"),
        "{out:?}"
    );
    assert!(out.stderr.contains("secretlint.toml:6:"), "{out:?}");
}

#[test]
fn a_backtracking_regex_runs_in_linear_time_on_a_huge_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `(a+)+$` takes exponential time in a backtracking engine on "aaa…!"; the regex crate
    // guarantees linear time, so 5 MiB of it is judged at once.
    write(
        &dir.path().join("secretlint.toml"),
        br#"version = 1

[environments.production]
files = ["**/.env.production"]

[profiles.evil]
min_length = 8
forbidden_patterns = ['(a+)+$', '(a|aa)*c', '^(([a-z])+.)+[A-Z]([a-z])+$']

[[secrets]]
names = ["SECRET_KEY"]
profile = "evil"
"#,
    );
    let value = format!("{}!", "a".repeat(5 << 20));
    write(
        &dir.path().join(".env.production"),
        format!("SECRET_KEY={value}\n").as_bytes(),
    );
    let out = run_bounded(dir.path(), &["check", "--format", "json"]);
    assert!(
        matches!(out.code, 0 | 1),
        "the policy compiles and the check runs: {out:?}"
    );
    assert!(out.elapsed < LIMIT);
}

#[test]
fn an_empty_policy_is_refused_with_exit_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        &dir.path().join(".env.production"),
        b"SECRET_KEY=dev-secret\n",
    );
    // Empty, and the blank-and-comments shape an unfinished policy often has.
    for text in ["", "# TODO: write the policy\nversion = 1\n"] {
        write(&dir.path().join("secretlint.toml"), text.as_bytes());
        let out = run_bounded(dir.path(), &["check"]);
        assert_eq!(out.code, 2, "{out:?}");
        assert!(
            out.stderr
                .contains("the policy names no environments, so no file would be checked"),
            "{out:?}"
        );
        assert!(out.stdout.is_empty(), "{out:?}");
    }
}

#[test]
fn a_panic_is_reported_without_its_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = "Zq8-panic-payload-Wv3Yt7Kp";
    let out = Command::new(env!("CARGO_BIN_EXE_secretlint"))
        .args(["explain", "too-short"])
        .current_dir(dir.path())
        .env("SECRETLINT_TEST_PANIC", format!("value was {secret}"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run secretlint");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("{}{stderr}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        stderr.starts_with("error: secretlint stopped on an internal error at src/main.rs:"),
        "{all}"
    );
    for slice in secret.as_bytes().windows(6) {
        let slice = std::str::from_utf8(slice).expect("ASCII");
        assert!(!all.contains(slice), "the panic leaked `{slice}`: {all}");
    }
    assert!(!all.contains("value was"), "{all}");
}
