//! `--age-from-git`: the time of the last commit that changed each line of each checked file,
//! from `git blame`. The engine uses it only when no better source dates a secret.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use jiff::Timestamp;
use rayon::prelude::*;
use secretlint_engine::SourceFile;

/// Commit times per 0-based line for every readable input, keyed by its root-relative path.
/// Files git does not know (untracked, gitignored) simply have no times.
pub fn line_commit_times(
    root: &Path,
    files: &[SourceFile],
) -> HashMap<String, Vec<Option<Timestamp>>> {
    files
        .par_iter()
        .filter(|f| f.unreadable.is_none())
        .filter_map(|i| blame(root, &i.path).map(|times| (i.path.clone(), times)))
        .collect()
}

fn blame(root: &Path, path: &str) -> Option<Vec<Option<Timestamp>>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["blame", "--line-porcelain", "--"])
        .arg(path)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(parse_porcelain(&String::from_utf8_lossy(&out.stdout)))
}

/// Reads `git blame --line-porcelain`: a header `<sha> <orig> <final> [<count>]` per line, its
/// `committer-time`, and the line itself after a tab. Uncommitted lines (an all-zero sha) get
/// no time: a value nobody committed has no history to date it by.
pub fn parse_porcelain(text: &str) -> Vec<Option<Timestamp>> {
    let mut times = Vec::new();
    let mut current: Option<(usize, bool)> = None;
    for line in text.lines() {
        if line.starts_with('\t') {
            continue;
        }
        let mut parts = line.split(' ');
        let first = parts.next().unwrap_or("");
        if first.len() == 40 && first.bytes().all(|b| b.is_ascii_hexdigit()) {
            let final_line = parts.nth(1).and_then(|n| n.parse::<usize>().ok());
            current = final_line.map(|n| (n, first.bytes().all(|b| b == b'0')));
        } else if let (Some(secs), Some((n, uncommitted))) =
            (line.strip_prefix("committer-time "), current)
        {
            let at = secs
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|s| Timestamp::from_second(s).ok());
            if times.len() < n {
                times.resize(n, None);
            }
            times[n - 1] = if uncommitted { None } else { at };
        }
    }
    times
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_dates_each_line_and_skips_uncommitted_ones() {
        let text = "\
1111111111111111111111111111111111111111 1 1 1
author A
committer-time 1764460800
\tA=1
0000000000000000000000000000000000000000 2 2 1
committer-time 1764547200
\tB=2
";
        let times = parse_porcelain(text);
        assert_eq!(times.len(), 2);
        assert_eq!(times[0].unwrap().to_string(), "2025-11-30T00:00:00Z");
        assert_eq!(times[1], None);
    }
}
