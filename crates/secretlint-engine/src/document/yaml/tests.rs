//! Tests of the manifest reader: every span is checked byte for byte against the text.

use std::time::{Duration, Instant};

use super::*;
use crate::document::DocumentKind;

/// Reads `text` and checks what must hold for any document: spans inside the text and on
/// character boundaries, raw spans holding inner spans, comments starting with `#`.
fn read(text: &str) -> Document {
    let doc = Document::parse(DocumentKind::for_path("manifest.yaml"), text);
    for e in &doc.entries {
        for span in [e.key_span, e.raw_value_span, e.inner_value_span, e.span] {
            assert!(
                text.get(span.range()).is_some(),
                "{} has a bad span {span:?}",
                e.key
            );
        }
        assert!(
            e.raw_value_span.contains(e.inner_value_span),
            "{}: raw does not hold inner",
            e.key
        );
        if let Some(c) = e.comment {
            assert!(text[c.range()].starts_with('#'), "{}: comment", e.key);
        }
        assert_eq!(e.line, LineIndex::new(text).line_col(e.key_span.start).0);
    }
    for c in &doc.comments {
        assert!(text[c.range()].starts_with('#'));
        assert!(!text[c.range()].contains(['\r', '\n']));
    }
    for e in &doc.errors {
        assert!(
            text.get(e.span.range()).is_some() && text.get(e.at.range()).is_some(),
            "{e:?}"
        );
    }
    doc
}

/// The entry for `key` in section `section`.
fn entry<'d>(doc: &'d Document, section: usize, key: &str) -> &'d Entry {
    doc.entries
        .iter()
        .find(|e| e.key == key && e.section == section)
        .unwrap_or_else(|| {
            panic!(
                "no `{key}` in section {section}: {:?}",
                doc.entries.iter().map(|e| &e.key).collect::<Vec<_>>()
            )
        })
}

/// Key, raw value and inner value as written.
fn written<'t>(text: &'t str, e: &Entry) -> (&'t str, &'t str, &'t str) {
    (
        &text[e.key_span.range()],
        &text[e.raw_value_span.range()],
        &text[e.inner_value_span.range()],
    )
}

fn yaml(style: YamlStyle, base64: bool) -> ValueEncoding {
    ValueEncoding::Yaml {
        style,
        base64,
        list_item: false,
    }
}

fn list_item(style: YamlStyle) -> ValueEncoding {
    ValueEncoding::Yaml {
        style,
        base64: false,
        list_item: true,
    }
}

const SECRET: &str = "\
# The API's secrets
apiVersion: v1
kind: Secret
metadata:
  name: api
  namespace: production   # where it runs
type: Opaque
data:
  SECRET_KEY: c2VjcmV0LXZhbHVl # base64 of the value
  'QUOTED_KEY': \"aGVsbG8=\"
stringData:
  PLAIN: plain-value
  SINGLE: 'it''s'
  DOUBLE: \"tab\\there\"
  EMPTY:
";

#[test]
fn secret_data_is_decoded_and_spans_point_at_the_base64_text() {
    let doc = read(SECRET);
    assert_eq!(doc.kind, DocumentKind::KubernetesSecret);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(doc.namespace.as_deref(), Some("production"));
    let e = entry(&doc, 0, "SECRET_KEY");
    assert_eq!(e.value.expose(), "secret-value");
    assert_eq!(
        written(SECRET, e),
        ("SECRET_KEY", "c2VjcmV0LXZhbHVl", "c2VjcmV0LXZhbHVl")
    );
    assert_eq!(e.encoding, yaml(YamlStyle::Plain, true));
    assert_eq!(&SECRET[e.span.range()], "SECRET_KEY: c2VjcmV0LXZhbHVl");
    assert_eq!(
        e.comment.map(|c| &SECRET[c.range()]),
        Some("# base64 of the value")
    );
    assert_eq!(e.line, 8);
    assert!(!e.value_is_verbatim(SECRET));

    let e = entry(&doc, 0, "QUOTED_KEY");
    assert_eq!(e.value.expose(), "hello");
    assert_eq!(
        written(SECRET, e),
        ("QUOTED_KEY", "\"aGVsbG8=\"", "aGVsbG8=")
    );
    assert_eq!(&SECRET[e.span.range()], "'QUOTED_KEY': \"aGVsbG8=\"");
    assert_eq!(e.encoding, yaml(YamlStyle::DoubleQuoted, true));
    assert_eq!(e.comment, None);
}

