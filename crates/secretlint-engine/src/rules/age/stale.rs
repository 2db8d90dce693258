//! `stale`: the secret was last rotated longer ago than its `rotate_every` interval.

/// The rule's documentation, printed by `secretlint explain stale`.
pub(crate) const DOC: &str = r#"## What it does
The secret was last rotated longer ago than its `rotate_every` interval.

## Why is this bad?
The seed rotates critical secrets every 30 days, high-priority ones every 90 and the rest every 180: the longer a secret lives, the more copies of it exist in logs, laptops and former employees' memories.

## Example
```dotenv
# rotated: 2026-08-01
POSTGRES_PASSWORD=...
```

## Fix
`secretlint fix` rotates it; for an external secret rotate it at its source and record it with `secretlint rotate --record KEY`.
"#;
