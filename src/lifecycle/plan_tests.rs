//! Planner tests: every row of SPEC §3 and the decisions where SPEC is silent.

use super::*;
use crate::lifecycle::fixtures::*;
use crate::source::Severity;

/// The shape of an action, for table comparisons.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Create {
        company: i64,
        status: Option<&'static str>,
        priority: Option<&'static str>,
        unmapped: bool,
    },
    Update {
        status: Option<&'static str>,
        priority: Option<&'static str>,
    },
    /// A note that is (or is not) the resolution note and contains every text given.
    Note {
        resolution: bool,
        says: Vec<&'static str>,
    },
}

fn matches_step(action: &Action, step: &Step) -> bool {
    match (action, step) {
        (
            Action::Create(c),
            Step::Create {
                company,
                status,
                priority,
                unmapped,
            },
        ) => {
            c.ticket.company_id == *company
                && c.ticket.status_id.as_deref() == *status
                && c.ticket.priority_id.as_deref() == *priority
                && c.ticket.title.starts_with(content::UNMAPPED_PREFIX) == *unmapped
        }
        (Action::Update(u), Step::Update { status, priority }) => {
            u.change.status_id.as_deref() == *status && u.change.priority_id.as_deref() == *priority
        }
        (Action::Note(n), Step::Note { resolution, says }) => {
            n.resolution == *resolution && says.iter().all(|s| n.text.contains(s))
        }
        _ => false,
    }
}

struct Case {
    row: &'static str,
    incident: Incident,
    ledger: Option<LedgerEntry>,
    mapped: bool,
    options: PlanOptions,
    outcome: Outcome,
    target: TicketTarget,
    steps: Vec<Step>,
}

fn was(incident: &Incident, state: LifecycleEvent, status: &str) -> Option<LedgerEntry> {
    Some(entry(incident.id, incident, state, status))
}

fn ticket_of(id: i64) -> TicketTarget {
    TicketTarget::Existing(500 + id)
}

fn create(status: &'static str, priority: &'static str) -> Step {
    Step::Create {
        company: CONTOSO,
        status: Some(status),
        priority: Some(priority),
        unmapped: false,
    }
}

