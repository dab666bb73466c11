//! Test fixtures for the planner and executor tests: a configured Halo-like integration,
//! incidents in the Huntress API's JSON shapes, and ledger entries.

use std::collections::BTreeMap;

use serde_json::json;

use super::LifecycleEvent;
use crate::psa::PsaKind;
use crate::source::{Incident, Severity};
use crate::store::{CompanyRef, Config, How, IntegrationConfig, LedgerEntry, MappingEntry, Named};

pub const PSA: &str = "halopsa:acme.halopsa.com";
pub const DEFAULT_COMPANY: i64 = 1;
pub const CONTOSO: i64 = 40;

pub const STATUS_NEW: &str = "1";
pub const STATUS_APPROVED: &str = "2";
pub const STATUS_REJECTED: &str = "3";
pub const STATUS_RESOLVED: &str = "9";

pub const PRIORITY_CRITICAL: &str = "1";
pub const PRIORITY_HIGH: &str = "2";
pub const PRIORITY_LOW: &str = "4";

fn named(id: &str, name: &str) -> Named {
    Named {
        id: id.into(),
        name: name.into(),
    }
}

/// A Halo integration with a routing, a default company and complete maps (no
/// `dismissed` entry: it defaults to `resolved`'s status).
pub fn config() -> Config {
    let mut config = Config {
        integration: Some(IntegrationConfig {
            kind: PsaKind::Halopsa,
            base_url: None,
            secret_store: Default::default(),
            routing: Some(named("12", "Huntress Incident")),
            default_company: Some(CompanyRef {
                id: DEFAULT_COMPANY,
                name: "Northwind MSP (Internal)".into(),
            }),
            settings: Default::default(),
        }),
        ..Config::default()
    };
    config.status_map = BTreeMap::from([
        (LifecycleEvent::Created, named(STATUS_NEW, "New")),
        (
            LifecycleEvent::RemediationApproved,
            named(STATUS_APPROVED, "Remediation Approved"),
        ),
        (
            LifecycleEvent::RemediationRejected,
            named(STATUS_REJECTED, "Waiting on SOC"),
        ),
        (LifecycleEvent::Resolved, named(STATUS_RESOLVED, "Resolved")),
    ]);
    config.priority_map = BTreeMap::from([
        (Severity::Critical, named(PRIORITY_CRITICAL, "P1 Critical")),
        (Severity::High, named(PRIORITY_HIGH, "P2 High")),
        (Severity::Low, named(PRIORITY_LOW, "P4 Low")),
    ]);
    config
}

pub fn contoso() -> MappingEntry {
    MappingEntry {
        name: "Contoso Ltd".into(),
        company: CompanyRef {
            id: CONTOSO,
            name: "Contoso Ltd".into(),
        },
        how: How::Auto,
    }
}

/// An incident on agent 5001 (`laptop01`) of organization 77, with remediations in the
/// given statuses.
pub fn incident(id: i64, status: &str, severity: &str, remediations: &[&str]) -> Incident {
    let items: Vec<_> = remediations
        .iter()
        .enumerate()
        .map(|(n, s)| {
            json!({
                "id": 700 + n as i64,
                "type": "assisted",
                "action": "Delete Scheduled Task",
                "parameters": [{"name": "path", "description": format!("c:\\tasks\\updater_{n}")}],
                "status": s,
            })
        })
        .collect();
    serde_json::from_value(json!({
        "id": id,
        "organization_id": 77,
        "agent_id": 5001,
        "status": status,
        "severity": severity,
        "subject": format!("{} - Incident on laptop01 (Contoso Ltd)", severity.to_uppercase()),
        "summary": "The SOC found a foothold and recommends deleting the scheduled task.",
        "body": "A scheduled task launches an unsigned binary at logon.",
        "platform": "windows",
        "indicator_types": ["footholds"],
        "indicator_counts": {"footholds": 1},
        "sent_at": "2024-05-01T09:00:00Z",
        "closed_at": if status == "closed" { json!("2024-05-01T11:00:00Z") } else { json!(null) },
        "updated_at": "2024-05-01T10:00:00Z",
        "remediations": {"total_count": items.len(), "has_more": false, "items": items},
    }))
    .expect("fixture incident")
}

/// What the ledger holds after the incident's ticket was created and last pushed in this
/// state.
pub fn entry(
    incident_id: i64,
    incident: &Incident,
    ticket_state: LifecycleEvent,
    status_id: &str,
) -> LedgerEntry {
    let config = config();
    LedgerEntry {
        incident_id,
        organization_id: incident.organization_id,
        organization_name: None,
        psa: PSA.into(),
        ticket_id: 500 + incident_id,
        company_id: CONTOSO,
        unmapped: false,
        mapping_note_pending: false,
        resolution_noted: false,
        severity: incident.severity,
        incident_status: incident.status.clone(),
        remediation: incident.remediation_state(),
        ticket_state,
        priority_id: config
            .priority_map
            .get(&incident.severity)
            .map(|p| p.id.clone()),
        status_id: Some(status_id.into()),
        source_updated_at: incident.updated_at.clone(),
        pushed_at: "2024-05-01T10:00:30Z".into(),
    }
}
