//! The committed completion scripts in `completions/` match what the current CLI
//! generates. Regenerate with `PSA_LINK_BLESS=1 cargo test completions`.

use clap_complete::Shell;
use psa_link::cli::commands::completions::{file_name, generate};

use crate::common::{TestEnv, assert_code, repo_root, stdout};

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

#[test]
fn committed_completions_match_the_cli() {
    let bless = std::env::var_os("PSA_LINK_BLESS").is_some();
    let mut stale = Vec::new();
    for shell in SHELLS {
        let path = repo_root().join("completions").join(file_name(shell));
        let generated = generate(shell);
        if bless {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        if committed != generated {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "completion scripts are out of date: {stale:?}\nregenerate with `PSA_LINK_BLESS=1 cargo test completions` and commit them"
    );
}

#[test]
fn completions_command_prints_the_script() {
    let env = TestEnv::new();
    let out = env.run(&["completions", "bash"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("psa-link"));
    assert!(text.contains("integration"));
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let out = env.run(&["map", "auto", "--filter", "bogus"]);
    assert_code(&out, 2);
}

/// `psa-link … | head` must end quietly: a closed stdout is not an error.
#[test]
fn a_closed_stdout_pipe_ends_the_run_quietly() {
    use std::process::{Command, Stdio};
    let env = TestEnv::new();
    // The read end is closed before the child starts, so its first write meets EPIPE.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(assert_cmd::cargo::cargo_bin!("psa-link"))
        .args(["completions", "zsh"])
        .env("PSA_LINK_HOME", env.config_dir())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "no error for a closed pipe: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