#[test]
fn secret_string_data_keeps_each_quoting_style() {
    let doc = read(SECRET);
    let e = entry(&doc, 0, "PLAIN");
    assert_eq!(written(SECRET, e), ("PLAIN", "plain-value", "plain-value"));
    assert_eq!(e.value.expose(), "plain-value");
    assert_eq!(e.encoding, yaml(YamlStyle::Plain, false));
    assert!(e.value_is_verbatim(SECRET));

    let e = entry(&doc, 0, "SINGLE");
    assert_eq!(written(SECRET, e), ("SINGLE", "'it''s'", "it''s"));
    assert_eq!(e.value.expose(), "it's");
    assert_eq!(e.encoding, yaml(YamlStyle::SingleQuoted, false));

    let e = entry(&doc, 0, "DOUBLE");
    assert_eq!(
        written(SECRET, e),
        ("DOUBLE", "\"tab\\there\"", "tab\\there")
    );
    assert_eq!(e.value.expose(), "tab\there");
    assert_eq!(e.encoding, yaml(YamlStyle::DoubleQuoted, false));

    // A value left out is empty, with an insertion point right after the colon.
    let e = entry(&doc, 0, "EMPTY");
    assert_eq!(e.value.expose(), "");
    assert!(e.raw_value_span.is_empty());
    assert_eq!(
        &SECRET[..e.raw_value_span.start],
        &SECRET[..SECRET.len() - 1]
    );
    assert_eq!(
        doc.comments
            .iter()
            .map(|c| &SECRET[c.range()])
            .collect::<Vec<_>>(),
        ["# The API's secrets"]
    );
}

#[test]
fn block_scalars_span_from_their_header_to_their_last_line() {
    let text = "kind: Secret\n\
                data:\n  \
                  CERT: |\n    \
                    c2VjcmV0\n    \
                    LXZhbHVl\n\n\
                stringData:\n  \
                  LITERAL: |-   # keep this\n    \
                    line one\n      \
                      indented  \n  \
                  FOLDED: >\n    \
                    folded\n    \
                    text\n\
                # after\n";
    let doc = read(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let e = entry(&doc, 0, "CERT");
    // Line breaks inside base64 are ignored, as Kubernetes ignores them.
    assert_eq!(e.value.expose(), "secret-value");
    assert_eq!(
        written(text, e),
        (
            "CERT",
            "|\n    c2VjcmV0\n    LXZhbHVl",
            "c2VjcmV0\n    LXZhbHVl"
        )
    );
    assert_eq!(e.encoding, yaml(YamlStyle::Block, true));
    assert_eq!(e.comment, None);

    let e = entry(&doc, 0, "LITERAL");
    assert_eq!(e.value.expose(), "line one\n  indented  ");
    assert_eq!(
        written(text, e).1,
        "|-   # keep this\n    line one\n      indented  "
    );
    assert_eq!(written(text, e).2, "line one\n      indented  ");

    let e = entry(&doc, 0, "FOLDED");
    assert_eq!(e.value.expose(), "folded text\n");
    assert_eq!(
        written(text, e),
        ("FOLDED", ">\n    folded\n    text", "folded\n    text")
    );
    assert_eq!(&text[e.span.range()], "FOLDED: >\n    folded\n    text");
    assert_eq!(
        doc.comments
            .iter()
            .map(|c| &text[c.range()])
            .collect::<Vec<_>>(),
        ["# after"]
    );
}

#[test]
fn lines_inside_block_scalars_are_not_comments() {
    let text =
        "kind: Secret\nstringData:\n  SCRIPT: |\n    # part of the value\n    x\n# a comment\n";
    let doc = read(text);
    assert_eq!(
        entry(&doc, 0, "SCRIPT").value.expose(),
        "# part of the value\nx\n"
    );
    assert_eq!(
        doc.comments
            .iter()
            .map(|c| &text[c.range()])
            .collect::<Vec<_>>(),
        ["# a comment"]
    );
}

#[test]
fn multi_document_files_read_every_secret_in_its_own_section() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ignored}
spec:
  template:
    spec:
      containers: [{name: api, env: [{name: SECRET_KEY, value: not-read}]}]
