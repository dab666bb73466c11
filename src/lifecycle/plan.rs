//! The pure planner: from an incident, its ledger entry, its organization's mapping and the
//! config, the requests that bring its ticket up to date (SPEC §3). No I/O, so `--dry-run`
//! and the tests need nothing but data.
//!
//! A plan sends at most one create, one update (status and priority together) and one
//! private note per incident per run: every text the run has to say is folded into one note.

use std::fmt;

use serde::Serialize;
use time::OffsetDateTime;

use super::LifecycleEvent;
use super::content::{self, BodyContext};
use crate::error::{Exit, Failure};
use crate::psa::{NewTicket, Note, Ticket, TicketChange, incident_marker};
use crate::source::{Incident, IncidentStatus, RemediationState};
use crate::store::{CompanyRef, Config, LedgerEntry, MappingEntry, Named};

/// What to do with an incident that is already closed or dismissed when psa-link first
/// sees it (no ledger entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstSeenFinished {
    /// `incident sync`: no new ticket for history. A ticket psa-link made earlier and lost
    /// track of (found by its marker) is still adopted and closed.
    #[default]
    Skip,
    /// `incident push <ID>` named it explicitly: create the ticket for the record, then
    /// close it with a resolution note.
    CreateClosed,
    /// `incident sync` after its first run: an incident that appeared after `since` (the
    /// cursor minus the overlap) and finished between two polls is news, not history:
    /// created, then closed. Older ones are skipped, unless psa-link owes them a ticket
    /// ([`PlanInput::ticket_owed`]).
    CreateClosedIfSince(OffsetDateTime),
}

/// `incident resolve`: the ticket is closed whatever the source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManualResolve {
    /// The incident was also resolved in Huntress (`--in-source`).
    pub in_source: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanOptions {
    /// Refuse (exit 5) instead of filing unmapped organizations under the default company.
    pub strict: bool,
    pub first_seen_finished: FirstSeenFinished,
    pub manual_resolve: Option<ManualResolve>,
}

impl PlanOptions {
    /// `incident push`: explicitly named incidents are ticketed even when already closed.
    pub fn push(strict: bool) -> PlanOptions {
        PlanOptions {
            strict,
            first_seen_finished: FirstSeenFinished::CreateClosed,
            manual_resolve: None,
        }
    }

    /// `incident sync`: history that finished before psa-link saw it gets no ticket.
    pub fn sync(strict: bool) -> PlanOptions {
        PlanOptions {
            strict,
            first_seen_finished: FirstSeenFinished::Skip,
            manual_resolve: None,
        }
    }

    /// `incident sync` with a cursor: incidents that appeared after `since` are ticketed
    /// even when they finished before the poll saw them.
    pub fn sync_since(strict: bool, since: Option<OffsetDateTime>) -> PlanOptions {
        PlanOptions {
            first_seen_finished: since.map_or(
                FirstSeenFinished::Skip,
                FirstSeenFinished::CreateClosedIfSince,
            ),
            ..PlanOptions::sync(strict)
        }
    }

    /// `incident resolve [--in-source]`.
    pub fn resolve(in_source: bool) -> PlanOptions {
        PlanOptions {
            strict: false,
            first_seen_finished: FirstSeenFinished::Skip,
            manual_resolve: Some(ManualResolve { in_source }),
        }
    }
}

/// Everything the planner looks at for one incident.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// The incident with its remediations.
    pub incident: &'a Incident,
    /// Its ledger entry for the current PSA; an entry for another PSA is ignored.
    pub ledger: Option<&'a LedgerEntry>,
    /// Its organization's mapping entry, if mapped.
    pub mapping: Option<&'a MappingEntry>,
    pub config: &'a Config,
    /// The organization's name (falls back to the incident's nested name, the mapping's
    /// label, then `Organization <id>`).
    pub organization_name: Option<&'a str>,
    /// The agent's host name, when the incident has an agent and it was looked up.
    pub agent_hostname: Option<&'a str>,
    /// Link to the incident in the vendor's portal.
    pub incident_url: Option<&'a str>,
    /// `Psa::identity()` of the current PSA, recorded in ledger entries.
    pub psa: &'a str,
    /// The marker namespace (`Source::namespace()`, `huntress`).
    pub source: &'a str,
    pub options: PlanOptions,
    /// An earlier sync skipped this incident (finished before psa-link saw it, and no
    /// ticket carried its marker): no marker lookup again.
    pub skipped_before: bool,
    /// An earlier run saw this incident wanting a ticket and could not make it (the
    /// ledger's `owed` record): it is never history, however old, so it still gets its
    /// ticket (created, then closed, if it finished meanwhile).
    pub ticket_owed: bool,
}

