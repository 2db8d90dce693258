//! Diagnostics: published on open and change, cleared on close, positions in the negotiated
//! encoding, related information across files, ordering, and agreement with the CLI.

use std::collections::BTreeSet;

use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::{CheckOptions, LedgerInput, Policy, PolicyOrigin};
use serde_json::{Value, json};

use crate::support::{Caps, Client, FRESH, POLICY, Workspace, codes, find};

const STRONG: &str = "Vq3xT9mLr2Zp8KwB7nHc4YdJf6GsA1Ee";

#[tokio::test]
async fn open_publishes_rule_code_link_severity_and_version() {
    let ws = Workspace::with_policy(POLICY);
    let text = format!(
        "{FRESH}SECRET_KEY=tiny-value\nSESSION_KEY={STRONG}\nVAULT_TOKEN=s.Xk29fPq7Lm3ZtR8wNb5Yc1Hd\n"
    );
    ws.write(".env.production", &text);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env.production");
    client.open(&uri, "dotenv", &text).await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["version"], 1);
    assert_eq!(codes(&d), ["too-short"], "{d}");
    let diag = find(&d, "too-short");
    assert_eq!(diag["source"], "secretlint");
    assert_eq!(diag["severity"], 1, "errors are errors");
    assert_eq!(
        diag["codeDescription"]["href"],
        format!("{}too-short", secretlint_lsp::RULE_DOCS_BASE)
    );
    assert_eq!(
        diag["range"],
        json!({ "start": { "line": 1, "character": 11 }, "end": { "line": 1, "character": 21 } })
    );
    let message = diag["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("`SECRET_KEY` is too short: 10 of 32 characters"),
        "{message}"
    );
    assert!(
        message.contains("governed by profile `token`"),
        "notes follow the message: {message}"
    );
    assert!(!client.transcript().contains("tiny-value"));
    client.shutdown().await;
}

#[tokio::test]
async fn change_republishes_and_close_clears() {
    let ws = Workspace::with_policy(POLICY);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env");
    client.open(&uri, "dotenv", "SECRET_KEY=abc\n").await;
    let d = client.diagnostics(&uri).await;
    let diag = find(&d, "too-short");
    assert_eq!(
        diag["severity"], 2,
        "a relaxed environment makes it a warning"
    );
    client
        .change(&uri, 2, "SECRET_KEY=abc\nPOSTGRES_PASSWORD=hunter2\n")
        .await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["version"], 2);
    assert_eq!(d["diagnostics"].as_array().map(Vec::len), Some(2), "{d}");
    client
        .change(&uri, 3, &format!("SECRET_KEY={STRONG}\n"))
        .await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["version"], 3);
    assert_eq!(d["diagnostics"], json!([]));
    client.change(&uri, 4, "SECRET_KEY=abc\n").await;
    client
        .diagnostics_until(&uri, |d| !codes(d).is_empty())
        .await;
    client.close(&uri).await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(d["diagnostics"], json!([]), "closing clears");
    client.shutdown().await;
}

/// Columns count UTF-16 code units (an emoji is two) unless UTF-8 was negotiated (bytes).
#[tokio::test]
async fn positions_are_correct_after_non_ascii_text() {
    let text = "# Zugangsdaten für die Datenbank 🔐\nDATABASE_URL=postgres://müller😀:weak@db:5432/app\nPOSTGRES_PASSWORD=\"pässwörd😀\"\n";
    for (utf8, url_start, url_end, pw_end) in [(false, 33, 37, 30), (true, 36, 40, 34)] {
        let ws = Workspace::with_policy(POLICY);
        let mut client = Client::start(
            Some(&ws.path()),
            Caps {
                utf8,
                ..Caps::default()
            },
        )
        .await;
        let uri = ws.uri(".env");
        client.open(&uri, "dotenv", text).await;
        let d = client.diagnostics(&uri).await;
        let diags = d["diagnostics"].as_array().cloned().unwrap_or_default();
        let on_line = |line: u64| {
            diags
                .iter()
                .find(|x| x["range"]["start"]["line"] == line && x["code"] != "linked-mismatch")
                .unwrap_or_else(|| panic!("nothing on line {line}: {d}"))
        };
        let url = on_line(1);
        assert_eq!(
            url["range"]["start"]["character"], url_start,
            "utf8={utf8}: {url}"
        );
        assert_eq!(url["range"]["end"]["character"], url_end, "utf8={utf8}");
        let pw = on_line(2);
        assert_eq!(pw["range"]["start"]["character"], 18);
        assert_eq!(pw["range"]["end"]["character"], pw_end, "utf8={utf8}: {pw}");
        client.shutdown().await;
    }
}

