//! One integration-test binary (one link step on a 2-core CI): every test spawns the real
//! `psa-link` binary, against the sandbox emulators where it needs a service.

mod common;
mod completions;
mod connectwise;
mod flags;
mod halopsa;
mod huntress;
mod incident;
mod map;
mod maps;
mod prompts;
mod sandbox;
mod setup;
mod store;
mod test_ticket;
