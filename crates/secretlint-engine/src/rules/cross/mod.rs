//! Rules that compare values across keys, files and environments.

pub(crate) mod inconsistent_across_files;
pub(crate) mod linked_mismatch;
pub(crate) mod reused_across_environments;
pub(crate) mod reused_across_keys;
