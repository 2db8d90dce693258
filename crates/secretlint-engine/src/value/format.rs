//! The built-in value formats a profile can require (`format = "base64url"`).

use super::url::{UrlParts, url_parts};

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

    /// Whether the whole of `value` has this format. The empty value has none of them.
    pub fn matches(self, value: &str) -> bool {
        match self {
            Format::Hex => non_empty_all(value, |b| b.is_ascii_hexdigit()),
            Format::Base64 => base64(value, b'+', b'/'),
            Format::Base64Url => base64(value, b'-', b'_'),
            Format::Alphanumeric => non_empty_all(value, |b| b.is_ascii_alphanumeric()),
            Format::Uuid => uuid(value),
            Format::Url => url_parts(value).is_some(),
            Format::PostgresUrl => url_parts(value).is_some_and(|parts| postgres(value, &parts)),
        }
    }
}

fn non_empty_all(value: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !value.is_empty() && value.bytes().all(allowed)
}

/// Base64 with the alphabet's two extra characters `c62` and `c63`. Padded values must be a
/// multiple of 4 long with at most two `=`; unpadded values can be any length an encoder
/// produces, which excludes 1 more than a multiple of 4 (no byte count encodes to that).
fn base64(value: &str, c62: u8, c63: u8) -> bool {
    let body = value.trim_end_matches('=');
    let padding = value.len() - body.len();
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == c62 || b == c63;
    let length_ok = if padding == 0 {
        body.len() % 4 != 1
    } else {
        padding <= 2 && value.len().is_multiple_of(4)
    };
    non_empty_all(body, alphabet) && length_ok
}

/// 8-4-4-4-12 hex digits, any version or variant, either case.
fn uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn postgres(value: &str, parts: &UrlParts) -> bool {
    let scheme = &value[parts.scheme.clone()];
    scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("base32"), None);
    }

    #[test]
    fn format_table() {
        use Format::*;
        let cases: &[(Format, &str, bool)] = &[
            (Hex, "deadbeef0123", true),
            (Hex, "DEADBEEF", true),
            (Hex, "deadbeefg", false),
            (Hex, "", false),
            (Base64, "ZmFrZS1rZXk=", true),
            (Base64, "ZmFrZQ==", true),
            (Base64, "ZmFrZQ", true),
            (Base64, "ab+/Zm9v", true),
            (Base64, "ZmFrZQ=", false),
            (Base64, "ZmFrZ===", false),
            (Base64, "Zm=FrZQ==", false),
            (Base64, "ZmFrZ", false),
            (Base64, "ab-_Zm9v", false),
            (Base64, "====", false),
            (Base64, "", false),
            (Base64Url, "ab-_Zm9v", true),
            (Base64Url, "ZmFrZQ", true),
            (Base64Url, "ZmFrZQ==", true),
            (Base64Url, "ab+/Zm9v", false),
            (Alphanumeric, "abcXYZ123", true),
            (Alphanumeric, "abc-123", false),
            (Alphanumeric, "", false),
            (Uuid, "00000000-0000-4000-8000-000000000000", true),
            (Uuid, "DEADBEEF-0000-1000-A000-0123456789AB", true),
            (Uuid, "00000000000040008000000000000000", false),
            (Uuid, "00000000-0000-4000-8000-00000000000g", false),
            (Url, "https://example.com/path", true),
            (Url, "redis://:fake-pass@cache.internal:6379/0", true),
            (Url, "example.com", false),
            (Url, "https://", false),
            (
                PostgresUrl,
                "postgres://app:fake-pass@db.internal:5432/app",
                true,
            ),
            (PostgresUrl, "postgresql://db.internal/app", true),
            (PostgresUrl, "POSTGRES://db", true),
            (PostgresUrl, "mysql://app:fake-pass@db.internal/app", false),
            (PostgresUrl, "postgres:///app", false),
        ];
        for &(format, value, expected) in cases {
            assert_eq!(format.matches(value), expected, "{} {value}", format.name());
        }
    }
}
