//! `--format sarif`: one SARIF 2.1.0 log for code-scanning services and IDE viewers.
//!
//! Every rule of the registry is listed in `tool.driver.rules` with its documentation (the
//! same text as `secretlint explain`) and a help URI under [`DOCS_BASE`]. Regions use 1-based
//! lines and columns in UTF-16 code units, SARIF's default `columnKind`, stated explicitly.
//! Results carry no snippet: a region's snippet must be the file's real text, which is the
//! value. `partialFingerprints` holds the same content key a baseline uses (path, rule, key),
//! so a code-scanning service tracks a finding across edits that move lines.

use std::io::Write;
use std::path::Path;

use std::collections::HashMap;

use secretlint_engine::baseline::{Identity, identity};
use secretlint_engine::shard::stable_hash;
use secretlint_engine::{Finding, LineIndex, Rule, Severity, SourceFile, Span};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{Run, array_slot, line_col_utf16, line_indexes, write_with_array};

/// Where rule documentation is published: `DOCS_BASE` + rule id. The full text is also
/// embedded in each rule's `help`, so nothing depends on the site being reachable.
pub const DOCS_BASE: &str = "https://secretlint.dev/rules/";

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

pub fn write(out: &mut dyn Write, run: &Run) -> anyhow::Result<()> {
    let log = Log::new(run);
    // The occurrence numbers that tell identical fingerprints apart follow report order, so
    // they are counted first; then the results are rendered on every core and spliced in.
    let numbered = log.numbered();
    write_with_array(out, &log, "results", &numbered, |&(f, nth)| {
        log.result(f, nth)
    })?;
    writeln!(out)?;
    Ok(())
}

/// The SARIF log as a JSON value.
#[cfg(test)]
pub fn log(run: &Run) -> Value {
    let mut text = Vec::new();
    write(&mut text, run).expect("a SARIF log renders");
    serde_json::from_slice(&text).expect("the SARIF log is JSON")
}

/// The log, serialized with a slot for its results, which `write` renders a batch at a time on
/// every core: a report of 150,000 findings never exists as one JSON tree in memory.
struct Log<'r> {
    run: &'r Run<'r>,
    indexes: Vec<Option<LineIndex>>,
    /// For each file of the report, its index in `artifacts`.
    artifact_of: Vec<Option<usize>>,
    artifacts: Vec<Value>,
}

impl<'r> Log<'r> {
    fn new(run: &'r Run<'r>) -> Log<'r> {
        let report = run.report;
        let indexes = line_indexes(report);
        // Artifacts: the files results point into, in report order, so indexes are stable.
        let mut artifact_of: Vec<Option<usize>> = vec![None; report.files.len()];
        let mut artifacts = Vec::new();
        for (i, idx) in indexes.iter().enumerate() {
            if idx.is_some() {
                artifact_of[i] = Some(artifacts.len());
                let file = &report.files[i];
                artifacts.push(
                    json!({ "location": artifact_location(&file.path, None), "length": file.text.len() }),
                );
            }
        }
        Log {
            run,
            indexes,
            artifact_of,
            artifacts,
        }
    }

    /// Each finding with the number of earlier findings of the same identity (a key defined
    /// three times has three), in report order.
    fn numbered(&self) -> Vec<(&'r Finding, usize)> {
        let report = self.run.report;
        let mut seen: HashMap<Identity, usize> = HashMap::new();
        report
            .findings
            .iter()
            .filter(|f| self.indexes[f.file].is_some())
            .map(|f| {
                let nth = *seen
                    .entry(identity(report, f))
                    .and_modify(|n| *n += 1)
                    .or_insert(0);
                (f, nth)
            })
            .collect()
    }

    /// The result for finding `f`, the `nth` of its identity.
    fn result(&self, f: &Finding, nth: usize) -> Option<Value> {
        let report = self.run.report;
        let file = &report.files[f.file];
        let index = self.indexes[f.file].as_ref()?;
        let id = identity(report, f);
        let fingerprint = format!(
            "{:016x}:{nth}",
            stable_hash(
                format!(
                    "{}\0{}\0{}\0{}",
                    id.path,
                    id.rule,
                    id.key.as_deref().unwrap_or(""),
                    id.discriminator.as_deref().unwrap_or("")
                )
                .as_bytes()
            )
        );
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .filter_map(|(n, r)| {
                let rfile = &report.files[r.file];
                let rindex = self.indexes[r.file].as_ref()?;
                Some(json!({
                    "id": n + 1,
                    "physicalLocation": physical(rfile, rindex, r.span, self.artifact_of[r.file]),
                    "message": { "text": r.message },
                }))
            })
            .collect();
        let mut result = json!({
            "ruleId": f.rule.id(),
            "ruleIndex": rule_index(f.rule),
            "level": level(f.severity),
            "message": { "text": message_text(f) },
            "locations": [{ "physicalLocation": physical(file, index, f.span, self.artifact_of[f.file]) }],
            "partialFingerprints": { "secretlint/v1": fingerprint },
            "properties": properties(f),
        });
        if !related.is_empty() {
            result["relatedLocations"] = Value::Array(related);
        }
        Some(result)
    }
}

