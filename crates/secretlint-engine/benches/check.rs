//! A benchmark of a whole check in memory: a generated monorepo of services, each with
//! production, staging, development and template files sharing and reusing values, under
//! the recommended policy. The binary-level benchmark against the walk floor is
//! bench/compare.sh.
//!
//! Run with `cargo bench -p secretlint-engine --bench check`.

use secretlint_engine::{CheckOptions, Input, Policy, check};

fn main() {
    divan::main();
}

fn repo(services: usize) -> Vec<Input> {
    let mut inputs = Vec::new();
    for s in 0..services {
        let strong = format!("Xf3kQ9vR2mT7wL1pZ8sN4bH6yJ0cD5gA{s:08}");
        let weak = if s % 5 == 0 {
            "changeme".to_owned()
        } else {
            format!("dev-secret-{s}")
        };
        let files = [
            (
                ".env.production",
                format!("SECRET_KEY={strong}\nDB_PASSWORD=Pq7!{strong}\nPORT=8080\n"),
            ),
            (
                ".env.staging",
                format!(
                    "SECRET_KEY={}\nDB_PASSWORD={weak}\n",
                    if s % 3 == 0 {
                        strong.clone()
                    } else {
                        format!("{strong}x")
                    }
                ),
            ),
            (".env", format!("SECRET_KEY={weak}\nAPI_TOKEN=short\n")),
            (
                ".env.example",
                "SECRET_KEY=<your-secret>\nDB_PASSWORD=\n".to_owned(),
            ),
        ];
        for (name, text) in files {
            inputs.push(Input::text(format!("services/svc-{s}/{name}"), text));
        }
    }
    inputs
}

#[divan::bench(args = [50, 500], sample_count = 10)]
fn check_repo(bencher: divan::Bencher, services: usize) {
    let policy = Policy::recommended();
    bencher
        .with_inputs(|| repo(services))
        .bench_values(|inputs| {
            check(&policy, inputs, &CheckOptions::default())
                .findings
                .len()
        });
}
