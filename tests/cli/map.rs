//! `map auto | manual | remove | list` through the real binary, against the emulators
//! seeded with the standard MSP: 28 exact names, 7 drifted ones, two organizations named
//! "Riverside Clinic", two companies named "Metro Dental", an organization whose only
//! company is inactive ("Old Mill Bakery") and one with no company at all ("Newco
//! Startup").

use psa_link::psa::PsaKind;
use psa_link::store::{How, Store};
use serde_json::Value;

use crate::common::world::World;
use crate::common::{assert_code, json, stderr, stdout};
use crate::each_psa;

/// (Huntress organization, PSA company, why it is suggested) of every drift case in the seed.
const DRIFT: &[(&str, &str, &str)] = &[
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
        "Greenfield Sons, LLC",
        "Greenfield Sons LLC",
        "differs only by punctuation ('Sons,' vs 'Sons')",
    ),
    (
        "Harbour View Legal Limited",
        "Harbour View Legal Ltd",
        "differs only by legal suffix ('Limited' vs 'Ltd')",
    ),
];

const EXACT_COUNT: u64 = 28;

fn store(world: &World) -> Store {
    Store::open(world.config_dir())
}

fn run_json(world: &World, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = world.run(&all);
    assert_code(&out, 0);
    json(&out)
}

/// The report row of the organization with this name (the first, for duplicates).
fn row<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row for {name}: {doc}"))
}

fn org_id(world: &World, name: &str) -> i64 {
    world
        .sandbox
        .msp
        .organizations
        .iter()
        .find(|o| o.name == name)
        .map(|o| o.id)
        .expect("seed organization")
}

fn company_id(world: &World, name: &str) -> i64 {
    world.sandbox.psa.company_id(name).expect("seed company")
}

fn mapping_text(world: &World) -> String {
    std::fs::read_to_string(world.path("mapping.toml")).expect("mapping.toml")
}

