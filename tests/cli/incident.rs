//! `incident push | resolve | sync | list` through the real binary against the emulators:
//! one ticket per incident whatever happens (repeated runs, a lost create answer, a run
//! killed midway, a deleted ledger), the lifecycle (severity, remediation, resolution,
//! unmapped organizations), `--dry-run`, and `--watch` stopping on Ctrl-C.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use psa_link::lifecycle::LifecycleEvent;
use psa_link::psa::PsaKind;
use psa_link::sandbox::EmulatedTicket;
use psa_link::sandbox::huntress::HuntressEmulator;
use psa_link::sandbox::launch::SandboxOptions;
use psa_link::sandbox::seed::Msp;
use psa_link::source::Severity;
use psa_link::store::{CompanyRef, Config, How, MappingEntry, Store};
use regex::Regex;
use serde_json::Value;

use crate::common::world::World;
use crate::common::{assert_code, json, stderr, stdout, wait_exit};
use crate::each_psa;

// Seed incidents (src/sandbox/seed.rs, `Msp::standard`).
/// Able Moose Accounting, critical, two unapproved remediations.
const ABLE_MOOSE: i64 = 90001;
/// Fabrikam Inc, low, no remediations.
const FABRIKAM: i64 = 90003;
/// Northwind Traders, high, its one remediation approved.
const NORTHWIND: i64 = 90004;
/// Newco Startup: an organization with no PSA company at all.
const NEWCO: i64 = 90009;
/// Alpine Ski House: closed before psa-link ever saw it.
const ALPINE_CLOSED: i64 = 90011;

/// A configured world whose organizations are mapped the way `map auto` maps them: each
/// organization whose name is unique and matches exactly one active company's.
fn mapped(kind: PsaKind) -> World {
    let world = World::configured(kind);
    map_exact_names(&world);
    world
}

fn map_exact_names(world: &World) {
    let msp = &world.sandbox.msp;
    let count = |names: &mut dyn Iterator<Item = &String>, name: &str| {
        names.filter(|n| n.as_str() == name).count()
    };
    let mut pairs = Vec::new();
    for org in &msp.organizations {
        let orgs_named = count(&mut msp.organizations.iter().map(|o| &o.name), &org.name);
        let companies_named = msp
            .companies
            .iter()
            .filter(|c| c.active && c.name == org.name)
            .count();
        if orgs_named != 1 || companies_named != 1 {
            continue;
        }
        if let Some(id) = world.sandbox.psa.company_id(&org.name) {
            pairs.push((org.id, org.name.clone(), id));
        }
    }
    store(world)
        .edit_mapping(|edit| {
            for (org, name, company) in &pairs {
                edit.set(
                    *org,
                    &MappingEntry {
                        name: name.clone(),
                        company: CompanyRef {
                            id: *company,
                            name: name.clone(),
                        },
                        how: How::Auto,
                    },
                );
            }
            Ok(())
        })
        .expect("write mapping.toml");
}

fn store(world: &World) -> Store {
    Store::open(world.config_dir())
}

fn config(world: &World) -> Config {
    store(world).config().expect("config.toml")
}

fn marker(id: i64) -> String {
    format!("psa-link:huntress:{id}")
}

/// psa-link's tickets by incident id (tickets without a marker are the PSA's own).
fn tickets_by_incident(world: &World) -> BTreeMap<i64, Vec<EmulatedTicket>> {
    let mut out: BTreeMap<i64, Vec<EmulatedTicket>> = BTreeMap::new();
    for t in world.sandbox.psa.tickets() {
        if let Some(id) = t
            .marker
            .as_deref()
            .and_then(|m| m.strip_prefix("psa-link:huntress:"))
            .and_then(|id| id.parse().ok())
        {
            out.entry(id).or_default().push(t);
        }
    }
    out
}

fn ticket_of(world: &World, incident: i64) -> EmulatedTicket {
    let mut tickets = tickets_by_incident(world)
        .remove(&incident)
        .unwrap_or_default();
    assert_eq!(
        tickets.len(),
        1,
        "incident {incident} has {} tickets",
        tickets.len()
    );
    tickets.remove(0)
}

/// Open incidents in the Huntress emulator.
fn open_incidents(world: &World) -> Vec<i64> {
    world
        .sandbox
        .huntress
        .incidents()
        .into_iter()
        .filter(|i| i.status.is_open())
        .map(|i| i.id)
        .collect()
}

/// Every open incident has exactly one ticket, and no other incident has any.
#[track_caller]
fn assert_one_ticket_per_open_incident(world: &World) {
    let tickets = tickets_by_incident(world);
    let open = open_incidents(world);
    for id in &open {
        let n = tickets.get(id).map_or(0, Vec::len);
        assert_eq!(n, 1, "incident {id} has {n} tickets");
    }
    let extra: Vec<&i64> = tickets.keys().filter(|id| !open.contains(id)).collect();
    assert!(extra.is_empty(), "tickets for other incidents: {extra:?}");
}

