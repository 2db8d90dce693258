//! A progress line on stderr for long runs, on a terminal only: a spinner with the elapsed
//! time and what the run is doing (entries walked, files being checked).
//!
//! It stays hidden for the first [`DELAY`], so a quick run prints nothing extra, and it is
//! never drawn when stderr is not a terminal (CI logs, pipes, files), so machine output and
//! logs stay clean. The bar is cleared before the report is written.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the progress line appears.
pub const DELAY: Duration = Duration::from_millis(700);

const TICK: Duration = Duration::from_millis(100);

/// Counters the run updates and the progress thread reads.
#[derive(Debug, Default)]
pub struct Counters {
    /// Directory entries seen by the walk.
    pub walked: AtomicUsize,
    /// Files handed to the checker; 0 while still walking.
    pub checking: AtomicUsize,
}

/// The progress line of one run; dropping it (or [`Progress::finish`]) clears it.
pub struct Progress {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts watching `counters`; draws only if stderr is a terminal and the run lasts.
    pub fn start(counters: Arc<Counters>) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            match stopped.recv_timeout(DELAY) {
                Err(RecvTimeoutError::Timeout) => {}
                _ => return,
            }
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
                bar.set_style(style);
            }
            loop {
                let checking = counters.checking.load(Ordering::Relaxed);
                bar.set_message(if checking == 0 {
                    format!(
                        "walking: {} entries",
                        counters.walked.load(Ordering::Relaxed)
                    )
                } else {
                    format!(
                        "checking {checking} files ({} entries walked)",
                        counters.walked.load(Ordering::Relaxed)
                    )
                });
                bar.tick();
                match stopped.recv_timeout(TICK) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            bar.finish_and_clear();
        });
        Progress {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Clears the line and waits for it to be gone, so the report starts on a clean line.
    pub fn finish(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_now();
    }
}
