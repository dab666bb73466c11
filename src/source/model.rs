//! Organizations, incident reports and remediations in the Huntress API's shapes, read
//! tolerantly: unknown fields are ignored, documented drift (remediations as an object or
//! an array, nested or flat organization, older field names) is accepted.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `GET /v1/account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub subdomain: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// A Huntress organization, keyed by its numeric id (names are labels and can repeat).
/// Read tolerantly: `null` name or key, and the older `microsoft_365_tenant_id` in place of
/// `identity_provider_tenant_id` (other drifted fields such as `notify_emails` are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub identity_provider_tenant_id: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Deserialize)]
struct WireOrganization {
    id: i64,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    identity_provider_tenant_id: Option<String>,
    #[serde(default)]
    microsoft_365_tenant_id: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
}

impl<'de> Deserialize<'de> for Organization {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = WireOrganization::deserialize(d)?;
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(Organization {
            id: w.id,
            name: w.name.unwrap_or_default(),
            key: w.key,
            identity_provider_tenant_id: non_empty(w.identity_provider_tenant_id)
                .or_else(|| non_empty(w.microsoft_365_tenant_id)),
            updated_at: w.updated_at,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Low, Severity::High, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// As it appears in Huntress ticket titles: `CRITICAL - Incident on ...`.
    pub fn upper(self) -> &'static str {
        match self {
            Severity::Low => "LOW",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }

    /// Tolerant parse: Huntress has no `medium`; an unknown value is treated as `high`
    /// so it is never under-prioritised.
    pub fn parse_lenient(s: &str) -> Severity {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Severity::Low,
            "critical" => Severity::Critical,
            _ => Severity::High,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity '{other}' (expected low, high or critical)"
            )),
        }
    }
}

/// Incident report status. The filter enum lists six values; anything else is kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum IncidentStatus {
    Sent,
    Closed,
    Dismissed,
    AutoRemediating,
    Deleting,
    PartnerDismissed,
    Other(String),
}

impl IncidentStatus {
    pub fn parse(s: &str) -> IncidentStatus {
        match s.trim().to_ascii_lowercase().as_str() {
            "sent" => IncidentStatus::Sent,
            // The resolution endpoint's text says "resolved"; treat it as closed.
            "closed" | "resolved" => IncidentStatus::Closed,
            "dismissed" => IncidentStatus::Dismissed,
            "auto_remediating" => IncidentStatus::AutoRemediating,
            "deleting" => IncidentStatus::Deleting,
            "partner_dismissed" => IncidentStatus::PartnerDismissed,
            other => IncidentStatus::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            IncidentStatus::Sent => "sent",
            IncidentStatus::Closed => "closed",
            IncidentStatus::Dismissed => "dismissed",
            IncidentStatus::AutoRemediating => "auto_remediating",
            IncidentStatus::Deleting => "deleting",
            IncidentStatus::PartnerDismissed => "partner_dismissed",
            IncidentStatus::Other(s) => s,
        }
    }

    /// Still needs work on the MSP side.
    pub fn is_open(&self) -> bool {
        matches!(self, IncidentStatus::Sent | IncidentStatus::AutoRemediating)
    }
}

impl From<IncidentStatus> for String {
    fn from(s: IncidentStatus) -> String {
        s.as_str().to_string()
    }
}

impl<'de> Deserialize<'de> for IncidentStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(IncidentStatus::parse(&String::deserialize(d)?))
    }
}

impl fmt::Display for IncidentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum RemediationStatus {
    Unapproved,
    Approved,
    Completed,
    Failed,
    Cancelled,
    Other(String),
}

impl RemediationStatus {
    pub fn parse(s: &str) -> RemediationStatus {
        match s.trim().to_ascii_lowercase().as_str() {
            "unapproved" => RemediationStatus::Unapproved,
            "approved" => RemediationStatus::Approved,
            "completed" => RemediationStatus::Completed,
            "failed" => RemediationStatus::Failed,
            "cancelled" | "canceled" | "rejected" => RemediationStatus::Cancelled,
            other => RemediationStatus::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RemediationStatus::Unapproved => "unapproved",
            RemediationStatus::Approved => "approved",
            RemediationStatus::Completed => "completed",
            RemediationStatus::Failed => "failed",
            RemediationStatus::Cancelled => "cancelled",
            RemediationStatus::Other(s) => s,
        }
    }
}

