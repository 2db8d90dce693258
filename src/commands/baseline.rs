//! `secretlint baseline`: record the current findings, without values, for `check --baseline`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use secretlint_engine::baseline::Baseline;

use super::scan::{Scanned, Settings, scan_with};
use crate::cli::{BaselineArgs, ColorChoice};
use crate::render::plural;

pub fn run(args: BaselineArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        jobs: args.jobs,
        color: super::check::color_choice(ColorChoice::Auto, std::io::stderr().is_terminal()),
    };
    let report = match scan_with(&args.scan, &settings)? {
        Scanned::Done(done) => done.report,
        Scanned::Exit(code) => return Ok(code),
    };
    let baseline = Baseline::from_report(&report);
    let text = baseline.to_json();
    match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("could not write the baseline")?;
        }
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("could not write the baseline to `{}`", path.display()))?;
            eprintln!(
                "recorded {} ({}) in `{}`",
                plural(report.findings.len(), "finding"),
                plural(baseline.entries.len(), "entry"),
                path.display()
            );
        }
    }
    // Recording is not judging: the baseline is written whatever it holds.
    Ok(ExitCode::SUCCESS)
}
