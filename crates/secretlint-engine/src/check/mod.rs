//! Runs the rules: files are parsed and judged in parallel, distinct values are analysed once
//! however many files hold them, cross-file rules run over an index of every secret, and the
//! findings come back sorted so the output is the same with one thread or many.

mod cross;
mod index;
mod suppress;
mod value;

use rayon::prelude::*;

use crate::finding::{Finding, Severity};
use crate::policy::Policy;
use crate::rules::Rule;
use crate::workspace::{Input, SourceFile};

pub use index::SecretIndex;
pub use value::requirement_violations;

/// Settings of one check that are not in the policy.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// "Today", for age rules. Reproducible runs pass a fixed time.
    pub now: Option<jiff::Timestamp>,
}

/// The result of a check: the files read (sorted by path) and the findings (sorted by path,
/// offset and rule).
#[derive(Debug, Clone)]
pub struct Report {
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
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
    let mut inputs = inputs;
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    inputs.dedup_by(|a, b| a.path == b.path);
    let files: Vec<SourceFile> = inputs
        .into_par_iter()
        .map(|input| {
            let env = policy.environment_for(&input.path);
            SourceFile::new(input, env)
        })
        .collect();
    let index = SecretIndex::build(policy, &files);
    let mut findings: Vec<Finding> = files
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, file)| value::check_file(policy, &files, &index, i, file, options))
        .collect();
    findings.extend(cross::check(policy, &files, &index));
    findings.retain(|f| f.severity != Severity::Off);
    suppress::apply(policy, &files, &mut findings);
    findings.sort_by(|a, b| {
        (a.file, a.span.start, a.rule, &a.key, a.span.end).cmp(&(
            b.file,
            b.span.start,
            b.rule,
            &b.key,
            b.span.end,
        ))
    });
    findings.dedup();
    Report { files, findings }
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
        key: key.map(str::to_owned),
        environment: file
            .environment
            .map(|e| policy.environments[e].name.clone()),
        message,
        related: Vec::new(),
        notes: Vec::new(),
        fix: None,
    }
}
