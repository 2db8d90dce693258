//! Code actions: listing them (cheap, on every cursor move, no values) and resolving the one
//! the user picked (the only place a value is generated).
//!
//! Actions per finding, in a stable order: the fix (replace with a generated compliant value,
//! add the missing key, remove the expired entry, restrict the file's permissions), then
//! "suppress with a reason". Fixes a person must make (secrets issued externally) are listed
//! disabled with the reason. `source.fixAll.secretlint` applies every safe text fix of the file.

use std::collections::HashMap;

use jiff::Timestamp;
use secretlint_engine::age::{Annotated, AnnotationError, format_date, rotation_annotation};
use secretlint_engine::document::{Document, DocumentKind};
use secretlint_engine::fix;
use secretlint_engine::{Applicability, Finding, FixAction, Report, Rule};
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeActionOrCommand, Command, Diagnostic,
    Range, TextEdit, Uri, WorkspaceEdit,
};

use crate::diagnostics::{DiagnosticData, FixData};
use crate::edits::{self, ByteEdit, FileEdits};
use crate::position::{Encoding, LineMap};
use crate::rotation::{RECORD_ROTATION_COMMAND, RecordArgs};
use crate::state::{ClientFeatures, Published};

/// The kind of the fix-all source action (`editor.codeActionsOnSave` in VS Code).
pub const FIX_ALL_KIND: CodeActionKind = CodeActionKind::new("source.fixAll.secretlint");

/// The command a client without `codeAction/resolve` support runs to apply a fix: the server
/// plans the edit then and sends it with `workspace/applyEdit`.
pub const APPLY_FIX_COMMAND: &str = "secretlint.applyFix";

/// The command that makes a file readable by its owner only (`insecure-permissions`).
pub const RESTRICT_PERMISSIONS_COMMAND: &str = "secretlint.restrictPermissions";

/// What a text fix does, carried from `codeAction` to `codeAction/resolve` in `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    Regenerate,
    AddKey,
    RemoveEntry,
    FixAll,
}

/// The `data` of a code action that is resolved later. It holds no value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionData {
    pub uri: Uri,
    /// The document version the action was listed for; `hint` is only trusted at it.
    pub version: i32,
    pub op: Op,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// A byte offset inside the entry meant, when a key is defined twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<usize>,
    /// The rule of the finding the action fixes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

fn op_of(finding: &Finding) -> Option<Op> {
    match finding.fix.as_ref()?.action {
        FixAction::Regenerate { .. } => Some(Op::Regenerate),
        FixAction::AddKey { .. } => Some(Op::AddKey),
        FixAction::RemoveEntry { .. } => Some(Op::RemoveEntry),
        FixAction::RestrictPermissions => None,
    }
}

fn fix_key(finding: &Finding) -> Option<&str> {
    match &finding.fix.as_ref()?.action {
        FixAction::Regenerate { key }
        | FixAction::AddKey { key }
        | FixAction::RemoveEntry { key } => Some(key),
        FixAction::RestrictPermissions => None,
    }
}

fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    // `only: ["source"]` asks for every source action, `["source.fixAll"]` for fix-alls.
    only.is_none_or(|only| {
        only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        })
    })
}

fn overlaps(a: Range, b: Range) -> bool {
    let before = |p: tower_lsp_server::ls_types::Position,
                  q: tower_lsp_server::ls_types::Position| {
        (p.line, p.character) < (q.line, q.character)
    };
    !(before(a.end, b.start) || before(b.end, a.start))
}

/// Everything a code action listing needs, copied out of the state.
pub struct ListContext<'a> {
    pub uri: &'a Uri,
    pub version: i32,
    pub text: &'a str,
    pub path: Option<&'a std::path::Path>,
    pub published: &'a Published,
    pub features: ClientFeatures,
    pub encoding: Encoding,
    /// The document's engine path, for the rotation metadata.
    pub rel: &'a str,
    /// "Today", for recorded rotations.
    pub now: Timestamp,
}

