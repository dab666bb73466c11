//! The mapping engine at the scale of SPEC section 9: 5,000 organizations against 50,000
//! PSA companies, reconciled with suggestions. Run with
//! `cargo run --release --example mapping_scale`.

use std::time::Instant;

use psa_link::mapping::{Mode, accept_suggestions, reconcile};
use psa_link::psa::Company;
use psa_link::sandbox::seed::Msp;
use psa_link::source::Organization;
use psa_link::store::Mapping;

fn organization(id: i64, name: String) -> Organization {
    Organization {
        id,
        name,
        key: None,
        identity_provider_tenant_id: None,
        updated_at: None,
    }
}

fn main() {
    let msp = Msp::generated(5_000, 50_000, 0);
    let companies: Vec<Company> = msp
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| Company {
            id: i as i64 + 1,
            name: c.name.clone(),
            active: c.active,
        })
        .collect();
    let orgs: Vec<Organization> = msp
        .organizations
        .iter()
        .map(|o| organization(o.id, o.name.clone()))
        .collect();
    // Worst case: no organization matches at all, so every one runs the similar-name
    // search (a typo in each name; each shares a rare word with one company).
    let strangers: Vec<Organization> = msp
        .organizations
        .iter()
        .map(|o| organization(o.id, o.name.replace("Holdings", "Holdngs")))
        .collect();

    for (label, orgs) in [
        ("seeded (1 in 20 drifted)", &orgs),
        ("nothing matches", &strangers),
    ] {
        let start = Instant::now();
        let first = reconcile(orgs, &companies, &Mapping::default(), Mode::AutoMap);
        let accepted = accept_suggestions(&first);
        let suggested = first
            .organizations
            .iter()
            .filter(|r| !r.suggestions.is_empty())
            .count();
        let took = start.elapsed();
        let start = Instant::now();
        let again = reconcile(orgs, &companies, &first.mapping, Mode::AutoMap);
        let rerun = start.elapsed();
        println!(
            "{label}: {} organizations x {} companies: {} in {:.0?} ({} with suggestions, {} acceptable in bulk; {} companies examined for similar names); re-run {:.0?}, {} changes",
            first.work.organizations,
            first.work.companies,
            first.summary.headline(),
            took,
            suggested,
            accepted.len(),
            first.work.comparisons,
            rerun,
            again.changes.len()
        );
    }
}
