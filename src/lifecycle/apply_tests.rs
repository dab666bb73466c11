//! Executor tests against an in-memory PSA test double. The real proof against the
//! emulators runs through the binary; these pin the executor's own rules: one marker
//! lookup per batch, adoption instead of a duplicate create, the ledger written after each
//! ticket, no retry of a lost create, and the cursor advancing only past successes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

use time::macros::datetime;

use super::*;
use crate::lifecycle::cursor::{Handled, next_cursor, updated_since};
use crate::lifecycle::fixtures::*;
use crate::lifecycle::{LifecycleEvent, PlanOptions};
use crate::psa::{Choice, Company, NewTicket, Note, PsaKind, Ticket, TicketChange};
use crate::source::Incident;
use crate::store::{Config, MappingEntry};

/// One request the test double received.
#[derive(Debug, Clone, PartialEq)]
enum Call {
    Find(Vec<String>),
    Create(String),
    Read(i64),
    Update(i64, TicketChange),
    Note { ticket: i64, resolution: bool },
}

impl Call {
    fn writes(&self) -> bool {
        matches!(self, Call::Create(_) | Call::Update(..) | Call::Note { .. })
    }
}

#[derive(Default)]
struct FakeState {
    tickets: BTreeMap<i64, Ticket>,
    next_id: i64,
    calls: Vec<Call>,
    last_search_since: Option<time::OffsetDateTime>,
    /// Marker -> error the create answers with (the ticket is not made).
    create_errors: HashMap<String, ApiError>,
    /// Markers whose create makes the ticket but loses the answer (timeout).
    lost_creates: HashSet<String>,
    /// Marker -> error a note on that incident's ticket answers with.
    note_errors: HashMap<String, ApiError>,
    /// Marker -> error an update of that incident's ticket answers with.
    update_errors: HashMap<String, ApiError>,
    find_error: Option<ApiError>,
}

/// Test double: an in-memory PSA recording every call. Tickets carry their marker; status
/// `9` counts as closed.
struct FakePsa {
    state: Mutex<FakeState>,
}

