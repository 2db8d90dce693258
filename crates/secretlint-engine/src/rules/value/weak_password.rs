//! `weak-password`: the value's zxcvbn strength score (0–4) is below its profile's `min_zxcvbn_score`.

/// The rule's documentation, printed by `secretlint explain weak-password`.
pub(crate) const DOC: &str = r#"## What it does
The value's zxcvbn strength score (0–4) is below its profile's `min_zxcvbn_score`. zxcvbn finds dictionary words, names, l33t substitutions, dates and keyboard patterns that a character count misses.

## Why is this bad?
Passwords chosen by people pass length rules while remaining in every cracking dictionary.

## Example
```dotenv
GRAFANA_ADMIN_PASSWORD=Summer2024!Summer
```

## Fix
`secretlint fix` generates a random password.
"#;
