pub mod list;
pub mod set;

use crate::cli::Ctx;
use crate::cli::args::StatusMapCommand;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, cmd: StatusMapCommand) -> anyhow::Result<Exit> {
    match cmd {
        StatusMapCommand::Set(args) => set::run(ctx, &args),
        StatusMapCommand::List => list::run(ctx),
    }
}
