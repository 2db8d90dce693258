//! What `due` and `rotate` share with `check`: load the policy, walk, and run the engine.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use codespan_reporting::term::termcolor;
use secretlint_engine::discover::{self, WalkOptions};
use secretlint_engine::{CheckOptions, Report};

use super::policy::{self, LoadError, Loaded};
use crate::cli::ScanArgs;
use crate::render::progress::{Counters, Progress};

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

/// How a scan runs, beyond what it looks at.
pub struct Settings {
    /// Worker threads; 0 picks one per core.
    pub jobs: usize,
    /// Colors for the policy's errors on stderr.
    pub color: termcolor::ColorChoice,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            jobs: 0,
            color: termcolor::ColorChoice::Never,
        }
    }
}

pub fn scan(args: &ScanArgs) -> anyhow::Result<Scanned> {
    scan_with(args, &Settings::default())
}

/// [`scan`] with `settings`; shows a progress line on a terminal when the run is long.
pub fn scan_with(args: &ScanArgs, settings: &Settings) -> anyhow::Result<Scanned> {
    let loaded = match policy::load(
        args.policy.policy.as_deref(),
        args.paths.first().map(|p| p.as_path()),
        settings.color,
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
    if settings.jobs > 0 {
        // The pool can only be configured once per process; a failure means it already was.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(settings.jobs)
            .build_global();
    }
    let walk = WalkOptions {
        root: loaded.root.clone(),
        paths,
        exclude: args.exclude.clone(),
        threads: settings.jobs,
    };
    let counters = Arc::new(Counters::default());
    let progress = Progress::start(Arc::clone(&counters));
    let walk_started = std::time::Instant::now();
    // Each file is parsed on the walker's thread that read it, while the walk goes on.
    let sources = discover::collect_sources(&loaded.policy, &walk, &counters.walked)?;
    let walked = walk_started.elapsed();
    counters
        .checking
        .store(sources.len().max(1), Ordering::Relaxed);
    let options = CheckOptions {
        now: Some(now),
        ledger: loaded.ledger()?,
        line_commit_times: if args.age_from_git {
            super::git::line_commit_times(&loaded.root, &sources)
        } else {
            Default::default()
        },
    };
    let mut report = secretlint_engine::check_sources(&loaded.policy, sources, &options);
    report.timings.insert(0, ("walk, read and parse", walked));
    progress.finish();
    Ok(Scanned::Done(Box::new(Done {
        loaded,
        report,
        options,
    })))
}
