//! `reused-across-keys`: two different secret keys hold the same value within one environment (links such as the password inside `DATABASE_URL` are exempt).

/// The rule's documentation, printed by `secretlint explain reused-across-keys`.
pub(crate) const DOC: &str = r#"## What it does
Two different secret keys hold the same value within one environment (links such as the password inside `DATABASE_URL` are exempt).

## Why is this bad?
One leaked value then compromises two systems, and rotating one key silently leaves the other with the old value.

## Example
```dotenv
SECRET_KEY=<value>
JWT_SECRET_KEY=<the same value>
```

## Fix
`secretlint fix` gives the later key its own value.
"#;