impl<'a> PlanInput<'a> {
    /// An input with no ledger entry, no mapping and no labels; set the rest by field.
    pub fn new(incident: &'a Incident, config: &'a Config, psa: &'a str) -> PlanInput<'a> {
        PlanInput {
            incident,
            ledger: None,
            mapping: None,
            config,
            organization_name: None,
            agent_hostname: None,
            incident_url: None,
            psa,
            source: "huntress",
            options: PlanOptions::default(),
            skipped_before: false,
            ticket_owed: false,
        }
    }

    fn known_organization_name(&self) -> Option<&'a str> {
        self.organization_name
            .filter(|n| !n.trim().is_empty())
            .or(self.incident.organization_name.as_deref())
            .or(self.mapping.map(|m| m.name.as_str()))
    }

    fn organization(&self) -> String {
        content::organization_label(
            self.known_organization_name(),
            self.incident.organization_id,
        )
    }

    pub(crate) fn current_ledger(&self) -> Option<&'a LedgerEntry> {
        self.ledger
            .filter(|e| e.psa == self.psa && e.incident_id == self.incident.id)
    }
}

/// The per-incident result reported to the user (SPEC §6 `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Created,
    Updated,
    Status,
    Resolved,
    Unchanged,
    Skipped,
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Created,
        Outcome::Updated,
        Outcome::Status,
        Outcome::Resolved,
        Outcome::Unchanged,
        Outcome::Skipped,
        Outcome::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Status => "status",
            Outcome::Resolved => "resolved",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which ticket the plan's actions apply to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketTarget {
    /// Nothing to do in the PSA (deleting incidents).
    None,
    /// The ledger's ticket.
    Existing(i64),
    /// A new ticket (the first action is the create), unless the marker lookup finds one
    /// psa-link made earlier: that one is adopted and reconciled instead.
    New,
    /// Act only on a ticket found by its marker (incidents first seen finished during a
    /// sync; `incident resolve` without a ledger entry, where `required`).
    Adopt { required: bool },
}

/// A ticket to create, with the names behind its ids for `--dry-run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTicket {
    pub ticket: NewTicket,
    pub company_name: String,
    pub routing_name: Option<String>,
    pub status_name: Option<String>,
    pub priority_name: Option<String>,
}

/// A status and/or priority change in one request, with the names behind its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateTicket {
    pub change: TicketChange,
    pub status_name: Option<String>,
    pub priority_name: Option<String>,
}

/// One request that changes something in the PSA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create(Box<CreateTicket>),
    Update(UpdateTicket),
    /// A private note (never emailed); `resolution` marks the note that closes the loop.
    Note(Note),
}

impl Action {
    /// Method-neutral text for `--dry-run`: what would change, on which ticket (`None`:
    /// the ticket this plan creates).
    pub fn describe(&self, ticket: Option<i64>) -> String {
        let on = match ticket {
            Some(id) => format!("ticket #{id}"),
            None => "the new ticket".to_string(),
        };
        match self {
            Action::Create(c) => {
                let t = &c.ticket;
                let mut text = format!(
                    "create ticket \"{}\" under {} (#{})",
                    t.title, c.company_name, t.company_id
                );
                if let Some(id) = &t.routing_id {
                    text.push_str(&format!(", in {}", labelled(c.routing_name.as_deref(), id)));
                }
                if let Some(id) = &t.status_id {
                    text.push_str(&format!(
                        ", status {}",
                        labelled(c.status_name.as_deref(), id)
                    ));
                }
                if let Some(id) = &t.priority_id {
                    text.push_str(&format!(
                        ", priority {}",
                        labelled(c.priority_name.as_deref(), id)
                    ));
                }
                text.push_str(&format!(", marker {}", t.marker));
                text
            }
            Action::Update(u) => {
                let mut parts = Vec::new();
                if let Some(id) = &u.change.status_id {
                    parts.push(format!(
                        "status → {}",
                        labelled(u.status_name.as_deref(), id)
                    ));
                }
                if let Some(id) = &u.change.priority_id {
                    parts.push(format!(
                        "priority → {}",
                        labelled(u.priority_name.as_deref(), id)
                    ));
                }
                format!("update {on}: {}", parts.join(", "))
            }
            Action::Note(note) => {
                let kind = if note.resolution {
                    "private resolution note"
                } else {
                    "private note"
                };
                format!("add a {kind} to {on}: \"{}\"", first_line(&note.text, 100))
            }
        }
    }
}

fn labelled(name: Option<&str>, id: &str) -> String {
    match name {
        Some(name) if name != id => format!("\"{name}\" (#{id})"),
        _ => format!("#{id}"),
    }
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    let more = text.lines().nth(1).is_some();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max - 1).collect();
        format!("{cut}…")
    } else if more {
        format!("{line} …")
    } else {
        line.to_string()
    }
}

