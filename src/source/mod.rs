//! Where organizations and incidents come from: the Huntress API or a JSON file in the
//! same shapes.

pub mod file;
pub mod huntress;
pub mod model;

pub use model::*;

use crate::http::ApiError;

/// Which incidents to list.
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    /// Only these statuses (empty: all).
    pub statuses: Vec<IncidentStatus>,
    pub organization_id: Option<i64>,
    /// Only incidents whose `updated_at` is at or after this moment. Huntress has no such
    /// filter: the client walks `sort_field=updated_at` descending and stops past it.
    pub updated_since: Option<time::OffsetDateTime>,
}

/// A source of organizations and incidents.
pub trait Source: Send + Sync {
    /// The marker namespace of tickets made from this source's incidents (`huntress`).
    fn namespace(&self) -> &'static str {
        "huntress"
    }

    /// Checks access (`GET /v1/account`).
    fn account(&self) -> Result<Account, ApiError>;

    /// Every organization, all pages.
    fn organizations(&self) -> Result<Vec<Organization>, ApiError>;

    /// Incidents matching the query, oldest `updated_at` first.
    fn incidents(&self, query: &IncidentQuery) -> Result<Vec<Incident>, ApiError>;

    /// One incident with all its remediations (fetched separately when more than the
    /// embedded ten exist).
    fn incident(&self, id: i64) -> Result<Incident, ApiError>;

    /// The host name of an agent, for ticket titles.
    fn hostname(&self, agent_id: i64) -> Result<Option<String>, ApiError>;

    /// Resolves the incident in the source (needs a user-based Huntress key).
    fn resolve(&self, id: i64) -> Result<Incident, ApiError>;

    /// A link to the incident in the vendor's portal, when known.
    fn incident_url(&self, id: i64) -> Option<String>;
}
