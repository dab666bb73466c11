//! `map auto`: fetch both sides, pair exact names, refresh renamed ones, write
//! `mapping.toml` when something changed, and report (summary first).
//!
//! `--fail-on-unmapped` still saves what was paired: the exact matches are right whatever
//! is left over, and a technician re-running after fixing the rest expects them kept. The
//! exit code (5) is the only difference.

use serde_json::json;

use super::report::{self, changes_json, organizations_json, summary_json};
use super::{check_identity, fetch};
use crate::cli::Ctx;
use crate::cli::args::MapAutoArgs;
use crate::error::{Exit, Failure};
use crate::mapping::{
    Acceptance, Change, Mode, OrgReport, Reconciliation, State, Summary, accept_suggestions, pin,
    reconcile,
};
use crate::store::{How, Mapping};

pub fn run(ctx: &mut Ctx, args: &MapAutoArgs) -> anyhow::Result<Exit> {
    let config = ctx.config()?;
    let store = ctx.store()?;
    let path = store.mapping_path();
    // Read first: a file that does not parse stops the run before any request.
    let snapshot = store.mapping()?;
    let live = fetch(ctx, &config)?;
    let identity = live.psa.identity();
    check_identity(&path, &snapshot, &identity)?;

    let rec = reconcile(
        &live.organizations,
        &live.companies,
        &snapshot,
        Mode::AutoMap,
    );
    let offered = accept_suggestions(&rec);
    let acceptable = offered.len();
    let accepted = if args.accept_suggestions {
        decide(ctx, offered, args.dry_run)?
    } else {
        Vec::new()
    };

    let outcome = if args.dry_run {
        apply(rec, &accepted)
    } else {
        store.edit_mapping(|m| {
            // Re-read under the lock: another run may have written since the snapshot.
            let current = m.current();
            check_identity(&path, &current, &identity)?;
            let rec = if current == snapshot {
                rec
            } else {
                reconcile(
                    &live.organizations,
                    &live.companies,
                    &current,
                    Mode::AutoMap,
                )
            };
            let outcome = apply(rec, &accepted);
            if !outcome.changes.is_empty() {
                m.set_psa(Some(&identity));
                for change in &outcome.changes {
                    let id = change.organization_id();
                    if let Some(entry) = outcome.mapping.organizations.get(&id) {
                        m.set(id, entry);
                    }
                }
            }
            Ok(outcome)
        })?
    };

    let written = !args.dry_run && !outcome.changes.is_empty();
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "summary": summary_json(&outcome.summary),
            "organizations": organizations_json(&outcome.rows, args.filter),
            "changes": changes_json(&outcome.changes),
            "dry_run": args.dry_run,
            "written": written,
            "psa": identity,
        }))?;
    } else {
        report::print(
            &ctx.out,
            &outcome.rows,
            &outcome.summary.headline(),
            args.filter,
        )?;
        if args.dry_run {
            print_dry_run(ctx, &outcome.changes)?;
        } else if written {
            ctx.out.success(format!(
                "{}: {}",
                path.display(),
                describe(&outcome.changes)
            ));
        } else {
            ctx.out.status(format!("{} is up to date", path.display()));
        }
    }
    let left = if args.accept_suggestions {
        0
    } else {
        acceptable
    };
    if !ctx.out.json {
        report::next_steps(&ctx.out, &outcome.summary, left);
    }
    if args.fail_on_unmapped
        && let Some(gaps) = incomplete(&outcome.summary)
    {
        ctx.out.warn(format!(
            "{gaps}: their incidents cannot be placed (--fail-on-unmapped: exit 5){}",
            if written {
                "; the pairs found were saved"
            } else {
                ""
            }
        ));
        return Ok(Exit::MappingIncomplete);
    }
    Ok(Exit::Success)
}

