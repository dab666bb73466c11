//! The executor: carries plans out against a [`Psa`] and records each ticket in the ledger
//! as soon as its actions succeed. No terminal I/O; the command layer prints the results.
//!
//! No duplicate tickets: before any create, the incidents of a run that have no ledger
//! entry are looked up by marker in **one** `find_marked` call; a ticket found is adopted
//! (read back, then reconciled) instead of created again. A create whose answer was lost
//! is never retried in the same run: the next run finds its marker.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::cursor::format_time;
use super::plan::{Action, Outcome, Plan, PlanError, PlanInput, TicketTarget, adopted_entry, plan};
use crate::error::Exit;
use crate::http::{ApiError, ApiErrorKind};
use crate::psa::{MarkerSearch, Psa, incident_marker};
use crate::store::{LedgerEntry, LedgerWriter};

/// Where the executor records tickets (the store's ledger; a `Vec` in tests).
pub trait LedgerSink {
    fn record(&mut self, entry: &LedgerEntry) -> anyhow::Result<()>;

    /// A sync skipped this incident (finished before psa-link saw it, no ticket under its
    /// marker): remembered so later polls do not look its marker up again.
    fn skipped(&mut self, _psa: &str, _incident_id: i64) -> anyhow::Result<()> {
        Ok(())
    }

    /// This incident wanted a ticket and did not get one (a failed create or plan, or a
    /// batch halted before it): remembered so a later sync still makes it, even once the
    /// incident has finished and the cursor has moved past it.
    fn owed(&mut self, _psa: &str, _incident_id: i64) -> anyhow::Result<()> {
        Ok(())
    }
}

impl LedgerSink for Vec<LedgerEntry> {
    fn record(&mut self, entry: &LedgerEntry) -> anyhow::Result<()> {
        self.push(entry.clone());
        Ok(())
    }
}

/// The store's ledger, locked for the run: each record is appended and synced to disk
/// before the next request is sent.
impl LedgerSink for LedgerWriter {
    fn record(&mut self, entry: &LedgerEntry) -> anyhow::Result<()> {
        Ok(LedgerWriter::record(self, entry)?)
    }

    fn skipped(&mut self, psa: &str, incident_id: i64) -> anyhow::Result<()> {
        Ok(LedgerWriter::record_skipped(self, psa, incident_id)?)
    }

    fn owed(&mut self, psa: &str, incident_id: i64) -> anyhow::Result<()> {
        Ok(LedgerWriter::record_owed(self, psa, incident_id)?)
    }
}

/// A plan carried out.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub action: Outcome,
    pub ticket_id: Option<i64>,
    /// The ticket was found by its marker (lost ledger, or a create whose answer was lost).
    pub adopted: bool,
    pub warnings: Vec<String>,
}

/// Why a plan could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("{error}")]
    Api {
        error: ApiError,
        /// The ticket concerned, when it exists (a follow-up after the create failed).
        ticket_id: Option<i64>,
        /// A create whose answer was lost (timeout, connection, 5xx, unreadable answer):
        /// the ticket may exist. Never retried in this run.
        create_unconfirmed: bool,
        marker: String,
    },
    #[error("recording incident {incident_id} in the ledger: {error:#}")]
    Ledger {
        incident_id: i64,
        ticket_id: Option<i64>,
        error: anyhow::Error,
    },
    #[error(
        "incident {incident_id} has no ticket in the PSA (no ledger entry, and no ticket is marked {marker})"
    )]
    NoTicket { incident_id: i64, marker: String },
    #[error("incident {incident_id}: a create was already sent in this run; not sending another")]
    CreateAlreadySent { incident_id: i64, marker: String },
}

impl ApplyError {
    fn api(error: ApiError, ticket_id: Option<i64>, marker: &str) -> ApplyError {
        ApplyError::Api {
            error,
            ticket_id,
            create_unconfirmed: false,
            marker: marker.to_string(),
        }
    }

    pub fn exit(&self) -> Exit {
        match self {
            ApplyError::Plan(e) => e.exit(),
            ApplyError::Api { error, .. } => error.exit(),
            ApplyError::Ledger { .. } | ApplyError::CreateAlreadySent { .. } => Exit::Unexpected,
            ApplyError::NoTicket { .. } => Exit::Usage,
        }
    }

