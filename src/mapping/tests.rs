//! The rules of `reconcile`, one test per rule and drift case, the seed MSP's expected
//! outcome, properties over random worlds, and the cost shape at scale.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;

use super::*;
use crate::psa::Company;
use crate::sandbox::seed::Msp;
use crate::source::Organization;
use crate::store::{CompanyRef, How, Mapping, MappingEntry};

fn org(id: i64, name: &str) -> Organization {
    Organization {
        id,
        name: name.into(),
        key: None,
        identity_provider_tenant_id: None,
        updated_at: None,
    }
}

fn company(id: i64, name: &str, active: bool) -> Company {
    Company {
        id,
        name: name.into(),
        active,
    }
}

fn entry(name: &str, company_id: i64, company_name: &str, how: How) -> MappingEntry {
    MappingEntry {
        name: name.into(),
        company: CompanyRef {
            id: company_id,
            name: company_name.into(),
        },
        how,
    }
}

fn stored(pairs: &[(i64, MappingEntry)]) -> Mapping {
    Mapping {
        organizations: pairs.iter().cloned().collect(),
        ..Mapping::default()
    }
}

fn row(rec: &Reconciliation, id: i64) -> &OrgReport {
    rec.organizations
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no row for organization {id}"))
}

// ------------------------------------------------------------------ auto-mapping rules

#[test]
fn auto_maps_a_byte_exact_name_with_one_active_company() {
    let orgs = [org(1, "Acme")];
    let companies = [company(10, "Acme", true)];
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let r = row(&rec, 1);
    assert_eq!(
        (r.state, r.how, r.new),
        (State::Mapped, Some(How::Auto), true)
    );
    assert_eq!(
        rec.mapping.organizations[&1],
        entry("Acme", 10, "Acme", How::Auto)
    );
    assert_eq!(
        rec.changes,
        vec![Change::Added {
            organization_id: 1,
            organization: "Acme".into(),
            company: CompanyRef {
                id: 10,
                name: "Acme".into()
            },
            how: How::Auto
        }]
    );
    assert_eq!(
        rec.changes[0].to_string(),
        "pair organization 1 'Acme' with company 10 'Acme' (auto)"
    );
    assert_eq!((rec.summary.mapped, rec.summary.newly_mapped), (1, 1));
}

/// Each drift case stays unmapped (the seed's rule: exact only) and is suggested with
/// its reason.
#[test]
fn drift_is_never_auto_mapped_but_suggested_with_the_reason() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "Acme Widgets Inc",
            "Acme Widgets Inc.",
            "differs only by punctuation ('Inc' vs 'Inc.')",
        ),
        (
            "O'Brien Plumbing",
            "O\u{2019}Brien Plumbing",
            "apostrophe differs (\"O'Brien\" vs \"O\u{2019}Brien\")",
        ),
        (
            "Kangaroo Logistics",
            "Kangaroo Logistics Pty Ltd",
            "differs only by 'Pty Ltd'",
        ),
        ("bluebird dental", "Bluebird Dental", "differs only in case"),
        (
            "Summit Physiotherapy",
            "Summit Physiotherapy ",
            "differs only by trailing space",
        ),
        (
            "Harbour View Legal Limited",
            "Harbour View Legal Ltd",
            "differs only by legal suffix ('Limited' vs 'Ltd')",
        ),
        (
            "Greenfield Sons, LLC",
            "Greenfield Sons LLC",
            "differs only by punctuation ('Sons,' vs 'Sons')",
        ),
    ];
    for (org_name, company_name, why) in cases {
        let rec = reconcile(
            &[org(1, org_name)],
            &[company(10, company_name, true)],
            &Mapping::default(),
            Mode::AutoMap,
        );
        let r = row(&rec, 1);
        assert_eq!(r.state, State::Unmapped, "{org_name:?}");
        assert!(
            rec.changes.is_empty(),
            "{org_name:?} must not be auto-mapped"
        );
        assert_eq!(r.suggestions.len(), 1, "{org_name:?}: {:?}", r.suggestions);
        assert_eq!(r.suggestions[0].id, 10);
        assert_eq!(r.suggestions[0].why, *why, "{org_name:?}");
        assert_eq!(r.suggestions[0].kind, SuggestionKind::Normalized);
    }
}

