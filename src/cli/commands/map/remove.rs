//! `map remove ORG`: drops a stored pair, by organization id or stored name. Offline: it
//! works without the source or the PSA, and for organizations gone from the source.

use serde_json::json;

use super::bad_argument;
use crate::cli::Ctx;
use crate::cli::args::MapRemoveArgs;
use crate::error::Exit;
use crate::mapping::resolve_paired;
use crate::store::How;

pub fn run(ctx: &mut Ctx, args: &MapRemoveArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let (id, entry) = store.edit_mapping(|m| {
        let id = resolve_paired(&args.org, m.mapping()).map_err(|e| {
            let names: Vec<String> = m
                .mapping()
                .organizations
                .values()
                .map(|e| e.name.clone())
                .collect();
            bad_argument(e.explain("paired organization", &names))
        })?;
        // The file edit removes only this block; comments elsewhere are kept.
        Ok((id, m.remove(id)))
    })?;
    let Some(entry) = entry else {
        // resolve_paired found it under the lock, so this cannot happen; say so plainly.
        return Err(bad_argument(format!("organization {id} has no pair")));
    };
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "removed": {
                "organization": { "id": id, "name": entry.name },
                "company": { "id": entry.company.id, "name": entry.company.name },
                "how": entry.how.as_str(),
            }
        }))?;
    } else {
        ctx.out.success(format!(
            "removed the pair of organization {id} '{}' with company {} '{}' ({})",
            entry.name,
            entry.company.id,
            entry.company.name,
            entry.how.as_str()
        ));
        if entry.how == How::Auto {
            ctx.out.status(
                "it was an exact-name pair: the next `map auto` pairs it again while the names match; pin another company with `psa-link map manual` instead",
            );
        }
    }
    Ok(Exit::Success)
}
