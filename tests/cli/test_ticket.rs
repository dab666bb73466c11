//! `integration test` through the real binary against the emulators: the seed's "Send
//! Test" story (issue #3), the routing and close-loop checks, cleanup, and every fault the
//! test ticket can meet, each with its documented diagnosis and exit code (issues #3, #6).

use psa_link::lifecycle::LifecycleEvent;
use psa_link::psa::PsaKind;
use psa_link::sandbox::EmulatedTicket;
use psa_link::store::{CompanyRef, How, MappingEntry, Store};
use serde_json::Value;

use crate::common::checklist::{fix, step, test_json, ticket};
use crate::common::world::World;
use crate::common::{assert_code, stderr, stdout};
use crate::each_psa;

const ABLE_MOOSE: &str = "Able Moose Accounting";
const STEPS: [&str; 6] = ["create", "read", "company", "resolve", "verify", "cleanup"];

/// Pairs a seed organization with the PSA company of the same name, as `map manual` would.
fn pair(world: &World, name: &str) -> (i64, i64) {
    let org = world
        .sandbox
        .msp
        .organizations
        .iter()
        .find(|o| o.name == name)
        .expect("seed organization")
        .id;
    let company = world.sandbox.psa.company_id(name).expect("seed company");
    Store::open(world.config_dir())
        .edit_mapping(|m| {
            m.set(
                org,
                &MappingEntry {
                    name: name.into(),
                    company: CompanyRef {
                        id: company,
                        name: name.into(),
                    },
                    how: How::Manual,
                },
            );
            Ok(())
        })
        .expect("write mapping.toml");
    (org, company)
}

fn paired_world(kind: PsaKind) -> World {
    let world = World::configured(kind);
    pair(&world, ABLE_MOOSE);
    world
}

fn test_tickets(world: &World) -> Vec<EmulatedTicket> {
    world
        .sandbox
        .psa
        .tickets()
        .into_iter()
        .filter(|t| {
            t.marker
                .as_deref()
                .is_some_and(|m| m.starts_with("psa-link:test:"))
        })
        .collect()
}

/// Asserts the named step failed and every later check was reported as not run.
#[track_caller]
fn failed_at(doc: &Value, name: &str) {
    assert_eq!(doc["ok"], false, "{doc}");
    let steps = doc["steps"].as_array().unwrap();
    let at = steps.iter().position(|s| s["step"] == name).unwrap();
    assert_eq!(steps[at]["ok"], false, "{doc}");
    for s in &steps[..at] {
        assert_eq!(s["ok"], true, "steps before {name} passed: {doc}");
    }
    for s in &steps[at + 1..] {
        if s["step"] != "cleanup" {
            assert_eq!(s["state"], "not-run", "{doc}");
            assert_eq!(s["ok"], false, "{doc}");
        }
    }
}

// ------------------------------------------------------------------ shared suite

/// Issue #3 "done when": the seed's HaloPSA story, and the same for every PSA.
fn the_test_ticket_lands_under_the_mapped_company_and_closes(kind: PsaKind) {
    let world = paired_world(kind);
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["company"]["name"], ABLE_MOOSE);
    let company_id = world.sandbox.psa.company_id(ABLE_MOOSE).unwrap();
    assert_eq!(doc["company"]["id"], company_id);
    let names: Vec<&str> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(names, STEPS);
    for s in doc["steps"].as_array().unwrap() {
        for key in ["step", "ok", "detail", "fix"] {
            assert!(s.get(key).is_some(), "step without {key}: {s}");
        }
        assert_eq!(s["ok"], true, "{s}");
    }
    assert_eq!(step(&doc, "cleanup")["state"], "skipped");
    assert_eq!(doc["kept"], true);

    let t = ticket(&world, &doc);
    assert_eq!(
        t.company_name, ABLE_MOOSE,
        "landed under the mapped company"
    );
    assert!(t.closed, "the resolved status closed the ticket: {t:?}");
    assert!(t.title.contains("PSA-LINK-TEST"), "{}", t.title);
    assert!(t.title.contains(&format!("({ABLE_MOOSE})")), "{}", t.title);
    assert!(t.title.starts_with("LOW - Incident on "), "{}", t.title);
    assert!(t.body.contains("psa-link integration test"), "{}", t.body);
    assert_eq!(t.marker.as_deref(), doc["marker"].as_str());
    let resolution = t
        .notes
        .iter()
        .find(|n| n.text.contains("close-loop check"))
        .expect("resolution note");
    assert!(
        resolution.private && !resolution.emailed,
        "never emails the customer"
    );
}

