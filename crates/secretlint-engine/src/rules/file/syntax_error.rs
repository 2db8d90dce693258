//! `syntax-error`: a line that cannot be read as `KEY=value` (an unterminated quote, a key with invalid characters, a missing `=`), or a manifest that is not valid YAML.

/// The rule's documentation, printed by `secretlint explain syntax-error`.
pub(crate) const DOC: &str = r#"## What it does
A line that cannot be read as `KEY=value` (an unterminated quote, a key with invalid characters, a missing `=`), or a manifest that is not valid YAML. Lines are read as the dotenvy crate reads them; the rest of the file is still checked.

## Why is this bad?
The application's own loader will stop at this line or read something other than what was meant.

## Example
```dotenv
SECRET_KEY="unterminated
```

## Fix
Correct the line.
"#;
