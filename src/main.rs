//! The `secretlint` binary: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage, policy or I/O
//! error, or an internal error (a panic, reported without its message). A closed pipe
//! (`secretlint check | head`) ends the run quietly with 0.

mod cli;
mod commands;
#[cfg(test)]
mod generated;
mod render;

use std::process::ExitCode;

use clap::Parser;

// mimalloc: a run allocates tens of thousands of small strings on every core at once; see
// DESIGN.md, "Why mimalloc?".
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let args = cli::Cli::parse();
    // A panic has been reported by the hook; like an I/O error, it means the run cannot be
    // trusted.
    let Ok(result) = std::panic::catch_unwind(|| {
        #[cfg(debug_assertions)]
        panic_for_tests();
        commands::run(args)
    }) else {
        return ExitCode::from(2);
    };
    match result {
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

/// Reports a panic without its payload: a panic message can hold anything the code had at
/// hand, a value included (an `expect` on a parse of file text, a slice printed by an index
/// out of range). Only the location in secretlint's own source is shown: it is safe, and it
/// is what a bug report needs. The hook is process-wide, so it covers worker threads and the
/// language server too.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    eprintln!(
        "error: secretlint stopped on an internal error{at}; its message is not shown, as it \
         could contain a secret value. Please report this location."
    );
}

/// Lets the end-to-end tests prove that a panic's payload is never printed: in debug builds
/// only, `SECRETLINT_TEST_PANIC=<text>` panics with that text before the command runs.
#[cfg(debug_assertions)]
fn panic_for_tests() {
    if let Some(payload) = std::env::var_os("SECRETLINT_TEST_PANIC") {
        panic!("{}", payload.to_string_lossy());
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