fn without_keep_the_test_ticket_is_deleted(kind: PsaKind) {
    let world = paired_world(kind);
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(step(&doc, "cleanup")["ok"], true);
    assert_eq!(doc["deleted"], true);
    let id = doc["ticket_id"].as_i64().unwrap();
    assert!(
        world.sandbox.psa.ticket(id).is_none(),
        "ticket {id} deleted"
    );
    assert!(test_tickets(&world).is_empty());
}

fn the_first_mapped_organization_is_used_and_org_picks_another(kind: PsaKind) {
    let world = World::configured(kind);
    let (moose, _) = pair(&world, ABLE_MOOSE);
    let (coho, _) = pair(&world, "Coho Winery");
    assert!(moose < coho, "seed order");
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    assert_eq!(doc["organization"]["id"], moose, "lowest mapped id");
    for query in [coho.to_string(), "Coho Winery".to_string()] {
        let (out, doc) = test_json(&world, &["--keep", "--org", &query]);
        assert_code(&out, 0);
        assert_eq!(doc["organization"]["id"], coho);
        assert_eq!(ticket(&world, &doc).company_name, "Coho Winery");
    }
}

fn an_unknown_org_lists_near_misses(kind: PsaKind) {
    let world = paired_world(kind);
    let out = world.run(&["integration", "test", "--org", "Able Mose Accounting"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("did you mean 'Able Moose Accounting'"));
    assert!(test_tickets(&world).is_empty(), "nothing sent");
}

/// "If it lands under a generic default client, Organization Mapping is incomplete."
fn an_unmapped_organization_lands_under_the_default_company_exit_7(kind: PsaKind) {
    let world = World::configured(kind);
    // Nothing mapped at all.
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 7);
    failed_at(&doc, "company");
    assert_eq!(doc["company"]["name"], "Northwind MSP (Internal)");
    assert!(
        fix(&doc, "company").contains("map auto --filter unmapped"),
        "{doc}"
    );
    assert!(
        step(&doc, "company")["detail"]
            .as_str()
            .unwrap()
            .contains("Organization Mapping is incomplete")
    );
    assert_eq!(step(&doc, "company")["exit_code"], 7);
    assert_eq!(doc["deleted"], true, "a failed test still cleans up");
    assert!(test_tickets(&world).is_empty());

    // A named, unmapped organization: filed as its incidents would be.
    let (out, doc) = test_json(&world, &["--org", ABLE_MOOSE, "--keep"]);
    assert_code(&out, 7);
    failed_at(&doc, "company");
    let t = ticket(&world, &doc);
    assert_eq!(t.company_name, "Northwind MSP (Internal)");
    assert!(t.title.starts_with("[Unmapped] "), "{}", t.title);
    assert!(!t.closed, "not resolved after the failure");
}

fn a_missing_resolved_status_map_exits_7(kind: PsaKind) {
    let world = paired_world(kind);
    Store::open(world.config_dir())
        .edit_config(|c| c.set_status(LifecycleEvent::Resolved, None))
        .unwrap();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 7);
    failed_at(&doc, "resolve");
    assert!(
        fix(&doc, "resolve").contains("status-map set resolved"),
        "{doc}"
    );
    assert_eq!(doc["deleted"], true);
}

fn no_resolve_skips_the_close_loop(kind: PsaKind) {
    let world = paired_world(kind);
    let (out, doc) = test_json(&world, &["--no-resolve", "--keep"]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true);
    for name in ["resolve", "verify"] {
        assert_eq!(step(&doc, name)["state"], "skipped", "{doc}");
        assert_eq!(step(&doc, name)["ok"], true, "skipped on request is ok");
    }
    let t = ticket(&world, &doc);
    assert!(!t.closed, "left open");
    assert_eq!(t.company_name, ABLE_MOOSE);
}

