//! `unreadable-input`: a file that should be checked could not be read: it is binary, not valid UTF-8, too large, not a regular file (a FIFO, a directory named like an env file), a dangling symlink, or permission was denied.

/// The rule's documentation, printed by `secretlint explain unreadable-input`.
pub(crate) const DOC: &str = r#"## What it does
A file that should be checked could not be read: it is binary, not valid UTF-8, too large, not a regular file (a FIFO, a directory named like an env file), a dangling symlink, or permission was denied.

## Why is this bad?
A secrets file the linter cannot read is a file nobody checked. Every other file is still checked.

## Example
```console
.env.production: not valid UTF-8 (byte 1042)
```

## Fix
Fix or remove the file, or exclude it with `--exclude`.
"#;
