pub mod list;
pub mod set;

use crate::cli::Ctx;
use crate::cli::args::PriorityMapCommand;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, cmd: PriorityMapCommand) -> anyhow::Result<Exit> {
    match cmd {
        PriorityMapCommand::Set(args) => set::run(ctx, &args),
        PriorityMapCommand::List => list::run(ctx),
    }
}