fn the_checklist_names_each_step_and_the_verdict(kind: PsaKind) {
    let world = paired_world(kind);
    let out = world.run(&["integration", "test"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    for name in STEPS {
        assert!(
            text.lines()
                .any(|l| l.starts_with("[ok]") && l.contains(&format!(" {name} "))),
            "{name} passed: {text}"
        );
    }
    assert!(text.contains("integration test passed"), "{text}");
    assert!(!text.contains('✔'), "plain text off a terminal: {text}");

    Store::open(world.config_dir())
        .edit_mapping(|m| {
            let ids: Vec<i64> = m.mapping().organizations.keys().copied().collect();
            for id in ids {
                m.remove(id);
            }
            Ok(())
        })
        .unwrap();
    let out = world.run(&["integration", "test"]);
    assert_code(&out, 7);
    let text = stdout(&out);
    assert!(text.contains("[FAILED]  company"), "{text}");
    assert!(
        text.contains("fix: run `psa-link map auto --filter unmapped`"),
        "{text}"
    );
    assert!(text.contains("[not run] resolve"), "{text}");
    assert!(text.contains("FAILED at step 'company' (exit 7)"), "{text}");
}

/// A lost create answer: the ticket is found by its marker, not sent twice, and cleaned up.
fn a_lost_create_answer_finds_the_ticket_by_its_marker(kind: PsaKind) {
    let world = paired_world(kind);
    world
        .sandbox
        .set_fault("drop-create-response", true)
        .unwrap();
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    let detail = step(&doc, "create")["detail"].as_str().unwrap();
    assert!(detail.contains("by its marker"), "{detail}");
    assert_eq!(test_tickets(&world).len(), 1, "one ticket, never two");
    assert!(ticket(&world, &doc).closed);
}

fn no_spinner_or_progress_off_a_terminal(kind: PsaKind) {
    let world = paired_world(kind);
    let out = world.run(&["integration", "test", "--json"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        !err.contains('\r') && !err.contains("\u{1b}["),
        "no spinner off a terminal: {err:?}"
    );
}

each_psa!(
    the_test_ticket_lands_under_the_mapped_company_and_closes,
    without_keep_the_test_ticket_is_deleted,
    the_first_mapped_organization_is_used_and_org_picks_another,
    an_unknown_org_lists_near_misses,
    an_unmapped_organization_lands_under_the_default_company_exit_7,
    a_missing_resolved_status_map_exits_7,
    no_resolve_skips_the_close_loop,
    the_checklist_names_each_step_and_the_verdict,
    a_lost_create_answer_finds_the_ticket_by_its_marker,
    no_spinner_or_progress_off_a_terminal,
);

// ---------------------------------------------------------------- HaloPSA faults

fn halo_with(fault: &str) -> World {
    let world = paired_world(PsaKind::Halopsa);
    world.sandbox.set_fault(fault, true).unwrap();
    world
}

#[test]
fn every_fault_the_test_ticket_meets_is_listed_by_the_sandbox() {
    for kind in [PsaKind::Halopsa, PsaKind::Connectwise] {
        let world = World::new(kind);
        let names: Vec<&str> = world.sandbox.faults().iter().map(|(_, f)| f.name).collect();
        let tested: &[&str] = match kind {
            PsaKind::Halopsa => &[
                "mandatory-fields",
                "no-read-back",
                "no-general-user",
                "no-edit",
                "status-unchanged",
                "rate-limit",
                "short-token",
                "drop-create-response",
                "double-ids",
                "lean-lists",
                "ignore-search",
                "plain-errors",
                "hosted-tenant",
                "update-no-echo",
                "missing-permission",
                "ip-filter",
                "revoke-on-create",
            ],
            _ => &[
                "strict-patch",
                "cloud-auth-404",
                "rate-limit",
                "newline-collapse",
                "errors-null",
                "drop-create-response",
            ],
        };
        for fault in tested {
            assert!(
                names.contains(fault),
                "{kind}: {fault} not offered: {names:?}"
            );
        }
    }
}

#[test]
fn halo_mandatory_fields_exit_6_naming_the_ticket_type() {
    let world = halo_with("mandatory-fields");
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 6);
    failed_at(&doc, "create");
    let fix = fix(&doc, "create");
    assert!(fix.contains("'Huntress Incident'"), "{fix}");
    assert!(fix.contains("Category"), "{fix}");
    assert!(
        fix.contains("default values or make them optional"),
        "{fix}"
    );
    assert!(fix.contains("dedicated ticket type"), "{fix}");
    assert!(doc["ticket_id"].is_null());
    assert_eq!(step(&doc, "cleanup")["state"], "not-run");
}

#[test]
fn halo_no_read_back_exits_4_with_the_view_all_fix() {
    let world = halo_with("no-read-back");
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 4);
    failed_at(&doc, "read");
    let fix = fix(&doc, "read");
    assert!(fix.contains("View All"), "{fix}");
    assert!(fix.contains("team"), "{fix}");
    // The ticket it could not see is still cleaned up.
    assert_eq!(doc["deleted"], true);
}

#[test]
fn halo_no_general_user_exits_6_with_the_general_user_fix() {
    let world = halo_with("no-general-user");
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 6);
    failed_at(&doc, "create");
    assert!(fix(&doc, "create").contains("General User"), "{doc}");
}

