pub mod demo;
pub mod serve;

use crate::cli::Ctx;
use crate::cli::args::{SandboxAction, SandboxArgs, SandboxPsa, SandboxServeArgs};
use crate::error::Exit;
use crate::psa::PsaKind;
use crate::sandbox::launch::SandboxOptions;

pub fn run(ctx: &mut Ctx, args: SandboxArgs) -> anyhow::Result<Exit> {
    match &args.action {
        None => serve::run(
            ctx,
            &args,
            &SandboxServeArgs {
                port: 18480,
                latency_ms: 0,
            },
        ),
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

fn options(kind: PsaKind, args: &SandboxArgs) -> SandboxOptions {
    SandboxOptions {
        faults: args.faults.clone(),
        ..SandboxOptions::new(kind)
    }
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
