pub mod demo;
pub mod serve;

use crate::cli::Ctx;
use crate::cli::args::{SandboxAction, SandboxArgs, SandboxServeArgs};
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, args: SandboxArgs) -> anyhow::Result<Exit> {
    match &args.action {
        None => serve::run(
            ctx,
            &SandboxServeArgs {
                port: 18480,
                latency_ms: 0,
            },
        ),
        Some(SandboxAction::Serve(a)) => serve::run(ctx, a),
        Some(SandboxAction::Demo(a)) => demo::run(ctx, a),
    }
}
