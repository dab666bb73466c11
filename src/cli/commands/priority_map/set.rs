//! `priority-map set SEVERITY PRIORITY`: PRIORITY by name or id, checked against the PSA's
//! own priorities for the configured routing (Halo: the ticket type's SLA); an unknown one
//! lists the valid ones.

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::args::PriorityMapSetArgs;
use crate::error::{Exit, Failure};
use crate::lookup;
use crate::source::Severity;
use crate::store::Named;

pub fn run(ctx: &mut Ctx, args: &PriorityMapSetArgs) -> anyhow::Result<Exit> {
    let severity: Severity = args.severity.parse().map_err(Failure::usage)?;
    let config = ctx.config()?;
    let integration = ctx.integration(&config)?.clone();
    let psa = ctx.open_psa(&config)?;
    let routing = integration.routing.as_ref().map(|r| r.id.as_str());
    let spinner = ctx.out.spinner("reading priorities");
    let priorities = psa.priorities(routing)?;
    spinner.finish_and_clear();
    let priority = lookup::find(
        &args.priority,
        &priorities,
        |p| p.id.clone(),
        |p| p.name.as_str(),
    )
    .map_err(|e| {
        let names: Vec<String> = priorities.iter().map(|p| p.name.clone()).collect();
        Failure::new(Exit::Rejected, e.explain("priority", &names)).with_fix(format!(
            "give one of the valid names or ids: `psa-link priority-map set {severity} <PRIORITY>`"
        ))
    })?;
    let named = Named {
        id: priority.id.clone(),
        name: priority.name.clone(),
    };
    let previous = ctx.store()?.edit_config(|edit| {
        let previous = edit.config().priority_map.get(&severity).cloned();
        edit.set_priority(severity, Some(&named))?;
        Ok(previous)
    })?;
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "severity": severity.as_str(),
            "priority": named,
            "previous": previous,
            "routing": integration.routing,
        }))?;
    } else {
        ctx.out.success(format!(
            "priority map: {severity} -> {} (id {})",
            named.name, named.id
        ));
    }
    Ok(Exit::Success)
}
