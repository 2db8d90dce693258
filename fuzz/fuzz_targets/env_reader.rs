//! The .env reader: span invariants and agreement with dotenvy on any text.
//!
//! The checks live in `crates/secretlint-engine/tests/fuzz_checks`, shared with the stable
//! regression test that replays every crash input kept in
//! `crates/secretlint-engine/tests/fixtures/fuzz/env_reader`.

#![no_main]

#[path = "../../crates/secretlint-engine/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::env_reader(data));
