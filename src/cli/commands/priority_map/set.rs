use crate::cli::Ctx;
use crate::cli::args::PriorityMapSetArgs;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &PriorityMapSetArgs) -> anyhow::Result<Exit> {
    super::super::not_yet("priority-map set")
}