fn note(resolution: bool, says: &[&'static str]) -> Step {
    Step::Note {
        resolution,
        says: says.to_vec(),
    }
}

fn status(id: &'static str) -> Step {
    Step::Update {
        status: Some(id),
        priority: None,
    }
}

fn cases() -> Vec<Case> {
    let push = PlanOptions::push(false);
    let sync = PlanOptions::sync(false);
    let sent_high = incident(1, "sent", "high", &["unapproved"]);
    vec![
        Case {
            row: "new incident: created under the mapped company, status created, priority mapped",
            incident: incident(1, "sent", "high", &[]),
            ledger: None,
            mapped: true,
            options: sync,
            outcome: Outcome::Created,
            target: TicketTarget::New,
            steps: vec![create(STATUS_NEW, PRIORITY_HIGH)],
        },
        Case {
            row: "new incident already approved: created straight in remediation-approved",
            incident: incident(1, "sent", "critical", &["approved", "completed"]),
            ledger: None,
            mapped: true,
            options: sync,
            outcome: Outcome::Created,
            target: TicketTarget::New,
            steps: vec![create(STATUS_APPROVED, PRIORITY_CRITICAL)],
        },
        Case {
            row: "severity changed: priority follows the map, private note records the change",
            incident: incident(1, "sent", "critical", &["unapproved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Updated,
            target: ticket_of(1),
            steps: vec![
                Step::Update {
                    status: None,
                    priority: Some(PRIORITY_CRITICAL),
                },
                note(
                    false,
                    &["Severity changed from HIGH to CRITICAL", "P1 Critical"],
                ),
            ],
        },
        Case {
            row: "remediation approved: status remediation-approved, note lists what was approved",
            incident: incident(1, "sent", "high", &["approved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Status,
            target: ticket_of(1),
            steps: vec![
                status(STATUS_APPROVED),
                note(
                    false,
                    &[
                        "Remediation approved",
                        "Delete Scheduled Task",
                        "c:\\tasks\\updater_0",
                    ],
                ),
            ],
        },
        Case {
            row: "remediation rejected: status remediation-rejected, note lists what was rejected",
            incident: incident(1, "sent", "high", &["cancelled"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Status,
            target: ticket_of(1),
            steps: vec![
                status(STATUS_REJECTED),
                note(false, &["Remediation rejected", "Delete Scheduled Task"]),
            ],
        },
        Case {
            row: "incident closed: resolution note first, then the resolved status",
            incident: incident(1, "closed", "high", &["approved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Resolved,
            target: ticket_of(1),
            steps: vec![
                note(true, &["resolved in Huntress", "2024-05-01T11:00:00Z"]),
                status(STATUS_RESOLVED),
            ],
        },
        Case {
            row: "dismissed: the dismissed status defaults to resolved's",
            incident: incident(1, "dismissed", "high", &["unapproved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Resolved,
            target: ticket_of(1),
            steps: vec![
                note(true, &["dismissed by the Huntress SOC"]),
                status(STATUS_RESOLVED),
            ],
        },
        Case {
            row: "partner_dismissed: like dismissed, the note says who",
            incident: incident(1, "partner_dismissed", "high", &["unapproved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Resolved,
            target: ticket_of(1),
            steps: vec![
                note(true, &["dismissed by the partner"]),
                status(STATUS_RESOLVED),
            ],
        },
        Case {
            row: "deleting, never seen: nothing",
            incident: incident(1, "deleting", "high", &[]),
            ledger: None,
            mapped: true,
            options: push,
            outcome: Outcome::Skipped,
            target: TicketTarget::None,
            steps: vec![],
        },
        Case {
            row: "deleting, ticketed: nothing, not even a note",
            incident: incident(1, "deleting", "critical", &[]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Skipped,
            target: TicketTarget::None,
            steps: vec![],
        },
        Case {
            row: "organization not mapped: default company, [Unmapped] title, note on how to map",
            incident: incident(1, "sent", "low", &[]),
            ledger: None,
            mapped: false,
            options: sync,
            outcome: Outcome::Created,
            target: TicketTarget::New,
            steps: vec![
                Step::Create {
                    company: DEFAULT_COMPANY,
                    status: Some(STATUS_NEW),
                    priority: Some(PRIORITY_LOW),
                    unmapped: true,
                },
                note(
                    false,
                    &[
                        "psa-link map manual 77 <company>",
                        "psa-link map auto --filter unmapped",
                        "Northwind MSP (Internal)",
                    ],
                ),
            ],
        },
        Case {
            row: "first seen closed, `incident push`: created, then closed with one note",
            incident: incident(1, "closed", "high", &["completed"]),
            ledger: None,
            mapped: true,
            options: push,
            outcome: Outcome::Created,
            target: TicketTarget::New,
            steps: vec![
                create(STATUS_NEW, PRIORITY_HIGH),
                note(true, &["already finished when psa-link first saw it"]),
                status(STATUS_RESOLVED),
            ],
        },
        Case {
            row: "first seen closed, unmapped, `incident push`: the two texts fold into one note",
            incident: incident(1, "dismissed", "high", &[]),
            ledger: None,
            mapped: false,
            options: push,
            outcome: Outcome::Created,
            target: TicketTarget::New,
            steps: vec![
                Step::Create {
                    company: DEFAULT_COMPANY,
                    status: Some(STATUS_NEW),
                    priority: Some(PRIORITY_HIGH),
                    unmapped: true,
                },
                note(
                    true,
                    &["psa-link map manual 77", "dismissed by the Huntress SOC"],
                ),
                status(STATUS_RESOLVED),
            ],
        },
        Case {
            row: "first seen closed, `incident sync`: no ticket, only a marked one is adopted",
            incident: incident(1, "closed", "high", &["completed"]),
            ledger: None,
            mapped: true,
            options: sync,
            outcome: Outcome::Skipped,
            target: TicketTarget::Adopt { required: false },
            steps: vec![],
        },
        Case {
            row: "reopened: back to the created status, with a note",
            incident: incident(1, "sent", "high", &["unapproved"]),
            ledger: was(
                &incident(1, "closed", "high", &["unapproved"]),
                LifecycleEvent::Resolved,
                STATUS_RESOLVED,
            ),
            mapped: true,
            options: sync,
            outcome: Outcome::Status,
            target: ticket_of(1),
            steps: vec![status(STATUS_NEW), note(false, &["open again"])],
        },
        Case {
            row: "severity changed and closed at once: one update, one folded note",
            incident: incident(1, "closed", "critical", &["approved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Resolved,
            target: ticket_of(1),
            steps: vec![
                note(
                    true,
                    &[
                        "Severity changed from HIGH to CRITICAL",
                        "resolved in Huntress",
                    ],
                ),
                Step::Update {
                    status: Some(STATUS_RESOLVED),
                    priority: Some(PRIORITY_CRITICAL),
                },
            ],
        },
        Case {
            row: "severity changed and approved at once: one update, one folded note",
            incident: incident(1, "sent", "low", &["approved"]),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Status,
            target: ticket_of(1),
            steps: vec![
                Step::Update {
                    status: Some(STATUS_APPROVED),
                    priority: Some(PRIORITY_LOW),
                },
                note(
                    false,
                    &["Severity changed from HIGH to LOW", "Remediation approved"],
                ),
            ],
        },
        Case {
            row: "nothing changed: no action",
            incident: sent_high.clone(),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: sync,
            outcome: Outcome::Unchanged,
            target: ticket_of(1),
            steps: vec![],
        },
        Case {
            row: "finished and already closed: no action",
            incident: incident(1, "closed", "high", &[]),
            ledger: was(
                &incident(1, "closed", "high", &[]),
                LifecycleEvent::Resolved,
                STATUS_RESOLVED,
            ),
            mapped: true,
            options: sync,
            outcome: Outcome::Unchanged,
            target: ticket_of(1),
            steps: vec![],
        },
        Case {
            row: "closed becomes dismissed on the same status: no request",
            incident: incident(1, "dismissed", "high", &[]),
            ledger: was(
                &incident(1, "closed", "high", &[]),
                LifecycleEvent::Resolved,
                STATUS_RESOLVED,
            ),
            mapped: true,
            options: sync,
            outcome: Outcome::Unchanged,
            target: ticket_of(1),
            steps: vec![],
        },
        Case {
            row: "ticket closed by `incident resolve`, incident still open: left closed",
            incident: sent_high.clone(),
            ledger: was(&sent_high, LifecycleEvent::Resolved, STATUS_RESOLVED),
            mapped: true,
            options: sync,
            outcome: Outcome::Unchanged,
            target: ticket_of(1),
            steps: vec![],
        },
        Case {
            row: "new remediations after an approval: back to created, note lists them",
            incident: incident(1, "sent", "high", &["approved", "unapproved"]),
            ledger: was(
                &incident(1, "sent", "high", &["approved"]),
                LifecycleEvent::RemediationApproved,
                STATUS_APPROVED,
            ),
            mapped: true,
            options: sync,
            outcome: Outcome::Status,
            target: ticket_of(1),
            steps: vec![
                status(STATUS_NEW),
                note(false, &["await approval", "updater_1"]),
            ],
        },
        Case {
            row: "`incident resolve`: resolution note, then resolved, whatever the source says",
            incident: sent_high.clone(),
            ledger: was(&sent_high, LifecycleEvent::Created, STATUS_NEW),
            mapped: true,
            options: PlanOptions::resolve(false),
            outcome: Outcome::Resolved,
            target: ticket_of(1),
            steps: vec![
                note(true, &["Resolved with psa-link", "still sent in Huntress"]),
                status(STATUS_RESOLVED),
            ],
        },
        Case {
            row: "`incident resolve` with no ledger entry: only a marked ticket, and one is required",
            incident: sent_high.clone(),
            ledger: None,
            mapped: true,
            options: PlanOptions::resolve(true),
            outcome: Outcome::Skipped,
            target: TicketTarget::Adopt { required: true },
            steps: vec![],
        },
    ]
}

#[test]
fn every_lifecycle_row_plans_the_documented_requests() {
    let config = config();
    let mapping = contoso();
    for case in cases() {
        let input = PlanInput {
            ledger: case.ledger.as_ref(),
            mapping: case.mapped.then_some(&mapping),
            organization_name: Some("Contoso Ltd"),
            agent_hostname: Some("laptop01"),
            options: case.options,
            ..PlanInput::new(&case.incident, &config, PSA)
        };
        let plan = plan(&input).unwrap_or_else(|e| panic!("{}: {e}", case.row));
        assert_eq!(plan.outcome, case.outcome, "{}", case.row);
        assert_eq!(plan.ticket, case.target, "{}", case.row);
        assert_eq!(
            plan.actions.len(),
            case.steps.len(),
            "{}: {:#?}",
            case.row,
            plan.actions
        );
        for (action, step) in plan.actions.iter().zip(&case.steps) {
            assert!(
                matches_step(action, step),
                "{}: expected {step:?}, planned {action:#?}",
                case.row
            );
        }
        let notes = plan
            .actions
            .iter()
            .filter(|a| matches!(a, Action::Note(_)))
            .count();
        assert!(
            notes <= 1,
            "{}: at most one note per ticket per run",
            case.row
        );
    }
}

fn input_for<'a>(
    incident: &'a Incident,
    config: &'a Config,
    ledger: Option<&'a LedgerEntry>,
    mapping: Option<&'a MappingEntry>,
    options: PlanOptions,
) -> PlanInput<'a> {
    PlanInput {
        ledger,
        mapping,
        organization_name: Some("Contoso Ltd"),
        agent_hostname: Some("laptop01"),
        options,
        ..PlanInput::new(incident, config, PSA)
    }
}

#[test]
fn strict_refuses_unmapped_organizations_with_exit_5() {
    let config = config();
    let new = incident(1, "sent", "high", &[]);
    let err = plan(&input_for(
        &new,
        &config,
        None,
        None,
        PlanOptions::sync(true),
    ))
    .unwrap_err();
    assert!(matches!(
        err,
        PlanError::Unmapped {
            organization_id: 77,
            ..
        }
    ));
    assert_eq!(err.exit(), Exit::MappingIncomplete);
    assert!(err.fix().contains("psa-link map manual 77"));
    // Strict refuses new tickets only: an existing ticket keeps following its incident.
    let old = entry(1, &new, LifecycleEvent::Created, STATUS_NEW);
    let closed = incident(1, "closed", "high", &[]);
    let existing = plan(&input_for(
        &closed,
        &config,
        Some(&old),
        None,
        PlanOptions::sync(true),
    ));
    assert_eq!(existing.unwrap().outcome, Outcome::Resolved);
}

#[test]
fn unmapped_without_a_default_company_is_a_mapping_error() {
    let mut config = config();
    config.integration.as_mut().unwrap().default_company = None;
    let new = incident(1, "sent", "high", &[]);
    let err = plan(&input_for(
        &new,
        &config,
        None,
        None,
        PlanOptions::sync(false),
    ))
    .unwrap_err();
    assert!(matches!(err, PlanError::NoDefaultCompany { .. }));
    assert_eq!(err.exit(), Exit::MappingIncomplete);
}

#[test]
fn closing_without_a_resolved_mapping_is_an_error_naming_status_map() {
    let mut config = config();
    config.status_map.remove(&LifecycleEvent::Resolved);
    let mapping = contoso();
    let sent = incident(1, "sent", "high", &[]);
    let old = entry(1, &sent, LifecycleEvent::Created, STATUS_NEW);
    for status in ["closed", "dismissed", "partner_dismissed"] {
        let finished = incident(1, status, "high", &[]);
        let err = plan(&input_for(
            &finished,
            &config,
            Some(&old),
            Some(&mapping),
            PlanOptions::sync(false),
        ))
        .unwrap_err();
        assert_eq!(
            err,
            PlanError::MissingStatus {
                event: LifecycleEvent::Resolved,
                incident_id: 1
            },
            "{status}"
        );
        assert_eq!(err.exit(), Exit::Config);
        assert!(err.to_string().contains("`resolved` status map is missing"));
        assert!(err.fix().contains("status-map list"));
    }
    // Before anything is created, too: a push of a closed incident creates nothing.
    let closed = incident(1, "closed", "high", &[]);
    let err = plan(&input_for(
        &closed,
        &config,
        None,
        Some(&mapping),
        PlanOptions::push(false),
    ));
    assert!(matches!(err, Err(PlanError::MissingStatus { .. })));
    // Opening tickets needs no status map: the PSA's default applies.
    assert!(
        plan(&input_for(
            &sent,
            &config,
            None,
            Some(&mapping),
            PlanOptions::sync(false)
        ))
        .is_ok()
    );
}

#[test]
fn a_dismissed_mapping_overrides_the_resolved_default() {
    let mut config = config();
    config.status_map.insert(
        LifecycleEvent::Dismissed,
        Named {
            id: "10".into(),
            name: "Closed - No Action".into(),
        },
    );
    let mapping = contoso();
    let sent = incident(1, "sent", "high", &[]);
    let old = entry(1, &sent, LifecycleEvent::Created, STATUS_NEW);
    let dismissed = incident(1, "dismissed", "high", &[]);
    let plan = plan(&input_for(
        &dismissed,
        &config,
        Some(&old),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(matches_step(&plan.actions[1], &status("10")));
    let recorded = plan.ledger_entry(501, "now").unwrap();
    assert_eq!(recorded.ticket_state, LifecycleEvent::Dismissed);
    assert_eq!(recorded.status_id.as_deref(), Some("10"));
}

#[test]
fn missing_open_status_or_priority_maps_warn_and_fall_back() {
    let mut config = config();
    config.status_map.clear();
    config.status_map.insert(
        LifecycleEvent::Resolved,
        Named {
            id: STATUS_RESOLVED.into(),
            name: "Resolved".into(),
        },
    );
    config.priority_map.remove(&Severity::Critical);
    let mapping = contoso();

    let new = incident(1, "sent", "critical", &["approved"]);
    let created = plan(&input_for(
        &new,
        &config,
        None,
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    let ticket = &created.create().unwrap().ticket;
    assert_eq!(
        (ticket.status_id.as_deref(), ticket.priority_id.as_deref()),
        (None, None)
    );
    assert_eq!(created.warnings.len(), 2, "{:?}", created.warnings);

    // An approval with no `remediation-approved` status: the note alone, and a warning.
    let sent = incident(1, "sent", "critical", &["unapproved"]);
    let old = entry(1, &sent, LifecycleEvent::Created, STATUS_NEW);
    let approved = plan(&input_for(
        &new,
        &config,
        Some(&old),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert_eq!(approved.actions.len(), 1);
    assert!(matches_step(
        &approved.actions[0],
        &note(false, &["Remediation approved"])
    ));
    assert!(approved.warnings[0].contains("remediation-approved"));
    assert_eq!(
        approved.ledger_entry(501, "now").unwrap().ticket_state,
        LifecycleEvent::RemediationApproved,
        "the approval is recorded: its note was written"
    );

    // A severity change with no priority for the new severity: the note says so.
    let high = incident(1, "sent", "high", &["unapproved"]);
    let old = entry(1, &high, LifecycleEvent::Created, STATUS_NEW);
    let raised = plan(&input_for(
        &sent,
        &config,
        Some(&old),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert_eq!(raised.actions.len(), 1);
    assert!(matches_step(
        &raised.actions[0],
        &note(false, &["left as is"])
    ));
}

#[test]
fn a_ledger_entry_of_another_psa_is_ignored() {
    let config = config();
    let mapping = contoso();
    let sent = incident(1, "sent", "high", &[]);
    let mut other = entry(1, &sent, LifecycleEvent::Created, STATUS_NEW);
    other.psa = "connectwise:na.myconnectwise.net".into();
    let plan = plan(&input_for(
        &sent,
        &config,
        Some(&other),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert_eq!(plan.outcome, Outcome::Created);
}

#[test]
fn records_carry_what_was_pushed() {
    let config = config();
    let mapping = contoso();
    let closed = incident(1, "closed", "critical", &["approved"]);
    let plan = plan(&input_for(
        &closed,
        &config,
        None,
        Some(&mapping),
        PlanOptions::push(false),
    ))
    .unwrap();
    // Right after the create: the open state, so a crash before the close is finished by
    // the next run (which sees an open ticket for a closed incident).
    let created = plan.created_entry(777, "t1").unwrap();
    assert_eq!(created.ticket_id, 777);
    assert_eq!(created.ticket_state, LifecycleEvent::Created);
    assert_eq!(created.status_id.as_deref(), Some(STATUS_NEW));
    let done = plan.ledger_entry(777, "t2").unwrap();
    assert_eq!(done.ticket_state, LifecycleEvent::Resolved);
    assert_eq!(done.status_id.as_deref(), Some(STATUS_RESOLVED));
    assert_eq!(done.priority_id.as_deref(), Some(PRIORITY_CRITICAL));
    assert_eq!(done.severity, Severity::Critical);
    assert_eq!(done.company_id, CONTOSO);
    assert_eq!(done.psa, PSA);
    assert_eq!(done.pushed_at, "t2");
    assert_eq!(
        done.source_updated_at.as_deref(),
        Some("2024-05-01T10:00:00Z")
    );

    // Replanning from that record changes nothing.
    let again = super::plan(&input_for(
        &closed,
        &config,
        Some(&done),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert_eq!(again.outcome, Outcome::Unchanged);
    assert!(again.actions.is_empty());
    assert_eq!(again.ledger_entry(777, "t2"), None, "nothing new to record");
}

#[test]
fn a_source_change_without_ticket_change_is_recorded_without_requests() {
    let config = config();
    let mapping = contoso();
    let sent = incident(1, "sent", "high", &["unapproved"]);
    let old = entry(1, &sent, LifecycleEvent::Created, STATUS_NEW);
    let mut remediating = incident(1, "auto_remediating", "high", &["unapproved"]);
    remediating.updated_at = Some("2024-05-01T10:30:00Z".into());
    let plan = plan(&input_for(
        &remediating,
        &config,
        Some(&old),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(plan.actions.is_empty());
    assert_eq!(plan.outcome, Outcome::Unchanged);
    let recorded = plan.ledger_entry(501, "now").unwrap();
    assert_eq!(recorded.incident_status, IncidentStatus::AutoRemediating);
    assert_eq!(
        recorded.source_updated_at.as_deref(),
        Some("2024-05-01T10:30:00Z")
    );
}

#[test]
fn dry_run_descriptions_name_each_change() {
    let config = config();
    let mapping = contoso();
    let closed = incident(1, "closed", "high", &[]);
    let new = plan(&input_for(
        &closed,
        &config,
        None,
        Some(&mapping),
        PlanOptions::push(false),
    ))
    .unwrap();
    let lines = new.describe();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with(
        "create ticket \"HIGH - Incident on laptop01 (Contoso Ltd)\" under Contoso Ltd (#40), in \"Huntress Incident\" (#12), status \"New\" (#1), priority \"P2 High\" (#2), marker psa-link:huntress:1"
    ), "{}", lines[0]);
    assert!(lines[0].contains("adopted instead"));
    assert!(
        lines[1].starts_with(
            "add a private resolution note to the new ticket: \"Huntress incident 1 was resolved"
        ),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "update the new ticket: status → \"Resolved\" (#9)"
    );

    let sent = incident(1, "sent", "high", &[]);
    let old = entry(1, &sent, LifecycleEvent::Created, STATUS_NEW);
    let critical = incident(1, "sent", "critical", &[]);
    let update = plan(&input_for(
        &critical,
        &config,
        Some(&old),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert_eq!(
        update.describe(),
        vec![
            "update ticket #501: priority → \"P1 Critical\" (#1)".to_string(),
            "add a private note to ticket #501: \"Severity changed from HIGH to CRITICAL in Huntress. Priority set to P1 Critical.\"".to_string(),
        ]
    );
}

fn read_back(status: Option<&str>, priority: Option<&str>, closed: bool) -> Ticket {
    Ticket {
        id: 900,
        title: "HIGH - Incident on laptop01 (Contoso Ltd)".into(),
        company_id: Some(CONTOSO),
        status_id: status.map(str::to_string),
        priority_id: priority.map(str::to_string),
        closed,
        marker: Some("psa-link:huntress:1".into()),
        ..Ticket::default()
    }
}

fn reconcile(incident: &Incident, ticket: &Ticket, options: PlanOptions) -> Plan {
    let config = config();
    let mapping = contoso();
    let input = input_for(incident, &config, None, Some(&mapping), options);
    let adopted = adopted_entry(&input, ticket);
    assert_eq!(adopted.ticket_id, 900);
    plan(&PlanInput {
        ledger: Some(&adopted),
        ..input
    })
    .unwrap()
}

#[test]
fn an_adopted_ticket_only_gets_what_it_lacks() {
    let sent = incident(1, "sent", "high", &["unapproved"]);
    let in_sync = reconcile(
        &sent,
        &read_back(Some(STATUS_NEW), Some(PRIORITY_HIGH), false),
        PlanOptions::sync(false),
    );
    assert!(in_sync.actions.is_empty(), "{:#?}", in_sync.actions);

    let closed = incident(1, "closed", "high", &[]);
    let to_close = reconcile(
        &closed,
        &read_back(Some(STATUS_NEW), Some(PRIORITY_HIGH), false),
        PlanOptions::sync(false),
    );
    assert_eq!(to_close.outcome, Outcome::Resolved);
    assert!(matches_step(&to_close.actions[1], &status(STATUS_RESOLVED)));

    let already_closed = reconcile(
        &closed,
        &read_back(Some(STATUS_RESOLVED), Some(PRIORITY_HIGH), true),
        PlanOptions::sync(false),
    );
    assert!(already_closed.actions.is_empty());

    // The ticket shows another priority: the severity it stood for is read back.
    let critical = incident(1, "sent", "critical", &["unapproved"]);
    let raised = reconcile(
        &critical,
        &read_back(Some(STATUS_NEW), Some(PRIORITY_HIGH), false),
        PlanOptions::sync(false),
    );
    assert!(matches_step(
        &raised.actions[0],
        &Step::Update {
            status: None,
            priority: Some(PRIORITY_CRITICAL)
        }
    ));
    assert!(matches_step(
        &raised.actions[1],
        &note(false, &["from HIGH to CRITICAL"])
    ));

    // A closed ticket for an open incident: the incident was reopened.
    let reopened = reconcile(
        &sent,
        &read_back(Some(STATUS_RESOLVED), Some(PRIORITY_HIGH), true),
        PlanOptions::sync(false),
    );
    assert_eq!(reopened.outcome, Outcome::Status);
    assert!(matches_step(&reopened.actions[0], &status(STATUS_NEW)));
}

#[test]
fn outcome_names_are_the_spec_json_values() {
    let names: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| {
            serde_json::to_value(o)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "created",
            "updated",
            "status",
            "resolved",
            "unchanged",
            "skipped",
            "failed"
        ]
    );
}

#[test]
fn sync_with_a_cursor_creates_and_closes_incidents_that_appeared_since() {
    let config = config();
    // Fixture incidents were sent at 09:00.
    let closed = incident(1, "closed", "high", &[]);
    let before = time::macros::datetime!(2024-05-01 08:00 UTC);
    let after = time::macros::datetime!(2024-05-01 09:30 UTC);
    let new_since = |since| {
        plan(&input_for(
            &closed,
            &config,
            None,
            Some(&contoso()),
            PlanOptions::sync_since(false, Some(since)),
        ))
        .unwrap()
    };
    let news = new_since(before);
    assert_eq!(news.ticket, TicketTarget::New);
    assert_eq!(news.outcome, Outcome::Created);
    assert!(
        matches!(news.actions.last(), Some(Action::Update(_))),
        "closed after the create"
    );

    // Sent before the cursor: history, looked up by marker only.
    let history = new_since(after);
    assert_eq!(history.ticket, TicketTarget::Adopt { required: false });
    // No cursor (the first sync): history too.
    let first = plan(&input_for(
        &closed,
        &config,
        None,
        Some(&contoso()),
        PlanOptions::sync_since(false, None),
    ))
    .unwrap();
    assert_eq!(first.ticket, TicketTarget::Adopt { required: false });
}

#[test]
fn an_incident_skipped_before_is_not_looked_up_again() {
    let config = config();
    let closed = incident(1, "closed", "high", &[]);
    let mapping = contoso();
    let input = PlanInput {
        skipped_before: true,
        ..input_for(
            &closed,
            &config,
            None,
            Some(&mapping),
            PlanOptions::sync(false),
        )
    };
    let p = plan(&input).unwrap();
    assert_eq!(p.ticket, TicketTarget::None);
    assert!(!p.needs_marker_lookup());
    assert_eq!(p.outcome, Outcome::Skipped);
    // Reopened since: a ticket like any new incident.
    let reopened = incident(1, "sent", "high", &[]);
    let p = plan(&PlanInput {
        skipped_before: true,
        ..input_for(
            &reopened,
            &config,
            None,
            Some(&mapping),
            PlanOptions::sync(false),
        )
    })
    .unwrap();
    assert_eq!(p.ticket, TicketTarget::New);
}

#[test]
fn each_step_of_a_new_ticket_records_what_the_ticket_really_is() {
    let config = config();
    // Unmapped and already closed: create, one note (how to map + resolution), close.
    let closed = incident(1, "closed", "high", &[]);
    let p = plan(&input_for(
        &closed,
        &config,
        None,
        None,
        PlanOptions::push(false),
    ))
    .unwrap();
    assert_eq!(p.actions.len(), 3);
    let created = p.entry_after(0, 9, "t").unwrap();
    assert_eq!(created.ticket_state, LifecycleEvent::Created);
    assert_eq!(created.status_id.as_deref(), Some(STATUS_NEW));
    assert!(created.unmapped && created.mapping_note_pending);
    let noted = p.entry_after(1, 9, "t").unwrap();
    assert!(!noted.mapping_note_pending);
    assert_eq!(noted.ticket_state, LifecycleEvent::Created, "still open");
    let done = p.entry_after(2, 9, "t").unwrap();
    assert_eq!(done.ticket_state, LifecycleEvent::Resolved);
    assert_eq!(Some(done.clone()), p.ledger_entry(9, "t"));

    // Stopped after the create: the next run closes it with the resolution note.
    let next = plan(&input_for(
        &closed,
        &config,
        Some(&created),
        None,
        PlanOptions::push(false),
    ))
    .unwrap();
    assert_eq!(next.outcome, Outcome::Resolved);
    let note = next
        .actions
        .iter()
        .find_map(|a| match a {
            Action::Note(n) => Some(n.clone()),
            _ => None,
        })
        .expect("a note");
    assert!(
        note.resolution && note.text.contains("not mapped"),
        "{}",
        note.text
    );
    assert!(matches!(next.actions.last(), Some(Action::Update(_))));
    assert!(!next.ledger_entry(9, "t").unwrap().mapping_note_pending);
}

#[test]
fn an_owed_how_to_map_note_is_sent_by_the_next_run_once() {
    let config = config();
    let open = incident(1, "sent", "high", &[]);
    let first = plan(&input_for(
        &open,
        &config,
        None,
        None,
        PlanOptions::sync(false),
    ))
    .unwrap();
    let created = first.entry_after(0, 9, "t").unwrap();
    assert!(created.mapping_note_pending);
    let next = plan(&input_for(
        &open,
        &config,
        Some(&created),
        None,
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert_eq!(next.outcome, Outcome::Updated);
    assert!(matches!(&next.actions[..], [Action::Note(n)] if n.text.contains("not mapped")));
    let recorded = next.ledger_entry(9, "t").unwrap();
    assert!(!recorded.mapping_note_pending);
    let after = plan(&input_for(
        &open,
        &config,
        Some(&recorded),
        None,
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(after.actions.is_empty(), "sent once");
    // Mapped meanwhile: the flag is dropped, no note.
    let mapping = contoso();
    let mapped = plan(&input_for(
        &open,
        &config,
        Some(&created),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(mapped.actions.is_empty());
    assert!(!mapped.ledger_entry(9, "t").unwrap().mapping_note_pending);
}

#[test]
fn an_incident_owed_a_ticket_is_created_and_closed_even_once_it_is_history() {
    let config = config();
    let mapping = contoso();
    // Sent 09:00; the cursor (minus the overlap) is past that, so without the debt the
    // closed incident is history.
    let closed = incident(1, "closed", "high", &[]);
    let since = time::macros::datetime!(2024-06-01 00:00 UTC);
    let options = PlanOptions::sync_since(false, Some(since));
    let history = plan(&input_for(&closed, &config, None, Some(&mapping), options)).unwrap();
    assert_eq!(history.ticket, TicketTarget::Adopt { required: false });

    let owed = plan(&PlanInput {
        ticket_owed: true,
        ..input_for(&closed, &config, None, Some(&mapping), options)
    })
    .unwrap();
    assert_eq!(owed.ticket, TicketTarget::New);
    assert_eq!(owed.outcome, Outcome::Created);
    assert!(matches!(
        &owed.actions[..],
        [
            Action::Create(_),
            Action::Note(Note {
                resolution: true,
                ..
            }),
            Action::Update(_)
        ]
    ));
    // A debt outweighs an earlier skip too (the plain sync of a first run).
    let first_run = plan(&PlanInput {
        ticket_owed: true,
        skipped_before: true,
        ..input_for(
            &closed,
            &config,
            None,
            Some(&mapping),
            PlanOptions::sync(false),
        )
    })
    .unwrap();
    assert_eq!(first_run.ticket, TicketTarget::New);
}

#[test]
fn a_closed_ticket_that_stays_closed_gets_no_owed_how_to_map_note() {
    let config = config();
    let closed = incident(1, "closed", "high", &[]);
    let mut owing = entry(1, &closed, LifecycleEvent::Resolved, STATUS_RESOLVED);
    owing.unmapped = true;
    owing.mapping_note_pending = true;
    let p = plan(&input_for(
        &closed,
        &config,
        Some(&owing),
        None,
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(p.actions.is_empty(), "{:?}", p.actions);
    assert_eq!(p.outcome, Outcome::Unchanged);
    assert!(
        !p.ledger_entry(9, "t").unwrap().mapping_note_pending,
        "the debt is dropped, not kept for a later reopen"
    );

    // Reopened in the source: the status first, then the note (to an open ticket).
    let reopened = incident(1, "sent", "high", &[]);
    let p = plan(&input_for(
        &reopened,
        &config,
        Some(&owing),
        None,
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(matches!(
        &p.actions[..],
        [Action::Update(_), Action::Note(n)] if n.text.contains("not mapped")
    ));
}

#[test]
fn an_adopted_closed_ticket_owes_no_how_to_map_note_and_an_open_one_does() {
    let config = config();
    let closed = incident(1, "closed", "high", &[]);
    let mut ticket = Ticket {
        id: 9,
        status_id: Some(STATUS_RESOLVED.into()),
        priority_id: Some(PRIORITY_HIGH.into()),
        closed: true,
        ..Ticket::default()
    };
    let input = input_for(&closed, &config, None, None, PlanOptions::sync(false));
    let adopted = adopted_entry(&input, &ticket);
    assert!(adopted.unmapped && !adopted.mapping_note_pending);

    let open = incident(1, "sent", "high", &[]);
    ticket.status_id = Some(STATUS_NEW.into());
    ticket.closed = false;
    let mut input = input_for(&open, &config, None, None, PlanOptions::sync(false));
    assert!(
        !adopted_entry(&input, &ticket).mapping_note_pending,
        "a lost ledger: the note went out right after the create"
    );
    input.ticket_owed = true;
    assert!(
        adopted_entry(&input, &ticket).mapping_note_pending,
        "a lost create answer: nothing after the create went out"
    );
}

#[test]
fn a_resolution_note_already_sent_is_not_sent_again_and_only_the_close_follows() {
    let config = config();
    let mapping = contoso();
    let closed = incident(1, "closed", "high", &[]);
    // A new closed incident: the entry after its note says the note went out.
    let p = plan(&input_for(
        &closed,
        &config,
        None,
        Some(&mapping),
        PlanOptions::push(false),
    ))
    .unwrap();
    let noted = p.entry_after(1, 9, "t").expect("recorded after the note");
    assert!(noted.resolution_noted);
    assert_eq!(noted.ticket_state, LifecycleEvent::Created);
    assert!(!p.ledger_entry(9, "t").unwrap().resolution_noted);

    let next = plan(&input_for(
        &closed,
        &config,
        Some(&noted),
        Some(&mapping),
        PlanOptions::push(false),
    ))
    .unwrap();
    assert_eq!(next.outcome, Outcome::Resolved);
    assert!(
        matches!(&next.actions[..], [Action::Update(u)] if u.change.status_id.as_deref() == Some(STATUS_RESOLVED)),
        "{:?}",
        next.actions
    );
    let done = next.ledger_entry(9, "t").unwrap();
    assert_eq!(done.ticket_state, LifecycleEvent::Resolved);
    assert!(!done.resolution_noted);

    // An existing open ticket being closed: recorded after its note too.
    let open_entry = entry(1, &closed, LifecycleEvent::Created, STATUS_NEW);
    let p = plan(&input_for(
        &closed,
        &config,
        Some(&open_entry),
        Some(&mapping),
        PlanOptions::sync(false),
    ))
    .unwrap();
    assert!(matches!(
        &p.actions[..],
        [
            Action::Note(Note {
                resolution: true,
                ..
            }),
            Action::Update(_)
        ]
    ));
    let after_note = p.entry_after(0, 501, "t").expect("recorded after the note");
    assert!(after_note.resolution_noted);
    assert_eq!(after_note.ticket_state, LifecycleEvent::Created);
    assert!(p.entry_after(1, 501, "t").is_none());
}
