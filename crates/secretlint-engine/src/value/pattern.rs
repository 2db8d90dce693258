//! Predictable-pattern detection: sequences, repeats, keyboard walks, dates and common words
//! with digits, and how much of a value they cover.
//!
//! Each detector marks the bytes it explains in a bitset; the value is predictable when the
//! union of all marks covers at least half of its characters (see [`predictable_pattern`]).
//! Every detector only marks ASCII bytes, so marked bytes and marked characters agree.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

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
    /// A common word or password, alone or with digits and symbols around it, or any word
    /// followed by a number: `password123`, `admin2024!`, `letmein`, `Companyname2024`.
    WordWithDigits,
}

impl PatternKind {
    /// A phrase for messages ("the value is mostly a keyboard walk").
    pub fn describe(self) -> &'static str {
        match self {
            PatternKind::Sequence => "a character sequence",
            PatternKind::Repeat => "a repeated pattern",
            PatternKind::KeyboardWalk => "a keyboard walk",
            PatternKind::Date => "a date",
            PatternKind::WordWithDigits => "a common word with digits or symbols",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternMatch {
    pub kind: PatternKind,
    /// How many characters of the value the pattern covers.
    pub covered: usize,
}

/// Shortest run that counts as a sequence, keyboard walk or repeat.
const MIN_RUN: usize = 4;
/// Values longer than this (in bytes) are only checked for whole-value repetition: sequences,
/// walks and dates end within about 40 characters, so on a longer value only a repeat can
/// cover half of it. It also keeps the bitsets small.
const MAX_ANALYZED: usize = 256;
/// Longest repeated unit looked for inside a value (`abcdabcd` has a unit of 4).
const MAX_PARTIAL_PERIOD: usize = 8;
/// Longest unit for a whole-value repeat; bounds the work on long values.
const MAX_WHOLE_PERIOD: usize = 512;

/// The most telling predictable pattern in `value`, if one covers enough of it to matter.
///
/// Threshold: the patterns found together must cover at least half of the value's characters
/// (and at least [`MIN_RUN`]). Half is where what is left over (at most n/2 random characters
/// next to an n/2-character guessable part) stops justifying the length the value appears to
/// have. A random 24-character value would need 12 characters of patterns, each at least 4
/// long, which does not happen by chance. The reported kind is the one that covers the most
/// characters on its own (ties go to repeat, sequence, keyboard walk, date, word, in that
/// order), and `covered` is what that kind alone covers.
pub fn predictable_pattern(value: &str) -> Option<PatternMatch> {
    let chars = value.chars().count();
    if chars < MIN_RUN {
        return None;
    }
    let bytes = value.as_bytes();
    if whole_value_repeats(bytes) {
        return Some(PatternMatch {
            kind: PatternKind::Repeat,
            covered: chars,
        });
    }
    if bytes.len() > MAX_ANALYZED {
        return None;
    }
    let (sequences, walks) = step_runs(bytes);
    let found = [
        (PatternKind::Repeat, repeats(bytes)),
        (PatternKind::Sequence, sequences),
        (PatternKind::KeyboardWalk, walks),
        (PatternKind::Date, dates(bytes)),
        (PatternKind::WordWithDigits, common_words(value)),
    ];
    let covered = found
        .iter()
        .fold(Coverage::default(), |all, (_, c)| all.union(c))
        .count();
    if covered < MIN_RUN || covered * 2 < chars {
        return None;
    }
    let (kind, best) = found
        .iter()
        .map(|(kind, coverage)| (*kind, coverage.count()))
        .fold((PatternKind::Repeat, 0), |best, next| {
            if next.1 > best.1 { next } else { best }
        });
    Some(PatternMatch {
        kind,
        covered: best,
    })
}

/// Which byte positions (all below [`MAX_ANALYZED`]) a detector explains.
#[derive(Debug, Clone, Copy, Default)]
struct Coverage([u64; MAX_ANALYZED / 64]);

impl Coverage {
    fn mark(&mut self, range: Range<usize>) {
        for i in range.start..range.end.min(MAX_ANALYZED) {
            self.0[i / 64] |= 1 << (i % 64);
        }
    }

    fn count(&self) -> usize {
        self.0.iter().map(|word| word.count_ones() as usize).sum()
    }

    fn union(mut self, other: &Coverage) -> Coverage {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine |= theirs;
        }
        self
    }
}

/// The whole value is a shorter unit written at least twice (`abcabc`, `secretsecret`,
/// `abcabcab`). The unit's length is always a character boundary: a UTF-8 value equal to
/// itself shifted by p bytes has a lead byte at p.
fn whole_value_repeats(bytes: &[u8]) -> bool {
    let n = bytes.len();
    (1..=(n / 2).min(MAX_WHOLE_PERIOD))
        .any(|p| bytes[p] == bytes[0] && bytes[p..] == bytes[..n - p])
}

/// Runs inside the value with a short period: `aaaa`, `ababab`, `xyzxyzxyz`.
fn repeats(bytes: &[u8]) -> Coverage {
    let mut coverage = Coverage::default();
    for period in candidate_periods(bytes) {
        let same = |i: usize| bytes[i].is_ascii() && bytes[i] == bytes[i + period];
        let mut i = 0;
        while i + period < bytes.len() {
            if !same(i) {
                i += 1;
                continue;
            }
            let start = i;
            while i + period < bytes.len() && same(i) {
                i += 1;
            }
            // At least MIN_RUN characters and three whole units: two units (`e7e7`) turn up
            // by chance in short hex values; a whole value of two units is caught above.
            let len = i - start + period;
            if len >= MIN_RUN.max(3 * period) {
                coverage.mark(start..start + len);
            }
        }
    }
    coverage
}

/// Periods worth scanning. Every qualifying run (four characters for a unit of one, three
/// units otherwise) has two consecutive positions equal to the ones a period later, so some
/// pair of bytes recurs exactly one period on. Comparing pairs as `u16`s with a
/// non-short-circuiting fold lets this vectorize; random values usually have no candidate.
fn candidate_periods(bytes: &[u8]) -> impl Iterator<Item = usize> {
    let mut pairs = [0u16; MAX_ANALYZED];
    for (pair, w) in pairs.iter_mut().zip(bytes.windows(2)) {
        *pair = u16::from_le_bytes([w[0], w[1]]);
    }
    let pairs = &pairs[..bytes.len().saturating_sub(1)];
    let mut periods = [false; MAX_PARTIAL_PERIOD + 1];
    for (period, found) in periods.iter_mut().enumerate().skip(1) {
        if let Some(later) = pairs.get(period..) {
            *found = pairs
                .iter()
                .zip(later)
                .fold(false, |any, (a, b)| any | (a == b));
        }
    }
    (1..=MAX_PARTIAL_PERIOD).filter(move |&p| periods[p])
}

/// Sequences (`abcd`, `4321`, `7890`) and keyboard walks (`qwer`, `1qaz`), found in one pass:
/// each adjacent pair of bytes gets a mask of the steps it takes (see [`STEPS`]), and a run is
/// at least `MIN_RUN - 1` consecutive pairs sharing a bit. Random values rarely have even
/// three such pairs in a row, so the prefilter usually ends the work after one table lookup
/// per byte.
fn step_runs(bytes: &[u8]) -> (Coverage, Coverage) {
    let mut sequences = Coverage::default();
    let mut walks = Coverage::default();
    let Some(pairs) = bytes.len().checked_sub(1) else {
        return (sequences, walks);
    };
    let steps = &*STEPS;
    let mut masks = [0u32; MAX_ANALYZED];
    for (mask, pair) in masks.iter_mut().zip(bytes.windows(2)) {
        *mask = step_mask(steps, pair[0], pair[1]);
    }
    let masks = &masks[..pairs];
    let mut candidates = masks.windows(MIN_RUN - 1).fold(0, |any, window| {
        any | window.iter().fold(u32::MAX, |all, m| all & m)
    });
    while candidates != 0 {
        let bit = candidates & candidates.wrapping_neg();
        candidates &= !bit;
        let coverage = if bit & SEQUENCE_BITS != 0 {
            &mut sequences
        } else {
            &mut walks
        };
        mark_runs_of(masks, bit, coverage);
    }
    (sequences, walks)
}

/// Marks the characters of every run of at least `MIN_RUN - 1` consecutive pairs with `bit`.
fn mark_runs_of(masks: &[u32], bit: u32, coverage: &mut Coverage) {
    let mut i = 0;
    while i < masks.len() {
        if masks[i] & bit == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < masks.len() && masks[i] & bit != 0 {
            i += 1;
        }
        // Pairs start..i cover characters start..=i.
        if i - start + 1 >= MIN_RUN {
            coverage.mark(start..i + 1);
        }
    }
}

fn step_mask(steps: &[[u32; 128]; 128], a: u8, b: u8) -> u32 {
    if a.is_ascii() && b.is_ascii() {
        steps[usize::from(a)][usize::from(b)]
    } else {
        0
    }
}

/// Bits of a step mask: bit 2k means "next key on keyboard line k", bit 2k + 1 "previous
/// key"; the two sequence bits mean "next" and "previous" letter or digit.
const SEQUENCE_UP: u32 = 1 << (2 * WALKS.len());
const SEQUENCE_DOWN: u32 = SEQUENCE_UP << 1;
const SEQUENCE_BITS: u32 = SEQUENCE_UP | SEQUENCE_DOWN;
const _: () = assert!(
    2 * WALKS.len() + 2 <= u32::BITS as usize,
    "step bits must fit a u32"
);

/// Step masks for every pair of ASCII bytes (64 KiB, built once).
static STEPS: LazyLock<Box<[[u32; 128]; 128]>> = LazyLock::new(|| {
    let mut steps = Box::new([[0u32; 128]; 128]);
    for (a, row) in (0u8..128).zip(steps.iter_mut()) {
        for (b, mask) in (0u8..128).zip(row.iter_mut()) {
            *mask = keyboard_bits(a, b)
                | match sequence_step(a, b) {
                    1 => SEQUENCE_UP,
                    -1 => SEQUENCE_DOWN,
                    _ => 0,
                };
        }
    }
    steps
});

fn keyboard_bits(a: u8, b: u8) -> u32 {
    let (a, b) = (usize::from(unshift(a)), usize::from(unshift(b)));
    let mut bits = 0;
    for (line, next) in NEXT_KEY.iter().enumerate() {
        // 0 marks "no next key" in the table, so it must never match a NUL byte.
        if b != 0 && usize::from(next[a]) == b {
            bits |= 1 << (2 * line);
        }
        if a != 0 && usize::from(next[b]) == a {
            bits |= 1 << (2 * line + 1);
        }
    }
    bits
}

/// +1 or −1 when `b` follows or precedes `a` in the alphabet or among digits, else 0. Digits
/// wrap from 9 to 0 because `1234567890` is typed as one sequence.
fn sequence_step(a: u8, b: u8) -> i8 {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let same_class = (a.is_ascii_digit() && b.is_ascii_digit())
        || (a.is_ascii_lowercase() && b.is_ascii_lowercase());
    if !same_class {
        0
    } else if b == a.wrapping_add(1) || (a, b) == (b'9', b'0') {
        1
    } else if a == b.wrapping_add(1) || (a, b) == (b'0', b'9') {
        -1
    } else {
        0
    }
}

/// Lines of a US keyboard, unshifted: the rows; the columns read top to bottom (`1qaz2wsx`,
/// `qazwsx`) and bottom to top (`zaq1xsw2`, `zaqxsw`); and the zigzags between two rows
/// (`1q2w3e4r`, `qawsedrf`, `azsxdcfv`). A walk is a stretch of the value that follows one
/// line forwards or backwards.
const WALKS: [&[u8]; 11] = [
    b"`1234567890-=",
    b"qwertyuiop[]\\",
    b"asdfghjkl;'",
    b"zxcvbnm,./",
    b"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    b"qazwsxedcrfvtgbyhnujmik,ol.p;/",
    b"zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0",
    b"zaqxswcdevfrbgtnhymju,ki.lo/;p",
    b"1q2w3e4r5t6y7u8i9o0p-[=]",
    b"qawsedrftgyhujikolp;['",
    b"azsxdcfvgbhnjmk,l.;/",
];

/// For each line, the byte after each key (0 for none). No key appears twice in one line.
static NEXT_KEY: [[u8; 128]; WALKS.len()] = next_key_tables();

const fn next_key_tables() -> [[u8; 128]; WALKS.len()] {
    let mut tables = [[0u8; 128]; WALKS.len()];
    let mut line = 0;
    while line < WALKS.len() {
        let keys = WALKS[line];
        let mut i = 0;
        while i + 1 < keys.len() {
            tables[line][keys[i] as usize] = keys[i + 1];
            i += 1;
        }
        line += 1;
    }
    tables
}

/// The key a character is typed on: lowercase, and shifted symbols mapped to their key.
const fn unshift(b: u8) -> u8 {
    match b {
        b'A'..=b'Z' => b.to_ascii_lowercase(),
        b'~' => b'`',
        b'!' => b'1',
        b'@' => b'2',
        b'#' => b'3',
        b'$' => b'4',
        b'%' => b'5',
        b'^' => b'6',
        b'&' => b'7',
        b'*' => b'8',
        b'(' => b'9',
        b')' => b'0',
        b'_' => b'-',
        b'+' => b'=',
        b'{' => b'[',
        b'}' => b']',
        b'|' => b'\\',
        b':' => b';',
        b'"' => b'\'',
        b'<' => b',',
        b'>' => b'.',
        b'?' => b'/',
        other => other,
    }
}

/// Dates with a year from 1950 to 2099: `2024-01-31`, `2024/01/31`, `20240131`, `31.01.2024`,
/// `01/31/2024`, `31012024`, and a bare year.
fn dates(bytes: &[u8]) -> Coverage {
    let mut coverage = Coverage::default();
    // Every form contains a year; most values have none, which ends the work here.
    if !bytes.windows(4).any(|w| year(w, 0)) {
        return coverage;
    }
    let mut i = 0;
    while i < bytes.len() {
        // A date glued to more digits is more likely part of a random number.
        let glued = i > 0 && bytes[i - 1].is_ascii_digit();
        match date_at(&bytes[i..]).filter(|_| !glued) {
            Some(len) => {
                coverage.mark(i..i + len);
                i += len;
            }
            None => i += 1,
        }
    }
    coverage
}

/// Length of the longest date starting at the beginning of `s` and not followed by a digit.
fn date_at(s: &[u8]) -> Option<usize> {
    if !s.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let separated = [b'-', b'/', b'.'].into_iter().any(|sep| {
        let seps_at = |a: usize, b: usize| s.get(a) == Some(&sep) && s.get(b) == Some(&sep);
        (seps_at(4, 7) && year_month_day(s, 0, 5, 8))
            || (seps_at(2, 5) && day_month_year(s, 0, 3, 6))
    });
    let forms = [
        (10, separated),
        (8, year_month_day(s, 0, 4, 6) || day_month_year(s, 0, 2, 4)),
        (4, year(s, 0)),
    ];
    let ends_cleanly = |len: usize| !s.get(len).is_some_and(u8::is_ascii_digit);
    forms
        .into_iter()
        .find(|&(len, found)| found && ends_cleanly(len))
        .map(|(len, _)| len)
}

fn year_month_day(s: &[u8], y: usize, m: usize, d: usize) -> bool {
    year(s, y) && in_range(s, m, 1..=12) && in_range(s, d, 1..=31)
}

/// Day-month-year or month-day-year: both orders are common and both are guessable.
fn day_month_year(s: &[u8], first: usize, second: usize, y: usize) -> bool {
    let day_month = in_range(s, first, 1..=31) && in_range(s, second, 1..=12);
    let month_day = in_range(s, first, 1..=12) && in_range(s, second, 1..=31);
    year(s, y) && (day_month || month_day)
}

fn year(s: &[u8], at: usize) -> bool {
    let century = s.get(at..at + 2);
    (century == Some(b"19") || century == Some(b"20"))
        && number(s, at, 4).is_some_and(|y| (1950..=2099).contains(&y))
}

fn in_range(s: &[u8], at: usize, range: std::ops::RangeInclusive<u32>) -> bool {
    number(s, at, 2).is_some_and(|n| range.contains(&n))
}

/// The decimal number in `s[at..at + len]`, if those are all digits.
fn number(s: &[u8], at: usize, len: usize) -> Option<u32> {
    let digits = s.get(at..at + len)?;
    digits.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// Common passwords and the words people build them from. Kept at four characters or more so
/// that chance hits inside random values stay rare and short.
#[rustfmt::skip]
const COMMON_WORDS: &[&str] = &[
    "password", "passw0rd", "p@ssw0rd", "p@ssword", "pa55word", "passwd", "pass", "admin", "adm1n",
    "administrator", "root", "toor", "letmein", "welcome", "secret", "s3cret", "s3cr3t",
    "supersecret", "topsecret", "mysecret", "changeme", "default", "monkey", "dragon", "master",
    "login", "guest", "test", "demo", "user", "hello", "iloveyou", "trustno1", "sunshine",
    "princess", "football", "baseball", "soccer", "hockey", "batman", "superman", "shadow",
    "michael", "jordan", "summer", "winter", "spring", "autumn", "freedom", "whatever", "starwars",
    "pokemon", "charlie", "access", "mustang", "hunter", "ranger", "buster", "tigger", "killer",
    "pepper", "cheese", "computer", "internet", "service", "server", "database", "postgres",
    "mysql", "oracle", "redis", "mongo", "rabbit", "company", "secure", "security", "private",
    "system", "manager", "support", "office", "account", "changeit", "token", "apikey",
    "development", "production", "staging", "localhost", "django", "flask", "rails", "laravel",
    "love", "angel", "family", "flower", "purple", "orange", "silver", "golden", "diamond",
    "cookie", "chocolate", "coffee", "banana", "google", "github", "amazon", "abc123", "nothing",
];

/// The words, matched ASCII-case-insensitively, the longest at a position winning (`password`
/// over `pass`). An Aho-Corasick automaton rather than a regex alternation: it is built once
/// and searched without a per-thread cache, where the regex built its lazy DFA anew in every
/// thread of a check.
static COMMON_WORD_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(COMMON_WORDS)
        .expect("the built-in word list builds an automaton")
});

