//! `previous-expired`: a `<KEY>_PREVIOUS` companion kept for a zero-downtime transition has outlived its grace period (`keep_previous`).

/// The rule's documentation, printed by `secretlint explain previous-expired`.
pub(crate) const DOC: &str = r#"## What it does
A `<KEY>_PREVIOUS` companion kept for a zero-downtime transition has outlived its grace period (`keep_previous`).

## Why is this bad?
The old value was kept so running services could accept both during a restart; once the transition is over it is just a second live credential.

## Example
```dotenv
SECRET_KEY=<new>
SECRET_KEY_PREVIOUS=<old, kept 9 days; grace 7d>
```

## Fix
`secretlint fix` removes the expired companion.
"#;