impl Serialize for Log<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut log = serializer.serialize_map(Some(3))?;
        log.serialize_entry("$schema", SCHEMA)?;
        log.serialize_entry("version", "2.1.0")?;
        log.serialize_entry("runs", &[SarifRun(self)])?;
        log.end()
    }
}

/// The one run of a log.
struct SarifRun<'l>(&'l Log<'l>);

impl Serialize for SarifRun<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let log = self.0;
        let run = log.run;
        let mut properties = json!({
            "policy": run.policy.origin.to_string(),
            "filesChecked": run.files_checked(),
        });
        if let Some(shard) = run.shard {
            properties["shard"] = json!(shard.to_string());
        }
        if let Some((path, cmp)) = &run.baseline {
            properties["baseline"] =
                json!({ "path": path, "known": cmp.matched, "stale": cmp.stale });
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("tool", &json!({ "driver": driver() }))?;
        map.serialize_entry(
            "originalUriBaseIds",
            &json!({ SRCROOT: { "uri": directory_uri(run.root) } }),
        )?;
        map.serialize_entry("artifacts", &log.artifacts)?;
        map.serialize_entry("columnKind", "utf16CodeUnits")?;
        map.serialize_entry("invocations", &json!([{ "executionSuccessful": true }]))?;
        if let Some(shard) = run.shard {
            // Each shard's log is one run of the same analysis; upload them under one category.
            map.serialize_entry(
                "automationDetails",
                &json!({ "id": format!("secretlint/shard-{}-of-{}/", shard.index(), shard.count()) }),
            )?;
        }
        // Filled in by `write`, which renders the results in parallel.
        map.serialize_entry("results", array_slot())?;
        map.serialize_entry("properties", &properties)?;
        map.end()
    }
}

fn driver() -> Value {
    let version = env!("CARGO_PKG_VERSION");
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|&rule| {
            let what = section(rule.doc(), "What it does");
            let help = without_section(rule.doc(), "Example");
            let mut r = json!({
                "id": rule.id(),
                "shortDescription": { "text": first_sentence(what) },
                "fullDescription": { "text": what },
                "help": { "text": help, "markdown": help },
                "helpUri": format!("{DOCS_BASE}{}", rule.id()),
                "defaultConfiguration": { "level": level(rule.default_severity()) },
                "properties": { "tags": ["security", "secrets", family(rule)] },
            });
            // SARIF1001: a `name` equal to the `id` (ignoring case) must be left out.
            let name = pascal_case(rule.id());
            if !name.eq_ignore_ascii_case(rule.id()) {
                r["name"] = json!(name);
            }
            r
        })
        .collect();
    json!({
        "name": "secretlint",
        "version": version,
        "semanticVersion": version,
        "informationUri": "https://secretlint.dev/",
        "rules": rules,
    })
}

/// The message, then each note on its own line: code-scanning views show the text whole.
fn message_text(f: &Finding) -> String {
    let mut text = f.message.to_string();
    if !text.ends_with('.') {
        // SARIF2001 asks for messages that end with a period; our messages are lowercase
        // phrases without one elsewhere.
        text.push('.');
    }
    for note in &f.notes {
        text.push('\n');
        text.push_str(note);
    }
    text
}

fn properties(f: &Finding) -> Value {
    let mut p = json!({ "severity": f.severity.as_str() });
    if let Some(k) = &f.key {
        p["key"] = json!(k);
    }
    if let Some(e) = &f.environment {
        p["environment"] = json!(e);
    }
    if let Some(fix) = &f.fix {
        p["fix"] = json!(fix);
    }
    p
}

