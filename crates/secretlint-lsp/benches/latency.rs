//! Benchmarks of the editor loop, reported and never asserted (`cargo bench -p secretlint-lsp`):
//!
//! 1. the engine's time to re-check a workspace after a one-line edit of a 1,000-line env file
//!    (the same `secretlint_engine::check` call the server makes on every change);
//! 2. the time from sending `didChange` for that file to receiving its `publishDiagnostics`,
//!    through the server's real transport with Content-Length framing over an in-memory duplex.
//!
//! The workspace is the JobSwipe sample (15 env files, its policy and rotation metadata) plus
//! `bench/.env.production`, 1,000 generated lines: comments, plain settings, URLs, and secrets
//! both governed by the policy and merely secret-looking. Generation is deterministic.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::path::Path;
use std::time::{Duration, Instant};

use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::{
    AnalysisCache, CheckOptions, Content, Input, LedgerInput, Policy, PolicyOrigin,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LINES: usize = 1_000;
const ROUNDS: usize = 200;

/// A small deterministic generator (SplitMix64), so every run checks the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn token(&mut self, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n)
            .map(|_| A[(self.next() % A.len() as u64) as usize] as char)
            .collect()
    }
}

/// 1,000 lines of a realistic production env file.
fn env_file() -> String {
    let mut rng = Rng(7);
    let mut out = String::new();
    let known = [
        "SECRET_KEY",
        "POSTGRES_PASSWORD",
        "ENCRYPTION_SALT",
        "OAUTH_STATE_SECRET",
        "ANALYTICS_API_KEY",
        "INGESTION_API_KEY",
        "GRAFANA_ADMIN_PASSWORD",
    ];
    let mut line = 0;
    while line < LINES {
        let n = line / 10;
        match line % 10 {
            0 => out.push_str(&format!("# --- service {n} ---\n")),
            1 => out.push_str(&format!("SERVICE_{n}_HOST=svc{n}.internal\n")),
            2 => out.push_str(&format!(
                "SERVICE_{n}_URL=https://svc{n}.internal:8{:03}/v1\n",
                n % 1000
            )),
            3 => out.push_str(&format!(
                "SERVICE_{n}_TIMEOUT_MS={}\n",
                100 + rng.next() % 9000
            )),
            4 => out.push_str(&format!("SERVICE_{n}_API_KEY={}\n", rng.token(40))),
            5 => out.push_str(&format!(
                "SERVICE_{n}_ENABLED={}\n",
                if rng.next().is_multiple_of(2) {
                    "true"
                } else {
                    "false"
                }
            )),
            6 => out.push_str(&format!("SERVICE_{n}_TOKEN=\"{}\"\n", rng.token(32))),
            7 => out.push_str(&format!(
                "SERVICE_{n}_PASSWORD='{}-{}'\n",
                rng.token(12),
                rng.token(12)
            )),
            8 if n < known.len() => out.push_str(&format!("{}={}\n", known[n], rng.token(48))),
            8 => out.push_str(&format!(
                "SERVICE_{n}_REGION=eu-west-{}\n",
                1 + rng.next() % 3
            )),
            _ => out.push('\n'),
        }
        line += 1;
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture dir") {
        let path = entry.expect("entry").path();
        let dest = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// Which line a round edits, and how.
#[derive(Clone, Copy)]
enum Edit {
    /// Line 504, `SERVICE_50_TIMEOUT_MS=...`: a plain setting gets a new number.
    Setting,
    /// Line 505, `SERVICE_50_API_KEY=...`: a secret-looking value changes (one new analysis).
    Secret,
    /// Line 19, `POSTGRES_PASSWORD=...`: a password the policy judges with zxcvbn changes.
    Password,
}

/// The text after round `i`'s one-line edit.
fn edited(text: &str, i: usize, edit: Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut rng = Rng(i as u64 + 1000);
    match edit {
        Edit::Setting => lines[503] = format!("SERVICE_50_TIMEOUT_MS={}", 1000 + i),
        Edit::Secret => lines[504] = format!("SERVICE_50_API_KEY={}", rng.token(40)),
        Edit::Password => lines[18] = format!("POSTGRES_PASSWORD={}", rng.token(48)),
    }
    lines.join("\n") + "\n"
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: usize| samples[(samples.len() * p / 100).min(samples.len() - 1)];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{name}: median {:.2} ms, mean {:.2} ms, p95 {:.2} ms, min {:.2} ms, max {:.2} ms ({} rounds)",
        pct(50).as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3,
        pct(95).as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3,
        samples[samples.len() - 1].as_secs_f64() * 1e3,
        samples.len()
    );
}

fn engine(root: &Path, text: &str, now: jiff::Timestamp) {
    let policy_text = std::fs::read_to_string(root.join("secretlint.toml")).expect("policy");
    let policy = Policy::from_toml(&policy_text, PolicyOrigin::File("secretlint.toml".into()))
        .expect("policy");
    let walk = WalkOptions {
        root: root.to_path_buf(),
        paths: vec![root.to_path_buf()],
        exclude: Vec::new(),
        threads: 0,
    };
    let disk = discover::collect(&policy, &walk).expect("walk");
    let ledger = std::fs::read_to_string(root.join(&policy.ledger))
        .ok()
        .map(|text| LedgerInput {
            path: policy.ledger.clone(),
            text,
        });
    let options = CheckOptions {
        now: Some(now),
        ledger,
        ..Default::default()
    };
    let file = |t: String| Input {
        path: "bench/.env.production".into(),
        content: Content::Text {
            text: t,
            mode: Some(0o600),
        },
    };
    let others: Vec<Input> = disk
        .iter()
        .filter(|x| x.path != "bench/.env.production")
        .cloned()
        .collect();
    let report = secretlint_engine::check(
        &policy,
        [others.clone(), vec![file(text.to_owned())]].concat(),
        &options,
    );
    let in_file = report
        .findings
        .iter()
        .filter(|f| report.file(f).path == "bench/.env.production")
        .count();
    println!(
        "workspace: {} files, {} findings ({in_file} in the 1,000-line file)",
        report.files.len(),
        report.findings.len()
    );

    for (scope, with_others) in [
        ("the 1,000-line file alone", false),
        ("whole workspace, as the server runs it", true),
    ] {
        for (what, edit) in [
            ("a setting", Edit::Setting),
            ("a secret", Edit::Secret),
            ("a zxcvbn-judged password", Edit::Password),
        ] {
            for cached in [false, true] {
                let cache = AnalysisCache::new();
                let inputs = |i: usize| {
                    let mut v = if with_others {
                        others.clone()
                    } else {
                        Vec::new()
                    };
                    v.push(file(edited(text, i, edit)));
                    v
                };
                // The server has checked the file before the edit: warm the cache as it would be.
                secretlint_engine::check_with_cache(&policy, inputs(0), &options, &cache);
                let mut samples = Vec::new();
                for i in 1..=ROUNDS {
                    let batch = inputs(i);
                    let started = Instant::now();
                    if cached {
                        std::hint::black_box(secretlint_engine::check_with_cache(
                            &policy, batch, &options, &cache,
                        ));
                    } else {
                        std::hint::black_box(secretlint_engine::check(&policy, batch, &options));
                    }
                    samples.push(started.elapsed());
                }
                let how = if cached {
                    "check_with_cache"
                } else {
                    "check, no cache"
                };
                summary(
                    &format!("engine re-check after editing {what}, {scope}, {how}"),
                    samples,
                );
            }
        }
    }
}

/// Reads the next framed message.
async fn next_message(r: &mut tokio::io::DuplexStream, buf: &mut Vec<u8>) -> Value {
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|n| n.trim().parse().ok())
                .expect("Content-Length");
            if buf.len() >= pos + 4 + len {
                let msg: Value =
                    serde_json::from_slice(&buf[pos + 4..pos + 4 + len]).expect("JSON");
                buf.drain(..pos + 4 + len);
                assert!(msg.get("error").is_none(), "{msg}");
                return msg;
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(30), r.read_buf(buf))
            .await
            .expect("timeout")
            .expect("read");
        assert!(n > 0, "server closed");
    }
}