    pub fn fix(&self) -> Option<String> {
        match self {
            ApplyError::Plan(e) => Some(e.fix()),
            ApplyError::Api {
                create_unconfirmed: true,
                marker,
                error,
                ..
            } => Some(format!(
                "the ticket may have been created; the next run looks for a ticket with its marker ({marker}) before creating, so it will not be duplicated{}",
                error
                    .fix
                    .as_deref()
                    .map(|f| format!(" ({f})"))
                    .unwrap_or_default()
            )),
            ApplyError::Api { error, .. } => error.fix.clone(),
            ApplyError::Ledger { .. } => Some(
                "the ticket exists in the PSA; the next run finds it by its marker and records it"
                    .into(),
            ),
            ApplyError::NoTicket { incident_id, .. } => Some(format!(
                "push it first: psa-link incident push {incident_id}"
            )),
            ApplyError::CreateAlreadySent { .. } => None,
        }
    }

    pub fn ticket_id(&self) -> Option<i64> {
        match self {
            ApplyError::Api { ticket_id, .. } | ApplyError::Ledger { ticket_id, .. } => *ticket_id,
            _ => None,
        }
    }

    /// Failures that would repeat for every other incident of the run (credentials,
    /// rate-limit budget, network down, ledger not writable): the rest is not attempted.
    pub fn stops_batch(&self) -> bool {
        match self {
            ApplyError::Api { error, .. } => matches!(
                error.kind,
                ApiErrorKind::Auth | ApiErrorKind::RateLimited | ApiErrorKind::Network
            ),
            ApplyError::Ledger { .. } => true,
            _ => false,
        }
    }
}

/// A create whose answer was lost may have created the ticket.
fn create_may_have_happened(error: &ApiError) -> bool {
    matches!(
        error.kind,
        ApiErrorKind::Timeout | ApiErrorKind::Network | ApiErrorKind::Protocol
    ) || error.status.is_some_and(|s| s >= 500)
}

/// One incident's line in `incident push|sync|resolve --json` (SPEC §6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentResult {
    pub incident_id: i64,
    /// Null when the incident could not be read from the source.
    pub organization_id: Option<i64>,
    pub action: Outcome,
    pub ticket_id: Option<i64>,
    pub error: Option<String>,
    /// The ticket was found by its marker rather than the ledger. Always present, like
    /// `fix` and `warnings`, so scripts can rely on each result's shape.
    pub adopted: bool,
    /// What to do about the error.
    pub fix: Option<String>,
    pub warnings: Vec<String>,
    /// The exit code this failure calls for.
    #[serde(skip)]
    pub exit: Option<Exit>,
}

impl IncidentResult {
    /// A plan carried out.
    pub fn done(plan: &Plan, applied: Applied) -> IncidentResult {
        IncidentResult {
            incident_id: plan.incident_id,
            organization_id: Some(plan.organization_id),
            action: applied.action,
            ticket_id: applied.ticket_id,
            error: None,
            adopted: applied.adopted,
            fix: None,
            warnings: applied.warnings,
            exit: None,
        }
    }

    /// What `--dry-run` reports for a plan: the outcome a real run would have.
    pub fn planned(plan: &Plan) -> IncidentResult {
        let ticket_id = match plan.ticket {
            TicketTarget::Existing(id) => Some(id),
            _ => None,
        };
        IncidentResult::done(
            plan,
            Applied {
                action: plan.outcome,
                ticket_id,
                adopted: false,
                warnings: plan.warnings.clone(),
            },
        )
    }

    /// An incident that failed, with the exit code and fix its error calls for.
    pub fn failed(input: &PlanInput<'_>, error: &ApplyError) -> IncidentResult {
        IncidentResult {
            incident_id: input.incident.id,
            organization_id: Some(input.incident.organization_id),
            action: Outcome::Failed,
            ticket_id: error
                .ticket_id()
                .or_else(|| input.current_ledger().map(|e| e.ticket_id)),
            error: Some(error.to_string()),
            adopted: false,
            fix: error.fix(),
            warnings: Vec::new(),
            exit: Some(error.exit()),
        }
    }

    /// An incident the source has no record of: nothing was planned for it.
    pub fn unknown(incident_id: i64, error: String, fix: String, exit: Exit) -> IncidentResult {
        IncidentResult {
            incident_id,
            organization_id: None,
            action: Outcome::Failed,
            ticket_id: None,
            error: Some(error),
            adopted: false,
            fix: Some(fix),
            warnings: Vec::new(),
            exit: Some(exit),
        }
    }

    fn not_attempted(input: &PlanInput<'_>, reason: &str) -> IncidentResult {
        IncidentResult {
            incident_id: input.incident.id,
            organization_id: Some(input.incident.organization_id),
            action: Outcome::Failed,
            ticket_id: input.current_ledger().map(|e| e.ticket_id),
            error: Some(format!("not attempted after an earlier failure: {reason}")),
            adopted: false,
            fix: None,
            warnings: Vec::new(),
            exit: None,
        }
    }

