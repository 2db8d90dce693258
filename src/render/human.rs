//! rustc-style diagnostics through codespan-reporting, rendered from masked file copies.

use std::io::Write;

use anyhow::Context;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use secretlint_engine::mask::masked_text;
use secretlint_engine::{Applicability, Severity};

use super::{Run, line_col, line_indexes, line_too_long, plural};

pub fn write(out: &mut dyn Write, run: &Run, color: termcolor::ColorChoice) -> anyhow::Result<()> {
    let report = run.report;
    let indexes = line_indexes(report);
    let mut files = SimpleFiles::new();
    let ids: Vec<Option<usize>> = indexes
        .iter()
        .enumerate()
        .map(|(i, idx)| {
            idx.as_ref()
                .map(|_| files.add(report.files[i].path.clone(), masked_text(&report.files[i])))
        })
        .collect();
    let config = term::Config::default();
    let mut buffer = if color == termcolor::ColorChoice::Never {
        termcolor::Buffer::no_color()
    } else {
        termcolor::Buffer::ansi()
    };
    for f in &report.findings {
        let file = &report.files[f.file];
        let (Some(id), Some(index)) = (ids[f.file], indexes[f.file].as_ref()) else {
            continue;
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
        let diag = Diagnostic::new(severity)
            .with_code(f.rule.id())
            .with_message(&f.message)
            .with_labels(labels)
            .with_notes(notes);
        term::emit_to_write_style(&mut buffer, &config, &files, &diag)
            .context("could not render a diagnostic")?;
        // One diagnostic at a time: the whole report never sits in memory twice.
        out.write_all(buffer.as_slice())?;
        buffer.clear();
    }
    for line in run.baseline_notes() {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", summary(run))?;
    Ok(())
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