impl FakePsa {
    fn new() -> FakePsa {
        FakePsa {
            state: Mutex::new(FakeState {
                next_id: 1000,
                ..FakeState::default()
            }),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut FakeState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    fn calls(&self) -> Vec<Call> {
        self.with(|s| s.calls.clone())
    }

    fn creates(&self) -> usize {
        self.calls()
            .iter()
            .filter(|c| matches!(c, Call::Create(_)))
            .count()
    }

    /// A ticket psa-link made in an earlier run.
    fn existing(&self, id: i64, marker: &str, status: &str, priority: &str) {
        self.with(|s| {
            s.tickets.insert(
                id,
                Ticket {
                    id,
                    title: "HIGH - Incident on laptop01 (Contoso Ltd)".into(),
                    company_id: Some(CONTOSO),
                    status_id: Some(status.into()),
                    priority_id: Some(priority.into()),
                    closed: status == STATUS_RESOLVED,
                    marker: Some(marker.into()),
                    ..Ticket::default()
                },
            );
        });
    }

    fn timeout() -> ApiError {
        ApiError::new("HaloPSA", ApiErrorKind::Timeout, "no answer within 30s")
    }
}

impl Psa for FakePsa {
    fn kind(&self) -> PsaKind {
        PsaKind::Halopsa
    }
    fn identity(&self) -> String {
        PSA.into()
    }
    fn verify(&self) -> Result<(), ApiError> {
        Ok(())
    }
    fn companies(&self) -> Result<Vec<Company>, ApiError> {
        Ok(Vec::new())
    }
    fn routings(&self) -> Result<Vec<Choice>, ApiError> {
        Ok(Vec::new())
    }
    fn statuses(&self, _: Option<&str>) -> Result<Vec<Choice>, ApiError> {
        Ok(Vec::new())
    }
    fn priorities(&self, _: Option<&str>) -> Result<Vec<Choice>, ApiError> {
        Ok(Vec::new())
    }

    fn create_ticket(&self, t: &NewTicket) -> Result<i64, ApiError> {
        self.with(|s| {
            s.calls.push(Call::Create(t.marker.clone()));
            if let Some(e) = s.create_errors.get(&t.marker) {
                return Err(e.clone());
            }
            s.next_id += 1;
            let id = s.next_id;
            s.tickets.insert(
                id,
                Ticket {
                    id,
                    title: t.title.clone(),
                    company_id: Some(t.company_id),
                    status_id: t.status_id.clone(),
                    priority_id: t.priority_id.clone(),
                    marker: Some(t.marker.clone()),
                    ..Ticket::default()
                },
            );
            if s.lost_creates.contains(&t.marker) {
                return Err(FakePsa::timeout());
            }
            Ok(id)
        })
    }

    fn ticket(&self, id: i64) -> Result<Ticket, ApiError> {
        self.with(|s| {
            s.calls.push(Call::Read(id));
            s.tickets
                .get(&id)
                .cloned()
                .ok_or_else(|| ApiError::new("HaloPSA", ApiErrorKind::NotFound, "no ticket"))
        })
    }

    fn update_ticket(&self, id: i64, change: &TicketChange) -> Result<(), ApiError> {
        self.with(|s| {
            s.calls.push(Call::Update(id, change.clone()));
            let refused = s
                .tickets
                .get(&id)
                .and_then(|t| t.marker.as_ref())
                .and_then(|m| s.update_errors.get(m));
            if let Some(e) = refused {
                return Err(e.clone());
            }
            let Some(ticket) = s.tickets.get_mut(&id) else {
                return Err(ApiError::new(
                    "HaloPSA",
                    ApiErrorKind::NotFound,
                    "no ticket",
                ));
            };
            if let Some(status) = &change.status_id {
                ticket.status_id = Some(status.clone());
                ticket.closed = status == STATUS_RESOLVED;
            }
            if let Some(priority) = &change.priority_id {
                ticket.priority_id = Some(priority.clone());
            }
            Ok(())
        })
    }

    fn add_note(&self, id: i64, note: &Note) -> Result<(), ApiError> {
        self.with(|s| {
            s.calls.push(Call::Note {
                ticket: id,
                resolution: note.resolution,
            });
            let marker = s.tickets.get(&id).and_then(|t| t.marker.clone());
            match marker.and_then(|m| s.note_errors.get(&m)) {
                Some(e) => Err(e.clone()),
                None => Ok(()),
            }
        })
    }

    fn find_marked(&self, search: &MarkerSearch<'_>) -> Result<HashMap<String, i64>, ApiError> {
        self.with(|s| {
            s.calls.push(Call::Find(search.markers.to_vec()));
            s.last_search_since = search.created_since;
            if let Some(e) = &s.find_error {
                return Err(e.clone());
            }
            Ok(s.tickets
                .values()
                .filter_map(|t| t.marker.clone().map(|m| (m, t.id)))
                .filter(|(m, _)| search.markers.contains(m))
                .collect())
        })
    }

    fn delete_ticket(&self, _: i64) -> Result<bool, ApiError> {
        Ok(false)
    }
}

/// Test double: a ledger that notes how many PSA calls had been made at each record.
struct WatchedLedger<'a> {
    psa: &'a FakePsa,
    records: Vec<(usize, LedgerEntry)>,
}

impl LedgerSink for WatchedLedger<'_> {
    fn record(&mut self, entry: &LedgerEntry) -> anyhow::Result<()> {
        self.records.push((self.psa.calls().len(), entry.clone()));
        Ok(())
    }
}

/// Test double: the ledger's records and debts.
#[derive(Default)]
struct OwingLedger {
    records: Vec<LedgerEntry>,
    owed: Vec<i64>,
    skipped: Vec<i64>,
}

impl LedgerSink for OwingLedger {
    fn record(&mut self, entry: &LedgerEntry) -> anyhow::Result<()> {
        self.records.push(entry.clone());
        Ok(())
    }

    fn skipped(&mut self, _psa: &str, incident_id: i64) -> anyhow::Result<()> {
        self.skipped.push(incident_id);
        Ok(())
    }

    fn owed(&mut self, _psa: &str, incident_id: i64) -> anyhow::Result<()> {
        self.owed.push(incident_id);
        Ok(())
    }
}

/// Incidents, the ledger and the mapping of one run. Organization 77 is mapped to Contoso;
/// any other organization is unmapped.
struct World {
    config: Config,
    mapping: MappingEntry,
    incidents: Vec<Incident>,
    ledger: HashMap<i64, LedgerEntry>,
}

impl World {
    fn new(incidents: Vec<Incident>) -> World {
        World {
            config: config(),
            mapping: contoso(),
            incidents,
            ledger: HashMap::new(),
        }
    }