/// Reads messages until `publishDiagnostics` for `uri` at `version` arrives.
async fn wait_publish(
    r: &mut tokio::io::DuplexStream,
    buf: &mut Vec<u8>,
    uri: &str,
    version: i64,
) -> Value {
    loop {
        let msg = next_message(r, buf).await;
        if msg["method"] == "textDocument/publishDiagnostics"
            && msg["params"]["uri"] == uri
            && msg["params"]["version"] == version
        {
            return msg;
        }
    }
}

async fn send(w: &mut tokio::io::DuplexStream, msg: Value) {
    let body = msg.to_string();
    w.write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await
        .expect("write");
}

async fn server(root: &Path, text: &str, now: jiff::Timestamp) {
    let (mut w, server_in) = tokio::io::duplex(1 << 22);
    let (server_out, mut r) = tokio::io::duplex(1 << 22);
    let options = secretlint_lsp::Options {
        now: Some(now),
        ..Default::default()
    };
    let (service, socket) = secretlint_lsp::service(options);
    let serve =
        tokio::spawn(tower_lsp_server::Server::new(server_in, server_out, socket).serve(service));
    let root_uri = format!("file://{}", root.display());
    send(
        &mut w,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null,
        "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } },
        "rootUri": root_uri, "workspaceFolders": [{ "uri": root_uri, "name": "bench" }] } }),
    )
    .await;
    let mut buf = Vec::new();
    // The client may send nothing else until the server has answered `initialize`.
    while next_message(&mut r, &mut buf).await["id"] != 1 {}
    send(
        &mut w,
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    )
    .await;
    let uri = format!("{root_uri}/bench/.env.production");
    send(
        &mut w,
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
        "uri": uri, "languageId": "dotenv", "version": 1, "text": text } } }),
    )
    .await;
    let first = wait_publish(&mut r, &mut buf, &uri, 1).await;
    assert!(first.get("params").is_some());
    println!(
        "server: first publish with {} diagnostics",
        first["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len)
    );

    let mut samples = Vec::new();
    for i in 0..ROUNDS {
        // Typing pace: one keystroke every 100 ms, longer than the debounce, so every change is
        // checked at once (a burst is coalesced instead; see checker.rs).
        tokio::time::sleep(Duration::from_millis(100)).await;
        let version = i as i64 + 2;
        let new_line = edited(text, i, Edit::Setting)
            .lines()
            .nth(503)
            .unwrap_or_default()
            .to_owned();
        let change = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "range": { "start": { "line": 503, "character": 0 }, "end": { "line": 503, "character": 9999 } }, "text": new_line }] } });
        let started = Instant::now();
        send(&mut w, change).await;
        wait_publish(&mut r, &mut buf, &uri, version).await;
        samples.push(started.elapsed());
    }
    summary(
        "didChange -> publishDiagnostics, 1,000-line file in the workspace",
        samples,
    );
    send(
        &mut w,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
    )
    .await;
    send(&mut w, json!({ "jsonrpc": "2.0", "method": "exit" })).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), serve).await;
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    copy_tree(&repo.join("tests/fixtures/jobswipe"), &root);
    let text = env_file();
    assert_eq!(text.lines().count(), LINES);
    std::fs::create_dir_all(root.join("bench")).expect("mkdir");
    std::fs::write(root.join("bench/.env.production"), &text).expect("write");
    let now: jiff::Timestamp = "2026-11-30T00:00:00Z".parse().expect("time");
    println!(
        "machine: {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    engine(&root, &text, now);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(server(&root, &text, now));
}
