//! A read-only source from a JSON file in the Huntress API's shapes, for offline and
//! scripted use (`source set file PATH`, `incident push --file F`).
//!
//! Accepted shapes:
//! - `{"organizations": [...], "incident_reports": [...], "agents": [...], "account": {...}}`,
//!   any subset (a saved list answer with its `pagination` is fine too);
//! - a bare array of incident reports;
//! - `{"incident_report": {...}}` or a bare incident report object.
//!
//! When the file lists no organizations they are derived from the incidents (with the name
//! of a nested `organization` object where there is one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::huntress::updated_at;
use super::{Account, Incident, IncidentQuery, Organization, Source};
use crate::error::{Exit, Failure};
use crate::http::{ApiError, ApiErrorKind};

const SERVICE: &str = "File source";

/// Organizations, incidents, agents and the account read from one file.
#[derive(Debug, Clone)]
pub struct FileSource {
    path: PathBuf,
    account: Option<Account>,
    organizations: Vec<Organization>,
    incidents: Vec<Incident>,
    hostnames: BTreeMap<i64, String>,
}

#[derive(Deserialize)]
struct Collection {
    #[serde(default)]
    account: Option<Account>,
    #[serde(default)]
    organizations: Option<Vec<Organization>>,
    #[serde(default)]
    incident_reports: Option<Vec<Incident>>,
    #[serde(default)]
    agents: Option<Vec<FileAgent>>,
}

#[derive(Deserialize)]
struct FileAgent {
    id: i64,
    #[serde(default)]
    hostname: Option<String>,
}

#[derive(Deserialize)]
struct SingleIncident {
    incident_report: Incident,
}

const COLLECTION_KEYS: &[&str] = &["organizations", "incident_reports", "agents", "account"];

impl FileSource {
    /// Reads and checks the file. Errors name the file, and the line and column of bad
    /// JSON or of the value that does not fit (exit 3).
    pub fn open(path: &Path) -> Result<FileSource, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::config(format!(
                "cannot read the source file {}: {e}",
                path.display()
            ))
            .with_fix("check the path given to `source set file` / `--file`")
        })?;
        FileSource::parse(path, &text)
    }

    /// Parses `text` as if read from `path` (which only labels messages).
    pub fn parse(path: &Path, text: &str) -> Result<FileSource, Failure> {
        let bad = |e: serde_json::Error, what: &str| {
            Failure::config(format!(
                "{} is not {what}: {} at line {}, column {}",
                path.display(),
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ))
            .with_fix(
                "the file must hold Huntress API JSON: {\"organizations\": [...], \"incident_reports\": [...], \"agents\": [...], \"account\": {...}}, an array of incident reports, or one incident report",
            )
        };
        let value: Value = serde_json::from_str(text).map_err(|e| bad(e, "valid JSON"))?;
        let mut source = FileSource {
            path: path.to_path_buf(),
            account: None,
            organizations: Vec::new(),
            incidents: Vec::new(),
            hostnames: BTreeMap::new(),
        };
        // The shape is chosen from the parsed value, then the text is read again with that
        // shape's types so errors carry a line and column.
        let mut organizations = None;
        match &value {
            Value::Array(_) => {
                source.incidents = serde_json::from_str(text)
                    .map_err(|e| bad(e, "a list of Huntress incident reports"))?;
            }
            Value::Object(map) if map.contains_key("incident_report") => {
                let single: SingleIncident =
                    serde_json::from_str(text).map_err(|e| bad(e, "a Huntress incident report"))?;
                source.incidents = vec![single.incident_report];
            }
            Value::Object(map) if COLLECTION_KEYS.iter().any(|k| map.contains_key(*k)) => {
                let c: Collection = serde_json::from_str(text)
                    .map_err(|e| bad(e, "in the Huntress API's shapes"))?;
                source.account = c.account;
                organizations = c.organizations;
                source.incidents = c.incident_reports.unwrap_or_default();
                source.hostnames = c
                    .agents
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|a| Some((a.id, a.hostname.filter(|h| !h.trim().is_empty())?)))
                    .collect();
            }
            Value::Object(map) if map.contains_key("id") => {
                source.incidents = vec![
                    serde_json::from_str(text).map_err(|e| bad(e, "a Huntress incident report"))?,
                ];
            }
            _ => {
                return Err(Failure::config(format!(
                    "{} holds JSON of an unknown shape (expected keys such as \"incident_reports\" or \"organizations\", an array of incident reports, or one incident report)",
                    path.display()
                )));
            }
        }
        source.organizations =
            organizations.unwrap_or_else(|| derived_organizations(&source.incidents));
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = source.incidents.iter().find(|i| !seen.insert(i.id)) {
            return Err(Failure::new(
                Exit::Config,
                format!("{} lists incident report {} twice", path.display(), dup.id),
            ));
        }
        Ok(source)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn not_found(&self, what: String) -> ApiError {
        ApiError::new(SERVICE, ApiErrorKind::NotFound, what)
            .with_fix(format!("add it to {}", self.path.display()))
    }
}

