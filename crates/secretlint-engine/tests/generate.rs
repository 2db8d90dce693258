//! Generated values are compliant by construction: for every secret rule of both shipped
//! policies that has a generator, in every environment, thousands of drawn values all pass the
//! policy's own checks.

use secretlint_engine::check::requirement_violations;
use secretlint_engine::generate::{generate, generate_compliant};
use secretlint_engine::policy::{Policy, PolicyOrigin};

const JOBSWIPE: &str = include_str!("../../../policy/jobswipe.toml");

fn policies() -> Vec<Policy> {
    vec![
        Policy::recommended(),
        Policy::from_toml(JOBSWIPE, PolicyOrigin::Builtin("jobswipe")).unwrap(),
    ]
}

#[test]
fn raw_generated_values_pass_their_profiles() {
    const DRAWS: usize = 500;
    for policy in policies() {
        for (s, rule) in policy.secrets.iter().enumerate() {
            let Some(generator) = policy.generator(s) else {
                continue;
            };
            let key = rule.names[0].replace('*', "APP");
            for env in std::iter::once(None).chain((0..policy.environments.len()).map(Some)) {
                let req = policy.requirements(s, env);
                let mut failures = 0;
                for _ in 0..DRAWS {
                    let v = generate(generator).unwrap();
                    if !requirement_violations(req, v.expose(), &key).is_empty() {
                        failures += 1;
                    }
                }
                // `generate_compliant` redraws on failure; raw draws failing more than 1 in 100
                // would mean the generator and the profile disagree.
                assert!(
                    failures * 100 <= DRAWS,
                    "{key}: {failures} of {DRAWS} raw values failed in env {env:?}"
                );
                let v = generate_compliant(&policy, s, env, &key).unwrap();
                assert!(requirement_violations(req, v.expose(), &key).is_empty());
            }
        }
    }
}
