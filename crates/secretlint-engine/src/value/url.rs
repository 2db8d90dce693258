//! Connection URLs: where the scheme, username, password and host are inside a value, and
//! percent-coding for the userinfo part.

use std::ops::Range;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// The parts of a connection URL (`scheme://user:password@host:port/path?query`), as byte
/// ranges into the value as written (percent-encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: Range<usize>,
    /// Present whenever the URL has a userinfo (`...@`), possibly empty (`redis://:pw@host`).
    pub username: Option<Range<usize>>,
    /// Present whenever the userinfo has a `:`, possibly empty (`user:@host`).
    pub password: Option<Range<usize>>,
    pub host: Range<usize>,
}

/// Splits a connection URL into parts; `None` when it is not `scheme://authority...`.
///
/// The authority normally ends at the first `/`, `?` or `#`, and the userinfo at its last `@`,
/// so passwords may contain unencoded `@`. Generated passwords can also contain unencoded
/// `/`, `?` or `#`; when the normal reading leaves no `@` and a port that is not a number
/// (`user:pa/ss@host`), the authority is extended to the first `@` after it and read again.
pub fn url_parts(value: &str) -> Option<UrlParts> {
    let scheme_end = value.find("://")?;
    if !valid_scheme(&value[..scheme_end]) {
        return None;
    }
    let start = scheme_end + 3;
    let authority = authority_range(value, start)?;
    let (userinfo, host_port) = match value[authority.clone()].rfind('@') {
        Some(at) => (
            Some(authority.start..authority.start + at),
            authority.start + at + 1,
        ),
        None => (None, authority.start),
    };
    let host = host_range(value, host_port..authority.end)?;
    let (username, password) = match userinfo {
        Some(info) => match value[info.clone()].find(':') {
            Some(colon) => (
                Some(info.start..info.start + colon),
                Some(info.start + colon + 1..info.end),
            ),
            None => (Some(info), None),
        },
        None => (None, None),
    };
    Some(UrlParts {
        scheme: 0..scheme_end,
        username,
        password,
        host,
    })
}

/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, RFC 3986 section 3.1.
fn valid_scheme(scheme: &str) -> bool {
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn authority_range(value: &str, start: usize) -> Option<Range<usize>> {
    let end_after = |from: usize| {
        value[from..]
            .find(['/', '?', '#'])
            .map_or(value.len(), |i| from + i)
    };
    let end = end_after(start);
    let authority = &value[start..end];
    if authority
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return None;
    }
    if authority.contains('@') || port_ok(authority) {
        return Some(start..end);
    }
    // `user:pa/ss@host`: the `/` was part of the password.
    let at = end + value[end..].find('@')?;
    let extended_end = end_after(at);
    let extended = &value[start..extended_end];
    let no_space = !extended
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control());
    no_space.then_some(start..extended_end)
}

/// Whether what follows the host (after the last `:`) is empty or a port number. IPv6 hosts
/// are bracketed, so their colons never count.
fn port_ok(authority: &str) -> bool {
    let after_host = authority
        .rfind(']')
        .map_or(authority, |i| &authority[i + 1..]);
    match after_host.split_once(':') {
        None => true,
        Some((_, port)) => valid_port(port),
    }
}

/// Digits, possibly followed by more `,host:port` entries (libpq multi-host URLs).
fn valid_port(port: &str) -> bool {
    let digits = port.bytes().take_while(u8::is_ascii_digit).count();
    digits == port.len() || (digits > 0 && port[digits..].starts_with(','))
}

/// The host inside `host[:port]`; `None` when it is empty or the port is not a number.
fn host_range(value: &str, host_port: Range<usize>) -> Option<Range<usize>> {
    let text = &value[host_port.clone()];
    let host_len = if text.starts_with('[') {
        let close = text.find(']')?;
        let rest = &text[close + 1..];
        if !(rest.is_empty() || rest.strip_prefix(':').is_some_and(valid_port)) {
            return None;
        }
        close + 1
    } else {
        match text.split_once(':') {
            Some((host, port)) if valid_port(port) => host.len(),
            Some(_) => return None,
            None => text.len(),
        }
    };
    let host = host_port.start..host_port.start + host_len;
    let valid = host_len > 0 && !value[host.clone()].contains(['@', '\\']);
    valid.then_some(host)
}