#[tokio::test]
async fn a_reused_value_points_at_the_other_file() {
    let ws = Workspace::with_policy(POLICY);
    ws.write(
        "api/.env.production",
        &format!("# prod\nSECRET_KEY={STRONG}\n"),
    );
    let staging = format!("SECRET_KEY={STRONG}\n");
    ws.write("api/.env.staging", &staging);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri("api/.env.staging");
    client.open(&uri, "dotenv", &staging).await;
    let d = client.diagnostics(&uri).await;
    let diag = find(&d, "reused-across-environments");
    let related = &diag["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], ws.uri("api/.env.production"));
    assert_eq!(
        related["location"]["range"],
        json!({ "start": { "line": 1, "character": 11 }, "end": { "line": 1, "character": 43 } })
    );
    assert!(
        !client.transcript().contains(STRONG),
        "no value in any message"
    );
    client.shutdown().await;
}

/// Handlers run concurrently; a change that is not newer than the stored one must be dropped,
/// or a slow v2 could overwrite v3 and leave stale diagnostics.
#[tokio::test]
async fn a_change_older_than_the_stored_version_is_ignored() {
    let ws = Workspace::with_policy(POLICY);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env");
    client
        .open(&uri, "dotenv", &format!("SECRET_KEY={STRONG}\n"))
        .await;
    assert_eq!(client.diagnostics(&uri).await["diagnostics"], json!([]));
    client.change(&uri, 3, "SECRET_KEY=weak\n").await;
    client
        .change(&uri, 2, &format!("SECRET_KEY={STRONG}\n"))
        .await;
    let d = client.diagnostics_until(&uri, |d| d["version"] == 3).await;
    assert_eq!(codes(&d), ["too-short"]);
    // A round trip: everything sent before it has been handled.
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 2 } }),
        )
        .await;
    let contents = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        contents.contains("`too-short`"),
        "the server kept v3: {contents}"
    );
    client.change(&uri, 4, "SECRET_KEY=weak\n# v4\n").await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(
        d["version"], 4,
        "no publication for the dropped v2 came in between: {d}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_burst_of_changes_ends_with_the_last_text() {
    let ws = Workspace::with_policy(POLICY);
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    let uri = ws.uri(".env");
    client.open(&uri, "dotenv", "SECRET_KEY=a\n").await;
    for v in 2..=40 {
        let value = if v == 40 {
            STRONG.to_owned()
        } else {
            "x".repeat(v as usize)
        };
        client
            .change(&uri, v, &format!("SECRET_KEY={value}\n"))
            .await;
    }
    let d = client.diagnostics_until(&uri, |d| d["version"] == 40).await;
    assert_eq!(d["diagnostics"], json!([]));
    client.shutdown().await;
}

/// Copies a directory tree (hidden files included) into the workspace.
fn copy_tree(
    ws: &Workspace,
    from: &std::path::Path,
    prefix: &str,
    out: &mut Vec<(String, String)>,
) {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            copy_tree(ws, &path, &rel, out);
        } else {
            let text = std::fs::read_to_string(&path).expect("fixture");
            ws.write(&rel, &text);
            out.push((rel, text));
        }
    }
}

