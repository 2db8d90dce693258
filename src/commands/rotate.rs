//! `secretlint rotate KEY [--env ENV]`: rotates one secret now, compliant or not, through
//! the same pipeline as `fix` (backup, atomic writes, metadata, audit).
//! `secretlint rotate --record KEY`: records that a secret was rotated elsewhere, in the
//! rotation metadata and the audit log, without touching its value.

use std::process::ExitCode;

use anyhow::Context;
use secretlint_engine::age::{Ledger, RotationSource, format_date};
use secretlint_engine::audit::{self, Action, Event};
use secretlint_engine::store;

use super::scan::{Scanned, scan};
use crate::cli::RotateArgs;

pub fn run(args: RotateArgs) -> anyhow::Result<ExitCode> {
    if !args.record {
        return on_demand(&args);
    }
    let (loaded, report, options) = match scan(&args.scan)? {
        Scanned::Done(d) => (d.loaded, d.report, d.options),
        Scanned::Exit(code) => return Ok(code),
    };
    let _lock = super::apply::lock(&loaded.root)?;
    let policy = &loaded.policy;
    if let Some(env) = &args.env
        && policy.environment_named(env).is_none()
    {
        let names: Vec<&str> = policy.environments.iter().map(|e| &*e.name).collect();
        anyhow::bail!(
            "unknown environment `{env}`; the policy has: {}",
            names.join(", ")
        );
    }
    let now = options.now.unwrap_or_else(jiff::Timestamp::now);
    let mut ledger = match &options.ledger {
        Some(l) => Ledger::parse(&l.text).map_err(|errors| {
            let first = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            anyhow::anyhow!(
                "the rotation metadata `{}` is invalid ({first}); fix it before recording",
                policy.ledger
            )
        })?,
        None => Ledger::default(),
    };
    let actor = audit::actor(|k| std::env::var(k).ok());
    let mut recorded = Vec::new();
    for file in &report.files {
        let env = file.environment.map(|e| &*policy.environments[e].name);
        if args.env.is_some() && env != args.env.as_deref() {
            continue;
        }
        if file
            .environment
            .is_some_and(|e| policy.environments[e].template)
        {
            continue;
        }
        if !file.document.entries.iter().any(|e| e.key == args.key) {
            continue;
        }
        ledger.record(
            &file.path,
            &args.key,
            now,
            RotationSource::Record,
            Some(actor.clone()),
            None,
        );
        recorded.push((file.path.clone(), env));
    }
    if recorded.is_empty() {
        let scope = args
            .env
            .as_ref()
            .map(|e| format!(" in {e}"))
            .unwrap_or_default();
        anyhow::bail!("no checked file{scope} defines `{}`", args.key);
    }
    // Written only where they resolve inside the repository, as `fix` writes.
    let ledger_path = super::apply::inside(&loaded.root, &policy.ledger, "the rotation metadata")?;
    let audit_path = super::apply::audit_log(&loaded.root)?;
    store::write_atomic(&ledger_path, ledger.to_toml().as_bytes(), 0o644)
        .with_context(|| format!("could not write `{}`", ledger_path.display()))?;
    for (file, environment) in &recorded {
        let event = Event {
            time: now.to_string(),
            actor: actor.clone(),
            action: Action::Record,
            file: file.clone(),
            key: args.key.clone(),
            environment: environment.map(str::to_owned),
            reason: "on-demand".into(),
            backup: None,
        };
        store::append_line(&audit_path, &event.to_json_line())
            .with_context(|| format!("could not append to `{}`", audit_path.display()))?;
    }
    for (file, _) in &recorded {
        println!(
            "recorded `{}` in `{file}` as rotated on {}",
            args.key,
            format_date(now)
        );
    }
    println!("updated `{}` and `{}`", policy.ledger, audit::DEFAULT_PATH);
    Ok(ExitCode::SUCCESS)
}

/// Rotates `args.key` now. A secret issued elsewhere is refused: it is rotated at its source
/// and recorded with `--record`.
fn on_demand(args: &RotateArgs) -> anyhow::Result<ExitCode> {
    let color = super::check::color_choice(crate::cli::ColorChoice::Auto, false);
    if let Ok(loaded) = super::policy::load(
        args.scan.policy.policy.as_deref(),
        args.scan.paths.first().map(|p| p.as_path()),
        color,
    ) && let Some(s) = loaded.policy.secret_for(&args.key)
        && loaded.policy.secrets[s].source == secretlint_engine::policy::Source::External
    {
        anyhow::bail!(
            "`{}` is issued externally and never generated here: rotate it at its source, then `secretlint rotate --record {}`",
            args.key,
            args.key
        );
    }
    super::fix::execute(&super::fix::Request {
        scan: &args.scan,
        dry_run: args.dry_run,
        include_expiring: false,
        env: args.env.clone(),
        on_demand: Some(args.key.clone()),
        backup: &args.backup,
        command: "rotate",
    })
}
