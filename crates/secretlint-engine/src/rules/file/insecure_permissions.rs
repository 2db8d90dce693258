//! `insecure-permissions`: a file of a non-relaxed environment (production, staging) is readable or writable by users other than its owner.

/// The rule's documentation, printed by `secretlint explain insecure-permissions`.
pub(crate) const DOC: &str = r#"## What it does
A file of a non-relaxed environment (production, staging) is readable or writable by users other than its owner.

## Why is this bad?
Anyone with a shell on the machine can read the secrets.

## Example
```console
$ ls -l .env.production
-rw-r--r-- 1 app app 512 .env.production
```

## Fix
`chmod 600` the file; `secretlint fix` does it.
"#;
