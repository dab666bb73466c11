//! `psa-link completions <shell>`: generated from the same clap definition as the parser;
//! the committed files in `completions/` are checked against it by a test.

use clap::CommandFactory;

use crate::cli::Ctx;
use crate::cli::args::{Cli, CompletionsArgs};
use crate::error::Exit;

/// The completion script for `shell`.
pub fn generate(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "psa-link", &mut buf);
    buf
}

/// The file name `clap_complete` gives each shell's script (as in `completions/`).
pub fn file_name(shell: clap_complete::Shell) -> &'static str {
    match shell {
        clap_complete::Shell::Bash => "psa-link.bash",
        clap_complete::Shell::Zsh => "_psa-link",
        clap_complete::Shell::Fish => "psa-link.fish",
        clap_complete::Shell::PowerShell => "_psa-link.ps1",
        clap_complete::Shell::Elvish => "psa-link.elv",
        _ => "psa-link.completion",
    }
}

pub fn run(ctx: &mut Ctx, args: &CompletionsArgs) -> anyhow::Result<Exit> {
    let script = String::from_utf8(generate(args.shell))?;
    ctx.out.data(script.trim_end())?;
    Ok(Exit::Success)
}