    pub fn ok(&self) -> bool {
        self.action != Outcome::Failed
    }
}

/// The whole `--json` document: results and a count per action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub results: Vec<IncidentResult>,
    pub summary: BTreeMap<&'static str, usize>,
}

impl Report {
    pub fn new(results: Vec<IncidentResult>) -> Report {
        let mut summary: BTreeMap<&'static str, usize> =
            Outcome::ALL.iter().map(|o| (o.as_str(), 0)).collect();
        for r in &results {
            *summary.entry(r.action.as_str()).or_default() += 1;
        }
        Report { results, summary }
    }

    /// The exit code of the run: the first failure's, else success.
    pub fn exit(&self) -> Exit {
        self.results
            .iter()
            .filter_map(|r| r.exit.or((!r.ok()).then_some(Exit::Unexpected)))
            .fold(Exit::Success, Exit::worst)
    }
}

/// Tickets older than the oldest incident cannot be its ticket; the margin covers PSAs
/// that record local time or whose clock drifts.
const MARKER_SEARCH_MARGIN: Duration = Duration::days(1);

/// Carries out the plans of one run against one PSA.
pub struct Executor<'a> {
    psa: &'a dyn Psa,
    ledger: &'a mut dyn LedgerSink,
    /// Marker -> ticket, from the lookups and this run's creates.
    marked: HashMap<String, i64>,
    /// Markers already looked up (found or not).
    searched: HashSet<String>,
    /// Markers a create was sent for: never a second one in this run.
    creates_sent: HashSet<String>,
}