    fn inputs(&self, options: PlanOptions) -> Vec<PlanInput<'_>> {
        self.incidents
            .iter()
            .map(|incident| PlanInput {
                ledger: self.ledger.get(&incident.id),
                mapping: (incident.organization_id == 77).then_some(&self.mapping),
                organization_name: Some("Contoso Ltd"),
                agent_hostname: Some("laptop01"),
                options,
                ..PlanInput::new(incident, &self.config, PSA)
            })
            .collect()
    }
}

fn marker(id: i64) -> String {
    format!("psa-link:huntress:{id}")
}

fn actions(results: &[IncidentResult]) -> Vec<Outcome> {
    results.iter().map(|r| r.action).collect()
}

#[test]
fn one_marker_lookup_per_batch_and_one_create_per_incident() {
    let mut world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "low", &["unapproved"]),
        incident(3, "sent", "critical", &[]),
        incident(4, "sent", "critical", &[]),
    ]);
    world.incidents[2].sent_at = Some("2024-04-20T08:00:00Z".into());
    world.incidents[1].organization_id = 88; // unmapped: create + how-to-map note
    let before = incident(4, "sent", "high", &[]);
    world
        .ledger
        .insert(4, entry(4, &before, LifecycleEvent::Created, STATUS_NEW));

    let psa = FakePsa::new();
    psa.existing(504, &marker(4), STATUS_NEW, PRIORITY_HIGH);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));

    assert_eq!(
        actions(&results),
        [
            Outcome::Created,
            Outcome::Created,
            Outcome::Created,
            Outcome::Updated
        ]
    );
    let finds: Vec<Call> = psa
        .calls()
        .into_iter()
        .filter(|c| matches!(c, Call::Find(_)))
        .collect();
    assert_eq!(
        finds,
        [Call::Find(vec![marker(1), marker(2), marker(3)])],
        "one lookup for the three incidents without a ledger entry"
    );
    assert_eq!(
        psa.with(|s| s.last_search_since),
        Some(datetime!(2024-04-19 08:00:00 UTC)),
        "the scan window starts a day before the oldest incident"
    );
    assert_eq!(psa.creates(), 3);
    assert!(!psa.calls().iter().any(|c| matches!(c, Call::Read(_))));
    // Throughput: the create and at most one note per incident.
    for id in [1, 2, 3] {
        let ticket = results[id as usize - 1].ticket_id.unwrap();
        let writes = psa
            .calls()
            .iter()
            .filter(|c| c.writes())
            .filter(|c| match c {
                Call::Create(m) => *m == marker(id),
                Call::Update(t, _) | Call::Note { ticket: t, .. } => *t == ticket,
                _ => false,
            })
            .count();
        assert!(writes <= 2, "incident {id}: {writes} writes");
    }
    // The unmapped one twice: what the create made, then its how-to-map note sent.
    assert_eq!(ledger.len(), 5);
    let unmapped: Vec<&LedgerEntry> = ledger.iter().filter(|e| e.incident_id == 2).collect();
    assert!(unmapped[0].mapping_note_pending && !unmapped[1].mapping_note_pending);
    assert_eq!(unmapped[1].company_id, DEFAULT_COMPANY);
    assert!(unmapped[1].unmapped);
}

#[test]
fn a_marked_ticket_is_adopted_instead_of_created_again() {
    let world = World::new(vec![incident(1, "closed", "high", &[])]);
    for options in [PlanOptions::push(false), PlanOptions::sync(false)] {
        let psa = FakePsa::new();
        psa.existing(900, &marker(1), STATUS_NEW, PRIORITY_HIGH);
        let mut ledger = Vec::new();
        let results = Executor::new(&psa, &mut ledger).run(&world.inputs(options));

        assert_eq!(psa.creates(), 0, "{options:?}");
        assert_eq!(
            psa.calls(),
            [
                Call::Find(vec![marker(1)]),
                Call::Read(900),
                Call::Note {
                    ticket: 900,
                    resolution: true
                },
                Call::Update(
                    900,
                    TicketChange {
                        status_id: Some(STATUS_RESOLVED.into()),
                        priority_id: None,
                        severity: None,
                    }
                ),
            ]
        );
        assert_eq!(results[0].action, Outcome::Resolved);
        assert_eq!(results[0].ticket_id, Some(900));
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].ticket_id, 900);
        assert_eq!(ledger[0].ticket_state, LifecycleEvent::Resolved);
    }
}