/// What leaves the mapping incomplete for `--fail-on-unmapped`, in words: organizations
/// without a pair, and stale pairs (inactive or deleted company, organization gone), since
/// an incident of either cannot be placed. `None` when every organization is mapped.
fn incomplete(summary: &Summary) -> Option<String> {
    let need = summary.need_pair();
    let mut parts = Vec::new();
    if need > 0 {
        parts.push(format!(
            "{need} organization{} still need{} a manual pair",
            plural(need),
            if need == 1 { "s" } else { "" }
        ));
    }
    if summary.stale > 0 {
        parts.push(format!(
            "{} pair{} {} stale (see `map auto --filter stale`)",
            summary.stale,
            plural(summary.stale),
            if summary.stale == 1 { "is" } else { "are" }
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// The reconciliation with the accepted suggestions pinned.
struct Outcome {
    rows: Vec<OrgReport>,
    summary: Summary,
    changes: Vec<Change>,
    mapping: Mapping,
}

/// Pins the accepted suggestions (only organizations still unpaired: another run may
/// have paired one since the question) and updates the rows and counts to match.
fn apply(rec: Reconciliation, accepted: &[Acceptance]) -> Outcome {
    let Reconciliation {
        mut mapping,
        organizations: mut rows,
        mut summary,
        mut changes,
        ..
    } = rec;
    for a in accepted {
        if mapping.organizations.contains_key(&a.organization_id) {
            continue;
        }
        let Some(change) = pin(
            &mut mapping,
            a.organization_id,
            &a.organization,
            a.company.clone(),
        ) else {
            continue;
        };
        changes.push(change);
        if let Some(row) = rows.iter_mut().find(|r| r.id == a.organization_id) {
            match row.state {
                State::Unmapped => summary.unmapped -= 1,
                State::Ambiguous => summary.ambiguous -= 1,
                State::Stale => summary.stale -= 1,
                State::Mapped => summary.mapped -= 1,
            }
            summary.mapped += 1;
            summary.newly_mapped += 1;
            row.state = State::Mapped;
            row.how = Some(How::Manual);
            row.company = Some(a.company.clone());
            row.suggestions.clear();
            row.note = Some(format!("accepted suggestion: {}", a.why));
            row.new = true;
        }
    }
    changes.sort_by_key(Change::organization_id);
    Outcome {
        rows,
        summary,
        changes,
        mapping,
    }
}

/// Lists the suggestions `--accept-suggestions` would pin and asks once. A dry run only
/// shows them; `--yes` (given, or implied because stdin is not a terminal — SPEC §4) pins
/// them; with stdin on a terminal but no one able to answer on stderr, refuses.
fn decide(ctx: &Ctx, offered: Vec<Acceptance>, dry_run: bool) -> anyhow::Result<Vec<Acceptance>> {
    if offered.is_empty() {
        ctx.out
            .status("no suggestion is unambiguous enough to pin in bulk");
        return Ok(offered);
    }
    let n = offered.len();
    ctx.out.status(format!(
        "{n} suggestion{} to pin as manual pair{}:",
        plural(n),
        plural(n)
    ));
    for a in &offered {
        ctx.out.status(format!(
            "  organization {} '{}' -> company {} '{}': {}",
            a.organization_id, a.organization, a.company.id, a.company.name, a.why
        ));
    }
    if dry_run || ctx.prompt.assume_yes() {
        return Ok(offered);
    }
    match ctx
        .prompt
        .confirm(&format!("Pin these {n} pair{}?", plural(n)), false)?
    {
        Some(true) => Ok(offered),
        Some(false) => {
            ctx.out.status("suggestions not pinned");
            Ok(Vec::new())
        }
        None => Err(Failure::usage(format!(
            "--accept-suggestions would pin {n} pair{} and no one is here to confirm",
            plural(n)
        ))
        .with_fix(
            "review them with `psa-link map auto --accept-suggestions --dry-run`, then add --yes to pin them",
        )
        .into()),
    }
}

fn print_dry_run(ctx: &Ctx, changes: &[Change]) -> anyhow::Result<()> {
    ctx.out.data("")?;
    if changes.is_empty() {
        ctx.out.data("dry run: mapping.toml would not change")?;
        return Ok(());
    }
    ctx.out.data(format!(
        "dry run: nothing written; mapping.toml would change ({}):",
        describe(changes)
    ))?;
    for c in changes {
        ctx.out.data(format!("  {c}"))?;
    }
    Ok(())
}

/// "3 paired by exact name, 2 pinned, 1 name refreshed".
fn describe(changes: &[Change]) -> String {
    let (mut added, mut pinned, mut renamed, mut removed) = (0, 0, 0, 0);
    for c in changes {
        match c {
            Change::Added { .. } => added += 1,
            Change::Pinned { .. } => pinned += 1,
            Change::CompanyRenamed { .. } | Change::OrganizationRenamed { .. } => renamed += 1,
            Change::Removed { .. } => removed += 1,
        }
    }
    let mut parts = Vec::new();
    if added > 0 {
        parts.push(format!("{added} paired by exact name"));
    }
    if pinned > 0 {
        parts.push(format!("{pinned} suggestion{} pinned", plural(pinned)));
    }
    if renamed > 0 {
        parts.push(format!("{renamed} name{} refreshed", plural(renamed)));
    }
    if removed > 0 {
        parts.push(format!("{removed} removed"));
    }
    parts.join(", ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
