//! Rotation age: "Record rotation today", generated values recorded as rotations, and the age
//! shown on hover and in inlay hints.

use serde_json::{Value, json};

use crate::support::{
    Caps, Client, POLICY, Workspace, action_params, apply_edits, codes, find, options,
};

const STRONG: &str = "Vq3xT9mLr2Zp8KwB7nHc4YdJf6GsA1Ee";
const REST: &str =
    "SESSION_KEY=Hw7Rk2Nq9Lx4Tz8Bv3Mc6Pd1Sf5Jg0Ya\nVAULT_TOKEN=s.Xk29fPq7Lm3ZtR8wNb5Yc1Hd\n";

async fn open(text: &str) -> (Workspace, Client, String, Value) {
    let ws = Workspace::with_policy(POLICY);
    ws.write(".env.production", text);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", text).await;
    let d = client.diagnostics(&uri).await;
    (ws, client, uri, d)
}

async fn first_action(client: &mut Client, uri: &str, diag: &Value, title: &str) -> Value {
    let r = client
        .request(
            "textDocument/codeAction",
            action_params(uri, diag, Some("quickfix")),
        )
        .await;
    let list = r["result"].as_array().cloned().unwrap_or_default();
    list.into_iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} in {r}"))
}

async fn run(client: &mut Client, command: &Value) {
    let r = client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": command["arguments"] }),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
}

#[tokio::test]
async fn record_rotation_today_writes_the_ledger_and_the_audit_log() {
    let text = format!("SECRET_KEY={STRONG}\n{REST}");
    let (ws, mut client, uri, d) = open(&text).await;
    let diag = find(&d, "unknown-age").clone();
    let action = first_action(
        &mut client,
        &uri,
        &diag,
        "Record rotation of `SECRET_KEY` today",
    )
    .await;
    assert!(action.get("edit").is_none());
    run(&mut client, &action["command"]).await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    let ledger = std::fs::read_to_string(ws.path().join(".secretlint/rotations.toml"))
        .expect("ledger written");
    assert!(ledger.contains("file = \".env.production\"\nkey = \"SECRET_KEY\"\nrotated = 2026-11-30T12:00:00Z\nby = \"record\""), "{ledger}");
    let audit =
        std::fs::read_to_string(ws.path().join(".secretlint/audit.jsonl")).expect("audit log");
    assert!(
        audit.contains("\"action\":\"record\"") && audit.contains("\"reason\":\"unknown-age\""),
        "{audit}"
    );
    assert!(!ledger.contains(STRONG) && !audit.contains(STRONG));
    client.shutdown().await;
}

#[tokio::test]
async fn record_rotation_today_moves_a_rotated_comment() {
    let text = format!("# rotated: 2026-09-01 by ops\nSECRET_KEY={STRONG}\n{REST}");
    let (_ws, mut client, uri, d) = open(&text).await;
    let diag = find(&d, "stale").clone();
    assert!(
        diag["message"]
            .as_str()
            .unwrap_or_default()
            .contains("overdue"),
        "{diag}"
    );
    let action = first_action(
        &mut client,
        &uri,
        &diag,
        "Record rotation of `SECRET_KEY` today",
    )
    .await;
    let edits = action["edit"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let after = apply_edits(&text, &edits, false);
    assert!(
        after.starts_with("# rotated: 2026-11-30 by ops\n"),
        "{after}"
    );
    client.change(&uri, 2, &after).await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    client.shutdown().await;
}

/// A generated value is a rotation: once the edit is applied, the action's command records it,
/// so neither the strength finding nor the age finding is left.
#[tokio::test]
async fn a_generated_value_is_recorded_as_a_rotation() {
    let text = format!("SECRET_KEY=short\n{REST}");
    let (ws, mut client, uri, d) = open(&text).await;
    let mut before = codes(&d);
    before.sort();
    assert_eq!(before, ["too-short", "unknown-age"], "{d}");
    let diag = find(&d, "too-short").clone();
    let action = first_action(
        &mut client,
        &uri,
        &diag,
        "Replace `SECRET_KEY` with a generated compliant value",
    )
    .await;
    let r = client.request("codeAction/resolve", action).await;
    let resolved = &r["result"];
    assert_eq!(
        resolved["command"]["command"],
        secretlint_lsp::RECORD_ROTATION_COMMAND,
        "{r}"
    );
    let edits = resolved["edit"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // What an editor does with a resolved action: apply the edit, then run the command.
    client
        .change(&uri, 2, &apply_edits(&text, &edits, false))
        .await;
    run(&mut client, &resolved["command"]).await;
    client
        .diagnostics_until(&uri, |d| d["diagnostics"] == json!([]))
        .await;
    let ledger = std::fs::read_to_string(ws.path().join(".secretlint/rotations.toml"))
        .expect("ledger written");
    assert!(ledger.contains("by = \"fix\""), "{ledger}");
    let audit =
        std::fs::read_to_string(ws.path().join(".secretlint/audit.jsonl")).expect("audit log");
    assert!(
        audit.contains("\"action\":\"rotate\"") && audit.contains("\"reason\":\"too-short\""),
        "{audit}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn hover_shows_the_last_rotation_and_the_next_due_date() {
    let ws = Workspace::with_policy(POLICY);
    let ledger = "version = 1\n\n[[rotation]]\nfile = \".env.production\"\nkey = \"SECRET_KEY\"\nrotated = 2026-11-01T00:00:00Z\nby = \"fix\"\n";
    ws.write(".secretlint/rotations.toml", ledger);
    let text = format!(
        "SECRET_KEY={STRONG}\n# rotated: 2026-11-10\nSESSION_KEY=Hw7Rk2Nq9Lx4Tz8Bv3Mc6Pd1Sf5Jg0Ya\n"
    );
    ws.write(".env.production", &text);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", &text).await;
    client.diagnostics(&uri).await;
    let hover = |line: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 2 } });
    let r = client.request("textDocument/hover", hover(0)).await;
    let value = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        value.contains("every 30 days · last rotated 2026-11-01 (29 days ago, from the rotation metadata) · next due 2026-12-01 (due in 1 day)"),
        "{value}"
    );
    let r = client.request("textDocument/hover", hover(2)).await;
    let value = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        value.contains("**Rotation**: no interval set"),
        "SESSION_KEY has no interval: {value}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn inlay_hints_are_off_by_default_and_show_the_age_when_asked() {
    let ws = Workspace::with_policy(POLICY);
    let text = format!("# rotated: 2026-11-10\nSECRET_KEY={STRONG}\n");
    let client = Client::start(Some(&ws.path()), Caps::default()).await;
    assert!(
        client.capabilities["capabilities"]
            .get("inlayHintProvider")
            .is_none()
    );
    client.shutdown().await;
    let mut client = Client::start_with(
        Some(&ws.path()),
        Caps::default(),
        options(),
        json!({ "inlayHints": true }),
    )
    .await;
    assert_eq!(
        client.capabilities["capabilities"]["inlayHintProvider"],
        true
    );
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", &text).await;
    client.diagnostics(&uri).await;
    let range =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 2, "character": 0 } });
    let r = client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": range }),
        )
        .await;
    assert_eq!(
        r["result"],
        json!([{ "position": { "line": 1, "character": 43 }, "label": "rotated 20 days ago · due in 10 days", "paddingLeft": true }])
    );
    client.shutdown().await;
}