impl From<RemediationStatus> for String {
    fn from(s: RemediationStatus) -> String {
        s.as_str().to_string()
    }
}

impl<'de> Deserialize<'de> for RemediationStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RemediationStatus::parse(&String::deserialize(d)?))
    }
}

/// Read from either remediation shape (see [`RawRemediation`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawRemediation")]
pub struct Remediation {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `action` in the current API, `display_action` in older payloads.
    pub action: Option<String>,
    /// `parameters` in the current API; the older `details` object as `key: value` lines.
    pub parameters: Vec<String>,
    pub status: RemediationStatus,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub completed_at: Option<String>,
}

/// A remediation as either shape carries it: the current one (`action`, `parameters`) or
/// the older one pyhuntress models (`display_action`, `details`,
/// `completable_by_task_response`, `completable_manually`, which psa-link does not need).
#[derive(Deserialize)]
struct RawRemediation {
    id: i64,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    display_action: Option<String>,
    #[serde(default, deserialize_with = "lenient_parameters")]
    parameters: Vec<String>,
    #[serde(default)]
    details: Option<Value>,
    status: RemediationStatus,
    #[serde(default)]
    approved_at: Option<String>,
    #[serde(default, deserialize_with = "user_label")]
    approved_by: Option<String>,
    #[serde(default)]
    completed_at: Option<String>,
}

impl From<RawRemediation> for Remediation {
    fn from(raw: RawRemediation) -> Remediation {
        let parameters = if raw.parameters.is_empty() {
            match raw.details {
                Some(Value::Object(details)) => details
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| match v {
                        Value::String(s) => format!("{k}: {s}"),
                        other => format!("{k}: {other}"),
                    })
                    .collect(),
                _ => Vec::new(),
            }
        } else {
            raw.parameters
        };
        Remediation {
            id: raw.id,
            kind: raw.kind,
            action: raw.action.or(raw.display_action),
            parameters,
            status: raw.status,
            approved_at: raw.approved_at,
            approved_by: raw.approved_by,
            completed_at: raw.completed_at,
        }
    }
}

/// The remediation state psa-link follows (SPEC §3 rows "remediation approved/rejected").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RemediationState {
    /// No remediations at all.
    #[default]
    None,
    /// Some remediation still awaits the partner's decision.
    Pending,
    /// Every remediation approved (or already completed).
    Approved,
    /// Remediations were rejected (sent back to the SOC: cancelled and none approved).
    Rejected,
}

impl RemediationState {
    pub fn as_str(self) -> &'static str {
        match self {
            RemediationState::None => "none",
            RemediationState::Pending => "pending",
            RemediationState::Approved => "approved",
            RemediationState::Rejected => "rejected",
        }
    }
}

/// An incident report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub id: i64,
    pub organization_id: i64,
    /// From a nested `organization: {id, name}` (webhook shape) when present.
    pub organization_name: Option<String>,
    /// Null for identity / Microsoft 365 / SIEM incidents.
    pub agent_id: Option<i64>,
    pub status: IncidentStatus,
    pub severity: Severity,
    pub subject: Option<String>,
    /// The SOC analyst's text.
    pub summary: Option<String>,
    /// Autogenerated details.
    pub body: Option<String>,
    pub platform: Option<String>,
    pub indicator_types: Vec<String>,
    pub indicator_counts: BTreeMap<String, i64>,
    pub sent_at: Option<String>,
    pub closed_at: Option<String>,
    pub updated_at: Option<String>,
    pub status_updated_at: Option<String>,
    pub created_at: Option<String>,
    pub remediations: Vec<Remediation>,
    /// More remediations exist than were embedded (the API embeds the first 10).
    pub remediations_truncated: bool,
}

impl Incident {
    /// Derived from the remediations: approved when every one is approved or completed,
    /// rejected when none is approved and some were cancelled, pending otherwise.
    pub fn remediation_state(&self) -> RemediationState {
        if self.remediations.is_empty() {
            return RemediationState::None;
        }
        let approved = |r: &&Remediation| {
            matches!(
                r.status,
                RemediationStatus::Approved | RemediationStatus::Completed
            ) || (r.approved_at.is_some() && !matches!(r.status, RemediationStatus::Cancelled))
        };
        let considered: Vec<&Remediation> = self
            .remediations
            .iter()
            .filter(|r| !matches!(r.status, RemediationStatus::Failed))
            .collect();
        if considered.is_empty() {
            return RemediationState::Pending;
        }
        if considered.iter().all(approved) {
            return RemediationState::Approved;
        }
        if considered
            .iter()
            .any(|r| matches!(r.status, RemediationStatus::Cancelled))
            && !considered.iter().any(approved)
            && !considered
                .iter()
                .any(|r| matches!(r.status, RemediationStatus::Unapproved))
        {
            return RemediationState::Rejected;
        }
        RemediationState::Pending
    }
}