fn sync_json(world: &World, extra: &[&str]) -> Value {
    let mut args = vec!["incident", "sync", "--json"];
    args.extend_from_slice(extra);
    let out = world.run(&args);
    assert_code(&out, 0);
    json(&out)
}

fn result_of(doc: &Value, incident: i64) -> Value {
    doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["incident_id"] == incident)
        .cloned()
        .unwrap_or_else(|| panic!("incident {incident} not in the results: {doc}"))
}

fn summary(doc: &Value, action: &str) -> u64 {
    doc["summary"][action].as_u64().unwrap_or(0)
}

fn psa_writes(world: &World) -> usize {
    world
        .sandbox
        .psa_server
        .requests()
        .iter()
        .filter(|r| matches!(r.method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE"))
        .filter(|r| !r.path.contains("token"))
        .count()
}

#[track_caller]
fn assert_titles_and_private_notes(world: &World) {
    let title = Regex::new(r"^(\[Unmapped\] )?(LOW|HIGH|CRITICAL) - Incident on .+ \(.+\)$")
        .expect("regex");
    for (incident, tickets) in tickets_by_incident(world) {
        for t in tickets {
            assert!(
                title.is_match(&t.title),
                "incident {incident}: title {:?}",
                t.title
            );
            for note in &t.notes {
                assert!(
                    note.private && !note.emailed,
                    "incident {incident}: a note is not private: {note:?}"
                );
            }
        }
    }
}

fn repeated_pushes_and_syncs_keep_one_ticket_per_incident(kind: PsaKind) {
    let world = mapped(kind);
    let first = sync_json(&world, &[]);
    let open = open_incidents(&world);
    assert_eq!(summary(&first, "created") as usize, open.len(), "{first}");
    assert_eq!(summary(&first, "failed"), 0, "{first}");
    assert_eq!(
        first["first_run"], true,
        "the first sync has no cursor: {first}"
    );
    assert!(first["cursor"].is_string(), "cursor stored: {first}");
    assert!(
        first["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["incident_id"] != ALPINE_CLOSED),
        "history closed before the first sync gets no ticket"
    );
    assert_one_ticket_per_open_incident(&world);

    let writes = psa_writes(&world);
    let again = sync_json(&world, &[]);
    assert_eq!(summary(&again, "created"), 0, "{again}");
    assert_eq!(
        psa_writes(&world),
        writes,
        "an unchanged re-run writes nothing"
    );
    assert_eq!(
        again["stats"]["services"].get(world.sandbox.psa.service_name()),
        None,
        "an unchanged re-run sends the PSA no request at all: {}",
        again["stats"]
    );

    let pushed = world.run(&["incident", "push", "--all-open", "--json"]);
    assert_code(&pushed, 0);
    let pushed = json(&pushed);
    assert_eq!(summary(&pushed, "created"), 0, "{pushed}");
    assert_eq!(summary(&pushed, "unchanged") as usize, open.len());
    let by_id = world.run(&["incident", "push", &ABLE_MOOSE.to_string(), "--json"]);
    assert_code(&by_id, 0);
    assert_eq!(result_of(&json(&by_id), ABLE_MOOSE)["action"], "unchanged");
    sync_json(&world, &[]);

    assert_one_ticket_per_open_incident(&world);
    assert_titles_and_private_notes(&world);
    let newco = ticket_of(&world, NEWCO);
    assert!(newco.title.starts_with("[Unmapped] "), "{}", newco.title);
}

fn severity_change_moves_the_priority_with_a_note(kind: PsaKind) {
    let world = mapped(kind);
    sync_json(&world, &[]);
    let before = ticket_of(&world, FABRIKAM);
    world
        .sandbox
        .huntress
        .set_severity(FABRIKAM, Severity::Critical)
        .unwrap();
    let doc = sync_json(&world, &[]);
    let result = result_of(&doc, FABRIKAM);
    assert_eq!(result["action"], "updated", "{doc}");
    assert_eq!(summary(&doc, "created"), 0);
    let after = ticket_of(&world, FABRIKAM);
    let critical = config(&world).priority_map[&Severity::Critical]
        .name
        .clone();
    assert_eq!(after.priority.as_deref(), Some(critical.as_str()));
    assert_ne!(before.priority, after.priority);
    let note = after.notes.last().expect("a note");
    assert!(
        note.text
            .to_lowercase()
            .contains("severity changed from low to critical"),
        "{note:?}"
    );
    assert!(note.private && !note.emailed);
    assert_eq!(after.id, before.id, "the same ticket");
}

fn approved_remediation_moves_the_status(kind: PsaKind) {
    remediation_decision_moves_the_status(
        kind,
        |h| h.approve_remediations(ABLE_MOOSE),
        LifecycleEvent::RemediationApproved,
        "Remediation approved",
    );
}

fn rejected_remediation_moves_the_status_with_a_note(kind: PsaKind) {
    remediation_decision_moves_the_status(
        kind,
        |h| h.reject_remediations(ABLE_MOOSE),
        LifecycleEvent::RemediationRejected,
        "Remediation rejected",
    );
}

/// The SOC's decision on Able Moose's remediations moves its open ticket to the mapped
/// status of `event`, with a private note saying so.
fn remediation_decision_moves_the_status(
    kind: PsaKind,
    decide: impl FnOnce(&HuntressEmulator) -> Result<(), String>,
    event: LifecycleEvent,
    note_text: &str,
) {
    let world = mapped(kind);
    sync_json(&world, &[]);
    decide(&world.sandbox.huntress).unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, ABLE_MOOSE)["action"], "status", "{doc}");
    let ticket = ticket_of(&world, ABLE_MOOSE);
    assert_eq!(ticket.status, config(&world).status_map[&event].name);
    assert!(!ticket.closed);
    let note = ticket.notes.last().expect("a note");
    assert!(note.text.contains(note_text), "{note:?}");
    assert!(note.private && !note.emailed);
}

fn resolution_closes_the_ticket(kind: PsaKind) {
    let world = mapped(kind);
    sync_json(&world, &[]);
    let resolved = config(&world).status_map[&LifecycleEvent::Resolved]
        .name
        .clone();

    // By hand: `incident resolve`.
    let out = world.run(&["incident", "resolve", &ABLE_MOOSE.to_string(), "--json"]);
    assert_code(&out, 0);
    assert_eq!(result_of(&json(&out), ABLE_MOOSE)["action"], "resolved");
    let ticket = ticket_of(&world, ABLE_MOOSE);
    assert_eq!(ticket.status, resolved);
    assert!(ticket.closed);
    assert!(
        ticket
            .notes
            .iter()
            .any(|n| n.text.contains("Resolved with psa-link") && n.private),
        "{:?}",
        ticket.notes
    );

    // In Huntress: the next sync follows.
    world.sandbox.huntress.resolve(FABRIKAM).unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, FABRIKAM)["action"], "resolved", "{doc}");
    let ticket = ticket_of(&world, FABRIKAM);
    assert_eq!(ticket.status, resolved);
    assert!(ticket.closed);

    // Both at once: `--in-source` resolves the incident in Huntress too.
    let out = world.run(&[
        "incident",
        "resolve",
        &NORTHWIND.to_string(),
        "--in-source",
        "--json",
    ]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["in_source"]["resolved"], true, "{doc}");
    assert_eq!(
        world
            .sandbox
            .huntress
            .incident(NORTHWIND)
            .unwrap()
            .status
            .as_str(),
        "closed"
    );
    assert!(ticket_of(&world, NORTHWIND).closed);

    // `incident list --open` no longer shows them.
    let out = world.run(&["incident", "list", "--open", "--json"]);
    assert_code(&out, 0);
    let listed: Vec<i64> = json(&out)["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["incident_id"].as_i64().unwrap())
        .collect();
    assert!(!listed.contains(&ABLE_MOOSE) && !listed.contains(&FABRIKAM));
    assert!(listed.contains(&NEWCO));
    assert_titles_and_private_notes(&world);
}