/// The CLI and the server run the same engine call on the same files and must agree, finding
/// for finding, on the JobSwipe sample (its policy, rotation metadata and planted problems).
#[tokio::test]
async fn the_server_reports_what_the_cli_reports() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let ws = Workspace::new();
    let mut files = Vec::new();
    copy_tree(&ws, &repo.join("tests/fixtures/jobswipe"), "", &mut files);
    files.retain(|(rel, _)| rel.contains(".env"));
    // One group- and world-readable file, so permissions are compared too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = ws.path().join(&files[0].0);
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    let now: jiff::Timestamp = "2026-11-30T00:00:00Z".parse().expect("time");

    // What `secretlint check` does: find the policy, walk, read the ledger, check.
    let policy = Policy::from_toml(
        &std::fs::read_to_string(ws.path().join("secretlint.toml")).expect("policy"),
        PolicyOrigin::File("secretlint.toml".into()),
    )
    .expect("valid policy");
    let walk = WalkOptions {
        root: ws.path(),
        paths: vec![ws.path()],
        exclude: Vec::new(),
        threads: 0,
    };
    let ledger = std::fs::read_to_string(ws.path().join(&policy.ledger))
        .ok()
        .map(|text| LedgerInput {
            path: policy.ledger.clone(),
            text,
        });
    assert!(ledger.is_some(), "the sample has rotation metadata");
    let report = secretlint_engine::check(
        &policy,
        discover::collect(&policy, &walk).expect("walk"),
        &CheckOptions {
            now: Some(now),
            ledger,
            ..Default::default()
        },
    );
    let mut cli: BTreeSet<(String, String, usize, usize, String)> = BTreeSet::new();
    for f in &report.findings {
        let path = report.file(f).path.clone();
        if !files.iter().any(|(rel, _)| *rel == path) {
            continue;
        }
        let mut message = f.message.to_string();
        for n in &f.notes {
            message.push('\n');
            message.push_str(n);
        }
        cli.insert((
            path,
            f.rule.id().to_owned(),
            f.span.start,
            f.span.end,
            message,
        ));
    }
    assert!(
        cli.len() >= 20,
        "the sample has many findings: {}",
        cli.len()
    );
    assert!(
        cli.iter().any(|f| f.1 == "stale"),
        "age findings are compared too"
    );

    let options = secretlint_lsp::Options {
        now: Some(now),
        ..Default::default()
    };
    let mut client =
        Client::start_with(Some(&ws.path()), Caps::default(), options, json!({})).await;
    for (rel, text) in &files {
        client.open(&ws.uri(rel), "dotenv", text).await;
    }
    let mut lsp: BTreeSet<(String, String, usize, usize, String)> = BTreeSet::new();
    for (rel, _) in &files {
        let d = client.diagnostics(&ws.uri(rel)).await;
        for diag in d["diagnostics"].as_array().cloned().unwrap_or_default() {
            let data: &Value = &diag["data"];
            let span = |i: usize| data["span"][i].as_u64().unwrap_or(u64::MAX) as usize;
            lsp.insert((
                rel.clone(),
                diag["code"].as_str().unwrap_or_default().to_owned(),
                span(0),
                span(1),
                diag["message"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    let only_cli: Vec<_> = cli.difference(&lsp).collect();
    let only_lsp: Vec<_> = lsp.difference(&cli).collect();
    assert!(
        only_cli.is_empty() && only_lsp.is_empty(),
        "only in the CLI: {only_cli:#?}\nonly in the server: {only_lsp:#?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_file_changed_on_disk_rechecks_open_documents() {
    let ws = Workspace::with_policy(POLICY);
    ws.write(
        "api/.env.production",
        "SECRET_KEY=Zq8WnB4vLk2Tr7Yx9Mp3Hd6Cs1Gf5Ja0E\n",
    );
    let staging = format!("{FRESH}SECRET_KEY={STRONG}\n");
    ws.write("api/.env.staging", &staging);
    let mut client = Client::start(
        Some(&ws.path()),
        Caps {
            watch: true,
            ..Caps::default()
        },
    )
    .await;
    let uri = ws.uri("api/.env.staging");
    client.open(&uri, "dotenv", &staging).await;
    assert_eq!(client.diagnostics(&uri).await["diagnostics"], json!([]));
    ws.write("api/.env.production", &format!("SECRET_KEY={STRONG}\n"));
    let changes = json!({ "changes": [{ "uri": ws.uri("api/.env.production"), "type": 2 }] });
    client
        .notify("workspace/didChangeWatchedFiles", changes)
        .await;
    let d = client.diagnostics(&uri).await;
    assert_eq!(codes(&d), ["reused-across-environments"]);
    client.shutdown().await;
}