/// How many remediations an incident report embeds; the rest are on the remediations
/// endpoint.
pub const EMBEDDED_REMEDIATIONS: usize = 10;

/// The raw wire shape, converted into [`Incident`] after reading.
#[derive(Deserialize)]
struct WireIncident {
    id: i64,
    #[serde(default)]
    organization_id: Option<i64>,
    #[serde(default)]
    organization: Option<WireRef>,
    #[serde(default)]
    agent_id: Option<i64>,
    #[serde(default)]
    agent: Option<WireRef>,
    #[serde(default)]
    status: Option<IncidentStatus>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    platform: Option<String>,
    #[serde(default)]
    indicator_types: Option<Vec<String>>,
    #[serde(default)]
    indicator_counts: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    sent_at: Option<String>,
    #[serde(default)]
    closed_at: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    status_updated_at: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    remediations: Option<Value>,
}

#[derive(Deserialize)]
struct WireRef {
    id: Option<i64>,
    #[serde(default)]
    name: Option<String>,
}

impl<'de> Deserialize<'de> for Incident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = WireIncident::deserialize(d)?;
        let organization_id = w
            .organization_id
            .or_else(|| w.organization.as_ref().and_then(|o| o.id))
            .ok_or_else(|| D::Error::custom(format!("incident {} has no organization_id", w.id)))?;
        let (remediations, truncated) = match w.remediations {
            None | Some(Value::Null) => (Vec::new(), false),
            // The array drift says nothing about more: a full embedded page may hide some.
            Some(Value::Array(items)) => {
                let full = items.len() >= EMBEDDED_REMEDIATIONS;
                (parse_remediations(items).map_err(D::Error::custom)?, full)
            }
            Some(Value::Object(mut obj)) => {
                let items = match obj.remove("items") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                let has_more = obj
                    .get("has_more")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let total = obj.get("total_count").and_then(Value::as_u64);
                let parsed = parse_remediations(items).map_err(D::Error::custom)?;
                let truncated = has_more || total.is_some_and(|t| t as usize > parsed.len());
                (parsed, truncated)
            }
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "unexpected remediations value {other}"
                )));
            }
        };
        Ok(Incident {
            id: w.id,
            organization_id,
            organization_name: w.organization.and_then(|o| o.name),
            agent_id: w.agent_id.or_else(|| w.agent.and_then(|a| a.id)),
            status: w.status.unwrap_or(IncidentStatus::Sent),
            severity: w
                .severity
                .as_deref()
                .map(Severity::parse_lenient)
                .unwrap_or(Severity::High),
            subject: w.subject,
            summary: w.summary,
            body: w.body,
            platform: w.platform,
            indicator_types: w.indicator_types.unwrap_or_default(),
            indicator_counts: w
                .indicator_counts
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(k, v)| v.as_i64().map(|n| (k, n)))
                .collect(),
            sent_at: w.sent_at,
            closed_at: w.closed_at,
            updated_at: w.updated_at,
            status_updated_at: w.status_updated_at,
            created_at: w.created_at,
            remediations,
            remediations_truncated: truncated,
        })
    }
}

fn parse_remediations(items: Vec<Value>) -> Result<Vec<Remediation>, String> {
    items
        .into_iter()
        .map(|v| serde_json::from_value::<Remediation>(v).map_err(|e| format!("remediation: {e}")))
        .collect()
}

/// `parameters` is typed as `string[]` but its example shows `{name, description}` objects
/// (and containment remediations use a single string).
fn lenient_parameters<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    fn label(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => {
                let name = m.get("name").and_then(Value::as_str);
                let desc = m
                    .get("description")
                    .or_else(|| m.get("value"))
                    .and_then(Value::as_str);
                match (name, desc) {
                    (Some(n), Some(d)) => Some(format!("{n}: {d}")),
                    (Some(n), None) => Some(n.to_string()),
                    (None, Some(d)) => Some(d.to_string()),
                    _ => Some(Value::Object(m.clone()).to_string()),
                }
            }
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(label).collect(),
        Some(other) => label(&other).into_iter().collect(),
    })
}

