//! `map manual ORG [COMPANY]`: pins a pair as `manual` (never changed by `map auto`).
//! ORG names a source organization, COMPANY an active PSA company, each by id or exact
//! name; without COMPANY, a searchable picker offers the suggested companies first.

use serde_json::json;

use super::{bad_argument, check_identity, fetch};
use crate::cli::Ctx;
use crate::cli::args::MapManualArgs;
use crate::cli::output::Cancelled;
use crate::error::{Exit, Failure};
use crate::mapping::{Change, CompanyIndex, picker, pin, resolve_company, resolve_organization};
use crate::psa::Company;
use crate::source::Organization;
use crate::store::{CompanyRef, Mapping};

pub fn run(ctx: &mut Ctx, args: &MapManualArgs) -> anyhow::Result<Exit> {
    // Before any network: a script that left COMPANY out learns so at once.
    if args.company.is_none() && !ctx.prompt.interactive() {
        return Err(Failure::usage(
            "map manual needs the COMPANY argument when no one can pick one (not a terminal, or --yes)",
        )
        .with_fix(format!(
            "name the company by id or exact name: `psa-link map manual {} <COMPANY>`; `psa-link map auto --filter unmapped` lists suggestions",
            shell_word(&args.org)
        ))
        .into());
    }
    let config = ctx.config()?;
    let store = ctx.store()?;
    let path = store.mapping_path();
    let stored = store.mapping()?;
    let live = fetch(ctx, &config)?;
    let identity = live.psa.identity();
    check_identity(&path, &stored, &identity)?;

    let org = resolve_organization(&args.org, &live.organizations).map_err(|e| {
        let names: Vec<String> = live.organizations.iter().map(|o| o.name.clone()).collect();
        bad_argument(e.explain("organization", &names))
    })?;
    let word = live.psa.kind().company_word();
    let company = match &args.company {
        Some(query) => resolve_company(query, &live.companies).map_err(|e| {
            let names: Vec<String> = live
                .companies
                .iter()
                .filter(|c| c.active)
                .map(|c| c.name.clone())
                .collect();
            bad_argument(e.explain(word, &names))
        })?,
        None => match pick(ctx, org, &live.companies, &stored, word)? {
            Some(c) => c,
            None => return Err(Cancelled.into()),
        },
    };
    let chosen = CompanyRef {
        id: company.id,
        name: company.name.clone(),
    };

    let change = store.edit_mapping(|m| {
        check_identity(&path, m.mapping(), &identity)?;
        let mut mapping = m.current();
        let change = pin(&mut mapping, org.id, &org.name, chosen.clone());
        if change.is_some() {
            m.set_psa(Some(&identity));
            if let Some(entry) = mapping.organizations.get(&org.id) {
                m.set(org.id, entry);
            }
        }
        Ok(change)
    })?;

    let previous = match &change {
        Some(Change::Pinned { previous, .. }) => previous.clone(),
        _ => None,
    };
    let also_paired: Vec<i64> = stored
        .organizations
        .iter()
        .filter(|(id, e)| **id != org.id && e.company.id == chosen.id)
        .map(|(id, _)| *id)
        .collect();
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "organization": { "id": org.id, "name": org.name },
            "company": { "id": chosen.id, "name": chosen.name },
            "how": "manual",
            "previous": previous.as_ref().map(|p| json!({ "id": p.id, "name": p.name })),
            "changed": change.is_some(),
            "also_paired_with": also_paired,
        }))?;
    } else {
        match &change {
            Some(c) => ctx.out.success(format!("{c}")),
            None => ctx.out.status(format!(
                "organization {} '{}' is already pinned to {word} {} '{}' (manual); nothing changed",
                org.id, org.name, chosen.id, chosen.name
            )),
        }
        if !also_paired.is_empty() {
            ctx.out.status(format!(
                "{word} {} is also paired with organization{} {}: their incidents share it",
                chosen.id,
                if also_paired.len() == 1 { "" } else { "s" },
                also_paired
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(Exit::Success)
}

/// The searchable picker: the organization's suggestions first, with why, then every
/// other active company by name. `None` when the person cancels.
fn pick<'a>(
    ctx: &Ctx,
    org: &Organization,
    companies: &'a [Company],
    mapping: &Mapping,
    word: &str,
) -> anyhow::Result<Option<&'a Company>> {
    let suggestions = CompanyIndex::new(companies).suggest(&org.name);
    let items = picker(companies, &suggestions, mapping);
    if items.is_empty() {
        return Err(
            Failure::config(format!("the PSA has no active {word} to pair with"))
                .with_fix(format!("create the {word} in the PSA, then run this again"))
                .into(),
        );
    }
    let labels: Vec<String> = items
        .iter()
        .map(|item| {
            let mut label = format!("{} ({})", item.company.name, item.company.id);
            if let Some(why) = &item.why {
                label.push_str(&format!("  - suggested: {why}"));
            }
            if item.paired > 0 {
                label.push_str(&format!(
                    "  [paired with {} organization{}]",
                    item.paired,
                    if item.paired == 1 { "" } else { "s" }
                ));
            }
            label
        })
        .collect();
    let question = format!(
        "{} for organization {} '{}' (type to search)",
        capitalise(word),
        org.id,
        org.name
    );
    Ok(ctx
        .prompt
        .pick(&question, &labels, 0)?
        .and_then(|i| items.get(i))
        .map(|item| item.company))
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The argument as a person would retype it in a shell.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
