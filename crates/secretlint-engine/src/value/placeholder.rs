//! Placeholder detection: values that stand in for a secret (`changeme`, `xxx`, `<your key>`)
//! rather than being one.
//!
//! Everything here matches the *whole* value. A real random secret may well contain `test` or
//! `fake` somewhere inside it, and that must never make it a placeholder.

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

impl PlaceholderKind {
    /// A phrase for messages ("the value is a placeholder word").
    pub fn describe(self) -> &'static str {
        match self {
            PlaceholderKind::Word => "a placeholder word",
            PlaceholderKind::Filler => "filler characters",
            PlaceholderKind::TemplateMarker => "a template marker",
            PlaceholderKind::PolicyPattern => "one of the policy's placeholder words",
        }
    }
}

/// Words that, alone or combined with [`NOUNS`], make a whole value a placeholder. `fake` is
/// deliberately absent: test fixtures use it in values that must still be judged.
#[rustfmt::skip]
const MARKERS: &[&str] = &[
    "changeme", "changeit", "changethis", "replaceme", "replacethis", "todo", "fixme", "tbd", "tba",
    "placeholder", "example", "sample", "dummy", "secret", "secrets", "password", "passwd", "pass",
    "test", "testing", "default", "none", "null", "nil", "undefined", "empty", "redacted", "notset",
    "unset", "setme", "blank", "foo", "bar", "baz", "foobar", "string", "value", "na",
];

/// Generic words that name what belongs there: `my-api-key`, `example_token`.
#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "my", "your", "the", "super", "top", "api", "app", "key", "keys", "token", "jwt", "auth",
    "access", "private", "client", "db", "database", "here", "goes", "this", "please",
    "with", "real", "actual", "new", "some",
];

/// Beginnings that announce a placeholder when the rest is made of words: `your-*`,
/// `insert-*-here`, `enter-*`, `put-*-here`.
const PREFIXES: &[&str] = &["your", "insert", "enter", "put"];

/// Longest value (after normalization) checked for placeholder words; placeholders are
/// short, and this bounds the work on long values.
const MAX_WORD_LEN: usize = 96;
/// Digits allowed after a word (`changeme1`, `test123`, `secret2024`).
const MAX_DIGIT_SUFFIX: usize = 4;
/// Separators ignored when comparing words.
const SEPARATORS: [char; 4] = ['-', '_', '.', ' '];
/// Characters that fill a value in documentation and masked output.
const FILLERS: [char; 7] = ['x', 'X', '*', '#', '0', '•', '?'];
/// A prefix kept before filler, as in `sk_live_xxxxxxxx`, is at most this long.
const MAX_FILLER_PREFIX: usize = 16;

/// Whether `value` is a placeholder. `extra` are the policy's additional placeholder words
/// (matched case-insensitively, ignoring `-`, `_`, `.` and spaces).
pub fn placeholder(value: &str, extra: &[String]) -> Option<PlaceholderKind> {
    let value = value.trim();
    if value.is_empty() {
        // Emptiness has its own rule.
        return None;
    }
    if template_marker(value) {
        Some(PlaceholderKind::TemplateMarker)
    } else if filler(value) {
        Some(PlaceholderKind::Filler)
    } else if placeholder_words(value) {
        Some(PlaceholderKind::Word)
    } else if extra.iter().any(|word| same_normalized(value, word)) {
        Some(PlaceholderKind::PolicyPattern)
    } else {
        None
    }
}

/// `<your key>`, `{{ .Values.password }}`, `%API_KEY%`. `${VAR}` is a reference to another
/// variable, resolved elsewhere, and deliberately not matched.
fn template_marker(value: &str) -> bool {
    if let Some(inner) = value.strip_prefix("{{").and_then(|v| v.strip_suffix("}}")) {
        let inner = inner.trim();
        return !inner.is_empty() && inner.chars().all(is_template_expression_char);
    }
    if let Some(inner) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        return wordy_phrase(inner, |c| matches!(c, ' ' | '-' | '_' | '.' | ':' | '/'));
    }
    if let Some(inner) = value.strip_prefix('%').and_then(|v| v.strip_suffix('%')) {
        return inner.len() >= 2
            && inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && wordy_phrase(inner, |c| c == '_');
    }
    false
}

/// What Go, Helm, Jinja and Handlebars templates put between braces.
fn is_template_expression_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '.' | '_' | '-' | '|' | '"' | '\'' | '(' | ')' | ':' | '/' | '$'
        )
}

