//! Inline suppressions: `# secretlint-allow: RULE[, RULE...] -- REASON` on a secret's own line
//! or alone on the line above it. A suppression needs a reason; one without a reason, or naming
//! an unknown rule, suppresses nothing and is reported, and one that suppresses nothing is
//! reported as unused, so suppressions cannot quietly outlive what they excused.

use std::collections::HashMap;

use rayon::prelude::*;

use super::finding;
use crate::finding::Finding;
use crate::policy::Policy;
use crate::rules::Rule;
use crate::span::{LineIndex, Span};
use crate::workspace::SourceFile;

const MARKER: &str = "secretlint-allow:";

struct Suppression {
    file: usize,
    /// The comment, for findings about the suppression itself.
    span: Span,
    /// The 0-based line whose findings it covers.
    line: usize,
    rules: Vec<Rule>,
    used: bool,
}

/// Removes suppressed findings and adds findings about the suppressions themselves.
pub(super) fn apply(policy: &Policy, files: &[SourceFile], findings: &mut Vec<Finding>) {
    // Every comment of every file is looked at: on the cores, in file order.
    let (mut suppressions, mut problems): (Vec<Suppression>, Vec<Finding>) = files
        .par_iter()
        .enumerate()
        .map(|(fi, file)| {
            let (mut found, mut problems) = (Vec::new(), Vec::new());
            collect(policy, fi, file, &mut found, &mut problems);
            (found, problems)
        })
        .reduce(Default::default, |(mut s, mut p), (s2, p2)| {
            s.extend(s2);
            p.extend(p2);
            (s, p)
        });
    if suppressions.is_empty() {
        findings.extend(problems);
        return;
    }
    let mut by_line: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        by_line.entry((s.file, s.line)).or_default().push(i);
    }
    let mut indexes: HashMap<usize, LineIndex> = HashMap::new();
    findings.retain(|f| {
        let index = indexes
            .entry(f.file)
            .or_insert_with(|| LineIndex::new(&files[f.file].text));
        let (line, _) = index.line_col(f.span.start);
        let Some(list) = by_line.get(&(f.file, line)) else {
            return true;
        };
        for &i in list {
            if suppressions[i].rules.contains(&f.rule) {
                suppressions[i].used = true;
                return false;
            }
        }
        true
    });
    for s in suppressions.iter().filter(|s| !s.used) {
        let ids: Vec<&str> = s.rules.iter().map(|r| r.id()).collect();
        problems.push(finding(
            policy,
            Rule::UnusedSuppression,
            s.file,
            &files[s.file],
            s.span,
            None,
            format!(
                "this suppression of `{}` suppresses nothing on line {}",
                ids.join("`, `"),
                s.line + 1
            ),
        ));
    }
    findings.extend(problems);
}

fn collect(
    policy: &Policy,
    fi: usize,
    file: &SourceFile,
    out: &mut Vec<Suppression>,
    problems: &mut Vec<Finding>,
) {
    let doc = &file.document;
    // Trailing comments cover their own line; full-line comments cover the next line.
    let trailing = doc
        .entries
        .iter()
        .filter_map(|e| e.comment.map(|c| (c, false)));
    let standalone = doc.comments.iter().map(|c| (*c, true));
    let mut index: Option<LineIndex> = None;
    for (span, above) in trailing.chain(standalone) {
        let Some(text) = file.text.get(span.range()) else {
            continue;
        };
        let Some(at) = text.find(MARKER) else {
            continue;
        };
        let body = &text[at + MARKER.len()..];
        let index = index.get_or_insert_with(|| LineIndex::new(&file.text));
        let (line, _) = index.line_col(span.start);
        let (ids, reason) = match body.split_once("--") {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (body, ""),
        };
        let mut rules = Vec::new();
        let mut bad = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match Rule::from_id(id) {
                Some(r) => rules.push(r),
                None => bad.push(id.to_owned()),
            }
        }
        let problem = if !bad.is_empty() {
            let id = &bad[0];
            let hint = crate::policy::suggest_rule(id)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Some(format!("unknown rule `{id}` in a suppression{hint}"))
        } else if rules.is_empty() {
            Some(
                "a suppression must name the rules it allows: `# secretlint-allow: RULE -- REASON`"
                    .to_owned(),
            )
        } else if reason.is_empty() {
            Some(
                "a suppression needs a reason after `--`: `# secretlint-allow: RULE -- REASON`"
                    .to_owned(),
            )
        } else {
            None
        };
        if let Some(message) = problem {
            problems.push(finding(
                policy,
                Rule::InvalidSuppression,
                fi,
                file,
                span,
                None,
                message,
            ));
            continue;
        }
        out.push(Suppression {
            file: fi,
            span,
            line: if above { line + 1 } else { line },
            rules,
            used: false,
        });
    }
}
