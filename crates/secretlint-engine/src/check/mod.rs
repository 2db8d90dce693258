//! Runs the rules: files are parsed and judged in parallel, distinct values are analysed once
//! however many files hold them, cross-file rules run over an index of every secret, and the
//! findings come back sorted so the output is the same with one thread or many.

mod age;
mod cache;
mod calendar;
mod cross;
mod index;
mod suppress;
mod value;

use rayon::prelude::*;

use crate::finding::{Finding, Severity};
use crate::policy::Policy;
use crate::rules::Rule;
use crate::workspace::{Input, SourceFile};

pub use cache::AnalysisCache;
pub use index::SecretIndex;
pub use value::requirement_violations;

/// Settings of one check that are not in the policy.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// "Today", for age rules. Reproducible runs pass a fixed time; `None` turns age rules off.
    pub now: Option<jiff::Timestamp>,
    /// The rotation metadata, when the repository has one.
    pub ledger: Option<LedgerInput>,
    /// Per file (root-relative path), the time of the last commit that changed each 0-based
    /// line (`None` for uncommitted lines): the last fallback for a secret's age, from
    /// `check --age-from-git`.
    pub line_commit_times: std::collections::HashMap<String, Vec<Option<jiff::Timestamp>>>,
}

/// The rotation metadata file as read from disk (or an editor buffer).
#[derive(Debug, Clone)]
pub struct LedgerInput {
    /// Root-relative, slash-separated path.
    pub path: String,
    pub text: String,
}

pub use age::PREVIOUS_SUFFIX;
pub use calendar::calendar;

/// The result of a check: the files read (sorted by path) and the findings (sorted by path,
/// offset and rule).
#[derive(Debug, Clone)]
pub struct Report {
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    /// How long each phase of the check took, in order: for `SECRETLINT_TIMINGS` and the
    /// benchmarks, never part of any output format.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Report {
    /// Number of findings at each severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn file(&self, finding: &Finding) -> &SourceFile {
        &self.files[finding.file]
    }
}

/// Checks `inputs` against `policy`.
pub fn check(policy: &Policy, inputs: Vec<Input>, options: &CheckOptions) -> Report {
    let mut clock = Clock::start();
    let files = read_all(policy, inputs);
    clock.mark("parse");
    check_impl(policy, files, options, None, clock)
}

/// [`check`] on files already read and parsed (by [`crate::discover::collect_sources`], which
/// parses them while the walk goes on).
pub fn check_sources(policy: &Policy, files: Vec<SourceFile>, options: &CheckOptions) -> Report {
    check_impl(policy, files, options, None, Clock::start())
}

/// [`check`], reusing the analyses of values that `cache` saw in earlier checks. The report is
/// the same as [`check`]'s; only the time differs. For callers that re-check often.
pub fn check_with_cache(
    policy: &Policy,
    inputs: Vec<Input>,
    options: &CheckOptions,
    cache: &AnalysisCache,
) -> Report {
    let mut clock = Clock::start();
    let files = read_all(policy, inputs);
    clock.mark("parse");
    let report = check_impl(policy, files, options, Some(cache), clock);
    cache.finish_check();
    report
}

fn read_all(policy: &Policy, inputs: Vec<Input>) -> Vec<SourceFile> {
    inputs
        .into_par_iter()
        .map(|input| SourceFile::read(policy, input))
        .collect()
}

fn check_impl(
    policy: &Policy,
    files: Vec<SourceFile>,
    options: &CheckOptions,
    cache: Option<&AnalysisCache>,
    mut clock: Clock,
) -> Report {
    let mut files = files;
    if let Some(l) = &options.ledger {
        files.retain(|f| f.path != l.path);
        files.push(SourceFile::read(
            policy,
            Input::text(l.path.clone(), l.text.clone()),
        ));
    }
    // Stable, so that of two inputs with one path the first given is the one kept.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let (ledger, ledger_findings) = read_ledger(policy, &mut files, options);
    let ledger = ledger.as_ref();
    let index = SecretIndex::build_with(policy, &files, cache);
    clock.mark("index values");
    // Checked in parallel a chunk of files at a time and moved into one vector as each chunk
    // ends: a large monorepo has hundreds of thousands of findings, and collecting them all
    // in per-thread pieces before joining them (what `par_extend` does) would hold every
    // finding twice at the peak. A growing vector's unused capacity is never touched, so it
    // costs address space, not memory.
    const CHUNK: usize = 512;
    let mut findings = ledger_findings;
    // Room for about what a run finds (a finding or two per secret, a few per file), reserved
    // up front: capacity never written is address space, not memory, while growing by
    // doubling would copy every finding into fresh pages again and again.
    findings.reserve(2 * index.occurrences.len() + 4 * files.len());
    let mut shared = Shared::default();
    let check_chunk = |start: usize| -> Vec<Vec<Finding>> {
        let end = (start + CHUNK).min(files.len());
        (start..end)
            .into_par_iter()
            .map_init(index::Names::default, |names, i| {
                value::check_file(policy, &files, &index, names, i, options, ledger)
            })
            .collect()
    };
    // The cross-file rules run on one thread, beside the per-file rules on the others; each
    // chunk's findings are shared into the vector while the next chunk is checked. Neither
    // single-threaded part leaves the other cores waiting.
    let ((), across) = rayon::join(
        || {
            let mut done: Vec<Vec<Finding>> = Vec::new();
            for start in (0..files.len()).step_by(CHUNK) {
                let (next, ()) = rayon::join(
                    || check_chunk(start),
                    || shared.share_into(std::mem::take(&mut done), &mut findings),
                );
                done = next;
            }
            shared.share_into(done, &mut findings);
        },
        || cross::check(policy, &files, &index),
    );
    findings.extend(across.into_iter().map(|f| shared.share(f)));
    clock.mark("per-file and cross-file rules");
    if let (Some(l), Some(li)) = (ledger, ledger_index(&files, options)) {
        findings.extend(age::stale_metadata(policy, l, li, &files[li], &files));
    }
    findings.retain(|f| f.severity != Severity::Off);
    suppress::apply(policy, &files, &mut findings);
    // Unstable: the order before sorting is already the same with one thread or many, and a
    // stable sort would allocate a buffer of half the findings. Rayon's unstable sort splits
    // the same way whatever the number of threads, so ties end up in the same order too.
    findings.par_sort_unstable_by(|a, b| {
        (a.file, a.span.start, a.rule, &a.key, a.span.end).cmp(&(
            b.file,
            b.span.start,
            b.rule,
            &b.key,
            b.span.end,
        ))
    });
    findings.dedup();
    clock.mark("suppress and sort");
    Report {
        files,
        findings,
        timings: clock.laps,
    }
}

