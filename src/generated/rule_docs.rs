//! `docs/rules/<id>.md`: one page per rule from the registry's documentation (the text
//! `secretlint explain` prints), and `docs/rules/README.md`, the index. The language server's
//! `codeDescription` and SARIF's `helpUri` link to these pages through [`Rule::docs_url`].

use std::collections::BTreeMap;
use std::fmt::Write;

use secretlint_engine::Rule;
use secretlint_engine::rules::{Family, FixAvailability};

fn family(f: Family) -> &'static str {
    match f {
        Family::Value => "value",
        Family::Cross => "cross",
        Family::Age => "age",
        Family::File => "file",
    }
}

/// The file holding a rule's documentation: one file per rule, named after its id, in its
/// family's directory (the test below checks it exists).
pub fn source_file(rule: Rule) -> String {
    format!(
        "crates/secretlint-engine/src/rules/{}/{}.rs",
        family(rule.family()),
        rule.id().replace('-', "_")
    )
}

fn fix(rule: Rule) -> &'static str {
    match (rule.fix_availability(), rule.family()) {
        (FixAvailability::Safe, Family::File) => "`secretlint fix`",
        (FixAvailability::Safe, _) => {
            "`secretlint fix` (values issued elsewhere are rotated by a person)"
        }
        (FixAvailability::None, _) => "by hand",
    }
}

pub fn pages() -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for rule in Rule::ALL.iter().copied() {
        let mut page = String::new();
        let _ = writeln!(
            page,
            "<!-- Generated from {} by `SECRETLINT_BLESS=1 cargo test --bin secretlint generated`:\n     edit the rule's documentation there. -->",
            source_file(rule)
        );
        let _ = writeln!(page, "# {}\n", rule.id());
        let _ = writeln!(
            page,
            "Family: {} · Default severity: {} · Fixed: {}\n",
            family(rule.family()),
            rule.default_severity().as_str(),
            fix(rule)
        );
        page.push_str(rule.doc());
        if !page.ends_with('\n') {
            page.push('\n');
        }
        let _ = writeln!(
            page,
            "\n## Configure\n\nThe severity is set per policy, or per environment:\n\n```toml\n[rules]\n{} = \"warning\"  # or \"error\", \"info\", \"off\"\n\n[environments.development.rules]\n{} = \"off\"\n```\n\nA single line can be exempted with a comment that says why:\n`# secretlint-allow: {} -- reason`. `secretlint explain {}` prints this page in a terminal.",
            rule.id(),
            rule.id(),
            rule.id(),
            rule.id()
        );
        pages.insert(format!("docs/rules/{}.md", rule.id()), page);
    }
    pages.insert("docs/rules/README.md".to_owned(), index());
    pages
}

fn index() -> String {
    let mut out = String::from(
        "<!-- Generated from the rule registry (crates/secretlint-engine/src/rules/mod.rs) by\n     `SECRETLINT_BLESS=1 cargo test --bin secretlint generated`. -->\n# Rules\n\nEvery rule secretlint has, by family. Each page says what the rule flags, why it matters, an\nexample and the fix; `secretlint explain <rule>` prints the same text.\n",
    );
    for (f, title) in [
        (Family::Value, "Values: one value against its profile"),
        (
            Family::Cross,
            "Across files: values compared between keys, files and environments",
        ),
        (
            Family::Age,
            "Age: when a secret was rotated and when it is due",
        ),
        (Family::File, "Files: a file as a whole"),
    ] {
        let _ = writeln!(out, "\n## {title}\n");
        let _ = writeln!(
            out,
            "| Rule | Default | What it flags |\n| --- | --- | --- |"
        );
        for rule in Rule::ALL.iter().filter(|r| r.family() == f) {
            let _ = writeln!(
                out,
                "| [`{id}`]({id}.md) | {} | {} |",
                rule.default_severity().as_str(),
                rule.summary(),
                id = rule.id()
            );
        }
    }
    out
}

#[test]
fn every_rule_documents_itself_in_its_own_file() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for rule in Rule::ALL.iter().copied() {
        let file = source_file(rule);
        let text = std::fs::read_to_string(root.join(&file))
            .unwrap_or_else(|_| panic!("`{rule}`: no `{file}`"));
        assert!(text.contains("const DOC"), "`{file}` has no `DOC`");
        assert!(rule.docs_url().ends_with(&format!("/{}", rule.id())));
    }
}
