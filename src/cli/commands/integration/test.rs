use crate::cli::Ctx;
use crate::cli::args::IntegrationTestArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &IntegrationTestArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("integration test")
}
