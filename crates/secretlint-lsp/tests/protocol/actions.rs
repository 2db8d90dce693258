//! Code actions: each fix, resolved lazily, and the diagnostic gone once it is applied.

use serde_json::{Value, json};

use crate::support::{
    Caps, Client, FRESH, POLICY, Workspace, action_params, apply_edits, codes, find,
};

const STRONG: &str = "Vq3xT9mLr2Zp8KwB7nHc4YdJf6GsA1Ee";
const VAULT: &str = "s.Xk29fPq7Lm3ZtR8wNb5Yc1Hd";

/// A production file where everything is fine but the lines given.
fn production(lines: &str) -> String {
    let mut text = String::new();
    for (key, value) in [
        ("SECRET_KEY", STRONG),
        ("SESSION_KEY", "Hw7Rk2Nq9Lx4Tz8Bv3Mc6Pd1Sf5Jg0Ya"),
        ("VAULT_TOKEN", VAULT),
    ] {
        if !lines.contains(&format!("{key}=")) {
            if key == "SECRET_KEY" {
                text.push_str(FRESH);
            }
            text.push_str(&format!("{key}={value}\n"));
        }
    }
    text.push_str(lines);
    text
}

async fn setup(text: &str, caps: Caps) -> (Workspace, Client, String, Value) {
    let ws = Workspace::with_policy(POLICY);
    ws.write(".env.production", text);
    let mut client = Client::start(Some(&ws.path()), caps).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", text).await;
    let d = client.diagnostics(&uri).await;
    (ws, client, uri, d)
}

async fn actions(client: &mut Client, uri: &str, diag: &Value, only: Option<&str>) -> Vec<Value> {
    let r = client
        .request("textDocument/codeAction", action_params(uri, diag, only))
        .await;
    r["result"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{r}"))
}

async fn resolve(client: &mut Client, action: &Value) -> Value {
    let r = client.request("codeAction/resolve", action.clone()).await;
    assert!(r.get("error").is_none(), "{r}");
    r["result"].clone()
}

/// Applies a resolved edit for `uri`, sends it as version `version`, returns the new text and
/// the diagnostics published for it.
async fn apply(
    client: &mut Client,
    uri: &str,
    text: &str,
    edit: &Value,
    version: i32,
    utf8: bool,
) -> (String, Value) {
    let edits = edit["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no edit for {uri}: {edit}"));
    let new = apply_edits(text, &edits, utf8);
    client.change(uri, version, &new).await;
    let d = client
        .diagnostics_until(uri, |d| d["version"] == version)
        .await;
    (new, d)
}