#[test]
fn an_adopted_ticket_already_up_to_date_costs_no_write() {
    let world = World::new(vec![incident(1, "sent", "high", &[])]);
    let psa = FakePsa::new();
    psa.existing(900, &marker(1), STATUS_NEW, PRIORITY_HIGH);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(results[0].action, Outcome::Unchanged);
    assert!(!psa.calls().iter().any(Call::writes));
    assert_eq!(
        ledger[0].ticket_id, 900,
        "recorded so it is not looked up again"
    );
}

#[test]
fn a_finished_incident_first_seen_by_sync_gets_no_ticket() {
    let world = World::new(vec![incident(1, "closed", "high", &[])]);
    let psa = FakePsa::new();
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(results[0].action, Outcome::Skipped);
    assert_eq!(results[0].ticket_id, None);
    assert_eq!(psa.calls(), [Call::Find(vec![marker(1)])]);
    assert!(ledger.is_empty());
}

#[test]
fn the_ledger_is_written_right_after_a_create_and_after_each_ticket() {
    let world = World::new(vec![
        incident(1, "closed", "high", &[]),
        incident(2, "sent", "low", &[]),
    ]);
    let psa = FakePsa::new();
    let mut ledger = WatchedLedger {
        psa: &psa,
        records: Vec::new(),
    };
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::push(false)));
    assert_eq!(actions(&results), [Outcome::Created, Outcome::Created]);

    let seen: Vec<(usize, i64, LifecycleEvent)> = ledger
        .records
        .iter()
        .map(|(calls, e)| (*calls, e.incident_id, e.ticket_state))
        .collect();
    assert_eq!(
        seen,
        [
            // find + create: recorded before the note and the close.
            (2, 1, LifecycleEvent::Created),
            // + the resolution note: still open, the note marked sent.
            (3, 1, LifecycleEvent::Created),
            // + update: the closed state.
            (4, 1, LifecycleEvent::Resolved),
            // + the second create: recorded before anything else happens.
            (5, 2, LifecycleEvent::Created),
        ]
    );
    assert!(ledger.records.iter().all(|(_, e)| !e.pushed_at.is_empty()));
}

#[test]
fn a_lost_create_is_never_retried_in_the_run_and_is_found_by_the_next() {
    let world = World::new(vec![incident(1, "sent", "high", &[])]);
    let psa = FakePsa::new();
    psa.with(|s| s.lost_creates.insert(marker(1)));
    let inputs = world.inputs(PlanOptions::sync(false));
    let mut ledger = Vec::new();
    let mut executor = Executor::new(&psa, &mut ledger);

    let results = executor.run(&inputs);
    assert_eq!(results[0].action, Outcome::Failed);
    assert_eq!(results[0].exit, Some(Exit::Network));
    let fix = results[0].fix.as_deref().unwrap();
    assert!(
        fix.contains("may have been created") && fix.contains(&marker(1)),
        "{fix}"
    );

    // Asked again in the same run: refused without a request.
    let plan = plan(&inputs[0]).unwrap();
    let again = executor.apply(&inputs[0], &plan);
    assert!(
        matches!(again, Err(ApplyError::CreateAlreadySent { .. })),
        "{again:?}"
    );
    assert_eq!(psa.creates(), 1);
    drop(executor);
    assert!(ledger.is_empty());

    // The next run finds the ticket by its marker and adopts it.
    let mut next_ledger = Vec::new();
    let next = Executor::new(&psa, &mut next_ledger).run(&inputs);
    assert_eq!(psa.creates(), 1, "still one create");
    assert_eq!(next[0].action, Outcome::Unchanged);
    assert_eq!(next[0].ticket_id, Some(1001));
    assert_eq!(next_ledger[0].ticket_id, 1001);
}

#[test]
fn a_rejected_create_is_not_flagged_as_maybe_created() {
    let world = World::new(vec![incident(1, "sent", "high", &[])]);
    let psa = FakePsa::new();
    let mut rejected = ApiError::new("HaloPSA", ApiErrorKind::Rejected, "Category is mandatory");
    rejected.status = Some(400);
    psa.with(|s| s.create_errors.insert(marker(1), rejected));
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(results[0].exit, Some(Exit::Rejected));
    assert!(
        results[0]
            .error
            .as_deref()
            .unwrap()
            .contains("Category is mandatory")
    );
    assert!(results[0].fix.is_none());
}