#[test]
fn two_organizations_with_one_name_are_ambiguous_and_neither_is_mapped() {
    let orgs = [org(1, "Riverside Clinic"), org(2, "Riverside Clinic")];
    let companies = [company(10, "Riverside Clinic", true)];
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    for id in [1, 2] {
        let r = row(&rec, id);
        assert_eq!(r.state, State::Ambiguous);
        assert_eq!(
            r.suggestions[0].id, 10,
            "the exact company is still suggested"
        );
        assert_eq!(r.suggestions[0].kind, SuggestionKind::Exact);
        assert!(
            r.note.as_deref().unwrap().contains("ids 1, 2"),
            "{:?}",
            r.note
        );
    }
    assert!(rec.changes.is_empty());
    assert_eq!(rec.summary.ambiguous, 2);
    assert!(
        accept_suggestions(&rec).is_empty(),
        "only unmapped rows are accepted"
    );
}

#[test]
fn an_organization_sharing_a_name_with_a_paired_one_is_still_ambiguous() {
    let orgs = [org(1, "Riverside Clinic"), org(2, "Riverside Clinic")];
    let companies = [company(10, "Riverside Clinic", true)];
    let pairs = stored(&[(
        1,
        entry("Riverside Clinic", 10, "Riverside Clinic", How::Manual),
    )]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    assert_eq!(row(&rec, 1).state, State::Mapped);
    assert_eq!(row(&rec, 2).state, State::Ambiguous);
    assert!(rec.changes.is_empty());
}

#[test]
fn two_active_companies_with_one_name_are_ambiguous() {
    let orgs = [org(1, "Metro Dental")];
    let companies = [
        company(10, "Metro Dental", true),
        company(11, "Metro Dental", true),
    ];
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let r = row(&rec, 1);
    assert_eq!(r.state, State::Ambiguous);
    let ids: Vec<i64> = r.suggestions.iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![10, 11]);
    assert!(r.note.as_deref().unwrap().contains("ids 10, 11"));
    assert!(rec.changes.is_empty());
}

#[test]
fn an_inactive_namesake_does_not_block_the_active_one() {
    let orgs = [org(1, "Metro Dental")];
    let companies = [
        company(10, "Metro Dental", false),
        company(11, "Metro Dental", true),
    ];
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    assert_eq!(row(&rec, 1).company.as_ref().unwrap().id, 11);
}

#[test]
fn an_inactive_only_match_is_unmapped_and_not_suggested() {
    let orgs = [org(1, "Old Mill Bakery")];
    let companies = [company(10, "Old Mill Bakery", false)];
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let r = row(&rec, 1);
    assert_eq!(r.state, State::Unmapped);
    assert!(r.suggestions.is_empty());
    assert!(
        r.note.as_deref().unwrap().contains("(id 10) is inactive"),
        "{:?}",
        r.note
    );
}

#[test]
fn a_nameless_organization_is_never_auto_mapped() {
    let rec = reconcile(
        &[org(1, "")],
        &[company(10, "", true)],
        &Mapping::default(),
        Mode::AutoMap,
    );
    assert_eq!(row(&rec, 1).state, State::Unmapped);
    assert!(rec.changes.is_empty());
}

// ------------------------------------------------------------------ stored pairs