/// `approved_by` is a user object `{id, email, name}` (older payloads: `first_name`,
/// `last_name`); keep a readable label.
fn user_label<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Object(m)) => {
            let part = |k: &str| m.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
            let full = [part("first_name"), part("last_name")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            part("name")
                .map(str::to_string)
                .or((!full.is_empty()).then_some(full))
                .or_else(|| part("email").map(str::to_string))
        }
        Some(Value::String(s)) => Some(s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(json: &str) -> Incident {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn remediations_as_object_or_array() {
        let obj = incident(
            r#"{"id":1,"organization_id":4,"status":"sent","severity":"high",
                "remediations":{"total_count":11,"has_more":true,"items":[
                  {"id":1,"type":"manual","action":"Delete File","status":"unapproved",
                   "parameters":[{"name":"path","description":"c:\\x"}],
                   "approved_by":{"id":"1","email":"a@b","name":"John"}}]}}"#,
        );
        assert_eq!(obj.remediations.len(), 1);
        assert!(obj.remediations_truncated);
        assert_eq!(
            obj.remediations[0].parameters,
            vec!["path: c:\\x".to_string()]
        );
        assert_eq!(obj.remediations[0].approved_by.as_deref(), Some("John"));
        let arr = incident(
            r#"{"id":2,"organization_id":4,"status":"closed","severity":"low",
                "remediations":[{"id":5,"status":"approved","parameters":"host-1"}]}"#,
        );
        assert_eq!(arr.remediations[0].parameters, vec!["host-1".to_string()]);
        assert!(!arr.remediations_truncated);
        assert_eq!(arr.remediation_state(), RemediationState::Approved);
    }

    #[test]
    fn nested_organization_and_unknown_values_are_tolerated() {
        let i = incident(
            r#"{"id":3,"organization":{"id":9,"name":"Contoso"},"status":"partner_dismissed",
                "severity":"medium","agent_id":null,"platform":"microsoft_365","extra":true}"#,
        );
        assert_eq!(i.organization_id, 9);
        assert_eq!(i.organization_name.as_deref(), Some("Contoso"));
        assert_eq!(i.status, IncidentStatus::PartnerDismissed);
        assert_eq!(i.severity, Severity::High);
        assert_eq!(i.agent_id, None);
    }

    #[test]
    fn organizations_tolerate_old_field_names_and_nulls() {
        let old: Organization = serde_json::from_str(
            r#"{"id":4,"name":null,"key":"contoso","microsoft_365_tenant_id":"dcd2-1",
                "microsoft_365_users_count":3,"notify_emails":["it@contoso.example"]}"#,
        )
        .unwrap();
        assert_eq!(old.name, "");
        assert_eq!(old.identity_provider_tenant_id.as_deref(), Some("dcd2-1"));
        let new: Organization = serde_json::from_str(
            r#"{"id":5,"name":"Fabrikam","identity_provider_tenant_id":"",
                "microsoft_365_tenant_id":"abc","report_recipients":[]}"#,
        )
        .unwrap();
        assert_eq!(new.name, "Fabrikam");
        assert_eq!(
            new.identity_provider_tenant_id.as_deref(),
            Some("abc"),
            "an empty new field falls back to the old one"
        );
    }

    #[test]
    fn remediation_state_rules() {
        let mk = |statuses: &[&str]| Incident {
            remediations: statuses
                .iter()
                .enumerate()
                .map(|(i, s)| Remediation {
                    id: i as i64,
                    kind: None,
                    action: None,
                    parameters: vec![],
                    status: RemediationStatus::parse(s),
                    approved_at: None,
                    approved_by: None,
                    completed_at: None,
                })
                .collect(),
            ..incident(r#"{"id":1,"organization_id":1}"#)
        };
        assert_eq!(mk(&[]).remediation_state(), RemediationState::None);
        assert_eq!(
            mk(&["unapproved", "approved"]).remediation_state(),
            RemediationState::Pending
        );
        assert_eq!(
            mk(&["approved", "completed"]).remediation_state(),
            RemediationState::Approved
        );
        assert_eq!(
            mk(&["cancelled", "cancelled"]).remediation_state(),
            RemediationState::Rejected
        );
        assert_eq!(
            mk(&["cancelled", "unapproved"]).remediation_state(),
            RemediationState::Pending
        );
    }
}
