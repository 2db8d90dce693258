//! Rules that judge one value against its profile.

pub(crate) mod bad_format;
pub(crate) mod empty_value;
pub(crate) mod low_entropy;
pub(crate) mod missing_required;
pub(crate) mod placeholder;
pub(crate) mod predictable_pattern;
pub(crate) mod too_short;
pub(crate) mod weak_password;