/// What to do for one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub incident_id: i64,
    pub organization_id: i64,
    /// The incident's marker (`psa-link:huntress:<id>`).
    pub marker: String,
    pub ticket: TicketTarget,
    /// In order; empty when nothing needs to change.
    pub actions: Vec<Action>,
    /// What the run reports for this incident when every action succeeds.
    pub outcome: Outcome,
    /// Problems that did not stop the plan (a missing status or priority map entry).
    pub warnings: Vec<String>,
    /// The earliest moment the incident is known to exist: tickets for it cannot be
    /// older, so a marker scan can stop there.
    pub incident_since: Option<OffsetDateTime>,
    /// The ticket type / board / queue psa-link files into.
    pub routing_id: Option<String>,
    /// The ledger entry after every action succeeded (`ticket_id` and `pushed_at` are
    /// filled in by [`Plan::ledger_entry`]).
    record: Option<LedgerEntry>,
    /// For a new ticket, the ledger entry to write after each action (parallel to
    /// `actions`; `None`: nothing new to record): first what the create made, then what
    /// each follow-up made of it. For an existing ticket being closed, the entry after its
    /// resolution note. A run stopped in between leaves the ledger saying what the ticket
    /// really is, and the next run sends what is missing: never a second create, the
    /// how-to-map note or the resolution note again.
    progress: Vec<Option<LedgerEntry>>,
}

impl Plan {
    /// The human lines of `--dry-run`, one per request that would change something.
    pub fn describe(&self) -> Vec<String> {
        let ticket = match self.ticket {
            TicketTarget::Existing(id) => Some(id),
            _ => None,
        };
        let mut lines: Vec<String> = self.actions.iter().map(|a| a.describe(ticket)).collect();
        if let Some(first) = lines.first_mut()
            && self.ticket == TicketTarget::New
        {
            first.push_str(&format!(
                " (unless a ticket marked {} already exists: it is adopted instead)",
                self.marker
            ));
        }
        // A sync's finished-before-seen incidents expect no request: no line for them.
        if self.ticket == (TicketTarget::Adopt { required: true }) {
            lines.push(format!(
                "the ticket marked {} (looked up by its marker): a private resolution note, then the `resolved` status",
                self.marker
            ));
        }
        lines
    }

    /// Whether the plan needs the marker lookup (no ledger entry).
    pub fn needs_marker_lookup(&self) -> bool {
        matches!(self.ticket, TicketTarget::New | TicketTarget::Adopt { .. })
    }

    /// The ledger entry to record after every action succeeded, if anything changed.
    pub fn ledger_entry(&self, ticket_id: i64, pushed_at: &str) -> Option<LedgerEntry> {
        self.record.as_ref().map(|e| stamp(e, ticket_id, pushed_at))
    }

    /// The ledger entry to record right after the create succeeded.
    pub fn created_entry(&self, ticket_id: i64, pushed_at: &str) -> Option<LedgerEntry> {
        self.entry_after(0, ticket_id, pushed_at)
    }

    /// The ledger entry to record once `actions[index]` succeeded, if one is owed before
    /// the plan's end (a new ticket's steps; an existing ticket's resolution note).
    pub fn entry_after(
        &self,
        index: usize,
        ticket_id: i64,
        pushed_at: &str,
    ) -> Option<LedgerEntry> {
        self.progress
            .get(index)
            .and_then(Option::as_ref)
            .map(|e| stamp(e, ticket_id, pushed_at))
    }

    /// The create action, if the plan makes a ticket.
    pub fn create(&self) -> Option<&CreateTicket> {
        self.actions.iter().find_map(|a| match a {
            Action::Create(c) => Some(c.as_ref()),
            _ => None,
        })
    }

    /// The actions after the create (all of them for an existing ticket).
    pub fn follow_ups(&self) -> impl Iterator<Item = &Action> {
        self.actions
            .iter()
            .filter(|a| !matches!(a, Action::Create(_)))
    }
}

fn stamp(entry: &LedgerEntry, ticket_id: i64, pushed_at: &str) -> LedgerEntry {
    LedgerEntry {
        ticket_id,
        pushed_at: pushed_at.to_string(),
        ..entry.clone()
    }
}

