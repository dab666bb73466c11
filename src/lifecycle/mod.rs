//! The incident lifecycle (SPEC §3): the pure planner (incident + ledger entry + mapping +
//! config -> the requests to send), the ticket content, the executor that carries plans out
//! against a PSA and records them, and the sync cursor. No terminal I/O.

mod apply;
pub mod content;
pub mod cursor;
mod event;
#[cfg(test)]
mod fixtures;
mod plan;
pub mod test_ticket;

pub use apply::{Applied, ApplyError, Executor, IncidentResult, LedgerSink, Report};
pub use content::{hostname_label, subject_target, ticket_body, ticket_title};
pub use cursor::{Handled, next_cursor, updated_since};
pub use event::LifecycleEvent;
pub use plan::{
    Action, CreateTicket, FirstSeenFinished, ManualResolve, Outcome, Plan, PlanError, PlanInput,
    PlanOptions, TicketTarget, UpdateTicket, adopted_entry, desired_event, plan,
};
