//! The mapping engine: source organizations x live PSA companies x stored mapping -> new
//! mapping and a report. Pure: no I/O.
//!
//! - [`reconcile`]: auto-maps on byte-exact names only (the seed article's rule), never
//!   touches a stored pair's company, reports renamed, deleted and inactive companies and
//!   vanished organizations, and lists every change for `--dry-run`.
//! - [`CompanyIndex::suggest`]: for what did not match, the companies a person would pick,
//!   each with the reason ("differs only by 'Pty Ltd'").
//! - [`accept_suggestions`], [`pin`], [`unpin`]: the pairs people make.
//! - [`resolve_organization`], [`resolve_company`], [`resolve_paired`], [`picker`]: what
//!   the `map` commands need to turn arguments into records.

mod index;
pub mod normalize;
mod pin;
mod reconcile;
mod resolve;

pub use index::{
    COMMON_WORD, CompanyIndex, MAX_SUGGESTIONS, SIMILAR_CANDIDATES, Suggestion, SuggestionKind,
};
pub use pin::{Acceptance, accept_suggestions, pin, unpin};
pub use reconcile::{Change, Mode, OrgReport, Reconciliation, State, Summary, Work, reconcile};
pub use resolve::{
    CompanyError, PickerItem, picker, resolve_company, resolve_organization, resolve_paired,
};

#[cfg(test)]
mod tests;
