//! `duplicate-key`: a key is defined more than once in one file.

/// The rule's documentation, printed by `secretlint explain duplicate-key`.
pub(crate) const DOC: &str = r#"## What it does
A key is defined more than once in one file.

## Why is this bad?
Only one definition takes effect (the last, for dotenvy), so an edit to the other silently does nothing; a rotation may update the wrong one.

## Example
```dotenv
SECRET_KEY=...
SECRET_KEY=...
```

## Fix
Remove one of the definitions.
"#;
