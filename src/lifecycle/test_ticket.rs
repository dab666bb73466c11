//! The test ticket (`integration test`, the Huntress "Send Test" button): create a
//! recognisable ticket, read it back, check it landed under the mapped company, move it to
//! the `resolved` status, read it back again, and clean it up. Each failed step carries
//! the SPEC §7 fix and the exit code it stands for. No terminal I/O: the CLI renders the
//! [`TestReport`].

use std::fmt;

use serde::Serialize;
use time::OffsetDateTime;

use super::content;
use crate::error::Exit;
use crate::http::{ApiError, ApiErrorKind};
use crate::psa::{MarkerSearch, NewTicket, Note, Psa, PsaKind, Ticket, TicketChange};
use crate::source::Severity;
use crate::store::{CompanyRef, Named};

/// The host name test tickets name in their title: obviously not a real machine.
pub const TEST_HOST: &str = "PSA-LINK-TEST";

/// The steps, in order. Their names are part of the `--json` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// Create the test ticket.
    Create,
    /// Read it back.
    Read,
    /// Check it landed under the mapped company.
    Company,
    /// Add a private resolution note and move it to the `resolved` status.
    Resolve,
    /// Read it back and check the status.
    Verify,
    /// Delete it (unless `--keep`).
    Cleanup,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Create,
        Step::Read,
        Step::Company,
        Step::Resolve,
        Step::Verify,
        Step::Cleanup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Create => "create",
            Step::Read => "read",
            Step::Company => "company",
            Step::Resolve => "resolve",
            Step::Verify => "verify",
            Step::Cleanup => "cleanup",
        }
    }

    /// What the step is doing, for a progress line.
    pub fn doing(self) -> &'static str {
        match self {
            Step::Create => "creating the test ticket",
            Step::Read => "reading the ticket back",
            Step::Company => "checking where it landed",
            Step::Resolve => "moving it to the resolved status",
            Step::Verify => "reading it back to check the status",
            Step::Cleanup => "cleaning up",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Passed,
    Failed,
    /// Left out on request (`--no-resolve`, `--keep`).
    Skipped,
    /// Not attempted because an earlier step failed.
    NotRun,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub step: Step,
    pub state: StepState,
    pub detail: String,
    /// What to do about a failure (SPEC §7).
    pub fix: Option<String>,
    /// The exit code a failure stands for.
    pub exit: Option<Exit>,
    /// Something to know about a step that passed (e.g. the ticket stays open).
    pub warning: Option<String>,
}

impl StepResult {
    fn passed(step: Step, detail: impl Into<String>) -> StepResult {
        StepResult {
            step,
            state: StepState::Passed,
            detail: detail.into(),
            fix: None,
            exit: None,
            warning: None,
        }
    }

    fn skipped(step: Step, detail: impl Into<String>) -> StepResult {
        StepResult {
            state: StepState::Skipped,
            ..StepResult::passed(step, detail)
        }
    }

    fn not_run(step: Step, detail: impl Into<String>) -> StepResult {
        StepResult {
            state: StepState::NotRun,
            ..StepResult::passed(step, detail)
        }
    }

    fn failed(step: Step, exit: Exit, detail: impl Into<String>, fix: Option<String>) -> Self {
        StepResult {
            step,
            state: StepState::Failed,
            detail: detail.into(),
            fix,
            exit: Some(exit),
            warning: None,
        }
    }

    /// A failed PSA call: its message, its fix and its exit code.
    fn api(step: Step, err: &ApiError) -> StepResult {
        StepResult::failed(step, err.exit(), err.to_string(), err.fix.clone())
    }

