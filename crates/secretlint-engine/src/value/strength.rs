//! The zxcvbn password-strength score, bounded in cost.

/// Characters scored by zxcvbn. Its cost grows faster than linearly (about 1.5 ms at 40
/// characters, 12 ms at 120), and 64 characters are enough to reach score 4 many times over.
const MAX_SCORED_CHARS: usize = 64;

/// zxcvbn's score (0–4) for `value`, with `user_inputs` (the key name, the file name) as
/// context words.
///
/// Only the first 64 characters are scored, which errs on the strict side. Extra characters
/// almost always multiply zxcvbn's guess count, so a long value is rarely rated higher than
/// its prefix: one that scores below 4 in full is a long repeat or sequence, and so is its
/// prefix. The reverse can happen (a guessable first 64 characters followed by random ones
/// scores low), and such a value deserves a look anyway. It is not a strict bound: cutting a
/// dictionary word in half at character 64 can make the prefix look a little stronger than
/// the whole.
pub fn zxcvbn_score(value: &str, user_inputs: &[&str]) -> u8 {
    if value.is_empty() {
        return 0;
    }
    let scored = match value.char_indices().nth(MAX_SCORED_CHARS) {
        Some((end, _)) => &value[..end],
        None => value,
    };
    zxcvbn::zxcvbn(scored, user_inputs).score().into()
}

/// Shortest value [`beyond_guessing`] vouches for. At 16 the test below finds an
/// 18-character value (words, then random characters) that zxcvbn rates 3; at 20 it finds
/// none over 12,000 candidates (four seeds).
const CERTAIN_MIN_CHARS: usize = 20;
/// Estimated bits per character [`beyond_guessing`] asks for: at least 16 distinct, evenly
/// used characters, which words and keyboard walks do not reach.
const CERTAIN_BITS_PER_CHAR: f64 = 4.0;