fn resolving_an_incident_without_a_ticket_says_push_it_first(kind: PsaKind) {
    let world = mapped(kind);
    let out = world.run(&["incident", "resolve", &FABRIKAM.to_string(), "--in-source"]);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("psa-link incident push {FABRIKAM}")),
        "{err}"
    );
    assert_eq!(
        world
            .sandbox
            .huntress
            .incident(FABRIKAM)
            .unwrap()
            .status
            .as_str(),
        "sent",
        "Huntress is left alone when there is no ticket"
    );
}

fn unmapped_goes_to_the_default_company_or_strict_refuses(kind: PsaKind) {
    let world = mapped(kind);
    let preview = world.run(&[
        "incident",
        "push",
        &NEWCO.to_string(),
        "--strict",
        "--dry-run",
    ]);
    assert_code(&preview, 5);
    let strict = world.run(&["incident", "push", &NEWCO.to_string(), "--strict"]);
    assert_code(&strict, 5);
    assert!(stderr(&strict).contains("map"), "{}", stderr(&strict));
    assert!(
        tickets_by_incident(&world).is_empty(),
        "strict made a ticket"
    );

    let out = world.run(&["incident", "push", &NEWCO.to_string(), "--json"]);
    assert_code(&out, 0);
    assert_eq!(result_of(&json(&out), NEWCO)["action"], "created");
    let ticket = ticket_of(&world, NEWCO);
    assert!(
        ticket
            .title
            .starts_with("[Unmapped] CRITICAL - Incident on "),
        "{}",
        ticket.title
    );
    assert!(
        ticket.title.ends_with("(Newco Startup)"),
        "{}",
        ticket.title
    );
    let default = config(&world).integration.unwrap().default_company.unwrap();
    assert_eq!(ticket.company_id, default.id);
    assert!(
        ticket
            .notes
            .iter()
            .any(|n| n.text.contains("not mapped") && n.text.contains("map") && n.private),
        "{:?}",
        ticket.notes
    );

    // The ledger names the organization even though mapping.toml does not list it.
    let list = world.run(&["incident", "list", "--json"]);
    assert_code(&list, 0);
    let listed = json(&list)["incidents"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["incident_id"] == NEWCO).cloned())
        .expect("the unmapped incident is in the ledger");
    assert_eq!(listed["organization"], "Newco Startup");
    assert_eq!(listed["unmapped"], true);
}