    /// The resolve step failed. A created ticket whose status cannot be changed — refused
    /// (403) or unchanged on re-read — is one SPEC §7 diagnosis, a failed close-loop check
    /// (exit 7); refused credentials, the network and the rest keep their own codes.
    fn close_loop(err: &ApiError) -> StepResult {
        let exit = if matches!(
            err.kind,
            ApiErrorKind::NotApplied | ApiErrorKind::Permission
        ) {
            Exit::CheckFailed
        } else {
            err.exit()
        };
        StepResult::failed(Step::Resolve, exit, err.to_string(), err.fix.clone())
    }

    /// Nothing is wrong with this step: it passed, or was left out on request. A step not
    /// run after a failure is not ok. The report is ok exactly when every step is.
    pub fn ok(&self) -> bool {
        matches!(self.state, StepState::Passed | StepState::Skipped)
    }
}

/// An organization as the test names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
}

/// What to send and what to expect.
#[derive(Debug, Clone)]
pub struct TestPlan {
    pub kind: PsaKind,
    /// The organization the ticket stands for (`None`: nothing is mapped and none was named).
    pub organization: Option<OrgRef>,
    /// The organization's mapped company; `None` files the ticket under the default company
    /// and fails the company check, as an unmapped organization's incident would.
    pub mapped: Option<CompanyRef>,
    /// The integration's default company.
    pub default_company: Option<CompanyRef>,
    pub routing: Option<Named>,
    /// Status maps of `created` and `resolved`, priority map of `low`.
    pub created_status: Option<Named>,
    pub resolved_status: Option<Named>,
    pub priority: Option<Named>,
    /// Move the ticket to `resolved` and check it (`--no-resolve` clears it).
    pub resolve: bool,
    /// Leave the ticket in the PSA (`--keep`).
    pub keep: bool,
    pub sent_at: OffsetDateTime,
}

impl TestPlan {
    /// Where the ticket is filed: the mapped company, else the default one.
    pub fn target(&self) -> Option<&CompanyRef> {
        self.mapped.as_ref().or(self.default_company.as_ref())
    }

    /// `psa-link:test:<unix seconds>`: recognisable, and never mistaken for an incident's.
    pub fn marker(&self) -> String {
        format!("psa-link:test:{}", self.sent_at.unix_timestamp())
    }

    /// A Huntress-shaped title (PSA rules keyed on `- Incident on` still match it) whose
    /// host name says what it is.
    pub fn title(&self) -> String {
        let org = self
            .organization
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "psa-link test".into());
        content::ticket_title(Severity::Low, TEST_HOST, &org, self.mapped.is_none())
    }

    pub fn body(&self) -> String {
        let word = self.kind.company_word();
        let org = match &self.organization {
            Some(o) => format!("{} (Huntress organization {})", o.name, o.id),
            None => "none: no organization is mapped yet".into(),
        };
        let expected = match (&self.mapped, &self.default_company) {
            (Some(c), _) => format!("{} (id {}), the mapped {word}", c.name, c.id),
            (None, Some(c)) => format!("{} (id {}), the default {word}", c.name, c.id),
            (None, None) => "none".into(),
        };
        let cleanup = if self.keep {
            "It is kept (--keep)."
        } else {
            "psa-link deletes it when the test ends, where the PSA allows."
        };
        format!(
            "TEST TICKET: sent by `psa-link integration test` to check the Huntress integration with {}. No action is needed.\n\n\
             It checks that incident tickets land under the right {word} and close when the incident is resolved.\n\
             Organization: {org}\n\
             Expected {word}: {expected}\n\
             Sent: {}\n\
             {cleanup}\n\n\
             psa-link reference: {}",
            self.kind.display_name(),
            crate::lifecycle::cursor::format_time(self.sent_at),
            self.marker()
        )
    }
}

/// The outcome of a test run.
#[derive(Debug, Clone)]
pub struct TestReport {
    pub steps: Vec<StepResult>,
    pub ticket_id: Option<i64>,
    /// Where the ticket was filed, as read back (else where it was sent).
    pub company: Option<CompanyRef>,
    pub deleted: bool,
}

