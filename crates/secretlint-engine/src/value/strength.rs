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
}
