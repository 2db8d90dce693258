//! `too-short`: the value has fewer characters than its profile's `min_length`.

/// The rule's documentation, printed by `secretlint explain too-short`.
pub(crate) const DOC: &str = r#"## What it does
The value has fewer characters than its profile's `min_length`. For a connection URL the password inside it is judged, percent-decoded.

## Why is this bad?
Short secrets can be brute-forced. The JobSwipe policy asks for 32+ characters for JWT secrets and API keys and 16+ for passwords.

## Example
```dotenv
SECRET_KEY=dev-secret   # 10 of 32 characters
```

## Fix
`secretlint fix` replaces the value with a generated one of the profile's length.
"#;
