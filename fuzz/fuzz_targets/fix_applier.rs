//! The fix applier: values written into a document the way `fix` writes them (encoded for each
//! entry's style, edits applied), the text read again: each value reads back as written and
//! nothing else changes.
//!
//! The checks live in `crates/secretlint-engine/tests/fuzz_checks`, shared with the stable
//! regression test that replays every crash input kept in
//! `crates/secretlint-engine/tests/fixtures/fuzz/fix_applier`.

#![no_main]

#[path = "../../crates/secretlint-engine/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::fix_applier(data));