#[test]
fn one_failure_does_not_stop_the_others_and_a_created_ticket_stays_recorded() {
    let mut world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "high", &[]),
        incident(3, "sent", "high", &[]),
    ]);
    world.incidents[0].organization_id = 88; // unmapped: its how-to-map note will fail
    let psa = FakePsa::new();
    let refused = ApiError::new("HaloPSA", ApiErrorKind::Rejected, "note action not allowed");
    psa.with(|s| s.note_errors.insert(marker(1), refused));
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));

    assert_eq!(
        actions(&results),
        [Outcome::Failed, Outcome::Created, Outcome::Created]
    );
    assert_eq!(
        results[0].ticket_id,
        Some(1001),
        "the failure names the ticket made"
    );
    assert_eq!(ledger.len(), 3);
    assert_eq!((ledger[0].incident_id, ledger[0].ticket_id), (1, 1001));
}

#[test]
fn credential_failures_stop_the_batch() {
    let world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "high", &[]),
    ]);
    let psa = FakePsa::new();
    psa.with(|s| {
        s.create_errors.insert(
            marker(1),
            ApiError::new("HaloPSA", ApiErrorKind::Auth, "invalid_client"),
        )
    });
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(actions(&results), [Outcome::Failed, Outcome::Failed]);
    assert!(
        results[1]
            .error
            .as_deref()
            .unwrap()
            .starts_with("not attempted")
    );
    assert_eq!(psa.creates(), 1);
    assert_eq!(Report::new(results).exit(), Exit::Auth);
}

#[test]
fn a_failed_marker_lookup_creates_nothing() {
    let mut world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "closed", "high", &[]),
    ]);
    let before = incident(2, "sent", "high", &[]);
    world
        .ledger
        .insert(2, entry(2, &before, LifecycleEvent::Created, STATUS_NEW));
    let psa = FakePsa::new();
    psa.existing(502, &marker(2), STATUS_NEW, PRIORITY_HIGH);
    psa.with(|s| {
        s.find_error = Some(ApiError::new(
            "HaloPSA",
            ApiErrorKind::Permission,
            "Read Tickets is not granted",
        ))
    });
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(actions(&results), [Outcome::Failed, Outcome::Resolved]);
    assert_eq!(results[0].exit, Some(Exit::Auth));
    assert_eq!(psa.creates(), 0);
}

#[test]
fn strict_refusals_fail_that_incident_with_exit_5() {
    let mut world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "high", &[]),
    ]);
    world.incidents[0].organization_id = 88;
    let psa = FakePsa::new();
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(true)));
    assert_eq!(actions(&results), [Outcome::Failed, Outcome::Created]);
    assert!(results[0].fix.as_deref().unwrap().contains("map manual 88"));
    assert_eq!(
        psa.calls()[0],
        Call::Find(vec![marker(2)]),
        "refused before any lookup"
    );
    let report = Report::new(results);
    assert_eq!(report.exit(), Exit::MappingIncomplete);
}

#[test]
fn resolving_an_incident_without_a_ticket_says_to_push_it() {
    let world = World::new(vec![incident(1, "sent", "high", &[])]);
    let psa = FakePsa::new();
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::resolve(false)));
    assert_eq!(results[0].action, Outcome::Failed);
    assert_eq!(
        results[0].fix.as_deref(),
        Some("push it first: psa-link incident push 1")
    );
    assert_eq!(psa.creates(), 0);
}

#[test]
fn the_cursor_advances_only_past_successes() {
    let mut world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "high", &[]),
        incident(3, "sent", "high", &[]),
    ]);
    for (n, at) in ["10:00", "10:05", "10:10"].iter().enumerate() {
        world.incidents[n].updated_at = Some(format!("2024-05-01T{at}:00Z"));
    }
    let psa = FakePsa::new();
    psa.with(|s| {
        s.create_errors.insert(
            marker(2),
            ApiError::new("HaloPSA", ApiErrorKind::Rejected, "invalid status"),
        )
    });
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(
        actions(&results),
        [Outcome::Created, Outcome::Failed, Outcome::Created]
    );
    let handled = world
        .incidents
        .iter()
        .zip(&results)
        .map(|(i, r)| Handled::new(i.updated_at.as_deref(), r.ok()));
    let cursor = next_cursor(None, handled);
    assert_eq!(cursor, Some(datetime!(2024-05-01 10:00:00 UTC)));
    assert_eq!(
        updated_since(cursor, world.config.incidents.sync_overlap_secs),
        Some(datetime!(2024-05-01 09:59:00 UTC))
    );
}

