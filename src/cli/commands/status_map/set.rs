use crate::cli::Ctx;
use crate::cli::args::StatusMapSetArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &StatusMapSetArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("status-map set")
}