#[tokio::test]
async fn replace_generates_only_on_resolve_keeps_quotes_and_clears_the_finding() {
    let text = production("# rotated: 2026-09-01\nSECRET_KEY='short'\n");
    let (_ws, mut client, uri, d) = setup(&text, Caps::default()).await;
    assert!(codes(&d).contains(&"stale".to_owned()), "{d}");
    let diag = find(&d, "too-short").clone();
    let list = actions(&mut client, &uri, &diag, None).await;
    let titles: Vec<&str> = list
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace `SECRET_KEY` with a generated compliant value",
            "Suppress `too-short` for `SECRET_KEY` with a reason",
            "Fix all safe secretlint findings"
        ]
    );
    let replace = &list[0];
    assert_eq!(replace["kind"], "quickfix");
    assert_eq!(replace["isPreferred"], true);
    assert!(
        replace.get("edit").is_none(),
        "no value is generated while listing: {replace}"
    );
    let resolved = resolve(&mut client, replace).await;
    // Each pick draws a fresh value: nothing is generated ahead or kept between picks.
    let again = resolve(&mut client, replace).await;
    assert_ne!(
        again["edit"]["changes"][&uri][1]["newText"],
        resolved["edit"]["changes"][&uri][1]["newText"]
    );
    let edits = &resolved["edit"]["changes"][&uri];
    assert_eq!(
        edits[0]["newText"], "2026-11-30",
        "a new value is a rotation: the comment moves to today"
    );
    assert_eq!(
        resolved["command"]["command"],
        secretlint_lsp::RECORD_ROTATION_COMMAND,
        "as `secretlint fix` does, the rotation also goes to the ledger once applied"
    );
    let new_text = edits[1]["newText"].as_str().unwrap_or_default();
    assert!(
        new_text.starts_with('\'') && new_text.ends_with('\''),
        "single quotes kept: {new_text}"
    );
    assert_eq!(
        new_text.len(),
        42,
        "40 characters from the profile's generator"
    );
    assert!(new_text[1..41].chars().all(|c| c.is_ascii_alphanumeric()));
    let (after, d) = apply(&mut client, &uri, &text, &resolved["edit"], 2, false).await;
    assert_eq!(d["diagnostics"], json!([]), "fixed: {d}");
    assert!(after.contains(&format!("# rotated: 2026-11-30\nSECRET_KEY={new_text}\n")));
    // Once applied, the finding is gone and so is the fix.
    let r = client.request("codeAction/resolve", replace.clone()).await;
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("gone"),
        "{r}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn the_password_inside_a_url_is_replaced_alone_and_the_linked_key_follows() {
    let text = production(
        "POSTGRES_PASSWORD=\"weak-pw\"\nDATABASE_URL=postgres://app:weak-pw@db.internal:5432/app?sslmode=require\n",
    );
    let (_ws, mut client, uri, d) = setup(
        &text,
        Caps {
            utf8: true,
            ..Caps::default()
        },
    )
    .await;
    let url_diag = d["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["range"]["start"]["line"] == 5).cloned())
        .unwrap_or_else(|| panic!("{d}"));
    let list = actions(&mut client, &uri, &url_diag, Some("quickfix")).await;
    assert_eq!(
        list[0]["title"],
        "Replace the password in `DATABASE_URL` with a generated compliant value"
    );
    let resolved = resolve(&mut client, &list[0]).await;
    let edits = resolved["edit"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        edits.len(),
        2,
        "the URL's password and the linked POSTGRES_PASSWORD: {edits:?}"
    );
    let url_edit = edits
        .iter()
        .find(|e| e["range"]["start"]["line"] == 5)
        .unwrap_or_else(|| panic!("{edits:?}"));
    assert_eq!(
        url_edit["range"]["start"]["character"], 28,
        "only the password: after `postgres://app:`"
    );
    assert_eq!(url_edit["range"]["end"]["character"], 35);
    let pw = url_edit["newText"].as_str().unwrap_or_default().to_owned();
    let plain = edits
        .iter()
        .find(|e| e["range"]["start"]["line"] == 4)
        .unwrap_or_else(|| panic!("{edits:?}"));
    assert_eq!(
        plain["newText"],
        format!("\"{pw}\""),
        "the same value, double quotes kept"
    );
    let (after, d) = apply(&mut client, &uri, &text, &resolved["edit"], 2, true).await;
    assert_eq!(
        d["diagnostics"],
        json!([]),
        "no strength finding and no linked-mismatch: {d}"
    );
    assert!(after.contains(&format!(
        "postgres://app:{pw}@db.internal:5432/app?sslmode=require"
    )));
    client.shutdown().await;
}

