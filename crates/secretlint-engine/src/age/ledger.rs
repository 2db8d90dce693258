//! The rotation ledger: a committed TOML file, `.secretlint/rotations.toml` by default, that
//! records when each secret was last rotated. It holds dates and names, never values.
//!
//! ```toml
//! # secretlint rotation metadata: when each secret was last rotated. It holds no values.
//! version = 1
//!
//! [[rotation]]
//! file = "api/.env.production"            # root-relative, slash-separated
//! key = "SECRET_KEY"
//! rotated = 2026-11-20T10:00:00Z          # a TOML datetime; a bare date means midnight UTC
//! by = "fix"                              # "fix", "record" or "import"
//! actor = "alice@laptop"                  # optional: who rotated it
//! previous_until = 2026-11-27T10:00:00Z   # optional: end of the `KEY_PREVIOUS` grace period
//! ```
//!
//! - `version` is `1`; a file without it is read as version 1.
//! - `by` says what wrote the entry: `secretlint fix` (`fix`), `secretlint rotate --record`
//!   after an external rotation (`record`), or an import of existing dates (`import`).
//! - Times are TOML datetimes (unquoted). One with an offset is converted to UTC; a bare date
//!   is midnight UTC; a local time without offset is rejected, since whose 10:00 it is
//!   would be a guess.
//! - Several entries for one file and key may exist (a merge of two branches); the latest
//!   `rotated` wins.
//!
//! [`Ledger::to_toml`] writes the file deterministically, entries sorted by file then key and
//! times in RFC 3339 UTC, so that rewriting an unchanged ledger changes no byte and concurrent
//! edits merge line by line.

use std::fmt::Write as _;

use jiff::{RoundMode, Timestamp, TimestampRound, Unit};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

use crate::span::Span;

use super::parse_when;

/// Where the ledger lives unless the policy's `settings.ledger` says otherwise.
pub const DEFAULT_PATH: &str = ".secretlint/rotations.toml";

/// The only ledger format version.
pub const VERSION: i64 = 1;

const HEADER: &str =
    "# secretlint rotation metadata: when each secret was last rotated. It holds no values.";

const ENTRY_KEYS: [&str; 6] = ["file", "key", "rotated", "by", "actor", "previous_until"];

/// What wrote a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RotationSource {
    /// `secretlint fix` generated and wrote a new value.
    Fix,
    /// `secretlint rotate --record`: the secret was rotated elsewhere (an external secret).
    Record,
    /// Dates imported from another record of rotations.
    Import,
}

impl RotationSource {
    pub const ALL: [RotationSource; 3] = [
        RotationSource::Fix,
        RotationSource::Record,
        RotationSource::Import,
    ];

    /// The name written in the ledger's `by` field.
    pub fn name(self) -> &'static str {
        match self {
            RotationSource::Fix => "fix",
            RotationSource::Record => "record",
            RotationSource::Import => "import",
        }
    }

    pub fn from_name(name: &str) -> Option<RotationSource> {
        RotationSource::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One recorded rotation of one key in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Root-relative, slash-separated path of the file.
    pub file: String,
    pub key: String,
    pub rotated: Timestamp,
    pub by: RotationSource,
    /// Who rotated it, as the tool recorded it (`user@host`).
    pub actor: Option<String>,
    /// When the grace period of the `<KEY>_PREVIOUS` companion ends.
    pub previous_until: Option<Timestamp>,
    /// The `[[rotation]]` table in the ledger text, for findings; empty for entries added by
    /// [`Ledger::record`] and not yet written.
    pub span: Span,
}

/// A problem in the ledger file. The ledger holds no secret values, so messages may quote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerError {
    /// Where in the ledger text, when known.
    pub span: Option<Span>,
    pub message: String,
}

