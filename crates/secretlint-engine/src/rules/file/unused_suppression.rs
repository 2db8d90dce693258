//! `unused-suppression`: a `# secretlint-allow:` comment that suppresses nothing.

/// The rule's documentation, printed by `secretlint explain unused-suppression`.
pub(crate) const DOC: &str = r#"## What it does
A suppression comment names a rule that raises no finding on the line it covers (the comment's own line, or the line below a comment that stands alone).

## Why is this bad?
The problem it excused has been fixed, or the comment moved away from the line it was meant for. Left in place it would silently excuse the next, different problem on that line.

## Example
```dotenv
# secretlint-allow: too-short -- legacy client, rotating in Q3
SECRET_KEY=<now a compliant 64-character value>
```

## Fix
Remove the comment, or move it to the line it is meant for.
"#;
