//! `secretlint due`: the rotation calendar, for a scheduled CI job that warns before expiry.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use secretlint_engine::age::{DueItem, format_date};
use secretlint_engine::check::calendar;
use secretlint_engine::policy::parse_days;
use serde::Serialize;

use super::scan::{Scanned, scan};
use crate::cli::{DueArgs, DueFormat};

#[derive(Serialize)]
struct JsonItem<'a> {
    key: &'a str,
    environment: Option<&'a str>,
    files: &'a [String],
    last_rotated: Option<String>,
    source: Option<secretlint_engine::age::AgeSource>,
    every_days: i64,
    due: Option<String>,
    days_left: Option<i64>,
    status: &'static str,
}

fn status(item: &DueItem, window: i64) -> &'static str {
    match item.days_left {
        None => "unknown",
        Some(d) if d < 0 => "overdue",
        Some(d) if d <= window => "due-soon",
        Some(_) => "ok",
    }
}

pub fn run(args: DueArgs) -> anyhow::Result<ExitCode> {
    let within = match &args.within {
        Some(w) => Some(parse_days(w).map_err(|e| anyhow::anyhow!("invalid --within: {e}"))?),
        None => None,
    };
    let (loaded, report, options) = match scan(&args.scan)? {
        Scanned::Done(d) => (d.loaded, d.report, d.options),
        Scanned::Exit(code) => return Ok(code),
    };
    let window = loaded.policy.expiring_within_days;
    let mut items = calendar(&loaded.policy, &report, &options);
    if let Some(w) = within {
        items.retain(|i| i.days_left.is_none_or(|d| d <= w));
    }
    let overdue = items.iter().any(|i| i.days_left.is_some_and(|d| d < 0));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        DueFormat::Json => {
            let rows: Vec<JsonItem> = items
                .iter()
                .map(|i| JsonItem {
                    key: &i.key,
                    environment: i.environment.as_deref(),
                    files: &i.files,
                    last_rotated: i.last_rotated.map(format_date),
                    source: i.source,
                    every_days: i.every_days,
                    due: i.due.map(format_date),
                    days_left: i.days_left,
                    status: status(i, window),
                })
                .collect();
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({ "version": 1, "secrets": rows }),
            )?;
            writeln!(out)?;
        }
        DueFormat::Table => table(&mut out, &items, window)?,
    }
    out.flush().context("could not write the calendar")?;
    Ok(if overdue {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn table(out: &mut dyn Write, items: &[DueItem], window: i64) -> anyhow::Result<()> {
    if items.is_empty() {
        writeln!(out, "no secrets with a rotation interval")?;
        return Ok(());
    }
    let rows: Vec<[String; 6]> = items
        .iter()
        .map(|i| {
            let files = match i.files.as_slice() {
                [one] => one.clone(),
                [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
                [] => String::new(),
            };
            let left = match i.days_left {
                None => "unknown".to_owned(),
                Some(d) if d < 0 => format!("{} overdue", -d),
                Some(0) => "today".to_owned(),
                Some(d) => d.to_string(),
            };
            [
                status(i, window).to_owned(),
                i.key.clone(),
                i.environment.clone().unwrap_or_else(|| "-".into()),
                i.last_rotated.map_or_else(|| "-".into(), format_date),
                i.due.map_or_else(|| "-".into(), format_date),
                format!("{left:>8}  {files}"),
            ]
        })
        .collect();
    let header = [
        "STATUS",
        "KEY",
        "ENVIRONMENT",
        "ROTATED",
        "DUE",
        "DAYS LEFT  FILES",
    ];
    crate::render::write_table(out, header, &rows)?;
    Ok(())
}
