//! `expiring-soon`: the secret is due for rotation within the policy's `expiring_within` window (7 days by default).

/// The rule's documentation, printed by `secretlint explain expiring-soon`.
pub(crate) const DOC: &str = r#"## What it does
The secret is due for rotation within the policy's `expiring_within` window (7 days by default).

## Why is this bad?
A warning ahead of the deadline lets a team rotate on its own schedule rather than in an incident.

## Example
```dotenv
# rotated: 2026-10-25   (30-day tier, due in 3 days)
SECRET_KEY=...
```

## Fix
Rotate it: `secretlint fix --include-expiring`.
"#;
