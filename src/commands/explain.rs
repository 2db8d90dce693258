//! `secretlint explain [RULE]`: a rule's documentation, or the list of rules.

use std::io::Write;
use std::process::ExitCode;

use secretlint_engine::Rule;

use crate::cli::ExplainArgs;

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let Some(id) = args.rule else {
        for rule in Rule::ALL {
            writeln!(
                out,
                "{:<28} {:<8} {}",
                rule.id(),
                rule.default_severity().as_str(),
                rule.summary()
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    match Rule::from_id(&id) {
        Some(rule) => {
            writeln!(out, "# {}\n", rule.id())?;
            writeln!(
                out,
                "Default severity: {}\n",
                rule.default_severity().as_str()
            )?;
            write!(out, "{}", rule.doc())?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            let near = ids
                .iter()
                .map(|c| (strsim::jaro_winkler(&id, c), *c))
                .filter(|(s, _)| *s > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            match near {
                Some((_, s)) => eprintln!("error: unknown rule `{id}`; did you mean `{s}`?"),
                None => {
                    eprintln!("error: unknown rule `{id}`; `secretlint explain` lists every rule")
                }
            }
            Ok(ExitCode::from(2))
        }
    }
}
