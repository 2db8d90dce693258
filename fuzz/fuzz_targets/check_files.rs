//! The whole check on up to four fuzzed env files: spans valid, values masked, nothing hidden
//! in a message.
//!
//! The checks live in `crates/secretlint-engine/tests/fuzz_checks`, shared with the stable
//! regression test that replays every crash input kept in
//! `crates/secretlint-engine/tests/fixtures/fuzz/check_files`.

#![no_main]

#[path = "../../crates/secretlint-engine/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_files(data));
