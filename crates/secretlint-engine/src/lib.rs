//! The secretlint engine: documents with byte spans, the policy language, rules, findings and
//! fixes as data. It takes text and returns data: it never prints, exits, parses flags or
//! starts an async runtime, and given the same inputs and clock it returns the same answer.

pub mod age;
pub mod audit;
pub mod backup;
pub mod baseline;
pub mod check;
pub mod discover;
pub mod document;
pub mod finding;
pub mod fix;
pub mod generate;
pub mod lock;
pub mod mask;
pub mod policy;
pub mod propose;
pub mod rules;
pub mod secret;
pub mod shard;
pub mod span;
pub mod store;
pub mod value;
pub mod workspace;

pub use check::{
    AnalysisCache, CheckOptions, LedgerInput, Report, check, check_sources, check_with_cache,
};
pub use finding::{Applicability, Finding, Fix, FixAction, Related, Severity};
pub use policy::{Policy, PolicyError, PolicyOrigin};
pub use rules::Rule;
pub use secret::SecretString;
pub use shard::Shard;
pub use span::{LineIndex, Span};
pub use workspace::{Content, Input, SourceFile};
