//! Benchmarks of the lossless .env reader: a typical service file, a large file, and the
//! awkward lines (quotes, escapes, multi-line values, comments) that take the slow paths.
//!
//! Run with `cargo bench -p secretlint-engine --bench env_reader`.

use std::fmt::Write;

use secretlint_engine::document::env;

fn main() {
    divan::main();
}

/// A generated file of `lines` assignments in the shapes real files have.
fn env_file(lines: usize) -> String {
    let mut out = String::from("# generated for benchmarks\n");
    for i in 0..lines {
        let _ = match i % 8 {
            0 => writeln!(out, "APP_NAME_{i}=service-{i}"),
            1 => writeln!(out, "SECRET_KEY_{i}=Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA{i}"),
            2 => writeln!(
                out,
                "export DB_PASSWORD_{i}=\"p@ss w0rd {i}\" # quoted, with a comment"
            ),
            3 => writeln!(
                out,
                "DATABASE_URL_{i}=postgres://app:secret{i}@db.internal:5432/app"
            ),
            4 => writeln!(out, "SINGLE_{i}='literal $NOT_EXPANDED {i}'"),
            5 => writeln!(out, "REF_{i}=${{APP_NAME_{i}}}/path"),
            6 => writeln!(out, "\n# section {i}"),
            _ => writeln!(
                out,
                "PEM_{i}=\"-----BEGIN KEY-----\nMIIB{i}\n-----END KEY-----\""
            ),
        };
    }
    out
}

#[divan::bench(args = [20, 200, 5_000])]
fn parse(bencher: divan::Bencher, lines: usize) {
    let text = env_file(lines);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| env::parse(divan::black_box(&text)));
}

#[divan::bench]
fn parse_with_errors(bencher: divan::Bencher) {
    // Bad lines make the reader recover and record errors: the error path must stay cheap.
    let text: String = (0..500)
        .map(|i| {
            if i % 3 == 0 {
                format!("bad line {i}\n")
            } else {
                format!("K{i}=\"unterminated {i}\n")
            }
        })
        .collect();
    bencher.bench(|| env::parse(divan::black_box(&text)));
}
