//! The report `map auto` and `map list` share: the summary first, then one row per
//! organization (mapped green, unmapped and ambiguous amber, stale red), or the SPEC §6
//! JSON document.

use serde_json::{Value, json};

use super::shown;
use crate::cli::args::MapFilter;
use crate::cli::output::{BrokenPipe, Output, Tone};
use crate::mapping::{Change, OrgReport, State, Summary};

/// `{"mapped", "newly_mapped", "unmapped", "ambiguous", "stale"}` (SPEC §6), over every
/// organization whatever the filter.
pub(crate) fn summary_json(summary: &Summary) -> Value {
    json!({
        "mapped": summary.mapped,
        "newly_mapped": summary.newly_mapped,
        "unmapped": summary.unmapped,
        "ambiguous": summary.ambiguous,
        "stale": summary.stale,
    })
}

/// The rows the filter shows, in SPEC §6 shape: `id, name, state, how, company {id, name}
/// | null, suggestions [{id, name, why}]`, plus `kind` on each suggestion and `note`,
/// `in_source`, `new` on each row.
pub(crate) fn organizations_json(rows: &[OrgReport], filter: MapFilter) -> Value {
    rows.iter()
        .filter(|r| shown(filter, r))
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "state": r.state.as_str(),
                "how": r.how.map(|h| h.as_str()),
                "company": r.company.as_ref().map(|c| json!({ "id": c.id, "name": c.name })),
                "suggestions": r.suggestions.iter().map(|s| json!({
                    "id": s.id,
                    "name": s.name,
                    "why": s.why,
                    "kind": s.kind,
                })).collect::<Vec<_>>(),
                "note": r.note,
                "in_source": r.in_source,
                "new": r.new,
            })
        })
        .collect()
}

/// The change lines (`Change`'s display, the `--dry-run` output) and their JSON form.
pub(crate) fn changes_json(changes: &[Change]) -> Value {
    changes
        .iter()
        .map(|c| {
            let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("line".into(), Value::String(c.to_string()));
            }
            v
        })
        .collect()
}

fn tone(state: State) -> Tone {
    match state {
        State::Mapped => Tone::Good,
        State::Unmapped | State::Ambiguous => Tone::Warn,
        State::Stale => Tone::Bad,
    }
}

/// The summary line, then the table of the rows the filter shows (or a line saying none
/// do), on stdout.
pub(crate) fn print(
    out: &Output,
    rows: &[OrgReport],
    headline: &str,
    filter: MapFilter,
) -> Result<(), BrokenPipe> {
    out.data(headline)?;
    let shown_rows: Vec<&OrgReport> = rows.iter().filter(|r| shown(filter, r)).collect();
    if shown_rows.is_empty() {
        if filter != MapFilter::All || !rows.is_empty() {
            out.status(format!(
                "no organization matches --filter {}",
                filter_name(filter)
            ));
        }
        return Ok(());
    }
    let mut table = out.table(&["ID", "ORGANIZATION", "STATE", "COMPANY", "HOW", "NOTE"]);
    for r in shown_rows {
        let t = tone(r.state);
        let state = if r.new {
            format!("{} (new)", r.state.as_str())
        } else {
            r.state.as_str().to_string()
        };
        table.add_row(vec![
            out.cell(r.id, Tone::Plain),
            out.cell(&r.name, t),
            out.cell(state, t),
            out.cell(company_text(r), Tone::Plain),
            out.cell(r.how.map(|h| h.as_str()).unwrap_or(""), Tone::Dim),
            out.cell(r.note.as_deref().unwrap_or(""), Tone::Dim),
        ]);
    }
    out.data("")?;
    out.data(table.to_string())
}

/// The paired company, then (for rows needing a pair or stale) each suggestion with why.
fn company_text(r: &OrgReport) -> String {
    let mut lines = Vec::new();
    if let Some(c) = &r.company {
        lines.push(format!("{} ({})", c.name, c.id));
    }
    for s in &r.suggestions {
        lines.push(format!("suggest: {} ({}): {}", s.name, s.id, s.why));
    }
    lines.join("\n")
}

pub(crate) fn filter_name(filter: MapFilter) -> &'static str {
    match filter {
        MapFilter::All => "all",
        MapFilter::Mapped => "mapped",
        MapFilter::Unmapped => "unmapped",
        MapFilter::Stale => "stale",
    }
}

/// What to do next, on stderr, when some organizations need a person.
pub(crate) fn next_steps(out: &Output, summary: &Summary, acceptable: usize) {
    if summary.need_pair() > 0 {
        out.status(format!(
            "pair the rest with `psa-link map manual <ORG> [COMPANY]` (see `psa-link map auto --filter unmapped`){}",
            if acceptable > 0 {
                format!(
                    ", or pin the {acceptable} unambiguous suggestion{} with `psa-link map auto --accept-suggestions`",
                    if acceptable == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        ));
    }
    if summary.stale > 0 {
        out.status(
            "stale pairs keep routing to a deleted or inactive company: re-pair them with `psa-link map manual`, or drop them with `psa-link map remove`",
        );
    }
}