#[test]
fn the_json_report_has_the_spec_keys_and_every_action_count() {
    let world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "deleting", "high", &[]),
    ]);
    let psa = FakePsa::new();
    let mut ledger = Vec::new();
    let report =
        Report::new(Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false))));
    let json = serde_json::to_value(&report).unwrap();
    let first = json["results"][0].as_object().unwrap();
    for key in [
        "incident_id",
        "organization_id",
        "action",
        "ticket_id",
        "error",
    ] {
        assert!(first.contains_key(key), "{key}");
    }
    assert_eq!(json["results"][0]["action"], "created");
    assert_eq!(json["results"][0]["error"], serde_json::Value::Null);
    assert_eq!(json["results"][1]["action"], "skipped");
    assert_eq!(json["results"][1]["ticket_id"], serde_json::Value::Null);
    let summary = json["summary"].as_object().unwrap();
    assert_eq!(summary.len(), 7);
    assert_eq!(summary["created"], 1);
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["failed"], 0);
    assert_eq!(report.exit(), Exit::Success);
}

#[test]
fn a_dry_run_preview_reads_but_never_writes_and_shows_adoptions() {
    let world = World::new(vec![
        incident(1, "closed", "high", &[]),
        incident(2, "sent", "high", &[]),
    ]);
    let psa = FakePsa::new();
    psa.existing(900, &marker(1), STATUS_NEW, PRIORITY_HIGH);
    let mut ledger = Vec::new();
    let plans = Executor::new(&psa, &mut ledger).preview(&world.inputs(PlanOptions::push(false)));

    assert_eq!(
        psa.calls(),
        [Call::Find(vec![marker(1), marker(2)]), Call::Read(900)]
    );
    assert!(ledger.is_empty());
    let adopted = plans[0].as_ref().unwrap();
    assert_eq!(adopted.ticket, TicketTarget::Existing(900));
    assert_eq!(
        adopted.describe(),
        [
            "add a private resolution note to ticket #900: \"Huntress incident 1 was resolved in Huntress (2024-05-01T11:00:00Z). The ticket is closed to match.\"",
            "update ticket #900: status → \"Resolved\" (#9)",
        ]
    );
    let new = plans[1].as_ref().unwrap();
    assert_eq!(new.ticket, TicketTarget::New);
    assert!(new.describe()[0].starts_with("create ticket"));
}

#[test]
fn adopted_results_say_so_in_json() {
    let world = World::new(vec![incident(1, "sent", "high", &[])]);
    let psa = FakePsa::new();
    psa.existing(900, &marker(1), STATUS_NEW, PRIORITY_HIGH);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    let json = serde_json::to_value(&results[0]).unwrap();
    assert_eq!(json["adopted"], true);
    assert_eq!(json["ticket_id"], 900);
}

#[test]
fn run_each_reports_every_incident_as_it_is_done_and_stops_when_asked() {
    let world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "low", &[]),
        incident(3, "sent", "critical", &[]),
    ]);
    let psa = FakePsa::new();
    let mut ledger = Vec::new();
    let mut seen = Vec::new();
    let results =
        Executor::new(&psa, &mut ledger).run_each(&world.inputs(PlanOptions::sync(false)), |r| {
            seen.push(r.incident_id);
            // Stop after the second incident, as a Ctrl-C would.
            r.incident_id < 2
        });
    assert_eq!(seen, [1, 2], "told about each incident once, in order");
    assert_eq!(
        results.iter().map(|r| r.incident_id).collect::<Vec<_>>(),
        [1, 2],
        "the incident after the stop is neither attempted nor reported"
    );
    assert_eq!(psa.creates(), 2);
    assert_eq!(
        ledger.iter().map(|e| e.incident_id).collect::<Vec<_>>(),
        [1, 2],
        "both finished incidents are recorded"
    );
}

