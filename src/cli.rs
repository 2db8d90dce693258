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
    /// Record the current findings (without values) so `check --baseline` fails only on new
    /// ones.
    Baseline(BaselineArgs),
    /// The rotation calendar: every secret with an interval, most urgent first. Exits 1 when
    /// anything is overdue.
    Due(DueArgs),
    /// Rotate one secret now, even when it is compliant; with `--record`, record a rotation
    /// done elsewhere (at a provider, by hand) without touching the value.
    Rotate(RotateArgs),
    /// Replace every value that has a safe fix with a generated compliant one, after an
    /// encrypted backup; record each rotation and audit it.
    Fix(FixArgs),
    /// Put back every file of a backup byte for byte, with its mode and rotation metadata.
    Restore(RestoreArgs),
    /// List the backups written by `fix`, `rotate` and `restore`.
    Backups(BackupsArgs),
    /// Propose a policy from the env files found and write it to `secretlint.toml`.
    ///
    /// Environments come from the file names found (`.env.production`, `.env.staging`, ...),
    /// a secret rule from every secret-looking key, and each secret's rotation interval from
    /// its kind: 30 days for signing keys, salts, passwords and database credentials, 90 for
    /// tokens and API keys, 180 for administrators' passwords. An existing `secretlint.toml` is
    /// never replaced without `--force`.
    Init(InitArgs),
    /// Print a shell completion script for bash, zsh, fish, elvish or PowerShell.
    ///
    /// Install it where your shell looks, for example:
    /// `secretlint completions bash > ~/.local/share/bash-completion/completions/secretlint`,
    /// `secretlint completions zsh > ~/.zfunc/_secretlint` (with `~/.zfunc` in `fpath`), or
    /// `secretlint completions fish > ~/.config/fish/completions/secretlint.fish`.
    Completions(CompletionsArgs),
    /// Start the language server on stdin and stdout (for editors).
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Print what would change, as a diff with every value masked; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Also rotate secrets that are due soon (`expiring-soon`).
    #[arg(long)]
    pub include_expiring: bool,

    /// Only fix files of this environment.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    #[command(flatten)]
    pub backup: BackupArgs,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Encrypt the backup to this age recipient (`age1...`; repeatable, or comma-separated in
    /// `SECRETLINT_BACKUP_RECIPIENTS`). Default: the policy's `[backup] recipients`.
    #[arg(
        long = "recipient",
        value_name = "RECIPIENT",
        env = "SECRETLINT_BACKUP_RECIPIENTS",
        value_delimiter = ','
    )]
    pub recipients: Vec<String>,

    /// With no recipient, write the backup unencrypted (mode 600) instead of refusing to run.
    #[arg(long)]
    pub plaintext_backup: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (see `secretlint backups`). Default: the latest.
    #[arg(value_name = "BACKUP_ID")]
    pub id: Option<String>,

    /// An age identity file that can decrypt the backup (repeatable). Also read from
    /// `SECRETLINT_BACKUP_IDENTITY`.
    #[arg(
        long = "identity",
        short = 'i',
        value_name = "FILE",
        env = "SECRETLINT_BACKUP_IDENTITY"
    )]
    pub identities: Vec<PathBuf>,

    /// Restore even files that changed again after the backup was taken.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The backup of the current state taken before restoring is encrypted like any other.
    #[command(flatten)]
    pub backup: BackupArgs,

    /// The time recorded in the audit log: `2026-11-30` or an RFC 3339 time. Also read from
    /// `SECRETLINT_NOW`.
    #[arg(long, value_name = "DATE", env = "SECRETLINT_NOW")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupsArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository to look at; the policy is written there.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Write the policy without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Replace an existing `secretlint.toml`.
    #[arg(long)]
    pub force: bool,

    /// Print the proposed policy instead of writing it.
    #[arg(long, conflicts_with_all = ["yes", "force"])]
    pub stdout: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to look at.
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
    /// Date secrets that nothing else dates by the last git commit that changed their line.
    #[arg(long)]
    pub age_from_git: bool,
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
    /// The key to rotate, such as `SECRET_KEY`; with `--record`, the key rotated elsewhere,
    /// such as `VAULT_TOKEN`.
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

    /// Print what would change, as a diff with every value masked; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub backup: BackupArgs,
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

    /// Write the report to FILE instead of stdout; a one-line summary still goes to stderr and
    /// the exit code is the same as without it.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Fail only on findings that are not in this baseline (made by `secretlint baseline`);
    /// entries that no longer match are reported so the file can shrink.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Report only this shard's files: `I/N` splits the files into N disjoint sets by a
    /// stable hash of their paths. Every shard still reads all files, so cross-file rules see
    /// everything (docs/ci.md).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<secretlint_engine::Shard>,

    /// Date secrets that nothing else dates by the last git commit that changed their line.
    #[arg(long)]
    pub age_from_git: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Write the baseline to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with masked snippets.
    Human,
    /// One JSON document (schema in docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, GitLab, IDE viewers).
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// JUnit XML, for CI test-report views (GitLab, Jenkins, Azure Pipelines).
    Junit,
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