---
kind: Secret
metadata:
  namespace: staging
stringData:
  API_KEY: first
---
# comment-only document
---
kind: Secret
metadata:
  namespace: production
stringData:
  API_KEY: second
...
";
    let doc = read(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(doc.kind, DocumentKind::KubernetesSecret);
    assert_eq!(doc.entries.len(), 2);
    assert_eq!(entry(&doc, 0, "API_KEY").value.expose(), "first");
    assert_eq!(entry(&doc, 1, "API_KEY").value.expose(), "second");
    assert_eq!(written(text, entry(&doc, 1, "API_KEY")).1, "second");
    // The first Secret's namespace; a Deployment's is not a Secret's.
    assert_eq!(doc.namespace.as_deref(), Some("staging"));
    assert_eq!(
        doc.comments
            .iter()
            .map(|c| &text[c.range()])
            .collect::<Vec<_>>(),
        ["# comment-only document"]
    );
}

#[test]
fn a_list_of_secrets_is_read_like_several_secrets() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  data: {A: YQ==}\n- kind: ConfigMap\n  data: {B: not-base64}\n- kind: Secret\n  stringData: {C: c}\n";
    let doc = read(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let keys: Vec<(&str, usize, &str)> = doc
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.section, e.value.expose()))
        .collect();
    assert_eq!(keys, [("A", 0, "a"), ("C", 1, "c")]);
    assert_eq!(written(text, &doc.entries[0]), ("A", "YQ==", "YQ=="));
}

#[test]
fn crlf_files_keep_exact_spans() {
    let text = "kind: Secret\r\n# note\r\nstringData:\r\n  A: 'one' # c\r\n  B: |\r\n    two\r\n    lines\r\n  C: \"x\"\r\n";
    let doc = read(text);
    assert!(doc.crlf);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let a = entry(&doc, 0, "A");
    assert_eq!(written(text, a), ("A", "'one'", "one"));
    assert_eq!(a.comment.map(|c| &text[c.range()]), Some("# c"));
    let b = entry(&doc, 0, "B");
    assert_eq!(b.value.expose(), "two\nlines\n");
    assert_eq!(written(text, b).1, "|\r\n    two\r\n    lines");
    assert_eq!(written(text, entry(&doc, 0, "C")).1, "\"x\"");
    assert_eq!(
        doc.comments
            .iter()
            .map(|c| &text[c.range()])
            .collect::<Vec<_>>(),
        ["# note"]
    );
    assert!(!read("kind: Secret\n").crlf);
}

#[test]
fn offsets_are_bytes_after_multibyte_text() {
    // The parser counts characters; spans must still be bytes.
    let text = "\u{feff}# clé: ünïcode ✓\nkind: Secret\nmetadata: {name: \"naïve\"}\nstringData:\n  MOT_DE_PASSE: \"pässwörd\" # ✓\n  NEXT: plain\n";
    let doc = read(text);
    let e = entry(&doc, 0, "MOT_DE_PASSE");
    assert_eq!(
        written(text, e),
        ("MOT_DE_PASSE", "\"pässwörd\"", "pässwörd")
    );
    assert_eq!(e.comment.map(|c| &text[c.range()]), Some("# ✓"));
    assert_eq!(written(text, entry(&doc, 0, "NEXT")).1, "plain");
    assert_eq!(&text[doc.comments[0].range()], "# clé: ünïcode ✓");
}

