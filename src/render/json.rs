//! `--format json`: one versioned JSON document. The schema is documented in
//! docs/json-output.md; bump [`SCHEMA_VERSION`] on any incompatible change.

use std::io::Write;

use secretlint_engine::baseline::BaselineEntry;
use secretlint_engine::{Finding, LineIndex, Severity, SourceFile, Span};
use serde::Serialize;

use super::{Run, array_slot, line_col, line_indexes, write_with_array};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a, F: Serialize> {
    version: u32,
    tool: Tool,
    policy: String,
    summary: Summary,
    findings: F,
    /// Present only with `--shard`.
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<JsonShard>,
    /// Present only with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline<'a>>,
}

#[derive(Serialize)]
struct JsonShard {
    index: u32,
    count: u32,
    /// Files read for the cross-file rules, this shard's and the others'.
    files_read: usize,
}

#[derive(Serialize)]
struct JsonBaseline<'a> {
    path: &'a str,
    /// Findings the baseline knew, left out of `findings`.
    known: usize,
    /// Entries that matched nothing: fixed, and ready to drop.
    stale: &'a [BaselineEntry],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    span: Span,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: Severity,
    #[serde(flatten)]
    location: Location<'a>,
    environment: Option<&'a str>,
    key: Option<&'a str>,
    message: &'a str,
    notes: &'a [std::sync::Arc<str>],
    related: Vec<JsonRelated<'a>>,
    fix: Option<&'a secretlint_engine::Fix>,
}

fn location<'a>(file: &'a SourceFile, index: &LineIndex, span: Span) -> Location<'a> {
    let (l1, c1) = line_col(file, index, span.start);
    let (l2, c2) = line_col(file, index, span.end);
    Location {
        path: &file.path,
        span,
        start: Position {
            line: l1,
            column: c1,
        },
        end: Position {
            line: l2,
            column: c2,
        },
    }
}

pub fn write(out: &mut dyn Write, run: &Run) -> anyhow::Result<()> {
    let (report, policy) = (run.report, run.policy);
    let indexes = line_indexes(report);
    let index = |i: usize| indexes[i].as_ref();
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "secretlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        policy: policy.origin.to_string(),
        summary: Summary {
            files_checked: run.files_checked(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
        findings: array_slot(),
        shard: run.shard.map(|s| JsonShard {
            index: s.index(),
            count: s.count(),
            files_read: report.files.len(),
        }),
        baseline: run.baseline.as_ref().map(|(path, cmp)| JsonBaseline {
            path,
            known: cmp.matched,
            stale: &cmp.stale,
        }),
    };
    // The findings are rendered in parallel and spliced into the document.
    write_with_array(out, &doc, "findings", &report.findings, |f: &Finding| {
        let file = &report.files[f.file];
        Some(JsonFinding {
            rule: f.rule.id(),
            severity: f.severity,
            location: location(file, index(f.file)?, f.span),
            environment: f.environment.as_deref(),
            key: f.key.as_deref(),
            message: &f.message,
            notes: &f.notes,
            related: f
                .related
                .iter()
                .filter_map(|r| {
                    Some(JsonRelated {
                        location: location(&report.files[r.file], index(r.file)?, r.span),
                        message: &r.message,
                    })
                })
                .collect(),
            fix: f.fix.as_deref(),
        })
    })?;
    writeln!(out)?;
    Ok(())
}
