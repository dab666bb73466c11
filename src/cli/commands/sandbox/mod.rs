pub mod demo;
pub mod serve;

use clap::{Args, FromArgMatches};

use crate::cli::Ctx;
use crate::cli::args::{SandboxAction, SandboxArgs, SandboxPsa, SandboxServeArgs};
use crate::error::{Exit, Failure};
use crate::psa::PsaKind;
use crate::sandbox::launch::{Sandbox, SandboxOptions};

pub fn run(ctx: &mut Ctx, args: SandboxArgs) -> anyhow::Result<Exit> {
    match &args.action {
        None => serve::run(ctx, &args, &serve_defaults()?),
        Some(SandboxAction::Serve(a)) => serve::run(ctx, &args, a),
        Some(SandboxAction::Demo(a)) => demo::run(ctx, &args, a),
    }
}

fn kind_of(psa: SandboxPsa) -> PsaKind {
    match psa {
        SandboxPsa::Halopsa => PsaKind::Halopsa,
        SandboxPsa::Connectwise => PsaKind::Connectwise,
    }
}

/// `sandbox` alone serves with `serve`'s defaults and its PSA_LINK_SANDBOX_* variables,
/// read by the same rules as every other flag (an empty variable counts as unset; a bad
/// value names its variable).
fn serve_defaults() -> anyhow::Result<SandboxServeArgs> {
    let mut cmd = crate::cli::without_empty_env(SandboxServeArgs::augment_args(
        clap::Command::new("psa-link sandbox"),
    ));
    let matches = cmd
        .try_get_matches_from_mut(["psa-link sandbox"])
        .map_err(|e| usage(crate::cli::name_env_source(e, &cmd, &[])))?;
    Ok(SandboxServeArgs::from_arg_matches(&matches)?)
}

/// A clap error as a usage failure: its first line without clap's own `error:` (the
/// report adds one), the rest (the variable it came from, a tip) as the fix.
fn usage(e: clap::Error) -> Failure {
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let message = lines.next().unwrap_or("invalid value");
    let message = message.strip_prefix("error:").unwrap_or(message).trim();
    let rest: Vec<&str> = lines
        .map(|l| l.strip_prefix("tip:").unwrap_or(l).trim())
        .filter(|l| !l.starts_with("For more information"))
        .collect();
    let failure = Failure::usage(message.to_string());
    if rest.is_empty() {
        failure
    } else {
        failure.with_fix(rest.join("; "))
    }
}

/// Switches on the requested faults of a running sandbox: a fault name that does not
/// exist is a usage error (exit 2) naming the valid ones.
fn apply_faults(sandbox: &Sandbox, faults: &[String]) -> anyhow::Result<()> {
    for fault in faults {
        sandbox.set_fault(fault, true).map_err(|msg| {
            Failure::usage(msg).with_fix("`psa-link sandbox --fault list` describes each fault")
        })?;
    }
    Ok(())
}

/// The sandbox's options without its faults: those are switched on by `apply_faults`
/// once the emulators run, so a misspelt fault is told apart from a busy port.
fn options(kind: PsaKind) -> SandboxOptions {
    SandboxOptions::new(kind)
}

/// Arguments as one shell line, single-quoted where needed.
fn shell_line(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::shell_line;

    #[test]
    fn shell_lines_quote_spaces_and_apostrophes() {
        let args = vec![
            "--ticket-type".to_string(),
            "Huntress Incident".into(),
            "O'Brien".into(),
            "http://x:1".into(),
        ];
        assert_eq!(
            shell_line(&args),
            r"--ticket-type 'Huntress Incident' 'O'\''Brien' http://x:1"
        );
    }
}
