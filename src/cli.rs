//! The command line: every subcommand and flag, with the help text users see.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A policy-as-code linter and rotator for application secrets.
///
/// secretlint checks every .env file and deployment manifest against a TOML policy saying which
/// secrets are required in which environment, how long and random they must be, which may
/// never be shared, and how often each must be rotated. Values are never printed.
#[derive(Debug, Parser)]
#[command(name = "secretlint", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check env files against the policy and report findings.
    Check(CheckArgs),
    /// Print the documentation of a rule, or list every rule.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The policy file. Default: `secretlint.toml` in the working directory or the nearest
    /// parent; without one, the built-in recommended policy.
    #[arg(long, value_name = "FILE", global = true)]
    pub policy: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to check. Directories are walked for the files the policy's
    /// environments name; a file named here is always checked.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colors in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Also fail (exit 1) on warnings.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,

    /// Leave out paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,

    /// The date to check ages against: `2026-11-30` or an RFC 3339 time. Also read from
    /// `SECRETLINT_NOW`.
    #[arg(long, value_name = "DATE", env = "SECRETLINT_NOW")]
    pub now: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with masked snippets.
    Human,
    /// One JSON document (schema in docs/json-output.md).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Exit 1 on warnings as well as errors.
    Warnings,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, such as `too-short`. Without one, every rule is listed.
    pub rule: Option<String>,
}