impl TestReport {
    /// Every step passed or was skipped on request.
    pub fn ok(&self) -> bool {
        self.steps.iter().all(StepResult::ok)
    }

    pub fn first_failure(&self) -> Option<&StepResult> {
        self.steps.iter().find(|s| s.state == StepState::Failed)
    }

    /// 0, or the code of the first failed step.
    pub fn exit(&self) -> Exit {
        self.first_failure()
            .and_then(|s| s.exit)
            .unwrap_or(Exit::Success)
    }
}

/// Runs the test against `psa`. `starting` is called before each step that talks to the
/// PSA (for a spinner).
pub fn run(psa: &dyn Psa, plan: &TestPlan, starting: &mut dyn FnMut(Step)) -> TestReport {
    let mut run = Run {
        psa,
        plan,
        steps: Vec::new(),
        ticket: None,
        read: None,
        reread: None,
        resolved: false,
        deleted: false,
    };
    run.go(starting);
    let company = run
        .read
        .as_ref()
        .and_then(|t| {
            t.company_id.map(|id| CompanyRef {
                id,
                name: t
                    .company_name
                    .clone()
                    .or_else(|| plan.target().filter(|c| c.id == id).map(|c| c.name.clone()))
                    .unwrap_or_default(),
            })
        })
        .or_else(|| plan.target().cloned());
    TestReport {
        steps: run.steps,
        ticket_id: run.ticket,
        company,
        deleted: run.deleted,
    }
}

struct Run<'a> {
    psa: &'a dyn Psa,
    plan: &'a TestPlan,
    steps: Vec<StepResult>,
    ticket: Option<i64>,
    read: Option<Ticket>,
    /// The ticket as read back by the update itself (reused by the verify step).
    reread: Option<Ticket>,
    /// The ticket was moved to the resolved status (for the cleanup's wording).
    resolved: bool,
    deleted: bool,
}

