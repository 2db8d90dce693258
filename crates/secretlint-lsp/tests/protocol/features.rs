//! Hover and completion.

use serde_json::json;

use crate::support::{Caps, Client, POLICY, Workspace};

#[tokio::test]
async fn hover_shows_rule_profile_strength_and_findings_never_the_value() {
    let ws = Workspace::with_policy(POLICY);
    let text = "# ünïcödé first\nSECRET_KEY=Weakish-Secret-42\nHOST=localhost\n";
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", text).await;
    client.diagnostics(&uri).await;
    let hover = |line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let r = client.request("textDocument/hover", hover(1, 3)).await;
    let value = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(r["result"]["contents"]["kind"], "markdown");
    for expected in [
        "### `SECRET_KEY`",
        "JWT signing",
        "**Profile**: `token` — signing keys",
        "environment `production` · required here",
        "at least 32 characters, 100 bits of entropy",
        "**Value**: 17 characters (lowercase letters, uppercase letters, digits and symbols); about",
        "every 30 days",
        "40 characters of `alphanumeric`",
        "`too-short` (error)",
    ] {
        assert!(
            value.contains(expected),
            "missing {expected:?} in:\n{value}"
        );
    }
    assert!(!value.contains("Weakish"), "{value}");
    assert_eq!(
        r["result"]["range"],
        json!({ "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 10 } })
    );
    let r = client.request("textDocument/hover", hover(2, 1)).await;
    assert!(
        r["result"].is_null(),
        "a key nothing is known about has no hover: {r}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn completion_offers_required_keys_missing_from_the_file() {
    let ws = Workspace::with_policy(POLICY);
    let text = "SECRET_KEY=Vq3xT9mLr2Zp8KwB7nHc4YdJf6GsA1Ee\nSE\n";
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", text).await;
    client.diagnostics(&uri).await;
    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let r = client.request("textDocument/completion", at(1, 2)).await;
    let items = r["result"].as_array().cloned().unwrap_or_default();
    let labels: Vec<&str> = items
        .iter()
        .map(|i| i["label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        labels,
        ["SESSION_KEY", "VAULT_TOKEN"],
        "present keys are not offered"
    );
    assert_eq!(
        items[0]["textEdit"],
        json!({ "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 2 } }, "newText": "SESSION_KEY=" })
    );
    let r = client.request("textDocument/completion", at(0, 14)).await;
    assert!(
        r["result"].is_null(),
        "no key completion inside a value: {r}"
    );
    client.shutdown().await;
}