#[test]
fn anchors_and_tags_are_not_part_of_the_value_token() {
    let text = "kind: Secret\nstringData:\n  A: &shared !!str shared-value\n  B: *shared\n  C: !!binary |\n    x\n";
    let doc = read(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let a = entry(&doc, 0, "A");
    assert_eq!(written(text, a), ("A", "shared-value", "shared-value"));
    // An alias points at the anchored text, which is what a rewrite changes.
    let b = entry(&doc, 0, "B");
    assert_eq!(b.value.expose(), "shared-value");
    assert_eq!(b.raw_value_span, a.raw_value_span);
    assert_eq!(&text[b.key_span.range()], "B");
    assert_eq!(&text[b.span.range()], "B: *shared");
    assert_eq!(written(text, entry(&doc, 0, "C")).1, "|\n    x");
}

#[test]
fn bad_base64_and_binary_data_are_errors_without_the_value() {
    let text = "kind: Secret\ndata:\n  GOOD: YQ==\n  BAD: not*base64\n  SHORT: YQ\n  BINARY: //79\nstringData:\n  AFTER: fine\n";
    let doc = read(text);
    let keys: Vec<&str> = doc.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["GOOD", "AFTER"]);
    let errors: Vec<(&str, &str)> = doc
        .errors
        .iter()
        .map(|e| (&text[e.at.range()], e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "not*base64",
                "the value of `BAD` in `data` is not valid base64"
            ),
            ("YQ", "the value of `SHORT` in `data` is not valid base64"),
            (
                "//79",
                "the value of `BINARY` in `data` is not UTF-8 text once decoded from base64"
            ),
        ]
    );
    // The error's span covers the whole line so that snippets mask it.
    assert_eq!(&text[doc.errors[0].span.range()], "  BAD: not*base64");
}

#[test]
fn values_that_are_not_strings_are_errors() {
    let text =
        "kind: Secret\ndata: [a, b]\nstringData:\n  NESTED: {a: b}\n  [complex]: x\n  OK: y\n";
    let doc = read(text);
    assert_eq!(
        doc.entries
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["OK"]
    );
    let messages: Vec<&str> = doc.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`data` of a Secret is not a mapping",
            "the value of `NESTED` in `stringData` is not a string",
            "a key in `stringData` is not a string",
        ]
    );
}

#[test]
fn syntax_errors_end_the_file_but_keep_earlier_documents() {
    let text = "kind: Secret\nstringData:\n  A: fine\n---\nkind: Secret\nstringData:\n  B: \"unterminated\n  C: hidden\n";
    let doc = read(text);
    assert_eq!(
        doc.entries
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["A"]
    );
    assert_eq!(doc.errors.len(), 1);
    let e = &doc.errors[0];
    assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
    assert!(!e.message.ends_with('.'));
    // Nothing after the failing document's start was read: all of it is masked.
    assert_eq!(
        &text[e.span.range()],
        &text[text.find("---").unwrap_or(0)..]
    );
    assert!(e.span.contains(e.at));
}

#[test]
fn neither_a_secret_nor_compose_is_an_empty_document() {
    for text in [
        "apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: 2}\n",
        "on: push\njobs: {}\n",
        "",
        "# only a comment\n",
        "- a\n- b\n",
        "plain scalar\n",
        "kind: ConfigMap\ndata: {KEY: value}\n",
        "x: &x 1\n<<: *x\n",
    ] {
        let doc = read(text);
        assert_eq!(doc.kind, DocumentKind::Yaml, "{text}");
        assert!(
            doc.entries.is_empty() && doc.errors.is_empty(),
            "{text}: {:?}",
            doc.errors
        );
        assert_eq!(doc.namespace, None);
    }
}

#[test]
fn paths_pick_the_yaml_reader_by_extension() {
    assert_eq!(
        DocumentKind::for_path("k8s/production/api-secret.yaml"),
        DocumentKind::Yaml
    );
    assert_eq!(
        DocumentKind::for_path("docker-compose.YML"),
        DocumentKind::Yaml
    );
    assert_eq!(
        DocumentKind::for_path("api/.env.production"),
        DocumentKind::Env
    );
    assert_eq!(DocumentKind::for_path("yaml"), DocumentKind::Env);
    assert_eq!(DocumentKind::for_path("dir.yaml/.env"), DocumentKind::Env);
}

