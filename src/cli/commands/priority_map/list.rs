use crate::cli::Ctx;
use crate::error::Exit;

pub fn run(_ctx: &mut Ctx) -> anyhow::Result<Exit> {
    super::super::not_yet("priority-map list")
}
