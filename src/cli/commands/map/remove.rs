use crate::cli::Ctx;
use crate::cli::args::MapRemoveArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &MapRemoveArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("map remove")
}
