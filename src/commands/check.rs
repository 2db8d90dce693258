//! `secretlint check`: walk, check, narrow to this shard and to what the baseline does not
//! know, render (to stdout or `--output`), and exit 1 when findings reach the failing
//! severity — wherever the report went.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use codespan_reporting::term::termcolor;
use secretlint_engine::Severity;
use secretlint_engine::baseline::Baseline;

use super::scan::{Scanned, Settings, scan_with};
use crate::cli::{CheckArgs, ColorChoice, Deny, Format, PolicyArgs, ScanArgs};
use crate::render::{self, Run};

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    // Read the baseline first: a typo in its path should fail before a long walk.
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("could not read baseline `{}`", path.display()))?;
            let b = Baseline::parse(&text)
                .with_context(|| format!("could not use baseline `{}`", path.display()))?;
            Some((path.display().to_string(), b))
        }
        None => None,
    };
    let scan_args = ScanArgs {
        paths: args.paths.clone(),
        policy: PolicyArgs {
            policy: args.policy.policy.clone(),
        },
        exclude: args.exclude.clone(),
        now: args.now.clone(),
        age_from_git: args.age_from_git,
    };
    let settings = Settings {
        jobs: args.jobs,
        color: color_choice(args.color, std::io::stderr().is_terminal()),
    };
    let done = match scan_with(&scan_args, &settings)? {
        Scanned::Done(done) => done,
        Scanned::Exit(code) => return Ok(code),
    };
    let (loaded, mut report) = (done.loaded, done.report);

    // A shard reports only the findings in its own files; the others were read for the
    // cross-file rules.
    let in_scope: Vec<bool> = report
        .files
        .iter()
        .map(|f| args.shard.is_none_or(|s| s.contains(&f.path)))
        .collect();
    report.findings.retain(|f| in_scope[f.file]);
    let comparison = baseline.as_ref().map(|(_, b)| {
        let checked: HashSet<&str> = report
            .files
            .iter()
            .zip(&in_scope)
            .filter(|(_, s)| **s)
            .map(|(f, _)| f.path.as_str())
            .collect();
        // An entry is judged when its file was checked in this run, or when the file is gone
        // (deleting a file fixes its findings); never when another shard owns it.
        let judged = |path: &str| {
            args.shard.is_none_or(|s| s.contains(path))
                && (checked.contains(path)
                    || std::fs::symlink_metadata(loaded.root.join(path)).is_err())
        };
        b.compare(&report, &judged)
    });
    if let Some(cmp) = &comparison {
        let mut known = cmp.known.iter();
        report
            .findings
            .retain(|_| !known.next().copied().unwrap_or(false));
    }

    let failing = match args.deny {
        Some(Deny::Warnings) => Severity::Warning,
        None => Severity::Error,
    };
    let render_started = std::time::Instant::now();
    let run = Run {
        report: &report,
        policy: &loaded.policy,
        root: &loaded.root,
        in_scope,
        shard: args.shard,
        failing,
        baseline: baseline
            .as_ref()
            .zip(comparison.as_ref())
            .map(|((path, _), cmp)| (path.clone(), cmp)),
    };
    match &args.output {
        None => {
            let color = color_choice(args.color, std::io::stdout().is_terminal());
            // Stdout is line-buffered: without this, a pretty-printed report of thousands of
            // findings costs a write system call per line.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            render(&mut out, args.format, &run, color)?;
            out.flush().context("could not write the report")?;
            if args.format != Format::Human {
                // Machine formats keep stdout to the document; stale baseline entries still
                // deserve a word where people look.
                for line in run.baseline_notes() {
                    eprintln!("{line}");
                }
            }
        }
        Some(path) => {
            let color = color_choice(args.color, false);
            let context = || format!("could not write the report to `{}`", path.display());
            // Streamed to the file: a SARIF report of a large monorepo runs to hundreds of
            // megabytes, which should not sit in memory first.
            let file = std::fs::File::create(path).with_context(context)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            render(&mut out, args.format, &run, color).with_context(context)?;
            out.flush().with_context(context)?;
            if args.format != Format::Human {
                for line in run.baseline_notes() {
                    eprintln!("{line}");
                }
            }
            // The report is in the file; the log still says what happened, and the exit code
            // below is the same as without `--output`.
            eprintln!(
                "{}; report written to `{}`",
                render::human::summary(&run),
                path.display()
            );
        }
    }

    let failed = report.findings.iter().any(|f| f.severity >= failing);
    drop(run);
    if super::timings::wanted() {
        report.timings.push(("render", render_started.elapsed()));
        eprintln!("{}", super::timings::line(&report.timings));
    }
    // The process ends next: freeing every file's text and every finding one by one would
    // only delay the exit (a few percent of a large run), so the memory is left to the OS.
    std::mem::forget(report);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render(
    out: &mut dyn Write,
    format: Format,
    run: &Run,
    color: termcolor::ColorChoice,
) -> anyhow::Result<()> {
    match format {
        Format::Human => render::human::write(out, run, color),
        Format::Json => render::json::write(out, run),
        Format::Sarif => render::sarif::write(out, run),
        Format::Github => render::github::write(out, run),
        Format::Junit => render::junit::write(out, run),
    }
}

/// Colors only on a terminal unless asked for; `NO_COLOR` always wins over `auto`.
pub fn color_choice(choice: ColorChoice, is_terminal: bool) -> termcolor::ColorChoice {
    match choice {
        ColorChoice::Always => termcolor::ColorChoice::Always,
        ColorChoice::Never => termcolor::ColorChoice::Never,
        ColorChoice::Auto
            if is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) =>
        {
            termcolor::ColorChoice::Auto
        }
        ColorChoice::Auto => termcolor::ColorChoice::Never,
    }
}
