use crate::cli::Ctx;
use crate::cli::args::IntegrationAddCommand;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &IntegrationAddCommand) -> anyhow::Result<Exit> {
    super::super::not_yet("integration add")
}