/// The two ways a create's answer is lost: a 504 from a gateway after the ticket was
/// stored, and the connection closing with no answer at all.
const LOST_CREATE_FAULTS: [&str; 2] = ["drop-create-response", "drop-create-connection"];

fn a_lost_create_answer_leaves_exactly_one_ticket(kind: PsaKind) {
    for fault in LOST_CREATE_FAULTS {
        lost_create_answer(kind, fault);
    }
}

fn lost_create_answer(kind: PsaKind, fault: &str) {
    let world = mapped(kind);
    world.sandbox.set_fault(fault, true).unwrap();
    let out = world.run(&["incident", "push", &FABRIKAM.to_string(), "--json"]);
    assert_ne!(out.status.code(), Some(0), "the create was not confirmed");
    let doc = json(&out);
    let result = result_of(&doc, FABRIKAM);
    assert_eq!(result["action"], "failed", "{doc}");
    assert!(
        result["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("marker"),
        "{result}"
    );
    assert_eq!(tickets_by_incident(&world)[&FABRIKAM].len(), 1, "{fault}");

    world.sandbox.set_fault(fault, false).unwrap();
    let doc = sync_json(&world, &[]);
    let result = result_of(&doc, FABRIKAM);
    assert_eq!(
        result["adopted"], true,
        "{fault}: found by its marker: {result}"
    );
    assert_one_ticket_per_open_incident(&world);
}

fn an_unmapped_incident_whose_create_answer_was_lost_still_gets_its_how_to_map_note(kind: PsaKind) {
    for fault in LOST_CREATE_FAULTS {
        let world = mapped(kind);
        world.sandbox.set_fault(fault, true).unwrap();
        let out = world.run(&["incident", "push", &NEWCO.to_string()]);
        assert_ne!(
            out.status.code(),
            Some(0),
            "{fault}: the create was not confirmed"
        );
        world.sandbox.set_fault(fault, false).unwrap();

        let out = world.run(&["incident", "push", &NEWCO.to_string(), "--json"]);
        assert_code(&out, 0);
        assert_eq!(result_of(&json(&out), NEWCO)["adopted"], true, "{fault}");
        let ticket = ticket_of(&world, NEWCO);
        let how_to_map = ticket
            .notes
            .iter()
            .filter(|n| n.text.contains("not mapped") && n.private)
            .count();
        assert_eq!(how_to_map, 1, "{fault}: {:?}", ticket.notes);

        // Nothing more is owed: a third run sends nothing.
        let writes = psa_writes(&world);
        let out = world.run(&["incident", "push", &NEWCO.to_string(), "--json"]);
        assert_eq!(
            result_of(&json(&out), NEWCO)["action"],
            "unchanged",
            "{fault}"
        );
        assert_eq!(psa_writes(&world), writes);
    }
}

fn a_create_and_close_stopped_after_the_create_is_closed_by_the_next_run(kind: PsaKind) {
    let world = mapped(kind);
    world
        .sandbox
        .set_fault("drop-create-connection", true)
        .unwrap();
    let id = ALPINE_CLOSED.to_string();
    let out = world.run(&["incident", "push", &id]);
    assert_ne!(out.status.code(), Some(0));
    let ticket = ticket_of(&world, ALPINE_CLOSED);
    assert!(!ticket.closed, "stopped after the create: still open");
    world
        .sandbox
        .set_fault("drop-create-connection", false)
        .unwrap();

    let out = world.run(&["incident", "push", &id, "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        result_of(&doc, ALPINE_CLOSED)["action"],
        "resolved",
        "{doc}"
    );
    let ticket = ticket_of(&world, ALPINE_CLOSED);
    assert!(ticket.closed, "{ticket:?}");
    let resolved = config(&world).status_map[&LifecycleEvent::Resolved]
        .name
        .clone();
    assert_eq!(ticket.status, resolved);
    assert!(
        ticket
            .notes
            .iter()
            .any(|n| n.text.contains("resolved") && n.private),
        "{:?}",
        ticket.notes
    );
}

fn an_incident_opened_and_closed_between_polls_gets_a_closed_ticket(kind: PsaKind) {
    let world = mapped(kind);
    let first = sync_json(&world, &[]);
    assert_eq!(first["first_run"], true);
    assert!(
        !tickets_by_incident(&world).contains_key(&ALPINE_CLOSED),
        "history is skipped"
    );

    let org = world
        .sandbox
        .msp
        .organizations
        .iter()
        .find(|o| o.name == "Fabrikam Inc")
        .unwrap()
        .id;
    let between = world
        .sandbox
        .huntress
        .add_incident(psa_link::sandbox::huntress::NewIncident::new(
            org,
            Severity::High,
        ))
        .unwrap();
    world
        .sandbox
        .huntress
        .set_status(between, "closed")
        .unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, between)["action"], "created", "{doc}");
    let ticket = ticket_of(&world, between);
    assert!(ticket.closed, "created, then closed: {ticket:?}");

    // History touched inside the overlap: skipped once, its marker looked up once.
    world
        .sandbox
        .huntress
        .set_severity(ALPINE_CLOSED, Severity::Critical)
        .unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, ALPINE_CLOSED)["action"], "skipped", "{doc}");
    assert!(!tickets_by_incident(&world).contains_key(&ALPINE_CLOSED));
    let again = sync_json(&world, &[]);
    assert_eq!(
        result_of(&again, ALPINE_CLOSED)["action"],
        "skipped",
        "{again}"
    );
    assert_eq!(
        again["stats"]["services"].get(world.sandbox.psa.service_name()),
        None,
        "a skipped incident is not looked up again: {}",
        again["stats"]
    );
}

