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
    /// Only this severity (the API's `severity` filter).
    pub severity: Option<Severity>,
    /// Only this platform: `windows`, `darwin`, `microsoft_365`, ... (`platform`).
    pub platform: Option<String>,
    /// Only incidents carrying this indicator type, e.g. `footholds` (`indicator_type`).
    pub indicator_type: Option<String>,
    /// Only incidents of this agent (`agent_id`).
    pub agent_id: Option<i64>,
    /// Only incidents whose `updated_at` is at or after this moment. Huntress has no such
    /// filter: the client walks `sort_field=updated_at` descending and stops past it.
    pub updated_since: Option<time::OffsetDateTime>,
}

/// A source of organizations and incidents.
impl IncidentQuery {
    /// Whether `incident` passes the filters other than `statuses` and `updated_since`,
    /// with the API's meaning (for sources that filter locally).
    pub fn selects(&self, incident: &Incident) -> bool {
        self.organization_id
            .is_none_or(|o| incident.organization_id == o)
            && self.severity.is_none_or(|s| incident.severity == s)
            && self
                .platform
                .as_deref()
                .is_none_or(|p| incident.platform.as_deref() == Some(p))
            && self
                .indicator_type
                .as_deref()
                .is_none_or(|t| incident.indicator_types.iter().any(|x| x == t))
            && self.agent_id.is_none_or(|a| incident.agent_id == Some(a))
    }

    /// The API's query parameters for these filters (all but `statuses` and
    /// `updated_since`, which the Huntress client handles itself).
    pub fn api_filters(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(o) = self.organization_id {
            out.push(("organization_id", o.to_string()));
        }
        if let Some(s) = self.severity {
            out.push(("severity", s.as_str().to_string()));
        }
        if let Some(p) = &self.platform {
            out.push(("platform", p.clone()));
        }
        if let Some(t) = &self.indicator_type {
            out.push(("indicator_type", t.clone()));
        }
        if let Some(a) = self.agent_id {
            out.push(("agent_id", a.to_string()));
        }
        out
    }
}

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
