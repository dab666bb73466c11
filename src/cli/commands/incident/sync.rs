use crate::cli::Ctx;
use crate::cli::args::IncidentSyncArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &IncidentSyncArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("incident sync")
}