#[test]
fn manual_and_auto_pairs_are_never_repointed() {
    let orgs = [org(1, "Acme"), org(2, "Bolt")];
    let companies = [
        company(10, "Acme", true),
        company(20, "Bolt", true),
        company(30, "Other", true),
    ];
    let pairs = stored(&[
        (1, entry("Acme", 30, "Other", How::Manual)),
        (2, entry("Bolt", 30, "Other", How::Auto)),
    ]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    assert_eq!(
        rec.mapping, pairs,
        "an exact match elsewhere overwrites nothing"
    );
    assert!(rec.changes.is_empty());
    assert_eq!(row(&rec, 1).how, Some(How::Manual));
    assert_eq!(row(&rec, 2).how, Some(How::Auto));
    assert_eq!(rec.summary.mapped, 2);
    assert_eq!(rec.summary.newly_mapped, 0);
}

#[test]
fn a_company_renamed_in_the_psa_keeps_its_pair_with_the_name_refreshed() {
    let orgs = [org(1, "Acme")];
    let companies = [company(10, "Acme Holdings", true)];
    let pairs = stored(&[(1, entry("Acme", 10, "Acme", How::Auto))]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    let r = row(&rec, 1);
    assert_eq!(r.state, State::Mapped);
    assert_eq!(r.company.as_ref().unwrap().name, "Acme Holdings");
    assert_eq!(
        rec.mapping.organizations[&1],
        entry("Acme", 10, "Acme Holdings", How::Auto)
    );
    assert_eq!(
        rec.changes,
        vec![Change::CompanyRenamed {
            organization_id: 1,
            company_id: 10,
            from: "Acme".into(),
            to: "Acme Holdings".into()
        }]
    );
    assert!(r.note.as_deref().unwrap().contains("was 'Acme'"));
}

#[test]
fn an_organization_renamed_in_the_source_keeps_its_pair_with_the_name_refreshed() {
    let orgs = [org(1, "Acme Group")];
    let companies = [company(10, "Acme", true)];
    let pairs = stored(&[(1, entry("Acme", 10, "Acme", How::Manual))]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    assert_eq!(row(&rec, 1).state, State::Mapped);
    assert_eq!(
        rec.mapping.organizations[&1],
        entry("Acme Group", 10, "Acme", How::Manual)
    );
    assert_eq!(
        rec.changes[0].to_string(),
        "rename organization 1 'Acme' to 'Acme Group'"
    );
}

#[test]
fn deleted_and_inactive_companies_make_stale_pairs_that_are_kept() {
    let orgs = [org(1, "Gone Co"), org(2, "Sleepy Co")];
    let companies = [
        company(20, "Sleepy Co", false),
        company(30, "Gone Co Ltd", true),
    ];
    let pairs = stored(&[
        (1, entry("Gone Co", 10, "Gone Co", How::Manual)),
        (2, entry("Sleepy Co", 20, "Sleepy Co", How::Auto)),
    ]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    assert_eq!(rec.mapping, pairs, "stale pairs are not dropped");
    assert!(rec.changes.is_empty());
    let gone = row(&rec, 1);
    assert_eq!(gone.state, State::Stale);
    assert!(gone.note.as_deref().unwrap().contains("no longer exists"));
    assert_eq!(gone.suggestions[0].id, 30, "a replacement is suggested");
    let sleepy = row(&rec, 2);
    assert_eq!(sleepy.state, State::Stale);
    assert!(sleepy.note.as_deref().unwrap().contains("inactive"));
    assert_eq!(
        (rec.summary.stale, rec.summary.mapped),
        (2, 0),
        "stale pairs are not counted as mapped"
    );
}

#[test]
fn an_organization_gone_from_the_source_is_reported_and_kept() {
    let companies = [company(10, "Acme Renamed", true)];
    let pairs = stored(&[(1, entry("Acme", 10, "Acme", How::Manual))]);
    let rec = reconcile(&[], &companies, &pairs, Mode::AutoMap);
    let r = row(&rec, 1);
    assert_eq!((r.state, r.in_source), (State::Stale, false));
    assert_eq!(r.name, "Acme");
    assert!(
        r.note.as_deref().unwrap().contains("map remove 1"),
        "{:?}",
        r.note
    );
    assert_eq!(rec.mapping.organizations[&1].company.name, "Acme Renamed");
    assert_eq!(rec.mapping.organizations[&1].how, How::Manual);
    assert_eq!(rec.summary.stale, 1);
}

#[test]
fn diff_only_reports_but_changes_nothing() {
    let orgs = [org(1, "Acme"), org(2, "Bolt Renamed")];
    let companies = [company(10, "Acme", true), company(20, "Bolt Ltd", true)];
    let pairs = stored(&[(2, entry("Bolt", 20, "Bolt", How::Auto))]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::DiffOnly);
    assert_eq!(rec.mapping, pairs);
    assert!(rec.changes.is_empty());
    let acme = row(&rec, 1);
    assert_eq!(acme.state, State::Unmapped);
    assert_eq!(acme.suggestions[0].kind, SuggestionKind::Exact);
    assert!(
        acme.note
            .as_deref()
            .unwrap()
            .contains("`map auto` pairs it")
    );
    let bolt = row(&rec, 2);
    assert_eq!(
        bolt.company.as_ref().unwrap().name,
        "Bolt Ltd",
        "live name shown"
    );
    assert_eq!(rec.summary.newly_mapped, 0);
}

#[test]
fn rows_and_changes_come_in_organization_id_order() {
    let orgs = [org(3, "C"), org(1, "A")];
    let companies = [company(10, "A", true), company(30, "C", true)];
    let pairs = stored(&[(2, entry("B", 20, "B", How::Manual))]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    let ids: Vec<i64> = rec.organizations.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    let changed: Vec<String> = rec.changes.iter().map(|c| c.to_string()).collect();
    assert!(changed[0].contains("organization 1"), "{changed:?}");
    assert!(changed[1].contains("organization 3"), "{changed:?}");
}

#[test]
fn summary_headline_reads_as_a_technician_expects() {
    let s = Summary {
        mapped: 41,
        newly_mapped: 3,
        unmapped: 4,
        ambiguous: 2,
        stale: 1,
    };
    assert_eq!(
        s.headline(),
        "41 mapped (3 new), 6 need a manual pair (2 ambiguous), 1 stale"
    );
}

// ------------------------------------------------------------------ accepting suggestions

#[test]
fn accept_takes_only_unique_unambiguous_normalised_suggestions() {
    let orgs = [
        org(1, "Acme Widgets Inc"), // one normalised match: accepted
        org(2, "Bolt Ltd"),         // two normalised matches: skipped
        org(3, "Coho, LLC"),        // shares its company with org 4: both skipped
        org(4, "Coho Inc"),
        org(5, "Relecloud"),  // merely similar: skipped
        org(6, "Delta Inc."), // company already paired with org 7: skipped
        org(7, "Delta Group"),
    ];
    let companies = [
        company(10, "Acme Widgets Inc.", true),
        company(20, "Bolt", true),
        company(21, "BOLT", true),
        company(30, "Coho", true),
        company(50, "Relecloude", true),
        company(60, "Delta", true),
    ];
    let pairs = stored(&[(7, entry("Delta Group", 60, "Delta", How::Manual))]);
    let rec = reconcile(&orgs, &companies, &pairs, Mode::AutoMap);
    assert_eq!(row(&rec, 5).suggestions[0].kind, SuggestionKind::Similar);
    let accepted = accept_suggestions(&rec);
    assert_eq!(
        accepted,
        vec![Acceptance {
            organization_id: 1,
            organization: "Acme Widgets Inc".into(),
            company: CompanyRef {
                id: 10,
                name: "Acme Widgets Inc.".into()
            },
            why: "differs only by punctuation ('Inc' vs 'Inc.')".into(),
        }]
    );
    let mut mapping = rec.mapping.clone();
    for a in &accepted {
        pin(
            &mut mapping,
            a.organization_id,
            &a.organization,
            a.company.clone(),
        );
    }
    let again = reconcile(&orgs, &companies, &mapping, Mode::AutoMap);
    assert_eq!(row(&again, 1).how, Some(How::Manual));
    assert!(
        accept_suggestions(&again).is_empty(),
        "nothing left to accept"
    );
}

// ------------------------------------------------------------------ the seed MSP

fn seed_world() -> (Msp, Vec<Organization>, Vec<Company>) {
    let msp = Msp::standard();
    let orgs = msp
        .organizations
        .iter()
        .map(|o| org(o.id, &o.name))
        .collect();
    // Emulators number companies in seed order.
    let companies = msp
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| company(i as i64 + 1, &c.name, c.active))
        .collect();
    (msp, orgs, companies)
}

#[test]
fn the_seed_msp_maps_exact_names_and_explains_the_rest() {
    let (_msp, orgs, companies) = seed_world();
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let by_name = |name: &str| -> Vec<&OrgReport> {
        rec.organizations
            .iter()
            .filter(|r| r.name == name)
            .collect()
    };
    for r in &rec.organizations {
        if r.state == State::Mapped {
            assert_eq!(r.company.as_ref().unwrap().name, r.name, "byte-exact only");
        }
    }
    assert_eq!(by_name("Able Moose Accounting")[0].state, State::Mapped);
    assert_eq!(by_name("City Power & Light")[0].state, State::Mapped);
    assert_eq!(by_name("Margie's Travel")[0].state, State::Mapped);

    let drift: &[(&str, &str, &str)] = &[
        (
            "Acme Widgets Inc",
            "Acme Widgets Inc.",
            "punctuation ('Inc' vs 'Inc.')",
        ),
        (
            "O'Brien Plumbing",
            "O\u{2019}Brien Plumbing",
            "apostrophe differs",
        ),
        (
            "Kangaroo Logistics",
            "Kangaroo Logistics Pty Ltd",
            "'Pty Ltd'",
        ),
        ("bluebird dental", "Bluebird Dental", "only in case"),
        (
            "Summit Physiotherapy",
            "Summit Physiotherapy ",
            "trailing space",
        ),
        ("Greenfield Sons, LLC", "Greenfield Sons LLC", "punctuation"),
        (
            "Harbour View Legal Limited",
            "Harbour View Legal Ltd",
            "'Limited' vs 'Ltd'",
        ),
    ];
    for (org_name, company_name, why) in drift {
        let r = by_name(org_name)[0];
        assert_eq!(r.state, State::Unmapped, "{org_name}");
        assert_eq!(r.suggestions[0].name, *company_name, "{org_name}");
        assert!(
            r.suggestions[0].why.contains(why),
            "{org_name}: {}",
            r.suggestions[0].why
        );
    }
    let riverside = by_name("Riverside Clinic");
    assert_eq!(riverside.len(), 2);
    assert!(riverside.iter().all(|r| r.state == State::Ambiguous));
    assert_eq!(by_name("Metro Dental")[0].state, State::Ambiguous);
    let bakery = by_name("Old Mill Bakery")[0];
    assert_eq!(bakery.state, State::Unmapped);
    assert!(
        bakery.suggestions.is_empty(),
        "the inactive match is not suggested"
    );
    assert!(bakery.note.as_deref().unwrap().contains("inactive"));
    let newco = by_name("Newco Startup")[0];
    assert_eq!(newco.state, State::Unmapped);
    assert!(newco.suggestions.is_empty());

    assert_eq!(
        rec.summary,
        Summary {
            mapped: 28,
            newly_mapped: 28,
            unmapped: 9,
            ambiguous: 3,
            stale: 0,
        }
    );
    let accepted = accept_suggestions(&rec);
    let pairs: Vec<(&str, &str)> = accepted
        .iter()
        .map(|a| (a.organization.as_str(), a.company.name.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = drift.iter().map(|d| (d.0, d.1)).collect();
    let mut pairs_sorted = pairs.clone();
    let mut expected_sorted = expected.clone();
    pairs_sorted.sort();
    expected_sorted.sort();
    assert_eq!(
        pairs_sorted, expected_sorted,
        "every drift case, nothing else"
    );
}

#[test]
fn the_seed_msp_reconciles_idempotently() {
    let (_msp, orgs, companies) = seed_world();
    let first = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let second = reconcile(&orgs, &companies, &first.mapping, Mode::AutoMap);
    assert!(second.changes.is_empty());
    assert_eq!(second.mapping, first.mapping);
    assert_eq!(second.summary.mapped, first.summary.mapped);
    assert_eq!(second.summary.newly_mapped, 0);
}

// ------------------------------------------------------------------ scale

/// The cost shape, not a timing: similar-name suggestions examine, per organization, only
/// the companies sharing one of its rarer words (at most one word's worth past a cap), so
/// the work grows with organizations, never with organizations x companies.
#[test]
fn similar_name_search_is_bounded_per_organization() {
    const WORDS: usize = 100;
    let word = |i: usize| format!("Word{:03}x", i % WORDS);
    // Nothing matches, so every organization goes through the similar-name search.
    let orgs: Vec<Organization> = (0..400)
        .map(|i| org(i as i64, &format!("{} Partners {i:04}", word(i))))
        .collect();
    let companies: Vec<Company> = (0..15_000)
        .map(|i| company(i as i64, &format!("{} Customer {i:05}", word(i)), true))
        .collect();
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    assert_eq!(rec.summary.unmapped, 400);
    let per_org = rec.work.comparisons / orgs.len();
    assert!(per_org > 0, "the search ran");
    assert!(
        per_org <= SIMILAR_CANDIDATES + COMMON_WORD,
        "{per_org} companies examined per organization"
    );
    assert!(rec.work.comparisons * 50 < orgs.len() * companies.len());

    // Twice the companies: the shared word becomes common and is no longer used.
    let more: Vec<Company> = (0..30_000)
        .map(|i| company(i as i64, &format!("{} Customer {i:05}", word(i)), true))
        .collect();
    let rec = reconcile(&orgs, &more, &Mapping::default(), Mode::AutoMap);
    assert!(rec.work.comparisons / orgs.len() <= SIMILAR_CANDIDATES + COMMON_WORD);
}

#[test]
fn the_generated_large_msp_maps_exactly_and_sorts_out_the_rest() {
    let msp = Msp::generated(500, 5_000, 0);
    let orgs: Vec<Organization> = msp
        .organizations
        .iter()
        .map(|o| org(o.id, &o.name))
        .collect();
    let companies: Vec<Company> = msp
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| company(i as i64 + 1, &c.name, c.active))
        .collect();
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    // Per hundred: 5 drifted and 1 inactive-only (unmapped), 2 organizations sharing a
    // name and 1 name two companies share (ambiguous).
    assert_eq!(rec.summary.mapped, 455);
    assert_eq!(rec.summary.unmapped, 30);
    assert_eq!(rec.summary.ambiguous, 15);
    // Only the drift is unambiguous enough to pin in bulk.
    assert_eq!(accept_suggestions(&rec).len(), 25);
}

// ------------------------------------------------------------------ properties

/// Names drawn from a small pool with drifted variants, so that exact matches,
/// duplicates on both sides and near misses all happen often.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Acme",
        "Acme Inc",
        "Acme Inc.",
        "ACME",
        "Acme ",
        "Bolt",
        "Bolt Ltd",
        "Bolt Limited",
        "O'Hara",
        "O\u{2019}Hara",
        "Coho & Sons",
        "Coho and Sons",
        "Delta",
        "",
    ])
    .prop_map(String::from)
}

#[derive(Debug, Clone)]
struct World {
    orgs: Vec<Organization>,
    companies: Vec<Company>,
    stored: Mapping,
}

fn world() -> impl Strategy<Value = World> {
    let orgs = prop::collection::btree_map(0i64..40, name(), 0..25);
    let companies = prop::collection::btree_map(100i64..140, (name(), any::<bool>()), 0..25);
    // Stored pairs may point at companies that exist or not, orgs that exist or not.
    let pairs = prop::collection::btree_map(
        0i64..45,
        (name(), 100i64..145, name(), any::<bool>()),
        0..12,
    );
    (orgs, companies, pairs).prop_map(|(orgs, companies, pairs)| World {
        orgs: orgs.into_iter().map(|(id, n)| org(id, &n)).collect(),
        companies: companies
            .into_iter()
            .map(|(id, (n, active))| company(id, &n, active))
            .collect(),
        stored: Mapping {
            organizations: pairs
                .into_iter()
                .map(|(id, (n, cid, cn, manual))| {
                    let how = if manual { How::Manual } else { How::Auto };
                    (id, entry(&n, cid, &cn, how))
                })
                .collect::<BTreeMap<_, _>>(),
            ..Mapping::default()
        },
    })
}

proptest! {
    #[test]
    fn reconciling_its_own_output_changes_nothing(w in world()) {
        let first = reconcile(&w.orgs, &w.companies, &w.stored, Mode::AutoMap);
        let second = reconcile(&w.orgs, &w.companies, &first.mapping, Mode::AutoMap);
        prop_assert!(second.changes.is_empty(), "{:?}", second.changes);
        prop_assert_eq!(&second.mapping, &first.mapping);
        prop_assert_eq!(second.summary.newly_mapped, 0);
    }

    #[test]
    fn stored_pairs_keep_their_company_and_how(w in world()) {
        let rec = reconcile(&w.orgs, &w.companies, &w.stored, Mode::AutoMap);
        for (id, before) in &w.stored.organizations {
            let after = &rec.mapping.organizations[id];
            prop_assert_eq!(after.company.id, before.company.id);
            prop_assert_eq!(after.how, before.how);
        }
    }

    #[test]
    fn auto_pairs_are_byte_exact_unique_and_active(w in world()) {
        let rec = reconcile(&w.orgs, &w.companies, &w.stored, Mode::AutoMap);
        let mut org_names: HashMap<&str, usize> = HashMap::new();
        for o in &w.orgs {
            *org_names.entry(o.name.as_str()).or_default() += 1;
        }
        for change in &rec.changes {
            if let Change::Added { organization_id, organization, company, how } = change {
                prop_assert_eq!(*how, How::Auto);
                prop_assert!(!w.stored.organizations.contains_key(organization_id));
                prop_assert_eq!(org_names[organization.as_str()], 1, "ambiguous name mapped");
                let same: Vec<&Company> = w.companies.iter()
                    .filter(|c| c.active && c.name == *organization).collect();
                prop_assert_eq!(same.len(), 1);
                prop_assert_eq!(same[0].id, company.id);
            }
        }
    }

    #[test]
    fn diff_only_never_changes_the_mapping(w in world()) {
        let rec = reconcile(&w.orgs, &w.companies, &w.stored, Mode::DiffOnly);
        prop_assert_eq!(&rec.mapping, &w.stored);
        prop_assert!(rec.changes.is_empty());
    }

    #[test]
    fn states_partition_the_rows(w in world()) {
        let rec = reconcile(&w.orgs, &w.companies, &w.stored, Mode::AutoMap);
        let s = rec.summary;
        prop_assert_eq!(s.mapped + s.unmapped + s.ambiguous + s.stale, rec.organizations.len());
        prop_assert!(s.newly_mapped <= s.mapped);
        let gone = w.stored.organizations.keys().filter(|id| !w.orgs.iter().any(|o| o.id == **id)).count();
        prop_assert_eq!(rec.organizations.len(), w.orgs.len() + gone);
    }

    #[test]
    fn accepted_suggestions_name_distinct_unpaired_active_companies(w in world()) {
        let rec = reconcile(&w.orgs, &w.companies, &w.stored, Mode::AutoMap);
        let accepted = accept_suggestions(&rec);
        let mut seen = std::collections::HashSet::new();
        for a in &accepted {
            prop_assert!(seen.insert(a.company.id), "one company accepted twice");
            prop_assert!(w.companies.iter().any(|c| c.id == a.company.id && c.active));
            prop_assert!(!rec.mapping.organizations.values().any(|e| e.company.id == a.company.id));
            prop_assert!(!rec.mapping.organizations.contains_key(&a.organization_id));
        }
    }
}

/// The `map auto|list --json` keys of SPEC section 6 come straight from these types.
#[test]
fn report_rows_and_summary_serialize_with_the_spec_keys() {
    let orgs = [org(1, "Acme"), org(2, "Bolt Inc")];
    let companies = [company(10, "Acme", true), company(20, "Bolt", true)];
    let rec = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let summary = serde_json::to_value(rec.summary).unwrap();
    assert_eq!(
        summary,
        serde_json::json!({"mapped": 1, "newly_mapped": 1, "unmapped": 1, "ambiguous": 0, "stale": 0})
    );
    let mapped = serde_json::to_value(row(&rec, 1)).unwrap();
    assert_eq!(mapped["state"], "mapped");
    assert_eq!(mapped["how"], "auto");
    assert_eq!(
        mapped["company"],
        serde_json::json!({"id": 10, "name": "Acme"})
    );
    let unmapped = serde_json::to_value(row(&rec, 2)).unwrap();
    assert_eq!(unmapped["state"], "unmapped");
    assert_eq!(unmapped["how"], serde_json::Value::Null);
    assert_eq!(unmapped["company"], serde_json::Value::Null);
    assert_eq!(unmapped["suggestions"][0]["id"], 20);
    assert_eq!(unmapped["suggestions"][0]["name"], "Bolt");
    assert_eq!(unmapped["suggestions"][0]["why"], "differs only by 'Inc'");
    let change = serde_json::to_value(&rec.changes[0]).unwrap();
    assert_eq!(change["change"], "added");
    assert_eq!(change["organization_id"], 1);
}