#[test]
fn asking_for_one_kind_reads_only_that_kind() {
    let compose = "services:\n  api:\n    environment: {A: b}\n";
    assert!(
        Document::parse(DocumentKind::KubernetesSecret, compose)
            .entries
            .is_empty()
    );
    assert_eq!(
        Document::parse(DocumentKind::KubernetesSecret, compose).kind,
        DocumentKind::KubernetesSecret
    );
    assert_eq!(
        Document::parse(DocumentKind::Compose, compose)
            .entries
            .len(),
        1
    );
    assert!(
        Document::parse(DocumentKind::Compose, SECRET)
            .entries
            .is_empty()
    );
}

// --- docker compose ---------------------------------------------------------------------

const COMPOSE: &str = "\
x-common: &common
  LOG_LEVEL: info
  SHARED_API_KEY: from-anchor

services:
  api:
    image: api:latest
    environment:
      <<: *common
      SECRET_KEY: api-secret   # api only
      DATABASE_URL: \"postgres://u:${DB_PASSWORD}@db/app\"
      FROM_SHELL:
      ALIAS_ONLY: ${SECRET_KEY}
      WITH_DEFAULT: ${TOKEN:-weak-default}
      DOLLARS: a$$b
      PORT: 8080
  worker:
    environment:
      - SECRET_KEY=worker-secret # worker
      - \"QUOTED=x y\"
      - PASSED_THROUGH
      - EMPTY=
  db:
    image: postgres
";

#[test]
fn compose_map_form_with_merges_and_interpolation() {
    let doc = read(COMPOSE);
    assert_eq!(doc.kind, DocumentKind::Compose);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let keys: Vec<&str> = doc
        .entries
        .iter()
        .filter(|e| e.section == 0)
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "LOG_LEVEL",
            "SHARED_API_KEY",
            "SECRET_KEY",
            "DATABASE_URL",
            "ALIAS_ONLY",
            "WITH_DEFAULT",
            "DOLLARS",
            "PORT"
        ]
    );

    // Merged from the anchor: the spans are the anchor's.
    let e = entry(&doc, 0, "SHARED_API_KEY");
    assert_eq!(
        written(COMPOSE, e),
        ("SHARED_API_KEY", "from-anchor", "from-anchor")
    );
    assert_eq!(e.line, 2);

    let e = entry(&doc, 0, "SECRET_KEY");
    assert_eq!(
        written(COMPOSE, e),
        ("SECRET_KEY", "api-secret", "api-secret")
    );
    assert_eq!(e.comment.map(|c| &COMPOSE[c.range()]), Some("# api only"));
    assert!(!e.has_references);

    let e = entry(&doc, 0, "DATABASE_URL");
    assert_eq!(e.value.expose(), "postgres://u:@db/app");
    assert_eq!(written(COMPOSE, e).2, "postgres://u:${DB_PASSWORD}@db/app");
    assert!(e.has_references && e.unresolved_references && !e.only_references);

    let e = entry(&doc, 0, "ALIAS_ONLY");
    assert_eq!(e.value.expose(), "");
    assert!(e.only_references);

    // A default written in the file is a value and is judged.
    let e = entry(&doc, 0, "WITH_DEFAULT");
    assert_eq!(e.value.expose(), "weak-default");
    assert!(e.has_references && !e.only_references);

    assert_eq!(entry(&doc, 0, "DOLLARS").value.expose(), "a$b");
    assert_eq!(entry(&doc, 0, "PORT").value.expose(), "8080");
}