#[tokio::test]
async fn add_missing_required_secret_appends_a_generated_value() {
    let text = format!("{FRESH}SECRET_KEY={STRONG}\nVAULT_TOKEN={VAULT}");
    let (_ws, mut client, uri, d) = setup(&text, Caps::default()).await;
    let diag = find(&d, "missing-required").clone();
    assert!(
        diag["message"]
            .as_str()
            .unwrap_or_default()
            .contains("SESSION_KEY")
    );
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    assert_eq!(
        list[0]["title"],
        "Add missing required secret `SESSION_KEY`"
    );
    let resolved = resolve(&mut client, &list[0]).await;
    let (after, d) = apply(&mut client, &uri, &text, &resolved["edit"], 2, false).await;
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    let last = after.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("SESSION_KEY=") && last.len() == "SESSION_KEY=".len() + 40,
        "{after}"
    );
    assert!(
        after.contains(&format!("VAULT_TOKEN={VAULT}\nSESSION_KEY=")),
        "a line break was added first: {after}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn external_secrets_get_an_explanation_not_a_value() {
    let text = format!("{FRESH}SECRET_KEY={STRONG}\nSESSION_KEY={STRONG}x\nVAULT_TOKEN=s.short\n");
    let (_ws, mut client, uri, d) = setup(&text, Caps::default()).await;
    let diag = find(&d, "too-short").clone();
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    assert_eq!(
        list[0]["title"],
        "Rotate `VAULT_TOKEN` at its source (issued externally)"
    );
    let reason = list[0]["disabled"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("issued externally") && reason.contains("rotate it at its source"),
        "{reason}"
    );
    assert!(
        list[0].get("edit").is_none()
            && list[0].get("data").is_none()
            && list[0].get("command").is_none()
    );
    // Even a resolve forged by hand cannot make the server invent the value.
    let forged = json!({ "title": "x", "data": { "uri": uri, "version": 1, "op": "regenerate", "key": "VAULT_TOKEN", "rule": "too-short" } });
    let r = client.request("codeAction/resolve", forged).await;
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("issued externally"),
        "{r}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn suppress_inserts_a_reasoned_comment_above_the_line() {
    let text = production("  SECRET_KEY=short\n");
    let (_ws, mut client, uri, d) = setup(&text, Caps::default()).await;
    let diag = find(&d, "too-short").clone();
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    let suppress = list
        .iter()
        .find(|a| a["title"] == "Suppress `too-short` for `SECRET_KEY` with a reason")
        .cloned();
    let suppress = suppress.unwrap_or_else(|| panic!("{list:?}"));
    let edits = suppress["edit"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let after = apply_edits(&text, &edits, false);
    assert!(
        after.contains(&format!(
            "  # secretlint-allow: too-short -- {}\n  SECRET_KEY=short\n",
            secretlint_lsp::SUPPRESSION_REASON
        )),
        "{after}"
    );
    client.shutdown().await;
}

/// The engine honours the inserted comment: the finding goes away once it is applied.
#[tokio::test]
async fn an_applied_suppression_silences_the_finding() {
    let text = production(&format!("{FRESH}SECRET_KEY=short\n"));
    let (_ws, mut client, uri, d) = setup(&text, Caps::default()).await;
    let diag = find(&d, "too-short").clone();
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    let suppress = list
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Suppress")
        })
        .cloned();
    let edit = suppress.map(|s| s["edit"].clone()).unwrap_or_default();
    let (_, d) = apply(&mut client, &uri, &text, &edit, 2, false).await;
    assert!(!codes(&d).contains(&"too-short".to_owned()), "{d}");
    client.shutdown().await;
}

