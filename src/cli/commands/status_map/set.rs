//! `status-map set EVENT STATUS`: STATUS by name or id, checked against the PSA's own
//! statuses for the configured ticket type / board; an unknown one lists the valid ones.

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::args::StatusMapSetArgs;
use crate::error::{Exit, Failure};
use crate::lifecycle::LifecycleEvent;
use crate::lookup;
use crate::psa::{Choice, Psa};
use crate::store::{IntegrationConfig, Named};

pub fn run(ctx: &mut Ctx, args: &StatusMapSetArgs) -> anyhow::Result<Exit> {
    let event: LifecycleEvent = args.event.parse().map_err(Failure::usage)?;
    let config = ctx.config()?;
    let integration = ctx.integration(&config)?.clone();
    let psa = ctx.open_psa(&config)?;
    let routing = integration.routing.as_ref().map(|r| r.id.as_str());
    let spinner = ctx.out.spinner("reading statuses");
    let statuses = psa.statuses(routing)?;
    let found = lookup::find(
        &args.status,
        &statuses,
        |s| s.id.clone(),
        |s| s.name.as_str(),
    );
    let status = match found {
        Ok(s) => s.clone(),
        Err(e) => {
            let names: Vec<String> = statuses.iter().map(|s| s.name.clone()).collect();
            let what = status_word(&integration);
            let elsewhere = matches!(e, lookup::LookupError::NotFound { .. })
                .then(|| other_routing(psa.as_ref(), &integration, &args.status))
                .flatten();
            let message = match elsewhere {
                Some(elsewhere) => format!(
                    "{elsewhere}. Valid choices: {}",
                    names
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => e.explain(&what, &names),
            };
            spinner.finish_and_clear();
            // SPEC §6 files an invalid status under 6: the PSA's own list refuses it.
            return Err(Failure::new(Exit::Rejected, message)
                .with_fix(format!(
                    "give one of the valid names or ids: `psa-link status-map set {event} <STATUS>`"
                ))
                .into());
        }
    };
    spinner.finish_and_clear();
    let named = Named {
        id: status.id.clone(),
        name: status.name.clone(),
    };
    let previous = ctx.store()?.edit_config(|edit| {
        let previous = edit.config().status_map.get(&event).cloned();
        edit.set_status(event, Some(&named))?;
        Ok(previous)
    })?;
    warn_about_closing(ctx, event, &status);
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "event": event.as_str(),
            "status": {"id": status.id, "name": status.name, "closed": status.closed},
            "previous": previous,
            "routing": integration.routing,
        }))?;
    } else {
        ctx.out.success(format!(
            "status map: {event} -> {} (id {})",
            status.name, status.id
        ));
    }
    Ok(Exit::Success)
}

/// "status of board 'Huntress Security'" / "status of ticket type 'Huntress Incident'".
fn status_word(integration: &IntegrationConfig) -> String {
    match &integration.routing {
        Some(r) => format!("status of {} '{}'", integration.kind.routing_word(), r.name),
        None => "status".into(),
    }
}

/// Where the PSA scopes statuses (ConnectWise boards, Halo ticket types), a status named
/// for another routing is the usual mistake: say which one it belongs to. Only on the
/// failure path, and over a bounded number of routings.
fn other_routing(psa: &dyn Psa, integration: &IntegrationConfig, query: &str) -> Option<String> {
    const MAX_ROUTINGS: usize = 12;
    let ours = integration.routing.as_ref()?;
    let routings = psa.routings().ok()?;
    routings
        .iter()
        .filter(|r| r.id != ours.id)
        .take(MAX_ROUTINGS)
        .find_map(|r| {
            let statuses = psa.statuses(Some(&r.id)).ok()?;
            let hit = lookup::find(query, &statuses, |s| s.id.clone(), |s| s.name.as_str()).ok()?;
            Some(format!(
                "'{}' (id {}) is a status of {word} '{}', not of {word} '{}': statuses are per {word}",
                hit.name,
                hit.id,
                r.name,
                ours.name,
                word = integration.kind.routing_word()
            ))
        })
}

/// A terminal event on an open status leaves tickets open; `created` on a closed one
/// files them closed.
fn warn_about_closing(ctx: &Ctx, event: LifecycleEvent, status: &Choice) {
    match (event.is_terminal(), status.closed) {
        (true, Some(false)) => ctx.out.warn(format!(
            "'{}' does not close tickets: {event} incidents will leave their tickets open",
            status.name
        )),
        (false, Some(true)) => ctx.out.warn(format!(
            "'{}' closes tickets: {event} tickets will be closed at once",
            status.name
        )),
        _ => {}
    }
}
