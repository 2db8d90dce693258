//! The `secretlint` binary.
fn main() {}
