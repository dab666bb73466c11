//! `incident list [--open]`: the ledger of the configured PSA, offline (no request is
//! sent and no secret is needed).
//!
//! `--json`: `{"psa": <identity>, "cursor": <RFC 3339>|null, "incidents": [{"incident_id",
//! "organization_id", "organization": <name from mapping.toml, else as
//! pushed>|null, "ticket_id",
//! "company_id", "unmapped", "severity", "incident_status", "remediation", "ticket_state",
//! "priority_id", "status_id", "source_updated_at", "pushed_at"}]}`, by incident id.

use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::args::IncidentListArgs;
use crate::cli::output::Tone;
use crate::error::Exit;
use crate::psa;
use crate::secrets::Secret;
use crate::store::LedgerEntry;

pub fn run(ctx: &mut Ctx, args: &IncidentListArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let config = store.config()?;
    let integration = ctx.integration(&config)?;
    // The identity is derived from the settings alone and opening a client sends
    // nothing, so an offline listing needs no secret: a placeholder stands in for it.
    let placeholder = Secret::new("offline-listing");
    let identity = psa::connect(integration, placeholder, ctx.http()?)?.identity();
    let ledger = store.ledger()?;
    let mapping = store.mapping()?;
    let entries: Vec<&LedgerEntry> = ledger
        .entries_for(&identity)
        .filter(|e| !args.open || !e.ticket_state.is_terminal())
        .collect();
    // mapping.toml has the current name; the ledger remembers one for unmapped organizations.
    let organization = |e: &LedgerEntry| {
        mapping
            .organizations
            .get(&e.organization_id)
            .map(|m| m.name.clone())
            .or_else(|| e.organization_name.clone())
    };
    if ctx.out.json {
        let incidents: Vec<Value> = entries
            .iter()
            .map(|e| {
                let mut v = serde_json::to_value(e).unwrap_or_else(|_| json!({}));
                v["organization"] = json!(organization(e));
                if let Some(fields) = v.as_object_mut() {
                    fields.remove("psa");
                    fields.remove("organization_name");
                }
                v
            })
            .collect();
        ctx.out.json_doc(&json!({
            "psa": identity,
            "cursor": ledger.cursor(&identity),
            "incidents": incidents,
        }))?;
        return Ok(Exit::Success);
    }
    if entries.is_empty() {
        ctx.out.status(format!(
            "no {}incidents in the ledger for {identity}; push some with `psa-link incident sync` or `psa-link incident push <ID>`",
            if args.open { "open " } else { "" }
        ));
        return Ok(Exit::Success);
    }
    let out = &ctx.out;
    let mut table = out.table(&[
        "INCIDENT",
        "ORGANIZATION",
        "TICKET",
        "SEVERITY",
        "INCIDENT STATUS",
        "REMEDIATION",
        "TICKET STATE",
        "PUSHED",
    ]);
    for e in &entries {
        let org = match organization(e) {
            Some(name) => format!("{name} ({})", e.organization_id),
            None => e.organization_id.to_string(),
        };
        let ticket = if e.unmapped {
            format!("{} (unmapped)", e.ticket_id)
        } else {
            e.ticket_id.to_string()
        };
        let state_tone = if e.ticket_state.is_terminal() {
            Tone::Dim
        } else {
            Tone::Good
        };
        table.add_row(vec![
            out.cell(e.incident_id, Tone::Plain),
            out.cell(org, Tone::Plain),
            out.cell(ticket, if e.unmapped { Tone::Warn } else { Tone::Plain }),
            out.cell(e.severity, Tone::Plain),
            out.cell(&e.incident_status, Tone::Plain),
            out.cell(e.remediation.as_str(), Tone::Plain),
            out.cell(e.ticket_state, state_tone),
            out.cell(to_seconds(&e.pushed_at), Tone::Dim),
        ]);
    }
    out.data(table.to_string())?;
    out.status(format!(
        "{} incident(s){}",
        entries.len(),
        ledger
            .cursor(&identity)
            .map(|c| format!("; sync cursor {c}"))
            .unwrap_or_default()
    ));
    Ok(Exit::Success)
}

/// `2026-11-22T13:52:21.005330061Z` -> `2026-11-22T13:52:21Z`: sub-second digits only
/// widen the table (the JSON keeps them).
fn to_seconds(stamp: &str) -> String {
    match (stamp.find('.'), stamp.rfind(['Z', '+', '-'])) {
        (Some(dot), Some(zone)) if zone > dot => format!("{}{}", &stamp[..dot], &stamp[zone..]),
        _ => stamp.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pushed_times_are_shown_to_the_second() {
        assert_eq!(
            super::to_seconds("2026-11-22T13:52:21.005330061Z"),
            "2026-11-22T13:52:21Z"
        );
        assert_eq!(
            super::to_seconds("2026-11-22T13:52:21Z"),
            "2026-11-22T13:52:21Z"
        );
        assert_eq!(
            super::to_seconds("2026-11-22T13:52:21.5+02:00"),
            "2026-11-22T13:52:21+02:00"
        );
    }
}
