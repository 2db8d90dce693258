//! Renderers: findings to text for people and to machine formats. Each reads the engine's
//! report and writes; none computes anything the language server would need too. Snippets
//! come from masked copies of the files, so no renderer can print a value.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
pub mod sarif;

use std::path::Path;

use secretlint_engine::baseline::Comparison;
use secretlint_engine::{LineIndex, Policy, Report, Severity, Shard, SourceFile, Span};

/// What a renderer reports on: the engine's report, already narrowed to this shard and to the
/// findings the baseline did not know, and what the command did around it.
pub struct Run<'a> {
    pub report: &'a Report,
    pub policy: &'a Policy,
    /// The directory paths are relative to (SARIF's `%SRCROOT%`).
    pub root: &'a Path,
    /// For each file of the report: whether this run reports on it (false for the files of
    /// other shards, which were read only for the cross-file rules).
    pub in_scope: Vec<bool>,
    pub shard: Option<Shard>,
    /// The severity from which findings fail the run.
    pub failing: Severity,
    /// The baseline file as given, and how the report compared with it.
    pub baseline: Option<(String, &'a Comparison)>,
}

impl Run<'_> {
    /// A run over the whole report: no shard, no baseline.
    #[cfg(test)]
    pub fn plain<'a>(report: &'a Report, policy: &'a Policy) -> Run<'a> {
        Run {
            report,
            policy,
            root: Path::new("."),
            in_scope: vec![true; report.files.len()],
            shard: None,
            failing: Severity::Error,
            baseline: None,
        }
    }

    /// The files this run reports on.
    pub fn files_checked(&self) -> usize {
        self.in_scope.iter().filter(|s| **s).count()
    }

    /// Whether a finding at this severity fails the run.
    pub fn fails(&self, severity: Severity) -> bool {
        severity >= self.failing
    }

    /// Lines about the baseline for the end of a report: how many known findings were left
    /// out, and each entry that no longer matches.
    pub fn baseline_notes(&self) -> Vec<String> {
        let Some((path, cmp)) = &self.baseline else {
            return Vec::new();
        };
        let mut out = vec![format!(
            "baseline `{path}`: {} not shown, {}",
            plural(cmp.matched, "known finding"),
            match cmp.stale.iter().map(|e| e.count).sum::<usize>() {
                0 => "no stale entries".to_owned(),
                n => format!(
                    "{} no longer {} (fixed: run `secretlint baseline` again to drop {})",
                    plural(n, "entry"),
                    if n == 1 { "matches" } else { "match" },
                    if n == 1 { "it" } else { "them" }
                ),
            }
        )];
        for e in &cmp.stale {
            let id = &e.identity;
            let what = match (&id.key, &id.discriminator) {
                (Some(k), _) => format!(" `{k}`"),
                (None, Some(d)) => format!(" ({d})"),
                (None, None) => String::new(),
            };
            let times = if e.count > 1 {
                format!(" ×{}", e.count)
            } else {
                String::new()
            };
            out.push(format!("  stale: {}: {}{what}{times}", id.path, id.rule));
        }
        out
    }
}

/// What a document is serialized with in place of an array that [`write_with_array`] renders
/// separately.
const ARRAY_SLOT: &str = "secretlint:array-slot";

