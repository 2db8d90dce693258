//! rustc-style diagnostics through codespan-reporting, rendered from masked file copies.

use std::io::Write;

use anyhow::Context;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use secretlint_engine::mask::masked_text;
use secretlint_engine::{Applicability, Finding, LineIndex, Severity};

use super::{Run, line_col, line_indexes, line_too_long, plural, write_in_parallel};

pub fn write(out: &mut dyn Write, run: &Run, color: termcolor::ColorChoice) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let report = run.report;
    let indexes = line_indexes(report);
    // The masked copies the snippets are cut from, made on every core.
    let masked: Vec<Option<String>> = report
        .files
        .par_iter()
        .zip(&indexes)
        .map(|(file, idx)| idx.as_ref().map(|_| masked_text(file)))
        .collect();
    let mut files = SimpleFiles::new();
    let ids: Vec<Option<usize>> = masked
        .into_iter()
        .enumerate()
        .map(|(i, text)| text.map(|text| files.add(report.files[i].path.clone(), text)))
        .collect();
    let config = term::Config::default();
    let ansi = color != termcolor::ColorChoice::Never;
    write_in_parallel(out, &report.findings, |chunk, text| {
        let mut buffer = if ansi {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        for f in chunk {
            if let Some(diag) = diagnostic(run, &ids, &indexes, f) {
                term::emit_to_write_style(&mut buffer, &config, &files, &diag)
                    .context("could not render a diagnostic")?;
            }
        }
        text.extend_from_slice(buffer.as_slice());
        Ok(())
    })?;
    for line in run.baseline_notes() {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", summary(run))?;
    Ok(())
}

/// One finding as a codespan diagnostic: its labels point into the masked copies (`ids`), and
/// a span on a line too long to show becomes a note with its position instead.
fn diagnostic<'a>(
    run: &'a Run,
    ids: &[Option<usize>],
    indexes: &[Option<LineIndex>],
    f: &'a Finding,
) -> Option<Diagnostic<usize>> {
    let report = run.report;
    let file = &report.files[f.file];
    let (Some(id), Some(index)) = (ids[f.file], indexes[f.file].as_ref()) else {
        return None;
    };
    let severity = match f.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info | Severity::Off => CsSeverity::Note,
    };
    let mut notes: Vec<String> = f.notes.iter().map(|n| n.to_string()).collect();
    let mut labels = Vec::new();
    if line_too_long(file, index, f.span) {
        let (l, c) = line_col(file, index, f.span.start);
        notes.insert(
            0,
            format!("at {}:{l}:{c} (line too long to show)", file.path),
        );
    } else {
        labels.push(Label::primary(id, f.span.range()).with_message(f.rule.label()));
    }
    for r in &f.related {
        let (Some(rid), Some(rindex)) = (ids[r.file], indexes[r.file].as_ref()) else {
            continue;
        };
        if line_too_long(&report.files[r.file], rindex, r.span) {
            let (l, c) = line_col(&report.files[r.file], rindex, r.span.start);
            notes.push(format!(
                "{} at {}:{l}:{c}",
                r.message, report.files[r.file].path
            ));
        } else {
            labels.push(Label::secondary(rid, r.span.range()).with_message(&r.message));
        }
    }
    if let Some(fix) = &f.fix {
        notes.push(match fix.applicability {
            Applicability::Safe => format!("fix: `secretlint fix` can {}", fix.title),
            Applicability::Manual => format!("manual: {}", fix.title),
        });
    }
    Some(
        Diagnostic::new(severity)
            .with_code(f.rule.id())
            .with_message(&*f.message)
            .with_labels(labels)
            .with_notes(notes),
    )
}

/// "3 errors and 1 warning in 2 files; 14 files checked against `secretlint.toml`".
pub fn summary(run: &Run) -> String {
    let (report, policy) = (run.report, run.policy);
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let mut checked = plural(run.files_checked(), "file");
    if let Some(shard) = run.shard {
        checked = format!("{checked} of shard {shard} ({} read)", report.files.len());
    }
    let against = policy.origin.to_string();
    let against = if against.starts_with("built-in") {
        against
    } else {
        format!("`{against}`")
    };
    if report.findings.is_empty() {
        return format!("no findings: {checked} checked against {against}");
    }
    let mut with: Vec<usize> = report.findings.iter().map(|f| f.file).collect();
    with.dedup();
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "note"));
    }
    format!(
        "{} in {}; {checked} checked against {against}",
        parts.join(", "),
        plural(with.len(), "file")
    )
}
