use crate::cli::Ctx;
use crate::cli::args::IncidentListArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &IncidentListArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("incident list")
}
