//! `reused-across-environments`: the same secret value appears in files of different environments, such as production and staging, or a template file (`.

/// The rule's documentation, printed by `secretlint explain reused-across-environments`.
pub(crate) const DOC: &str = r#"## What it does
The same secret value appears in files of different environments, such as production and staging, or a template file (`.env.example`) holds a value that is live in another environment. The finding is reported on each copy outside the most protected environment (the first one declared in the policy).

## Why is this bad?
A production secret copied to staging or development is only as safe as the least protected copy; one in `.env.example` is published with the repository.

## Example
```dotenv
# api/.env.staging
SECRET_KEY=<the same value as in api/.env.production>
```

## Fix
`secretlint fix` gives the copy a new value. Treat the production value as exposed and rotate it too: `secretlint rotate SECRET_KEY --env production`.
"#;
