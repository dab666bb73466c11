//! HaloPSA-specific behaviour through the real binary against the HaloPSA emulator: the
//! Authorisation Server (`--auth-host`, kept discovery), `--scope`, the SPEC §7 faults of
//! the test ticket that only Halo has, waiting out a 429 without Retry-After, renewing a
//! revoked token, and the seed's whole story end to end.

use std::process::Output;

use psa_link::psa::PsaKind;
use serde_json::Value;

use crate::common::checklist::{self, fix, step, ticket};
use crate::common::world::World;
use crate::common::{assert_code, stderr, stdout};

const ABLE_MOOSE: &str = "Able Moose Accounting";

fn halo() -> World {
    World::new(PsaKind::Halopsa)
}

/// `integration add halopsa` with the sandbox's arguments plus `extra`.
fn add(world: &World, extra: &[&str]) -> Output {
    let mut args = world.sandbox.integration_args();
    args.extend(extra.iter().map(|s| s.to_string()));
    world.run_args(&args)
}

/// `source set huntress`, `integration add halopsa`, `map auto`: Able Moose is paired by
/// its exact name.
fn mapped_world() -> World {
    let world = World::configured(PsaKind::Halopsa);
    assert_code(&world.run(&["map", "auto"]), 0);
    world
}

/// Adds a line to `[integration.settings]` (a setting `integration add` has no flag for).
fn add_setting(world: &World, line: &str) {
    let path = world.config_dir().join("config.toml");
    let text = world.config_text();
    assert!(text.contains("[integration.settings]\n"), "{text}");
    let text = text.replacen(
        "[integration.settings]\n",
        &format!("[integration.settings]\n{line}\n"),
        1,
    );
    std::fs::write(path, text).expect("write config.toml");
}

fn test_json(world: &World, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["--org", ABLE_MOOSE];
    args.extend_from_slice(extra);
    checklist::test_json(world, &args)
}

// ------------------------------------------------------------ Authorisation Server

#[test]
fn the_discovered_authorisation_server_is_kept_and_not_asked_again() {
    let world = halo();
    world.configure_source();
    world.sandbox.psa_server.clear_log();
    assert_code(&add(&world, &[]), 0);
    let server = &world.sandbox.psa_server;
    assert_eq!(server.count("GET", "/api/authinfo"), 1);
    let first_client_pages = server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.eq_ignore_ascii_case("/api/Client"))
        .filter(|r| r.query.contains("page_no=1"))
        .count();
    assert_eq!(first_client_pages, 1, "page 1 of /api/Client is read once");
    let config = world.config_text();
    assert!(
        config.contains(&format!(
            "discovered_auth_url = \"{}/auth\"",
            world.sandbox.psa_url()
        )),
        "{config}"
    );
    assert!(
        config.contains("discovered_tenant = \"northwind\""),
        "{config}"
    );

    server.clear_log();
    assert_code(&world.run(&["map", "auto"]), 0);
    let (out, _) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(
        server.count("GET", "/api/authinfo"),
        0,
        "later runs use the kept server"
    );
    assert!(server.count("POST", "/auth/token") >= 2);
}

#[test]
fn auth_host_takes_a_host_with_a_path() {
    let world = halo();
    world.configure_source();
    world.sandbox.psa_server.clear_log();
    let out = add(&world, &["--auth-host", "northwind.halopsa.com/auth"]);
    assert_code(&out, 0);
    assert_eq!(
        world.sandbox.psa_server.count("GET", "/api/authinfo"),
        0,
        "a configured server needs no discovery"
    );
    assert!(world.sandbox.psa_server.count("POST", "/auth/token") >= 1);
    let config = world.config_text();
    assert!(
        config.contains("auth_host = \"northwind.halopsa.com/auth\""),
        "{config}"
    );
    assert!(!config.contains("discovered_auth_url"), "{config}");
}

#[test]
fn an_unusable_auth_host_has_its_own_message_and_exits_3() {
    let world = halo();
    world.configure_source();
    let out = add(&world, &["--auth-host", "http://auth.example.com"]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("not a HaloPSA Authorisation Server"), "{err}");
    assert!(err.contains("https://auth.haloservicedesk.com"), "{err}");
    assert!(
        !err.contains("base domain only"),
        "not the --host message: {err}"
    );
}

