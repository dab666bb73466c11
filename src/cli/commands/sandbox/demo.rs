use crate::cli::Ctx;
use crate::cli::args::SandboxDemoArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &SandboxDemoArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("sandbox demo")
}
