//! `unknown-age`: a secret with a `rotate_every` interval has no known last rotation: no ledger entry, no `# rotated:` comment, no other source.

/// The rule's documentation, printed by `secretlint explain unknown-age`.
pub(crate) const DOC: &str = r#"## What it does
A secret with a `rotate_every` interval has no known last rotation: no ledger entry, no `# rotated:` comment, no other source.

## Why is this bad?
A secret whose age nobody knows is overdue until proven otherwise.

## Example
```dotenv
SECRET_KEY=...   # no rotation record
```

## Fix
Record when it was last rotated: `secretlint rotate --record SECRET_KEY`, or add `# rotated: YYYY-MM-DD` above it.
"#;
