//! `--format junit`: JUnit XML for CI test-report views (GitLab, Jenkins, Azure Pipelines).
//!
//! One `<testsuite>` per checked file and one `<testcase>` per finding, named after the rule,
//! key and position; a file without findings has one passing test case, so the report also
//! shows what was checked. Findings that fail the run (errors, and warnings with
//! `--deny warnings`) are `<failure>`s; the others pass and carry their text in
//! `<system-out>`, so a report view never shows a red test for a run that exited 0.

use std::io::Write;

use super::{Run, line_col, line_indexes};

pub fn write(out: &mut dyn Write, run: &Run) -> anyhow::Result<()> {
    let report = run.report;
    let indexes = line_indexes(report);
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); report.files.len()];
    for (i, f) in report.findings.iter().enumerate() {
        by_file[f.file].push(i);
    }
    let total_tests: usize = (0..report.files.len())
        .filter(|&i| run.in_scope[i])
        .map(|i| by_file[i].len().max(1))
        .sum();
    let total_failures = report
        .findings
        .iter()
        .filter(|f| run.fails(f.severity))
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="secretlint" tests="{total_tests}" failures="{total_failures}" errors="0">"#
    )?;
    for (i, file) in report.files.iter().enumerate() {
        if !run.in_scope[i] {
            continue;
        }
        let findings = &by_file[i];
        let failures = findings
            .iter()
            .filter(|&&n| run.fails(report.findings[n].severity))
            .count();
        let path = xml(&file.path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
            findings.len().max(1)
        )?;
        if findings.is_empty() {
            writeln!(
                out,
                r#"    <testcase classname="{path}" name="secretlint"/>"#
            )?;
        }
        for &n in findings {
            let f = &report.findings[n];
            let (line, col) = indexes[f.file]
                .as_ref()
                .map_or((1, 1), |idx| line_col(file, idx, f.span.start));
            let key = f
                .key
                .as_deref()
                .map(|k| format!(" {k}"))
                .unwrap_or_default();
            let name = xml(&format!(
                "{}{key} ({}:{line}:{col})",
                f.rule.id(),
                file.path
            ));
            let mut body = format!(
                "{}[{}]: {}\n  --> {}:{line}:{col}",
                f.severity.as_str(),
                f.rule.id(),
                f.message,
                file.path
            );
            for note in &f.notes {
                body.push_str("\n  = ");
                body.push_str(note);
            }
            writeln!(
                out,
                r#"    <testcase classname="{path}" name="{name}" file="{path}" line="{line}">"#
            )?;
            if run.fails(f.severity) {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    xml(&f.message),
                    f.rule.id(),
                    text(&body)
                )?;
            } else {
                writeln!(out, "      <system-out>{}</system-out>", text(&body))?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    Ok(())
}

/// Escapes element content: line breaks stay as they are.
fn text(s: &str) -> String {
    xml(s).replace("&#10;", "\n")
}

/// Escapes text for an attribute value (line breaks as character references, which
/// attribute normalization would otherwise turn into spaces), replacing characters XML 1.0
/// cannot carry at all (control characters other than tab, newline and carriage return).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml("x\u{1}y\nz"), "x\u{FFFD}y&#10;z");
        assert_eq!(text("a\nb<"), "a\nb&lt;");
    }
}
