//! Documents: the file formats secretlint reads, each with byte spans for every key and value.

pub mod env;
