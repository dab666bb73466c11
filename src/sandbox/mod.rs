//! Local emulators of Huntress and the PSAs, faithful to `reference/`: real paths, auth,
//! envelopes, paging, error shapes, rate limits and quirks, with fault switches.

pub mod seed;
pub mod server;

pub use server::{
    Emulator, FaultInfo, Faults, HttpRequest, HttpResponse, RunningServer, ServerOptions,
};