/// Percent-decodes a URL component (a password inside `DATABASE_URL`), lossily for invalid UTF-8.
pub fn percent_decode(component: &str) -> String {
    percent_decode_str(component)
        .decode_utf8_lossy()
        .into_owned()
}

/// Everything but RFC 3986's unreserved characters (ALPHA / DIGIT / `-` / `.` / `_` / `~`).
/// Stricter than the userinfo grammar requires, so the result is safe in any URL parser.
const USERINFO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a generated password for use inside a URL's userinfo.
pub fn percent_encode_userinfo(component: &str) -> String {
    utf8_percent_encode(component, USERINFO).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each part, for readable assertions.
    fn parts(value: &str) -> Option<(&str, Option<&str>, Option<&str>, &str)> {
        let p = url_parts(value)?;
        Some((
            &value[p.scheme],
            p.username.map(|r| &value[r]),
            p.password.map(|r| &value[r]),
            &value[p.host],
        ))
    }

    #[test]
    fn full_connection_url() {
        assert_eq!(
            parts("postgres://app:fake-pass@db.internal:5432/app?sslmode=require"),
            Some(("postgres", Some("app"), Some("fake-pass"), "db.internal"))
        );
    }

    #[test]
    fn optional_parts() {
        assert_eq!(
            parts("https://example.com"),
            Some(("https", None, None, "example.com"))
        );
        assert_eq!(
            parts("redis://cache:6379/0"),
            Some(("redis", None, None, "cache"))
        );
        assert_eq!(
            parts("redis://:fake-pass@cache:6379"),
            Some(("redis", Some(""), Some("fake-pass"), "cache"))
        );
        assert_eq!(
            parts("amqp://guest@mq"),
            Some(("amqp", Some("guest"), None, "mq"))
        );
        assert_eq!(
            parts("amqp://guest:@mq"),
            Some(("amqp", Some("guest"), Some(""), "mq"))
        );
    }

    #[test]
    fn password_may_contain_at_and_colon() {
        assert_eq!(
            parts("postgres://app:f@ke:p@ss@db:5432/app"),
            Some(("postgres", Some("app"), Some("f@ke:p@ss"), "db"))
        );
    }

    #[test]
    fn password_may_contain_slash_or_hash() {
        assert_eq!(
            parts("postgres://app:fa/ke#pa?ss@db:5432/app"),
            Some(("postgres", Some("app"), Some("fa/ke#pa?ss"), "db"))
        );
    }

    #[test]
    fn at_in_path_or_query_is_not_userinfo() {
        assert_eq!(
            parts("https://example.com:8443/users/@me?mail=a@b"),
            Some(("https", None, None, "example.com"))
        );
    }

    #[test]
    fn ipv6_and_multi_host() {
        assert_eq!(
            parts("postgresql://app:fake-pass@[::1]:5432/app"),
            Some(("postgresql", Some("app"), Some("fake-pass"), "[::1]"))
        );
        assert_eq!(
            parts("postgresql://app:fake-pass@db1:5432,db2:5433/app"),
            Some(("postgresql", Some("app"), Some("fake-pass"), "db1"))
        );
    }

    #[test]
    fn not_urls() {
        for value in [
            "",
            "fake-value",
            "example.com/path",
            "://host",
            "1http://host",
            "postgres:///app",
            "postgres://app:fake@/app",
            "https://exa mple.com",
            "mailto:someone@example.com",
            "https://host:port",
        ] {
            assert_eq!(url_parts(value), None, "{value}");
        }
    }

    #[test]
    fn ranges_are_byte_offsets() {
        let value = "postgres://ü:fäke@höst/db";
        let p = url_parts(value);
        assert_eq!(
            p,
            Some(UrlParts {
                scheme: 0..8,
                username: Some(11..13),
                password: Some(14..19),
                host: 20..25,
            })
        );
    }

    #[test]
    fn percent_coding_round_trips() {
        let password = "fa:ke/p@ss w%rd~-._é";
        let encoded = percent_encode_userinfo(password);
        assert_eq!(encoded, "fa%3Ake%2Fp%40ss%20w%25rd~-._%C3%A9");
        assert_eq!(percent_decode(&encoded), password);
    }

    #[test]
    fn percent_decode_is_lossy_on_bad_utf8() {
        assert_eq!(percent_decode("fake%FFpass"), "fake\u{fffd}pass");
        assert_eq!(percent_decode("plain+text%"), "plain+text%");
    }
}
