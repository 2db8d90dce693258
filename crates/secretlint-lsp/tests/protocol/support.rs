//! A scripted LSP client over an in-memory duplex, speaking real Content-Length framing to the
//! server's real transport (`tower_lsp_server::Server::serve`), as typos-lsp's tests do. It
//! answers the server's own requests (progress tokens, capability registration, applyEdit)
//! and records every byte the server sends, so tests can search all of it for leaked values.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream, ReadHalf, WriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How long a test waits for a message before failing.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A small policy with every feature the tests need: environments, a required key, a
/// generated token, a password linked into a URL, a shared key and an external one.
pub const POLICY: &str = r#"version = 1

[environments.production]
files = ["**/.env.production"]

[environments.staging]
files = ["**/.env.staging"]

[environments.development]
files = ["**/.env"]
relaxed = true

[profiles.token]
description = "signing keys"
min_length = 32
min_entropy_bits = 100
generate = { charset = "alphanumeric", length = 40 }

[profiles.password]
min_length = 16
min_entropy_bits = 60
generate = { charset = "password", length = 32 }

[profiles.database-url]
min_length = 16
min_entropy_bits = 60
format = "postgres-url"
generate = { charset = "password", length = 32 }

[profiles.vault]
min_length = 24

[[secrets]]
names = ["SECRET_KEY"]
description = "JWT signing"
profile = "token"
required = ["production"]
rotate_every = "30d"

[[secrets]]
names = ["SESSION_KEY"]
profile = "token"
required = ["production"]

[[secrets]]
names = ["POSTGRES_PASSWORD"]
profile = "password"

[[secrets]]
names = ["DATABASE_URL"]
profile = "database-url"

[[secrets]]
names = ["VAULT_TOKEN"]
profile = "vault"
source = "external"
required = ["production"]

[[secrets]]
names = ["*_API_KEY"]
profile = "token"
scope = "shared"

[[links]]
part = "DATABASE_URL#password"
equals = "POSTGRES_PASSWORD"
"#;

/// "Today" in every test: age findings must not depend on the day the tests run.
pub const NOW: &str = "2026-11-30T12:00:00Z";

/// Server options with "today" pinned to [`NOW`].
pub fn options() -> secretlint_lsp::Options {
    secretlint_lsp::Options {
        now: NOW.parse().ok(),
        ..Default::default()
    }
}

/// A `# rotated:` comment that keeps a 30-day secret fresh on [`NOW`].
pub const FRESH: &str = "# rotated: 2026-11-20\n";

/// A temporary workspace on disk.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn with_policy(policy: &str) -> Workspace {
        let ws = Workspace::new();
        ws.write("secretlint.toml", policy);
        ws
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().canonicalize().expect("canonical temp dir")
    }

    /// Writes a file with mode 600, so `insecure-permissions` stays out of the way.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        self
    }

    pub fn uri(&self, rel: &str) -> String {
        file_uri(&self.path().join(rel))
    }
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// What the test client says it can do.
#[derive(Debug, Clone)]
pub struct Caps {
    pub utf8: bool,
    pub resolve: bool,
    pub watch: bool,
    pub progress: bool,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            utf8: false,
            resolve: true,
            watch: false,
            progress: true,
        }
    }
}

impl Caps {
    fn to_json(&self) -> Value {
        let mut general = json!({});
        if self.utf8 {
            general = json!({ "positionEncodings": ["utf-8", "utf-16"] });
        }
        let mut code_action =
            json!({ "dataSupport": true, "disabledSupport": true, "isPreferredSupport": true });
        if self.resolve {
            code_action["resolveSupport"] = json!({ "properties": ["edit"] });
        }
        json!({
            "general": general,
            "window": { "workDoneProgress": self.progress },
            "workspace": {
                "applyEdit": true,
                "didChangeWatchedFiles": { "dynamicRegistration": self.watch },
            },
            "textDocument": {
                "codeAction": code_action,
                "publishDiagnostics": { "relatedInformation": true, "versionSupport": true },
            },
        })
    }
}

/// The client end of a server running in this process.
pub struct Client {
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Notifications read while waiting for something else.
    queue: VecDeque<Value>,
    /// Every message the server sent, as raw JSON text.
    pub transcript: Arc<Mutex<Vec<String>>>,
    /// Edits the server asked the client to apply (`workspace/applyEdit`).
    pub applied: Arc<Mutex<Vec<Value>>>,
    next_id: i64,
    pub server: JoinHandle<()>,
    /// The initialize result.
    pub capabilities: Value,
}

async fn write_frame(w: &mut WriteHalf<DuplexStream>, msg: &Value) {
    let body = msg.to_string();
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    w.write_all(frame.as_bytes())
        .await
        .expect("write to server");
}