/// Whether zxcvbn would rate a value 4 (at least 10^10 guesses), known from the cheap
/// analyses without running it: 20 or more characters, three or more character classes, an
/// entropy estimate of 4 bits per character or more, and no predictable pattern.
///
/// zxcvbn costs about 1.5 ms for a 40-character value against a few hundred nanoseconds for
/// the other analyses together, and in a real repository most values it would score are
/// generated ones that score 4 anyway. To rate such a value lower, zxcvbn would have to
/// explain all but nine or fewer of its characters as dictionary words, sequences, repeats,
/// keyboard walks or dates (ten bruteforced characters already cost 10^10 guesses) while the
/// product of those matches' guesses stays under 10^10. A value of 20 characters with 16 or
/// more evenly used distinct characters and no pattern covering half of it is not built that
/// way. The test `shortcut_agrees_with_zxcvbn` holds this against zxcvbn itself on random
/// values and on passphrases built from common passwords, names, years and separators.
pub fn beyond_guessing(chars: usize, classes: usize, entropy_bits: f64, patterned: bool) -> bool {
    !patterned
        && chars >= CERTAIN_MIN_CHARS
        && classes >= 3
        && entropy_bits >= CERTAIN_BITS_PER_CHAR * chars as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::testutil::{BASE64URL, XorShift};

    #[test]
    fn empty_scores_zero() {
        assert_eq!(zxcvbn_score("", &[]), 0);
    }

    #[test]
    fn weak_and_strong_values() {
        assert_eq!(zxcvbn_score("password", &[]), 0);
        assert!(zxcvbn_score("changeme123", &[]) <= 1);
        let strong = XorShift::new(5).string(BASE64URL, 32);
        assert_eq!(zxcvbn_score(&strong, &[]), 4);
    }

    #[test]
    fn user_inputs_lower_the_score() {
        let without = zxcvbn_score("Acmecorp-Billing", &[]);
        let with = zxcvbn_score("Acmecorp-Billing", &["acmecorp", "billing"]);
        assert!(with < without, "{with} {without}");
    }

    #[test]
    fn long_and_unusual_values_do_not_panic() {
        let long = XorShift::new(9).string(BASE64URL, 4096);
        assert_eq!(zxcvbn_score(&long, &["", "KEY"]), 4);
        let repeated_then_random = format!("{}{}", "a".repeat(64), &long[..40]);
        assert_eq!(zxcvbn_score(&repeated_then_random, &[]), 0);
        for odd in [
            "é",
            "🔑🔑🔑",
            "\u{0}\u{1}",
            " ",
            "ß\u{301}ǅ",
            "\u{212a}elvin",
        ] {
            assert!(zxcvbn_score(odd, &[odd]) <= 4);
        }
    }

    /// The shortcut never vouches for a value zxcvbn rates below 4. Candidates: random values
    /// of every shape generators produce, and passphrases assembled from words zxcvbn knows
    /// (common passwords, names, English words, the key name), capitalised or in leet, with
    /// years, digits and separators between them, which are what could fool the cheap checks.
    #[test]
    fn shortcut_agrees_with_zxcvbn() {
        use crate::value::{char_classes, entropy_bits, predictable_pattern};
        const WORDS: &[&str] = &[
            "password",
            "dragon",
            "monkey",
            "letmein",
            "qwerty",
            "summer",
            "winter",
            "welcome",
            "admin",
            "secret",
            "football",
            "baseball",
            "iloveyou",
            "sunshine",
            "master",
            "shadow",
            "princess",
            "trustno1",
            "starwars",
            "michael",
            "jennifer",
            "jordan",
            "superman",
            "batman",
            "thomas",
            "charlie",
            "correct",
            "horse",
            "battery",
            "staple",
            "database",
            "postgres",
            "billing",
            "production",
            "jobswipe",
            "service",
            "token",
            "london",
            "december",
            "purple",
            "orange",
            "computer",
            "internet",
            "freedom",
        ];
        const SEPARATORS: &[&str] = &["", "-", "_", ".", "!", "@", "#", "$", "%", "&", "*", "+"];
        fn leet(word: &str) -> String {
            word.chars()
                .map(|c| match c {
                    'a' => '@',
                    'e' => '3',
                    'i' => '1',
                    'o' => '0',
                    's' => '$',
                    't' => '7',
                    c => c,
                })
                .collect()
        }
        let mut rng = XorShift::new(2026);
        let charsets: [&[u8]; 4] = [
            BASE64URL,
            crate::value::testutil::ALPHANUMERIC,
            crate::value::testutil::HEX,
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-.=_~",
        ];
        let mut vouched = 0;
        let mut phrases_vouched = 0;
        for i in 0..3_000 {
            let key = "DATABASE_PASSWORD";
            let value = if i % 3 == 0 {
                let charset = charsets[rng.below(charsets.len())];
                let len = 16 + rng.below(49);
                rng.string(charset, len)
            } else {
                let mut v = String::new();
                let parts = 2 + rng.below(6);
                for _ in 0..parts {
                    let word = WORDS[rng.below(WORDS.len())];
                    let word = match rng.below(4) {
                        0 => word.to_owned(),
                        1 => word.to_uppercase(),
                        2 => leet(word),
                        _ => {
                            let mut w = word.to_owned();
                            w[..1].make_ascii_uppercase();
                            w
                        }
                    };
                    v.push_str(&word);
                    match rng.below(4) {
                        0 => v.push_str(&(1970 + rng.below(60)).to_string()),
                        1 => v.push_str(&rng.below(100).to_string()),
                        2 => v.push_str(key),
                        _ => {}
                    }
                    v.push_str(SEPARATORS[rng.below(SEPARATORS.len())]);
                }
                // Words with a random tail: the half-guessable values the length floor is for.
                if rng.below(2) == 0 {
                    let tail = 4 + rng.below(12);
                    v.push_str(&rng.string(charsets[3], tail));
                }
                v
            };
            let chars = value.chars().count();
            let shortcut = beyond_guessing(
                chars,
                char_classes(&value).count(),
                entropy_bits(&value),
                predictable_pattern(&value).is_some(),
            );
            if shortcut {
                vouched += 1;
                if i % 3 != 0 {
                    phrases_vouched += 1;
                }
                let score = zxcvbn_score(&value, &[key]);
                assert_eq!(
                    score, 4,
                    "the shortcut vouched for a {chars}-character value zxcvbn scores {score}"
                );
            }
        }
        // The test means something only if the shortcut fires, on phrases too.
        assert!(vouched > 500, "{vouched}");
        assert!(phrases_vouched > 50, "{phrases_vouched}");
    }
}
