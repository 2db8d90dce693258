//! Loading the policy a command runs under, and printing its errors against the policy file.

use std::path::{Path, PathBuf};

use anyhow::Context;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor, termcolor::StandardStream};
use secretlint_engine::discover;
use secretlint_engine::{Policy, PolicyError, PolicyOrigin};

/// A loaded policy and the directory its globs are relative to.
pub struct Loaded {
    pub policy: Policy,
    pub root: PathBuf,
}

/// Why a policy could not be loaded: already reported to the user, or an I/O problem.
pub enum LoadError {
    /// The policy is invalid; diagnostics have been printed.
    Reported,
    Io(anyhow::Error),
}

/// Loads the policy: `--policy FILE`, else the nearest `secretlint.toml` upward from the first
/// path being checked (so `secretlint check ../other-repo` uses that repository's policy),
/// else upward from the working directory, else the built-in recommended policy.
pub fn load(
    explicit: Option<&Path>,
    first_path: Option<&Path>,
    color: termcolor::ColorChoice,
) -> Result<Loaded, LoadError> {
    let cwd = std::env::current_dir()
        .context("could not read the working directory")
        .map_err(LoadError::Io)?;
    // A discovered policy's globs are relative to its own directory; a policy named with
    // `--policy` applies to the working directory, wherever the file lives.
    let (path, root) = match explicit {
        Some(p) => (
            std::path::absolute(p).unwrap_or_else(|_| p.to_owned()),
            cwd.clone(),
        ),
        None => match first_path
            .and_then(|p| std::path::absolute(p).ok())
            .map(|p| {
                if p.is_dir() {
                    p
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or(p)
                }
            })
            .and_then(|start| discover::find_policy(&start))
            .or_else(|| discover::find_policy(&cwd))
        {
            Some(found) => {
                let root = found
                    .parent()
                    .map_or_else(|| cwd.clone(), Path::to_path_buf);
                (found, root)
            }
            None => {
                return Ok(Loaded {
                    policy: Policy::recommended(),
                    root: cwd,
                });
            }
        },
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read policy `{}`", path.display()))
        .map_err(LoadError::Io)?;
    let shown = discover::display_path(&cwd, &path);
    match Policy::from_toml(&text, PolicyOrigin::File(shown)) {
        Ok(policy) => Ok(Loaded { policy, root }),
        Err(e) => {
            report(&e, color).map_err(LoadError::Io)?;
            Err(LoadError::Reported)
        }
    }
}

/// Prints every problem of an invalid policy, rustc-style, on stderr.
pub fn report(error: &PolicyError, color: termcolor::ColorChoice) -> anyhow::Result<()> {
    let file = SimpleFile::new(error.origin.to_string(), error.text.as_str());
    let mut out = StandardStream::stderr(color);
    let config = term::Config::default();
    for d in &error.diagnostics {
        let mut diag = Diagnostic::error().with_message(&d.message);
        if let Some(span) = d.span {
            let mut label = Label::primary((), span.range());
            if let Some(l) = &d.label {
                label = label.with_message(l);
            }
            diag = diag.with_labels(vec![label]);
        }
        if let Some(help) = &d.help {
            diag = diag.with_notes(vec![format!("help: {help}")]);
        }
        term::emit_to_write_style(&mut out, &config, &file, &diag)?;
    }
    let n = error.diagnostics.len();
    eprintln!(
        "error: the policy `{}` has {n} error{}; nothing was checked",
        error.origin,
        if n == 1 { "" } else { "s" }
    );
    Ok(())
}

impl Loaded {
    /// The rotation metadata named by the policy, if the repository has one.
    pub fn ledger(&self) -> anyhow::Result<Option<secretlint_engine::LedgerInput>> {
        let path = self.root.join(&self.policy.ledger);
        // Read with the guards of a checked file: a FIFO here would block the run forever.
        match discover::read_optional(&path) {
            Ok(text) => Ok(text.map(|text| secretlint_engine::LedgerInput {
                path: self.policy.ledger.clone(),
                text,
            })),
            Err(reason) => Err(anyhow::anyhow!(
                "could not read the rotation metadata `{}`: {reason}",
                self.policy.ledger
            )),
        }
    }
}
