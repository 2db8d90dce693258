//! `empty-value`: a secret governed by the policy is defined with an empty value.

/// The rule's documentation, printed by `secretlint explain empty-value`.
pub(crate) const DOC: &str = r#"## What it does
A secret governed by the policy is defined with an empty value.

## Why is this bad?
An empty secret is often accepted silently: an empty HMAC key signs tokens that anyone can forge, and an empty password may disable authentication.

## Example
```dotenv
SECRET_KEY=
```

## Fix
Set a value. `secretlint fix` generates a compliant one when the policy can.
"#;
