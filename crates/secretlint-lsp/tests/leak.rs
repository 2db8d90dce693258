//! No value leaks: every message the server sends, and everything it logs at `trace`, is
//! searched for the values of the files it was given.

#[path = "protocol/support.rs"]
#[allow(
    dead_code,
    reason = "shared with the protocol tests, which use all of it"
)]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use support::{Caps, Client, POLICY, Workspace, action_params};

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

/// Values chosen to be findable: each is distinctive and long enough that a substring match
/// cannot be a coincidence.
const VALUES: &[(&str, &str)] = &[
    ("SECRET_KEY", "Zebra-Quokka-1987"),
    ("POSTGRES_PASSWORD", "Marmalade!Otter"),
    ("DATABASE_URL", "postgres://app:Marmalade!Otter@db:5432/app"),
    ("VAULT_TOKEN", "s.Pelican77"),
    ("PAYMENTS_API_KEY", "Lr8Wq2Zx5Nv9Tb3Hk7Mp1Yc4Gd6Sf0Ja"),
];

#[tokio::test]
async fn no_message_and_no_log_line_holds_a_value() {
    let logs = Buffer::default();
    secretlint_lsp::init_logging_to("trace", logs.clone());
    let ws = Workspace::with_policy(POLICY);
    let mut text = String::new();
    for (k, v) in VALUES {
        text.push_str(&format!("{k}={v}\n"));
    }
    ws.write("api/.env.staging", &text);
    ws.write("api/.env.production", &text);
    let mut client = Client::start(
        Some(&ws.path()),
        Caps {
            watch: true,
            ..Caps::default()
        },
    )
    .await;
    let uri = ws.uri("api/.env.staging");
    client.open(&uri, "dotenv", &text).await;
    let d = client.diagnostics(&uri).await;
    let diags = d["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(diags.len() >= 4, "{d}");
    for (line, _) in VALUES.iter().enumerate() {
        let pos =
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 1 } });
        client.request("textDocument/hover", pos.clone()).await;
        client.request("textDocument/completion", pos).await;
    }
    for diag in &diags {
        client
            .request("textDocument/codeAction", action_params(&uri, diag, None))
            .await;
    }
    client
        .change(&uri, 2, &text.replace("Pelican", "Cormorant"))
        .await;
    client.diagnostics(&uri).await;
    let transcript = client.transcript.clone();
    client.shutdown().await;

    let transcript = transcript.lock().map(|t| t.join("\n")).unwrap_or_default();
    assert!(transcript.contains("publishDiagnostics"));
    let logged =
        String::from_utf8_lossy(&logs.0.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
    assert!(
        logged.contains("indexed the workspace"),
        "the server does log: {logged}"
    );
    assert!(
        logged.contains("checked"),
        "debug and trace lines are on: {logged}"
    );
    for (key, value) in VALUES
        .iter()
        .chain([("VAULT_TOKEN", "s.Cormorant77")].iter())
    {
        for part in [*value, value.rsplit(':').next().unwrap_or(value)] {
            if part.len() < 8 {
                continue;
            }
            assert!(
                !transcript.contains(part),
                "the value of `{key}` was sent to the client"
            );
            assert!(!logged.contains(part), "the value of `{key}` was logged");
        }
    }
}