#[test]
fn compose_list_form_splits_name_and_value() {
    let doc = read(COMPOSE);
    let keys: Vec<&str> = doc
        .entries
        .iter()
        .filter(|e| e.section == 1)
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(keys, ["SECRET_KEY", "QUOTED", "EMPTY"]);

    let e = entry(&doc, 1, "SECRET_KEY");
    assert_eq!(
        written(COMPOSE, e),
        ("SECRET_KEY", "worker-secret", "worker-secret")
    );
    assert_eq!(&COMPOSE[e.span.range()], "- SECRET_KEY=worker-secret");
    assert_eq!(e.comment.map(|c| &COMPOSE[c.range()]), Some("# worker"));
    assert_eq!(e.encoding, list_item(YamlStyle::Plain));
    assert!(e.value_is_verbatim(COMPOSE));

    let e = entry(&doc, 1, "QUOTED");
    assert_eq!(written(COMPOSE, e), ("QUOTED", "x y", "x y"));
    // Inside the item's quotes: a rewrite escapes for the style but adds no quotes.
    assert_eq!(e.encoding, list_item(YamlStyle::DoubleQuoted));
    assert_eq!(&COMPOSE[e.span.range()], "- \"QUOTED=x y\"");

    let e = entry(&doc, 1, "EMPTY");
    assert_eq!(e.value.expose(), "");
    assert!(e.raw_value_span.is_empty());
    assert_eq!(&COMPOSE[e.key_span.start..e.raw_value_span.start], "EMPTY=");
}

#[test]
fn the_same_key_in_two_services_is_two_sections() {
    let doc = read(COMPOSE);
    let a = entry(&doc, 0, "SECRET_KEY");
    let b = entry(&doc, 1, "SECRET_KEY");
    assert_ne!(a.section, b.section);
    assert_eq!(doc.namespace, None);
}

#[test]
fn compose_errors_name_the_service_and_key() {
    let text = "services:\n  api:\n    environment: just-a-string\n  web:\n    environment:\n      A: [1]\n      B: ${unterminated\n      - 3\n";
    // `- 3` under a mapping is a syntax error; read up to it.
    let doc = read(text);
    assert!(
        doc.errors
            .iter()
            .any(|e| e.message.starts_with("invalid YAML")),
        "{:?}",
        doc.errors
    );

    let text = "services:\n  api:\n    environment: just-a-string\n  web:\n    environment:\n      A: [1]\n      B: ${unterminated\n      C: ${}\n";
    let doc = read(text);
    assert!(doc.entries.is_empty());
    let messages: Vec<&str> = doc.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the `environment` of service `api` is neither a mapping nor a list",
            "the value of `A` in service `web` is not a string",
            "the value of `B` holds an unterminated `${` reference",
            "the value of `C` holds an invalid `${...}` reference",
        ]
    );
    assert_eq!(&text[doc.errors[2].at.range()], "${unterminated");
}

#[test]
fn services_merged_from_an_anchor_bring_their_environment() {
    let text = "x-base: &base\n  environment:\n    SECRET_KEY: base-value\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n    environment:\n      SECRET_KEY: own\n";
    let doc = read(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(entry(&doc, 0, "SECRET_KEY").value.expose(), "base-value");
    // A setting written in the service wins over the merged one.
    assert_eq!(entry(&doc, 1, "SECRET_KEY").value.expose(), "own");
    assert_eq!(doc.entries.len(), 2);
}

// --- limits -------------------------------------------------------------------------------

/// The "billion laughs": nine aliases of nine aliases of ..., 9^9 strings if expanded.
fn billion_laughs(prefix: &str) -> String {
    let mut text = String::from(prefix);
    text.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in "bcdefghi".chars().enumerate() {
        let prev = char::from(b'a' + i as u8);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text
}

#[test]
fn an_alias_bomb_is_an_error_found_quickly() {
    let started = Instant::now();
    let text = billion_laughs("kind: Secret\nstringData: {A: ok}\n");
    let doc = read(&text);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(doc.entries.is_empty());
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(
        doc.errors[0].message,
        format!(
            "aliases expand the document to more than {MAX_EXPANDED_NODES} nodes, as an alias bomb does"
        )
    );
    assert_eq!(&text[doc.errors[0].at.range()], "*");
    // The whole document is left out (and masked).
    assert_eq!(doc.errors[0].span, Span::new(0, text.len()));
}

#[test]
fn a_bomb_in_one_document_leaves_the_others_readable() {
    let text = format!(
        "{}---\nkind: Secret\nstringData: {{A: ok}}\n",
        billion_laughs("")
    );
    let doc = read(&text);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.entries.len(), 1);
    assert_eq!(doc.entries[0].key, "A");
}

#[test]
fn merge_bombs_are_caught_before_they_are_walked() {
    // Each level merges the previous one nine times: 9^8 pairs if walked naively.
    let mut text = String::from("kind: Secret\nl0: &l0 {A: x, B: y}\n");
    for i in 1..9 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        text.push_str(&format!("l{i}: &l{i} {{<<: [{refs}]}}\n"));
    }
    text.push_str("stringData:\n  <<: *l8\n");
    let started = Instant::now();
    let doc = read(&text);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(doc.entries.is_empty());
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
}

