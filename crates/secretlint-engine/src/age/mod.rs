//! Secret age: where a secret's last rotation date comes from, how old that makes it against
//! its `rotate_every` interval, and the rotation calendar. Pure functions of their inputs and
//! the clock passed in: nothing here reads the system time or the disk.
//!
//! Every date is a UTC [`Timestamp`] and every "day" is a UTC calendar day, so daylight saving
//! time never makes a day 23 or 25 hours long and a policy's `30d` means the same everywhere.

pub mod annotation;
mod calendar;
pub mod ledger;
pub mod manifest;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Unit, ZonedDateTime};

use crate::document::Document;

pub use annotation::{Annotated, AnnotationError, rotation_annotation};
pub use calendar::{DueItem, sort_calendar};
pub use ledger::{Ledger, LedgerEntry, LedgerError, RotationSource};

/// The key under which SOPS stores its `lastmodified` metadata in an encrypted dotenv file.
const SOPS_LASTMODIFIED_KEY: &str = "sops_lastmodified";

/// Where a secret's last rotation date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgeSource {
    /// A `# rotated: 2026-09-01` comment beside or above the entry.
    Comment,
    /// An entry of the rotation metadata file (the ledger).
    Ledger,
    /// A `secretlint.dev/rotated` annotation on a Kubernetes Secret.
    ManifestAnnotation,
    /// The `sops_lastmodified` metadata of a SOPS-encrypted file.
    SopsMetadata,
    /// The last git commit that changed the line (`check --age-from-git`).
    Git,
}

impl AgeSource {
    /// How a message names the source: "last rotated 2026-09-01 (from {describe})".
    pub fn describe(self) -> &'static str {
        match self {
            AgeSource::Comment => "a `# rotated:` comment",
            AgeSource::Ledger => "the rotation metadata",
            AgeSource::ManifestAnnotation => "a `secretlint.dev/rotated` annotation",
            AgeSource::SopsMetadata => "SOPS `lastmodified` metadata",
            AgeSource::Git => "the last git commit that changed the line",
        }
    }
}

/// The `sops_lastmodified=...` time of a SOPS-encrypted dotenv file, if it has a readable one.
///
/// SOPS rewrites it whenever any value of the file changes, so it dates every key of the
/// file at once. An unreadable value yields `None`: it is SOPS's metadata, not the user's,
/// and a broken one is no reason to fail the lint.
pub fn sops_lastmodified(doc: &Document) -> Option<Timestamp> {
    let entry = doc
        .entries
        .iter()
        .find(|e| e.key == SOPS_LASTMODIFIED_KEY)?;
    // The metadata is a timestamp, not a secret, so exposing it to parse is safe.
    parse_when(entry.value.expose().trim()).ok()
}

/// The last rotation of one secret, from the most specific source that knows it.
///
/// Precedence: the inline `# rotated:` comment, then the ledger, then SOPS metadata.
///
/// - The comment sits beside the value and is edited together with it, so when someone
///   rotates by hand and updates the comment, it is the freshest and most deliberate record.
/// - The ledger is written by the tool (`secretlint fix`, `secretlint rotate --record`) for
///   this one file and key, so it is precise but can lag a manual edit.
/// - SOPS `lastmodified` dates the whole file: any edit to any key moves it, so it is only an
///   upper bound on a key's age and is used only when nothing better exists.
pub fn last_rotation(
    comment: Option<&Annotated>,
    ledger: Option<&LedgerEntry>,
    sops: Option<Timestamp>,
) -> Option<(Timestamp, AgeSource)> {
    comment
        .map(|c| (c.at, AgeSource::Comment))
        .or_else(|| ledger.map(|l| (l.rotated, AgeSource::Ledger)))
        .or_else(|| sops.map(|t| (t, AgeSource::SopsMetadata)))
}

