//! The manifest reader: spans valid for every kind, alias bombs bounded, the check's report
//! invariants on Kubernetes Secrets and compose files.
//!
//! The checks live in `crates/secretlint-engine/tests/fuzz_checks`, shared with the stable
//! regression test that replays every crash input kept in
//! `crates/secretlint-engine/tests/fixtures/fuzz/yaml_reader`.

#![no_main]

#[path = "../../crates/secretlint-engine/tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::yaml_reader(data));