#[test]
fn small_merges_of_merges_still_read() {
    let text = "kind: Secret\nbase: &base {A: a, B: b}\nmid: &mid {<<: [*base, *base], B: mid}\nstringData: {<<: *mid, C: c}\n";
    let doc = read(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let got: Vec<(&str, &str)> = doc
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.value.expose()))
        .collect();
    assert_eq!(got, [("B", "mid"), ("A", "a"), ("C", "c")]);
}

#[test]
fn recursive_aliases_and_deep_nesting_are_errors() {
    let doc = read("kind: Secret\nloop: &r [*r]\n");
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(
        doc.errors[0].message,
        "an alias refers to the node that contains it"
    );

    // Block nesting past the limit (flow nesting is refused by the parser itself).
    let mut text = String::from("kind: Secret\n");
    for depth in 0..MAX_DEPTH + 10 {
        text.push_str(&" ".repeat(depth));
        text.push_str("k:\n");
    }
    let doc = read(&text);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(
        doc.errors[0].message,
        format!("the document is nested more than {MAX_DEPTH} levels deep")
    );

    let doc = read(&format!("kind: Secret\ndeep: {}\n", "[".repeat(10_000)));
    assert_eq!(doc.errors.len(), 1);
    assert!(
        doc.errors[0].message.starts_with("invalid YAML"),
        "{:?}",
        doc.errors
    );
}

#[test]
fn too_many_nodes_and_too_large_files_are_errors() {
    let mut text = String::from("kind: Secret\nitems: [");
    text.push_str(&"1,".repeat(MAX_NODES));
    text.push_str("]\n---\nkind: Secret\nstringData: {A: still-read}\n");
    let doc = read(&text);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(
        doc.errors[0].message,
        format!("the document has more than {MAX_NODES} nodes")
    );
    assert_eq!(doc.entries.len(), 1);

    let big = format!(
        "kind: Secret\nstringData: {{A: {}}}\n",
        "x".repeat(MAX_BYTES)
    );
    let doc = read(&big);
    assert!(doc.entries.is_empty());
    assert_eq!(
        doc.errors[0].message,
        "the file is larger than 8 MiB, the most a manifest may be"
    );
}

// --- robustness ---------------------------------------------------------------------------

mod robustness {
    use proptest::prelude::*;

    use super::read;

    /// Pieces of Secrets and compose files, glued in any order.
    const PIECES: &[&str] = &[
        "kind: Secret\n",
        "kind: List\nitems:\n",
        "data:\n",
        "stringData:\n",
        "metadata:\n  namespace: ns\n",
        "services:\n",
        "  api:\n",
        "    environment:\n",
        "      - K=v\n",
        "      K: ${V:-d}\n",
        "  A: ",
        "  - ",
        "'x''y'",
        "\"y\\\"\\n\"",
        "|\n",
        "|-\n",
        ">+\n",
        "    text\n",
        "&a ",
        "*a",
        "<<: ",
        "!!binary ",
        "---\n",
        "...\n",
        "# c\n",
        " # t\n",
        "\r\n",
        "\n",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ": ",
        "é✓",
        "YQ==",
        "\t",
        "? ",
        "- ",
        "    ",
        "\u{feff}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn any_text_reads_without_panicking(text in "[ -~\t\r\n\u{e9}\u{2713}\u{feff}]{0,120}") {
            read(&text);
        }

        #[test]
        fn manifest_like_text_keeps_every_invariant(parts in prop::collection::vec(prop::sample::select(PIECES), 0..40)) {
            read(&parts.concat());
        }
    }
}