impl Run<'_> {
    fn go(&mut self, starting: &mut dyn FnMut(Step)) {
        let mut failed = None;
        for step in Step::ALL {
            let result = match failed {
                // The ticket is cleaned up whatever happened before: a failed test must
                // not leave an open test ticket behind.
                _ if step == Step::Cleanup => self.cleanup(starting),
                Some(earlier) => StepResult::not_run(step, format!("not run: {earlier} failed")),
                None if !self.plan.resolve && matches!(step, Step::Resolve | Step::Verify) => {
                    StepResult::skipped(step, "skipped (--no-resolve)")
                }
                None => {
                    if step != Step::Company {
                        starting(step);
                    }
                    self.check(step)
                }
            };
            if result.state == StepState::Failed && failed.is_none() {
                failed = Some(step);
            }
            self.steps.push(result);
        }
    }

    fn check(&mut self, step: Step) -> StepResult {
        match step {
            Step::Create => self.create(),
            Step::Read => self.read_back(),
            Step::Company => self.company(),
            Step::Resolve => self.resolve(),
            Step::Verify => self.verify(),
            Step::Cleanup => self.cleanup(&mut |_| {}),
        }
    }

    fn left_as(&self) -> &'static str {
        if self.resolved { "resolved" } else { "open" }
    }

    fn create(&mut self) -> StepResult {
        let plan = self.plan;
        let word = plan.kind.company_word();
        let Some(target) = plan.target() else {
            let who = plan
                .organization
                .as_ref()
                .map(|o| format!("organization '{}' (id {}) is not mapped", o.name, o.id))
                .unwrap_or_else(|| "no organization is mapped".into());
            return StepResult::failed(
                Step::Create,
                Exit::MappingIncomplete,
                format!(
                    "{who}, and the integration has no default {word} to file the ticket under"
                ),
                Some(format!(
                    "run `psa-link map auto --filter unmapped` (and `psa-link map manual <ORG> <COMPANY>` for the rest), or set a default {word} with `psa-link integration add {} ... --replace`",
                    plan.kind.id()
                )),
            );
        };
        let ticket = NewTicket {
            company_id: target.id,
            title: plan.title(),
            body: plan.body(),
            marker: plan.marker(),
            routing_id: plan.routing.as_ref().map(|r| r.id.clone()),
            status_id: plan.created_status.as_ref().map(|s| s.id.clone()),
            priority_id: plan.priority.as_ref().map(|p| p.id.clone()),
            severity: Some(Severity::Low),
        };
        match self.psa.create_ticket(&ticket) {
            Ok(id) => {
                self.ticket = Some(id);
                let routing = plan
                    .routing
                    .as_ref()
                    .map(|r| format!(" in {} '{}'", plan.kind.routing_word(), r.name))
                    .unwrap_or_default();
                StepResult::passed(
                    Step::Create,
                    format!(
                        "created ticket {id}{routing} for {word} {} (id {})",
                        target.name, target.id
                    ),
                )
            }
            Err(e)
                if matches!(
                    e.kind,
                    ApiErrorKind::Network | ApiErrorKind::Timeout | ApiErrorKind::ServerError
                ) =>
            {
                self.recover(&e)
            }
            Err(e) => StepResult::api(Step::Create, &e),
        }
    }

    /// The create's answer was lost: the PSA may have stored the ticket. Look for its
    /// marker, as the incident lifecycle does before any create, so it is found (and
    /// cleaned up) rather than left behind.
    fn recover(&mut self, lost: &ApiError) -> StepResult {
        let marker = self.plan.marker();
        let markers = [marker.clone()];
        let search = MarkerSearch {
            markers: &markers,
            created_since: Some(self.plan.sent_at - time::Duration::minutes(10)),
            routing_id: self.plan.routing.as_ref().map(|r| r.id.as_str()),
        };
        match self.psa.find_marked(&search) {
            Ok(found) => match found.get(&marker) {
                Some(&id) => {
                    self.ticket = Some(id);
                    StepResult::passed(
                        Step::Create,
                        format!(
                            "the answer to the create was lost ({lost}); found ticket {id} by its marker {marker}, as psa-link does before every create"
                        ),
                    )
                }
                None => StepResult::api(Step::Create, lost),
            },
            Err(_) => StepResult::api(Step::Create, lost),
        }
    }

    fn read_back(&mut self) -> StepResult {
        let Some(id) = self.ticket else {
            return StepResult::not_run(Step::Read, "not run: no ticket");
        };
        match self.psa.ticket(id) {
            Ok(t) => {
                let marker = if t.marker.as_deref() == Some(self.plan.marker().as_str()) {
                    ", marker found"
                } else {
                    ", but its psa-link marker was not found on it"
                };
                let detail = format!(
                    "read back ticket {id}: '{}', status {}{marker}",
                    t.title,
                    status_label(&t)
                );
                self.read = Some(t);
                StepResult::passed(Step::Read, detail)
            }
            Err(e) => StepResult::api(Step::Read, &e),
        }
    }

    fn company(&mut self) -> StepResult {
        let plan = self.plan;
        let word = plan.kind.company_word();
        let Some(t) = &self.read else {
            return StepResult::not_run(Step::Company, "not run: the ticket was not read back");
        };
        let landed = match (t.company_id, &t.company_name) {
            (Some(id), Some(name)) => format!("{name} (id {id})"),
            (Some(id), None) => format!("id {id}"),
            (None, _) => "no company".into(),
        };
        match &plan.mapped {
            Some(mapped) if t.company_id == Some(mapped.id) => StepResult::passed(
                Step::Company,
                format!("landed under {landed}, the mapped {word}"),
            ),
            Some(mapped) => StepResult::failed(
                Step::Company,
                Exit::CheckFailed,
                format!(
                    "landed under {landed}, not under the mapped {word} {} (id {})",
                    mapped.name, mapped.id
                ),
                Some(format!(
                    "check the pair with `psa-link map list`, and any {} rule that moves new tickets to another {word}",
                    plan.kind.display_name()
                )),
            ),
            None => {
                let who = plan
                    .organization
                    .as_ref()
                    .map(|o| format!("organization '{}' (id {}) is not mapped", o.name, o.id))
                    .unwrap_or_else(|| "no organization is mapped".into());
                StepResult::failed(
                    Step::Company,
                    Exit::CheckFailed,
                    format!(
                        "landed under {landed}, the default {word}: {who}, so Organization Mapping is incomplete"
                    ),
                    Some(
                        "run `psa-link map auto --filter unmapped`, pair what is left with `psa-link map manual <ORG> <COMPANY>`, then re-run the test"
                            .into(),
                    ),
                )
            }
        }
    }

    fn resolve(&mut self) -> StepResult {
        let Some(id) = self.ticket else {
            return StepResult::not_run(Step::Resolve, "not run: no ticket");
        };
        let Some(status) = &self.plan.resolved_status else {
            return StepResult::failed(
                Step::Resolve,
                Exit::CheckFailed,
                "no status is mapped for `resolved`: resolved incidents would leave their tickets open",
                Some(format!(
                    "set one with `psa-link status-map set resolved <STATUS>` (a closing status of the {}; `psa-link status-map list` shows the map)",
                    self.plan.kind.routing_word()
                )),
            );
        };
        let note = Note {
            text: "psa-link integration test: resolving the test ticket (close-loop check).\nNo action is needed."
                .into(),
            resolution: true,
        };
        if let Err(e) = self.psa.add_note(id, &note) {
            return StepResult::close_loop(&e);
        }
        let change = TicketChange {
            status_id: Some(status.id.clone()),
            priority_id: None,
            severity: None,
        };
        match self.psa.update_and_read(id, &change) {
            Ok(reread) => {
                self.reread = reread;
                self.resolved = true;
                StepResult::passed(
                    Step::Resolve,
                    format!(
                        "private resolution note added; status set to '{}' (id {})",
                        status.name, status.id
                    ),
                )
            }
            Err(e) => StepResult::close_loop(&e),
        }
    }

    fn verify(&mut self) -> StepResult {
        let (Some(id), Some(status)) = (self.ticket, &self.plan.resolved_status) else {
            return StepResult::not_run(Step::Verify, "not run: nothing to check");
        };
        // The update already read the ticket back: that answer is still current.
        let t = match self.reread.take() {
            Some(t) => t,
            None => match self.psa.ticket(id) {
                Ok(t) => t,
                Err(e) => return StepResult::api(Step::Verify, &e),
            },
        };
        if t.status_id.as_deref() == Some(status.id.as_str()) {
            if t.closed {
                return StepResult::passed(
                    Step::Verify,
                    format!(
                        "ticket {id} is in status '{}' and the PSA counts the ticket as closed",
                        status.name
                    ),
                );
            }
            // Allowed (a "Pending Closure" workflow), but resolved incidents would leave
            // their tickets open: say so without failing the test.
            let mut passed = StepResult::passed(
                Step::Verify,
                format!(
                    "ticket {id} is in status '{}' (the PSA does not count this status as closed)",
                    status.name
                ),
            );
            passed.warning = Some(format!(
                "the `resolved` status '{}' does not close the ticket: tickets of resolved incidents stay open in {} until someone closes them; map a closing status with `psa-link status-map set resolved <STATUS>` if that is not intended",
                status.name,
                self.plan.kind.display_name()
            ));
            return passed;
        }
        self.resolved = false;
        StepResult::failed(
            Step::Verify,
            Exit::CheckFailed,
            format!(
                "ticket {id} did not move to the resolution status: it is in {}, not '{}' (id {})",
                status_label(&t),
                status.name,
                status.id
            ),
            Some(format!(
                "the `resolved` status map may be wrong or not allowed on this {}: check `psa-link status-map list` and `psa-link status-map set resolved <STATUS>`; the API user may also lack the right to edit tickets not assigned to it",
                self.plan.kind.routing_word()
            )),
        )
    }

    fn cleanup(&mut self, starting: &mut dyn FnMut(Step)) -> StepResult {
        let id = match self.ticket {
            None => return StepResult::not_run(Step::Cleanup, "not run: no ticket was created"),
            Some(id) if self.plan.keep => {
                return StepResult::skipped(
                    Step::Cleanup,
                    format!("kept (--keep): ticket {id} stays, {}", self.left_as()),
                );
            }
            Some(id) => id,
        };
        starting(Step::Cleanup);
        match self.psa.delete_ticket(id) {
            Ok(true) => {
                self.deleted = true;
                StepResult::passed(Step::Cleanup, format!("deleted ticket {id}"))
            }
            Ok(false) => {
                let stays = format!(
                    "{} does not let psa-link delete tickets: ticket {id} stays, {}",
                    self.plan.kind.display_name(),
                    self.left_as()
                );
                // Not a failed check (nothing about the integration is wrong), but the
                // technician should know a test ticket is left behind.
                let mut passed = StepResult::passed(Step::Cleanup, stays.clone());
                passed.warning = Some(format!("{stays}: delete it by hand"));
                passed
            }
            Err(e) => StepResult::api(Step::Cleanup, &e),
        }
    }
}