/// Writes `doc` pretty-printed, with the string field `key` (set to [`array_slot`]) replaced by
/// the array of `render(item)` for each item that gives one — the same bytes
/// `serde_json::to_writer_pretty` would write for the whole document, but the items are
/// rendered in parallel, a bounded batch at a time: a report of 200,000 findings renders on
/// every core without its text ever being held in memory at once.
pub fn write_with_array<'i, I, T, F>(
    out: &mut dyn std::io::Write,
    doc: &impl serde::Serialize,
    key: &str,
    items: &'i [I],
    render: F,
) -> anyhow::Result<()>
where
    I: Sync,
    T: serde::Serialize,
    F: Fn(&'i I) -> Option<T> + Sync,
{
    let head = serde_json::to_vec_pretty(doc)?;
    // Only the real key can produce these exact bytes: a quote inside any string is escaped.
    let needle = format!("\"{key}\": \"{ARRAY_SLOT}\"");
    let at = head
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .ok_or_else(|| anyhow::anyhow!("no `{key}` slot in the document"))?;
    let line_start = head[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let indent = at - line_start;
    let item_pad = format!("\n{}", " ".repeat(indent + 2));

    out.write_all(&head[..at + key.len() + 4])?;
    out.write_all(b"[")?;
    // Every item is written after a `,`; the array's first needs none.
    let mut items_out = SkipFirstByte { out, skip: true };
    write_in_parallel(&mut items_out, items, |chunk, buf| {
        for item in chunk {
            if let Some(value) = render(item) {
                buf.push(b',');
                buf.extend_from_slice(item_pad.as_bytes());
                let nested = Nested {
                    base: indent / 2 + 1,
                    depth: 0,
                    has_value: false,
                };
                let mut ser = serde_json::Serializer::with_formatter(&mut *buf, nested);
                serde::Serialize::serialize(&value, &mut ser)?;
            }
        }
        Ok(())
    })?;
    let empty = items_out.skip;
    if !empty {
        write!(out, "\n{}", " ".repeat(indent))?;
    }
    out.write_all(b"]")?;
    out.write_all(&head[at + needle.len()..])?;
    Ok(())
}

/// A writer that drops the first byte written through it.
struct SkipFirstByte<'a> {
    out: &'a mut dyn std::io::Write,
    /// Still to drop: nothing has been written yet.
    skip: bool,
}

impl std::io::Write for SkipFirstByte<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match bytes {
            [] => Ok(0),
            [_, rest @ ..] if self.skip => {
                self.skip = false;
                self.out.write_all(rest)?;
                Ok(bytes.len())
            }
            _ => self.out.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes what `render` makes of `items`, in order, rendering a bounded batch at a time on
/// every core: a report's text is never in memory whole, and a large report does not wait on
/// one core. `render` appends its chunk's text to the buffer it is given.
pub fn write_in_parallel<'i, I: Sync>(
    out: &mut dyn std::io::Write,
    items: &'i [I],
    render: impl Fn(&'i [I], &mut Vec<u8>) -> anyhow::Result<()> + Sync,
) -> anyhow::Result<()> {
    use rayon::prelude::*;
    const CHUNK: usize = 64;
    const BATCH: usize = 16;
    for batch in items.chunks(CHUNK * BATCH) {
        let parts: Vec<Vec<u8>> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut buf = Vec::with_capacity(chunk.len() * 1024);
                render(chunk, &mut buf).map(|()| buf)
            })
            .collect::<anyhow::Result<_>>()?;
        for part in parts {
            out.write_all(&part)?;
        }
    }
    Ok(())
}

/// The placeholder for the array [`write_with_array`] fills in.
pub fn array_slot() -> &'static str {
    ARRAY_SLOT
}

/// serde_json's pretty layout (two spaces a level) for a value that starts `base` levels deep,
/// so each item of an array can be rendered on its own and spliced in.
struct Nested {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut n = 2 * (self.base + self.depth);
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b)
    }

    fn next<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(file: &SourceFile, index: &LineIndex, offset: usize) -> (usize, usize) {
    let (line, byte_col) = index.line_col(offset);
    let start = index.line_start(line);
    let col = file
        .text
        .get(start..start + byte_col)
        .map_or(byte_col, |s| s.chars().count());
    (line + 1, col + 1)
}

/// 1-based line and column in UTF-16 code units of a byte offset: SARIF's default
/// `columnKind`, and what editors built on JavaScript count.
pub fn line_col_utf16(file: &SourceFile, index: &LineIndex, offset: usize) -> (usize, usize) {
    let (line, byte_col) = index.line_col(offset);
    let start = index.line_start(line);
    let col = file
        .text
        .get(start..start + byte_col)
        .map_or(byte_col, |s| s.encode_utf16().count());
    (line + 1, col + 1)
}

