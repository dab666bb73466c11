use crate::cli::Ctx;
use crate::cli::args::SourceSetCommand;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx, _args: &SourceSetCommand) -> anyhow::Result<Exit> {
    super::super::not_yet("source set")
}