/// `xxx`, `***`, `...`, `000000`, `xxxx-xxxx-xxxx`, `sk_live_xxxxxxxx`.
fn filler(value: &str) -> bool {
    let Some(last) = value.chars().last() else {
        return false;
    };
    if matches!(last, '.' | '-' | '_') {
        // Separator-only filler: `...`, `---`.
        return value.chars().count() >= 3 && value.chars().all(|c| c == last);
    }
    if !FILLERS.contains(&last) {
        return false;
    }
    let fill = last.to_ascii_lowercase();
    // The trailing stretch made of the fill character and separators.
    let mut start = value.len();
    let mut fills = 0;
    for (i, c) in value.char_indices().rev() {
        if c.to_ascii_lowercase() == fill {
            fills += 1;
        } else if !is_filler_separator(c) {
            break;
        }
        start = i;
    }
    let (prefix, stretch) = value.split_at(start);
    if prefix.is_empty() {
        return fills >= 3;
    }
    // A kept prefix must be short and end where the filler begins at a separator, so random
    // values that merely end in a few `x` never qualify.
    fills >= 4
        && prefix.len() <= MAX_FILLER_PREFIX
        && stretch.starts_with(is_filler_separator)
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || is_filler_separator(c))
}

fn is_filler_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | ' ' | ':' | '/')
}

/// `changeme`, `Change_Me`, `test123`, `my-api-key`, `your-api-key-here`, `INSERT_KEY_HERE`.
fn placeholder_words(value: &str) -> bool {
    let mut buf = [0u8; MAX_WORD_LEN];
    let Some(normalized) = normalize_into(value, &mut buf) else {
        return false;
    };
    if segments_into_words(normalized) {
        return true;
    }
    // Several typed words (`your-jwt-secret`, `INSERT_KEY_HERE`); these checks only run when
    // a prefix or `here` is already there, which random values almost never have.
    let is_separator = |c: char| SEPARATORS.contains(&c);
    let multi_word = || value.contains(SEPARATORS) && wordy_phrase(value, is_separator);
    for prefix in PREFIXES {
        let Some(rest) = normalized.strip_prefix(prefix.as_bytes()) else {
            continue;
        };
        // `yourkey` splits into words; `your-jwt-secret` starts with the whole word `your`
        // (and `putty-x` does not start with `put`).
        let whole_word = || {
            let first = value.split(is_separator).find(|s| !s.is_empty());
            first.is_some_and(|s| s.eq_ignore_ascii_case(prefix))
        };
        if !rest.is_empty() && (segments_into_words(rest) || (whole_word() && multi_word())) {
            return true;
        }
    }
    normalized.ends_with(b"here")
        && value
            .rsplit(is_separator)
            .find(|s| !s.is_empty())
            .is_some_and(|s| s.eq_ignore_ascii_case("here"))
        && multi_word()
}

/// Lowercases `value` into `buf` without separators and light punctuation; `None` when it is
/// too long or holds anything else but ASCII letters and digits (no placeholder word does).
fn normalize_into<'b>(value: &str, buf: &'b mut [u8; MAX_WORD_LEN]) -> Option<&'b [u8]> {
    let mut len = 0;
    // Bytes suffice: any non-ASCII byte is rejected, and separators are ASCII.
    for b in value.bytes() {
        match b {
            // Separators and the punctuation people put around placeholder words: `N/A`,
            // `(none)`, `TODO: set me`, `changeme!`.
            b'-' | b'_' | b'.' | b' ' | b'/' | b':' | b'!' | b'?' | b',' | b'(' | b')' => continue,
            _ if !b.is_ascii_alphanumeric() || len == MAX_WORD_LEN => return None,
            _ => {
                buf[len] = b.to_ascii_lowercase();
                len += 1;
            }
        }
    }
    Some(&buf[..len])
}

