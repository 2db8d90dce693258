//! Rules about a file as a whole: syntax, duplicates, permissions, coverage, readability.

pub(crate) mod duplicate_key;
pub(crate) mod insecure_permissions;
pub(crate) mod invalid_suppression;
pub(crate) mod syntax_error;
pub(crate) mod undeclared_secret;
pub(crate) mod unreadable_input;
pub(crate) mod unused_suppression;
