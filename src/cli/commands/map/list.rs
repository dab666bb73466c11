use crate::cli::Ctx;
use crate::cli::args::MapListArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &MapListArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("map list")
}
