//! `inconsistent-across-files`: a secret the policy declares `scope = "shared"` holds different values in different files of one environment.

/// The rule's documentation, printed by `secretlint explain inconsistent-across-files`.
pub(crate) const DOC: &str = r#"## What it does
A secret the policy declares `scope = "shared"` holds different values in different files of one environment.

## Why is this bad?
A shared secret (an internal service's API key that the service and every caller must agree on) with two values means some caller is failing authentication, or still accepted on a key that should have been revoked.

## Example
```dotenv
# api/.env.production
ANALYTICS_API_KEY=<value A>
# worker/.env.production
ANALYTICS_API_KEY=<value B>
```

## Fix
`secretlint fix` rotates the secret and writes the one new value into every file of the environment.
"#;
