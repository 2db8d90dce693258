//! `secretlint lsp` as a process: it reports exactly what `secretlint check` reports for the
//! same files, and it exits on `exit` even while its stdin stays open.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Sandbox;

/// A client speaking Content-Length framed JSON-RPC to a child process.
struct Lsp {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
}

impl Lsp {
    fn start(dir: &std::path::Path) -> Lsp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_secretlint"))
            .arg("lsp")
            .current_dir(dir)
            .env("SECRETLINT_NOW", "2026-11-30")
            .env("SECRETLINT_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn secretlint lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx
                    .send(serde_json::from_slice(&body).expect("JSON"))
                    .is_err()
                {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            incoming,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn recv(&self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(30))
            .expect("a message from the server")
    }

    /// Answers the server's requests (progress tokens) and returns the next other message.
    fn next(&mut self) -> Value {
        loop {
            let m = self.recv();
            if m.get("method").is_some() && m.get("id").is_some() {
                self.send(json!({ "jsonrpc": "2.0", "id": m["id"], "result": null }));
                continue;
            }
            return m;
        }
    }

    fn initialize(&mut self, root: &std::path::Path) {
        let uri = format!("file://{}", root.display());
        self.send(
            json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "capabilities": { "window": { "workDoneProgress": true } },
            "rootUri": uri, "workspaceFolders": [{ "uri": uri, "name": "ws" }] } }),
        );
        while self.next()["id"] != 1 {}
        self.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    }
}

/// The findings of `secretlint check --format json`, as (path, rule, start, end, message and
/// notes), the shape the server's diagnostics carry in `code`, `data.span` and `message`.
type Key = (String, String, u64, u64, String);

#[test]
fn lsp_reports_what_check_reports() {
    let sb = Sandbox::new();
    sb.copy("tests/fixtures/jobswipe", "");
    sb.chmod("api/.env.production", 0o644);
    let out = sb.run(&["check", "--format", "json", "."]);
    assert_eq!(out.code, 1, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    let mut cli: BTreeSet<Key> = BTreeSet::new();
    for f in report["findings"].as_array().expect("findings") {
        let mut message = f["message"].as_str().unwrap_or_default().to_owned();
        for n in f["notes"].as_array().into_iter().flatten() {
            message.push('\n');
            message.push_str(n.as_str().unwrap_or_default());
        }
        let path = f["path"].as_str().unwrap_or_default().to_owned();
        if path.contains(".env") {
            let span = &f["span"];
            cli.insert((
                path,
                f["rule"].as_str().unwrap_or_default().to_owned(),
                span["start"].as_u64().unwrap_or(0),
                span["end"].as_u64().unwrap_or(0),
                message,
            ));
        }
    }
    assert!(
        cli.iter().any(|k| k.1 == "stale") && cli.iter().any(|k| k.1 == "insecure-permissions"),
        "{cli:#?}"
    );

    let root = sb.path().canonicalize().expect("canonical");
    let files: Vec<String> = crate::walk(&root)
        .into_iter()
        .map(|p| {
            p.strip_prefix(&root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|rel| rel.contains(".env"))
        .collect();
    let mut lsp = Lsp::start(&root);
    lsp.initialize(&root);
    for rel in &files {
        let text = std::fs::read_to_string(root.join(rel)).expect("read");
        let uri = format!("file://{}/{rel}", root.display());
        lsp.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
            "uri": uri, "languageId": "dotenv", "version": 1, "text": text } } }));
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut server: BTreeSet<Key> = BTreeSet::new();
    while seen.len() < files.len() {
        let m = lsp.next();
        if m["method"] != "textDocument/publishDiagnostics" {
            continue;
        }
        let uri = m["params"]["uri"].as_str().unwrap_or_default();
        let rel = uri
            .rsplit_once(&format!("{}/", root.display()))
            .map(|x| x.1.to_owned())
            .unwrap_or_default();
        assert!(seen.insert(rel.clone()), "one publication per file: {rel}");
        for d in m["params"]["diagnostics"].as_array().into_iter().flatten() {
            server.insert((
                rel.clone(),
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["data"]["span"][0].as_u64().unwrap_or(u64::MAX),
                d["data"]["span"][1].as_u64().unwrap_or(u64::MAX),
                d["message"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    let only_cli: Vec<_> = cli.difference(&server).collect();
    let only_lsp: Vec<_> = server.difference(&cli).collect();
    assert!(
        only_cli.is_empty() && only_lsp.is_empty(),
        "only in check: {only_cli:#?}\nonly in lsp: {only_lsp:#?}"
    );
    lsp.send(json!({ "jsonrpc": "2.0", "id": 9, "method": "shutdown" }));
    lsp.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    let _ = lsp.child.wait();
}

/// Helix keeps stdin open after `exit`: the process must end anyway, with status 0.
#[test]
fn lsp_exits_on_exit_with_stdin_still_open() {
    let sb = Sandbox::new();
    sb.write("secretlint.toml", "version = 1\n");
    let root = sb.path().canonicalize().expect("canonical");
    let mut lsp = Lsp::start(&root);
    lsp.initialize(&root);
    lsp.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
    while lsp.next()["id"] != 2 {}
    lsp.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = lsp.child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still running 5 s after `exit` with stdin open"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "{status:?}");
    // stdin is still ours, and still open, until here.
    drop(lsp.stdin);
}
