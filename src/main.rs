//! The `secretlint` binary: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage, policy or I/O
//! error. A closed pipe (`secretlint check | head`) ends the run quietly with 0.

mod cli;
mod commands;
#[cfg(test)]
mod generated;
mod render;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
