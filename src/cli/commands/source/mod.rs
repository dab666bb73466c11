pub mod set;
pub mod show;
pub mod test;

use crate::cli::Ctx;
use crate::cli::args::SourceCommand;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, cmd: SourceCommand) -> anyhow::Result<Exit> {
    match cmd {
        SourceCommand::Set(args) => set::run(ctx, &args),
        SourceCommand::Show => show::run(ctx),
        SourceCommand::Test => test::run(ctx),
    }
}
