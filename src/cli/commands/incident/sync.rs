//! `incident sync [--watch SECS] [--dry-run] [--strict]`: the cron / service entry point.
//!
//! Each poll reads the incidents changed since the PSA's cursor minus the overlap
//! (`[incidents] sync_overlap_secs`, default 60), oldest `updated_at` first, and pushes
//! them; the cursor then moves past the successes only, up to the first failure, so a
//! failed incident is read again next time. The cursor is kept per PSA identity in the
//! ledger.
//!
//! Once a cursor exists, an incident that appeared after it (minus the overlap) and
//! finished before the poll saw it (opened and closed between two polls) is news: its
//! ticket is created, then closed. Incidents a sync skipped are remembered in the ledger,
//! so their marker is not looked up on every poll of the overlap.
//!
//! "News" alone would lose an old incident whose create failed (`--strict`, a 400, a batch
//! halted by expired credentials): successes sorting before it move the cursor past its
//! `sent_at`, and once it closes it would look like history. So a failure to make a
//! ticket writes an `owed` record to the ledger, and an owed incident is never history:
//! when it is read again (its next change moves its `updated_at` past the cursor) it gets
//! its ticket, created and closed if it finished meanwhile.
//!
//! First run (no cursor for this PSA): every open incident (`sent`, `auto_remediating`),
//! plus the incidents that finished since the oldest still-open ticket in the ledger (so
//! tickets made by earlier `incident push` runs get closed). Incidents that finished
//! before psa-link first saw them get no ticket (history), though a ticket psa-link made
//! for one earlier is still found by its marker and closed.
//!
//! `--watch SECS` polls until Ctrl-C: a poll that fails for a passing reason (network,
//! server error, rate-limit budget, the ledger locked by another run) is reported on
//! stderr and tried again next round; Ctrl-C finishes the incident in flight, records
//! it, writes the cursor and exits 0. With `--json`, each poll prints one JSON document
//! on its own line.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use time::OffsetDateTime;

use super::batch::{self, BatchReport, LedgerAccess, Prepared, Target};
use super::interrupt;
use crate::cli::Ctx;
use crate::cli::args::IncidentSyncArgs;
use crate::error::{Exit, Failure};
use crate::http::{ApiError, ApiErrorKind};
use crate::lifecycle::cursor::{format_time, parse_time};
use crate::lifecycle::{Handled, PlanOptions, next_cursor, updated_since};
use crate::source::{Incident, IncidentQuery, IncidentStatus, Source};
use crate::store::{Ledger, StoreError};

pub fn run(ctx: &mut Ctx, args: &IncidentSyncArgs) -> anyhow::Result<Exit> {
    let mut target = Target::open(ctx)?;
    let source = ctx.open_source(&target.config)?;
    interrupt::install();
    let Some(secs) = args.watch else {
        let polled = poll(ctx, &target, &*source, args)?;
        polled.show(ctx, false)?;
        return Ok(polled.report.exit());
    };
    let every = Duration::from_secs(secs.max(1));
    ctx.out.status(format!(
        "watching for incident changes every {}s; Ctrl-C stops cleanly",
        every.as_secs()
    ));
    loop {
        match poll(ctx, &target, &*source, args) {
            Ok(polled) => polled.show(ctx, true)?,
            Err(e) if passing(&e) => {
                let failure = Failure::from_anyhow(e);
                ctx.out.warn(format!(
                    "poll failed: {}; trying again in {}s",
                    failure.message,
                    every.as_secs()
                ));
            }
            Err(e) => return Err(e),
        }
        if interrupt::requested() || !interrupt::sleep(every) {
            break;
        }
        target.refresh(ctx)?;
    }
    ctx.out.status("stopped");
    Ok(Exit::Success)
}

/// Failures worth another try next round: the network, the service, its rate limit, or
/// another run holding the ledger.
fn passing(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        if let Some(api) = cause.downcast_ref::<ApiError>() {
            return matches!(
                api.kind,
                ApiErrorKind::Network
                    | ApiErrorKind::Timeout
                    | ApiErrorKind::RateLimited
                    | ApiErrorKind::ServerError
            );
        }
        matches!(
            cause.downcast_ref::<StoreError>(),
            Some(StoreError::Locked { .. })
        )
    })
}

/// One poll's outcome.
struct Polled {
    report: BatchReport,
    cursor_before: Option<OffsetDateTime>,
    cursor_after: Option<OffsetDateTime>,
    first_run: bool,
}