/// The rotation metadata of a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// Reads a ledger, reporting every problem found rather than stopping at the first. An
    /// empty text is an empty ledger.
    pub fn parse(text: &str) -> Result<Ledger, Vec<LedgerError>> {
        let (root, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            // After a syntax error the tree is a best-effort guess; judging it would add noise.
            return Err(syntax
                .iter()
                .map(|e| LedgerError {
                    span: e.span().map(Span::from),
                    message: e.message().trim().to_owned(),
                })
                .collect());
        }
        let mut reader = Reader::default();
        for (name, value) in root.get_ref().iter() {
            match name.get_ref().as_ref() {
                "version" => reader.version(value),
                "rotation" => reader.rotations(value),
                other => reader.error(
                    name,
                    format!(
                        "unknown key `{other}`{}",
                        hint(other, &["version", "rotation"])
                    ),
                ),
            }
        }
        if reader.errors.is_empty() {
            Ok(Ledger {
                entries: reader.entries,
            })
        } else {
            Err(reader.errors)
        }
    }

    /// The entry for `key` in `file`; the latest `rotated` when there are several.
    pub fn lookup(&self, file: &str, key: &str) -> Option<&LedgerEntry> {
        self.entries
            .iter()
            .filter(|e| e.file == file && e.key == key)
            .max_by_key(|e| e.rotated)
    }

    /// Records a rotation of `key` in `file`, replacing any entries for them.
    ///
    /// Times are kept to the whole second (truncated): sub-second precision means nothing for
    /// a rotation date and would only clutter the file.
    pub fn record(
        &mut self,
        file: &str,
        key: &str,
        rotated: Timestamp,
        by: RotationSource,
        actor: Option<String>,
        previous_until: Option<Timestamp>,
    ) {
        self.entries.retain(|e| !(e.file == file && e.key == key));
        self.entries.push(LedgerEntry {
            file: file.to_owned(),
            key: key.to_owned(),
            rotated: whole_seconds(rotated),
            by,
            actor,
            previous_until: previous_until.map(whole_seconds),
            span: Span::default(),
        });
    }

    /// The ledger as TOML: the header comment, `version = 1`, then one `[[rotation]]` table per
    /// entry sorted by file, key and time, with times in RFC 3339 UTC.
    pub fn to_toml(&self) -> String {
        let mut sorted: Vec<&LedgerEntry> = self.entries.iter().collect();
        sorted.sort_by(|a, b| (&a.file, &a.key, a.rotated).cmp(&(&b.file, &b.key, b.rotated)));
        let mut out = format!("{HEADER}\nversion = {VERSION}\n");
        for e in sorted {
            // Writing to a String cannot fail.
            let _ = write!(
                out,
                "\n[[rotation]]\nfile = {}\nkey = {}\nrotated = {}\nby = {}\n",
                toml_string(&e.file),
                toml_string(&e.key),
                e.rotated,
                toml_string(e.by.name()),
            );
            if let Some(actor) = &e.actor {
                let _ = writeln!(out, "actor = {}", toml_string(actor));
            }
            if let Some(until) = e.previous_until {
                let _ = writeln!(out, "previous_until = {until}");
            }
        }
        out
    }
}

/// A TOML string literal, escaped as needed.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn whole_seconds(ts: Timestamp) -> Timestamp {
    let round = TimestampRound::new()
        .smallest(Unit::Second)
        .mode(RoundMode::Trunc);
    // Truncating can only fail at the very edge of the supported range; keep the time as is.
    ts.round(round).unwrap_or(ts)
}

