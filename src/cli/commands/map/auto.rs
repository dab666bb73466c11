use crate::cli::Ctx;
use crate::cli::args::MapAutoArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &MapAutoArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("map auto")
}
