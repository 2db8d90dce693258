//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), then the summary
//! as a plain log line.
//!
//! Paths are relative to the policy's directory, which GitHub resolves against the checkout
//! root: run secretlint from the repository root (or keep `secretlint.toml` there) so the
//! annotations land on the right files. Columns are 1-based characters, as in JSON.

use std::io::Write;

use secretlint_engine::Severity;

use super::{Run, human, line_col, line_indexes};

pub fn write(out: &mut dyn Write, run: &Run) -> anyhow::Result<()> {
    let report = run.report;
    let indexes = line_indexes(report);
    for f in &report.findings {
        let file = &report.files[f.file];
        let Some(index) = indexes[f.file].as_ref() else {
            continue;
        };
        let (l1, c1) = line_col(file, index, f.span.start);
        let (l2, c2) = line_col(file, index, f.span.end);
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Off => "notice",
        };
        let title = match &f.key {
            Some(k) => format!("secretlint {}: {k}", f.rule.id()),
            None => format!("secretlint {}", f.rule.id()),
        };
        let mut message = format!("[{}] {}", f.rule.id(), f.message);
        for note in &f.notes {
            message.push('\n');
            message.push_str(note);
        }
        // GitHub rejects a column range that spans lines.
        let cols = if l1 == l2 {
            format!(",col={c1},endColumn={c2}")
        } else {
            format!(",col={c1}")
        };
        writeln!(
            out,
            "::{command} file={},line={l1},endLine={l2}{cols},title={}::{}",
            escape_property(&file.path),
            escape_property(&title),
            escape_data(&message)
        )?;
    }
    for line in run.baseline_notes() {
        writeln!(out, "{}", escape_data(&line))?;
    }
    writeln!(out, "{}", escape_data(&human::summary(run)))?;
    Ok(())
}

/// Escapes a command's message, as the Actions toolkit does: a newline would end the command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: also `:` and `,`, which separate properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_cannot_be_broken_out_of() {
        assert_eq!(escape_data("a\nb%c\r"), "a%0Ab%25c%0D");
        assert_eq!(escape_property("a,b:c\n"), "a%2Cb%3Ac%0A");
    }
}
