//! `map list [--filter …] [--offline]`: the mapping diffed against the live source and PSA
//! (the same report as `map auto`, never written), or with `--offline` the stored pairs
//! alone, as `mapping.toml` has them (no network, no credentials).

use serde_json::json;

use super::report::{self, organizations_json, summary_json};
use super::{check_identity, fetch};
use crate::cli::Ctx;
use crate::cli::args::MapListArgs;
use crate::error::Exit;
use crate::mapping::{Mode, OrgReport, State, SuggestionKind, Summary, reconcile};
use crate::store::{How, Mapping};

pub fn run(ctx: &mut Ctx, args: &MapListArgs) -> anyhow::Result<Exit> {
    if args.offline {
        return offline(ctx, args);
    }
    let config = ctx.config()?;
    let store = ctx.store()?;
    let stored = store.mapping()?;
    let live = fetch(ctx, &config)?;
    let identity = live.psa.identity();
    check_identity(&store.mapping_path(), &stored, &identity)?;
    let rec = reconcile(
        &live.organizations,
        &live.companies,
        &stored,
        Mode::DiffOnly,
    );
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "summary": summary_json(&rec.summary),
            "organizations": organizations_json(&rec.organizations, args.filter),
            "offline": false,
            "psa": identity,
        }))?;
        return Ok(Exit::Success);
    }
    report::print(
        &ctx.out,
        &rec.organizations,
        &rec.summary.headline(),
        args.filter,
    )?;
    // Unpaired organizations with one exact-name company: `map auto` would pair them.
    let exact = rec
        .organizations
        .iter()
        .filter(|r| {
            r.state == State::Unmapped
                && r.suggestions.first().map(|s| s.kind) == Some(SuggestionKind::Exact)
        })
        .count();
    if exact > 0 {
        ctx.out.status(format!(
            "{exact} unmapped organization{} match{} a company exactly: `psa-link map auto` pairs {}",
            if exact == 1 { "" } else { "s" },
            if exact == 1 { "es" } else { "" },
            if exact == 1 { "it" } else { "them" }
        ));
    }
    report::next_steps(&ctx.out, &rec.summary, 0);
    Ok(Exit::Success)
}

/// The stored pairs as written: each is reported `mapped` (nothing checks it against the
/// source or the PSA), and organizations without a pair are unknown.
fn offline(ctx: &mut Ctx, args: &MapListArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let mapping = store.mapping()?;
    let rows = stored_rows(&mapping);
    let summary = Summary {
        mapped: rows.len(),
        ..Summary::default()
    };
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "summary": summary_json(&summary),
            "organizations": organizations_json(&rows, args.filter),
            "offline": true,
            "psa": mapping.psa,
        }))?;
        return Ok(Exit::Success);
    }
    let manual = rows.iter().filter(|r| r.how == Some(How::Manual)).count();
    let headline = format!(
        "{} pair{} stored ({manual} manual, {} auto)",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        rows.len() - manual
    );
    report::print(&ctx.out, &rows, &headline, args.filter)?;
    ctx.out.status(format!(
        "offline: the pairs stored in {}, not checked against the source or the PSA (unpaired organizations are not listed)",
        store.mapping_path().display()
    ));
    Ok(Exit::Success)
}

fn stored_rows(mapping: &Mapping) -> Vec<OrgReport> {
    mapping
        .organizations
        .iter()
        .map(|(id, e)| OrgReport {
            id: *id,
            name: e.name.clone(),
            state: State::Mapped,
            how: Some(e.how),
            company: Some(e.company.clone()),
            suggestions: Vec::new(),
            note: None,
            in_source: true,
            new: false,
        })
        .collect()
}