/// The code actions for `range`, in a stable order.
pub fn list(
    cx: &ListContext<'_>,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let fresh = cx.published.version == cx.version;
    if wanted(only, &CodeActionKind::QUICKFIX) {
        for (finding, diag) in &cx.published.findings {
            if !overlaps(diag.range, range) {
                continue;
            }
            if let Some(action) = fix_action(cx, finding, diag, fresh) {
                out.push(CodeActionOrCommand::CodeAction(action));
            }
            if let Some(action) = record_action(cx, finding, diag) {
                out.push(CodeActionOrCommand::CodeAction(action));
            }
            if let Some(action) = suppress_action(cx, finding, diag, fresh) {
                out.push(CodeActionOrCommand::CodeAction(action));
            }
        }
    }
    let any_safe = cx.published.findings.iter().any(|(f, _)| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.applicability == Applicability::Safe)
            && op_of(f).is_some()
    });
    let deferrable = cx.features.resolve_edit || cx.features.apply_edit;
    if any_safe && deferrable && wanted(only, &FIX_ALL_KIND) {
        let data = ActionData {
            uri: cx.uri.clone(),
            version: cx.version,
            op: Op::FixAll,
            key: None,
            hint: None,
            rule: None,
        };
        out.push(CodeActionOrCommand::CodeAction(deferred(
            cx,
            "Fix all safe secretlint findings",
            FIX_ALL_KIND,
            None,
            data,
        )));
    }
    out
}

fn fix_action(
    cx: &ListContext<'_>,
    finding: &Finding,
    diag: &Diagnostic,
    fresh: bool,
) -> Option<CodeAction> {
    let fix = finding.fix.as_ref()?;
    let data: Option<DiagnosticData> = diag
        .data
        .clone()
        .and_then(|d| serde_json::from_value(d).ok());
    let fixdata: Option<FixData> = data.and_then(|d| d.fix);
    let safe = fixdata.as_ref().is_some_and(|f| f.safe);
    let key = fix_key(finding);
    if let FixAction::RestrictPermissions = fix.action {
        let path = cx.path?;
        return Some(CodeAction {
            title: "Make the file readable by its owner only (chmod 600)".into(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            is_preferred: Some(true),
            command: Some(Command {
                title: "Restrict permissions".into(),
                command: RESTRICT_PERMISSIONS_COMMAND.into(),
                arguments: Some(vec![serde_json::Value::String(path.display().to_string())]),
            }),
            ..Default::default()
        });
    }
    let op = op_of(finding)?;
    let key = key?;
    let title = match op {
        Op::Regenerate if finding.message.starts_with("the password inside") => {
            format!("Replace the password in `{key}` with a generated compliant value")
        }
        Op::Regenerate => format!("Replace `{key}` with a generated compliant value"),
        Op::AddKey => format!("Add missing required secret `{key}`"),
        Op::RemoveEntry => format!("Remove `{key}`"),
        Op::FixAll => return None,
    };
    if safe && !cx.features.resolve_edit && !cx.features.apply_edit {
        // Neither resolve nor applyEdit: the only way left would be to generate a value for
        // every listing, which this server never does.
        return None;
    }
    if !safe {
        // Only an explanation: an external secret is rotated at its source, never invented.
        if !cx.features.disabled_actions {
            return None;
        }
        let reason = if fix.title.contains("issued externally") {
            edits::external_reason(key)
        } else {
            format!("{}: secretlint cannot generate this value", fix.title)
        };
        let mut title = fix.title.clone();
        if let Some(first) = title.get(..1) {
            title.replace_range(..1, &first.to_uppercase());
        }
        return Some(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            disabled: Some(CodeActionDisabled { reason }),
            ..Default::default()
        });
    }
    let data = ActionData {
        uri: cx.uri.clone(),
        version: cx.version,
        op,
        key: Some(key.to_owned()),
        hint: fresh.then_some(finding.span.start),
        rule: Some(finding.rule.id().to_owned()),
    };
    let mut action = deferred(cx, &title, CodeActionKind::QUICKFIX, Some(diag), data);
    action.is_preferred = Some(true);
    Some(action)
}