/// Why no plan could be made. Each carries its exit code and the fix to print.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "organization \"{organization_name}\" ({organization_id}) is not mapped to a PSA company and --strict refuses the default company"
    )]
    Unmapped {
        organization_id: i64,
        organization_name: String,
    },
    #[error(
        "organization \"{organization_name}\" ({organization_id}) is not mapped to a PSA company and the integration has no default company"
    )]
    NoDefaultCompany {
        organization_id: i64,
        organization_name: String,
    },
    #[error(
        "the `{event}` status map is missing: the ticket of incident {incident_id} cannot be moved to it"
    )]
    MissingStatus {
        event: LifecycleEvent,
        incident_id: i64,
    },
    #[error("no PSA integration is configured")]
    NoIntegration,
}

impl PlanError {
    pub fn exit(&self) -> Exit {
        match self {
            PlanError::Unmapped { .. } | PlanError::NoDefaultCompany { .. } => {
                Exit::MappingIncomplete
            }
            PlanError::MissingStatus { .. } | PlanError::NoIntegration => Exit::Config,
        }
    }

    pub fn fix(&self) -> String {
        match self {
            PlanError::Unmapped {
                organization_id, ..
            }
            | PlanError::NoDefaultCompany {
                organization_id, ..
            } => format!(
                "map it: psa-link map manual {organization_id} <company>, or psa-link map auto --filter unmapped{}",
                if matches!(self, PlanError::NoDefaultCompany { .. }) {
                    "; or give the integration a default company (integration add ... --replace)"
                } else {
                    ""
                }
            ),
            PlanError::MissingStatus { event, .. } => format!(
                "map it: psa-link status-map set {event} <STATUS> (psa-link status-map list shows the PSA's statuses)"
            ),
            PlanError::NoIntegration => "configure one: psa-link integration add <psa>".into(),
        }
    }
}

impl From<PlanError> for Failure {
    fn from(e: PlanError) -> Failure {
        let fix = e.fix();
        Failure::new(e.exit(), e.to_string()).with_fix(fix)
    }
}

/// The lifecycle state the ticket should be in; `None` for incidents being deleted.
pub fn desired_event(incident: &Incident, options: PlanOptions) -> Option<LifecycleEvent> {
    if options.manual_resolve.is_some() {
        return Some(LifecycleEvent::Resolved);
    }
    match incident.status {
        IncidentStatus::Deleting => None,
        IncidentStatus::Closed => Some(LifecycleEvent::Resolved),
        IncidentStatus::Dismissed | IncidentStatus::PartnerDismissed => {
            Some(LifecycleEvent::Dismissed)
        }
        // Unknown statuses count as open: a ticket too many beats a missed incident.
        _ => Some(open_event(incident.remediation_state())),
    }
}

fn open_event(remediation: RemediationState) -> LifecycleEvent {
    match remediation {
        RemediationState::Approved => LifecycleEvent::RemediationApproved,
        RemediationState::Rejected => LifecycleEvent::RemediationRejected,
        RemediationState::None | RemediationState::Pending => LifecycleEvent::Created,
    }
}

fn is_finished(status: &IncidentStatus) -> bool {
    matches!(
        status,
        IncidentStatus::Closed | IncidentStatus::Dismissed | IncidentStatus::PartnerDismissed
    )
}

/// The status mapped for an event; `dismissed` defaults to `resolved`'s status.
fn status_of(config: &Config, event: LifecycleEvent) -> Option<&Named> {
    config.status_map.get(&event).or_else(|| {
        (event == LifecycleEvent::Dismissed)
            .then(|| config.status_map.get(&LifecycleEvent::Resolved))
            .flatten()
    })
}

/// The status closing the ticket; a missing one is an error the command surfaces (SPEC §7:
/// "the `resolved` status map is missing").
fn closing_status(input: &PlanInput<'_>, event: LifecycleEvent) -> Result<Named, PlanError> {
    status_of(input.config, event)
        .cloned()
        .ok_or(PlanError::MissingStatus {
            event: LifecycleEvent::Resolved,
            incident_id: input.incident.id,
        })
}

/// Plans one incident.
pub fn plan(input: &PlanInput<'_>) -> Result<Plan, PlanError> {
    let incident = input.incident;
    let plan = Plan {
        incident_id: incident.id,
        organization_id: incident.organization_id,
        marker: incident_marker(input.source, incident.id),
        ticket: TicketTarget::None,
        actions: Vec::new(),
        outcome: Outcome::Skipped,
        warnings: Vec::new(),
        incident_since: incident_since(incident),
        routing_id: input
            .config
            .integration
            .as_ref()
            .and_then(|i| i.routing.as_ref())
            .map(|r| r.id.clone()),
        record: None,
        progress: Vec::new(),
    };
    let Some(desired) = desired_event(incident, input.options) else {
        return Ok(plan); // deleting: nothing, not even a note
    };
    match input.current_ledger() {
        Some(entry) => plan_existing(input, entry, desired, plan),
        None => plan_new(input, desired, plan),
    }
}

