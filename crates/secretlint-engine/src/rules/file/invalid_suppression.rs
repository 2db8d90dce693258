//! `invalid-suppression`: a `# secretlint-allow:` comment without a reason or naming an unknown rule.

/// The rule's documentation, printed by `secretlint explain invalid-suppression`.
pub(crate) const DOC: &str = r#"## What it does
A suppression comment that does not follow the form `# secretlint-allow: RULE[, RULE...] -- REASON`: the reason after `--` is missing or empty, or a rule id is unknown. A suppression without a reason suppresses nothing.

## Why is this bad?
A suppression is a decision someone will have to revisit. Without the reason, the next reader cannot tell a deliberate exception ("shared by design with the billing service") from a silenced alarm.

## Example
```dotenv
# secretlint-allow: reused-across-keys
BILLING_API_KEY=...
```

## Fix
Say why: `# secretlint-allow: reused-across-keys -- shared by design with the billing service`.
"#;
