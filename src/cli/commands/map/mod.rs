pub mod auto;
pub mod list;
pub mod manual;
pub mod remove;

use crate::cli::Ctx;
use crate::cli::args::MapCommand;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, cmd: MapCommand) -> anyhow::Result<Exit> {
    match cmd {
        MapCommand::Auto(args) => auto::run(ctx, &args),
        MapCommand::Manual(args) => manual::run(ctx, &args),
        MapCommand::Remove(args) => remove::run(ctx, &args),
        MapCommand::List(args) => list::run(ctx, &args),
    }
}