fn incident_since(incident: &Incident) -> Option<OffsetDateTime> {
    [&incident.created_at, &incident.sent_at]
        .into_iter()
        .filter_map(|t| t.as_deref().and_then(super::cursor::parse_time))
        .min()
}

/// Where a new ticket goes.
struct Placement {
    company: CompanyRef,
    unmapped: bool,
}

fn place(input: &PlanInput<'_>) -> Result<Placement, PlanError> {
    if let Some(mapping) = input.mapping {
        return Ok(Placement {
            company: mapping.company.clone(),
            unmapped: false,
        });
    }
    let organization_name = input.organization();
    if input.options.strict {
        return Err(PlanError::Unmapped {
            organization_id: input.incident.organization_id,
            organization_name,
        });
    }
    let integration = input
        .config
        .integration
        .as_ref()
        .ok_or(PlanError::NoIntegration)?;
    match &integration.default_company {
        Some(company) => Ok(Placement {
            company: company.clone(),
            unmapped: true,
        }),
        None => Err(PlanError::NoDefaultCompany {
            organization_id: input.incident.organization_id,
            organization_name,
        }),
    }
}

fn plan_new(
    input: &PlanInput<'_>,
    desired: LifecycleEvent,
    mut plan: Plan,
) -> Result<Plan, PlanError> {
    if input.options.manual_resolve.is_some() {
        plan.ticket = TicketTarget::Adopt { required: true };
        return Ok(plan);
    }
    let finished = desired.is_terminal();
    let history = match input.options.first_seen_finished {
        _ if input.ticket_owed => false,
        FirstSeenFinished::Skip => true,
        FirstSeenFinished::CreateClosed => false,
        // No time to tell: history (a ticket too few beats a flood of closed ones).
        FirstSeenFinished::CreateClosedIfSince(since) => {
            plan.incident_since.is_none_or(|t| t <= since)
        }
    };
    if finished && history {
        // Looked up by marker once; an earlier sync that found nothing recorded the skip.
        plan.ticket = if input.skipped_before {
            TicketTarget::None
        } else {
            TicketTarget::Adopt { required: false }
        };
        return Ok(plan);
    }
    let placement = place(input)?;
    let closing = if finished {
        Some(closing_status(input, desired)?)
    } else {
        None
    };
    let incident = input.incident;
    let config = input.config;

    // A new ticket starts in the incident's current open state (one request instead of a
    // create plus a status change); a finished incident is created open, then closed.
    let open_state = if finished {
        LifecycleEvent::Created
    } else {
        desired
    };
    let status = status_of(config, open_state)
        .or_else(|| status_of(config, LifecycleEvent::Created))
        .cloned();
    if status.is_none() {
        plan.warnings.push(
            "no status is mapped for `created`: the PSA's default status applies (psa-link status-map set created <STATUS>)".into(),
        );
    }
    let priority = config.priority_map.get(&incident.severity).cloned();
    if priority.is_none() {
        plan.warnings.push(format!(
            "no priority is mapped for {}: the PSA's default priority applies (psa-link priority-map set {} <PRIORITY>)",
            incident.severity, incident.severity
        ));
    }

    let organization = input.organization();
    plan.actions.push(create_action(
        input,
        &plan,
        &placement,
        &organization,
        status.as_ref(),
        priority.as_ref(),
    ));

    let mut notes = Vec::new();
    if placement.unmapped {
        notes.push(content::unmapped_note(
            incident.organization_id,
            &organization,
            &placement.company.name,
        ));
    }
    let created = LedgerEntry {
        incident_id: incident.id,
        organization_id: incident.organization_id,
        organization_name: input.known_organization_name().map(str::to_string),
        psa: input.psa.to_string(),
        ticket_id: 0,
        company_id: placement.company.id,
        unmapped: placement.unmapped,
        mapping_note_pending: placement.unmapped,
        resolution_noted: false,
        severity: incident.severity,
        incident_status: incident.status.clone(),
        remediation: incident.remediation_state(),
        ticket_state: open_state,
        priority_id: priority.as_ref().map(|p| p.id.clone()),
        status_id: status.as_ref().map(|s| s.id.clone()),
        source_updated_at: incident.updated_at.clone(),
        pushed_at: String::new(),
    };
    // After the note, the how-to-map note is no longer owed, and a closing run's
    // resolution note is sent: a run stopped before the close only closes next time.
    let noted = LedgerEntry {
        mapping_note_pending: false,
        resolution_noted: closing.is_some(),
        ..created.clone()
    };
    let mut progress = vec![Some(created.clone())];
    let mut done = noted.clone();
    if let Some(closing) = closing {
        // Note first, then close: some PSAs reopen a closed ticket on a new note.
        notes.push(content::resolution_note(incident, true));
        plan.actions.push(Action::Note(Note {
            text: notes.join("\n\n"),
            resolution: true,
        }));
        progress.push((noted != created).then(|| noted.clone()));
        plan.actions.push(Action::Update(UpdateTicket {
            change: TicketChange {
                status_id: Some(closing.id.clone()),
                priority_id: None,
                severity: None,
            },
            status_name: Some(closing.name.clone()),
            priority_name: None,
        }));
        done.ticket_state = desired;
        done.status_id = Some(closing.id);
        done.resolution_noted = false;
        progress.push(Some(done.clone()));
    } else if !notes.is_empty() {
        plan.actions.push(Action::Note(Note {
            text: notes.join("\n\n"),
            resolution: false,
        }));
        progress.push((noted != created).then(|| noted.clone()));
    }
    plan.ticket = TicketTarget::New;
    plan.outcome = Outcome::Created;
    plan.progress = progress;
    plan.record = Some(done);
    Ok(plan)
}

