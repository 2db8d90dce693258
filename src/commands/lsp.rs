//! `secretlint lsp`: the language server on stdin and stdout, logging to stderr.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::LspArgs;

pub fn run(_args: LspArgs) -> anyhow::Result<ExitCode> {
    secretlint_lsp::init_logging();
    // `SECRETLINT_NOW` pins "today" as it does for `check`, so both agree in tests.
    let now = match std::env::var("SECRETLINT_NOW") {
        Ok(text) => Some(super::now::parse(Some(&text))?),
        Err(_) => None,
    };
    let options = secretlint_lsp::Options {
        now,
        ..Default::default()
    };
    secretlint_lsp::run_stdio(options).context("the language server failed")?;
    Ok(ExitCode::SUCCESS)
}