#[tokio::test]
async fn fix_all_applies_every_safe_fix_and_leaves_external_ones() {
    let text = format!("{FRESH}SECRET_KEY=short\nPOSTGRES_PASSWORD=hunter2\nVAULT_TOKEN=s.short\n");
    let (_ws, mut client, uri, d) = setup(&text, Caps::default()).await;
    let before = codes(&d);
    assert!(
        before.len() >= 4 && before.contains(&"missing-required".to_owned()),
        "{d}"
    );
    let params = json!({
        "textDocument": { "uri": uri },
        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
        "context": { "diagnostics": [], "only": ["source.fixAll"] },
    });
    let r = client.request("textDocument/codeAction", params).await;
    let list = r["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["kind"], "source.fixAll.secretlint");
    let resolved = resolve(&mut client, &list[0]).await;
    let (_, d) = apply(&mut client, &uri, &text, &resolved["edit"], 2, false).await;
    assert_eq!(
        codes(&d),
        ["too-short"],
        "only the external VAULT_TOKEN is left: {d}"
    );
    assert!(
        find(&d, "too-short")["message"]
            .as_str()
            .unwrap_or_default()
            .contains("VAULT_TOKEN")
    );
    client.shutdown().await;
}

/// A client that cannot resolve edits gets a command; the value is generated when it runs.
#[tokio::test]
async fn without_resolve_support_the_fix_runs_as_a_command() {
    let text = production(&format!("{FRESH}SECRET_KEY=short\n"));
    let (_ws, mut client, uri, d) = setup(
        &text,
        Caps {
            resolve: false,
            ..Caps::default()
        },
    )
    .await;
    let diag = find(&d, "too-short").clone();
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    let command = &list[0]["command"];
    assert_eq!(command["command"], secretlint_lsp::APPLY_FIX_COMMAND);
    assert!(list[0].get("edit").is_none());
    let r = client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": command["arguments"] }),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
    let edit = client
        .applied
        .lock()
        .map(|a| a.first().cloned())
        .ok()
        .flatten()
        .unwrap_or_default();
    let (_, d) = apply(&mut client, &uri, &text, &edit, 2, false).await;
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    client.shutdown().await;
}

#[tokio::test]
async fn a_shared_secret_gets_one_new_value_in_every_file_of_the_environment() {
    let ws = Workspace::with_policy(POLICY);
    let a = production("PAYMENTS_API_KEY=Lr8Wq2Zx5Nv9Tb3Hk7Mp1Yc4Gd6Sf0Ja\n");
    let b = production("PAYMENTS_API_KEY=Qe4Rt8Yu2Io6Pa9Sd3Fg7Hj1Kl5Zx0Cv\n");
    ws.write("api/.env.production", &a)
        .write("worker/.env.production", &b);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri("worker/.env.production");
    client.open(&uri, "dotenv", &b).await;
    let d = client.diagnostics(&uri).await;
    let diag = find(&d, "inconsistent-across-files").clone();
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    let resolved = resolve(&mut client, &list[0]).await;
    let changes = &resolved["edit"]["changes"];
    let other = ws.uri("api/.env.production");
    assert_eq!(
        changes[&uri][0]["newText"], changes[&other][0]["newText"],
        "one value for both files: {changes}"
    );
    std::fs::write(
        ws.path().join("api/.env.production"),
        apply_edits(&a, changes[&other].as_array().map_or(&[][..], |v| v), false),
    )
    .expect("write");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": other, "type": 2 }] }),
        )
        .await;
    let edits = changes[&uri].as_array().cloned().unwrap_or_default();
    client
        .change(&uri, 2, &apply_edits(&b, &edits, false))
        .await;
    // The disk change and the buffer change may be checked separately; the last word is clean.
    client
        .diagnostics_until(&uri, |d| d["version"] == 2 && d["diagnostics"] == json!([]))
        .await;
    client.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn restrict_permissions_runs_as_a_command() {
    use std::os::unix::fs::PermissionsExt;
    let text = production("");
    let ws = Workspace::with_policy(POLICY);
    ws.write(".env.production", &text);
    let path = ws.path().join(".env.production");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", &text).await;
    let d = client.diagnostics(&uri).await;
    let diag = find(&d, "insecure-permissions").clone();
    let list = actions(&mut client, &uri, &diag, Some("quickfix")).await;
    let command = &list[0]["command"];
    assert_eq!(
        command["command"],
        secretlint_lsp::RESTRICT_PERMISSIONS_COMMAND
    );
    let r = client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": command["arguments"] }),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
    let mode = std::fs::metadata(&path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or_default();
    assert_eq!(mode, 0o600);
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    // Not a general chmod: a path outside the workspace's env files is refused.
    let r = client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": ["/etc/hostname"] }),
        )
        .await;
    assert!(r.get("error").is_some(), "{r}");
    client.shutdown().await;
}
