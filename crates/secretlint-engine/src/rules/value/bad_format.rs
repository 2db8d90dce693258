//! `bad-format`: the value does not have its profile's `format` (`hex`, `base64`, `base64url`, `alphanumeric`, `uuid`, `url`, `postgres-url` or a regex).

/// The rule's documentation, printed by `secretlint explain bad-format`.
pub(crate) const DOC: &str = r#"## What it does
The value does not have its profile's `format` (`hex`, `base64`, `base64url`, `alphanumeric`, `uuid`, `url`, `postgres-url` or a regex).

## Why is this bad?
A malformed secret usually means the wrong value was pasted (a key ID instead of the key, a URL without credentials) and fails only at run time.

## Example
```dotenv
DATABASE_URL=db.internal:5432/app   # format = "postgres-url"
```

## Fix
Correct the value; `secretlint fix` generates one in the right format when the profile has a generator.
"#;
