//! Findings and policy errors as LSP diagnostics: rule id as `code`, a link to the rule's
//! documentation, the policy's severity, related locations in other files, and positions in
//! the negotiated encoding. Messages and notes come from the engine, which never puts a value
//! in them.

use std::collections::HashMap;

use secretlint_engine::policy::PolicyError;
use secretlint_engine::{Applicability, Finding, FixAction, Report, Rule, Severity};
use serde::{Deserialize, Serialize};

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Range, Uri,
};

use crate::position::{Encoding, LineMap};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "secretlint";

/// Where each rule's documentation lives: `<base><rule-id>`. The same text is printed by
/// `secretlint explain <rule-id>`.
pub const RULE_DOCS_BASE: &str = "https://secretlint.dev/rules/";

/// The documentation link of a rule.
pub fn rule_href(rule: Rule) -> Option<Uri> {
    format!("{RULE_DOCS_BASE}{}", rule.id()).parse().ok()
}

/// What a diagnostic carries in `data`, so code actions need not recompute the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticData {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Byte span of the finding in the text it was computed on.
    pub span: [usize; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixData>,
}

/// A fix as data: what it does and whether the tool may do it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixData {
    /// `regenerate`, `add-key`, `remove-entry` or `restrict-permissions`.
    pub action: String,
    pub safe: bool,
    pub title: String,
}

impl FixData {
    fn of(finding: &Finding) -> Option<FixData> {
        let fix = finding.fix.as_ref()?;
        let action = match &fix.action {
            FixAction::Regenerate { .. } => "regenerate",
            FixAction::AddKey { .. } => "add-key",
            FixAction::RemoveEntry { .. } => "remove-entry",
            FixAction::RestrictPermissions => "restrict-permissions",
        };
        Some(FixData {
            action: action.to_owned(),
            safe: fix.applicability == Applicability::Safe,
            title: fix.title.clone(),
        })
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info | Severity::Off => DiagnosticSeverity::INFORMATION,
    }
}

/// One finding as a diagnostic. `uri_of` names the URI of another file of the report, for
/// related information.
/// The line maps of a report's files, built once per file on first use: a file with hundreds of
/// findings must not be scanned for line starts hundreds of times.
pub struct LineMaps<'a> {
    report: &'a Report,
    encoding: Encoding,
    maps: HashMap<usize, LineMap<'a>>,
}

impl<'a> LineMaps<'a> {
    pub fn new(report: &'a Report, encoding: Encoding) -> Self {
        LineMaps {
            report,
            encoding,
            maps: HashMap::new(),
        }
    }

    fn range(&mut self, file: usize, start: usize, end: usize) -> Option<Range> {
        let text = &self.report.files.get(file)?.text;
        let encoding = self.encoding;
        Some(
            self.maps
                .entry(file)
                .or_insert_with(|| LineMap::new(text, encoding))
                .range(start, end),
        )
    }
}

pub fn from_finding(
    report: &Report,
    finding: &Finding,
    maps: &mut LineMaps<'_>,
    uri_of: &dyn Fn(&str) -> Option<Uri>,
) -> Diagnostic {
    let mut message = finding.message.to_string();
    for note in &finding.notes {
        message.push('\n');
        message.push_str(note);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|r| {
            let other = report.files.get(r.file)?;
            let uri = uri_of(&other.path)?;
            let range = maps.range(r.file, r.span.start, r.span.end)?;
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect();
    let data = DiagnosticData {
        rule: finding.rule.id().to_owned(),
        key: finding.key.as_deref().map(str::to_owned),
        span: [finding.span.start, finding.span.end],
        fix: FixData::of(finding),
    };
    Diagnostic {
        range: maps
            .range(finding.file, finding.span.start, finding.span.end)
            .unwrap_or_default(),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.id().to_owned())),
        code_description: rule_href(finding.rule).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: serde_json::to_value(data).ok(),
    }
}

/// Every problem of an invalid policy, against the policy file's text.
pub fn from_policy_error(error: &PolicyError, text: &str, encoding: Encoding) -> Vec<Diagnostic> {
    let map = LineMap::new(text, encoding);
    error
        .diagnostics
        .iter()
        .map(|d| {
            let (start, end) = d.span.map_or((0, 0), |s| (s.start, s.end));
            let mut message = d.message.clone();
            if let Some(label) = &d.label {
                message.push_str(&format!(" ({label})"));
            }
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            Diagnostic {
                range: map.range(start, end),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some(SOURCE.to_owned()),
                message,
                ..Default::default()
            }
        })
        .collect()
}