/// Where a secret stands against its rotation interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Status {
    /// Due in more than the warning window.
    Ok { days_left: i64 },
    /// Due within the warning window; `days_left == 0` means due today.
    ExpiringSoon { days_left: i64 },
    /// Past due by at least one whole day.
    Stale { days_overdue: i64 },
}

/// The age of one secret, measured at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessment {
    /// Whole UTC days since the rotation (0 for a rotation in the future).
    pub age_days: i64,
    /// The rotation time plus the interval.
    pub due: Timestamp,
    pub status: Status,
}

/// Measures a secret rotated at `rotated` against an interval of `every_days` days, at `now`,
/// warning `window_days` ahead.
///
/// - `age_days` is the number of whole days elapsed since `rotated` (rounded down); a rotation
///   later than `now` (a clock skew, a pre-dated comment) counts as age 0.
/// - `due` is `rotated` plus `every_days` days.
/// - `days_left = every_days - age_days`.
/// - [`Status::Stale`] when `days_left < 0`, with `days_overdue = -days_left`: a secret turns
///   stale on the day after it falls due, never for being a few hours late.
/// - [`Status::ExpiringSoon`] when `0 <= days_left <= window_days` (`days_left == 0` is
///   "due today").
/// - [`Status::Ok`] otherwise.
pub fn assess(rotated: Timestamp, now: Timestamp, every_days: i64, window_days: i64) -> Assessment {
    let age_days = whole_days_between(rotated, now);
    let days_left = every_days.saturating_sub(age_days);
    let status = if days_left < 0 {
        Status::Stale {
            days_overdue: days_left.saturating_neg(),
        }
    } else if days_left <= window_days {
        Status::ExpiringSoon { days_left }
    } else {
        Status::Ok { days_left }
    };
    Assessment {
        age_days,
        due: add_days(rotated, every_days),
        status,
    }
}

/// A date as messages and the calendar show it: `2026-09-01`, the UTC calendar day.
pub fn format_date(ts: Timestamp) -> String {
    utc(ts).date().to_string()
}

fn utc(ts: Timestamp) -> ZonedDateTime {
    ts.to_zoned_datetime(TimeZone::UTC)
}

/// Whole UTC days from `from` to `to`, rounded down; 0 when `to` is not later.
fn whole_days_between(from: Timestamp, to: Timestamp) -> i64 {
    if to <= from {
        return 0;
    }
    // The default rounding truncates, which is flooring for a positive span. Every pair of
    // timestamps is representable in days, so the error arm is unreachable in practice; if it
    // were reached the span would be absurdly long, and "very old" is the safe answer.
    utc(from)
        .until((Unit::Day, &utc(to)))
        .map_or(i64::MAX, |span| i64::from(span.get_days()))
}

/// `ts` plus `days` UTC days, saturating at the ends of the representable range.
fn add_days(ts: Timestamp, days: i64) -> Timestamp {
    match Span::new().try_days(days) {
        Ok(span) => utc(ts).saturating_add(span).timestamp(),
        // More days than any timestamp range holds.
        Err(_) if days > 0 => Timestamp::MAX,
        Err(_) => Timestamp::MIN,
    }
}

/// Reads a rotation date as people write it: a bare date `2026-09-01` (midnight UTC) or an
/// RFC 3339 time with an offset, `2026-09-01T10:00:00Z` or `2026-09-01T12:00:00+02:00`.
///
/// The error is the reason alone, lowercase, for the caller to put after the quoted text.
pub(crate) fn parse_when(text: &str) -> Result<Timestamp, String> {
    if !text.contains(['T', 't', ' ']) {
        let date: Date = text.parse().map_err(|e: jiff::Error| e.to_string())?;
        return midnight_utc(date);
    }
    text.parse::<Timestamp>().map_err(|e| {
        // A time without an offset is ambiguous: whose 10:00? Say so rather than passing on
        // the parser's generic complaint.
        if text.parse::<DateTime>().is_ok() {
            "it has no UTC offset; add `Z` for UTC or an offset such as `+02:00`".to_owned()
        } else {
            e.to_string()
        }
    })
}

