//! `secretlint check`: walk, check, render, and exit 1 when findings reach the failing
//! severity.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use codespan_reporting::term::termcolor;
use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::{CheckOptions, Severity};

use super::policy::{self, LoadError};
use crate::cli::{CheckArgs, ColorChoice, Deny, Format};
use crate::render;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let color = color_choice(args.color, std::io::stdout().is_terminal());
    let loaded = match policy::load(
        args.policy.policy.as_deref(),
        args.paths.first().map(|p| p.as_path()),
        color_choice(args.color, std::io::stderr().is_terminal()),
    ) {
        Ok(l) => l,
        Err(LoadError::Reported) => return Ok(ExitCode::from(2)),
        Err(LoadError::Io(e)) => return Err(e),
    };
    let now = super::now::parse(args.now.as_deref())?;
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() {
            anyhow::bail!("no such file or directory: `{}`", path.display());
        }
    }
    let paths = args
        .paths
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    if args.jobs > 0 {
        // The pool can only be configured once per process; a failure means it already was.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(args.jobs)
            .build_global();
    }
    let walk = WalkOptions {
        root: loaded.root.clone(),
        paths,
        exclude: args.exclude.clone(),
        threads: args.jobs,
    };
    let inputs = discover::collect(&loaded.policy, &walk)?;
    let options = CheckOptions {
        now: Some(now),
        ledger: loaded.ledger()?,
        line_commit_times: if args.age_from_git {
            super::git::line_commit_times(&loaded.root, &inputs)
        } else {
            Default::default()
        },
    };
    let report = secretlint_engine::check(&loaded.policy, inputs, &options);

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Human => render::human::write(&mut out, &report, &loaded.policy, color)?,
        Format::Json => render::json::write(&mut out, &report, &loaded.policy)?,
    }
    out.flush().context("could not write the report")?;

    let failing = match args.deny {
        Some(Deny::Warnings) => Severity::Warning,
        None => Severity::Error,
    };
    let failed = report.findings.iter().any(|f| f.severity >= failing);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