/// Line indexes for the files a report's findings point into.
pub fn line_indexes(report: &Report) -> Vec<Option<LineIndex>> {
    use rayon::prelude::*;
    let mut wanted = vec![false; report.files.len()];
    for f in &report.findings {
        for i in std::iter::once(f.file).chain(f.related.iter().map(|r| r.file)) {
            wanted[i] = true;
        }
    }
    // Each index is a pass over its file's text: tens of thousands of files share the cores.
    report
        .files
        .par_iter()
        .zip(wanted)
        .map(|(file, wanted)| wanted.then(|| LineIndex::new(&file.text)))
        .collect()
}

/// Whether a span's line is too long to show as a snippet (a 5 MiB one-line value).
pub fn line_too_long(_file: &SourceFile, index: &LineIndex, span: Span) -> bool {
    const MAX_SNIPPET_LINE: usize = 400;
    let (line, _) = index.line_col(span.start);
    let start = index.line_start(line);
    let end = index.line_start(line + 1);
    end.saturating_sub(start) > MAX_SNIPPET_LINE || span.len() > MAX_SNIPPET_LINE
}

/// "1 file", "2 files", "2 entries", "2 keys", "2 fixes".
pub fn plural(n: usize, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => format!("{n} {word}"),
        (_, Some(stem)) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{n} {stem}ies"),
        _ if word.ends_with(['s', 'x']) || word.ends_with("ch") || word.ends_with("sh") => {
            format!("{n} {word}es")
        }
        _ => format!("{n} {word}s"),
    }
}

/// Writes `rows` under `header` in aligned columns, two spaces apart; the last column is not
/// padded, so lines carry no trailing blanks.
pub fn write_table<const N: usize>(
    out: &mut dyn std::io::Write,
    header: [&str; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = header.map(str::len);
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.len());
        }
    }
    let line = |cells: [&str; N]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == N {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s
    };
    writeln!(out, "{}", line(header))?;
    for r in rows {
        writeln!(out, "{}", line(r.each_ref().map(String::as_str)))?;
    }
    Ok(())
}

#[cfg(test)]
mod plural_tests {
    use super::plural;

    #[test]
    fn plurals_read_as_english() {
        assert_eq!(plural(1, "key"), "1 key");
        assert_eq!(plural(27, "key"), "27 keys");
        assert_eq!(plural(2, "entry"), "2 entries");
        assert_eq!(plural(2, "fix"), "2 fixes");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(
            plural(3, "expiring-soon finding"),
            "3 expiring-soon findings"
        );
    }
}

#[cfg(test)]
mod splice_tests {
    use serde_json::{Value, json};

    /// The spliced document must be byte for byte what serde_json writes for the whole.
    fn same_as_serde(items: Vec<Value>, keep: fn(&Value) -> bool) {
        let doc = |findings: Value| {
            json!({
                "version": 1,
                "policy": "a \"findings\": path\nwith a newline",
                "findings": findings,
                "after": { "nested": [1, 2], "empty": [] },
            })
        };
        let kept: Vec<Value> = items.iter().filter(|v| keep(v)).cloned().collect();
        let expected = serde_json::to_vec_pretty(&doc(Value::Array(kept))).unwrap();
        let mut got = Vec::new();
        super::write_with_array(
            &mut got,
            &doc(Value::String(super::array_slot().into())),
            "findings",
            &items,
            |v| keep(v).then_some(v),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn spliced_arrays_match_serde_json() {
        let item = |i: usize| {
            json!({
                "rule": "too-short",
                "n": i,
                "notes": ["a\nb", "c"],
                "related": [],
                "fix": { "action": { "kind": "regenerate" }, "empty": {} },
            })
        };
        same_as_serde(Vec::new(), |_| true);
        same_as_serde(vec![item(0)], |_| true);
        same_as_serde(vec![item(0)], |_| false);
        // More than one batch, with items left out at the start of some chunks.
        let many: Vec<Value> = (0..5000).map(item).collect();
        same_as_serde(many.clone(), |_| true);
        same_as_serde(many, |v| v["n"].as_u64().unwrap() % 7 != 0);
        same_as_serde(vec![json!(1), json!("two"), json!([])], |_| true);
    }
}
