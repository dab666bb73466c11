use comfy_table::Table;
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::output::{Output, Tone};
use crate::error::Exit;
use crate::lifecycle::LifecycleEvent;
use crate::store::Config;

/// `status-map list`: offline, from config.toml. Every event is listed; `dismissed` shows
/// the `resolved` status it falls back to.
pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let config = ctx.store()?.config()?;
    if config.integration.is_none() {
        ctx.out
            .warn("no PSA integration is configured; run `psa-link integration add ...` first");
    }
    if ctx.out.json {
        ctx.out
            .json_doc(&json!({ "status_map": status_json(&config) }))?;
    } else {
        ctx.out.data(status_table(&ctx.out, &config).to_string())?;
    }
    Ok(Exit::Success)
}

/// `[{"event", "id", "name", "fallback"}]`, one per lifecycle event; unset ones have null
/// id and name; `fallback` names the event whose status is used (`resolved` for
/// `dismissed`).
pub(crate) fn status_json(config: &Config) -> Value {
    LifecycleEvent::ALL
        .iter()
        .map(|&event| {
            let status = config.status_for(event);
            json!({
                "event": event.as_str(),
                "id": status.map(|s| s.id.as_str()),
                "name": status.map(|s| s.name.as_str()),
                "fallback": fallback(config, event).map(LifecycleEvent::as_str),
            })
        })
        .collect()
}

fn fallback(config: &Config, event: LifecycleEvent) -> Option<LifecycleEvent> {
    (!config.status_map.contains_key(&event) && config.status_for(event).is_some())
        .then_some(LifecycleEvent::Resolved)
}

pub(crate) fn status_table(out: &Output, config: &Config) -> Table {
    let mut table = out.table(&["EVENT", "STATUS", "ID"]);
    for event in LifecycleEvent::ALL {
        let row = match (config.status_for(event), fallback(config, event)) {
            (Some(s), Some(from)) => vec![
                out.cell(event, Tone::Plain),
                out.cell(format!("{} (as {from})", s.name), Tone::Dim),
                out.cell(&s.id, Tone::Dim),
            ],
            (Some(s), None) => vec![
                out.cell(event, Tone::Plain),
                out.cell(&s.name, Tone::Good),
                out.cell(&s.id, Tone::Plain),
            ],
            (None, _) => vec![
                out.cell(event, Tone::Plain),
                out.cell("(unset)", Tone::Warn),
                out.cell("", Tone::Plain),
            ],
        };
        table.add_row(row);
    }
    table
}