/// An action whose edit is computed only when it is picked: by `codeAction/resolve` where the
/// client supports it, else by the [`APPLY_FIX_COMMAND`] command.
fn deferred(
    cx: &ListContext<'_>,
    title: &str,
    kind: CodeActionKind,
    diag: Option<&Diagnostic>,
    data: ActionData,
) -> CodeAction {
    let value = serde_json::to_value(&data).ok();
    let command = (!cx.features.resolve_edit).then(|| Command {
        title: title.to_owned(),
        command: APPLY_FIX_COMMAND.into(),
        arguments: value.clone().map(|v| vec![v]),
    });
    CodeAction {
        title: title.to_owned(),
        kind: Some(kind),
        diagnostics: diag.map(|d| vec![d.clone()]),
        command,
        data: value,
        ..Default::default()
    }
}

/// A suppression covers the line it sits above, so findings about the whole file (reported
/// at its start) and findings about suppressions themselves get none.
fn suppress_action(
    cx: &ListContext<'_>,
    finding: &Finding,
    diag: &Diagnostic,
    fresh: bool,
) -> Option<CodeAction> {
    if matches!(
        finding.rule,
        Rule::MissingRequired
            | Rule::InsecurePermissions
            | Rule::UnreadableInput
            | Rule::UnusedSuppression
            | Rule::InvalidSuppression
    ) {
        return None;
    }
    let rule = finding.rule.id();
    let title = match &finding.key {
        Some(key) => format!("Suppress `{rule}` for `{key}` with a reason"),
        None => format!("Suppress `{rule}` in this file with a reason"),
    };
    // The span is only trusted at the version it was computed for; otherwise re-anchor on the
    // key's line in the current text.
    let span = if fresh {
        finding.span
    } else {
        let at = finding
            .key
            .as_deref()
            .and_then(|k| cx.text.find(&format!("{k}=")))
            .unwrap_or(0);
        secretlint_engine::Span::empty(at)
    };
    let doc = Document::parse(DocumentKind::for_path(cx.rel), cx.text);
    let edit = edits::suppression(cx.text, &doc, rule, span);
    let file = FileEdits {
        uri: cx.uri.clone(),
        text: cx.text.to_owned(),
        edits: vec![edit],
    };
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag.clone()]),
        edit: Some(workspace_edit(vec![file], cx.encoding)),
        ..Default::default()
    })
}

/// "Record rotation today" for an age finding: the entry's `# rotated:` comment moves to today
/// (a plain edit), or, without one, the ledger gets an entry (a command, since it writes the
/// rotation metadata and the audit log as `secretlint rotate --record` does).
fn record_action(cx: &ListContext<'_>, finding: &Finding, diag: &Diagnostic) -> Option<CodeAction> {
    if !matches!(
        finding.rule,
        Rule::Stale | Rule::ExpiringSoon | Rule::UnknownAge
    ) {
        return None;
    }
    let key = finding.key.as_deref()?;
    let title = format!("Record rotation of `{key}` today");
    let doc = Document::parse(DocumentKind::for_path(cx.rel), cx.text);
    let entry = doc.entries.iter().rev().find(|e| e.key == key)?;
    let mut action = CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag.clone()]),
        ..Default::default()
    };
    match rotation_annotation(cx.text, &doc, entry) {
        Some(Ok(Annotated { span, .. })) | Some(Err(AnnotationError { span, .. })) => {
            let edit = ByteEdit {
                start: span.start,
                end: span.end,
                text: format_date(cx.now),
            };
            let file = FileEdits {
                uri: cx.uri.clone(),
                text: cx.text.to_owned(),
                edits: vec![edit],
            };
            action.edit = Some(workspace_edit(vec![file], cx.encoding));
        }
        None => {
            let args = RecordArgs::record(
                cx.rel,
                key,
                finding.environment.as_deref().map(str::to_owned),
                cx.now,
                finding.rule.id(),
            );
            action.command = Some(record_command(&args));
        }
    }
    Some(action)
}