/// The create request: title, body with the marker, company, routing, status, priority.
fn create_action(
    input: &PlanInput<'_>,
    plan: &Plan,
    placement: &Placement,
    organization: &str,
    status: Option<&Named>,
    priority: Option<&Named>,
) -> Action {
    let incident = input.incident;
    let target = content::hostname_label(incident, input.agent_hostname);
    let body = content::ticket_body(
        incident,
        &BodyContext {
            target: &target,
            organization,
            url: input.incident_url,
            marker: &plan.marker,
            unmapped_under: placement
                .unmapped
                .then_some(placement.company.name.as_str()),
        },
    );
    let title = content::ticket_title(incident.severity, &target, organization, placement.unmapped);
    let routing_name = input
        .config
        .integration
        .as_ref()
        .and_then(|i| i.routing.as_ref())
        .map(|r| r.name.clone());
    Action::Create(Box::new(CreateTicket {
        ticket: NewTicket {
            company_id: placement.company.id,
            title,
            body,
            marker: plan.marker.clone(),
            routing_id: plan.routing_id.clone(),
            status_id: status.map(|s| s.id.clone()),
            priority_id: priority.map(|p| p.id.clone()),
            severity: Some(incident.severity),
        },
        company_name: placement.company.name.clone(),
        routing_name,
        status_name: status.map(|s| s.name.clone()),
        priority_name: priority.map(|p| p.name.clone()),
    }))
}

/// The changes one run makes to an existing ticket, gathered before they become actions.
#[derive(Default)]
struct Changes {
    notes: Vec<String>,
    change: TicketChange,
    status_name: Option<String>,
    priority_name: Option<String>,
    /// The note carries the resolution (the PSA's resolution flag).
    resolution: bool,
    /// The update closes the ticket: notes go before it (some PSAs reopen a closed ticket
    /// on a new note).
    closing: bool,
    outcome: Option<Outcome>,
}

impl Changes {
    fn bump(&mut self, outcome: Outcome) {
        let rank = |o: Outcome| match o {
            Outcome::Resolved => 3,
            Outcome::Status => 2,
            Outcome::Updated => 1,
            _ => 0,
        };
        if self
            .outcome
            .is_none_or(|current| rank(outcome) > rank(current))
        {
            self.outcome = Some(outcome);
        }
    }

    /// Moves the ticket to `status` unless it is there already.
    fn set_status(&mut self, status: &Named, entry: &LedgerEntry) {
        if entry.status_id.as_deref() != Some(status.id.as_str()) {
            self.change.status_id = Some(status.id.clone());
            self.status_name = Some(status.name.clone());
        }
    }
}

