//! `secretlint init`: find the env files of a repository, show the policy the engine proposes
//! for them, and write it to `secretlint.toml` — never over an existing one without `--force`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use secretlint_engine::discover::{self, POLICY_FILE, WalkOptions};
use secretlint_engine::propose::{EnvClass, Proposal, propose};
use secretlint_engine::{Policy, PolicyOrigin, store};

use crate::cli::InitArgs;

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let dir = std::path::absolute(&args.dir).unwrap_or_else(|_| args.dir.clone());
    if !dir.is_dir() {
        anyhow::bail!("no such directory: `{}`", args.dir.display());
    }
    let target = dir.join(POLICY_FILE);
    let shown = discover::display_path(
        &std::env::current_dir().unwrap_or_else(|_| dir.clone()),
        &target,
    );
    if target.exists() && !args.force && !args.stdout {
        anyhow::bail!("`{shown}` already exists; pass `--force` to replace it");
    }

    // The recommended policy's environments name every env file a repository usually has.
    let walk = WalkOptions {
        root: dir.clone(),
        paths: vec![dir.clone()],
        exclude: Vec::new(),
        threads: 0,
    };
    let mut inputs = discover::collect(&Policy::recommended(), &walk)?;
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let proposal = propose(&inputs);
    let text = proposal.to_toml();
    // The engine proves this for the shapes it proposes; a failure here is a bug, and a
    // policy that does not load must never be written.
    if let Err(e) = Policy::from_toml(&text, PolicyOrigin::File(shown.clone())) {
        anyhow::bail!("the proposed policy does not load ({e}); please report this as a bug");
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.stdout {
        out.write_all(text.as_bytes())?;
        out.flush().context("could not write the policy")?;
        return Ok(ExitCode::SUCCESS);
    }
    // Refuse before showing anything: a script that forgot `--yes` must not hang or half-run.
    if !args.yes && !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "`secretlint init` asks before writing; pass `--yes` to write `{shown}` without asking"
        );
    }
    summary(&mut out, &proposal)?;
    if !args.yes {
        write!(out, "\nWrite `{shown}`? [Y/n] ")?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .context("could not read the answer")?;
        if !matches!(
            answer.trim().to_ascii_lowercase().as_str(),
            "" | "y" | "yes"
        ) {
            writeln!(out, "nothing was written")?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    write_policy(&target, text.as_bytes(), args.force)
        .with_context(|| format!("could not write `{shown}`"))?;
    writeln!(out, "\nwrote `{shown}`")?;
    writeln!(
        out,
        "next: `secretlint check` holds the env files against it; `secretlint rotate --record KEY` \
         dates a secret rotated elsewhere; `secretlint due` lists what is due"
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a new policy, or replaces one with `force`. Without `force` the file is created
/// exclusively, so a policy that appeared since the check above is not overwritten either.
fn write_policy(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    if force {
        return store::write_atomic(path, bytes, 0o644);
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn summary(out: &mut dyn Write, proposal: &Proposal) -> anyhow::Result<()> {
    match proposal.files.len() {
        0 => writeln!(
            out,
            "no env files found; proposing the usual environments and no secrets"
        )?,
        n => writeln!(out, "found {n} env file{}", if n == 1 { "" } else { "s" })?,
    }
    writeln!(out, "\nenvironments, most protected first:")?;
    let width = proposal
        .environments
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0);
    for env in &proposal.environments {
        let note = match env.class {
            EnvClass::Template => "  (placeholders only)",
            EnvClass::Development => "  (relaxed)",
            _ => "",
        };
        writeln!(
            out,
            "  {:<width$}  {}{note}",
            env.name,
            env.files.join(", ")
        )?;
    }
    if !proposal.secrets.is_empty() {
        writeln!(out, "\nsecrets, by rotation tier:")?;
        for s in &proposal.secrets {
            writeln!(
                out,
                "  every {:>3} days  {:<15} {}",
                s.tier.days(),
                s.profile,
                s.names.join(", ")
            )?;
        }
    }
    Ok(())
}
