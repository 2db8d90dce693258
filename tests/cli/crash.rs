//! The crash test: `secretlint fix` killed with SIGKILL at random moments, over and over.
//! After every kill, each file must be wholly old or wholly new (never partial), and every
//! file that is new must have a durable backup of its old bytes.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

use secretlint_engine::backup::Backup;
use secretlint_engine::document::{Document, DocumentKind};

use crate::{Sandbox, walk};

const RUNS: usize = 200;

/// A small xorshift generator seeded per test run: the kill moments only need to spread.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn originals() -> BTreeMap<String, String> {
    let root = crate::repo_root().join("tests/fixtures/fix/crash");
    walk(&root)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Whether `new` is a complete rewrite of `old` by `fix`: it reads cleanly, every line is the
/// old line or the same key with another value, and nothing is missing at the end.
fn wholly_new(old: &str, new: &str) -> bool {
    let (a, b) = (
        Document::parse(DocumentKind::Env, old),
        Document::parse(DocumentKind::Env, new),
    );
    let keys = |d: &Document| d.entries.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
    let changed = a
        .entries
        .iter()
        .zip(&b.entries)
        .filter(|(x, y)| x.value != y.value)
        .count();
    b.errors.is_empty()
        && keys(&a) == keys(&b)
        && old.lines().count() == new.lines().count()
        && new.ends_with('\n')
        && changed == 3
}

fn reset(s: &Sandbox, files: &BTreeMap<String, String>) {
    let _ = std::fs::remove_dir_all(s.path().join(".secretlint"));
    for (rel, text) in files {
        s.write(rel, text);
    }
}

#[test]
fn sigkill_at_any_moment_leaves_each_file_old_or_new_with_a_backup() {
    let files = originals();
    let envs: Vec<&String> = files
        .keys()
        .filter(|k| k.ends_with(".env.production"))
        .collect();
    let s = Sandbox::new();
    reset(&s, &files);
    let fix = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_secretlint"))
            .args(["fix", "--plaintext-backup"])
            .current_dir(s.path())
            .env("SECRETLINT_NOW", "2026-11-30")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run secretlint")
    };
    // How long an uninterrupted run takes: kills spread over it and a little past it.
    let mut full = Duration::MAX;
    for _ in 0..3 {
        reset(&s, &files);
        let started = Instant::now();
        assert!(fix().wait().unwrap().success());
        full = full.min(started.elapsed());
    }
    for rel in &envs {
        let text = std::fs::read_to_string(s.path().join(rel)).unwrap();
        assert!(wholly_new(&files[*rel], &text), "{rel}: {text}");
    }
    let window = (full.as_micros() as u64 * 6 / 5).max(1);
    let mut rng = Rng(RandomState::new().hash_one(0u8) | 1);
    let (mut untouched, mut partial_runs, mut complete, mut new_files) = (0, 0, 0, 0);
    for run in 0..RUNS {
        reset(&s, &files);
        let mut child = fix();
        std::thread::sleep(Duration::from_micros(rng.next() % window));
        let _ = child.kill();
        let _ = child.wait();
        let dir = s.path().join(".secretlint/backups");
        let listing = if dir.is_dir() { walk(&dir) } else { Vec::new() };
        let backups: Vec<Backup> = listing
            .into_iter()
            .filter(|p| {
                let n = p.to_string_lossy();
                n.ends_with(".json") && !n.ends_with(".meta.json")
            })
            .map(|p| Backup::from_json(&std::fs::read(p).unwrap()).unwrap())
            .collect();
        let mut new_here = 0;
        for rel in &envs {
            let text = std::fs::read_to_string(s.path().join(rel)).unwrap();
            if text == files[*rel] {
                continue;
            }
            assert!(
                wholly_new(&files[*rel], &text),
                "run {run}: `{rel}` is neither old nor new"
            );
            let backed_up = backups.iter().any(|b| {
                b.files
                    .iter()
                    .any(|f| &f.path == *rel && f.content == files[*rel].as_bytes())
            });
            assert!(backed_up, "run {run}: `{rel}` is new without a backup");
            new_here += 1;
        }
        new_files += new_here;
        match new_here {
            0 => untouched += 1,
            n if n == envs.len() => complete += 1,
            _ => partial_runs += 1,
        }
    }
    // The counts, for the record (`cargo test -- --nocapture` shows them).
    eprintln!(
        "crash test: {RUNS} runs killed over {window} µs: {untouched} left every file old, {partial_runs} stopped between files, {complete} finished; {new_files} new files, each with a backup"
    );
    assert_eq!(untouched + partial_runs + complete, RUNS);
    // A finished run leaves no temporary copy of a secrets file behind; an interrupted one
    // may, and the next run removes them.
    reset(&s, &files);
    assert!(fix().wait().unwrap().success());
    let leftovers: Vec<_> = walk(s.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
