//! `predictable-pattern`: the value is mostly a predictable pattern: a sequence (`abcdef`, `123456`), a repeated unit (`abcabc`), a keyboard walk (`qwerty`, `1qaz2wsx`), a date, or a common word with digits (`password123`).

/// The rule's documentation, printed by `secretlint explain predictable-pattern`.
pub(crate) const DOC: &str = r#"## What it does
The value is mostly a predictable pattern: a sequence (`abcdef`, `123456`), a repeated unit (`abcabc`), a keyboard walk (`qwerty`, `1qaz2wsx`), a date, or a common word with digits (`password123`). Also a value matching one of the profile's `forbidden_patterns`.

## Why is this bad?
Attackers try these first; they carry far less entropy than their length suggests.

## Example
```dotenv
POSTGRES_PASSWORD=qwertyuiop123456
```

## Fix
`secretlint fix` generates a random value.
"#;
