//! `placeholder`: the value is a placeholder rather than a secret: `changeme`, `todo`, `your-api-key-here`, `xxxx`, `<secret>`, `{{ KEY }}` or a word the profile lists in `placeholders`.

/// The rule's documentation, printed by `secretlint explain placeholder`.
pub(crate) const DOC: &str = r#"## What it does
The value is a placeholder rather than a secret: `changeme`, `todo`, `your-api-key-here`, `xxxx`, `<secret>`, `{{ KEY }}` or a word the profile lists in `placeholders`. Template environments (`values = "placeholders-only"`) are exempt: placeholders are what they should hold.

## Why is this bad?
A placeholder left in a deployed environment is a publicly known secret.

## Example
```dotenv
ANALYTICS_API_KEY=your-api-key-here
```

## Fix
`secretlint fix` generates a real value; for an external secret, fetch it from its issuer.
"#;