#[test]
fn a_wrong_authorisation_server_exits_3_with_the_auth_host_fix() {
    let world = halo();
    world.configure_source();
    // A Halo-hosted auth URL: with --base-url its token endpoint is <base>/token, a 404.
    let out = add(&world, &["--auth-host", "https://auth.haloservicedesk.com"]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(
        err.contains("no HaloPSA Authorisation Server answered"),
        "{err}"
    );
    assert!(err.contains("--auth-host"), "{err}");
}

// ------------------------------------------------------------------ scope

#[test]
fn scope_is_asked_for_and_a_missing_permission_is_named() {
    let world = halo();
    world.configure_source();
    // Without read:customers the client list is refused: the scope was sent as given.
    let out = add(&world, &["--scope", "read:tickets edit:tickets"]);
    assert_code(&out, 4);
    let err = stderr(&out);
    assert!(err.contains("Read Customers"), "{err}");

    let mut env_world = halo();
    env_world.configure_source();
    env_world.env.env(
        "PSA_LINK_HALOPSA_SCOPE",
        "read:customers read:tickets edit:tickets",
    );
    let out = add(&env_world, &[]);
    assert_code(&out, 0);
    assert!(
        env_world
            .config_text()
            .contains("scope = \"read:customers read:tickets edit:tickets\""),
        "{}",
        env_world.config_text()
    );
}

// ---------------------------------------------------------- SPEC §7 faults

#[test]
fn an_update_answered_with_an_empty_201_is_re_read_once() {
    let world = mapped_world();
    world.sandbox.set_fault("update-no-echo", true).unwrap();
    world.sandbox.psa_server.clear_log();
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true, "{doc}");
    let id = doc["ticket_id"].as_i64().unwrap();
    // The read step, then the update's own re-read, which the verify step reuses.
    assert_eq!(
        world
            .sandbox
            .psa_server
            .count("GET", &format!("/api/Tickets/{id}")),
        2
    );
    assert!(ticket(&world, &doc).closed);
}

#[test]
fn a_status_unchanged_on_re_read_exits_7_with_the_edit_right_fix() {
    let world = mapped_world();
    world.sandbox.set_fault("update-no-echo", true).unwrap();
    world.sandbox.set_fault("status-unchanged", true).unwrap();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 7);
    assert_eq!(step(&doc, "resolve")["ok"], false, "{doc}");
    let fix = fix(&doc, "resolve");
    assert!(
        fix.contains("Can Edit Tickets Which Are Not Assigned To Them"),
        "{fix}"
    );
    assert!(fix.contains("all teams"), "{fix}");
    assert!(fix.contains("status-map set resolved"), "{fix}");
    assert!(
        step(&doc, "resolve")["detail"]
            .as_str()
            .unwrap()
            .contains("unchanged on re-read"),
        "{doc}"
    );
}

#[test]
fn missing_ticket_rights_exit_4_naming_the_permission() {
    let world = mapped_world();
    world.sandbox.set_fault("missing-permission", true).unwrap();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 4);
    assert_eq!(step(&doc, "create")["ok"], false, "{doc}");
    let fix = fix(&doc, "create");
    assert!(fix.contains("Edit Tickets"), "{fix}");
    assert!(fix.contains("Can add new Tickets"), "{fix}");
}

#[test]
fn an_ip_filter_exits_4_asking_to_allow_this_address() {
    let world = mapped_world();
    world.sandbox.set_fault("ip-filter", true).unwrap();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 4);
    assert!(
        fix(&doc, "create").contains("allow this machine's public address"),
        "{doc}"
    );

    // The same at `integration add`.
    let fresh = halo();
    fresh.configure_source();
    fresh.sandbox.set_fault("ip-filter", true).unwrap();
    let out = add(&fresh, &[]);
    assert_code(&out, 4);
    assert!(
        stderr(&out).contains("allow this machine's public address"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_resolved_status_that_does_not_close_passes_with_a_warning() {
    let world = mapped_world();
    let out = world.run(&["status-map", "set", "resolved", "Pending Closure"]);
    assert_code(&out, 0);
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true, "{doc}");
    let verify = step(&doc, "verify");
    let warning = verify["warning"].as_str().expect("a warning");
    assert!(warning.contains("does not close the ticket"), "{warning}");
    assert!(warning.contains("stay open"), "{warning}");
    assert!(!ticket(&world, &doc).closed);

    let out = world.run(&["integration", "test", "--org", ABLE_MOOSE]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("does not close the ticket"),
        "{}",
        stdout(&out)
    );
}

// ------------------------------------------------------- rate limits and tokens

#[test]
fn a_429_without_retry_after_is_waited_out() {
    let world = mapped_world();
    // The sandbox's rate-limit window is 2 s: wait that long, not Halo's 30 s default.
    add_setting(&world, "rate_limit_wait_secs = 2");
    world.sandbox.set_fault("rate-limit", true).unwrap();
    world.sandbox.set_fault("no-retry-after", true).unwrap();
    world.sandbox.psa_server.clear_log();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true, "{doc}");
    let limited: Vec<_> = world
        .sandbox
        .psa_server
        .requests()
        .into_iter()
        .filter(|r| r.status == 429)
        .collect();
    assert!(!limited.is_empty(), "the window was hit");
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("waiting ") && l.contains("HaloPSA answered 429")),
        "{err}"
    );
}

