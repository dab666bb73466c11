//! Local emulators of Huntress and the PSAs, faithful to `reference/`: real paths, auth,
//! envelopes, paging, error shapes, rate limits and quirks, with fault switches.

pub mod connectwise;
pub mod halopsa;
pub mod huntress;
pub mod launch;
pub mod seed;
pub mod server;

pub use server::{
    Emulator, FaultInfo, Faults, HttpRequest, HttpResponse, RunningServer, ServerOptions,
};

use crate::psa::PsaKind;

/// A ticket as a PSA emulator holds it, in PSA-neutral terms, so one test suite can
/// inspect every PSA the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatedTicket {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub title: String,
    pub body: String,
    /// Status name.
    pub status: String,
    pub closed: bool,
    /// Priority name.
    pub priority: Option<String>,
    pub notes: Vec<EmulatedNote>,
    /// The psa-link marker, wherever the PSA stores it.
    pub marker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatedNote {
    pub text: String,
    /// Hidden from the end customer (internal / private).
    pub private: bool,
    /// Would have e-mailed the end customer.
    pub emailed: bool,
}

/// What the shared integration suite, the demo and the benchmarks need from every PSA
/// emulator: how to point `integration add` at it, and a PSA-neutral view of its state.
pub trait PsaEmulator: Emulator {
    fn kind(&self) -> PsaKind;

    /// `integration add` arguments (after `integration add`) that configure psa-link
    /// against this emulator at `base_url`, using the seed's routing and default company.
    fn add_args(&self, base_url: &str) -> Vec<String>;

    /// The secret's environment variable and the emulator's accepted value.
    fn secret_env(&self) -> (&'static str, String);

    fn tickets(&self) -> Vec<EmulatedTicket>;

    fn ticket(&self, id: i64) -> Option<EmulatedTicket> {
        self.tickets().into_iter().find(|t| t.id == id)
    }

    /// Id of the first active company with exactly this name.
    fn company_id(&self, name: &str) -> Option<i64>;

    fn add_company(&self, name: &str, active: bool) -> i64;

    fn rename_company(&self, id: i64, name: &str);

    /// Inactive (Halo `inactive`, CW status inactive / `deletedFlag`, ...).
    fn set_company_active(&self, id: i64, active: bool);

    /// Deletes the company the way the PSA does (Halo: the client is gone from the API;
    /// ConnectWise: `deletedFlag` set, still listed).
    fn delete_company(&self, id: i64);

    /// Status names valid for psa-link's tickets (the seed routing's scope).
    fn status_names(&self) -> Vec<String>;

    /// Priority names valid for psa-link's tickets.
    fn priority_names(&self) -> Vec<String>;

    // --- The client's view of this PSA's API, so shared suites need no per-PSA branch ---

    /// The name psa-link's HTTP layer counts this PSA's requests under (`stats.services`).
    fn service_name(&self) -> &'static str;

    /// The method and the path (or a path suffix, after any version prefix) that create
    /// a ticket, as `--dry-run` prints them (`POST /api/Tickets`).
    fn ticket_create_request(&self) -> (&'static str, &'static str);

    /// The method that changes a ticket's status or priority.
    fn ticket_update_method(&self) -> &'static str;
}