#[test]
fn a_create_whose_follow_ups_failed_is_finished_by_the_next_run() {
    // Unmapped and already closed: the note (how to map + resolution) fails after the
    // create, so the ticket is still open and the note unsent.
    let mut world = World::new(vec![incident(1, "closed", "high", &[])]);
    world.incidents[0].organization_id = 88;
    let psa = FakePsa::new();
    let refused = ApiError::new("HaloPSA", ApiErrorKind::Rejected, "note action not allowed");
    psa.with(|s| s.note_errors.insert(marker(1), refused));
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::push(false)));
    assert_eq!(actions(&results), [Outcome::Failed]);
    let recorded = ledger.last().cloned().expect("the create is recorded");
    assert_eq!(
        recorded.ticket_state,
        LifecycleEvent::Created,
        "not claimed resolved"
    );
    assert!(recorded.mapping_note_pending, "the note is still owed");

    psa.with(|s| s.note_errors.clear());
    world.ledger.insert(1, recorded);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::push(false)));
    assert_eq!(actions(&results), [Outcome::Resolved]);
    assert_eq!(psa.creates(), 1);
    let done = ledger.last().expect("recorded");
    assert_eq!(done.ticket_state, LifecycleEvent::Resolved);
    assert!(!done.mapping_note_pending);
    assert!(psa.with(|s| s.tickets[&1001].closed));
}

#[test]
fn an_adopted_unmapped_ticket_gets_its_how_to_map_note_only_when_its_create_answer_was_lost() {
    let mut world = World::new(vec![incident(1, "sent", "high", &[])]);
    world.incidents[0].organization_id = 88;
    let psa = FakePsa::new();
    psa.with(|s| s.lost_creates.insert(marker(1)));
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(actions(&results), [Outcome::Failed]);
    assert!(ledger.is_empty());

    // A lost ledger: the ticket is adopted, and its note (sent right after the create) is
    // not sent again.
    psa.with(|s| s.lost_creates.clear());
    let lost_ledger = world.inputs(PlanOptions::sync(false));
    let results = Executor::new(&psa, &mut Vec::new()).run(&lost_ledger);
    assert!(results[0].adopted);
    assert_eq!(notes_sent(&psa), 0, "no second how-to-map note");

    // The first run's lost answer left the incident owed a ticket (LedgerWriter records
    // it): nothing after the create went out, so the note is sent now, once.
    let mut owed = world.inputs(PlanOptions::sync(false));
    owed[0].ticket_owed = true;
    let results = Executor::new(&psa, &mut ledger).run(&owed);
    assert!(results[0].adopted);
    assert_eq!(psa.creates(), 1);
    assert_eq!(notes_sent(&psa), 1, "the how-to-map note, once");
    assert!(!ledger.last().expect("recorded").mapping_note_pending);
}

fn notes_sent(psa: &FakePsa) -> usize {
    psa.calls()
        .iter()
        .filter(|c| matches!(c, Call::Note { .. }))
        .count()
}

#[test]
fn a_close_that_failed_after_its_resolution_note_is_finished_without_a_second_note() {
    // A new ticket for a closed incident: create, resolution note, then the close fails.
    let mut world = World::new(vec![incident(1, "closed", "high", &[])]);
    let psa = FakePsa::new();
    let refused = ApiError::new("HaloPSA", ApiErrorKind::Rejected, "status change refused");
    psa.with(|s| s.update_errors.insert(marker(1), refused.clone()));
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::push(false)));
    assert_eq!(actions(&results), [Outcome::Failed]);
    assert_eq!(notes_sent(&psa), 1);
    let recorded = ledger.last().cloned().expect("recorded after the note");
    assert_eq!(recorded.ticket_state, LifecycleEvent::Created, "still open");
    assert!(recorded.resolution_noted);

    psa.with(|s| s.update_errors.clear());
    world.ledger.insert(1, recorded);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::push(false)));
    assert_eq!(actions(&results), [Outcome::Resolved]);
    assert_eq!(notes_sent(&psa), 1, "the resolution note is not sent again");
    assert!(psa.with(|s| s.tickets[&1001].closed));
    let done = ledger.last().expect("recorded");
    assert_eq!(done.ticket_state, LifecycleEvent::Resolved);
    assert!(!done.resolution_noted);
}