/// An old incident whose create failed (here: `--strict` and no mapping) is owed its
/// ticket: when it closes after the cursor has moved past its `sent_at`, it is created and
/// closed, not skipped as history.
fn an_incident_whose_create_failed_still_gets_its_ticket_after_it_closes(kind: PsaKind) {
    let world = mapped(kind);
    let first = world.run(&["incident", "sync", "--strict", "--json"]);
    assert_code(&first, 5);
    let first = json(&first);
    assert_eq!(result_of(&first, NEWCO)["action"], "failed");
    let failed: Vec<i64> = first["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "failed")
        .filter_map(|r| r["incident_id"].as_i64())
        .collect();
    // A success sorting with (or before) every failure moves the cursor past NEWCO's
    // sent_at (every change stamps `updated_at` with the current second).
    for id in std::iter::once(FABRIKAM).chain(failed) {
        world
            .sandbox
            .huntress
            .set_severity(id, Severity::High)
            .unwrap();
    }
    let second = world.run(&["incident", "sync", "--strict", "--json"]);
    assert_code(&second, 5);
    let doc = json(&second);
    assert_eq!(result_of(&doc, FABRIKAM)["action"], "updated", "{doc}");
    assert_eq!(result_of(&doc, NEWCO)["action"], "failed", "{doc}");
    assert!(!tickets_by_incident(&world).contains_key(&NEWCO));

    // Resolved before anyone fixed the mapping; the next sync runs without --strict.
    world.sandbox.huntress.set_status(NEWCO, "closed").unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, NEWCO)["action"], "created", "{doc}");
    let ticket = ticket_of(&world, NEWCO);
    assert!(ticket.closed, "created, then closed: {ticket:?}");
    let again = sync_json(&world, &[]);
    assert_eq!(tickets_by_incident(&world)[&NEWCO].len(), 1, "{again}");
}

