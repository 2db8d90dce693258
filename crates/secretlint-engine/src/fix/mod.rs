//! `secretlint fix` as pure functions: which findings a run fixes, which files and keys each
//! rotation reaches, the new values, the byte edits, and the check that every rewritten file
//! reads back as intended. The disk (backups, locks, atomic writes, the ledger and the audit
//! log) is the caller's; nothing here reads or writes a file.
//!
//! A **rotation** gives one key one new value and writes it everywhere the policy says that
//! value lives:
//!
//! - a `shared` secret: every file of the environment that holds the key;
//! - an `owned` secret: the file, and its *mirrors* — other files of the same environment that
//!   hold the key with the very same value (a manifest carrying the service's value);
//! - linked URL parts follow: rotating `POSTGRES_PASSWORD` rewrites the password inside
//!   `DATABASE_URL` (percent-encoded) in each file it reaches, and a finding on the URL's
//!   password rotates the linked key instead;
//! - `rotate_with` partners rotate in the same run, all or nothing;
//! - with `keep_previous`, the old value moves to `<KEY>_PREVIOUS`.
//!
//! Every edit replaces only the bytes of a value (or of a `# rotated:` date), appends a line,
//! or removes one. After the edits, each file is parsed again; a file that does not read back
//! with exactly the intended values and the same syntax errors is not written, and every
//! rotation touching it is dropped (with its partners) and reported as failed.

mod diff;
pub mod edit;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;

use crate::age::{self, Ledger, format_date, rotation_annotation};
use crate::audit::Action;
use crate::document::{Document, DocumentKind, Entry};
use crate::finding::{Applicability, FixAction};
use crate::generate::generate;
use crate::policy::{Policy, Scope, Source, UrlPart};
use crate::rules::Rule;
use crate::secret::SecretString;
use crate::span::Span;
use crate::value;
use crate::workspace::SourceFile;
use crate::{Report, check::requirement_violations};

pub use diff::masked_diff;
pub use edit::{Edit, apply_edits};

/// The suffix of a zero-downtime companion key.
pub use crate::check::PREVIOUS_SUFFIX;

/// How many draws a rotation gets before its policy is judged unsatisfiable.
const MAX_ATTEMPTS: usize = 64;

/// What a fix run may do, beyond the policy.
#[derive(Debug, Clone)]
pub struct FixOptions {
    /// "Today": the rotation date recorded, and the start of grace periods.
    pub now: Timestamp,
    /// Also rotate secrets that are `expiring-soon`.
    pub include_expiring: bool,
    /// Only findings in these root-relative paths trigger fixes (`secretlint fix PATHS`);
    /// consistency may still carry a new value into other files. `None`: every file.
    pub selected: Option<BTreeSet<String>>,
    /// Only files of this environment.
    pub environment: Option<usize>,
    /// `secretlint rotate KEY`: rotate this key wherever it is defined (within
    /// `environment`), compliant or not. Findings are then not fixed.
    pub on_demand: Option<String>,
    /// The rotation metadata, to date values that are copied rather than generated.
    pub ledger: Option<Ledger>,
    /// Files that must not be written, with the reason (a symlink leading out of the
    /// repository): every fix that would change one fails.
    pub unwritable: BTreeMap<String, String>,
}

/// One rotation as the summary shows it. Never holds the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationSummary {
    pub key: String,
    pub environment: Option<String>,
    /// Rule ids that asked for it, or `on-demand`.
    pub reasons: Vec<String>,
    /// Files whose value of `key` was replaced.
    pub files: Vec<String>,
    /// Files `key` was added to.
    pub added_to: Vec<String>,
    /// The key was added with the environment's existing shared value, copied from this file,
    /// rather than rotated.
    pub copied_from: Option<String>,
    /// `(file, URL key)` whose password follows the new value.
    pub follows: Vec<(String, String)>,
    /// `(file, until)`: the old value was kept under `<KEY>_PREVIOUS`.
    pub previous: Vec<(String, Timestamp)>,
    /// Keys rotated together with this one (`rotate_with`).
    pub together_with: Vec<String>,
}

/// An entry removed (an expired `_PREVIOUS` companion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalSummary {
    pub file: String,
    pub key: String,
    pub reason: String,
}

/// A file's permissions restricted to its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionChange {
    pub file: String,
    pub from: u32,
    pub to: u32,
}

/// A finding a person must act on: a secret issued elsewhere, a profile without a generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualItem {
    pub file: String,
    pub key: Option<String>,
    pub rule: Rule,
    pub title: String,
}

/// A finding no fix exists for (a syntax error, a duplicate key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfixableItem {
    pub file: String,
    pub key: Option<String>,
    pub rule: Rule,
}

/// A fix that was planned but cannot be applied safely; nothing of it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub key: Option<String>,
    pub files: Vec<String>,
    /// Lowercase, backticked names, never a value.
    pub message: String,
}

/// The new state of one file.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Index into [`Report::files`].
    pub file: usize,
    pub path: String,
    /// The edits, against the file's current text (sorted).
    pub edits: Vec<Edit>,
    /// The new text; `None` when only the mode changes.
    pub new_text: Option<SecretString>,
    /// The file's mode now, when known.
    pub old_mode: Option<u32>,
    /// The mode to write; equal to `old_mode` unless permissions are restricted.
    pub new_mode: Option<u32>,
}

/// A change to the rotation metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerUpdate {
    /// `key` in `file` was rotated (or added) at `at`.
    Rotated {
        file: String,
        key: String,
        at: Timestamp,
        previous_until: Option<Timestamp>,
    },
    /// `key`'s `_PREVIOUS` companion was removed from `file`: its grace period is over.
    PreviousRemoved { file: String, key: String },
}

/// One audit log line to write, less the time, actor and backup the caller adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEvent {
    pub file: String,
    pub key: String,
    pub environment: Option<String>,
    pub action: Action,
    pub reason: String,
}

