//! The policy loader: errors point into the policy, accepted policies check files.
//!
//! The checks live in `crates/secretlint-engine/tests/fuzz_checks`, shared with the stable
//! regression test that replays every crash input kept in
//! `crates/secretlint-engine/tests/fixtures/fuzz/policy_loader`.

#![no_main]

#[path = "../../crates/secretlint-engine/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::policy_loader(data));