fn plan_existing(
    input: &PlanInput<'_>,
    entry: &LedgerEntry,
    desired: LifecycleEvent,
    mut plan: Plan,
) -> Result<Plan, PlanError> {
    let incident = input.incident;
    let mut changes = Changes::default();

    if incident.severity != entry.severity {
        plan_severity(input, entry, &mut changes, &mut plan.warnings);
    }
    let ticket_state = plan_status(input, entry, desired, &mut changes, &mut plan.warnings)?;
    // The how-to-map note a stopped run still owes (dropped once the organization is
    // mapped: the next ticket goes to its company anyway), first in the note. Never to a
    // ticket that is closed and stays closed: a note can reopen it in some PSAs.
    let stays_closed = entry.ticket_state.is_terminal() && ticket_state.is_terminal();
    if entry.mapping_note_pending && input.mapping.is_none() && !stays_closed {
        changes.notes.insert(0, owed_mapping_note(input, entry));
        changes.bump(Outcome::Updated);
    }

    let note = (!changes.notes.is_empty()).then(|| {
        Action::Note(Note {
            text: changes.notes.join("\n\n"),
            resolution: changes.resolution,
        })
    });
    let update = (changes.change != TicketChange::default()).then(|| {
        Action::Update(UpdateTicket {
            change: changes.change.clone(),
            status_name: changes.status_name.clone(),
            priority_name: changes.priority_name.clone(),
        })
    });
    // Closing: note first (some PSAs reopen closed tickets on a new note). Otherwise the
    // status first, so a reopen note lands on an open ticket.
    let closes_after_note = changes.closing && note.is_some() && update.is_some();
    let ordered = if changes.closing {
        [note, update]
    } else {
        [update, note]
    };
    plan.actions = ordered.into_iter().flatten().collect();
    if closes_after_note && changes.resolution {
        // A run stopped between the resolution note and the close only closes next time.
        plan.progress = vec![Some(LedgerEntry {
            mapping_note_pending: false,
            resolution_noted: true,
            ..entry.clone()
        })];
    }

    let next = LedgerEntry {
        organization_id: incident.organization_id,
        // Kept once known: a name alone never makes an unchanged incident worth a write.
        organization_name: entry
            .organization_name
            .clone()
            .or_else(|| input.known_organization_name().map(str::to_string)),
        severity: incident.severity,
        incident_status: incident.status.clone(),
        remediation: incident.remediation_state(),
        ticket_state,
        priority_id: changes
            .change
            .priority_id
            .clone()
            .or_else(|| entry.priority_id.clone()),
        status_id: changes
            .change
            .status_id
            .clone()
            .or_else(|| entry.status_id.clone()),
        source_updated_at: incident
            .updated_at
            .clone()
            .or_else(|| entry.source_updated_at.clone()),
        mapping_note_pending: false,
        resolution_noted: false,
        ..entry.clone()
    };
    plan.record = (next != *entry).then_some(next);
    plan.ticket = TicketTarget::Existing(entry.ticket_id);
    plan.outcome = if plan.actions.is_empty() {
        Outcome::Unchanged
    } else {
        changes.outcome.unwrap_or(Outcome::Updated)
    };
    Ok(plan)
}

fn owed_mapping_note(input: &PlanInput<'_>, entry: &LedgerEntry) -> String {
    let company = input
        .config
        .integration
        .as_ref()
        .and_then(|i| i.default_company.as_ref())
        .filter(|c| c.id == entry.company_id)
        .map_or_else(
            || format!("company #{}", entry.company_id),
            |c| c.name.clone(),
        );
    content::unmapped_note(
        input.incident.organization_id,
        &input.organization(),
        &company,
    )
}

fn plan_severity(
    input: &PlanInput<'_>,
    entry: &LedgerEntry,
    changes: &mut Changes,
    warnings: &mut Vec<String>,
) {
    let severity = input.incident.severity;
    let priority = input.config.priority_map.get(&severity);
    changes.notes.push(content::severity_note(
        entry.severity,
        severity,
        priority.map(|p| p.name.as_str()),
    ));
    match priority {
        Some(p) if entry.priority_id.as_deref() != Some(p.id.as_str()) => {
            changes.change.priority_id = Some(p.id.clone());
            changes.change.severity = Some(input.incident.severity);
            changes.priority_name = Some(p.name.clone());
        }
        Some(_) => {}
        None => warnings.push(format!(
            "no priority is mapped for {severity}: the ticket's priority was left as is (psa-link priority-map set {severity} <PRIORITY>)"
        )),
    }
    changes.bump(Outcome::Updated);
}

