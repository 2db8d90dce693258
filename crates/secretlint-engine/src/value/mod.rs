//! What can be said about one value without knowing its key: length and character classes, an
//! entropy estimate, placeholders, predictable patterns, formats, connection-URL parts,
//! encrypted-in-place markers, and the zxcvbn strength score.
//!
//! Every description these functions return is safe to show: none quotes the value or a part
//! of it. They run on every value of large repositories, so they avoid per-call allocation
//! where they can and compile their regexes once.

mod encrypted;
mod entropy;
mod format;
mod name;
mod pattern;
mod placeholder;
mod strength;
mod url;

#[cfg(test)]
mod testutil;

pub use encrypted::{Encrypted, encrypted};
pub use entropy::{CharClasses, char_classes, entropy_bits};
pub use format::Format;
pub use name::secret_like_name;
pub use pattern::{PatternKind, PatternMatch, predictable_pattern};
pub use placeholder::{PlaceholderKind, placeholder};
pub use strength::{beyond_guessing, zxcvbn_score};
pub use url::{UrlParts, percent_decode, percent_encode_userinfo, url_parts};