/// Phase durations of one check.
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn mark(&mut self, phase: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((phase, now - self.last));
        self.last = now;
    }
}

/// One copy of each distinct key, message, note and fix across the findings of a check (the
/// environment is the policy's own shared name): a large run has one distinct message for every
/// five findings, a few hundred distinct notes and a few dozen distinct fixes over hundreds of
/// thousands of findings.
#[derive(Default)]
struct Shared {
    // foldhash: seeded per run like std's SipHash, several times faster on short strings.
    texts: foldhash::HashSet<std::sync::Arc<str>>,
    fixes: foldhash::HashSet<std::sync::Arc<crate::finding::Fix>>,
}

impl Shared {
    /// Moves the findings of a chunk of files into `into`, sharing their texts and dropping
    /// those of rules that are off.
    fn share_into(&mut self, chunk: Vec<Vec<Finding>>, into: &mut Vec<Finding>) {
        for found in chunk {
            into.extend(
                found
                    .into_iter()
                    .filter(|f| f.severity != Severity::Off)
                    .map(|f| self.share(f)),
            );
        }
    }

    fn share(&mut self, mut f: Finding) -> Finding {
        f.message = self.text(&f.message);
        for note in &mut f.notes {
            *note = self.text(note);
        }
        if let Some(key) = &mut f.key {
            *key = self.text(key);
        }
        // The environment is already the policy's shared name (see `finding`).
        if let Some(fix) = &mut f.fix {
            *fix = one(&mut self.fixes, fix);
        }
        f
    }

    fn text(&mut self, text: &std::sync::Arc<str>) -> std::sync::Arc<str> {
        one(&mut self.texts, text)
    }
}

/// The set's copy of `item`, which becomes the copy when the set has none.
fn one<T: ?Sized + std::hash::Hash + Eq>(
    set: &mut foldhash::HashSet<std::sync::Arc<T>>,
    item: &std::sync::Arc<T>,
) -> std::sync::Arc<T> {
    match set.get(item) {
        Some(shared) => shared.clone(),
        None => {
            set.insert(item.clone());
            item.clone()
        }
    }
}

fn ledger_index(files: &[SourceFile], options: &CheckOptions) -> Option<usize> {
    let path = &options.ledger.as_ref()?.path;
    files.iter().position(|f| &f.path == path)
}

/// Turns the ledger's file into a ledger document (no entries to judge) and parses it; its
/// errors become `syntax-error` findings pointing into it.
fn read_ledger(
    policy: &Policy,
    files: &mut [SourceFile],
    options: &CheckOptions,
) -> (Option<crate::age::Ledger>, Vec<Finding>) {
    let Some(i) = ledger_index(files, options) else {
        return (None, Vec::new());
    };
    let file = &mut files[i];
    file.kind = crate::document::DocumentKind::Ledger;
    file.document = crate::document::Document::parse(file.kind, &file.text);
    file.environment = None;
    match crate::age::Ledger::parse(&file.text) {
        Ok(l) => (Some(l), Vec::new()),
        Err(errors) => {
            let file = &files[i];
            let findings = errors
                .into_iter()
                .map(|e| {
                    finding(
                        policy,
                        Rule::SyntaxError,
                        i,
                        file,
                        age::ledger_span(e.span),
                        None,
                        format!("rotation metadata: {}", e.message),
                    )
                })
                .collect();
            (None, findings)
        }
    }
}

/// A finding at the severity the policy gives `rule` in the file's environment.
pub(crate) fn finding(
    policy: &Policy,
    rule: Rule,
    file_index: usize,
    file: &SourceFile,
    span: crate::Span,
    key: Option<&str>,
    message: String,
) -> Finding {
    Finding {
        rule,
        severity: policy.severity(rule, file.environment),
        file: file_index,
        span,
        key: key.map(Into::into),
        environment: file
            .environment
            .map(|e| policy.environments[e].name.clone()),
        message: message.into(),
        related: Vec::new(),
        notes: Vec::new(),
        fix: None,
    }
}
