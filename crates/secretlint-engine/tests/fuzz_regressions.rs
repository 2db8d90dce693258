//! Every crash input the fuzz targets found, replayed on stable under the same checks: one
//! directory per target in `tests/fixtures/fuzz/<target>/`, one file per input.

mod fuzz_checks;

use std::path::Path;

/// Runs `check` on every input kept for `target`, naming the input that fails.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    for input in inputs {
        let data = std::fs::read(&input).expect("fuzz input");
        let name = input.file_name().unwrap_or_default().to_string_lossy();
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("");
            panic!("{target}/{name} fails again: {why}");
        }
    }
}

#[test]
fn env_reader_inputs() {
    replay("env_reader", fuzz_checks::env_reader);
}

#[test]
fn policy_loader_inputs() {
    replay("policy_loader", fuzz_checks::policy_loader);
}

#[test]
fn check_files_inputs() {
    replay("check_files", fuzz_checks::check_files);
}

#[test]
fn yaml_reader_inputs() {
    replay("yaml_reader", fuzz_checks::yaml_reader);
}

#[test]
fn fix_applier_inputs() {
    replay("fix_applier", fuzz_checks::fix_applier);
}
