//! One function per subcommand: arguments in, engine call, rendered output out.

mod check;
mod due;
mod explain;
mod lsp;
mod now;
mod policy;
mod rotate;
mod scan;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Due(args) => due::run(args),
        Command::Rotate(args) => rotate::run(args),
        Command::Lsp(args) => lsp::run(args),
    }
}
