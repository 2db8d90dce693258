//! `low-entropy`: the value's estimated entropy is below its profile's `min_entropy_bits`.

/// The rule's documentation, printed by `secretlint explain low-entropy`.
pub(crate) const DOC: &str = r#"## What it does
The value's estimated entropy is below its profile's `min_entropy_bits`. The estimate is the number of characters times the smaller of the bits per character allowed by the character classes used and the measured Shannon entropy per character (with the Miller–Madow correction for short strings).

## Why is this bad?
A long value can still be guessable when it draws on few distinct characters, such as a long run of one letter or a short word repeated.

## Example
```dotenv
ENCRYPTION_SALT=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
```

## Fix
`secretlint fix` replaces it with a value from the operating system's random generator.
"#;
