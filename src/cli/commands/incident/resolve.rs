use crate::cli::Ctx;
use crate::cli::args::IncidentResolveArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &IncidentResolveArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("incident resolve")
}
