//! One module per command group, one file per command.

pub mod completions;
pub mod incident;
pub mod integration;
pub mod map;
pub mod priority_map;
pub mod sandbox;
pub(crate) mod secret_input;
pub mod source;
pub mod status_map;
pub(crate) mod view;

use crate::cli::Ctx;
use crate::cli::args::Command;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx, command: Command) -> anyhow::Result<Exit> {
    match command {
        Command::Source(c) => source::run(ctx, c),
        Command::Integration(c) => integration::run(ctx, c),
        Command::Map(c) => map::run(ctx, c),
        Command::StatusMap(c) => status_map::run(ctx, c),
        Command::PriorityMap(c) => priority_map::run(ctx, c),
        Command::Incident(c) => incident::run(ctx, c),
        Command::Sandbox(a) => sandbox::run(ctx, a),
        Command::Completions(a) => completions::run(ctx, &a),
    }
}
