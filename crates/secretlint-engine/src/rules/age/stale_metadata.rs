//! `stale-metadata`: the rotation metadata records a secret that its file no longer defines.

/// The rule's documentation, printed by `secretlint explain stale-metadata`.
pub(crate) const DOC: &str = r#"## What it does
An entry of the rotation metadata (`.secretlint/rotations.toml`) names a file and key, but that file was checked and no longer defines the key. Only files that were part of the run are judged, so checking a subdirectory never reports the rest of the ledger.

## Why is this bad?
A record for a secret that is gone is noise at best; at worst the key was renamed, and the new name has no rotation history while the old record claims a rotation that no longer protects anything.

## Example
```toml
[[rotation]]
file = "api/.env.production"
key = "LEGACY_API_KEY"   # removed from api/.env.production
rotated = 2026-06-01T00:00:00Z
by = "fix"
```

## Fix
Delete the entry, or record the renamed key: `secretlint rotate --record NEW_KEY`.
"#;
