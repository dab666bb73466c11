use crate::cli::Ctx;
use crate::cli::args::MapManualArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &MapManualArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("map manual")
}