#[test]
fn halo_no_edit_fails_the_close_loop_with_exit_7_and_the_edit_right_fix() {
    let world = halo_with("no-edit");
    let (out, doc) = test_json(&world, &[]);
    // SPEC §7: a ticket whose status cannot be changed (403) is a failed close loop.
    assert_code(&out, 7);
    failed_at(&doc, "resolve");
    assert!(
        fix(&doc, "resolve").contains("Can Edit Tickets Which Are Not Assigned To Them"),
        "{doc}"
    );
    // The agent may not delete either: said so, not counted as a second failure.
    let cleanup = step(&doc, "cleanup");
    assert_eq!(cleanup["ok"], true, "{doc}");
    assert!(
        cleanup["detail"].as_str().unwrap().contains("stays, open"),
        "{cleanup}"
    );
    assert!(
        cleanup["warning"]
            .as_str()
            .unwrap_or("")
            .contains("by hand"),
        "{cleanup}"
    );
    assert_eq!(doc["deleted"], false);
}

#[test]
fn halo_status_unchanged_exits_7_with_the_status_map_fix() {
    let world = halo_with("status-unchanged");
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 7);
    failed_at(&doc, "resolve");
    let fix = fix(&doc, "resolve");
    assert!(
        fix.contains("Can Edit Tickets Which Are Not Assigned To Them"),
        "{fix}"
    );
    assert!(fix.contains("status-map set resolved"), "{fix}");
}

#[test]
fn halo_rate_limit_is_waited_out_and_reported() {
    let world = halo_with("rate-limit");
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true);
    assert!(
        world
            .sandbox
            .psa_server
            .requests()
            .iter()
            .any(|r| r.status == 429),
        "the window was hit"
    );
    let err = stderr(&out);
    let waited = err
        .lines()
        .find(|l| l.starts_with("waiting ") && l.contains("HaloPSA answered 429"))
        .unwrap_or_else(|| panic!("no wait reported: {err}"));
    assert!(waited.contains('s'), "{waited}");
    assert!(
        err.contains("in all for rate limits"),
        "the total is reported: {err}"
    );
    assert!(
        doc["rate_limit_wait_secs"].as_f64().unwrap() >= 1.0,
        "{doc}"
    );
}

#[test]
fn halo_token_expiry_mid_run_is_survived() {
    let world = halo_with("short-token");
    // Stretch the run past the one-second token lifetime.
    world
        .sandbox
        .psa_server
        .set_latency(std::time::Duration::from_millis(250));
    world.sandbox.psa_server.clear_log();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true);
    let tokens = world.sandbox.psa_server.count("POST", "/auth/token");
    assert!(tokens >= 2, "a fresh token mid-run ({tokens} issued)");
}

/// Quirks that change shapes, not outcomes: the test passes through each of them (the
/// hosted tenant is read from `/api/authinfo` when `--tenant` was not given).
#[test]
fn halo_shape_quirks_do_not_fail_the_test() {
    for fault in [
        "double-ids",
        "lean-lists",
        "ignore-search",
        "plain-errors",
        "hosted-tenant",
    ] {
        let world = halo_with(fault);
        let (out, doc) = test_json(&world, &[]);
        assert_code(&out, 0);
        assert_eq!(doc["ok"], true, "{fault}: {doc}");
    }
}

