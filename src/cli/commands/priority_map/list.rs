use comfy_table::Table;
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::output::{Output, Tone};
use crate::error::Exit;
use crate::source::Severity;
use crate::store::Config;

/// `priority-map list`: offline, from config.toml; every severity is listed.
pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let config = ctx.store()?.config()?;
    if config.integration.is_none() {
        ctx.out
            .warn("no PSA integration is configured; run `psa-link integration add ...` first");
    }
    if ctx.out.json {
        ctx.out
            .json_doc(&json!({ "priority_map": priority_json(&config) }))?;
    } else {
        ctx.out
            .data(priority_table(&ctx.out, &config).to_string())?;
    }
    Ok(Exit::Success)
}

/// `[{"severity", "id", "name"}]`, one per severity; unset ones have null id and name.
pub(crate) fn priority_json(config: &Config) -> Value {
    Severity::ALL
        .iter()
        .map(|severity| {
            let p = config.priority_map.get(severity);
            json!({
                "severity": severity.as_str(),
                "id": p.map(|p| p.id.as_str()),
                "name": p.map(|p| p.name.as_str()),
            })
        })
        .collect()
}

pub(crate) fn priority_table(out: &Output, config: &Config) -> Table {
    let mut table = out.table(&["SEVERITY", "PRIORITY", "ID"]);
    for severity in Severity::ALL {
        let row = match config.priority_map.get(&severity) {
            Some(p) => vec![
                out.cell(severity.as_str(), Tone::Plain),
                out.cell(&p.name, Tone::Good),
                out.cell(&p.id, Tone::Plain),
            ],
            None => vec![
                out.cell(severity.as_str(), Tone::Plain),
                out.cell("(unset)", Tone::Warn),
                out.cell("", Tone::Plain),
            ],
        };
        table.add_row(row);
    }
    table
}
