//! `linked-mismatch`: a part of a connection URL does not equal the secret the policy links it to, for example the password inside `DATABASE_URL` differs from `POSTGRES_PASSWORD` (`[[links]] part = "DATABASE_URL#password"`, `equals = "POSTGRES_PASSWORD"`).

/// The rule's documentation, printed by `secretlint explain linked-mismatch`.
pub(crate) const DOC: &str = r#"## What it does
A part of a connection URL does not equal the secret the policy links it to, for example the password inside `DATABASE_URL` differs from `POSTGRES_PASSWORD` (`[[links]] part = "DATABASE_URL#password"`, `equals = "POSTGRES_PASSWORD"`).

## Why is this bad?
After a rotation that updated one but not the other, the application connects with a stale password and fails, or the database keeps accepting the old one.

## Example
```dotenv
POSTGRES_PASSWORD=<new value>
DATABASE_URL=postgres://app:<old value>@db:5432/app
```

## Fix
`secretlint fix` rotates the linked secret and rewrites the URL's part, percent-encoded.
"#;