/// Everything a fix run would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub rotations: Vec<RotationSummary>,
    pub removals: Vec<RemovalSummary>,
    pub permissions: Vec<PermissionChange>,
    pub manual: Vec<ManualItem>,
    pub unfixable: Vec<UnfixableItem>,
    pub failures: Vec<Failure>,
    /// Things to tell the user: data to re-encrypt after a `rotate_with` group.
    pub warnings: Vec<String>,
    /// `expiring-soon` findings left alone (no `--include-expiring`).
    pub skipped_expiring: usize,
    /// Changed files, sorted by path.
    pub changes: Vec<FileChange>,
    pub ledger: Vec<LedgerUpdate>,
    pub events: Vec<PlannedEvent>,
}

impl Plan {
    /// Whether the plan changes nothing on disk.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Plans the fixes of `report` (or the on-demand rotation of `options`).
pub fn plan(policy: &Policy, report: &Report, options: &FixOptions) -> Plan {
    let mut p = Planner {
        policy,
        files: &report.files,
        options,
        units: Vec::new(),
        copies: Vec::new(),
        removals: Vec::new(),
        chmods: Vec::new(),
        plan: Plan::default(),
        changes: Vec::new(),
    };
    p.collect(report);
    p.expand_groups();
    p.settle_copies();
    p.cancel_replaced_removals();
    p.check_writable();
    p.generate_values();
    p.render()
}

/// Where one rotation's value lives: one environment (shared) or one file and its mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitScope {
    Env(usize),
    File(usize),
}

/// A rotation being planned.
struct Unit {
    key: String,
    scope: UnitScope,
    environment: Option<usize>,
    secret: usize,
    reasons: Vec<String>,
    /// File -> the entry rewritten in it.
    targets: BTreeMap<usize, usize>,
    /// Files the key is appended to.
    added: BTreeSet<usize>,
    value: Option<SecretString>,
    failed: Option<String>,
    /// Union-find parent: units rotated together (`rotate_with`) share a root.
    group: usize,
}

/// A shared key added with the environment's existing value.
struct CopyAdd {
    file: usize,
    key: String,
    from: (usize, usize),
    reason: String,
    failed: Option<String>,
}

struct Removal {
    file: usize,
    key: String,
    reason: String,
    failed: Option<String>,
    cancelled: bool,
}

struct Chmod {
    file: usize,
    from: u32,
    to: u32,
    failed: Option<String>,
}

/// Who asked for an edit, so a file that does not read back fails exactly them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Unit(usize),
    Copy(usize),
    Removal(usize),
}

/// The edits of one file, who asked for them, and what the file must read back as.
#[derive(Default)]
struct FileWork {
    edits: Vec<(Edit, Owner)>,
    owners: BTreeSet<Owner>,
    /// Entry index -> its new value.
    replaced: HashMap<usize, String>,
    removed: BTreeSet<usize>,
    /// New entries, in order.
    inserted: Vec<(String, String)>,
}

impl FileWork {
    fn push(&mut self, edit: Edit, owner: Owner) {
        self.edits.push((edit, owner));
        self.owners.insert(owner);
    }
}

struct Planner<'a> {
    policy: &'a Policy,
    files: &'a [SourceFile],
    options: &'a FixOptions,
    units: Vec<Unit>,
    copies: Vec<CopyAdd>,
    removals: Vec<Removal>,
    chmods: Vec<Chmod>,
    plan: Plan,
    changes: Vec<FileChange>,
}

impl<'a> Planner<'a> {
    fn path(&self, file: usize) -> String {
        self.files[file].path.clone()
    }

    fn env_name(&self, env: Option<usize>) -> Option<String> {
        env.map(|e| self.policy.environments[e].name.to_string())
    }

    /// A file whose values a fix may rewrite: readable, a document with entries, not a
    /// template, and in the environment the run is limited to.
    fn live(&self, file: usize) -> bool {
        let f = &self.files[file];
        f.unreadable.is_none()
            && f.kind != DocumentKind::Ledger
            && !f
                .environment
                .is_some_and(|e| self.policy.environments[e].template)
    }

    fn in_scope(&self, file: usize) -> bool {
        self.options
            .environment
            .is_none_or(|e| self.files[file].environment == Some(e))
    }

    /// The definition of `key` that takes effect in `file`.
    fn last_def(&self, file: usize, key: &str) -> Option<usize> {
        self.files[file]
            .document
            .entries
            .iter()
            .rposition(|e| e.key == key)
    }