fn physical(file: &SourceFile, index: &LineIndex, span: Span, artifact: Option<usize>) -> Value {
    let (l1, c1) = line_col_utf16(file, index, span.start);
    let (l2, c2) = line_col_utf16(file, index, span.end);
    json!({
        "artifactLocation": artifact_location(&file.path, artifact),
        "region": { "startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2 },
    })
}

fn artifact_location(path: &str, index: Option<usize>) -> Value {
    let mut loc = if path.starts_with('/') {
        // Outside the root (named explicitly): an absolute file URI.
        json!({ "uri": format!("file://{}", encode_path(path)) })
    } else {
        json!({ "uri": encode_path(path), "uriBaseId": SRCROOT })
    };
    if let Some(i) = index {
        loc["index"] = json!(i);
    }
    loc
}

/// `file:///abs/dir/` for the root, with a trailing slash as SARIF requires of base URIs.
fn directory_uri(root: &Path) -> String {
    let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let mut p = abs.to_string_lossy().replace('\\', "/");
    if !p.starts_with('/') {
        // A Windows drive path: `C:/x` becomes `/C:/x`.
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", encode_path(&p))
}

/// Percent-encodes a slash-separated path for a URI (RFC 3986 `pchar`s and `/` stay).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

fn rule_index(rule: Rule) -> usize {
    Rule::ALL.iter().position(|&r| r == rule).unwrap_or(0)
}

fn family(rule: Rule) -> &'static str {
    use secretlint_engine::rules::Family;
    match rule.family() {
        Family::Value => "value",
        Family::Cross => "cross-file",
        Family::Age => "age",
        Family::File => "file",
    }
}

/// The body of a `## Title` section of a rule's documentation.
fn section<'d>(doc: &'d str, title: &str) -> &'d str {
    let head = format!("## {title}\n");
    let Some(at) = doc.find(&head) else {
        return doc.trim();
    };
    let body = &doc[at + head.len()..];
    body[..body.find("\n## ").unwrap_or(body.len())].trim()
}

/// The documentation without one `## Title` section. SARIF leaves out the examples: they
/// hold sample weak values, and a report must hold no value at all, not even a sample
/// (`secretlint explain` and the help URI show them).
fn without_section(doc: &str, title: &str) -> String {
    let head = format!("## {title}\n");
    let Some(at) = doc.find(&head) else {
        return doc.to_owned();
    };
    let rest = &doc[at + head.len()..];
    let end = rest
        .find("\n## ")
        .map_or(doc.len(), |i| at + head.len() + i + 1);
    format!("{}{}", &doc[..at], &doc[end..])
}

fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Run;
    use secretlint_engine::{CheckOptions, Input, Policy, check};

    #[test]
    fn columns_count_utf16_code_units_on_non_ascii_lines() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 units (a surrogate pair).
        let text =
            "# é\nSECRET_KEY=\"😀é-dev\"\nDATABASE_URL=postgres://üser😀:short@db.internal/app\n";
        let policy = Policy::recommended();
        let report = check(
            &policy,
            vec![Input::text("api/.env.production", text)],
            &CheckOptions::default(),
        );
        let run = Run::plain(&report, &policy);
        let log = log(&run);
        let results = log["runs"][0]["results"].as_array().unwrap();
        let region = |key: &str| {
            let r = results
                .iter()
                .find(|r| r["properties"]["key"] == key)
                .unwrap_or_else(|| panic!("{key}: {results:?}"));
            r["locations"][0]["physicalLocation"]["region"].clone()
        };
        // The raw value `"😀é-dev"` starts at column 12 and is 9 UTF-16 units long (6 in
        // characters plus quotes would give 20, bytes would give 24).
        let secret = region("SECRET_KEY");
        assert_eq!(
            (
                &secret["startLine"],
                &secret["startColumn"],
                &secret["endLine"],
                &secret["endColumn"]
            ),
            (&json!(2), &json!(12), &json!(2), &json!(21)),
            "{secret}"
        );
        // The password inside the URL comes after `üser😀:`: `DATABASE_URL=` (13) +
        // `postgres://` (11) + `üser` (4) + `😀` (2) + `:` (1) = 31 units before it.
        let url = region("DATABASE_URL");
        assert_eq!(
            (&url["startLine"], &url["startColumn"], &url["endColumn"]),
            (&json!(3), &json!(32), &json!(37)),
            "{url}"
        );
        assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_path("a dir/.env"), "a%20dir/.env");
        assert_eq!(encode_path("ü/.env"), "%C3%BC/.env");
        assert_eq!(
            directory_uri(Path::new("/tmp/my repo")),
            "file:///tmp/my%20repo/"
        );
        assert_eq!(
            artifact_location("/abs/.env", None)["uri"],
            "file:///abs/.env"
        );
    }

    #[test]
    fn rules_carry_their_documentation() {
        let d = driver();
        let rules = d["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Rule::ALL.len());
        let too_short = &rules[rule_index(Rule::TooShort)];
        assert_eq!(too_short["id"], "too-short");
        assert_eq!(too_short["name"], "TooShort");
        assert!(
            rules[rule_index(Rule::Stale)].get("name").is_none(),
            "`Stale` would only repeat `stale`"
        );
        assert_eq!(
            too_short["helpUri"],
            "https://secretlint.dev/rules/too-short"
        );
        assert!(
            too_short["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .starts_with("The value has fewer characters")
        );
        let help = too_short["help"]["text"].as_str().unwrap();
        assert!(
            help.starts_with("## What it does\n") && help.contains("\n## Fix\n"),
            "{help}"
        );
        assert!(
            !help.contains("## Example") && !help.contains("dev-secret"),
            "{help}"
        );
    }
}