/// Midnight UTC at the start of `date`.
pub(crate) fn midnight_utc(date: Date) -> Result<Timestamp, String> {
    date.to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocumentKind;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    #[test]
    fn exactly_at_the_interval_is_due_today() {
        let a = assess(
            ts("2026-01-01T00:00:00Z"),
            ts("2026-01-31T00:00:00Z"),
            30,
            7,
        );
        assert_eq!(a.age_days, 30);
        assert_eq!(a.due, ts("2026-01-31T00:00:00Z"));
        assert_eq!(a.status, Status::ExpiringSoon { days_left: 0 });
    }

    #[test]
    fn hours_past_due_are_still_due_today() {
        let a = assess(
            ts("2026-01-01T00:00:00Z"),
            ts("2026-01-31T23:59:59Z"),
            30,
            7,
        );
        assert_eq!(a.status, Status::ExpiringSoon { days_left: 0 });
    }

    #[test]
    fn one_day_over_is_stale_by_one() {
        let a = assess(
            ts("2026-01-01T00:00:00Z"),
            ts("2026-02-01T00:00:00Z"),
            30,
            7,
        );
        assert_eq!(a.age_days, 31);
        assert_eq!(a.status, Status::Stale { days_overdue: 1 });
    }

    #[test]
    fn inside_the_window_is_expiring_soon() {
        let a = assess(
            ts("2026-01-01T10:00:00Z"),
            ts("2026-01-26T09:00:00Z"),
            30,
            7,
        );
        assert_eq!(a.age_days, 24);
        assert_eq!(a.status, Status::ExpiringSoon { days_left: 6 });
        let edge = assess(
            ts("2026-01-01T00:00:00Z"),
            ts("2026-01-24T00:00:00Z"),
            30,
            7,
        );
        assert_eq!(edge.status, Status::ExpiringSoon { days_left: 7 });
    }

    #[test]
    fn just_outside_the_window_is_ok() {
        let a = assess(
            ts("2026-01-01T00:00:00Z"),
            ts("2026-01-23T00:00:00Z"),
            30,
            7,
        );
        assert_eq!(a.status, Status::Ok { days_left: 8 });
    }

    #[test]
    fn a_rotation_in_the_future_counts_as_age_zero() {
        let a = assess(
            ts("2026-03-01T00:00:00Z"),
            ts("2026-01-01T00:00:00Z"),
            30,
            7,
        );
        assert_eq!(a.age_days, 0);
        assert_eq!(a.due, ts("2026-03-31T00:00:00Z"));
        assert_eq!(a.status, Status::Ok { days_left: 30 });
    }

    #[test]
    fn leap_day_counts_as_a_day() {
        // 2028 is a leap year: Feb 1 to Mar 1 is 29 days.
        let a = assess(
            ts("2028-02-01T00:00:00Z"),
            ts("2028-03-01T00:00:00Z"),
            30,
            0,
        );
        assert_eq!(a.age_days, 29);
        assert_eq!(a.due, ts("2028-03-02T00:00:00Z"));
        assert_eq!(a.status, Status::Ok { days_left: 1 });
        // 2027 is not: the same dates are 28 days apart.
        let b = assess(
            ts("2027-02-01T00:00:00Z"),
            ts("2027-03-01T00:00:00Z"),
            30,
            0,
        );
        assert_eq!(b.age_days, 28);
    }

    #[test]
    fn days_are_utc_days_regardless_of_daylight_saving() {
        // Across the EU and US spring-forward weekends every day is still 24 hours.
        let a = assess(
            ts("2026-03-07T12:00:00Z"),
            ts("2026-04-06T12:00:00Z"),
            30,
            0,
        );
        assert_eq!(a.age_days, 30);
        assert_eq!(a.due, ts("2026-04-06T12:00:00Z"));
        let almost = assess(
            ts("2026-03-07T12:00:00Z"),
            ts("2026-04-06T11:59:59Z"),
            30,
            0,
        );
        assert_eq!(almost.age_days, 29);
    }

    #[test]
    fn huge_intervals_saturate_instead_of_panicking() {
        let a = assess(
            ts("2026-01-01T00:00:00Z"),
            ts("2026-01-02T00:00:00Z"),
            i64::MAX,
            7,
        );
        assert_eq!(a.due, Timestamp::MAX);
        assert_eq!(
            a.status,
            Status::Ok {
                days_left: i64::MAX - 1
            }
        );
    }

    #[test]
    fn format_date_is_the_utc_day() {
        assert_eq!(format_date(ts("2026-09-01T23:30:00-02:00")), "2026-09-02");
        assert_eq!(format_date(ts("2026-09-01T00:00:00Z")), "2026-09-01");
    }

    #[test]
    fn precedence_is_comment_then_ledger_then_sops() {
        let comment = Annotated {
            at: ts("2026-09-01T00:00:00Z"),
            span: Default::default(),
        };
        let ledger = LedgerEntry {
            file: ".env".into(),
            key: "K".into(),
            rotated: ts("2026-08-01T00:00:00Z"),
            by: RotationSource::Fix,
            actor: None,
            previous_until: None,
            span: Default::default(),
        };
        let sops = Some(ts("2026-10-01T00:00:00Z"));
        assert_eq!(
            last_rotation(Some(&comment), Some(&ledger), sops),
            Some((comment.at, AgeSource::Comment))
        );
        assert_eq!(
            last_rotation(None, Some(&ledger), sops),
            Some((ledger.rotated, AgeSource::Ledger))
        );
        assert_eq!(
            last_rotation(None, None, sops),
            Some((ts("2026-10-01T00:00:00Z"), AgeSource::SopsMetadata))
        );
        assert_eq!(last_rotation(None, None, None), None);
    }

    #[test]
    fn sources_describe_themselves() {
        assert_eq!(AgeSource::Comment.describe(), "a `# rotated:` comment");
        assert_eq!(AgeSource::Ledger.describe(), "the rotation metadata");
        assert_eq!(
            AgeSource::SopsMetadata.describe(),
            "SOPS `lastmodified` metadata"
        );
    }

    #[test]
    fn sops_lastmodified_dates_the_file() {
        let text =
            "API_KEY=ENC[AES256_GCM,data:abc,type:str]\nsops_lastmodified=2026-10-01T12:00:00Z\n";
        let doc = Document::parse(DocumentKind::Env, text);
        assert_eq!(sops_lastmodified(&doc), Some(ts("2026-10-01T12:00:00Z")));
    }

    #[test]
    fn sops_lastmodified_missing_or_unreadable_is_none() {
        let doc = Document::parse(DocumentKind::Env, "API_KEY=x\n");
        assert_eq!(sops_lastmodified(&doc), None);
        let doc = Document::parse(DocumentKind::Env, "sops_lastmodified=yesterday\n");
        assert_eq!(sops_lastmodified(&doc), None);
    }

    #[test]
    fn parse_when_reads_dates_and_offset_times() {
        assert_eq!(parse_when("2026-09-01"), Ok(ts("2026-09-01T00:00:00Z")));
        assert_eq!(
            parse_when("2026-09-01T10:00:00Z"),
            Ok(ts("2026-09-01T10:00:00Z"))
        );
        assert_eq!(
            parse_when("2026-09-01T12:00:00+02:00"),
            Ok(ts("2026-09-01T10:00:00Z"))
        );
        assert!(parse_when("2026-13-01").is_err());
        assert!(parse_when("2026-02-30").is_err());
        let local = parse_when("2026-09-01T10:00:00").unwrap_err();
        assert!(local.contains("no UTC offset"), "{local}");
    }
}
