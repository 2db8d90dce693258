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
    /// The rotation calendar: every secret with an interval, most urgent first. Exits 1 when
    /// anything is overdue.
    Due(DueArgs),
    /// Record a rotation done elsewhere (at a provider, by hand) without touching the value.
    Rotate(RotateArgs),
    /// Start the language server on stdin and stdout (for editors).
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to look at (default: the current directory).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Leave out paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// The date to measure ages at: `2026-11-30` or an RFC 3339 time. Also read from
    /// `SECRETLINT_NOW`.
    #[arg(long, value_name = "DATE", env = "SECRETLINT_NOW")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Only list secrets due within this long (`14d`, `2w`), plus overdue and unknown ones.
    #[arg(long, value_name = "DURATION")]
    pub within: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DueFormat::Table)]
    pub format: DueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The key that was rotated, such as `VAULT_TOKEN`.
    #[arg(value_name = "KEY")]
    pub key: String,

    /// Record that the secret was rotated elsewhere; its value is not touched.
    #[arg(long)]
    pub record: bool,

    /// Only the files of this environment.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    #[command(flatten)]
    pub scan: ScanArgs,
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

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for clients that pass it (vscode-languageclient does); stdio is the only
    /// transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}