/// Decides the status change and its note; returns the ticket's lifecycle state after the
/// run.
fn plan_status(
    input: &PlanInput<'_>,
    entry: &LedgerEntry,
    desired: LifecycleEvent,
    changes: &mut Changes,
    warnings: &mut Vec<String>,
) -> Result<LifecycleEvent, PlanError> {
    let incident = input.incident;
    let config = input.config;
    let ticket_closed = entry.ticket_state.is_terminal();

    if let Some(manual) = input.options.manual_resolve {
        if ticket_closed {
            return Ok(entry.ticket_state);
        }
        let closing = closing_status(input, LifecycleEvent::Resolved)?;
        changes.set_status(&closing, entry);
        changes.closing = true;
        if !entry.resolution_noted {
            changes
                .notes
                .push(content::manual_resolution_note(incident, manual.in_source));
            changes.resolution = true;
        }
        changes.bump(Outcome::Resolved);
        return Ok(LifecycleEvent::Resolved);
    }

    if desired.is_terminal() {
        if desired == entry.ticket_state {
            return Ok(desired);
        }
        let closing = closing_status(input, desired)?;
        if ticket_closed {
            // Closed <-> dismissed: only worth a request when the statuses differ.
            if entry.status_id.as_deref() != Some(closing.id.as_str()) {
                changes.set_status(&closing, entry);
                changes.notes.push(content::terminal_change_note(incident));
                changes.bump(Outcome::Status);
            }
        } else {
            changes.set_status(&closing, entry);
            changes.closing = true;
            // Sent already by a run that stopped before the close.
            if !entry.resolution_noted {
                changes
                    .notes
                    .push(content::resolution_note(incident, false));
                changes.resolution = true;
            }
            changes.bump(Outcome::Resolved);
        }
        return Ok(desired);
    }

    if ticket_closed {
        if !is_finished(&entry.incident_status) {
            // Closed by a person (`incident resolve`) while the incident stays open in
            // Huntress: their decision stands.
            return Ok(entry.ticket_state);
        }
        // Reopened in the source.
        match status_of(config, desired).or_else(|| status_of(config, LifecycleEvent::Created)) {
            Some(status) => changes.set_status(status, entry),
            None => warnings.push(
                "no status is mapped for `created`: the reopened incident's ticket stays closed (psa-link status-map set created <STATUS>)".into(),
            ),
        }
        changes.notes.push(content::reopen_note(incident));
        changes.bump(Outcome::Status);
        return Ok(desired);
    }

    if desired == entry.ticket_state {
        return Ok(desired);
    }
    // Open to open: remediation approved, rejected, or awaiting approval again.
    match status_of(config, desired) {
        Some(status) => changes.set_status(status, entry),
        None => warnings.push(format!(
            "no status is mapped for `{desired}`: only a note was added (psa-link status-map set {desired} <STATUS>)"
        )),
    }
    changes.notes.push(match desired {
        LifecycleEvent::RemediationApproved => content::remediation_note(incident, true),
        LifecycleEvent::RemediationRejected => content::remediation_note(incident, false),
        _ => content::remediation_pending_note(incident),
    });
    changes.bump(Outcome::Status);
    Ok(desired)
}

/// The ledger entry implied by a ticket psa-link made earlier but has no record of (found
/// by its marker): its status and priority are read back through the maps, so the plan
/// made from it only sends what the ticket lacks.
pub fn adopted_entry(input: &PlanInput<'_>, ticket: &Ticket) -> LedgerEntry {
    let incident = input.incident;
    let config = input.config;
    let desired = desired_event(incident, input.options).unwrap_or(LifecycleEvent::Created);
    let shown_by = |event: LifecycleEvent| {
        ticket.status_id.is_some()
            && status_of(config, event).map(|s| &s.id) == ticket.status_id.as_ref()
    };
    let ticket_state = if shown_by(desired) {
        desired
    } else if let Some(event) = LifecycleEvent::ALL
        .into_iter()
        .find(|e| shown_by(*e) && e.is_terminal() == ticket.closed)
    {
        event
    } else if ticket.closed {
        LifecycleEvent::Resolved
    } else {
        LifecycleEvent::Created
    };
    let severity = if ticket.priority_id.is_none()
        || config.priority_map.get(&incident.severity).map(|p| &p.id) == ticket.priority_id.as_ref()
    {
        incident.severity
    } else {
        config
            .priority_map
            .iter()
            .find(|(_, p)| Some(&p.id) == ticket.priority_id.as_ref())
            .map(|(s, _)| *s)
            .unwrap_or(incident.severity)
    };
    // A closed ticket for an open incident: the incident was reopened.
    let incident_status = if ticket_state.is_terminal() && !is_finished(&incident.status) {
        IncidentStatus::Closed
    } else {
        incident.status.clone()
    };
    let company_id = ticket
        .company_id
        .or_else(|| input.mapping.map(|m| m.company.id))
        .unwrap_or_default();
    LedgerEntry {
        incident_id: incident.id,
        organization_id: incident.organization_id,
        organization_name: input.known_organization_name().map(str::to_string),
        psa: input.psa.to_string(),
        ticket_id: ticket.id,
        company_id,
        unmapped: input.mapping.is_none(),
        // The note follows the create at once, so a ticket found with no ledger record had
        // it sent (the ledger was lost) — unless the ledger says the incident is owed a
        // ticket: then the create's answer was lost and nothing after it went out. Only an
        // open ticket gets it (a note can reopen a closed one in some PSAs).
        mapping_note_pending: input.mapping.is_none() && input.ticket_owed && !ticket.closed,
        resolution_noted: false,
        severity,
        incident_status,
        remediation: incident.remediation_state(),
        ticket_state,
        priority_id: ticket.priority_id.clone(),
        status_id: ticket.status_id.clone(),
        source_updated_at: None,
        pushed_at: String::new(),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
