//! psa-link: Huntress incidents to PSA tickets.
//!
//! Domain modules (no terminal I/O): [`http`], [`psa`], [`source`], [`mapping`],
//! [`lifecycle`], [`store`], [`secrets`]. The emulators live in [`sandbox`]; the CLI layer
//! in [`cli`].

pub mod cli;
pub mod error;
pub mod http;
pub mod lifecycle;
pub mod lookup;
pub mod mapping;
pub mod psa;
pub mod sandbox;
pub mod secrets;
pub mod source;
pub mod store;
