mod batch;
mod interrupt;
pub mod list;
pub mod push;
pub mod resolve;
pub mod sync;

use crate::cli::Ctx;
use crate::cli::args::IncidentCommand;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, cmd: IncidentCommand) -> anyhow::Result<Exit> {
    match cmd {
        IncidentCommand::Push(args) => push::run(ctx, &args),
        IncidentCommand::Resolve(args) => resolve::run(ctx, &args),
        IncidentCommand::Sync(args) => sync::run(ctx, &args),
        IncidentCommand::List(args) => list::run(ctx, &args),
    }
}
