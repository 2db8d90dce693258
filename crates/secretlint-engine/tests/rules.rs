//! Rule fixtures: `fixtures/rules/<rule-id>.bad.txt` must raise the rule and
//! `<rule-id>.good.txt` must not. Each fixture is several files in one text:
//!
//! ```text
//! --- policy                       (optional; default: fixtures/rules/_policy.toml)
//! --- app/.env.production mode=644 (a file, with optional permission bits)
//! --- app/.env unreadable=reason   (a file that could not be read)
//! ```
//!
//! Every fixture's masked diagnostics are snapshotted, so a change in wording or spans shows
//! up in review.

use std::fmt::Write;
use std::path::Path;

use secretlint_engine::{
    CheckOptions, Content, Input, LedgerInput, LineIndex, Policy, PolicyOrigin, Report, Rule,
};

const DEFAULT_POLICY: &str = include_str!("fixtures/rules/_policy.toml");

pub struct Fixture {
    pub policy: Policy,
    pub inputs: Vec<Input>,
}

pub fn parse_fixture(text: &str) -> Fixture {
    let mut policy_text = DEFAULT_POLICY.to_owned();
    let mut inputs: Vec<Input> = Vec::new();
    let mut current: Option<(String, Option<u32>, Option<String>, String)> = None;
    let mut in_policy = false;
    let flush = |cur: Option<(String, Option<u32>, Option<String>, String)>,
                 inputs: &mut Vec<Input>| {
        if let Some((path, mode, unreadable, body)) = cur {
            let content = match unreadable {
                Some(reason) => Content::Unreadable { reason },
                None => Content::Text { text: body, mode },
            };
            inputs.push(Input { path, content });
        }
    };
    for line in text.split_inclusive('\n') {
        if let Some(header) = line.strip_prefix("--- ") {
            flush(current.take(), &mut inputs);
            let header = header.trim_end();
            if header == "policy" {
                in_policy = true;
                policy_text.clear();
                continue;
            }
            in_policy = false;
            let mut parts = header.splitn(2, ' ');
            let path = parts.next().unwrap().to_owned();
            let rest = parts.next().unwrap_or("");
            let mode = rest
                .strip_prefix("mode=")
                .map(|m| u32::from_str_radix(m, 8).unwrap());
            let unreadable = rest.strip_prefix("unreadable=").map(str::to_owned);
            current = Some((path, mode, unreadable, String::new()));
        } else if in_policy {
            policy_text.push_str(line);
        } else if let Some(cur) = current.as_mut() {
            cur.3.push_str(line);
        }
    }
    flush(current.take(), &mut inputs);
    let policy = Policy::from_toml(&policy_text, PolicyOrigin::File("secretlint.toml".into()))
        .unwrap_or_else(|e| panic!("fixture policy is invalid: {:?}", e.diagnostics));
    Fixture { policy, inputs }
}

pub fn now() -> jiff::Timestamp {
    "2026-11-30T00:00:00Z".parse().unwrap()
}

/// Runs a fixture; a file at the policy's ledger path is passed as the rotation metadata.
pub fn run(text: &str) -> Report {
    let mut f = parse_fixture(text);
    let ledger_path = f.policy.ledger.clone();
    let ledger = f
        .inputs
        .iter()
        .position(|i| i.path == ledger_path)
        .map(|i| {
            let input = f.inputs.remove(i);
            let Content::Text { text, .. } = input.content else {
                panic!("ledger must be text")
            };
            LedgerInput {
                path: input.path,
                text,
            }
        });
    secretlint_engine::check(
        &f.policy,
        f.inputs,
        &CheckOptions {
            now: Some(now()),
            ledger,
            ..CheckOptions::default()
        },
    )
}

/// One line per finding: location, severity, rule, message, then indented notes and related
/// locations. Values never appear in findings, so this is safe to snapshot.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let file = &report.files[f.file];
        let idx = LineIndex::new(&file.text);
        let (l, c) = idx.line_col(f.span.start);
        writeln!(
            out,
            "{}:{}:{} {} [{}] {}",
            file.path,
            l + 1,
            c + 1,
            f.severity.as_str(),
            f.rule,
            f.message
        )
        .unwrap();
        for n in &f.notes {
            writeln!(out, "    note: {n}").unwrap();
        }
        for r in &f.related {
            let rf = &report.files[r.file];
            let (l, c) = LineIndex::new(&rf.text).line_col(r.span.start);
            writeln!(
                out,
                "    related: {}:{}:{} {}",
                rf.path,
                l + 1,
                c + 1,
                r.message
            )
            .unwrap();
        }
        if let Some(fix) = &f.fix {
            writeln!(out, "    fix ({:?}): {}", fix.applicability, fix.title).unwrap();
        }
    }
    out
}

#[test]
fn rule_fixtures() {
    insta::glob!("fixtures/rules/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let report = run(&text);
        let name = path.file_name().unwrap().to_str().unwrap();
        let id = name.split('.').next().unwrap();
        let rule = Rule::from_id(id).unwrap_or_else(|| panic!("{name}: no rule `{id}`"));
        let raised = report.findings.iter().any(|f| f.rule == rule);
        if name.contains(".bad.") {
            assert!(raised, "{name} should raise `{id}`:\n{}", render(&report));
        } else {
            assert!(
                !raised,
                "{name} should not raise `{id}`:\n{}",
                render(&report)
            );
        }
        insta::assert_snapshot!(render(&report));
    });
}

#[test]
fn every_rule_has_a_violating_and_a_compliant_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let missing: Vec<String> = Rule::ALL
        .iter()
        .flat_map(|r| {
            [
                format!("{}.bad.txt", r.id()),
                format!("{}.good.txt", r.id()),
            ]
        })
        .filter(|f| !dir.join(f).exists())
        .collect();
    assert!(missing.is_empty(), "missing rule fixtures: {missing:?}");
}
