//! `incident push <ID>… | --file F | --all-open [--dry-run] [--strict]`: plans and applies
//! the lifecycle for the named incidents. Explicitly named incidents are ticketed even
//! when already closed (created, then closed with a resolution note); the sync cursor is
//! not touched.

use std::collections::BTreeSet;

use super::batch::{self, LedgerAccess, Target};
use super::interrupt;
use crate::cli::Ctx;
use crate::cli::args::IncidentPushArgs;
use crate::error::{Exit, Failure};
use crate::lifecycle::PlanOptions;
use crate::source::file::FileSource;
use crate::source::{Incident, IncidentQuery, IncidentStatus, Source};

pub fn run(ctx: &mut Ctx, args: &IncidentPushArgs) -> anyhow::Result<Exit> {
    let before = ctx.http()?.stats();
    let target = Target::open(ctx)?;
    let source: Box<dyn Source> = match &args.file {
        Some(path) => Box::new(FileSource::open(path)?),
        None => ctx.open_source(&target.config)?,
    };
    // Every incident is read before anything changes: an unknown id fails the command
    // with nothing pushed.
    let incidents = incidents(ctx, &*source, args)?;
    let strict = args.strict || target.config.incidents.strict;
    let mut ledger = LedgerAccess::open(ctx, args.dry_run)?;
    interrupt::install();
    let (_, report) = batch::execute(
        ctx,
        &target,
        &*source,
        incidents,
        PlanOptions::push(strict),
        &mut ledger,
        &before,
    )?;
    drop(ledger);
    if ctx.out.json {
        ctx.out.json_doc(&report.json(Vec::new()))?;
    } else {
        report.print(&ctx.out)?;
    }
    Ok(report.exit())
}

/// The incidents the arguments name, in the order given (ids once each).
fn incidents(
    ctx: &Ctx,
    source: &dyn Source,
    args: &IncidentPushArgs,
) -> anyhow::Result<Vec<Incident>> {
    if args.all_open {
        let spinner = ctx.out.spinner("listing open incidents");
        let open = source.incidents(&IncidentQuery {
            statuses: vec![IncidentStatus::Sent, IncidentStatus::AutoRemediating],
            ..IncidentQuery::default()
        })?;
        spinner.finish_and_clear();
        return Ok(open);
    }
    if args.ids.is_empty() {
        // --file without ids: everything in the file. Without --file, nothing was chosen
        // (`cli::parse_from` refuses that first): never read the whole configured source.
        if args.file.is_none() {
            return Err(Failure::usage(
                "incident push needs one of <ID>..., --file FILE or --all-open",
            )
            .into());
        }
        return Ok(source.incidents(&IncidentQuery::default())?);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for &id in &args.ids {
        if seen.insert(id) {
            out.push(source.incident(id)?);
        }
    }
    Ok(out)
}
