//! One function per subcommand: arguments in, engine call, rendered output out.

mod apply;
mod backups;
mod baseline;
mod check;
mod completions;
mod due;
mod explain;
mod fix;
mod git;
mod init;
mod lsp;
mod now;
mod policy;
mod restore;
mod rotate;
mod scan;
mod timings;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Baseline(args) => baseline::run(args),
        Command::Due(args) => due::run(args),
        Command::Rotate(args) => rotate::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Restore(args) => restore::run(args),
        Command::Backups(args) => backups::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Lsp(args) => lsp::run(args),
    }
}
