//! Rules about a secret's age: when it was last rotated and when it is due.

pub(crate) mod expiring_soon;
pub(crate) mod previous_expired;
pub(crate) mod stale;
pub(crate) mod stale_metadata;
pub(crate) mod unknown_age;