/// Reads frames until the stream closes, answering server requests on the way.
async fn read_loop(
    mut r: ReadHalf<DuplexStream>,
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    tx: mpsc::UnboundedSender<Value>,
    transcript: Arc<Mutex<Vec<String>>>,
    applied: Arc<Mutex<Vec<Value>>>,
) {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        while let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|n| n.trim().parse().ok())
                .expect("a Content-Length header");
            if buf.len() < pos + 4 + len {
                break;
            }
            let body = buf[pos + 4..pos + 4 + len].to_vec();
            buf.drain(..pos + 4 + len);
            let text = String::from_utf8(body).expect("UTF-8 body");
            transcript.lock().expect("transcript").push(text.clone());
            let msg: Value = serde_json::from_str(&text).expect("JSON body");
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let result = match msg["method"].as_str() {
                    Some("workspace/applyEdit") => {
                        applied
                            .lock()
                            .expect("applied")
                            .push(msg["params"]["edit"].clone());
                        json!({ "applied": true })
                    }
                    _ => Value::Null,
                };
                let reply = json!({ "jsonrpc": "2.0", "id": msg["id"], "result": result });
                write_frame(&mut *writer.lock().await, &reply).await;
            }
            if tx.send(msg).is_err() {
                return;
            }
        }
        match r.read_buf(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

impl Client {
    /// Starts a server and initializes it for `root` (or without a workspace folder).
    /// Starts a server whose "today" is [`NOW`].
    pub async fn start(root: Option<&Path>, caps: Caps) -> Client {
        Self::start_with(root, caps, options(), json!({})).await
    }

    pub async fn start_with(
        root: Option<&Path>,
        caps: Caps,
        options: secretlint_lsp::Options,
        init: Value,
    ) -> Client {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let (service, socket) = secretlint_lsp::service(options);
        let server = tokio::spawn(
            tower_lsp_server::Server::new(server_read, server_write, socket).serve(service),
        );
        let (r, w) = tokio::io::split(client_end);
        let writer = Arc::new(tokio::sync::Mutex::new(w));
        let (tx, incoming) = mpsc::unbounded_channel();
        let transcript = Arc::new(Mutex::new(Vec::new()));
        let applied = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(read_loop(
            r,
            writer.clone(),
            tx,
            transcript.clone(),
            applied.clone(),
        ));
        let mut client = Client {
            writer,
            incoming,
            queue: VecDeque::new(),
            transcript,
            applied,
            next_id: 1,
            server,
            capabilities: Value::Null,
        };
        let mut params = json!({ "processId": null, "capabilities": caps.to_json(), "initializationOptions": init });
        if let Some(root) = root {
            params["rootUri"] = json!(file_uri(root));
            params["workspaceFolders"] = json!([{ "uri": file_uri(root), "name": "ws" }]);
        }
        let result = client.request("initialize", params).await;
        client.capabilities = result["result"].clone();
        client.notify("initialized", json!({})).await;
        client
    }

    pub async fn send(&mut self, msg: Value) {
        write_frame(&mut *self.writer.lock().await, &msg).await;
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        loop {
            let msg = self.next_raw().await;
            if msg["id"] == id && msg.get("method").is_none() {
                return msg;
            }
            self.queue.push_back(msg);
        }
    }

    async fn next_raw(&mut self) -> Value {
        match tokio::time::timeout(TIMEOUT, self.incoming.recv()).await {
            Ok(Some(m)) => m,
            Ok(None) => panic!("the server closed the connection"),
            Err(_) => panic!("no message from the server within {TIMEOUT:?}"),
        }
    }

    /// The next notification with `method` (earlier ones of other kinds stay queued).
    pub async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.queue.iter().position(|m| m["method"] == method) {
            return self.queue.remove(i).expect("queued");
        }
        loop {
            let msg = self.next_raw().await;
            if msg["method"] == method {
                return msg;
            }
            self.queue.push_back(msg);
        }
    }

    /// The next `publishDiagnostics` for `uri`: its params. Those for other documents stay
    /// queued.
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        let mine = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.queue.iter().position(mine) {
            return self.queue.remove(i).expect("queued")["params"].clone();
        }
        loop {
            let msg = self.next_raw().await;
            if mine(&msg) {
                return msg["params"].clone();
            }
            self.queue.push_back(msg);
        }
    }

    /// Waits until a `publishDiagnostics` for `uri` satisfies `pred`; returns it.
    pub async fn diagnostics_until(&mut self, uri: &str, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let d = self.diagnostics(uri).await;
            if pred(&d) {
                return d;
            }
        }
    }

    pub async fn open(&mut self, uri: &str, language: &str, text: &str) {
        let params = json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } });
        self.notify("textDocument/didOpen", params).await;
    }

    /// A full-text change.
    pub async fn change(&mut self, uri: &str, version: i32, text: &str) {
        let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] });
        self.notify("textDocument/didChange", params).await;
    }

    pub async fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    }

    pub async fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null).await;
        tokio::time::timeout(TIMEOUT, &mut self.server)
            .await
            .expect("serve() returns after exit")
            .expect("server task");
    }

    /// Everything the server sent so far, one message per line.
    pub fn transcript(&self) -> String {
        self.transcript.lock().expect("transcript").join("\n")
    }
}

/// The codes of a diagnostics list.
pub fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The diagnostic with `code`.
pub fn find<'a>(params: &'a Value, code: &str) -> &'a Value {
    params["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == code))
        .unwrap_or_else(|| panic!("no `{code}` diagnostic in {params}"))
}

/// Applies LSP text edits (UTF-16 or UTF-8 positions) to a text.
pub fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let encoding = if utf8 {
        secretlint_lsp::Encoding::Utf8
    } else {
        secretlint_lsp::Encoding::Utf16
    };
    let map = secretlint_lsp::LineMap::new(text, encoding);
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let pos = |p: &Value| {
                tower_lsp_server::ls_types::Position::new(
                    p["line"].as_u64().unwrap_or_default() as u32,
                    p["character"].as_u64().unwrap_or_default() as u32,
                )
            };
            let start = map.offset(pos(&e["range"]["start"]));
            let end = map.offset(pos(&e["range"]["end"]));
            (
                start,
                end,
                e["newText"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

/// A code action request for the range of a diagnostic.
pub fn action_params(uri: &str, diag: &Value, only: Option<&str>) -> Value {
    let mut context = json!({ "diagnostics": [diag] });
    if let Some(kind) = only {
        context["only"] = json!([kind]);
    }
    json!({ "textDocument": { "uri": uri }, "range": diag["range"], "context": context })
}
