//! `status-map set` and `priority-map set` through the real binary: names and ids checked
//! against the PSA's own lists for the configured routing, unknown ones refused with the
//! valid ones, hand edits of config.toml kept (issue #6).

use psa_link::psa::PsaKind;
use serde_json::Value;

use crate::common::world::World;
use crate::common::{assert_code, json, stderr};
use crate::each_psa;

fn status_map(world: &World) -> Value {
    let out = world.run(&["status-map", "list", "--json"]);
    assert_code(&out, 0);
    json(&out)["status_map"].clone()
}

fn priority_map(world: &World) -> Value {
    let out = world.run(&["priority-map", "list", "--json"]);
    assert_code(&out, 0);
    json(&out)["priority_map"].clone()
}

fn entry<'a>(map: &'a Value, key: &str, value: &str) -> &'a Value {
    map.as_array()
        .unwrap()
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {map}"))
}

/// A comment a technician wrote, which every set must keep.
fn annotate_config(world: &World) {
    let path = world.path("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# reviewed by J. Tech\n{text}")).unwrap();
}

fn assert_comment_kept(world: &World) {
    let text = std::fs::read_to_string(world.path("config.toml")).unwrap();
    assert!(text.contains("# reviewed by J. Tech"), "{text}");
}

fn status_set_by_name_and_by_id(kind: PsaKind) {
    let world = World::configured(kind);
    annotate_config(&world);
    // A valid name of the routing's statuses, other than the proposed one.
    let names = world.sandbox.psa.status_names();
    let current = entry(&status_map(&world), "event", "remediation-approved")["name"].clone();
    let name = names
        .iter()
        .find(|n| **n != current && !n.to_lowercase().contains("clos"))
        .unwrap();
    let out = world.run(&["status-map", "set", "remediation-approved", name, "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["event"], "remediation-approved");
    assert_eq!(doc["status"]["name"], name.as_str());
    assert_eq!(doc["previous"]["name"], current);
    let stored = entry(&status_map(&world), "event", "remediation-approved").clone();
    assert_eq!(stored["name"], name.as_str());

    // By id: the `created` status's id sets `remediation-rejected` to the same status.
    let created = entry(&status_map(&world), "event", "created").clone();
    let id = created["id"].as_str().unwrap();
    let out = world.run(&["status-map", "set", "remediation-rejected", id]);
    assert_code(&out, 0);
    let stored = entry(&status_map(&world), "event", "remediation-rejected").clone();
    assert_eq!(stored["id"], id);
    assert_eq!(stored["name"], created["name"], "the name is looked up");
    assert_comment_kept(&world);
}

fn status_set_refuses_an_unknown_name_listing_the_valid_ones(kind: PsaKind) {
    let world = World::configured(kind);
    let before = std::fs::read_to_string(world.path("config.toml")).unwrap();
    let names = world.sandbox.psa.status_names();
    let valid = names.iter().find(|n| n.len() > 6).unwrap();
    let typo = &valid[..valid.len() - 1];
    let out = world.run(&["status-map", "set", "resolved", typo]);
    assert_code(&out, 6);
    let err = stderr(&out);
    assert!(err.contains(&format!("did you mean '{valid}'")), "{err}");
    for name in world.sandbox.psa.status_names() {
        assert!(err.contains(&format!("'{name}'")), "{name} listed: {err}");
    }
    let after = std::fs::read_to_string(world.path("config.toml")).unwrap();
    assert_eq!(before, after, "nothing written");
}

fn status_set_refuses_an_unknown_event_as_a_usage_error(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["status-map", "set", "reopened", "New"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    for event in [
        "created",
        "remediation-approved",
        "remediation-rejected",
        "resolved",
        "dismissed",
    ] {
        assert!(err.contains(event), "{event} listed: {err}");
    }
}

fn status_set_warns_when_resolved_would_leave_tickets_open(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["status-map", "set", "resolved", "New"]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("does not close tickets"),
        "{}",
        stderr(&out)
    );
}

fn priority_set_by_name_and_by_id(kind: PsaKind) {
    let world = World::configured(kind);
    annotate_config(&world);
    let names = world.sandbox.psa.priority_names();
    let name = names.last().unwrap();
    let out = world.run(&["priority-map", "set", "low", name, "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["severity"], "low");
    assert_eq!(doc["priority"]["name"], name.as_str());
    assert_eq!(
        entry(&priority_map(&world), "severity", "low")["name"],
        name.as_str()
    );

    let critical = entry(&priority_map(&world), "severity", "critical").clone();
    let id = critical["id"].as_str().unwrap();
    let out = world.run(&["priority-map", "set", "high", id]);
    assert_code(&out, 0);
    let high = entry(&priority_map(&world), "severity", "high").clone();
    assert_eq!(high["id"], id);
    assert_eq!(high["name"], critical["name"]);
    assert_comment_kept(&world);
}

fn priority_set_refuses_unknown_names_and_severities(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["priority-map", "set", "critical", "Urgent!!"]);
    assert_code(&out, 6);
    let err = stderr(&out);
    for name in world.sandbox.psa.priority_names() {
        assert!(err.contains(&format!("'{name}'")), "{name} listed: {err}");
    }
    let out = world.run(&["priority-map", "set", "medium", "x"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("low, high or critical"), "{err}");
}

fn setting_a_map_needs_an_integration(kind: PsaKind) {
    let world = World::new(kind);
    let out = world.run(&["status-map", "set", "resolved", "Closed"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("integration add"), "{}", stderr(&out));
}

each_psa!(
    status_set_by_name_and_by_id,
    status_set_refuses_an_unknown_name_listing_the_valid_ones,
    status_set_refuses_an_unknown_event_as_a_usage_error,
    status_set_warns_when_resolved_would_leave_tickets_open,
    priority_set_by_name_and_by_id,
    priority_set_refuses_unknown_names_and_severities,
    setting_a_map_needs_an_integration,
);

/// Issue #6: ConnectWise statuses are per board; one of another board is refused, naming
/// its board and the valid statuses of ours.
#[test]
fn cw_a_status_of_another_board_is_refused_with_the_valid_names() {
    let world = World::configured(PsaKind::Connectwise);
    for query in ["Acknowledged", "72"] {
        let out = world.run(&["status-map", "set", "remediation-approved", query]);
        assert_code(&out, 6);
        let err = stderr(&out);
        assert!(err.contains("board 'Alerts'"), "names its board: {err}");
        assert!(err.contains("statuses are per board"), "{err}");
        for name in world.sandbox.psa.status_names() {
            assert!(err.contains(&format!("'{name}'")), "{name} listed: {err}");
        }
    }
}

/// The same for Halo statuses scoped to another ticket type.
#[test]
fn halo_a_status_of_another_ticket_type_is_refused() {
    let world = World::configured(PsaKind::Halopsa);
    let out = world.run(&[
        "status-map",
        "set",
        "remediation-approved",
        "Change Approved",
    ]);
    assert_code(&out, 6);
    let err = stderr(&out);
    assert!(err.contains("statuses are per ticket type"), "{err}");
    assert!(err.contains("'Remediation In Progress'"), "{err}");
}

/// Halo priorities are the ticket type's SLA's: the same name in another SLA has another
/// id, and only ours is stored.
#[test]
fn halo_priorities_come_from_the_ticket_types_sla() {
    let world = World::configured(PsaKind::Halopsa);
    let out = world.run(&["priority-map", "set", "low", "Low", "--json"]);
    assert_code(&out, 0);
    // Security Incident SLA priorities are numbered from 11 in the seed.
    assert_eq!(json(&out)["priority"]["id"], "14");
    let out = world.run(&["priority-map", "set", "low", "4"]);
    assert_code(&out, 6);
}
