//! `map auto | manual | remove | list`: the organization mapping, from the command line.
//! The engine is `psa_link::mapping`; the file is `Store::mapping` / `Store::edit_mapping`.

pub mod auto;
pub mod list;
pub mod manual;
pub mod remove;
mod report;

use std::path::Path;
use std::thread::ScopedJoinHandle;

use crate::cli::Ctx;
use crate::cli::args::{MapCommand, MapFilter};
use crate::error::{Exit, Failure};
use crate::mapping::OrgReport;
use crate::mapping::State;
use crate::psa::{Company, Psa};
use crate::source::Organization;
use crate::store::{Config, Mapping};

pub fn run(ctx: &mut Ctx, cmd: MapCommand) -> anyhow::Result<Exit> {
    match cmd {
        MapCommand::Auto(args) => auto::run(ctx, &args),
        MapCommand::Manual(args) => manual::run(ctx, &args),
        MapCommand::Remove(args) => remove::run(ctx, &args),
        MapCommand::List(args) => list::run(ctx, &args),
    }
}

/// Both sides of the mapping as they are now, and the PSA they came from.
pub(crate) struct Live {
    pub psa: Box<dyn Psa>,
    pub organizations: Vec<Organization>,
    pub companies: Vec<Company>,
}

/// Fetches the source's organizations and the PSA's companies at the same time (two
/// threads: neither list depends on the other, and each client pages concurrently where
/// its API allows). A spinner on stderr while it waits, on a terminal only.
pub(crate) fn fetch(ctx: &Ctx, config: &Config) -> anyhow::Result<Live> {
    let source = ctx.open_source(config)?;
    let psa = ctx.open_psa(config)?;
    let kind = psa.kind();
    let spinner = ctx.out.spinner(&format!(
        "fetching organizations and {} {}",
        kind.display_name(),
        kind.companies_word()
    ));
    let (organizations, companies) = std::thread::scope(|s| {
        let organizations = s.spawn(|| source.organizations());
        let companies = s.spawn(|| psa.companies());
        (join(organizations), join(companies))
    });
    spinner.finish_and_clear();
    Ok(Live {
        organizations: organizations?,
        companies: companies?,
        psa,
    })
}

fn join<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Refuses a mapping made for another PSA: its company ids mean nothing in this one. A
/// file without pairs has nothing to lose and is taken over.
pub(crate) fn check_identity(path: &Path, mapping: &Mapping, identity: &str) -> anyhow::Result<()> {
    match mapping.psa.as_deref() {
        Some(theirs) if theirs != identity && !mapping.organizations.is_empty() => Err(Failure::config(format!(
            "{} belongs to another PSA ({theirs}); the configured integration is {identity}",
            path.display()
        ))
        .with_fix(format!(
            "its company ids mean nothing in {identity}: move {} aside and run `psa-link map auto` to start a mapping for this PSA, or restore the integration it was made for",
            path.display()
        ))
        .into()),
        _ => Ok(()),
    }
}

/// `--filter`: `unmapped` shows the rows that need a person (unmapped and ambiguous).
pub(crate) fn shown(filter: MapFilter, row: &OrgReport) -> bool {
    match filter {
        MapFilter::All => true,
        MapFilter::Mapped => row.state == State::Mapped,
        MapFilter::Unmapped => row.needs_pair(),
        MapFilter::Stale => row.state == State::Stale,
    }
}

/// A command-line argument that names nothing usable: exit 2 with the explanation.
pub(crate) fn bad_argument(message: String) -> anyhow::Error {
    Failure::usage(message).into()
}
