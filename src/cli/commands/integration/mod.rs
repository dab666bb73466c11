pub mod add;
pub mod remove;
pub mod show;
pub mod test;

use crate::cli::Ctx;
use crate::cli::args::IntegrationCommand;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, cmd: IntegrationCommand) -> anyhow::Result<Exit> {
    match cmd {
        IntegrationCommand::Add(args) => add::run(ctx, args),
        IntegrationCommand::Show => show::run(ctx),
        IntegrationCommand::Remove => remove::run(ctx),
        IntegrationCommand::Test(args) => test::run(ctx, &args),
    }
}