/// " (did you mean `x`?)" for a near miss, else the list of expected keys.
fn hint(given: &str, expected: &[&str]) -> String {
    let best = expected
        .iter()
        .map(|c| (strsim::jaro_winkler(given, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => {
            let list: Vec<String> = expected.iter().map(|c| format!("`{c}`")).collect();
            format!("; expected one of {}", list.join(", "))
        }
    }
}

/// The whole `[[rotation]]` table: the parser's span of an array-of-tables element is only
/// its header, so extend it to the last value the table holds.
fn table_span(table: &Spanned<DeValue<'_>>, fields: &DeTable<'_>) -> Span {
    let header = table.span();
    let end = fields
        .values()
        .map(|v| v.span().end)
        .fold(header.end, usize::max);
    Span::new(header.start, end)
}

fn span_of<T>(v: &Spanned<T>) -> Option<Span> {
    Some(v.span().into())
}

/// Walks the parsed TOML, collecting entries and every error.
#[derive(Default)]
struct Reader {
    entries: Vec<LedgerEntry>,
    errors: Vec<LedgerError>,
}

impl Reader {
    fn error<T>(&mut self, at: &Spanned<T>, message: String) {
        self.errors.push(LedgerError {
            span: span_of(at),
            message,
        });
    }

    fn version(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Integer(i) = value.get_ref() else {
            return self.error(
                value,
                format!("`version` must be an integer: `version = {VERSION}`"),
            );
        };
        let text = i.as_str();
        if i64::from_str_radix(text, i.radix()) != Ok(VERSION) {
            self.error(
                value,
                format!(
                    "unsupported rotation metadata version `{i}`; this secretlint reads \
                     `version = {VERSION}`"
                ),
            );
        }
    }

    fn rotations(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Array(tables) = value.get_ref() else {
            return self.error(
                value,
                "`rotation` must be a list of `[[rotation]]` tables".into(),
            );
        };
        for table in tables.iter() {
            match table.get_ref() {
                DeValue::Table(fields) => {
                    if let Some(entry) = self.entry(table, fields) {
                        self.entries.push(entry);
                    }
                }
                _ => self.error(
                    table,
                    "each `rotation` must be a `[[rotation]]` table".into(),
                ),
            }
        }
    }

    fn entry(&mut self, table: &Spanned<DeValue<'_>>, fields: &DeTable<'_>) -> Option<LedgerEntry> {
        let before = self.errors.len();
        let (mut file, mut key, mut rotated, mut by) = (None, None, None, None);
        let (mut actor, mut previous_until) = (None, None);
        for (name, value) in fields.iter() {
            match name.get_ref().as_ref() {
                "file" => file = self.file(value),
                "key" => key = self.non_empty_string("key", value),
                "rotated" => rotated = self.time("rotated", value),
                "by" => by = self.source(value),
                "actor" => actor = self.string("actor", value),
                "previous_until" => previous_until = self.time("previous_until", value),
                other => self.error(
                    name,
                    format!(
                        "unknown key `{other}` in a `[[rotation]]` entry{}",
                        hint(other, &ENTRY_KEYS)
                    ),
                ),
            }
        }
        for (field, present) in [
            ("file", fields.contains_key("file")),
            ("key", fields.contains_key("key")),
            ("rotated", fields.contains_key("rotated")),
            ("by", fields.contains_key("by")),
        ] {
            if !present {
                self.error(table, format!("`[[rotation]]` entry is missing `{field}`"));
            }
        }
        if self.errors.len() > before {
            return None;
        }
        Some(LedgerEntry {
            file: file?,
            key: key?,
            rotated: rotated?,
            by: by?,
            actor,
            previous_until,
            span: table_span(table, fields),
        })
    }

    fn string(&mut self, field: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.error(value, format!("`{field}` must be a string"));
                None
            }
        }
    }

    fn non_empty_string(&mut self, field: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        let s = self.string(field, value)?;
        if s.is_empty() {
            self.error(value, format!("`{field}` must not be empty"));
            return None;
        }
        Some(s)
    }

    fn file(&mut self, value: &Spanned<DeValue<'_>>) -> Option<String> {
        let path = self.non_empty_string("file", value)?;
        // Paths are compared as written, so a Windows or absolute spelling would never match.
        if path.starts_with('/') || path.contains('\\') {
            self.error(
                value,
                format!(
                    "`file` must be root-relative and slash-separated, such as \
                     `api/.env.production`, not `{path}`"
                ),
            );
            return None;
        }
        Some(path)
    }

    fn source(&mut self, value: &Spanned<DeValue<'_>>) -> Option<RotationSource> {
        let name = self.string("by", value)?;
        let source = RotationSource::from_name(&name);
        if source.is_none() {
            let names: Vec<&str> = RotationSource::ALL.iter().map(|s| s.name()).collect();
            self.error(
                value,
                format!("unknown rotation source `{name}`{}", hint(&name, &names)),
            );
        }
        source
    }

    fn time(&mut self, field: &str, value: &Spanned<DeValue<'_>>) -> Option<Timestamp> {
        let result = match value.get_ref() {
            DeValue::Datetime(dt) => datetime(dt).map_err(|reason| {
                format!("could not read `{field}` value `{dt}` as a time: {reason}")
            }),
            DeValue::String(_) => Err(format!(
                "`{field}` must be a TOML datetime without quotes, such as \
                 `{field} = 2026-11-20T10:00:00Z`"
            )),
            _ => Err(format!(
                "`{field}` must be a TOML datetime, such as `{field} = 2026-11-20T10:00:00Z`"
            )),
        };
        result.map_err(|message| self.error(value, message)).ok()
    }
}

/// A TOML datetime as a UTC timestamp: offset datetimes as they are, a bare date at midnight
/// UTC; a local datetime or a bare time of day is an error.
fn datetime(dt: &Datetime) -> Result<Timestamp, String> {
    if dt.date.is_none() {
        return Err("it is a time of day without a date".into());
    }
    // Its string form is RFC 3339 (or a bare date), which is exactly what `parse_when` reads.
    parse_when(&dt.to_string())
}

#[cfg(test)]
mod tests;