/// A lost create is found by its marker even where lists are lean and ignore `search`.
#[test]
fn halo_a_lost_create_is_found_with_lean_lists_and_no_search() {
    let world = halo_with("drop-create-response");
    for fault in ["lean-lists", "ignore-search"] {
        world.sandbox.set_fault(fault, true).unwrap();
    }
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    assert!(
        step(&doc, "create")["detail"]
            .as_str()
            .unwrap()
            .contains("by its marker")
    );
    assert_eq!(test_tickets(&world).len(), 1);
}

#[test]
fn halo_plain_text_errors_keep_their_diagnosis() {
    let world = halo_with("plain-errors");
    world.sandbox.set_fault("no-general-user", true).unwrap();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 6);
    assert!(fix(&doc, "create").contains("General User"), "{doc}");
}

// ------------------------------------------------------------ ConnectWise faults

fn cw_with(fault: &str) -> World {
    let world = paired_world(PsaKind::Connectwise);
    world.sandbox.set_fault(fault, true).unwrap();
    world
}

#[test]
fn cw_strict_patch_exits_7_the_ticket_did_not_move() {
    let world = cw_with("strict-patch");
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 7);
    failed_at(&doc, "resolve");
    let detail = step(&doc, "resolve")["detail"].as_str().unwrap();
    assert!(detail.contains("did not apply"), "{detail}");
    assert!(fix(&doc, "resolve").contains("status-map list"), "{doc}");
    assert!(!ticket(&world, &doc).closed);
}

#[test]
fn cw_cloud_auth_404_exits_4() {
    let mut world = cw_with("cloud-auth-404");
    world
        .env
        .env("PSA_LINK_CONNECTWISE_PRIVATE_KEY", "not-the-key");
    let out = world.run(&["integration", "test", "--json"]);
    assert_code(&out, 4);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("PSA_LINK_CONNECTWISE_PRIVATE_KEY"), "{text}");
    assert!(!text.contains("not-the-key"), "secret echoed: {text}");
    assert!(test_tickets(&world).is_empty());
}

#[test]
fn cw_rate_limit_is_waited_out_as_retry_after_says() {
    let world = cw_with("rate-limit");
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true);
    assert!(
        world
            .sandbox
            .psa_server
            .requests()
            .iter()
            .any(|r| r.status == 429)
    );
    let err = stderr(&out);
    let waits: Vec<f64> = err
        .lines()
        .filter(|l| l.contains("ConnectWise") && l.contains("Retry-After"))
        .filter_map(|l| l.strip_prefix("waiting ")?.split('s').next()?.parse().ok())
        .collect();
    assert!(!waits.is_empty(), "waits reported: {err}");
    // The emulator asks for whole seconds within its two-second window.
    for w in waits {
        assert!((1.0..=2.0).contains(&w) && w.fract() == 0.0, "{w}: {err}");
    }
}

#[test]
fn cw_newline_collapse_keeps_the_note_readable() {
    let world = cw_with("newline-collapse");
    let (out, doc) = test_json(&world, &["--keep"]);
    assert_code(&out, 0);
    let t = ticket(&world, &doc);
    let note = t
        .notes
        .iter()
        .find(|n| n.text.contains("close-loop check"))
        .expect("resolution note");
    assert!(
        note.text.contains("check). | No action"),
        "lines kept apart: {:?}",
        note.text
    );
}

#[test]
fn cw_a_resolved_status_of_another_board_is_rejected_with_the_valid_names() {
    let world = cw_with("errors-null");
    // A hand edit: `resolved` pointing at a status of the Service Desk board.
    Store::open(world.config_dir())
        .edit_config(|c| {
            c.set_status(
                LifecycleEvent::Resolved,
                Some(&psa_link::store::Named {
                    id: "14".into(),
                    name: "Completed".into(),
                }),
            )
        })
        .unwrap();
    let (out, doc) = test_json(&world, &[]);
    assert_code(&out, 6);
    failed_at(&doc, "resolve");
    let fix = fix(&doc, "resolve");
    assert!(fix.contains("'Resolved'"), "valid statuses listed: {fix}");
    assert!(fix.contains("status-map set"), "{fix}");
}
