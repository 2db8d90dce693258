//! The rotation calendar: one row per secret with an interval, ordered so that what needs
//! attention first comes first.

use jiff::Timestamp;

use super::AgeSource;

/// One row of the rotation calendar (`secretlint rotate --due`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub key: String,
    /// The environment the files belong to, if any.
    pub environment: Option<String>,
    /// Root-relative paths of the files holding this secret (several for a shared secret).
    pub files: Vec<String>,
    /// `None` when no source knows when the secret was last rotated.
    pub last_rotated: Option<Timestamp>,
    pub source: Option<AgeSource>,
    /// The policy's `rotate_every` interval.
    pub every_days: i64,
    pub due: Option<Timestamp>,
    /// Negative when overdue; `None` when the age is unknown.
    pub days_left: Option<i64>,
}

/// Orders the calendar: secrets of unknown age first (they may be the oldest of all), then by
/// ascending `days_left` (most overdue first), then by key, environment and first file so that
/// the order never depends on discovery order.
pub fn sort_calendar(items: &mut [DueItem]) {
    items.sort_by(|a, b| {
        let rank = |i: &DueItem| (i.days_left.is_some(), i.days_left);
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.environment.cmp(&b.environment))
            .then_with(|| a.files.first().cmp(&b.files.first()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, env: Option<&str>, file: &str, days_left: Option<i64>) -> DueItem {
        DueItem {
            key: key.into(),
            environment: env.map(Into::into),
            files: vec![file.into()],
            last_rotated: None,
            source: None,
            every_days: 30,
            due: None,
            days_left,
        }
    }

    fn order(items: &[DueItem]) -> Vec<(&str, Option<&str>, &str)> {
        items
            .iter()
            .map(|i| {
                (
                    i.key.as_str(),
                    i.environment.as_deref(),
                    i.files[0].as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn unknown_age_first_then_most_urgent() {
        let mut items = vec![
            item("OK", None, ".env", Some(40)),
            item("SOON", None, ".env", Some(3)),
            item("UNKNOWN", None, ".env", None),
            item("STALE", None, ".env", Some(-5)),
            item("TODAY", None, ".env", Some(0)),
        ];
        sort_calendar(&mut items);
        let keys: Vec<_> = items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["UNKNOWN", "STALE", "TODAY", "SOON", "OK"]);
    }

    #[test]
    fn ties_break_by_key_environment_then_file() {
        let mut items = vec![
            item("B", Some("prod"), "b/.env", Some(1)),
            item("A", Some("staging"), "a/.env", Some(1)),
            item("A", Some("prod"), "z/.env", Some(1)),
            item("A", Some("prod"), "c/.env", Some(1)),
            item("A", None, "y/.env", Some(1)),
        ];
        sort_calendar(&mut items);
        assert_eq!(
            order(&items),
            [
                ("A", None, "y/.env"),
                ("A", Some("prod"), "c/.env"),
                ("A", Some("prod"), "z/.env"),
                ("A", Some("staging"), "a/.env"),
                ("B", Some("prod"), "b/.env"),
            ]
        );
    }
}
