//! Hostile buffers: what the CLI's hostile-input suite throws at `check` (tests/cli/hostile.rs),
//! given to the server as editor buffers. Each is diagnosed (or cleanly not), the server
//! answers a hover on it, and it stays up for the next buffer. A buffer cannot hold invalid
//! UTF-8 (LSP text is JSON), and files the server never opens (FIFOs, symlink loops) are the
//! CLI suite's; the rest are here.

use serde_json::json;

use crate::support::{Caps, Client, POLICY, Workspace, codes};

/// POLICY, plus Kubernetes Secrets and compose files in production.
fn policy() -> String {
    POLICY.replace(
        "files = [\"**/.env.production\"]",
        "files = [\"**/.env.production\", \"**/k8s/*.yaml\", \"**/docker-compose.yml\"]",
    )
}

/// Fake, generated-looking text of `len` characters, never a real secret.
fn noise(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(CHARS[(x % CHARS.len() as u64) as usize])
        })
        .collect()
}

fn billion_laughs() -> String {
    let mut y = String::from("apiVersion: v1\nkind: Secret\nmetadata:\n  name: bomb\n");
    y.push_str(
        "x0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let prev = i - 1;
        let refs = vec![format!("*a{prev}"); 9].join(",");
        y.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    y.push_str("stringData:\n  SECRET_KEY: *a9\n");
    y
}

/// (file, text, a rule the buffer must be diagnosed with, if any).
fn cases() -> Vec<(&'static str, String, Option<&'static str>)> {
    let long_file: String = (0..20_000)
        .map(|i| format!("KEY_{i}={}\n", noise(12)))
        .collect();
    vec![
        (
            ".env.production",
            format!("SECRET_KEY={}\0\0\nSESSION_KEY=a\0b\n", noise(8)),
            None,
        ),
        (
            ".env.production",
            format!("SECRET_KEY={}\n", noise(5 << 20)),
            None,
        ),
        (
            ".env.production",
            format!("\u{feff}SECRET_KEY={}\n", noise(6)),
            Some("too-short"),
        ),
        (
            ".env.production",
            format!("SECRET_KEY={}\rSESSION_KEY=x\rVAULT_TOKEN=y\r", noise(6)),
            Some("too-short"),
        ),
        (
            ".env.production",
            format!("SECRET_KEY=\"{}\n{long_file}", noise(10)),
            Some("syntax-error"),
        ),
        ("k8s/bomb.yaml", billion_laughs(), Some("syntax-error")),
        (
            "k8s/broken.yaml",
            "apiVersion: v1\nkind: Secret\nstringData:\n  SECRET_KEY: [unclosed\n  : : :\n"
                .to_owned(),
            Some("syntax-error"),
        ),
        (
            "k8s/base64.yaml",
            "apiVersion: v1\nkind: Secret\ndata:\n  SECRET_KEY: not*base64!\n".to_owned(),
            Some("syntax-error"),
        ),
        (".env.production", String::new(), None),
    ]
}

#[tokio::test]
async fn hostile_buffers_are_diagnosed_and_the_server_stays_up() {
    let ws = Workspace::with_policy(&policy());
    let mut client = Client::start(Some(&ws.path()), Caps::default()).await;
    for (n, (file, text, rule)) in cases().into_iter().enumerate() {
        let uri = ws.uri(&format!("case{n}/{file}"));
        let language = if file.ends_with(".yaml") {
            "yaml"
        } else {
            "dotenv"
        };
        client.open(&uri, language, &text).await;
        let d = client.diagnostics(&uri).await;
        if let Some(rule) = rule {
            assert!(
                codes(&d).iter().any(|c| c == rule),
                "case {n} ({file}): expected `{rule}` in {:?}",
                codes(&d)
            );
        }
        // The server still answers, on the hostile buffer itself.
        let hover = client
            .request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 3 } }),
            )
            .await;
        assert!(hover.get("error").is_none(), "case {n}: {hover}");
        client.close(&uri).await;
        let cleared = client.diagnostics(&uri).await;
        assert_eq!(cleared["diagnostics"], json!([]), "case {n}");
    }
    // Nothing of any value reached the client. Every planted value starts with the same
    // generated run (the generator restarts per call), so its first 6 characters stand for all.
    let transcript = client.transcript();
    assert!(
        !transcript.contains(&noise(6)),
        "a value reached the client"
    );
    client.shutdown().await;
}