/// The ledger of a lost run: a closed ticket of an unmapped organization is adopted by
/// its marker without a how-to-map note (a note can reopen a closed ticket).
fn an_adopted_closed_unmapped_ticket_gets_no_second_note(kind: PsaKind) {
    let world = mapped(kind);
    let id = NEWCO.to_string();
    assert_code(&world.run(&["incident", "push", &id]), 0);
    world.sandbox.huntress.set_status(NEWCO, "closed").unwrap();
    assert_code(&world.run(&["incident", "push", &id]), 0);
    let before = ticket_of(&world, NEWCO);
    assert!(before.closed);
    std::fs::remove_file(store(&world).ledger_path()).unwrap();

    let out = world.run(&["incident", "push", &id, "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(result_of(&doc, NEWCO)["adopted"], true, "{doc}");
    assert_eq!(result_of(&doc, NEWCO)["action"], "unchanged", "{doc}");
    let after = ticket_of(&world, NEWCO);
    assert!(after.closed);
    assert_eq!(after.notes.len(), before.notes.len(), "{:?}", after.notes);
}

fn resolve_in_source_refused_by_huntress_is_a_failed_result_with_the_fix(kind: PsaKind) {
    let mut world = mapped(kind);
    sync_json(&world, &[]);
    // The account key: Huntress refuses it for writes.
    world.env.env(
        psa_link::source::huntress::SECRET_ENV,
        psa_link::sandbox::huntress::HuntressEmulator::secret(false),
    );
    let mut args = vec!["source".to_string(), "set".into(), "huntress".into()];
    args.extend(
        psa_link::sandbox::huntress::HuntressEmulator::source_set_args(
            &world.sandbox.huntress_url(),
            false,
        ),
    );
    assert_code(&world.run_args(&args), 0);

    let id = FABRIKAM.to_string();
    let out = world.run(&["incident", "resolve", &id, "--in-source", "--json"]);
    assert_code(&out, 4);
    let doc = json(&out);
    assert!(doc.get("error").is_none(), "{doc}");
    let result = result_of(&doc, FABRIKAM);
    assert_eq!(result["action"], "failed", "{doc}");
    assert!(
        result["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{doc}"
    );
    assert!(
        result["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("user-based"),
        "{doc}"
    );
    assert_eq!(doc["summary"]["failed"], 1, "{doc}");
    assert_eq!(doc["in_source"]["resolved"], false, "{doc}");
    assert!(
        !ticket_of(&world, FABRIKAM).closed,
        "the ticket is left as it was"
    );
    assert_eq!(
        world
            .sandbox
            .huntress
            .incident(FABRIKAM)
            .unwrap()
            .status
            .as_str(),
        "sent"
    );
}

fn dismissed_closes_the_ticket_in_the_dismissed_status(kind: PsaKind) {
    let world = mapped(kind);
    sync_json(&world, &[]);
    world
        .sandbox
        .huntress
        .set_status(FABRIKAM, "dismissed")
        .unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, FABRIKAM)["action"], "resolved", "{doc}");
    let map = config(&world).status_map;
    let dismissed = map
        .get(&LifecycleEvent::Dismissed)
        .or_else(|| map.get(&LifecycleEvent::Resolved))
        .expect("a closing status")
        .name
        .clone();
    let ticket = ticket_of(&world, FABRIKAM);
    assert_eq!(ticket.status, dismissed);
    assert!(ticket.closed);
    assert!(ticket.notes.iter().all(|n| n.private && !n.emailed));
}

fn a_reopened_incident_reopens_its_ticket(kind: PsaKind) {
    let world = mapped(kind);
    sync_json(&world, &[]);
    world
        .sandbox
        .huntress
        .set_status(FABRIKAM, "closed")
        .unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, FABRIKAM)["action"], "resolved", "{doc}");
    assert!(ticket_of(&world, FABRIKAM).closed);

    world.sandbox.huntress.set_status(FABRIKAM, "sent").unwrap();
    let doc = sync_json(&world, &[]);
    assert_eq!(result_of(&doc, FABRIKAM)["action"], "status", "{doc}");
    let created = config(&world).status_map[&LifecycleEvent::Created]
        .name
        .clone();
    let ticket = ticket_of(&world, FABRIKAM);
    assert_eq!(ticket.status, created);
    assert!(!ticket.closed, "{ticket:?}");
    let note = ticket.notes.last().expect("a note");
    assert!(
        note.private && note.text.to_lowercase().contains("reopen"),
        "{note:?}"
    );
}

fn ctrl_c_during_a_one_shot_sync_exits_130_and_says_how_to_resume(kind: PsaKind) {
    let mut options = SandboxOptions::new(kind);
    options.latency = Duration::from_millis(200);
    let world = World::with(Msp::standard(), options);
    world.configure();
    map_exact_names(&world);
    let mut child = spawn(&world, &["incident", "sync"]);
    let err = StderrLog::follow(&mut child);
    wait_for(Duration::from_secs(60), || {
        !tickets_by_incident(&world).is_empty()
    });
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let code = wait_exit(&mut child, Duration::from_secs(60));
    let err = err.finish();
    assert_eq!(code, Some(130), "stderr:\n{err}");
    assert!(err.contains("left") && err.contains("again"), "{err}");
    let made = tickets_by_incident(&world).len();
    assert!(
        made < open_incidents(&world).len(),
        "stopped midway: {made}"
    );

    let doc = sync_json(&world, &[]);
    assert_eq!(summary(&doc, "failed"), 0, "{doc}");
    assert_one_ticket_per_open_incident(&world);
}

fn a_sync_killed_midway_resumes_without_duplicates(kind: PsaKind) {
    let mut options = SandboxOptions::new(kind);
    options.latency = Duration::from_millis(150);
    let world = World::with(Msp::standard(), options);
    world.configure();
    map_exact_names(&world);
    let mut child = spawn(&world, &["incident", "sync"]);
    wait_for(Duration::from_secs(60), || {
        tickets_by_incident(&world).len() >= 2
    });
    child.kill().expect("kill the sync");
    child.wait().expect("reap");
    let made = tickets_by_incident(&world).len();
    assert!(made < open_incidents(&world).len(), "killed midway: {made}");

    let doc = sync_json(&world, &[]);
    assert_eq!(summary(&doc, "failed"), 0, "{doc}");
    assert_one_ticket_per_open_incident(&world);
    assert_titles_and_private_notes(&world);
}