/// Whether `text` splits entirely into [`MARKERS`] and [`NOUNS`], each optionally followed by
/// a few digits. Dynamic programming over reachable positions: random text rarely gets past
/// its first few characters, so this is cheap exactly when it fails.
fn segments_into_words(text: &[u8]) -> bool {
    let mut reachable = [false; MAX_WORD_LEN + 1];
    reachable[0] = !text.is_empty();
    for start in 0..text.len() {
        if !reachable[start] {
            continue;
        }
        let first = text[start];
        for word in MARKERS.iter().chain(NOUNS).map(|w| w.as_bytes()) {
            // The first-byte test skips the comparison call for almost every word.
            if word.first() == Some(&first) && text[start..].starts_with(word) {
                let end = start + word.len();
                reachable[end] = true;
                let digits = text[end..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                for extra in 1..=digits.min(MAX_DIGIT_SUFFIX) {
                    reachable[end + extra] = true;
                }
            }
        }
    }
    reachable[text.len()]
}

/// Whether every separator-delimited segment of `phrase` looks like a word someone typed:
/// lowercase, UPPERCASE or Capitalized/camelCase letters with optional trailing digits, or
/// just digits. Random strings fail this on their first mixed-case or mid-digit segment.
fn wordy_phrase(phrase: &str, is_separator: impl Fn(char) -> bool) -> bool {
    let mut any = false;
    for segment in phrase.split(is_separator).filter(|s| !s.is_empty()) {
        if !wordy(segment) {
            return false;
        }
        any = true;
    }
    any
}

fn wordy(segment: &str) -> bool {
    let letters = segment.trim_end_matches(|c: char| c.is_ascii_digit());
    if letters.is_empty() {
        return segment.len() <= MAX_DIGIT_SUFFIX;
    }
    if !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let all_lower = letters.bytes().all(|b| b.is_ascii_lowercase());
    let all_upper = letters.bytes().all(|b| b.is_ascii_uppercase());
    all_lower || all_upper || camel_case(letters.as_bytes())
}

/// `[A-Z]?[a-z]+([A-Z][a-z]+)*`: every capital starts a lowercase run.
fn camel_case(letters: &[u8]) -> bool {
    letters.iter().enumerate().all(|(i, b)| {
        !b.is_ascii_uppercase() || letters.get(i + 1).is_some_and(u8::is_ascii_lowercase)
    })
}

/// Compares two strings lowercased with separators removed, without allocating.
fn same_normalized(a: &str, b: &str) -> bool {
    normalized_chars(a).eq(normalized_chars(b))
}

fn normalized_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !SEPARATORS.contains(c))
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::testutil::random_secrets;

    fn kind(value: &str) -> Option<PlaceholderKind> {
        placeholder(value, &[])
    }

    #[test]
    fn placeholder_words_match() {
        for value in [
            "changeme",
            "change-me",
            "CHANGE_ME",
            "changeit",
            "replaceme",
            "replace_me",
            "todo",
            "TODO",
            "fixme",
            "tbd",
            "placeholder",
            "example",
            "sample",
            "dummy",
            "secret",
            "password",
            "pass",
            "test",
            "default",
            "none",
            "null",
            "nil",
            "undefined",
            "empty",
            "changeme123",
            "test1",
            "my-api-key",
            "example_token",
            "dummy-password",
            "your-api-key-here",
            "your_api_key",
            "YOUR_API_KEY_HERE",
            "yourkey",
            "your-super-secret-jwt-token-with-at-least-32-characters-long",
            "insert-key-here",
            "INSERT_YOUR_TOKEN_HERE",
            "enter-your-password",
            "enter_token",
            "secret-goes-here",
            "Change Me",
            "N/A",
            "(none)",
            "TODO: set me",
            "changeme!",
        ] {
            assert_eq!(kind(value), Some(PlaceholderKind::Word), "{value}");
        }
    }

    #[test]
    fn fillers_match() {
        for value in [
            "xxx",
            "xxxxxxxx",
            "XXXXXXXXXXXXXXXX",
            "***",
            "********",
            "...",
            "---",
            "000000",
            "xxxx-xxxx-xxxx-xxxx",
            "sk_live_xxxxxxxxxxxx",
            "AKIA-XXXXXXXX",
            "••••••••",
            "####",
        ] {
            assert_eq!(kind(value), Some(PlaceholderKind::Filler), "{value}");
        }
    }

    #[test]
    fn template_markers_match() {
        for value in [
            "<secret>",
            "<your key>",
            "<API_KEY>",
            "<base64-encoded 32 bytes>",
            "{{ KEY }}",
            "{{ .Values.db.password | b64enc }}",
            "{{secret}}",
            "%KEY%",
            "%API_KEY%",
        ] {
            assert_eq!(
                kind(value),
                Some(PlaceholderKind::TemplateMarker),
                "{value}"
            );
        }
    }

    #[test]
    fn real_looking_values_are_not_placeholders() {
        for value in [
            "${DATABASE_PASSWORD}",
            "${{ secrets.TOKEN }}",
            "dev-secret",
            "fake-9fQ2xLr7TzWk4NvB8sHd",
            "test9fQ2xLr7TzWk4NvB8sHdPq",
            "9fQ2xLr7TzWk4NvB8sHdtest",
            "x",
            "xx",
            "0",
            "100000",
            "fake",
            "Yourself2024",
            "entertainment",
            "<a8#Kd!x>",
            "%a8#K%",
            "abcxxxx",
            "aaaa",
            "mymymy9fQ2xLr7TzWk",
            "correct-horse-battery-staple",
            "putty-x",
            "the-sphere",
            "Yourself-Now",
            "",
            "   ",
        ] {
            assert_eq!(kind(value), None, "{value}");
        }
    }

    #[test]
    fn policy_words_match_whole_normalized_values() {
        let extra = vec!["acme-dev-key".to_owned(), "Not Configured".to_owned()];
        assert_eq!(
            placeholder("ACME_DEV_KEY", &extra),
            Some(PlaceholderKind::PolicyPattern)
        );
        assert_eq!(
            placeholder("not_configured", &extra),
            Some(PlaceholderKind::PolicyPattern)
        );
        assert_eq!(placeholder("acme-dev-key-2", &extra), None);
        assert_eq!(placeholder("prefix-not-configured", &extra), None);
    }

    #[test]
    fn ten_thousand_random_secrets_are_never_placeholders() {
        for value in random_secrets(0x9e37_79b9, 10_000) {
            assert_eq!(kind(&value), None, "{value}");
        }
    }

    #[test]
    fn descriptions_are_fixed_phrases() {
        assert_eq!(PlaceholderKind::Filler.describe(), "filler characters");
        assert_eq!(PlaceholderKind::Word.describe(), "a placeholder word");
    }
}