impl Polled {
    fn show(&self, ctx: &Ctx, watching: bool) -> anyhow::Result<()> {
        let cursor = |c: Option<OffsetDateTime>| c.map(format_time);
        if ctx.out.json {
            let doc = self.report.json(vec![
                ("cursor", json!(cursor(self.cursor_after))),
                ("previous_cursor", json!(cursor(self.cursor_before))),
                ("first_run", json!(self.first_run)),
            ]);
            if watching {
                // One document per poll, one per line, for log shippers.
                ctx.out.data(serde_json::to_string(&doc)?)?;
            } else {
                ctx.out.json_doc(&doc)?;
            }
            return Ok(());
        }
        self.report.print(&ctx.out)?;
        if self.cursor_after != self.cursor_before
            && let Some(c) = cursor(self.cursor_after)
        {
            ctx.out.status(format!("cursor: {c}"));
        }
        Ok(())
    }
}

fn poll(
    ctx: &Ctx,
    target: &Target,
    source: &dyn Source,
    args: &IncidentSyncArgs,
) -> anyhow::Result<Polled> {
    let before = ctx.http()?.stats();
    // Held for the whole poll: a cron run and a technician never push the same incident
    // twice at once.
    let mut ledger = LedgerAccess::open(ctx, args.dry_run)?;
    let cursor = ledger
        .ledger()
        .cursor(&target.identity)
        .and_then(|c| parse_time(&c));
    let overlap = target.config.incidents.sync_overlap_secs;
    let incidents = changed(source, ledger.ledger(), &target.identity, cursor, overlap)?;
    let strict = args.strict || target.config.incidents.strict;
    let (prepared, report) = batch::execute(
        ctx,
        target,
        source,
        incidents,
        PlanOptions::sync_since(strict, updated_since(cursor, overlap)),
        &mut ledger,
        &before,
    )?;
    let next = next_cursor(cursor, handled(&prepared, &report));
    if let LedgerAccess::Write(writer) = &mut ledger
        && let Some(next) = next.filter(|n| Some(*n) != cursor)
    {
        writer.set_cursor(&target.identity, &format_time(next))?;
    }
    Ok(Polled {
        report,
        cursor_before: cursor,
        // A dry run moves nothing.
        cursor_after: if args.dry_run { cursor } else { next },
        first_run: cursor.is_none(),
    })
}

/// What the cursor learns from the poll: each reported incident's `updated_at` and
/// whether it succeeded; incidents left by a Ctrl-C count as not done.
fn handled(prepared: &[Prepared], report: &BatchReport) -> Vec<Handled> {
    let ok: BTreeMap<i64, bool> = report
        .report
        .results
        .iter()
        .map(|r| (r.incident_id, r.ok()))
        .collect();
    prepared
        .iter()
        .map(|p| {
            let done = ok.get(&p.incident.id).copied().unwrap_or(false);
            Handled::new(p.incident.updated_at.as_deref(), done)
        })
        .collect()
}

const OPEN: [IncidentStatus; 2] = [IncidentStatus::Sent, IncidentStatus::AutoRemediating];

/// The incidents to push, oldest `updated_at` first.
fn changed(
    source: &dyn Source,
    ledger: &Ledger,
    identity: &str,
    cursor: Option<OffsetDateTime>,
    overlap: u64,
) -> anyhow::Result<Vec<Incident>> {
    if cursor.is_some() {
        return Ok(source.incidents(&IncidentQuery {
            updated_since: updated_since(cursor, overlap),
            ..IncidentQuery::default()
        })?);
    }
    let mut incidents = source.incidents(&IncidentQuery {
        statuses: OPEN.to_vec(),
        ..IncidentQuery::default()
    })?;
    // Tickets still open from earlier pushes: their incidents may have finished since.
    let open_tickets: BTreeMap<i64, Option<OffsetDateTime>> = ledger
        .entries_for(identity)
        .filter(|e| !e.ticket_state.is_terminal())
        .map(|e| {
            let at = e.source_updated_at.as_deref().unwrap_or(&e.pushed_at);
            (e.incident_id, parse_time(at))
        })
        .collect();
    let oldest = open_tickets.values().flatten().min().copied();
    if !open_tickets.is_empty() {
        let finished = source.incidents(&IncidentQuery {
            statuses: vec![
                IncidentStatus::Closed,
                IncidentStatus::Dismissed,
                IncidentStatus::PartnerDismissed,
            ],
            updated_since: updated_since(oldest, overlap),
            ..IncidentQuery::default()
        })?;
        let known: std::collections::BTreeSet<i64> = incidents.iter().map(|i| i.id).collect();
        incidents.extend(
            finished
                .into_iter()
                .filter(|i| open_tickets.contains_key(&i.id) && !known.contains(&i.id)),
        );
        incidents.sort_by_key(|i| (i.updated_at.as_deref().and_then(parse_time), i.id));
    }
    Ok(incidents)
}
