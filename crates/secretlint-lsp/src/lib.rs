//! The secretlint language server: the engine's findings on the editor's buffers, with quick
//! fixes, hover, completion of required keys, and diagnostics for the policy file itself.
//!
//! `secretlint lsp` calls [`run_stdio`]. Tests drive [`service`] over any byte stream with
//! [`tower_lsp_server::Server`].

mod actions;
mod checker;
mod diagnostics;
mod edits;
mod hover;
mod position;
mod rotation;
mod server;
mod state;
mod workspace;

use std::time::Duration;

pub use actions::{APPLY_FIX_COMMAND, FIX_ALL_KIND, RESTRICT_PERMISSIONS_COMMAND};
pub use checker::DEFAULT_DEBOUNCE;
pub use diagnostics::{RULE_DOCS_BASE, SOURCE};
pub use edits::SUPPRESSION_REASON;
pub use position::{Encoding, LineMap};
pub use rotation::RECORD_ROTATION_COMMAND;
pub use server::{Backend, Options, service};

/// Serves one client over stdin and stdout until it sends `exit` (or closes stdin).
pub fn run_stdio(options: Options) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (service, socket) = service(options);
        tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // Reading stdin occupies a blocking thread that only returns when the client closes it;
    // a client that keeps it open after `exit` (Helix does) must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}

/// Sends `tracing` output to stderr, filtered by `SECRETLINT_LOG` (then `RUST_LOG`; default
/// `info`).
pub fn init_logging() {
    let spec = std::env::var("SECRETLINT_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".into());
    init_logging_to(&spec, std::io::stderr);
}

/// Sends `tracing` output to `writer`, filtered by `spec` (an `EnvFilter` directive). The
/// transport's own message tracing is capped at `info` whatever `spec` says: at `debug` and
/// `trace` it prints every message whole, buffer texts (and so secret values) included.
/// Nothing this crate logs holds a value: paths, versions, counts and timings only.
pub fn init_logging_to<W>(spec: &str, writer: W)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer, filter};

    let env = EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new("info"));
    let no_message_dumps = filter::filter_fn(|meta| {
        !(meta.target().starts_with("tower_lsp_server") && *meta.level() > tracing::Level::INFO)
    });
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(env)
        .with_filter(no_message_dumps);
    // A second call (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