/// One organization per distinct `organization_id`, named from a nested organization.
fn derived_organizations(incidents: &[Incident]) -> Vec<Organization> {
    let mut by_id: BTreeMap<i64, Organization> = BTreeMap::new();
    for i in incidents {
        let entry = by_id
            .entry(i.organization_id)
            .or_insert_with(|| Organization {
                id: i.organization_id,
                name: String::new(),
                key: None,
                identity_provider_tenant_id: None,
                updated_at: None,
            });
        if entry.name.is_empty()
            && let Some(name) = &i.organization_name
        {
            entry.name = name.clone();
        }
    }
    by_id
        .into_values()
        .map(|mut o| {
            if o.name.is_empty() {
                o.name = format!("Organization {}", o.id);
            }
            o
        })
        .collect()
}

/// serde_json appends " at line L column C"; the caller words the position itself.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

impl Source for FileSource {
    fn account(&self) -> Result<Account, ApiError> {
        Ok(self.account.clone().unwrap_or_else(|| Account {
            id: 0,
            name: format!("file {}", self.path.display()),
            subdomain: None,
            status: None,
        }))
    }

    fn organizations(&self) -> Result<Vec<Organization>, ApiError> {
        Ok(self.organizations.clone())
    }

    fn incidents(&self, query: &IncidentQuery) -> Result<Vec<Incident>, ApiError> {
        let mut out: Vec<Incident> = self
            .incidents
            .iter()
            .filter(|i| query.statuses.is_empty() || query.statuses.contains(&i.status))
            .filter(|i| query.selects(i))
            .filter(|i| match (query.updated_since, updated_at(i)) {
                (Some(since), Some(t)) => t >= since,
                // Without a readable `updated_at` the incident may have changed: keep it.
                _ => true,
            })
            .cloned()
            .collect();
        out.sort_by_key(|i| (updated_at(i), i.id));
        Ok(out)
    }

    fn incident(&self, id: i64) -> Result<Incident, ApiError> {
        self.incidents
            .iter()
            .find(|i| i.id == id)
            .cloned()
            .ok_or_else(|| {
                self.not_found(format!(
                    "incident report {id} is not in {}",
                    self.path.display()
                ))
            })
    }

    fn hostname(&self, agent_id: i64) -> Result<Option<String>, ApiError> {
        Ok(self.hostnames.get(&agent_id).cloned())
    }

    fn resolve(&self, id: i64) -> Result<Incident, ApiError> {
        Err(ApiError::new(
            SERVICE,
            ApiErrorKind::Rejected,
            format!(
                "cannot resolve incident {id}: the file source ({}) is read-only",
                self.path.display()
            ),
        )
        .with_fix(
            "resolve it in the Huntress portal, or configure the API source (`psa-link source set huntress`) with a user-based API key",
        ))
    }

    fn incident_url(&self, id: i64) -> Option<String> {
        let sub = self.account.as_ref()?.subdomain.as_deref()?.trim();
        // UNCONFIRMED portal path (see the Huntress client).
        (!sub.is_empty()).then(|| format!("https://{sub}.huntress.io/incident_reports/{id}"))
    }
}

#[cfg(test)]
mod tests;
