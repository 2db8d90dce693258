//! What `due` and `rotate` share with `check`: load the policy, walk, and run the engine.

use std::process::ExitCode;

use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::{CheckOptions, Report};

use super::policy::{self, LoadError, Loaded};
use crate::cli::ScanArgs;

/// The policy, the report and the options it was made with.
pub struct Done {
    pub loaded: Loaded,
    pub report: Report,
    pub options: CheckOptions,
}

/// A finished scan, or the exit code to stop with (the policy was invalid and reported).
pub enum Scanned {
    Done(Box<Done>),
    Exit(ExitCode),
}

pub fn scan(args: &ScanArgs) -> anyhow::Result<Scanned> {
    let color = super::check::color_choice(crate::cli::ColorChoice::Auto, false);
    let loaded = match policy::load(
        args.policy.policy.as_deref(),
        args.paths.first().map(|p| p.as_path()),
        color,
    ) {
        Ok(l) => l,
        Err(LoadError::Reported) => return Ok(Scanned::Exit(ExitCode::from(2))),
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
    let walk = WalkOptions {
        root: loaded.root.clone(),
        paths,
        exclude: args.exclude.clone(),
        threads: 0,
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
    Ok(Scanned::Done(Box::new(Done {
        loaded,
        report,
        options,
    })))
}
