//! `undeclared-secret`: a key that looks like a secret (`*_SECRET`, `*_TOKEN`, `*_PASSWORD`, `*_API_KEY`, .

/// The rule's documentation, printed by `secretlint explain undeclared-secret`.
pub(crate) const DOC: &str = r#"## What it does
A key that looks like a secret (`*_SECRET`, `*_TOKEN`, `*_PASSWORD`, `*_API_KEY`, ...) is not covered by any secret rule of the policy.

## Why is this bad?
A secret the policy does not know is a secret nobody checks, rotates or audits.

## Example
```dotenv
STRIPE_WEBHOOK_SECRET=...   # no [[secrets]] entry matches
```

## Fix
Add a `[[secrets]]` entry for it, or extend the recommended policy which covers secret-looking names.
"#;