fn map_auto_pairs_exact_names_and_suggests_a_company_for_each_drift_case(kind: PsaKind) {
    let world = World::configured(kind);
    let doc = run_json(&world, &["map", "auto"]);
    // SPEC §6 keys.
    let summary = &doc["summary"];
    for key in ["mapped", "newly_mapped", "unmapped", "ambiguous", "stale"] {
        assert!(summary[key].is_u64(), "summary.{key}: {doc}");
    }
    assert_eq!(summary["mapped"], EXACT_COUNT);
    assert_eq!(summary["newly_mapped"], EXACT_COUNT);
    // 7 drifted + the inactive-only + the company-less organization.
    assert_eq!(summary["unmapped"], 9);
    assert_eq!(summary["ambiguous"], 3);
    assert_eq!(summary["stale"], 0);
    for r in doc["organizations"].as_array().unwrap() {
        for key in ["id", "name", "state", "how", "company", "suggestions"] {
            assert!(r.get(key).is_some(), "row without {key}: {r}");
        }
        for s in r["suggestions"].as_array().unwrap() {
            for key in ["id", "name", "why"] {
                assert!(s.get(key).is_some(), "suggestion without {key}: {s}");
            }
        }
    }

    let tailspin = row(&doc, "Tailspin Toys");
    assert_eq!(tailspin["state"], "mapped");
    assert_eq!(tailspin["how"], "auto");
    assert_eq!(tailspin["company"]["name"], "Tailspin Toys");
    assert_eq!(
        tailspin["company"]["id"],
        company_id(&world, "Tailspin Toys")
    );

    for (org, company, why) in DRIFT {
        let r = row(&doc, org);
        assert_eq!(r["state"], "unmapped", "{org} must not be auto-mapped: {r}");
        assert_eq!(r["how"], Value::Null);
        assert_eq!(r["company"], Value::Null);
        let best = &r["suggestions"][0];
        assert_eq!(best["name"], *company, "{org}: {r}");
        assert_eq!(best["why"], *why, "{org}: the suggestion says why: {r}");
    }

    let riverside: Vec<&Value> = doc["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "Riverside Clinic")
        .collect();
    assert_eq!(riverside.len(), 2);
    assert!(riverside.iter().all(|r| r["state"] == "ambiguous"));
    let metro = row(&doc, "Metro Dental");
    assert_eq!(metro["state"], "ambiguous");
    assert_eq!(metro["suggestions"].as_array().unwrap().len(), 2);
    assert_eq!(row(&doc, "Old Mill Bakery")["state"], "unmapped");
    assert_eq!(row(&doc, "Newco Startup")["state"], "unmapped");

    // Written: the exact pairs, as auto, for this PSA.
    let mapping = store(&world).mapping().unwrap();
    assert_eq!(mapping.organizations.len() as u64, EXACT_COUNT);
    assert!(mapping.organizations.values().all(|e| e.how == How::Auto));
    assert_eq!(mapping.psa.as_deref(), doc["psa"].as_str());
}

fn the_human_report_starts_with_the_summary(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["map", "auto", "--filter", "unmapped"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_eq!(
        text.lines().next(),
        Some("28 mapped (28 new), 12 need a manual pair (3 ambiguous), 0 stale"),
        "{text}"
    );
    // --filter unmapped: the rows that need work, with their suggestions, and no others.
    assert!(text.contains("Kangaroo Logistics Pty Ltd"), "{text}");
    assert!(text.contains("Riverside Clinic"), "{text}");
    assert!(!text.contains("Tailspin Toys"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour off a terminal / with NO_COLOR"
    );
    assert!(
        stderr(&out).contains("map manual"),
        "says what to do next: {}",
        stderr(&out)
    );
}

fn a_manual_pin_survives_repeated_map_auto(kind: PsaKind) {
    let world = World::configured(kind);
    // Coho Winery matches "Coho Winery" exactly; a person pins it elsewhere on purpose.
    let out = world.run(&["map", "manual", "Coho Winery", "Sunrise Yoga Studio"]);
    assert_code(&out, 0);
    let coho = org_id(&world, "Coho Winery");
    let sunrise = company_id(&world, "Sunrise Yoga Studio");
    for _ in 0..2 {
        let doc = run_json(&world, &["map", "auto"]);
        let r = row(&doc, "Coho Winery");
        assert_eq!(r["how"], "manual");
        assert_eq!(r["company"]["id"], sunrise);
        assert_eq!(r["state"], "mapped");
    }
    let entry = &store(&world).mapping().unwrap().organizations[&coho];
    assert_eq!((entry.how, entry.company.id), (How::Manual, sunrise));
}

fn a_renamed_company_is_refreshed_and_keeps_its_pair(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    let id = company_id(&world, "Tailspin Toys");
    world.sandbox.psa.rename_company(id, "Tailspin Toys Group");
    let doc = run_json(&world, &["map", "auto"]);
    let r = row(&doc, "Tailspin Toys");
    assert_eq!(r["state"], "mapped");
    assert_eq!(r["company"]["id"], id);
    assert_eq!(r["company"]["name"], "Tailspin Toys Group");
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{doc}");
    assert_eq!(changes[0]["change"], "company_renamed");
    let org = org_id(&world, "Tailspin Toys");
    let entry = &store(&world).mapping().unwrap().organizations[&org];
    assert_eq!(entry.company.name, "Tailspin Toys Group");
    assert_eq!(entry.company.id, id);
}

fn a_deactivated_company_makes_its_pair_stale(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    let id = company_id(&world, "Woodgrove Bank");
    world.sandbox.psa.set_company_active(id, false);
    let doc = run_json(&world, &["map", "auto", "--filter", "stale"]);
    assert_eq!(doc["summary"]["stale"], 1);
    assert_eq!(doc["summary"]["mapped"], EXACT_COUNT - 1);
    let rows = doc["organizations"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        1,
        "--filter stale shows only the stale row: {doc}"
    );
    assert_eq!(rows[0]["name"], "Woodgrove Bank");
    assert_eq!(rows[0]["state"], "stale");
    assert_eq!(rows[0]["company"]["id"], id);
    // The pair is kept for a person to decide.
    let org = org_id(&world, "Woodgrove Bank");
    assert!(
        store(&world)
            .mapping()
            .unwrap()
            .organizations
            .contains_key(&org)
    );
}

fn dry_run_prints_the_changes_and_writes_nothing(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["map", "auto", "--dry-run"]);
    assert_code(&out, 0);
    assert!(!world.path("mapping.toml").exists(), "no file created");
    let text = stdout(&out);
    let pair = format!(
        "pair organization {} 'Tailspin Toys' with company {} 'Tailspin Toys' (auto)",
        org_id(&world, "Tailspin Toys"),
        company_id(&world, "Tailspin Toys")
    );
    assert!(text.contains(&pair), "{text}");

    run_json(&world, &["map", "auto"]);
    let before = std::fs::read(world.path("mapping.toml")).unwrap();
    let id = company_id(&world, "Coho Winery");
    world.sandbox.psa.rename_company(id, "Coho Vineyard");
    let out = world.run(&["map", "auto", "--dry-run", "--accept-suggestions"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("rename company") && text.contains("'Coho Vineyard'"),
        "{text}"
    );
    assert!(text.contains("pin organization"), "{text}");
    assert_eq!(
        std::fs::read(world.path("mapping.toml")).unwrap(),
        before,
        "--dry-run leaves mapping.toml byte for byte"
    );
    // The JSON form says the same.
    let doc = run_json(&world, &["map", "auto", "--dry-run"]);
    assert_eq!(doc["dry_run"], true);
    assert_eq!(doc["written"], false);
    assert_eq!(doc["changes"].as_array().unwrap().len(), 1);
    assert_eq!(std::fs::read(world.path("mapping.toml")).unwrap(), before);
}

fn fail_on_unmapped_exits_5_and_keeps_the_exact_pairs(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["map", "auto", "--fail-on-unmapped", "--json"]);
    assert_code(&out, 5);
    let doc = json(&out);
    assert_eq!(doc["summary"]["unmapped"], 9);
    assert!(stderr(&out).contains("manual pair"), "{}", stderr(&out));
    assert_eq!(
        store(&world).mapping().unwrap().organizations.len() as u64,
        EXACT_COUNT,
        "the exact matches are saved"
    );
    // A dry run exits as the real run would.
    let out = world.run(&["map", "auto", "--fail-on-unmapped", "--dry-run"]);
    assert_code(&out, 5);
}

fn a_hand_comment_in_mapping_toml_survives_a_run(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    let org = org_id(&world, "Fourth Coffee");
    let text = mapping_text(&world);
    let block = format!("[organizations.{org}]");
    let commented = text.replace(
        &block,
        &format!("# billing contact: Dana, ext 4410\n{block}"),
    );
    assert_ne!(commented, text);
    std::fs::write(world.path("mapping.toml"), &commented).unwrap();
    // Something to write: a company renamed in the PSA, and a pin.
    let id = company_id(&world, "Fourth Coffee");
    world.sandbox.psa.rename_company(id, "Fourth Coffee Co");
    run_json(&world, &["map", "auto"]);
    assert_code(
        &world.run(&[
            "map",
            "manual",
            "Kangaroo Logistics",
            "Kangaroo Logistics Pty Ltd",
        ]),
        0,
    );
    let after = mapping_text(&world);
    assert!(
        after.contains(&format!("# billing contact: Dana, ext 4410\n{block}")),
        "{after}"
    );
    assert!(after.contains("Fourth Coffee Co"), "{after}");
}

fn accept_suggestions_with_yes_pins_exactly_the_drift_pairs(kind: PsaKind) {
    let world = World::configured(kind);
    let doc = run_json(&world, &["map", "auto", "--accept-suggestions", "--yes"]);
    assert_eq!(
        doc["summary"]["unmapped"], 2,
        "Old Mill Bakery, Newco Startup"
    );
    assert_eq!(doc["summary"]["mapped"], EXACT_COUNT + DRIFT.len() as u64);
    let mapping = store(&world).mapping().unwrap();
    let mut manual: Vec<(i64, String)> = mapping
        .organizations
        .iter()
        .filter(|(_, e)| e.how == How::Manual)
        .map(|(id, e)| (*id, e.company.name.clone()))
        .collect();
    manual.sort();
    let mut expected: Vec<(i64, String)> = DRIFT
        .iter()
        .map(|(org, company, _)| (org_id(&world, org), company.to_string()))
        .collect();
    expected.sort();
    assert_eq!(manual, expected);
    for (org, company, _) in DRIFT {
        let r = row(&doc, org);
        assert_eq!(r["how"], "manual");
        assert_eq!(r["company"]["id"], company_id(&world, company));
    }
}

fn map_manual_pins_by_name_or_id_and_reports_the_previous_pair(kind: PsaKind) {
    let world = World::configured(kind);
    let obrien = org_id(&world, "O'Brien Plumbing");
    let curly = company_id(&world, "O\u{2019}Brien Plumbing");
    let out = world.run(&[
        "map",
        "manual",
        "O'Brien Plumbing",
        "O\u{2019}Brien Plumbing",
    ]);
    assert_code(&out, 0);
    let entry = &store(&world).mapping().unwrap().organizations[&obrien];
    assert_eq!((entry.how, entry.company.id), (How::Manual, curly));

    // By id, replacing the pair: the previous one is reported.
    let other = company_id(&world, "Sunrise Yoga Studio");
    let doc = run_json(
        &world,
        &["map", "manual", &obrien.to_string(), &other.to_string()],
    );
    assert_eq!(doc["company"]["id"], other);
    assert_eq!(doc["previous"]["id"], curly);
    assert_eq!(doc["changed"], true);
    let out = world.run(&["map", "manual", &obrien.to_string(), &curly.to_string()]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("replacing company"),
        "{}",
        stderr(&out)
    );

    // An inactive company is refused with the reason; an unknown one with near misses.
    let out = world.run(&["map", "manual", "Old Mill Bakery", "Old Mill Bakery"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("inactive"), "{}", stderr(&out));
    let out = world.run(&["map", "manual", "Coho Winery", "Coho Winnery"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));
    // Two organizations share a name: the id is needed.
    let out = world.run(&["map", "manual", "Riverside Clinic", "Riverside Clinic"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("give the id"), "{}", stderr(&out));
}

fn map_manual_without_company_and_no_terminal_is_a_usage_error(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["map", "manual", "Acme Widgets Inc"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("COMPANY"), "{}", stderr(&out));
    assert!(!world.path("mapping.toml").exists());
}

fn map_remove_unpins_by_name_or_id_even_offline(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    assert_code(
        &world.run(&["map", "manual", "Acme Widgets Inc", "Acme Widgets Inc."]),
        0,
    );
    let acme = org_id(&world, "Acme Widgets Inc");
    let coho = org_id(&world, "Coho Winery");
    let World { env, sandbox } = world;
    drop(sandbox); // the source and the PSA are gone
    let doc = {
        let out = env.run(&["map", "remove", "Acme Widgets Inc", "--json"]);
        assert_code(&out, 0);
        json(&out)
    };
    assert_eq!(doc["removed"]["organization"]["id"], acme);
    assert_eq!(doc["removed"]["how"], "manual");
    assert_code(&env.run(&["map", "remove", &coho.to_string()]), 0);
    let mapping = Store::open(env.config_dir()).mapping().unwrap();
    assert!(!mapping.organizations.contains_key(&acme));
    assert!(!mapping.organizations.contains_key(&coho));
    assert_eq!(mapping.organizations.len() as u64, EXACT_COUNT - 1);
    let out = env.run(&["map", "remove", "Acme Widgets Inc"]);
    assert_code(&out, 2);
}

fn map_list_offline_needs_no_psa(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    assert_code(
        &world.run(&["map", "manual", "bluebird dental", "Bluebird Dental"]),
        0,
    );
    let before = mapping_text(&world);
    let World { env, sandbox } = world;
    drop(sandbox);
    let out = env.run(&["map", "list", "--offline", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["offline"], true);
    assert_eq!(doc["summary"]["mapped"], EXACT_COUNT + 1);
    let bluebird = row(&doc, "bluebird dental");
    assert_eq!(bluebird["how"], "manual");
    assert_eq!(bluebird["company"]["name"], "Bluebird Dental");
    let out = env.run(&["map", "list", "--offline", "--filter", "mapped"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Bluebird Dental"), "{}", stdout(&out));
    // Without --offline it needs the PSA: a network failure.
    assert_code(&env.run(&["map", "list"]), 8);
    assert_eq!(
        std::fs::read_to_string(env.path("mapping.toml")).unwrap(),
        before
    );
}

fn map_list_diffs_against_the_live_psa_and_never_writes(kind: PsaKind) {
    let world = World::configured(kind);
    let doc = run_json(&world, &["map", "list"]);
    assert_eq!(doc["summary"]["mapped"], 0);
    let tailspin = row(&doc, "Tailspin Toys");
    assert_eq!(tailspin["state"], "unmapped");
    assert_eq!(tailspin["suggestions"][0]["name"], "Tailspin Toys");
    assert!(
        !world.path("mapping.toml").exists(),
        "map list never writes"
    );

    run_json(&world, &["map", "auto"]);
    let before = mapping_text(&world);
    let id = company_id(&world, "Relecloud");
    world.sandbox.psa.set_company_active(id, false);
    let doc = run_json(&world, &["map", "list", "--filter", "stale"]);
    assert_eq!(doc["summary"]["stale"], 1);
    assert_eq!(doc["organizations"][0]["name"], "Relecloud");
    assert_eq!(mapping_text(&world), before);
}

fn a_mapping_made_for_another_psa_is_refused(kind: PsaKind) {
    let world = World::configured(kind);
    std::fs::create_dir_all(world.config_dir()).unwrap();
    let other = "version = 1\npsa = \"autotask:webservices2.autotask.net\"\n\n[organizations.101]\nname = \"Able Moose Accounting\"\ncompany = { id = 29683, name = \"Able Moose Accounting\" }\nhow = \"manual\"\n";
    std::fs::write(world.path("mapping.toml"), other).unwrap();
    let out = world.run(&["map", "auto"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("another PSA"), "{}", stderr(&out));
    assert_eq!(mapping_text(&world), other);
    // `map manual` and `map list` refuse it too; `map list --offline` only reads it.
    let out = world.run(&["map", "manual", "Coho Winery", "Coho Winery"]);
    assert_code(&out, 3);
    assert_code(&world.run(&["map", "list"]), 3);
    assert_code(&world.run(&["map", "list", "--offline"]), 0);
    assert_eq!(mapping_text(&world), other);
}

fn a_mapping_file_without_pairs_is_taken_over(kind: PsaKind) {
    let world = World::configured(kind);
    std::fs::create_dir_all(world.config_dir()).unwrap();
    let empty = "# ours\nversion = 1\npsa = \"autotask:webservices2.autotask.net\"\n";
    std::fs::write(world.path("mapping.toml"), empty).unwrap();
    let doc = run_json(&world, &["map", "auto"]);
    let mapping = store(&world).mapping().unwrap();
    assert_eq!(mapping.psa.as_deref(), doc["psa"].as_str());
    assert_eq!(mapping.organizations.len() as u64, EXACT_COUNT);
    assert!(mapping_text(&world).starts_with("# ours\n"));
}

/// SPEC §4: `--yes` is implied when stdin is not a terminal, so a script's
/// `--accept-suggestions` pins without asking.
fn accept_suggestions_without_a_terminal_implies_yes(kind: PsaKind) {
    let world = World::configured(kind);
    let doc = run_json(&world, &["map", "auto", "--accept-suggestions"]);
    assert_eq!(doc["summary"]["mapped"], EXACT_COUNT + DRIFT.len() as u64);
}

fn a_company_deleted_in_the_psa_makes_its_pair_stale(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    let id = company_id(&world, "Woodgrove Bank");
    world.sandbox.psa.delete_company(id);
    let doc = run_json(&world, &["map", "auto"]);
    assert_eq!(doc["summary"]["stale"], 1, "{doc}");
    assert_eq!(doc["summary"]["mapped"], EXACT_COUNT - 1);
    let r = row(&doc, "Woodgrove Bank");
    assert_eq!(r["state"], "stale", "{r}");
    assert_eq!(r["how"], "auto");
    assert_eq!(
        r["company"]["id"], id,
        "the stored company is reported: {r}"
    );
    // Kept in mapping.toml for a person to decide, and named in the human report.
    let org = org_id(&world, "Woodgrove Bank");
    let entry = &store(&world).mapping().unwrap().organizations[&org];
    assert_eq!(entry.company.id, id);
    let out = world.run(&["map", "auto", "--filter", "stale"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("1 stale"), "{text}");
    assert!(text.contains("Woodgrove Bank"), "{text}");
}

fn an_organization_gone_from_the_source_is_stale_and_its_pair_kept(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    let org = org_id(&world, "Tailspin Toys");
    world.sandbox.huntress.remove_organization(org).unwrap();
    let doc = run_json(&world, &["map", "auto"]);
    assert_eq!(doc["summary"]["stale"], 1, "{doc}");
    assert_eq!(doc["summary"]["mapped"], EXACT_COUNT - 1);
    let r = row(&doc, "Tailspin Toys");
    assert_eq!(r["id"], org);
    assert_eq!(r["state"], "stale", "{r}");
    assert_eq!(r["company"]["name"], "Tailspin Toys");
    assert!(
        r["note"]
            .as_str()
            .unwrap_or("")
            .contains("no longer in the source"),
        "says why: {r}"
    );
    let mapping = store(&world).mapping().unwrap();
    assert_eq!(mapping.organizations[&org].name, "Tailspin Toys", "kept");
    assert_eq!(mapping.organizations.len() as u64, EXACT_COUNT);
    let out = world.run(&["map", "list", "--filter", "stale"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Tailspin Toys"), "{}", stdout(&out));
}

fn an_organization_renamed_in_the_source_has_its_stored_name_refreshed(kind: PsaKind) {
    let world = World::configured(kind);
    run_json(&world, &["map", "auto"]);
    let org = org_id(&world, "Coho Winery");
    let company = company_id(&world, "Coho Winery");
    world
        .sandbox
        .huntress
        .rename_organization(org, "Coho Winery & Vineyards")
        .unwrap();
    let doc = run_json(&world, &["map", "auto"]);
    let r = row(&doc, "Coho Winery & Vineyards");
    assert_eq!(r["state"], "mapped", "the pair is keyed on the id: {r}");
    assert_eq!(r["company"]["id"], company);
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{doc}");
    assert_eq!(changes[0]["change"], "organization_renamed", "{doc}");
    let entry = &store(&world).mapping().unwrap().organizations[&org];
    assert_eq!(entry.name, "Coho Winery & Vineyards");
    assert_eq!((entry.how, entry.company.id), (How::Auto, company));
}

fn fail_on_unmapped_counts_stale_pairs_as_incomplete(kind: PsaKind) {
    let world = World::configured(kind);
    // Pair everything, so only the stale pair is left to fail on.
    run_json(&world, &["map", "auto", "--accept-suggestions"]);
    for (org, company) in [
        ("Old Mill Bakery", "Sunrise Yoga Studio"),
        ("Newco Startup", "Sunrise Yoga Studio"),
    ] {
        assert_code(&world.run(&["map", "manual", org, company]), 0);
    }
    let metro: Vec<i64> = world
        .sandbox
        .msp
        .organizations
        .iter()
        .filter(|o| o.name == "Riverside Clinic" || o.name == "Metro Dental")
        .map(|o| o.id)
        .collect();
    let tailspin = company_id(&world, "Tailspin Toys").to_string();
    for id in metro {
        assert_code(
            &world.run(&["map", "manual", &id.to_string(), &tailspin]),
            0,
        );
    }
    let out = world.run(&["map", "auto", "--fail-on-unmapped"]);
    assert_code(&out, 0);

    let id = company_id(&world, "Woodgrove Bank");
    world.sandbox.psa.set_company_active(id, false);
    let out = world.run(&["map", "auto", "--fail-on-unmapped", "--json"]);
    assert_code(&out, 5);
    let doc = json(&out);
    assert_eq!(doc["summary"]["stale"], 1);
    assert_eq!(doc["summary"]["unmapped"], 0);
    assert_eq!(doc["summary"]["ambiguous"], 0);
    let err = stderr(&out);
    assert!(err.contains("1 pair is stale"), "{err}");
    assert!(!err.contains("manual pair"), "nothing is unpaired: {err}");
}

fn map_manual_takes_names_byte_for_byte_and_offers_the_near_one(kind: PsaKind) {
    let world = World::configured(kind);
    // The organization differs only in case: not taken, offered first.
    let out = world.run(&["map", "manual", "coho winery", "Coho Winery"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("did you mean 'Coho Winery'"), "{err}");
    // The company's name has a trailing space: the name without it is not the company's.
    let out = world.run(&[
        "map",
        "manual",
        "Summit Physiotherapy",
        "Summit Physiotherapy",
    ]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("did you mean 'Summit Physiotherapy '"),
        "{err}"
    );
    assert!(!world.path("mapping.toml").exists(), "nothing pinned");
    // Byte for byte, it pins.
    let out = world.run(&[
        "map",
        "manual",
        "Summit Physiotherapy",
        "Summit Physiotherapy ",
    ]);
    assert_code(&out, 0);
    // `map remove` is exact too.
    let out = world.run(&["map", "remove", "summit physiotherapy"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("did you mean 'Summit Physiotherapy'"),
        "{}",
        stderr(&out)
    );
}

each_psa!(
    a_company_deleted_in_the_psa_makes_its_pair_stale,
    an_organization_gone_from_the_source_is_stale_and_its_pair_kept,
    an_organization_renamed_in_the_source_has_its_stored_name_refreshed,
    fail_on_unmapped_counts_stale_pairs_as_incomplete,
    map_manual_takes_names_byte_for_byte_and_offers_the_near_one,
    accept_suggestions_without_a_terminal_implies_yes,
    map_auto_pairs_exact_names_and_suggests_a_company_for_each_drift_case,
    the_human_report_starts_with_the_summary,
    a_manual_pin_survives_repeated_map_auto,
    a_renamed_company_is_refreshed_and_keeps_its_pair,
    a_deactivated_company_makes_its_pair_stale,
    dry_run_prints_the_changes_and_writes_nothing,
    fail_on_unmapped_exits_5_and_keeps_the_exact_pairs,
    a_hand_comment_in_mapping_toml_survives_a_run,
    accept_suggestions_with_yes_pins_exactly_the_drift_pairs,
    map_manual_pins_by_name_or_id_and_reports_the_previous_pair,
    map_manual_without_company_and_no_terminal_is_a_usage_error,
    map_remove_unpins_by_name_or_id_even_offline,
    map_list_offline_needs_no_psa,
    map_list_diffs_against_the_live_psa_and_never_writes,
    a_mapping_made_for_another_psa_is_refused,
    a_mapping_file_without_pairs_is_taken_over,
);

#[test]
fn the_example_mapping_file_is_read_as_documented() {
    let env = crate::common::TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let example = crate::common::repo_root().join("examples/mapping.toml");
    std::fs::copy(&example, env.path("mapping.toml")).unwrap();
    let out = env.run(&["map", "list", "--offline", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["psa"], "halopsa:acme.halopsa.com");
    assert_eq!(doc["summary"]["mapped"], 4);
    assert_eq!(row(&doc, "Acme Widgets Inc")["how"], "manual");
    assert_eq!(row(&doc, "Able Moose Accounting")["how"], "auto");
    // `map remove` edits it in place: the other blocks and their comments stay.
    assert_code(&env.run(&["map", "remove", "101"]), 0);
    let after = std::fs::read_to_string(env.path("mapping.toml")).unwrap();
    assert!(!after.contains("[organizations.101]"));
    assert!(
        after.contains("# Name drift: \"Inc\" in Huntress"),
        "{after}"
    );
    assert!(after.contains("# Two Huntress organizations share this name"));
    assert!(
        after.contains("#   how      \"auto\""),
        "the field notes stay: {after}"
    );
}
