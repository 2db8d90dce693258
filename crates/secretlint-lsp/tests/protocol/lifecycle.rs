//! Initialize, progress while indexing, and exit.

use serde_json::json;

use crate::support::{Caps, Client, POLICY, Workspace};

#[tokio::test]
async fn initialize_advertises_what_the_server_does() {
    let ws = Workspace::with_policy(POLICY);
    let client = Client::start(Some(&ws.path()), Caps::default()).await;
    let caps = &client.capabilities["capabilities"];
    assert_eq!(
        caps["positionEncoding"], "utf-16",
        "UTF-16 unless the client offers UTF-8"
    );
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert!(caps["completionProvider"].is_object());
    assert_eq!(caps["codeActionProvider"]["resolveProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.secretlint"])
    );
    assert_eq!(
        caps["executeCommandProvider"]["commands"],
        json!([
            secretlint_lsp::APPLY_FIX_COMMAND,
            secretlint_lsp::RECORD_ROTATION_COMMAND,
            secretlint_lsp::RESTRICT_PERMISSIONS_COMMAND
        ])
    );
    assert_eq!(client.capabilities["serverInfo"]["name"], "secretlint");
    client.shutdown().await;
}

#[tokio::test]
async fn utf8_is_chosen_when_the_client_offers_it() {
    let ws = Workspace::with_policy(POLICY);
    let client = Client::start(
        Some(&ws.path()),
        Caps {
            utf8: true,
            ..Caps::default()
        },
    )
    .await;
    assert_eq!(
        client.capabilities["capabilities"]["positionEncoding"],
        "utf-8"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn indexing_reports_progress() {
    let ws = Workspace::with_policy(POLICY);
    ws.write("a/.env.production", "SECRET_KEY=x\n")
        .write("b/.env.staging", "SECRET_KEY=y\n");
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let mut kinds = Vec::new();
    while kinds.last().map(String::as_str) != Some("end") {
        let p = client.notification("$/progress").await;
        kinds.push(
            p["params"]["value"]["kind"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
        if kinds.last().map(String::as_str) == Some("end") {
            assert_eq!(p["params"]["value"]["message"], "2 env files");
        }
    }
    assert_eq!(kinds, ["begin", "end"]);
    assert!(
        client
            .transcript()
            .contains("window/workDoneProgress/create"),
        "the token is created first"
    );
    client.shutdown().await;
}

/// Helix keeps stdin open after `exit`; tower-lsp 0.20 then never returned from `serve`.
#[tokio::test]
async fn exit_returns_promptly_with_stdin_still_open() {
    let ws = Workspace::with_policy(POLICY);
    let client = Client::start(Some(&ws.path()), Caps::default()).await;
    let started = std::time::Instant::now();
    // `shutdown` keeps the client's write end alive: only `exit` may end `serve`.
    client.shutdown().await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_file_opened_without_a_workspace_folder_finds_its_policy_upward() {
    let ws = Workspace::with_policy(POLICY);
    ws.write("svc/.env.production", "SECRET_KEY=short\n");
    let mut client = Client::start(None, Caps::default()).await;
    let uri = ws.uri("svc/.env.production");
    client.open(&uri, "dotenv", "SECRET_KEY=short\n").await;
    let d = client.diagnostics(&uri).await;
    let codes = crate::support::codes(&d);
    assert!(codes.contains(&"too-short".to_owned()), "{d}");
    // `required = ["production"]` comes from the test policy, so it was found and used.
    assert!(codes.contains(&"missing-required".to_owned()), "{d}");
    client.shutdown().await;
}
