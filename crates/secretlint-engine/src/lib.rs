//! The secretlint engine: documents with byte spans, the policy language, rules, findings and
//! fixes as data. It takes text and returns data: it never prints, exits, parses flags or
//! starts an async runtime, and given the same inputs and clock it returns the same answer.

pub mod document;
pub mod secret;
pub mod span;
pub mod value;

pub use secret::SecretString;
pub use span::{LineIndex, Span};