impl<'a> Executor<'a> {
    pub fn new(psa: &'a dyn Psa, ledger: &'a mut dyn LedgerSink) -> Executor<'a> {
        Executor {
            psa,
            ledger,
            marked: HashMap::new(),
            searched: HashSet::new(),
            creates_sent: HashSet::new(),
        }
    }

    /// Looks up, in one `find_marked` call, every plan's marker that has no ledger entry
    /// and was not looked up yet. Returns how many tickets were found.
    pub fn look_up_markers<'p>(
        &mut self,
        plans: impl IntoIterator<Item = &'p Plan>,
    ) -> Result<usize, ApiError> {
        let wanted: Vec<&Plan> = plans
            .into_iter()
            .filter(|p| p.needs_marker_lookup() && !self.searched.contains(&p.marker))
            .collect();
        if wanted.is_empty() {
            return Ok(0);
        }
        let markers: Vec<String> = wanted.iter().map(|p| p.marker.clone()).collect();
        let created_since = wanted
            .iter()
            .map(|p| p.incident_since)
            .collect::<Option<Vec<_>>>()
            .and_then(|times| times.into_iter().min())
            .map(|t| t - MARKER_SEARCH_MARGIN);
        let found = self.psa.find_marked(&MarkerSearch {
            markers: &markers,
            created_since,
            routing_id: wanted.iter().find_map(|p| p.routing_id.as_deref()),
        })?;
        let wanted_set: HashSet<&String> = markers.iter().collect();
        let mut count = 0;
        for (marker, ticket) in found {
            if wanted_set.contains(&marker) {
                self.marked.insert(marker, ticket);
                count += 1;
            }
        }
        self.searched.extend(markers);
        Ok(count)
    }

    /// Carries out one plan made from `input`.
    pub fn apply(&mut self, input: &PlanInput<'_>, plan: &Plan) -> Result<Applied, ApplyError> {
        match plan.ticket {
            TicketTarget::None => Ok(Applied {
                action: plan.outcome,
                ticket_id: None,
                adopted: false,
                warnings: plan.warnings.clone(),
            }),
            TicketTarget::Existing(id) => {
                // Recorded between steps where the plan says so (after a resolution note
                // whose close has yet to be sent).
                for (index, action) in plan.actions.iter().enumerate() {
                    self.perform(id, std::iter::once(action), &plan.marker)?;
                    if let Some(entry) = plan.entry_after(index, id, &now()) {
                        self.record(&entry)?;
                    }
                }
                if let Some(entry) = plan.ledger_entry(id, &now()) {
                    self.record(&entry)?;
                }
                Ok(Applied {
                    action: plan.outcome,
                    ticket_id: Some(id),
                    adopted: false,
                    warnings: plan.warnings.clone(),
                })
            }
            TicketTarget::New | TicketTarget::Adopt { .. } => {
                if !self.searched.contains(&plan.marker) {
                    self.look_up_markers([plan])
                        .map_err(|e| ApplyError::api(e, None, &plan.marker))?;
                }
                if let Some(&id) = self.marked.get(&plan.marker) {
                    return self.adopt(input, id);
                }
                match plan.ticket {
                    TicketTarget::Adopt { required: true } => Err(ApplyError::NoTicket {
                        incident_id: plan.incident_id,
                        marker: plan.marker.clone(),
                    }),
                    TicketTarget::New => self.create(plan),
                    _ => {
                        self.ledger
                            .skipped(input.psa, plan.incident_id)
                            .map_err(|error| ApplyError::Ledger {
                                incident_id: plan.incident_id,
                                ticket_id: None,
                                error,
                            })?;
                        Ok(Applied {
                            action: plan.outcome,
                            ticket_id: None,
                            adopted: false,
                            warnings: plan.warnings.clone(),
                        })
                    }
                }
            }
        }
    }

    /// Plans every input, looks their markers up in one call, and applies each. A failure
    /// on one incident does not stop the others, unless it would repeat for all of them
    /// ([`ApplyError::stops_batch`]).
    pub fn run(&mut self, inputs: &[PlanInput<'_>]) -> Vec<IncidentResult> {
        self.run_each(inputs, |_| true)
    }

    /// [`Executor::run`], telling `each` about every incident as soon as it is done (and
    /// recorded). When `each` returns false the run stops there: the incidents after it
    /// are neither attempted nor reported (a clean stop on Ctrl-C).
    pub fn run_each(
        &mut self,
        inputs: &[PlanInput<'_>],
        mut each: impl FnMut(&IncidentResult) -> bool,
    ) -> Vec<IncidentResult> {
        let plans: Vec<Result<Plan, PlanError>> = inputs.iter().map(plan).collect();
        let lookup = self.look_up_markers(plans.iter().filter_map(|p| p.as_ref().ok()));
        let mut halted: Option<String> = None;
        let mut results = Vec::with_capacity(inputs.len());
        let mut reached = 0;
        for (input, planned) in inputs.iter().zip(plans) {
            reached += 1;
            let owes = owes_ticket(input, &planned);
            let result = match &halted {
                Some(reason) => IncidentResult::not_attempted(input, reason),
                None => self.attempt(input, planned, &lookup, &mut halted),
            };
            if owes && !result.ok() {
                // Best effort: the incident is reported failed either way, and a ledger
                // that cannot be written fails the next record loudly.
                let _ = self.ledger.owed(input.psa, input.incident.id);
            }
            let go_on = each(&result);
            results.push(result);
            if !go_on {
                break;
            }
        }
        // Incidents a stop (Ctrl-C) left unreached that wanted a ticket are owed one too:
        // the cursor does not pass them, but one that closes before the next poll must
        // still get its ticket rather than pass for history.
        for input in &inputs[reached..] {
            if owes_ticket(input, &plan(input)) {
                let _ = self.ledger.owed(input.psa, input.incident.id);
            }
        }
        results
    }

    /// Applies one planned incident for [`Executor::run_each`]; a failure that would repeat
    /// for every other incident sets `halted`.
    fn attempt(
        &mut self,
        input: &PlanInput<'_>,
        planned: Result<Plan, PlanError>,
        lookup: &Result<usize, ApiError>,
        halted: &mut Option<String>,
    ) -> IncidentResult {
        let outcome = planned.map_err(ApplyError::from).and_then(|plan| {
            if let (true, Err(e)) = (plan.needs_marker_lookup(), lookup) {
                return Err(ApplyError::api(e.clone(), None, &plan.marker));
            }
            self.apply(input, &plan)
                .map(|applied| IncidentResult::done(&plan, applied))
        });
        outcome.unwrap_or_else(|error| {
            if error.stops_batch() {
                *halted = Some(error.to_string());
            }
            IncidentResult::failed(input, &error)
        })
    }

    fn create(&mut self, plan: &Plan) -> Result<Applied, ApplyError> {
        let Some(create) = plan.create() else {
            return Ok(Applied {
                action: plan.outcome,
                ticket_id: None,
                adopted: false,
                warnings: plan.warnings.clone(),
            });
        };
        if !self.creates_sent.insert(plan.marker.clone()) {
            return Err(ApplyError::CreateAlreadySent {
                incident_id: plan.incident_id,
                marker: plan.marker.clone(),
            });
        }
        let id = self
            .psa
            .create_ticket(&create.ticket)
            .map_err(|error| ApplyError::Api {
                create_unconfirmed: create_may_have_happened(&error),
                error,
                ticket_id: None,
                marker: plan.marker.clone(),
            })?;
        self.marked.insert(plan.marker.clone(), id);
        // What the create made is recorded before the follow-ups, then what each one made
        // of it: a run stopped in between never creates twice, and the next run sends only
        // what is missing (the ledger marks the how-to-map and resolution notes as sent).
        if let Some(entry) = plan.created_entry(id, &now()) {
            self.record(&entry)?;
        }
        for (index, action) in plan.actions.iter().enumerate().skip(1) {
            self.perform(id, std::iter::once(action), &plan.marker)?;
            if let Some(entry) = plan.entry_after(index, id, &now()) {
                self.record(&entry)?;
            }
        }
        Ok(Applied {
            action: plan.outcome,
            ticket_id: Some(id),
            adopted: false,
            warnings: plan.warnings.clone(),
        })
    }

    /// Brings a ticket found by its marker up to date: read back, then planned as if the
    /// ledger had recorded what the ticket shows.
    fn adopt(&mut self, input: &PlanInput<'_>, id: i64) -> Result<Applied, ApplyError> {
        let (plan, entry) = self.reconcile(input, id)?;
        self.perform(id, plan.follow_ups(), &plan.marker)?;
        let now = now();
        let record = plan.ledger_entry(id, &now).unwrap_or(LedgerEntry {
            pushed_at: now,
            ..entry
        });
        self.record(&record)?;
        Ok(Applied {
            action: plan.outcome,
            ticket_id: Some(id),
            adopted: true,
            warnings: plan.warnings,
        })
    }

    /// The plan for a ticket found by its marker: read back, then planned as if the
    /// ledger had recorded what the ticket shows. Returns it with that implied entry.
    fn reconcile(&self, input: &PlanInput<'_>, id: i64) -> Result<(Plan, LedgerEntry), ApplyError> {
        let marker = incident_marker(input.source, input.incident.id);
        let ticket = self
            .psa
            .ticket(id)
            .map_err(|e| ApplyError::api(e, Some(id), &marker))?;
        let entry = adopted_entry(input, &ticket);
        let plan = plan(&PlanInput {
            ledger: Some(&entry),
            ..*input
        })?;
        Ok((plan, entry))
    }

    /// `--dry-run`: the plans exactly as [`Executor::run`] would carry them out. The marker
    /// lookup and the read-back of tickets it finds are made (reads only); a found ticket
    /// turns its plan into one for that ticket. Nothing is written.
    pub fn preview(&mut self, inputs: &[PlanInput<'_>]) -> Vec<Result<Plan, ApplyError>> {
        let plans: Vec<Result<Plan, PlanError>> = inputs.iter().map(plan).collect();
        let lookup = self.look_up_markers(plans.iter().filter_map(|p| p.as_ref().ok()));
        inputs
            .iter()
            .zip(plans)
            .map(|(input, planned)| {
                let plan = planned?;
                if !plan.needs_marker_lookup() {
                    return Ok(plan);
                }
                if let Err(e) = &lookup {
                    return Err(ApplyError::api(e.clone(), None, &plan.marker));
                }
                match self.marked.get(&plan.marker) {
                    Some(&id) => self.reconcile(input, id).map(|(plan, _)| plan),
                    None => Ok(plan),
                }
            })
            .collect()
    }

    fn perform<'p>(
        &self,
        id: i64,
        actions: impl Iterator<Item = &'p Action>,
        marker: &str,
    ) -> Result<(), ApplyError> {
        for action in actions {
            let sent = match action {
                Action::Update(update) => self.psa.update_ticket(id, &update.change),
                Action::Note(note) => self.psa.add_note(id, note),
                Action::Create(_) => continue,
            };
            sent.map_err(|e| ApplyError::api(e, Some(id), marker))?;
        }
        Ok(())
    }

    fn record(&mut self, entry: &LedgerEntry) -> Result<(), ApplyError> {
        self.ledger
            .record(entry)
            .map_err(|error| ApplyError::Ledger {
                incident_id: entry.incident_id,
                ticket_id: Some(entry.ticket_id),
                error,
            })
    }
}

/// Whether a failure of this incident leaves psa-link owing it a ticket: it has none, and
/// its plan would make one (or could not be made, which only happens to an incident that
/// is not history). `incident resolve` never creates, so it owes nothing.
fn owes_ticket(input: &PlanInput<'_>, planned: &Result<Plan, PlanError>) -> bool {
    input.current_ledger().is_none()
        && input.options.manual_resolve.is_none()
        && match planned {
            Ok(plan) => plan.ticket == TicketTarget::New,
            Err(_) => true,
        }
}

fn now() -> String {
    format_time(OffsetDateTime::now_utc())
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
