use crate::cli::Ctx;
use crate::cli::args::SandboxServeArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &SandboxServeArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("sandbox serve")
}
