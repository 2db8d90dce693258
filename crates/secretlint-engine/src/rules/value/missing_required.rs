//! `missing-required`: a key that the policy requires in this file's environment is not defined, or a key of the template beside the file (`required_from`, such as `.

/// The rule's documentation, printed by `secretlint explain missing-required`.
pub(crate) const DOC: &str = r#"## What it does
A key that the policy requires in this file's environment is not defined, or a key of the template beside the file (`required_from`, such as `.env.example`) is missing.

## Why is this bad?
The application will start without the secret and either crash at the first request or, worse, fall back to an insecure default such as an empty signing key.

## Example
With `required = ["production"]` for `SECRET_KEY`, this `.env.production` is missing it:

```dotenv
DATABASE_URL=postgres://app:...@db/app
```

## Fix
Add the key. `secretlint fix` adds it with a generated value when the policy can generate one; a secret issued elsewhere (`source = "external"`) must be added by hand.
"#;
