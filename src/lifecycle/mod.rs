//! The incident lifecycle: from an incident, its ledger entry, the mapping and the config,
//! the actions to take in the PSA (SPEC §3). Pure: no I/O, so `--dry-run` is free.

mod event;

pub use event::LifecycleEvent;
