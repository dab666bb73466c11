use crate::cli::Ctx;
use crate::cli::args::IncidentPushArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &IncidentPushArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("incident push")
}