/// Common words with the digits and symbols around them (`!admin2024!`), and any value shaped
/// like a word followed by a number (`Companyname2024!`).
fn common_words(value: &str) -> Coverage {
    let bytes = value.as_bytes();
    let mut coverage = Coverage::default();
    let affix = |b: u8| b.is_ascii_digit() || b.is_ascii_punctuation();
    for found in COMMON_WORD_MATCHER.find_iter(value) {
        let mut start = found.start();
        let mut end = found.end();
        while start > 0 && affix(bytes[start - 1]) {
            start -= 1;
        }
        while end < bytes.len() && affix(bytes[end]) {
            end += 1;
        }
        coverage.mark(start..end);
    }
    if word_then_number(bytes) {
        coverage.mark(0..bytes.len());
    }
    coverage
}

/// `[Ww]ord` or `WORD` of 3–12 letters, then 1–4 digits, then up to 3 symbols: the shape of a
/// company or product name with a year, whatever the word.
fn word_then_number(bytes: &[u8]) -> bool {
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = bytes[letters..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let symbols = &bytes[letters + digits..];
    let word = &bytes[..letters];
    let one_case =
        word.iter().skip(1).all(u8::is_ascii_lowercase) || word.iter().all(u8::is_ascii_uppercase);
    (3..=12).contains(&letters)
        && one_case
        && (1..=4).contains(&digits)
        && symbols.len() <= 3
        && symbols.iter().all(u8::is_ascii_punctuation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::testutil::random_secrets;

    fn kind(value: &str) -> Option<PatternKind> {
        predictable_pattern(value).map(|found| found.kind)
    }

    #[test]
    fn weak_values_match_their_pattern() {
        use PatternKind::*;
        for (value, expected) in [
            ("abcdef", Sequence),
            ("123456", Sequence),
            ("987654", Sequence),
            ("1234567890", Sequence),
            ("abcdefgh12345678", Sequence),
            ("ZYXWVU", Sequence),
            ("aaaaaaaaaaaa", Repeat),
            ("abcabcabc", Repeat),
            ("secretsecret", Repeat),
            ("Ab1!Ab1!Ab1!", Repeat),
            ("qwerty", KeyboardWalk),
            ("qwertyuiop", KeyboardWalk),
            ("asdfghjkl", KeyboardWalk),
            ("zxcvbnm", KeyboardWalk),
            ("poiuytrewq", KeyboardWalk),
            ("1qaz2wsx", KeyboardWalk),
            ("!QAZ@WSX", KeyboardWalk),
            ("qazwsx", KeyboardWalk),
            ("zaq1xsw2", KeyboardWalk),
            ("1q2w3e4r", KeyboardWalk),
            ("qawsedrf", KeyboardWalk),
            ("azsxdcfv", KeyboardWalk),
            ("qwerty2024", WordWithDigits),
            ("2024-01-01", Date),
            ("20240101", Date),
            ("01/02/2024", Date),
            ("31.12.1999", Date),
            ("password123", WordWithDigits),
            ("Password1!", WordWithDigits),
            ("admin2024!", WordWithDigits),
            ("welcome1", WordWithDigits),
            ("letmein", WordWithDigits),
            ("secret123", WordWithDigits),
            ("companyname2024", WordWithDigits),
            ("Acme2024!", WordWithDigits),
            ("P@ssw0rd", WordWithDigits),
            ("123admin", WordWithDigits),
        ] {
            assert_eq!(kind(value), Some(expected), "{value}");
        }
    }

    #[test]
    fn covered_counts_the_reported_kind() {
        let found = predictable_pattern("abcdefgh12345678");
        assert_eq!(
            found,
            Some(PatternMatch {
                kind: PatternKind::Sequence,
                covered: 16
            })
        );
        let found = predictable_pattern("Zx9qwertyuiop");
        assert_eq!(
            found,
            Some(PatternMatch {
                kind: PatternKind::KeyboardWalk,
                covered: 10
            })
        );
        let repeated = "ééééé";
        let found = predictable_pattern(repeated);
        assert_eq!(
            found,
            Some(PatternMatch {
                kind: PatternKind::Repeat,
                covered: 5
            })
        );
    }

    #[test]
    fn small_patterns_inside_random_values_do_not_count() {
        for value in [
            "Xk9#mQ2$pL7!vR4&qwerty",
            "password-Zp3Lq8Wm2Xr5Tn7Vb",
            "tR8vLq2025Zm4Xw9Kp7Nd",
            "abc",
            "",
            "Xk9#mQ2$",
            "correct-horse-battery-staple",
            "xkqwzpvbtmrcylfjhsgd42",
        ] {
            assert_eq!(predictable_pattern(value), None, "{value}");
        }
    }

    #[test]
    fn keyboard_lines_never_repeat_a_key() {
        for line in WALKS {
            for (i, key) in line.iter().enumerate() {
                assert!(!line[i + 1..].contains(key), "{}", char::from(*key));
            }
        }
    }

    #[test]
    fn nul_bytes_are_not_keys() {
        assert_eq!(step_runs(b"\0\0\0\0\0\0").1.count(), 0);
        assert_eq!(step_runs(b"\0qwer").1.count(), 4);
    }

    #[test]
    fn repeats_inside_values() {
        assert_eq!(repeats(b"Zk7aaaaQ").count(), 4);
        assert_eq!(repeats(b"Zk7ababQ").count(), 0);
        assert_eq!(repeats(b"Zk7abababQ").count(), 6);
        assert_eq!(repeats(b"Zk7xyzxyzQ").count(), 0);
        assert_eq!(repeats(b"Zk7xyzxyzxyzQ").count(), 9);
        assert_eq!(repeats(b"Zk7abaQ").count(), 0);
        assert_eq!(repeats(b"Zk7aaaQ").count(), 0);
        assert_eq!(repeats(b"").count(), 0);
    }

    #[test]
    fn dates_inside_values() {
        assert_eq!(dates(b"Zk7-2024-01-31-Q").count(), 10);
        assert_eq!(dates(b"Zk7 31.01.2024").count(), 10);
        assert_eq!(dates(b"x1949x2100x").count(), 0);
        assert_eq!(dates(b"x1950x").count(), 4);
        assert_eq!(dates(b"20241331").count(), 0);
        assert_eq!(dates(b"2024x1331").count(), 4);
        assert_eq!(dates(b"f11162015f").count(), 8);
        assert_eq!(dates(b"f111620154f").count(), 0);
        assert_eq!(dates(b"42063347").count(), 0);
        assert_eq!(dates(b"2024-01-31T12").count(), 10);
    }

    #[test]
    fn long_values_are_only_checked_for_repetition() {
        let long_repeat = "ab1".repeat(200);
        assert_eq!(kind(&long_repeat), Some(PatternKind::Repeat));
        let mostly_sequence = format!("{}x", "abcdefghijklmnopqrstuvwxyz".repeat(12));
        assert_eq!(kind(&mostly_sequence), None);
    }

    #[test]
    fn ten_thousand_random_secrets_have_no_pattern() {
        for value in random_secrets(0x2545_f491, 10_000) {
            assert_eq!(predictable_pattern(&value), None, "{value}");
        }
    }

    #[test]
    fn describe_names_the_kind() {
        assert_eq!(PatternKind::KeyboardWalk.describe(), "a keyboard walk");
        assert_eq!(PatternKind::Date.describe(), "a date");
    }
}
