//! `incident resolve <ID> [--in-source] [--dry-run]`: moves the incident's ticket to the
//! `resolved` status with a resolution note, whatever the source says. `--in-source` also
//! resolves the incident in Huntress (`POST /v1/incident_reports/{id}/resolution`, which
//! needs a user-based API key), and only once the ticket is known to exist, so a refused
//! command changes nothing in either system.

use serde_json::json;

use super::batch::{self, BatchReport, LedgerAccess, PreviewLine, Target};
use crate::cli::Ctx;
use crate::cli::args::IncidentResolveArgs;
use crate::error::Exit;
use crate::lifecycle::{ApplyError, Executor, IncidentResult, PlanOptions, plan};
use crate::psa::incident_marker;
use crate::source::Source;

pub fn run(ctx: &mut Ctx, args: &IncidentResolveArgs) -> anyhow::Result<Exit> {
    let before = ctx.http()?.stats();
    let target = Target::open(ctx)?;
    let source = ctx.open_source(&target.config)?;
    let incident = match batch::named_incident(&*source, args.id)? {
        Ok(incident) => incident,
        Err(unknown) => {
            let stats = batch::stats_since(&before, &ctx.http()?.stats());
            let mut report = BatchReport::applied(
                &[],
                batch::Applied {
                    results: Vec::new(),
                    stopped: 0,
                },
                stats,
            );
            report.add_unplanned(vec![unknown]);
            if ctx.out.json {
                ctx.out.json_doc(&report.json(vec![(
                    "in_source",
                    json!({"requested": args.in_source, "resolved": false, "status": null}),
                )]))?;
            } else {
                report.print(&ctx.out)?;
            }
            return Ok(report.exit());
        }
    };
    let options = PlanOptions::resolve(args.in_source);
    let mut ledger = LedgerAccess::open(ctx, args.dry_run)?;
    let mut prepared = batch::prepare(
        ctx,
        &target,
        &*source,
        vec![incident],
        ledger.ledger(),
        options,
    );
    let namespace = source.namespace();
    let mut resolved_in_source = false;
    let mut refused = None;
    let report = match &mut ledger {
        LedgerAccess::Read(_) => {
            let inputs = batch::inputs(&target, &prepared, namespace, options);
            let mut previewed = batch::preview(&target, &inputs);
            if args.in_source
                && let Some(p) = previewed.first_mut()
                && p.result.ok()
            {
                p.requests.insert(0, huntress_resolution(args.id));
            }
            let stats = batch::stats_since(&before, &ctx.http()?.stats());
            BatchReport::previewed(&prepared, previewed, stats)
        }
        LedgerAccess::Write(writer) => {
            let mut executor = Executor::new(&*target.psa, writer);
            if args.in_source {
                let ticket_known = {
                    let inputs = batch::inputs(&target, &prepared, namespace, options);
                    let input = &inputs[0];
                    match (input.ledger, plan(input)) {
                        (Some(_), _) => true,
                        (None, Ok(plan)) => executor.look_up_markers([&plan])? > 0,
                        (None, Err(_)) => false,
                    }
                };
                // No ticket: the executor reports why (push it first) and Huntress is
                // left alone.
                if ticket_known {
                    match source.resolve(args.id) {
                        Ok(incident) => {
                            prepared[0].incident = incident;
                            resolved_in_source = true;
                        }
                        // Refused (a read-only key, remediations not approved, ...): a
                        // failed result with the fix, and the ticket left as it is.
                        Err(error) => refused = Some(error),
                    }
                }
            }
            let inputs = batch::inputs(&target, &prepared, namespace, options);
            let results = match refused {
                Some(error) => vec![IncidentResult::failed(
                    &inputs[0],
                    &ApplyError::Api {
                        error,
                        ticket_id: None,
                        create_unconfirmed: false,
                        marker: incident_marker(namespace, args.id),
                    },
                )],
                None => executor.run(&inputs),
            };
            let stats = batch::stats_since(&before, &ctx.http()?.stats());
            BatchReport::applied(
                &prepared,
                batch::Applied {
                    results,
                    stopped: 0,
                },
                stats,
            )
        }
    };
    drop(ledger);
    if ctx.out.json {
        ctx.out.json_doc(&report.json(vec![(
            "in_source",
            json!({
                "requested": args.in_source,
                "resolved": resolved_in_source,
                "status": resolved_in_source.then(|| prepared[0].incident.status.to_string()),
            }),
        )]))?;
    } else {
        if resolved_in_source {
            ctx.out.success(format!(
                "incident {} resolved in {}",
                args.id,
                source_name(&*source)
            ));
        }
        report.print(&ctx.out)?;
    }
    Ok(report.exit())
}

fn source_name(source: &dyn Source) -> &'static str {
    match source.namespace() {
        "huntress" => "Huntress",
        other => other,
    }
}

/// The source-side request of `--in-source`, for `--dry-run`.
fn huntress_resolution(id: i64) -> PreviewLine {
    PreviewLine::request(
        "POST",
        format!("/v1/incident_reports/{id}/resolution"),
        "{}".into(),
        format!("resolve incident {id} in Huntress (needs a user-based API key)"),
    )
}
