//! Benchmarks of the per-value checks the index runs once per distinct value: character
//! classes, entropy, placeholders, predictable patterns, encryption markers, URL parts, and
//! zxcvbn (the costly one, run only where a profile asks for it).
//!
//! Run with `cargo bench -p secretlint-engine --bench value_checks`.

use secretlint_engine::value;

fn main() {
    divan::main();
}

/// Values of the kinds the checks see: strong, weak, placeholder, URL, long.
const VALUES: &[(&str, &str)] = &[
    (
        "strong",
        "Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA-strong-fake-value",
    ),
    ("weak", "Summer2024!"),
    ("placeholder", "your-api-key-here"),
    (
        "url",
        "postgres://app_user:s3cr3t-Pa55@db.internal:5432/app",
    ),
    (
        "hex64",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
];

#[divan::bench(args = VALUES)]
fn char_classes(value: &(&str, &str)) -> value::CharClasses {
    value::char_classes(divan::black_box(value.1))
}

#[divan::bench(args = VALUES)]
fn entropy_bits(value: &(&str, &str)) -> f64 {
    value::entropy_bits(divan::black_box(value.1))
}

#[divan::bench(args = VALUES)]
fn placeholder(value: &(&str, &str)) -> Option<value::PlaceholderKind> {
    value::placeholder(divan::black_box(value.1), &[])
}

#[divan::bench(args = VALUES)]
fn predictable_pattern(value: &(&str, &str)) -> Option<value::PatternMatch> {
    value::predictable_pattern(divan::black_box(value.1))
}

#[divan::bench(args = VALUES)]
fn encrypted(value: &(&str, &str)) -> Option<value::Encrypted> {
    value::encrypted(divan::black_box(value.1))
}

#[divan::bench(args = VALUES)]
fn url_parts(value: &(&str, &str)) -> bool {
    value::url_parts(divan::black_box(value.1)).is_some()
}

#[divan::bench(args = VALUES, sample_count = 20)]
fn zxcvbn_score(value: &(&str, &str)) -> u8 {
    value::zxcvbn_score(divan::black_box(value.1), &["SECRET_KEY"])
}