#[test]
fn a_token_revoked_mid_run_is_renewed() {
    let world = mapped_world();
    world.sandbox.set_fault("revoke-on-create", true).unwrap();
    world.sandbox.psa_server.clear_log();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true, "{doc}");
    let requests = world.sandbox.psa_server.requests();
    assert!(
        requests.iter().any(|r| r.status == 401),
        "the revoked token was refused"
    );
    assert_eq!(
        world.sandbox.psa_server.count("POST", "/auth/token"),
        2,
        "one token, then one renewal"
    );
}

// ------------------------------------------------------------- lookups

#[test]
fn an_unknown_default_client_shows_near_misses_then_the_first_names() {
    let world = halo();
    world.configure_source();
    let clients = world.sandbox.msp.companies.len();
    assert!(clients > 30, "the seed has a long client list ({clients})");
    let mut args = world.sandbox.integration_args();
    let at = args
        .iter()
        .position(|a| a == "--default-client")
        .expect("the sandbox names a default client");
    args[at + 1] = "Able Mose Accounting".into();
    let out = world.run_args(&args);
    assert_code(&out, 3);
    let err = stderr(&out);
    let near = err.find("did you mean 'Able Moose Accounting'");
    let first = err.find("the first 20:");
    assert!(near.is_some() && first.is_some(), "{err}");
    assert!(near < first, "near misses come first: {err}");
    assert!(
        err.contains("more (give the exact name or the id)"),
        "{err}"
    );
}

// ------------------------------------------------------------- the story

/// The seed's story end to end: configure, map by name, send the test ticket for Able
/// Moose, then follow one of its incidents from ticket to closed.
#[test]
fn the_seed_story_from_setup_to_a_closed_incident_ticket() {
    let world = mapped_world();
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    assert_eq!(doc["company"]["name"], ABLE_MOOSE, "{doc}");
    let test_ticket = ticket(&world, &doc);
    assert_eq!(test_ticket.company_name, ABLE_MOOSE);
    assert!(test_ticket.closed, "{test_ticket:?}");

    let moose = world
        .sandbox
        .msp
        .organizations
        .iter()
        .find(|o| o.name == ABLE_MOOSE)
        .expect("seed organization")
        .id;
    let incident = world
        .sandbox
        .huntress
        .incidents()
        .into_iter()
        .find(|i| i.organization_id == moose && i.status.is_open())
        .expect("an open Able Moose incident")
        .id;
    assert_code(&world.run(&["incident", "sync"]), 0);
    let marker = format!("psa-link:huntress:{incident}");
    let of_incident = |world: &World| {
        world
            .sandbox
            .psa
            .tickets()
            .into_iter()
            .filter(|t| t.marker.as_deref() == Some(marker.as_str()))
            .collect::<Vec<_>>()
    };
    let tickets = of_incident(&world);
    assert_eq!(tickets.len(), 1, "one ticket per incident");
    assert_eq!(tickets[0].company_name, ABLE_MOOSE);
    assert!(!tickets[0].closed);

    // Huntress resolves a report only once its remediations are approved.
    let _ = world.sandbox.huntress.approve_remediations(incident);
    world.sandbox.huntress.resolve(incident).unwrap();
    let out = world.run(&["incident", "sync", "--json"]);
    assert_code(&out, 0);
    let tickets = of_incident(&world);
    assert_eq!(tickets.len(), 1, "still one ticket");
    assert!(
        tickets[0].closed,
        "resolved in Huntress, closed in Halo: {:?}",
        tickets[0]
    );
}