fn status_label(t: &Ticket) -> String {
    match (&t.status_name, &t.status_id) {
        (Some(name), Some(id)) => format!("'{name}' (id {id})"),
        (Some(name), None) => format!("'{name}'"),
        (None, Some(id)) => format!("id {id}"),
        (None, None) => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(mapped: bool) -> TestPlan {
        let company = |id, name: &str| CompanyRef {
            id,
            name: name.into(),
        };
        TestPlan {
            kind: PsaKind::Halopsa,
            organization: Some(OrgRef {
                id: 101,
                name: "Able Moose Accounting".into(),
            }),
            mapped: mapped.then(|| company(13, "Able Moose Accounting")),
            default_company: Some(company(12, "Northwind MSP (Internal)")),
            routing: None,
            created_status: None,
            resolved_status: None,
            priority: None,
            resolve: true,
            keep: false,
            sent_at: OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(),
        }
    }

    #[test]
    fn the_test_ticket_is_huntress_shaped_and_says_what_it_is() {
        let p = plan(true);
        assert_eq!(
            p.title(),
            "LOW - Incident on PSA-LINK-TEST (Able Moose Accounting)"
        );
        assert_eq!(p.marker(), "psa-link:test:1700000000");
        assert_eq!(
            crate::psa::find_marker(&p.body()).as_deref(),
            Some("psa-link:test:1700000000"),
            "the body carries the marker"
        );
        assert!(p.body().contains("psa-link integration test"));
        assert_eq!(p.target().unwrap().id, 13);
        let unmapped = plan(false);
        assert!(unmapped.title().starts_with("[Unmapped] LOW - Incident on"));
        assert_eq!(unmapped.target().unwrap().id, 12, "the default company");
    }

    #[test]
    fn the_exit_code_is_the_first_failures_and_skips_are_ok() {
        let report = TestReport {
            steps: vec![
                StepResult::passed(Step::Create, ""),
                StepResult::failed(Step::Company, Exit::CheckFailed, "", None),
                StepResult::not_run(Step::Resolve, ""),
                StepResult::failed(Step::Cleanup, Exit::Network, "", None),
            ],
            ticket_id: Some(1),
            company: None,
            deleted: false,
        };
        assert!(!report.ok());
        assert_eq!(report.exit(), Exit::CheckFailed);
        assert!(StepResult::skipped(Step::Verify, "").ok());
        assert!(!StepResult::not_run(Step::Verify, "").ok());
    }
}
