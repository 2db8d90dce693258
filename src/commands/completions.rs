//! `secretlint completions <shell>`: a completion script generated from the command line's
//! own definition, so it can never disagree with the binary that printed it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "secretlint", &mut script);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .context("could not write the completion script")?;
    Ok(ExitCode::SUCCESS)
}