#[test]
fn an_existing_tickets_close_that_failed_after_its_note_is_retried_without_the_note() {
    let mut world = World::new(vec![incident(1, "closed", "high", &[])]);
    let open = incident(1, "sent", "high", &[]);
    world
        .ledger
        .insert(1, entry(1, &open, LifecycleEvent::Created, STATUS_NEW));
    let psa = FakePsa::new();
    psa.existing(501, &marker(1), STATUS_NEW, PRIORITY_HIGH);
    let refused = ApiError::new("HaloPSA", ApiErrorKind::Rejected, "status change refused");
    psa.with(|s| s.update_errors.insert(marker(1), refused));
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(actions(&results), [Outcome::Failed]);
    let recorded = ledger.last().cloned().expect("recorded after the note");
    assert!(recorded.resolution_noted);
    assert_eq!(recorded.ticket_state, LifecycleEvent::Created);

    psa.with(|s| s.update_errors.clear());
    world.ledger.insert(1, recorded);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(actions(&results), [Outcome::Resolved]);
    assert_eq!(notes_sent(&psa), 1, "one resolution note in all");
    assert!(psa.with(|s| s.tickets[&501].closed));
}

#[test]
fn incidents_that_wanted_a_ticket_and_got_none_are_owed_one() {
    let mut world = World::new(vec![
        incident(1, "sent", "high", &[]), // unmapped under --strict: refused
        incident(2, "sent", "high", &[]), // the create answers 400
        incident(3, "closed", "high", &[]), // history: skipped, owes nothing
        incident(4, "sent", "high", &[]), // created
        incident(5, "closed", "high", &[]), // has a ticket whose close fails
    ]);
    world.incidents[0].organization_id = 88;
    let open5 = incident(5, "sent", "high", &[]);
    world
        .ledger
        .insert(5, entry(5, &open5, LifecycleEvent::Created, STATUS_NEW));
    let psa = FakePsa::new();
    psa.existing(505, &marker(5), STATUS_NEW, PRIORITY_HIGH);
    let mut rejected = ApiError::new("HaloPSA", ApiErrorKind::Rejected, "Category is mandatory");
    rejected.status = Some(400);
    psa.with(|s| {
        s.create_errors.insert(marker(2), rejected.clone());
        s.update_errors.insert(marker(5), rejected);
    });
    let mut ledger = OwingLedger::default();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(true)));
    assert_eq!(
        actions(&results),
        [
            Outcome::Failed,
            Outcome::Failed,
            Outcome::Skipped,
            Outcome::Created,
            Outcome::Failed
        ]
    );
    assert_eq!(ledger.owed, [1, 2]);
    assert_eq!(ledger.skipped, [3]);
}

#[test]
fn incidents_left_by_a_halted_batch_are_owed_a_ticket() {
    let world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "high", &[]),
    ]);
    let psa = FakePsa::new();
    let mut denied = ApiError::new("HaloPSA", ApiErrorKind::Auth, "token expired");
    denied.status = Some(401);
    psa.with(|s| s.create_errors.insert(marker(1), denied));
    let mut ledger = OwingLedger::default();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert_eq!(actions(&results), [Outcome::Failed, Outcome::Failed]);
    assert_eq!(psa.creates(), 1, "the batch stopped");
    assert_eq!(ledger.owed, [1, 2]);
}

#[test]
fn incidents_a_stop_left_unreached_are_owed_a_ticket() {
    let world = World::new(vec![
        incident(1, "sent", "high", &[]),
        incident(2, "sent", "high", &[]),
        incident(3, "sent", "high", &[]),
    ]);
    let psa = FakePsa::new();
    let mut ledger = OwingLedger::default();
    // Ctrl-C after the first incident.
    let results = Executor::new(&psa, &mut ledger)
        .run_each(&world.inputs(PlanOptions::sync(false)), |_| false);
    assert_eq!(actions(&results), [Outcome::Created]);
    assert_eq!(psa.creates(), 1);
    assert_eq!(ledger.owed, [2, 3], "the unreached ones, not the one made");
}

#[test]
fn an_adopted_closed_unmapped_ticket_gets_no_how_to_map_note() {
    // A lost ledger: the closed ticket psa-link made earlier is found by its marker.
    let mut world = World::new(vec![incident(1, "closed", "high", &[])]);
    world.incidents[0].organization_id = 88;
    let psa = FakePsa::new();
    psa.existing(900, &marker(1), STATUS_RESOLVED, PRIORITY_HIGH);
    let mut ledger = Vec::new();
    let results = Executor::new(&psa, &mut ledger).run(&world.inputs(PlanOptions::sync(false)));
    assert!(results[0].adopted);
    assert_eq!(results[0].action, Outcome::Unchanged);
    assert!(!psa.calls().iter().any(Call::writes), "{:?}", psa.calls());
    assert!(!ledger[0].mapping_note_pending);
}
