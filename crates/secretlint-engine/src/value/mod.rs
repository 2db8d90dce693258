//! What can be said about one value without knowing its key: length and character classes, an
//! entropy estimate, placeholders, predictable patterns, formats, connection-URL parts,
//! encrypted-in-place markers, and the zxcvbn strength score.
//!
//! Every description these functions return is safe to show: none quotes the value or a part
//! of it.

use std::ops::Range;

/// Which kinds of characters a value uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CharClasses {
    pub lower: bool,
    pub upper: bool,
    pub digit: bool,
    /// Printable ASCII punctuation and symbols.
    pub symbol: bool,
    /// Anything else (non-ASCII, whitespace, control).
    pub other: bool,
}

pub fn char_classes(value: &str) -> CharClasses {
    let _ = value;
    CharClasses::default()
}

/// Estimated entropy of the value in bits: characters × min(log2(pool of the character classes
/// used), Shannon entropy per character with the Miller–Madow correction).
pub fn entropy_bits(value: &str) -> f64 {
    let _ = value;
    0.0
}

/// Why a value looks like a placeholder rather than a real secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// `changeme`, `todo`, `your-api-key-here`, `replace_me`, `dummy`, `example`, ...
    Word,
    /// `xxx`, `***`, `...`, `000000`: one character repeated as filler.
    Filler,
    /// `<your key>`, `{{ KEY }}`, `%KEY%`: a template marker.
    TemplateMarker,
    /// One of the profile's own placeholder patterns.
    PolicyPattern,
}

/// Whether `value` is a placeholder. `extra` are the policy's additional placeholder words
/// (matched case-insensitively, ignoring `-`, `_` and spaces).
pub fn placeholder(value: &str, extra: &[String]) -> Option<PlaceholderKind> {
    let _ = (value, extra);
    None
}

/// A predictable pattern found in a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// `abcdef`, `123456`, `987654`.
    Sequence,
    /// `aaaaaa`, `abcabcabc`.
    Repeat,
    /// `qwerty`, `asdfgh`, `1qaz2wsx`.
    KeyboardWalk,
    /// `2024-01-01`, `20240101`.
    Date,
    /// A common word followed or preceded by digits or a year: `password123`, `admin2024`.
    WordWithDigits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternMatch {
    pub kind: PatternKind,
    /// How many characters of the value the pattern covers.
    pub covered: usize,
}

/// The most telling predictable pattern in `value`, if one covers enough of it to matter.
pub fn predictable_pattern(value: &str) -> Option<PatternMatch> {
    let _ = value;
    None
}

/// A built-in value format a profile can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Hex,
    Base64,
    Base64Url,
    Alphanumeric,
    Uuid,
    Url,
    PostgresUrl,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Hex,
        Format::Base64,
        Format::Base64Url,
        Format::Alphanumeric,
        Format::Uuid,
        Format::Url,
        Format::PostgresUrl,
    ];

    /// The name used in policies: `hex`, `base64`, `base64url`, `alphanumeric`, `uuid`, `url`,
    /// `postgres-url`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Hex => "hex",
            Format::Base64 => "base64",
            Format::Base64Url => "base64url",
            Format::Alphanumeric => "alphanumeric",
            Format::Uuid => "uuid",
            Format::Url => "url",
            Format::PostgresUrl => "postgres-url",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn matches(self, value: &str) -> bool {
        let _ = value;
        true
    }
}

/// The parts of a connection URL (`scheme://user:password@host:port/path?query`), as byte
/// ranges into the value as written (percent-encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: Range<usize>,
    pub username: Option<Range<usize>>,
    pub password: Option<Range<usize>>,
    pub host: Range<usize>,
}

/// Splits a connection URL into parts; `None` when it is not `scheme://authority...`.
pub fn url_parts(value: &str) -> Option<UrlParts> {
    let _ = value;
    None
}

/// Percent-decodes a URL component (a password inside `DATABASE_URL`), lossily for invalid UTF-8.
pub fn percent_decode(component: &str) -> String {
    component.to_owned()
}

/// Percent-encodes a generated password for use inside a URL's userinfo.
pub fn percent_encode_userinfo(component: &str) -> String {
    component.to_owned()
}

/// A value encrypted in place, which must not be judged as if it were plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encrypted {
    /// SOPS: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`.
    Sops,
    /// dotenvx: `encrypted:BASE64...`.
    Dotenvx,
}

pub fn encrypted(value: &str) -> Option<Encrypted> {
    let _ = value;
    None
}

/// zxcvbn's score (0–4) for `value`, with `user_inputs` (the key name, the file name) as
/// context words.
pub fn zxcvbn_score(value: &str, user_inputs: &[&str]) -> u8 {
    let _ = (value, user_inputs);
    4
}

/// Whether a key name looks like it holds a secret: `*_SECRET`, `*_KEY`, `*_TOKEN`,
/// `*_PASSWORD`, `*_PASSWD`, `*_PWD`, `DATABASE_URL`, `*_DSN`, `*_CREDENTIALS`, `*_PRIVATE_KEY`,
/// ... but not `*_KEY_ID`, `*_PUBLIC_KEY`, `*_TOKEN_URL`, `*_PASSWORD_MIN_LENGTH` and the like.
pub fn secret_like_name(key: &str) -> bool {
    let _ = key;
    false
}

// Temporary descriptions until the value-analysis branch lands.
impl CharClasses {
    pub fn describe(&self) -> String {
        String::from("characters")
    }
}
impl PlaceholderKind {
    pub fn describe(self) -> &'static str {
        "a placeholder"
    }
}
impl PatternKind {
    pub fn describe(self) -> &'static str {
        "a pattern"
    }
}
