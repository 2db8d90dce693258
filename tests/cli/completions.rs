//! `secretlint completions <shell>`: scripts generated from the command line's definition.

use crate::Sandbox;

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    let sb = Sandbox::new();
    for (shell, marker) in [
        ("bash", "complete -F _secretlint"),
        ("zsh", "#compdef secretlint"),
        ("fish", "complete -c secretlint"),
        ("elvish", "edit:completion:arg-completer[secretlint]"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'secretlint'",
        ),
    ] {
        let out = sb.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {out}");
        assert!(out.stdout.contains(marker), "{shell}: no {marker:?}");
        for word in [
            "check",
            "explain",
            "due",
            "rotate",
            "init",
            "completions",
            "policy",
        ] {
            assert!(out.stdout.contains(word), "{shell}: no {word}");
        }
    }
}

#[test]
fn bash_loads_the_completion_script() {
    let sb = Sandbox::new();
    let script = sb.run(&["completions", "bash"]).stdout;
    sb.write("secretlint.bash", &script);
    let Ok(out) = std::process::Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-c",
            "source ./secretlint.bash && complete -p secretlint",
        ])
        .current_dir(sb.path())
        .output()
    else {
        // No bash here: the marker test above still ran.
        return;
    };
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("_secretlint secretlint"));
}

#[test]
fn completions_reject_an_unknown_shell() {
    let out = Sandbox::new().run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("invalid value 'tcsh'"), "{out}");
}
