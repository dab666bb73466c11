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
use crate::lifecycle::{IncidentResult, PlanOptions};
use crate::source::file::FileSource;
use crate::source::{Incident, IncidentQuery, IncidentStatus, Source};

pub fn run(ctx: &mut Ctx, args: &IncidentPushArgs) -> anyhow::Result<Exit> {
    let before = ctx.http()?.stats();
    let target = Target::open(ctx)?;
    let source: Box<dyn Source> = match &args.file {
        Some(path) => Box::new(FileSource::open(path)?),
        None => ctx.open_source(&target.config)?,
    };
    // Every incident is read before anything changes; an id the source does not know is a
    // failed result of its own and the others are pushed.
    let (incidents, unknown) = incidents(ctx, &*source, args)?;
    let strict = args.strict || target.config.incidents.strict;
    let mut ledger = LedgerAccess::open(ctx, args.dry_run)?;
    interrupt::install();
    let (_, mut report) = batch::execute(
        ctx,
        &target,
        &*source,
        incidents,
        PlanOptions::push(strict),
        &mut ledger,
        &before,
    )?;
    drop(ledger);
    report.add_unplanned(unknown);
    if ctx.out.json {
        ctx.out.json_doc(&report.json(Vec::new()))?;
    } else {
        report.print(&ctx.out)?;
    }
    Ok(report.exit())
}

/// The incidents the arguments name, in the order given (ids once each), and failed
/// results for named ids the source does not know.
fn incidents(
    ctx: &Ctx,
    source: &dyn Source,
    args: &IncidentPushArgs,
) -> anyhow::Result<(Vec<Incident>, Vec<IncidentResult>)> {
    if args.all_open {
        let spinner = ctx.out.spinner("listing open incidents");
        let open = source.incidents(&IncidentQuery {
            statuses: vec![IncidentStatus::Sent, IncidentStatus::AutoRemediating],
            ..IncidentQuery::default()
        })?;
        spinner.finish_and_clear();
        return Ok((open, Vec::new()));
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
        return Ok((source.incidents(&IncidentQuery::default())?, Vec::new()));
    }
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for &id in &args.ids {
        if seen.insert(id) {
            match batch::named_incident(source, id)? {
                Ok(incident) => found.push(incident),
                Err(failed) => unknown.push(failed),
            }
        }
    }
    Ok((found, unknown))
}
