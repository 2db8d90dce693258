//! `docs/man/secretlint.1` and one page per subcommand (`secretlint-check.1`, as git and cargo
//! do), from the clap definitions, plus the sections clap does not know: exit status,
//! environment, files.

use std::collections::BTreeMap;

use clap::CommandFactory;

use crate::cli::Cli;

/// The main page's own sections, in roff.
const EXTRA: &str = r#".SH "EXIT STATUS"
.TP
0
No finding at the failing severity (errors; warnings too with \fB\-\-deny warnings\fR).
.TP
1
Findings at the failing severity, or (\fBdue\fR) a secret overdue for rotation.
.TP
2
Usage error, invalid policy, or an I/O error: the run could not be trusted.
.SH ENVIRONMENT
.TP
SECRETLINT_NOW
The date ages are measured at, like \fB\-\-now\fR: \fB2026\-11\-30\fR or an RFC 3339 time.
.TP
NO_COLOR
When set and not empty, human output has no colors unless \fB\-\-color always\fR.
.SH FILES
.TP
secretlint.toml
The policy, found upward from the first path checked, then from the working directory; without
one the built\-in recommended policy applies. \fBsecretlint init\fR writes one.
.TP
\&.secretlint/rotations.toml
The rotation metadata: when each secret was last rotated. Holds dates, never values.
.SH "SEE ALSO"
The user guide and the policy reference in the \fBdocs/\fR directory of the source
distribution; \fBsecretlint explain\fR \fIRULE\fR for any rule.
"#;

pub fn pages() -> BTreeMap<String, String> {
    // Like clap_mangen's own `generate_to`: `help` is a flag's job in a man page.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Building fills in what the pages show: bin names (`secretlint check`) and each
    // subcommand's display name (`secretlint-check`), the page's title.
    cmd.build();
    let mut pages = BTreeMap::new();
    pages.insert("docs/man/secretlint.1".to_owned(), main_page(cmd.clone()));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_display_name().unwrap_or(sub.get_name());
        pages.insert(format!("docs/man/{name}.1"), render(sub.clone()));
    }
    pages
}

fn main_page(cmd: clap::Command) -> String {
    let man = clap_mangen::Man::new(cmd);
    let mut out = Vec::new();
    #[expect(
        clippy::type_complexity,
        reason = "a fixed table of clap_mangen section writers"
    )]
    let sections: [fn(&clap_mangen::Man, &mut dyn std::io::Write) -> std::io::Result<()>; 6] = [
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
        clap_mangen::Man::render_subcommands_section,
    ];
    for section in sections {
        section(&man, &mut out).expect("render to memory");
    }
    out.extend_from_slice(EXTRA.as_bytes());
    man.render_version_section(&mut out)
        .expect("render to memory");
    String::from_utf8(out).expect("roff is UTF-8")
}

fn render(cmd: clap::Command) -> String {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .expect("render to memory");
    String::from_utf8(out).expect("roff is UTF-8")
}
