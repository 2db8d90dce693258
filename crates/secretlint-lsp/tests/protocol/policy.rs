//! The policy file: its own diagnostics, and reloading it without a restart.

use serde_json::json;

use crate::support::{Caps, Client, POLICY, Workspace, codes};

#[tokio::test]
async fn the_policy_file_gets_diagnostics_with_suggestions() {
    let ws = Workspace::with_policy(POLICY);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri("secretlint.toml");
    let broken = POLICY.replacen(
        "min_length = 16\nmin_entropy_bits = 60\ngenerate",
        "min_lenght = 16\nmin_entropy_bits = 60\ngenerate",
        1,
    );
    client.open(&uri, "toml", &broken).await;
    let d = client.diagnostics(&uri).await;
    let diags = d["diagnostics"].as_array().cloned().unwrap_or_default();
    assert_eq!(diags.len(), 1, "{d}");
    let message = diags[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("min_lenght") && message.contains("help: did you mean `min_length`"),
        "{message}"
    );
    let line = broken
        .lines()
        .position(|l| l.starts_with("min_lenght"))
        .unwrap_or_default();
    assert_eq!(diags[0]["range"]["start"]["line"], line);
    assert_eq!(diags[0]["severity"], 1);
    client.change(&uri, 2, POLICY).await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["diagnostics"], json!([]), "fixed in the buffer: {d}");
    client.shutdown().await;
}

/// Neovim cannot watch files: saving the policy in the editor reloads it.
#[tokio::test]
async fn saving_the_policy_rechecks_open_documents() {
    let ws = Workspace::with_policy(POLICY);
    let env_text = "SECRET_KEY=Xk29fPq7Lm3ZtR8wNb\n";
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let env_uri = ws.uri(".env");
    client.open(&env_uri, "dotenv", env_text).await;
    assert_eq!(codes(&client.diagnostics(&env_uri).await), ["too-short"]);
    let lenient = POLICY.replace(
        "min_length = 32\nmin_entropy_bits = 100",
        "min_length = 8\nmin_entropy_bits = 20",
    );
    let policy_uri = ws.uri("secretlint.toml");
    client.open(&policy_uri, "toml", POLICY).await;
    client.change(&policy_uri, 2, &lenient).await;
    ws.write("secretlint.toml", &lenient);
    client
        .notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": policy_uri }, "text": lenient }),
        )
        .await;
    client
        .diagnostics_until(&env_uri, |d| d["diagnostics"] == json!([]))
        .await;
    // A broken save keeps the last good policy in force and says what is wrong.
    let broken = format!("{lenient}\n[oops\n");
    client.change(&policy_uri, 3, &broken).await;
    client
        .notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": policy_uri }, "text": broken }),
        )
        .await;
    let d = client
        .diagnostics_until(&policy_uri, |d| d["version"] == 3)
        .await;
    assert!(
        !d["diagnostics"].as_array().is_none_or(Vec::is_empty),
        "{d}"
    );
    client
        .change(
            &env_uri,
            2,
            "SECRET_KEY=Xk29fPq7Lm3ZtR8wNb\n# still lenient\n",
        )
        .await;
    assert_eq!(client.diagnostics(&env_uri).await["diagnostics"], json!([]));
    client.shutdown().await;
}

/// Clients that watch files (VS Code, Helix) get the policy reloaded on any change on disk.
#[tokio::test]
async fn a_watched_policy_change_rechecks_open_documents() {
    let ws = Workspace::with_policy(POLICY);
    let env_text = "SECRET_KEY=Xk29fPq7Lm3ZtR8wNb\n";
    let mut client = Client::start(
        Some(&ws.path()),
        Caps {
            watch: true,
            ..Caps::default()
        },
    )
    .await;
    let env_uri = ws.uri(".env");
    client.open(&env_uri, "dotenv", env_text).await;
    assert_eq!(codes(&client.diagnostics(&env_uri).await), ["too-short"]);
    assert!(
        client.transcript().contains("client/registerCapability"),
        "watchers are registered"
    );
    assert!(client.transcript().contains("**/secretlint.toml"));
    let lenient = POLICY.replace(
        "min_length = 32\nmin_entropy_bits = 100",
        "min_length = 8\nmin_entropy_bits = 20",
    );
    ws.write("secretlint.toml", &lenient);
    let changes = json!({ "changes": [{ "uri": ws.uri("secretlint.toml"), "type": 2 }] });
    client
        .notify("workspace/didChangeWatchedFiles", changes)
        .await;
    client
        .diagnostics_until(&env_uri, |d| d["diagnostics"] == json!([]))
        .await;
    client.shutdown().await;
}