/// The command that records rotations after an edit, or on its own.
pub fn record_command(args: &RecordArgs) -> Command {
    Command {
        title: "Record the rotation".into(),
        command: RECORD_ROTATION_COMMAND.into(),
        arguments: serde_json::to_value(args).ok().map(|v| vec![v]),
    }
}

/// The findings a picked action fixes, in the report of the current text: one finding (the
/// one at `hint` when the document has not changed since the action was listed, else the first
/// with the same rule and key), or every safe text fix of the file for a fix-all.
pub fn chosen(
    report: &Report,
    file: usize,
    data: &ActionData,
    current_version: i32,
) -> Result<Vec<Finding>, String> {
    let mine = report.findings.iter().filter(|f| f.file == file);
    if data.op == Op::FixAll {
        return Ok(mine
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == Applicability::Safe)
                    && op_of(f).is_some()
            })
            .cloned()
            .collect());
    }
    let candidates: Vec<&Finding> = mine
        .filter(|f| {
            Some(f.rule.id()) == data.rule.as_deref()
                && f.key.as_deref() == data.key.as_deref()
                && op_of(f) == Some(data.op)
        })
        .collect();
    let hint = data.hint.filter(|_| data.version == current_version);
    let finding = hint
        .and_then(|h| {
            candidates
                .iter()
                .find(|f| f.span.start <= h && h <= f.span.end)
        })
        .or(candidates.first())
        .ok_or("the finding this action fixes is gone; the file has changed")?;
    match &finding.fix {
        Some(fix) if fix.applicability == Applicability::Safe => Ok(vec![(*finding).clone()]),
        Some(fix)
            if fix.title.contains("issued externally") || fix.title.contains("at its source") =>
        {
            Err(edits::external_reason(
                finding.key.as_deref().unwrap_or_default(),
            ))
        }
        Some(fix) => Err(format!(
            "{}: secretlint cannot generate this value",
            fix.title
        )),
        None => Err("this finding has no fix".into()),
    }
}

/// Why a plan made no edit, from what the engine reports.
pub fn nothing_planned(plan: &fix::Plan) -> String {
    if let Some(f) = plan.failures.first() {
        return f.message.clone();
    }
    if let Some(m) = plan.manual.first() {
        return match &m.key {
            Some(key)
                if m.title.contains("issued externally") || m.title.contains("at its source") =>
            {
                edits::external_reason(key)
            }
            _ => format!("{}: secretlint cannot do this", m.title),
        };
    }
    "nothing to fix".into()
}

/// The plan's byte edits as an LSP workspace edit, positions in `encoding`; `uri_of` names each
/// file's URI.
pub fn plan_edit(
    report: &Report,
    plan: &fix::Plan,
    encoding: Encoding,
    uri_of: &dyn Fn(&str) -> Option<Uri>,
) -> WorkspaceEdit {
    let files = plan
        .changes
        .iter()
        .filter(|c| !c.edits.is_empty())
        .filter_map(|c| {
            let file = report.files.get(c.file)?;
            let edits = c
                .edits
                .iter()
                .map(|e| ByteEdit {
                    start: e.span.start,
                    end: e.span.end,
                    text: e.text.clone(),
                })
                .collect();
            Some(FileEdits {
                uri: uri_of(&file.path)?,
                text: file.text.clone(),
                edits,
            })
        })
        .collect();
    workspace_edit(files, encoding)
}

/// Byte edits as an LSP workspace edit, positions in `encoding`.
pub fn workspace_edit(files: Vec<FileEdits>, encoding: Encoding) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for f in files {
        let map = LineMap::new(&f.text, encoding);
        let edits = f.edits.into_iter().map(|e| TextEdit {
            range: map.range(e.start, e.end),
            new_text: e.text,
        });
        changes.entry(f.uri).or_default().extend(edits);
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}