fn a_deleted_ledger_adopts_tickets_by_marker(kind: PsaKind) {
    let world = mapped(kind);
    sync_json(&world, &[]);
    let tickets = tickets_by_incident(&world).len();
    let notes_before: usize = world
        .sandbox
        .psa
        .tickets()
        .iter()
        .map(|t| t.notes.len())
        .sum();
    assert!(notes_before > 0, "the unmapped incidents' how-to-map notes");
    std::fs::remove_file(world.path("ledger.jsonl")).expect("ledger exists");
    let doc = sync_json(&world, &[]);
    assert_eq!(summary(&doc, "created"), 0, "{doc}");
    let notes_after: usize = world
        .sandbox
        .psa
        .tickets()
        .iter()
        .map(|t| t.notes.len())
        .sum();
    assert_eq!(notes_after, notes_before, "adopting sends no note twice");
    let adopted = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["adopted"] == true)
        .count();
    assert_eq!(adopted, tickets, "{doc}");
    assert_eq!(tickets_by_incident(&world).len(), tickets);
    assert_one_ticket_per_open_incident(&world);
    let out = world.run(&["incident", "list", "--json"]);
    assert_eq!(json(&out)["incidents"].as_array().unwrap().len(), tickets);
}

fn dry_run_prints_the_requests_and_changes_nothing(kind: PsaKind) {
    let world = mapped(kind);
    let out = world.run(&["incident", "sync", "--dry-run"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let (method, path) = world.sandbox.psa.ticket_create_request();
    let create = Regex::new(&format!(r"{method} \S*{}", regex::escape(path))).expect("regex");
    assert!(create.is_match(&text), "{text}");
    assert!(text.contains(&marker(ABLE_MOOSE)), "{text}");
    assert!(stderr(&out).contains("dry run"), "{}", stderr(&out));
    assert_eq!(psa_writes(&world), 0, "a dry run writes nothing");
    assert!(tickets_by_incident(&world).is_empty());
    let ledger = std::fs::read_to_string(world.path("ledger.jsonl")).unwrap_or_default();
    assert!(!ledger.contains("ticket"), "no ledger writes: {ledger}");
    assert!(!ledger.contains("cursor"), "no cursor: {ledger}");

    // After a real sync, a change previews as the update and note it would send.
    sync_json(&world, &[]);
    let writes = psa_writes(&world);
    world
        .sandbox
        .huntress
        .set_severity(FABRIKAM, Severity::High)
        .unwrap();
    let out = world.run(&["incident", "sync", "--dry-run", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["dry_run"], true);
    let result = result_of(&doc, FABRIKAM);
    assert_eq!(result["action"], "updated", "{doc}");
    let methods: Vec<&str> = result["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    let update = world.sandbox.psa.ticket_update_method();
    assert_eq!(methods, [update, "POST"], "{result}");
    assert_eq!(psa_writes(&world), writes, "still nothing written");
    assert_eq!(
        result_of(&sync_json(&world, &[]), FABRIKAM)["action"],
        "updated"
    );
}

fn watch_survives_an_outage_and_stops_on_ctrl_c_with_exit_0(kind: PsaKind) {
    let world = mapped(kind);
    // Huntress is down when the watch starts: the poll fails, the watch goes on.
    world.sandbox.set_fault("server-error", true).unwrap();
    let mut child = spawn(&world, &["incident", "sync", "--watch", "1"]);
    let err = StderrLog::follow(&mut child);
    wait_for(Duration::from_secs(60), || {
        err.text().contains("poll failed")
    });
    world.sandbox.set_fault("server-error", false).unwrap();
    wait_for(Duration::from_secs(60), || {
        tickets_by_incident(&world).len() == open_incidents(&world).len()
    });
    // A change between polls is picked up by the next one.
    world
        .sandbox
        .huntress
        .set_severity(FABRIKAM, Severity::Critical)
        .unwrap();
    wait_for(Duration::from_secs(30), || {
        !ticket_of(&world, FABRIKAM).notes.is_empty()
    });
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let code = wait_exit(&mut child, Duration::from_secs(30));
    let err = err.finish();
    assert_eq!(code, Some(0), "stderr:\n{err}");
    assert!(err.contains("trying again"), "{err}");
    assert!(err.contains("stopped"), "{err}");
    assert_one_ticket_per_open_incident(&world);
}

/// A child's stderr, read as it comes (so the test can wait for a line, and the pipe
/// never fills).
struct StderrLog {
    text: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl StderrLog {
    fn follow(child: &mut Child) -> StderrLog {
        let text = Arc::new(Mutex::new(String::new()));
        let stream = child.stderr.take().expect("stderr piped");
        let sink = text.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut t = sink.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        });
        StderrLog {
            text,
            reader: Some(reader),
        }
    }

    fn text(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    /// Everything, once the child has exited.
    fn finish(mut self) -> String {
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.text()
    }
}

fn push_from_a_file_in_huntress_shapes(kind: PsaKind) {
    let world = mapped(kind);
    let fabrikam = world
        .sandbox
        .msp
        .organizations
        .iter()
        .find(|o| o.name == "Fabrikam Inc")
        .unwrap()
        .id;
    let file = world.home.path().join("incidents.json");
    let doc = serde_json::json!({
        "incident_reports": [{
            "id": 777001,
            "organization_id": fabrikam,
            "agent_id": null,
            "status": "sent",
            "severity": "high",
            "subject": "HIGH - Incident on FILE-PC01 (Fabrikam Inc)",
            "platform": "windows",
            "indicator_types": ["footholds"],
            "sent_at": "2024-05-01T10:00:00Z",
            "updated_at": "2024-05-01T10:00:00Z",
            "remediations": {"total_count": 0, "has_more": false, "items": []}
        }]
    });
    std::fs::write(&file, doc.to_string()).unwrap();
    let path = file.to_str().unwrap();
    for expected in ["created", "unchanged"] {
        let out = world.run(&["incident", "push", "--file", path, "--json"]);
        assert_code(&out, 0);
        assert_eq!(result_of(&json(&out), 777001)["action"], expected);
    }
    let ticket = ticket_of(&world, 777001);
    assert_eq!(ticket.title, "HIGH - Incident on FILE-PC01 (Fabrikam Inc)");
    assert_eq!(
        Some(ticket.company_id),
        world.sandbox.psa.company_id("Fabrikam Inc")
    );
}

/// An id Huntress does not know is a failed result of its own (exit 2, organization null);
/// the other named incidents are still pushed and the document keeps its SPEC §6 shape.
fn an_unknown_incident_id_is_a_failed_result_and_the_rest_is_pushed(kind: PsaKind) {
    let world = mapped(kind);
    let out = world.run(&[
        "incident",
        "push",
        "99999",
        &ABLE_MOOSE.to_string(),
        "--json",
    ]);
    assert_code(&out, 2);
    let doc = json(&out);
    let unknown = result_of(&doc, 99999);
    assert_eq!(unknown["action"], "failed", "{doc}");
    assert!(unknown["organization_id"].is_null(), "{doc}");
    assert!(
        unknown["error"].as_str().unwrap_or("").contains("99999"),
        "{doc}"
    );
    assert_eq!(result_of(&doc, ABLE_MOOSE)["action"], "created", "{doc}");
    for result in doc["results"].as_array().unwrap() {
        for key in [
            "incident_id",
            "organization_id",
            "action",
            "ticket_id",
            "error",
            "adopted",
            "fix",
            "warnings",
        ] {
            assert!(
                result.get(key).is_some(),
                "every result has {key}: {result}"
            );
        }
    }
    assert_eq!(summary(&doc, "failed"), 1);
    assert_eq!(summary(&doc, "created"), 1);
    assert_eq!(tickets_by_incident(&world).len(), 1);

    let resolve = world.run(&["incident", "resolve", "99999", "--json"]);
    assert_code(&resolve, 2);
    let doc = json(&resolve);
    assert_eq!(result_of(&doc, 99999)["action"], "failed", "{doc}");
    assert_eq!(summary(&doc, "failed"), 1);
}

each_psa!(
    an_unknown_incident_id_is_a_failed_result_and_the_rest_is_pushed,
    repeated_pushes_and_syncs_keep_one_ticket_per_incident,
    severity_change_moves_the_priority_with_a_note,
    approved_remediation_moves_the_status,
    resolution_closes_the_ticket,
    resolving_an_incident_without_a_ticket_says_push_it_first,
    unmapped_goes_to_the_default_company_or_strict_refuses,
    a_lost_create_answer_leaves_exactly_one_ticket,
    a_sync_killed_midway_resumes_without_duplicates,
    a_deleted_ledger_adopts_tickets_by_marker,
    dry_run_prints_the_requests_and_changes_nothing,
    watch_survives_an_outage_and_stops_on_ctrl_c_with_exit_0,
    push_from_a_file_in_huntress_shapes,
    an_unmapped_incident_whose_create_answer_was_lost_still_gets_its_how_to_map_note,
    a_create_and_close_stopped_after_the_create_is_closed_by_the_next_run,
    an_incident_opened_and_closed_between_polls_gets_a_closed_ticket,
    resolve_in_source_refused_by_huntress_is_a_failed_result_with_the_fix,
    rejected_remediation_moves_the_status_with_a_note,
    dismissed_closes_the_ticket_in_the_dismissed_status,
    a_reopened_incident_reopens_its_ticket,
    ctrl_c_during_a_one_shot_sync_exits_130_and_says_how_to_resume,
    an_incident_whose_create_failed_still_gets_its_ticket_after_it_closes,
    an_adopted_closed_unmapped_ticket_gets_no_second_note,
);

fn spawn(world: &World, args: &[&str]) -> Child {
    world
        .std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn psa-link")
}

#[track_caller]
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out after {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn incident_list_without_an_integration_exits_3_with_the_fix() {
    let env = crate::common::TestEnv::new();
    let out = env.run(&["incident", "list"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("integration add"), "{}", stderr(&out));
}
