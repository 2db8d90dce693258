//! `SECRETLINT_TIMINGS=1`: where a run's time went, one line on stderr — for benchmarks and bug
//! reports about speed. Phase names and durations only; nothing from the files.

use std::time::Duration;

/// Whether `SECRETLINT_TIMINGS` asks for the line (set, and neither empty nor `0`).
pub fn wanted() -> bool {
    std::env::var_os("SECRETLINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// `timings: walk and read 41.2 ms, parse 14.9 ms, …; total 140.3 ms; peak memory 61 MiB`.
pub fn line(laps: &[(&'static str, Duration)]) -> String {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let phases: Vec<String> = laps
        .iter()
        .map(|(name, d)| format!("{name} {}", ms(*d)))
        .collect();
    let total: Duration = laps.iter().map(|(_, d)| *d).sum();
    let mut out = format!("timings: {}; total {}", phases.join(", "), ms(total));
    if let Some(kib) = peak_memory_kib() {
        out.push_str(&format!("; peak memory {} MiB", kib / 1024));
    }
    out
}

/// The process's peak resident memory, where the system says (Linux: `VmHWM`).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_each_phase_and_the_total() {
        let laps = [
            ("walk and read", Duration::from_micros(41_250)),
            ("render", Duration::from_millis(9)),
        ];
        let line = line(&laps);
        assert!(
            line.starts_with("timings: walk and read 41.2 ms, render 9.0 ms; total 50.2 ms"),
            "{line}"
        );
    }
}