    fn entry(&self, file: usize, entry: usize) -> &'a Entry {
        &self.files[file].document.entries[entry]
    }

    fn manual(&mut self, file: usize, key: Option<&str>, rule: Rule, title: String) {
        self.plan.manual.push(ManualItem {
            file: self.path(file),
            key: key.map(str::to_owned),
            rule,
            title,
        });
    }

    fn fail(&mut self, key: Option<&str>, files: Vec<String>, message: String) {
        self.plan.failures.push(Failure {
            key: key.map(str::to_owned),
            files,
            message,
        });
    }

    // --- Requests -------------------------------------------------------------------------

    fn collect(&mut self, report: &Report) {
        if let Some(key) = self.options.on_demand.clone() {
            self.on_demand(&key);
            return;
        }
        let mut adds = Vec::new();
        for f in &report.findings {
            let path = &self.files[f.file].path;
            if self
                .options
                .selected
                .as_ref()
                .is_some_and(|s| !s.contains(path))
                || !self.in_scope(f.file)
            {
                continue;
            }
            let Some(fix) = &f.fix else {
                self.plan.unfixable.push(UnfixableItem {
                    file: path.clone(),
                    key: f.key.as_deref().map(str::to_owned),
                    rule: f.rule,
                });
                continue;
            };
            if fix.applicability == Applicability::Manual || !self.live(f.file) {
                self.manual(f.file, f.key.as_deref(), f.rule, fix.title.clone());
                continue;
            }
            if f.rule == Rule::ExpiringSoon && !self.options.include_expiring {
                self.plan.skipped_expiring += 1;
                continue;
            }
            let reason = f.rule.id().to_owned();
            match &fix.action {
                FixAction::Regenerate { key } => {
                    self.rotation(f.file, key, &reason);
                }
                FixAction::AddKey { key } => adds.push((f.file, key.clone(), reason)),
                FixAction::RemoveEntry { key } => {
                    if !self
                        .removals
                        .iter()
                        .any(|r| r.file == f.file && &r.key == key)
                    {
                        self.removals.push(Removal {
                            file: f.file,
                            key: key.clone(),
                            reason,
                            failed: None,
                            cancelled: false,
                        });
                    }
                }
                FixAction::RestrictPermissions => {
                    if let Some(from) = self.files[f.file].mode
                        && !self.chmods.iter().any(|c| c.file == f.file)
                    {
                        self.chmods.push(Chmod {
                            file: f.file,
                            from,
                            // Owner bits stay; group and others lose every permission.
                            to: from & 0o700,
                            failed: None,
                        });
                    }
                }
            }
        }
        // Rotations first: a key added to a file joins a rotation of its environment.
        for (file, key, reason) in adds {
            self.add(file, &key, &reason);
        }
    }

    fn on_demand(&mut self, key: &str) {
        let holders: Vec<usize> = (0..self.files.len())
            .filter(|&f| self.live(f) && self.in_scope(f) && self.last_def(f, key).is_some())
            .collect();
        if holders.is_empty() {
            self.fail(
                Some(key),
                Vec::new(),
                format!("no checked file defines `{key}`"),
            );
        }
        for f in holders {
            self.rotation(f, key, "on-demand");
        }
    }

    /// For a URL whose password is linked to another key, that key (rotating it rewrites the
    /// URL); `None` when the URL's password is its own.
    fn linked_source(&self, file: usize, key: &str) -> Option<String> {
        for link in self.policy.links_for(key) {
            if link.part != UrlPart::Password {
                continue;
            }
            if let Some(i) = self.last_def(file, &link.equals) {
                if !self.entry(file, i).only_references {
                    return Some(link.equals.clone());
                }
                continue;
            }
            let shared = self
                .policy
                .secret_for(&link.equals)
                .is_some_and(|s| self.policy.secrets[s].scope == Scope::Shared);
            let env = self.files[file].environment;
            if shared
                && env.is_some()
                && (0..self.files.len()).any(|f| {
                    self.files[f].environment == env
                        && self.live(f)
                        && self.last_def(f, &link.equals).is_some()
                })
            {
                return Some(link.equals.clone());
            }
        }
        None
    }

    /// Asks for `key` in `file` to be rotated; returns the rotation it joined.
    fn rotation(&mut self, file: usize, key: &str, reason: &str) -> Option<usize> {
        let key = self
            .linked_source(file, key)
            .unwrap_or_else(|| key.to_owned());
        let key = key.as_str();
        let Some(secret) = self.policy.secret_for(key) else {
            self.manual(
                file,
                Some(key),
                Rule::UndeclaredSecret,
                format!("no rule of the policy governs `{key}`; change it by hand"),
            );
            return None;
        };
        let rule = &self.policy.secrets[secret];
        if rule.source == Source::External {
            self.manual(
                file,
                Some(key),
                Rule::from_id(reason).unwrap_or(Rule::Stale),
                format!(
                    "rotate `{key}` at its source (issued externally), then `secretlint rotate --record {key}`"
                ),
            );
            return None;
        }
        if self.policy.generator(secret).is_none() {
            self.manual(
                file,
                Some(key),
                Rule::from_id(reason).unwrap_or(Rule::Stale),
                format!("set `{key}` by hand: its profile has no generator"),
            );
            return None;
        }
        let env = self.files[file].environment;
        let scope = match (rule.scope, env) {
            (Scope::Shared, Some(e)) => UnitScope::Env(e),
            _ => UnitScope::File(file),
        };
        if let Some(i) = self
            .units
            .iter()
            .position(|u| u.key == key && (u.scope == scope || u.targets.contains_key(&file)))
        {
            if !self.units[i].reasons.iter().any(|r| r == reason) {
                self.units[i].reasons.push(reason.to_owned());
            }
            return Some(i);
        }
        let targets = self.targets(scope, key);
        let i = self.units.len();
        self.units.push(Unit {
            key: key.to_owned(),
            scope,
            environment: env,
            secret,
            reasons: vec![reason.to_owned()],
            targets,
            added: BTreeSet::new(),
            value: None,
            failed: None,
            group: i,
        });
        Some(i)
    }

    /// The entries a rotation rewrites: every holder of the environment for a shared secret;
    /// the file and its mirrors (same environment, same key, same value) otherwise. Aliases
    /// (`KEY=${OTHER}`) follow their reference and are not rewritten.
    fn targets(&self, scope: UnitScope, key: &str) -> BTreeMap<usize, usize> {
        let mut out = BTreeMap::new();
        let own = |f: usize| {
            self.last_def(f, key)
                .filter(|&i| !self.entry(f, i).only_references)
        };
        match scope {
            UnitScope::Env(e) => {
                for f in 0..self.files.len() {
                    if self.files[f].environment == Some(e)
                        && self.live(f)
                        && let Some(i) = own(f)
                    {
                        out.insert(f, i);
                    }
                }
            }
            UnitScope::File(f) => {
                let Some(i) = own(f) else { return out };
                out.insert(f, i);
                let value = &self.entry(f, i).value;
                let env = self.files[f].environment;
                if value.is_empty() || env.is_none() {
                    return out;
                }
                for other in 0..self.files.len() {
                    if other != f
                        && self.files[other].environment == env
                        && self.live(other)
                        && let Some(j) = own(other)
                        && &self.entry(other, j).value == value
                    {
                        out.insert(other, j);
                    }
                }
            }
        }
        out
    }

    fn add(&mut self, file: usize, key: &str, reason: &str) {
        let Some(secret) = self.policy.secret_for(key) else {
            self.manual(
                file,
                Some(key),
                Rule::MissingRequired,
                format!("add `{key}` by hand: no rule of the policy says how to generate it"),
            );
            return;
        };
        let rule = &self.policy.secrets[secret];
        if rule.source == Source::External || self.policy.generator(secret).is_none() {
            self.manual(
                file,
                Some(key),
                Rule::MissingRequired,
                format!("add `{key}` by hand: it is not generated here"),
            );
            return;
        }
        if self.files[file].kind != DocumentKind::Env {
            self.fail(
                Some(key),
                vec![self.path(file)],
                format!("adding `{key}` to a manifest is not supported; add it by hand"),
            );
            return;
        }
        let env = self.files[file].environment;
        if let (Scope::Shared, Some(e)) = (rule.scope, env) {
            if let Some(u) = self
                .units
                .iter_mut()
                .find(|u| u.key == key && u.scope == UnitScope::Env(e))
            {
                u.added.insert(file);
                return;
            }
            // The service must hold the value its callers hold: copy it when there is one.
            let mut values: Vec<(usize, usize)> = Vec::new();
            for f in 0..self.files.len() {
                if self.files[f].environment != Some(e) || !self.live(f) {
                    continue;
                }
                if let Some(i) = self.last_def(f, key) {
                    let entry = self.entry(f, i);
                    if entry.value.is_empty() || entry.only_references {
                        continue;
                    }
                    if !values
                        .iter()
                        .any(|&(vf, vi)| self.entry(vf, vi).value == entry.value)
                    {
                        values.push((f, i));
                    }
                }
            }
            if let [from] = values.as_slice() {
                self.copies.push(CopyAdd {
                    file,
                    key: key.to_owned(),
                    from: *from,
                    reason: reason.to_owned(),
                    failed: None,
                });
                return;
            }
        }
        // No single value to copy: generate one (for a shared key, for every holder too).
        if let Some(i) = self.rotation(file, key, reason) {
            self.units[i].added.insert(file);
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.units[i].group != i {
            let parent = self.units[i].group;
            self.units[i].group = self.units[parent].group;
            i = parent;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.units[rb].group = ra;
        }
    }

    /// `rotate_with`: a rotation brings its partners along in every file it reaches.
    fn expand_groups(&mut self) {
        let mut i = 0;
        while i < self.units.len() {
            let partners = self.policy.secrets[self.units[i].secret]
                .rotate_with
                .clone();
            let reason = self.units[i].reasons.first().cloned().unwrap_or_default();
            let files: BTreeSet<usize> = self.units[i]
                .targets
                .keys()
                .chain(&self.units[i].added)
                .copied()
                .collect();
            for partner in partners {
                for &f in &files {
                    if self.last_def(f, &partner).is_none() {
                        continue;
                    }
                    match self.rotation(f, &partner, &reason) {
                        Some(j) => self.union(i, j),
                        None => {
                            self.units[i].failed = Some(format!(
                                "`{}` rotates together with `{partner}`, which is not generated here; rotate both by hand",
                                self.units[i].key
                            ));
                        }
                    }
                }
            }
            i += 1;
        }
    }

    /// A copy planned before a rotation of the same key and environment joined in: the key
    /// is added with the new value instead.
    fn settle_copies(&mut self) {
        for c in 0..self.copies.len() {
            let env = self.files[self.copies[c].file].environment;
            let key = self.copies[c].key.clone();
            if let Some(u) = self
                .units
                .iter_mut()
                .find(|u| u.key == key && env.is_some_and(|e| u.scope == UnitScope::Env(e)))
            {
                u.added.insert(self.copies[c].file);
                self.copies[c].failed = Some(String::new());
            }
        }
        self.copies.retain(|c| c.failed.is_none());
    }

    /// A companion that a rotation refills with the old value is not removed as expired.
    fn cancel_replaced_removals(&mut self) {
        for r in &mut self.removals {
            let Some(base) = r.key.strip_suffix(PREVIOUS_SUFFIX) else {
                continue;
            };
            let refilled = self.units.iter().any(|u| {
                u.key == base
                    && u.targets.contains_key(&r.file)
                    && self.policy.secrets[u.secret].keep_previous_days.is_some()
            });
            if refilled {
                r.cancelled = true;
            }
        }
    }

    fn check_writable(&mut self) {
        let unwritable = &self.options.unwritable;
        if unwritable.is_empty() {
            return;
        }
        for u in 0..self.units.len() {
            let files: Vec<usize> = self.unit_files(u).into_iter().collect();
            if let Some((path, why)) = files.iter().find_map(|&f| {
                let p = &self.files[f].path;
                unwritable.get(p).map(|w| (p.clone(), w.clone()))
            }) {
                self.fail_unit(u, format!("`{path}` {why}"));
            }
        }
        for c in &mut self.copies {
            if let Some(why) = unwritable.get(&self.files[c.file].path) {
                c.failed = Some(format!("`{}` {why}", self.files[c.file].path));
            }
        }
        for r in &mut self.removals {
            if let Some(why) = unwritable.get(&self.files[r.file].path) {
                r.failed = Some(format!("`{}` {why}", self.files[r.file].path));
            }
        }
        for c in &mut self.chmods {
            if let Some(why) = unwritable.get(&self.files[c.file].path) {
                c.failed = Some(format!("`{}` {why}", self.files[c.file].path));
            }
        }
    }

    /// Every file a rotation writes: targets, added-to files and followers.
    fn unit_files(&self, u: usize) -> BTreeSet<usize> {
        let unit = &self.units[u];
        let mut files: BTreeSet<usize> = unit.targets.keys().copied().collect();
        files.extend(&unit.added);
        files.extend(self.follows(u).into_iter().map(|(f, _, _)| f));
        files
    }

    fn fail_unit(&mut self, u: usize, message: String) {
        if self.units[u].failed.is_none() {
            self.units[u].failed = Some(message);
        }
    }

    /// URL entries whose password follows unit `u`'s value: `(file, entry, URL key)`.
    fn follows(&self, u: usize) -> Vec<(usize, usize, String)> {
        let unit = &self.units[u];
        let mut out = Vec::new();
        for link in &self.policy.links {
            if link.equals != unit.key || link.part != UrlPart::Password {
                continue;
            }
            let mut files: BTreeSet<usize> = unit.targets.keys().copied().collect();
            files.extend(&unit.added);
            if let UnitScope::Env(e) = unit.scope {
                // URLs in files of the environment that read a shared password from elsewhere.
                files.extend((0..self.files.len()).filter(|&f| {
                    self.files[f].environment == Some(e)
                        && self.live(f)
                        && self.last_def(f, &unit.key).is_none()
                }));
            }
            for f in files {
                let Some(i) = self.last_def(f, &link.key) else {
                    continue;
                };
                let entry = self.entry(f, i);
                // `postgres://u:${POSTGRES_PASSWORD}@...` follows by reference already.
                if entry.has_references {
                    continue;
                }
                if value::url_parts(entry.value.expose()).is_some_and(|p| p.password.is_some()) {
                    out.push((f, i, link.key.clone()));
                }
            }
        }
        out
    }

    // --- Values ---------------------------------------------------------------------------

    /// One value per rotation, compliant with the key's requirements in its environment and
    /// with those of every URL whose password it becomes.
    fn generate_values(&mut self) {
        for u in 0..self.units.len() {
            if self.units[u].failed.is_some() || self.units[u].value.is_some() {
                continue;
            }
            let (secret, env) = (self.units[u].secret, self.units[u].environment);
            let key = self.units[u].key.clone();
            let Some(generator) = self.policy.generator(secret) else {
                self.fail_unit(u, format!("the profile of `{key}` has no generator"));
                continue;
            };
            let mut checks = vec![(self.policy.requirements(secret, env), key.clone())];
            for (_, _, url_key) in self.follows(u) {
                if let Some(s) = self.policy.secret_for(&url_key) {
                    checks.push((self.policy.requirements(s, env), url_key));
                }
            }
            let mut result = Err(format!(
                "no generated value met the policy for `{key}` after {MAX_ATTEMPTS} attempts"
            ));
            for _ in 0..MAX_ATTEMPTS {
                match generate(generator) {
                    Ok(v) => {
                        let ok = checks
                            .iter()
                            .all(|(req, k)| requirement_violations(req, v.expose(), k).is_empty());
                        if ok {
                            result = Ok(v);
                            break;
                        }
                    }
                    Err(e) => {
                        result = Err(e.to_string());
                        break;
                    }
                }
            }
            match result {
                Ok(v) => self.units[u].value = Some(v),
                Err(message) => self.fail_unit(u, message),
            }
        }
    }

    // --- Edits ----------------------------------------------------------------------------

    /// The edit that makes entry `i` of `file` read as `new`: the password alone inside a
    /// connection URL (percent-encoded), the whole value otherwise, in the entry's style.
    fn value_edits(&self, file: usize, i: usize, new: &str) -> Result<Vec<Edit>, String> {
        let f = &self.files[file];
        let entry = self.entry(file, i);
        let old = entry.value.expose();
        let (span, text) = match value::url_parts(old) {
            Some(parts) => {
                let Some(range) = parts.password else {
                    return Err(format!(
                        "`{}` in `{}` is a URL without a password; there is nothing to rotate in it",
                        entry.key, f.path
                    ));
                };
                let encoded = value::percent_encode_userinfo(new);
                if entry.value_is_verbatim(&f.text) {
                    let start = entry.inner_value_span.start;
                    (Span::new(start + range.start, start + range.end), encoded)
                } else {
                    let mut url = old.to_owned();
                    url.replace_range(range, &encoded);
                    let token = edit::encode_value(entry.encoding, &url)
                        .map_err(|e| format!("`{}` in `{}`: {e}", entry.key, f.path))?;
                    (entry.raw_value_span, token)
                }
            }
            None => {
                let mut token = edit::encode_value(entry.encoding, new)
                    .map_err(|e| format!("`{}` in `{}`: {e}", entry.key, f.path))?;
                // `KEY=#comment` is an empty value before a comment: without a blank the
                // comment would join the new value.
                if entry.raw_value_span.is_empty()
                    && f.text.as_bytes().get(entry.raw_value_span.end) == Some(&b'#')
                {
                    token.push(' ');
                }
                (entry.raw_value_span, token)
            }
        };
        let mut edits = vec![Edit { span, text }];
        edits.extend(self.annotation_edit(file, i));
        Ok(edits)
    }

    /// The new date of the entry's `# rotated:` comment, written like the old one (a bare
    /// date, or a full time): only the date bytes change.
    fn annotation_edit(&self, file: usize, i: usize) -> Option<Edit> {
        let f = &self.files[file];
        let a = rotation_annotation(&f.text, &f.document, self.entry(file, i))?.ok()?;
        let now = self.options.now;
        let text = if a.span.len() == 10 {
            format_date(now)
        } else {
            whole_seconds(now).to_string()
        };
        Some(Edit { span: a.span, text })
    }

    fn render(mut self) -> Plan {
        // Each failed pass drops at least one owner, so this ends.
        loop {
            let failed = self.render_pass();
            if failed.is_empty() {
                break;
            }
            for (owner, message) in failed {
                match owner {
                    Owner::Unit(u) => self.fail_unit(u, message),
                    Owner::Copy(c) => {
                        self.copies[c].failed.get_or_insert(message);
                    }
                    Owner::Removal(r) => {
                        self.removals[r].failed.get_or_insert(message);
                    }
                }
            }
        }
        self.finish()
    }

    /// Propagates failures through `rotate_with` groups: all or nothing.
    fn propagate_group_failures(&mut self) {
        loop {
            let mut changed = false;
            for u in 0..self.units.len() {
                if self.units[u].failed.is_some() {
                    continue;
                }
                let root = self.root(u);
                let partner = (0..self.units.len())
                    .find(|&v| v != u && self.root(v) == root && self.units[v].failed.is_some());
                if let Some(v) = partner {
                    self.units[u].failed = Some(format!(
                        "`{}` rotates together with `{}`, which could not be rotated",
                        self.units[u].key, self.units[v].key
                    ));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// What entry `i` of `file` reads as once `new` is written into it.
    fn read_back(&self, file: usize, i: usize, new: &str) -> String {
        let old = self.entry(file, i).value.expose();
        match value::url_parts(old).and_then(|p| p.password) {
            Some(range) => {
                let mut url = old.to_owned();
                url.replace_range(range, &value::percent_encode_userinfo(new));
                url
            }
            None => new.to_owned(),
        }
    }

    /// Moves the old value of entry `i` to `<KEY>_PREVIOUS`: into the companion if the file
    /// has one, else on a new line right below the entry, written like it (`export`, the
    /// blanks around `=`, the quoting, the raw token itself so it reads back identically).
    fn keep_previous(&self, file: usize, i: usize, key: &str, owner: Owner, work: &mut FileWork) {
        let f = &self.files[file];
        let e = self.entry(file, i);
        if e.value.is_empty() || e.has_references {
            return;
        }
        let companion = format!("{key}{PREVIOUS_SUFFIX}");
        let raw = f.text.get(e.raw_value_span.range()).unwrap_or("");
        if let Some(c) = self.last_def(file, &companion) {
            let ce = self.entry(file, c);
            work.push(
                Edit {
                    span: ce.raw_value_span,
                    text: raw.to_owned(),
                },
                owner,
            );
            work.replaced.insert(c, e.value.expose().to_owned());
            return;
        }
        let prefix = f
            .text
            .get(edit::line_start(&f.text, e.span.start)..e.key_span.start)
            .unwrap_or("");
        let sep = f
            .text
            .get(e.key_span.end..e.raw_value_span.start)
            .unwrap_or("=");
        let line = format!("{prefix}{companion}{sep}{raw}");
        let (pos, terminated) = edit::after_line(&f.text, e.span.end);
        let before = &f.text[..pos];
        let text = if terminated {
            let term = if before.ends_with("\r\n") {
                "\r\n"
            } else if before.ends_with('\r') {
                "\r"
            } else {
                "\n"
            };
            format!("{line}{term}")
        } else {
            let term = if f.document.crlf { "\r\n" } else { "\n" };
            format!("{term}{line}")
        };
        work.push(
            Edit {
                span: Span::empty(pos),
                text,
            },
            owner,
        );
        work.inserted.push((companion, e.value.expose().to_owned()));
    }

    /// Edits per file for everything still standing, and the fixes that cannot be written.
    fn file_work(&mut self) -> (BTreeMap<usize, FileWork>, Vec<(Owner, String)>) {
        self.propagate_group_failures();
        let mut work: BTreeMap<usize, FileWork> = BTreeMap::new();
        let mut failures = Vec::new();
        let mut appends: BTreeMap<usize, Vec<(String, Owner)>> = BTreeMap::new();
        let plain = crate::document::ValueEncoding::Env(crate::document::env::Quote::None);
        for u in 0..self.units.len() {
            if self.units[u].failed.is_some() {
                continue;
            }
            let Some(value) = self.units[u].value.clone() else {
                continue;
            };
            let new = value.expose();
            let owner = Owner::Unit(u);
            let key = self.units[u].key.clone();
            let keep = self.policy.secrets[self.units[u].secret]
                .keep_previous_days
                .is_some();
            let targets: Vec<(usize, usize)> = self.units[u]
                .targets
                .iter()
                .map(|(f, i)| (*f, *i))
                .collect();
            let follows: Vec<(usize, usize)> = self
                .follows(u)
                .into_iter()
                .map(|(f, i, _)| (f, i))
                .collect();
            for (n, (f, i)) in targets.iter().chain(&follows).copied().enumerate() {
                match self.value_edits(f, i, new) {
                    Ok(edits) => {
                        let slot = work.entry(f).or_default();
                        slot.replaced.insert(i, self.read_back(f, i, new));
                        for e in edits {
                            slot.push(e, owner);
                        }
                        if keep && n < targets.len() {
                            self.keep_previous(f, i, &key, owner, slot);
                        }
                    }
                    Err(m) => failures.push((owner, m)),
                }
            }
            for &f in &self.units[u].added {
                match edit::encode_value(plain, new) {
                    Ok(token) => {
                        appends
                            .entry(f)
                            .or_default()
                            .push((format!("{key}={token}"), owner));
                        work.entry(f)
                            .or_default()
                            .inserted
                            .push((key.clone(), new.to_owned()));
                    }
                    Err(e) => failures.push((owner, e.to_string())),
                }
            }
        }
        for c in 0..self.copies.len() {
            if self.copies[c].failed.is_some() {
                continue;
            }
            let (ff, fi) = self.copies[c].from;
            let value = &self.entry(ff, fi).value;
            let key = self.copies[c].key.clone();
            let file = self.copies[c].file;
            match edit::encode_value(plain, value.expose()) {
                Ok(token) => {
                    appends
                        .entry(file)
                        .or_default()
                        .push((format!("{key}={token}"), Owner::Copy(c)));
                    work.entry(file)
                        .or_default()
                        .inserted
                        .push((key, value.expose().to_owned()));
                }
                Err(e) => failures.push((Owner::Copy(c), e.to_string())),
            }
        }
        for r in 0..self.removals.len() {
            let removal = &self.removals[r];
            if removal.failed.is_some() || removal.cancelled {
                continue;
            }
            let file = removal.file;
            let text = &self.files[file].text;
            let slot = work.entry(file).or_default();
            for (i, e) in self.files[file].document.entries.iter().enumerate() {
                if e.key != removal.key {
                    continue;
                }
                let start = edit::line_start(text, e.span.start);
                let (end, _) = edit::after_line(text, e.span.end);
                slot.push(
                    Edit {
                        span: Span::new(start, end),
                        text: String::new(),
                    },
                    Owner::Removal(r),
                );
                slot.removed.insert(i);
            }
        }
        for (file, lines) in appends {
            let f = &self.files[file];
            let terminator = if f.document.crlf { "\r\n" } else { "\n" };
            // A file without a final line break keeps that shape: the break goes before.
            let open_last_line = !f.text.is_empty() && !f.text.ends_with(['\n', '\r']);
            let mut text = String::new();
            for (line, _) in &lines {
                if open_last_line {
                    text.push_str(terminator);
                    text.push_str(line);
                } else {
                    text.push_str(line);
                    text.push_str(terminator);
                }
            }
            let slot = work.entry(file).or_default();
            slot.push(
                Edit {
                    span: Span::empty(f.text.len()),
                    text,
                },
                lines[0].1,
            );
            slot.owners.extend(lines.iter().map(|(_, o)| *o));
        }
        (work, failures)
    }

    /// Builds every file's new text and checks it; returns the fixes to drop.
    fn render_pass(&mut self) -> Vec<(Owner, String)> {
        let (work, failures) = self.file_work();
        if !failures.is_empty() {
            return failures;
        }
        let mut failures = Vec::new();
        let mut changes = Vec::new();
        for (file, mut w) in work {
            let f = &self.files[file];
            w.edits.sort_by_key(|(e, _)| (e.span.start, e.span.end));
            w.edits.dedup_by(|b, a| a.0 == b.0);
            for pair in w.edits.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if a.0.span.end > b.0.span.start {
                    let message = format!(
                        "two fixes would change the same bytes of `{}`; run `secretlint fix` again after this one",
                        f.path
                    );
                    failures.push((b.1, message.clone()));
                    if a.1 != b.1 {
                        break;
                    }
                }
            }
            if !failures.is_empty() {
                continue;
            }
            let edits: Vec<Edit> = w.edits.iter().map(|(e, _)| e.clone()).collect();
            let checked = apply_edits(&f.text, &edits)
                .map_err(|e| e.to_string())
                .and_then(|new| read_back_ok(f, &new, &w).map(|()| new));
            match checked {
                Ok(new) => changes.push(FileChange {
                    file,
                    path: f.path.clone(),
                    edits,
                    new_text: Some(SecretString::new(new)),
                    old_mode: f.mode,
                    new_mode: f.mode,
                }),
                Err(why) => {
                    let message = format!(
                        "rewriting `{}` would not read back as intended ({why}); it was left as it is",
                        f.path
                    );
                    failures.extend(w.owners.iter().map(|o| (*o, message.clone())));
                }
            }
        }
        if failures.is_empty() {
            self.changes = changes;
        }
        failures
    }

    fn finish(mut self) -> Plan {
        let now = self.options.now;
        let files = self.files;
        // Failures, with the files each would have touched.
        for u in 0..self.units.len() {
            if let Some(message) = self.units[u].failed.clone() {
                let paths = self
                    .unit_files(u)
                    .into_iter()
                    .map(|f| files[f].path.clone())
                    .collect();
                let key = self.units[u].key.clone();
                self.fail(Some(&key), paths, message);
            }
        }
        for c in std::mem::take(&mut self.copies) {
            match c.failed {
                Some(message) => self.fail(Some(&c.key), vec![files[c.file].path.clone()], message),
                None => {
                    let (ff, fi) = c.from;
                    let env = files[c.file].environment;
                    let source = &files[ff];
                    let comment = rotation_annotation(
                        &source.text,
                        &source.document,
                        &source.document.entries[fi],
                    )
                    .and_then(Result::ok);
                    let record = self
                        .options
                        .ledger
                        .as_ref()
                        .and_then(|l| l.lookup(&source.path, &c.key));
                    if let Some((at, _)) = age::last_rotation(comment.as_ref(), record, None) {
                        self.plan.ledger.push(LedgerUpdate::Rotated {
                            file: files[c.file].path.clone(),
                            key: c.key.clone(),
                            at,
                            previous_until: None,
                        });
                    }
                    self.plan.events.push(PlannedEvent {
                        file: files[c.file].path.clone(),
                        key: c.key.clone(),
                        environment: self.env_name(env),
                        action: Action::Add,
                        reason: c.reason.clone(),
                    });
                    self.plan.rotations.push(RotationSummary {
                        key: c.key,
                        environment: self.env_name(env),
                        reasons: vec![c.reason],
                        files: Vec::new(),
                        added_to: vec![files[c.file].path.clone()],
                        copied_from: Some(source.path.clone()),
                        follows: Vec::new(),
                        previous: Vec::new(),
                        together_with: Vec::new(),
                    });
                }
            }
        }
        for r in std::mem::take(&mut self.removals) {
            if r.cancelled {
                continue;
            }
            let path = files[r.file].path.clone();
            match r.failed {
                Some(message) => self.fail(Some(&r.key), vec![path], message),
                None => {
                    if let Some(base) = r.key.strip_suffix(PREVIOUS_SUFFIX) {
                        self.plan.ledger.push(LedgerUpdate::PreviousRemoved {
                            file: path.clone(),
                            key: base.to_owned(),
                        });
                    }
                    self.plan.events.push(PlannedEvent {
                        file: path.clone(),
                        key: r.key.clone(),
                        environment: self.env_name(files[r.file].environment),
                        action: Action::RemovePrevious,
                        reason: r.reason.clone(),
                    });
                    self.plan.removals.push(RemovalSummary {
                        file: path,
                        key: r.key,
                        reason: r.reason,
                    });
                }
            }
        }
        let mut groups: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for u in 0..self.units.len() {
            if self.units[u].failed.is_none() {
                let root = self.root(u);
                groups
                    .entry(root)
                    .or_default()
                    .insert(self.units[u].key.clone());
            }
        }
        for u in 0..self.units.len() {
            if self.units[u].failed.is_some() {
                continue;
            }
            let root = self.root(u);
            let unit = &self.units[u];
            let env = self.env_name(unit.environment);
            let reason = unit.reasons.join(",");
            let until = self.policy.secrets[unit.secret]
                .keep_previous_days
                .map(|d| age::assess(now, now, d, 0).due);
            let mut summary = RotationSummary {
                key: unit.key.clone(),
                environment: env.clone(),
                reasons: unit.reasons.clone(),
                files: Vec::new(),
                added_to: Vec::new(),
                copied_from: None,
                follows: Vec::new(),
                previous: Vec::new(),
                together_with: groups
                    .get(&root)
                    .into_iter()
                    .flatten()
                    .filter(|k| **k != unit.key)
                    .cloned()
                    .collect(),
            };
            for (&f, &i) in &unit.targets {
                let path = files[f].path.clone();
                let e = &files[f].document.entries[i];
                let kept = until.filter(|_| !e.value.is_empty() && !e.has_references);
                if let Some(t) = kept {
                    summary.previous.push((path.clone(), t));
                }
                self.plan.ledger.push(LedgerUpdate::Rotated {
                    file: path.clone(),
                    key: unit.key.clone(),
                    at: now,
                    previous_until: kept,
                });
                self.plan.events.push(PlannedEvent {
                    file: path.clone(),
                    key: unit.key.clone(),
                    environment: env.clone(),
                    action: Action::Rotate,
                    reason: reason.clone(),
                });
                summary.files.push(path);
            }
            for &f in &unit.added {
                let path = files[f].path.clone();
                self.plan.ledger.push(LedgerUpdate::Rotated {
                    file: path.clone(),
                    key: unit.key.clone(),
                    at: now,
                    previous_until: None,
                });
                self.plan.events.push(PlannedEvent {
                    file: path.clone(),
                    key: unit.key.clone(),
                    environment: env.clone(),
                    action: Action::Add,
                    reason: reason.clone(),
                });
                summary.added_to.push(path);
            }
            for (f, _, url_key) in self.follows(u) {
                let path = files[f].path.clone();
                self.plan.ledger.push(LedgerUpdate::Rotated {
                    file: path.clone(),
                    key: url_key.clone(),
                    at: now,
                    previous_until: None,
                });
                self.plan.events.push(PlannedEvent {
                    file: path.clone(),
                    key: url_key.clone(),
                    environment: env.clone(),
                    action: Action::Rotate,
                    reason: format!("follows `{}`", unit.key),
                });
                summary.follows.push((path, url_key));
            }
            self.plan.rotations.push(summary);
        }
        for keys in groups.values().filter(|k| k.len() > 1) {
            let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            self.plan.warnings.push(format!(
                "{} were rotated together: data encrypted under the old values must be re-encrypted with the new ones",
                list.join(" and ")
            ));
        }
        // Permissions: a mode change joins the file's text change, or stands alone.
        let mut changes = std::mem::take(&mut self.changes);
        for c in std::mem::take(&mut self.chmods) {
            let path = files[c.file].path.clone();
            if let Some(message) = c.failed {
                self.fail(None, vec![path], message);
                continue;
            }
            match changes.iter_mut().find(|ch| ch.file == c.file) {
                Some(ch) => ch.new_mode = Some(c.to),
                None => changes.push(FileChange {
                    file: c.file,
                    path: path.clone(),
                    edits: Vec::new(),
                    new_text: None,
                    old_mode: Some(c.from),
                    new_mode: Some(c.to),
                }),
            }
            self.plan.permissions.push(PermissionChange {
                file: path,
                from: c.from,
                to: c.to,
            });
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        self.plan.changes = changes;
        let plan = &mut self.plan;
        plan.rotations.sort_by(|a, b| {
            (&a.environment, &a.key, &a.files).cmp(&(&b.environment, &b.key, &b.files))
        });
        plan.manual
            .sort_by(|a, b| (&a.file, &a.key, a.rule).cmp(&(&b.file, &b.key, b.rule)));
        plan.manual.dedup();
        plan.unfixable
            .sort_by(|a, b| (&a.file, &a.key, a.rule).cmp(&(&b.file, &b.key, b.rule)));
        plan.unfixable.dedup();
        plan.failures
            .sort_by(|a, b| (&a.key, &a.files).cmp(&(&b.key, &b.files)));
        plan.failures.dedup();
        plan.events
            .sort_by(|a, b| (&a.file, &a.key).cmp(&(&b.file, &b.key)));
        self.plan
    }
}

/// The `FileChange`-to-be of `f` reads back as `w` intends: the same syntax errors, and every
/// key with exactly the values expected (entries with references may read anything, since
/// what they reference may have changed).
fn read_back_ok(f: &SourceFile, new: &str, w: &FileWork) -> Result<(), String> {
    let doc = Document::parse(f.kind, new);
    let old_errors: Vec<&str> = f
        .document
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    let new_errors: Vec<&str> = doc.errors.iter().map(|e| e.message.as_str()).collect();
    if old_errors != new_errors {
        return Err("its syntax errors would change".into());
    }
    let mut want: BTreeMap<&str, Vec<Option<&str>>> = BTreeMap::new();
    for (i, e) in f.document.entries.iter().enumerate() {
        if w.removed.contains(&i) {
            continue;
        }
        let v = match w.replaced.get(&i) {
            Some(v) => Some(v.as_str()),
            None if e.has_references => None,
            None => Some(e.value.expose()),
        };
        want.entry(e.key.as_str()).or_default().push(v);
    }
    for (k, v) in &w.inserted {
        want.entry(k.as_str()).or_default().push(Some(v.as_str()));
    }
    let mut got: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &doc.entries {
        got.entry(e.key.as_str())
            .or_default()
            .push(e.value.expose());
    }
    if !want.keys().eq(got.keys()) {
        return Err("its keys would change".into());
    }
    for (key, values) in &want {
        let read = &got[key];
        let same = values.len() == read.len()
            && values
                .iter()
                .zip(read)
                .all(|(w, r)| w.is_none_or(|w| w == *r));
        if !same {
            return Err(format!("`{key}` would not read back as written"));
        }
    }
    Ok(())
}

/// Truncates to whole seconds, as the ledger stores times.
fn whole_seconds(ts: Timestamp) -> Timestamp {
    let round = jiff::TimestampRound::new()
        .smallest(jiff::Unit::Second)
        .mode(jiff::RoundMode::Trunc);
    ts.round(round).unwrap_or(ts)
}

#[cfg(test)]
mod tests;
