//! The clock: `--now` / `SECRETLINT_NOW` for reproducible runs, the system clock otherwise.

use anyhow::Context;
use jiff::Timestamp;

/// Parses `2026-11-30` (midnight UTC) or an RFC 3339 time; `None` means the system clock.
pub fn parse(given: Option<&str>) -> anyhow::Result<Timestamp> {
    let Some(text) = given.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Timestamp::now());
    };
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let date: jiff::civil::Date = text.parse().with_context(|| {
        format!("could not read `{text}` as a date (`2026-11-30`) or an RFC 3339 time")
    })?;
    Ok(date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .context("date out of range")?
        .timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_accepted() {
        assert_eq!(
            parse(Some("2026-11-30")).unwrap().to_string(),
            "2026-11-30T00:00:00Z"
        );
        assert_eq!(
            parse(Some("2026-11-30T12:00:00+01:00"))
                .unwrap()
                .to_string(),
            "2026-11-30T11:00:00Z"
        );
        assert!(parse(Some("yesterday")).is_err());
    }
}
