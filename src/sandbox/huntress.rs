//! The Huntress REST API v1 emulator (`reference/huntress-and-peers.md` part A).
//!
//! Faithful to the documented contract: HTTP Basic auth with a read-only *account* key and
//! a *user* key (write endpoints refuse the account key with 403), singular envelopes for
//! one object and plural + `pagination {next_page_token, next_page_url}` for lists, `limit`
//! 1..=500 (default 10), opaque keyset page tokens, `sort_field`/`sort_direction` (default
//! `id` `desc`), the documented filters, remediations embedded as `{total_count, has_more,
//! items}` (first 10), the close-loop endpoints with their 201/409/422 rules, and the
//! 60-requests-per-minute sliding window per account (429).
//!
//! Readings where the documentation is silent or UNCONFIRMED, each behind a fault switch
//! where both behaviours are plausible:
//! - 429 carries `Retry-After` (whole seconds) unless `no-retry-after` is on.
//! - Refused credentials get 403 (the doc's "credential or permission problem"); 401 is for
//!   a missing or malformed `Authorization` header. `wrong-key-401` answers 401 instead.
//! - A resolution sets status `closed` and `closed_at`; `resolved-status` answers the
//!   doc's literal "resolved" instead.
//! - Bulk rejection leaves the unapproved remediations `cancelled` and the report `sent`
//!   (it goes "back to the SOC"); bulk approval answers 422 when nothing is unapproved.
//! - Error bodies are `{"error": "<message>"}` (the API's framework default).
//! - The last page's pagination is `{"next_page_token": null}`; `next_page_url` appears
//!   only when another page exists and carries every query parameter of the request (its
//!   filters and sort) with the next `page_token` and the original `limit`, so following it
//!   continues the same walk.
//! - `created_at` is kept (sortable) but not emitted on incident reports: the model does
//!   not list it. `incident-created-at` emits it (as the webhook payload does).
//! - "Without a page token the first page contains all results" is read as a doc slip;
//!   `first-page-all` reads it literally: a first page (no `page_token`) serves every
//!   result yet still offers the next page's token.
//! - Remediations come in the current shape (`action`, `parameters`);
//!   `legacy-remediations` answers the older one (`display_action`, `details`,
//!   `completable_by_task_response`, `completable_manually`).
//!
//! Control endpoints for a sandbox started out of process (`psa-link sandbox serve`):
//! - `GET /_sandbox/incidents` — every incident report, `{"incident_reports": [...]}`.
//! - `POST /_sandbox/incidents` — add one: `{"organization_id", "agent_id"?, "severity"?,
//!   "platform"?, "indicator_types"?, "summary"?, "identity"?, "remediations"?: count}` →
//!   201 `{"incident_report"}`.
//! - `PATCH /_sandbox/incidents/{id}` — `{"severity"?: "low|high|critical", "status"?:
//!   "sent|closed|dismissed|..."}` (what the SOC does; no API rules) → 200.
//! - `POST /_sandbox/incidents/{id}/approve|reject|resolve` — as the partner would through
//!   the API (same 409/422 rules) → 200 `{"incident_report"}`.
//! - `PUT /_sandbox/rate-limit` — `{"max": n, "window_secs": s}` replaces the sliding window.
//!
//! In process, tests and the demo use the same operations directly:
//! [`HuntressEmulator::set_severity`], [`set_status`](HuntressEmulator::set_status),
//! [`approve_remediations`](HuntressEmulator::approve_remediations),
//! [`reject_remediations`](HuntressEmulator::reject_remediations),
//! [`resolve`](HuntressEmulator::resolve), [`add_incident`](HuntressEmulator::add_incident),
//! [`add_remediations`](HuntressEmulator::add_remediations),
//! [`incidents`](HuntressEmulator::incidents) and
//! [`set_rate_limit`](HuntressEmulator::set_rate_limit).
//!
//! Every change bumps the incident's `updated_at` (whole seconds, as the API shows it).
//! Control requests are not logged and not charged to the rate limit.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::seed::{Msp, SeedIncident};
use super::server::{Emulator, FaultInfo, Faults, HttpRequest, HttpResponse, RateWindow, rfc3339};
use crate::source::{Incident, Severity};

/// The read-only account API key of the sandbox account.
pub const SANDBOX_API_KEY: &str = "hk_sandbox_account_7f3c";
pub const SANDBOX_API_SECRET: &str = "hs_sandbox_account_secret_51d2e9";
/// A user-based API key with permission to resolve incidents and act on remediations.
pub const SANDBOX_USER_API_KEY: &str = "hk_sandbox_user_b81a";
pub const SANDBOX_USER_API_SECRET: &str = "hs_sandbox_user_secret_c40f77";
pub const SANDBOX_ACCOUNT_ID: i64 = 4242;
pub const SANDBOX_ACCOUNT_NAME: &str = "Northwind MSP";
pub const SANDBOX_SUBDOMAIN: &str = "northwindmsp";

/// The documented budget: 60 requests per minute per account, sliding window.
pub const RATE_LIMIT_MAX: usize = 60;
pub const RATE_LIMIT_WINDOW: Duration = Duration::from_secs(60);
/// The `rate-limit` fault's budget: small enough that a test sees 429 at once.
pub const TINY_RATE_LIMIT_MAX: usize = 3;
pub const TINY_RATE_LIMIT_WINDOW: Duration = Duration::from_secs(1);

/// Remediations embedded in an incident report (the rest via the remediations endpoint).
pub const EMBEDDED_REMEDIATIONS: usize = crate::source::EMBEDDED_REMEDIATIONS;

const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 500;

const STATUSES: &[&str] = &[
    "sent",
    "closed",
    "dismissed",
    "auto_remediating",
    "deleting",
    "partner_dismissed",
];
const SEVERITIES: &[&str] = &["low", "high", "critical"];
const PLATFORMS: &[&str] = &[
    "windows",
    "darwin",
    "microsoft_365",
    "google",
    "linux",
    "email_security",
    "other",
];
const INDICATOR_TYPES: &[&str] = &[
    "footholds",
    "monitored_files",
    "ransomware_canaries",
    "antivirus_detections",
    "process_detections",
    "managed_identity",
    "mde_detections",
    "siem_detections",
    "favicon_detections",
    "behavioral_detections",
    "email_security_detections",
    "app_control",
    "ai_misuse",
];
const REMEDIATION_TYPES: &[&str] = &["assisted", "manual", "containment"];
const REMEDIATION_STATUSES: &[&str] =
    &["unapproved", "approved", "completed", "failed", "cancelled"];

static FAULTS: &[FaultInfo] = &[
    FaultInfo {
        name: "rate-limit",
        description: "a tiny rate limit (3 requests per 1-second sliding window, Retry-After: 1) so 429s appear at once",
    },
    FaultInfo {
        name: "no-retry-after",
        description: "429 responses carry no Retry-After header (Huntress documents none)",
    },
    FaultInfo {
        name: "wrong-key-401",
        description: "refused credentials are answered 401 instead of 403",
    },
    FaultInfo {
        name: "read-only-user-key",
        description: "the user key lacks write permissions: write endpoints answer 403 to it too",
    },
    FaultInfo {
        name: "remediations-array",
        description: "incident reports embed remediations as a bare array instead of {total_count, has_more, items}",
    },
    FaultInfo {
        name: "resolved-status",
        description: "a resolution sets status 'resolved' (the doc's wording) instead of 'closed'",
    },
    FaultInfo {
        name: "legacy-org-fields",
        description: "organizations carry the older microsoft_365_tenant_id / microsoft_365_users_count / notify_emails fields",
    },
    FaultInfo {
        name: "incident-created-at",
        description: "incident reports carry created_at (the webhook payload has it; the API model does not list it)",
    },
    FaultInfo {
        name: "first-page-all",
        description: "a list request without page_token answers every result on its first page (the doc's literal wording) and still offers the next page's token",
    },
    FaultInfo {
        name: "legacy-remediations",
        description: "remediations in the older shape: display_action, details, completable_by_task_response, completable_manually (no action/parameters)",
    },
    FaultInfo {
        name: "next-url-bare",
        description: "next_page_url carries only page_token and limit, as the documentation's example shows (filters and sort are not repeated)",
    },
    FaultInfo {
        name: "server-error",
        description: "every API request answers 500 (an outage; see huntressstatus.statuspage.io)",
    },
];

/// Who the credentials belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The default account key: read-only.
    Account,
    /// A user-based key: may write.
    User,
}

#[derive(Debug, Clone)]
struct OrgRec {
    id: i64,
    name: String,
    key: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    tenant_id: Option<String>,
    recipients: Vec<String>,
}

#[derive(Debug, Clone)]
struct AgentRec {
    id: i64,
    organization_id: i64,
    hostname: String,
    platform: String,
    os: String,
    ipv4: String,
    serial: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    last_callback_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
struct RemRec {
    id: i64,
    kind: String,
    action: String,
    parameters: Vec<(String, String)>,
    status: String,
    approved_at: Option<OffsetDateTime>,
    approved_by_user: bool,
    completed_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
struct IncRec {
    id: i64,
    organization_id: i64,
    agent_id: Option<i64>,
    platform: String,
    severity: Severity,
    status: String,
    indicator_types: Vec<String>,
    summary: String,
    body: String,
    subject_target: Option<String>,
    remediations: Vec<RemRec>,
    created_at: OffsetDateTime,
    sent_at: Option<OffsetDateTime>,
    closed_at: Option<OffsetDateTime>,
    status_updated_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl IncRec {
    fn touch(&mut self) {
        self.updated_at = now();
    }

    fn set_status(&mut self, status: &str) {
        let t = now();
        if status == "closed" || status == "resolved" {
            self.closed_at = Some(t);
        }
        self.status = status.to_string();
        self.status_updated_at = t;
        self.updated_at = t;
    }
}

struct State {
    orgs: BTreeMap<i64, OrgRec>,
    agents: BTreeMap<i64, AgentRec>,
    incidents: BTreeMap<i64, IncRec>,
    next_incident: i64,
    next_remediation: i64,
}

/// A new incident for [`HuntressEmulator::add_incident`].
#[derive(Debug, Clone)]
pub struct NewIncident {
    pub organization_id: i64,
    /// `None` for identity / cloud incidents.
    pub agent_id: Option<i64>,
    pub platform: String,
    pub severity: Severity,
    pub indicator_types: Vec<String>,
    pub summary: String,
    /// For agentless incidents: the identity or platform the subject names.
    pub identity: Option<String>,
    /// How many unapproved assisted remediations to attach.
    pub remediations: usize,
}

impl NewIncident {
    /// A Windows foothold incident with one unapproved remediation, on the organization's
    /// first agent when it has one.
    pub fn new(organization_id: i64, severity: Severity) -> NewIncident {
        NewIncident {
            organization_id,
            agent_id: None,
            platform: "windows".into(),
            severity,
            indicator_types: vec!["footholds".into()],
            summary: "Huntress detected a malicious scheduled task on this host. We recommend removing the file and scheduled task listed in the remediation steps below.".into(),
            identity: None,
            remediations: 1,
        }
    }
}

/// The Huntress API emulator.
pub struct HuntressEmulator {
    state: Mutex<State>,
    faults: Faults,
    window: Mutex<RateWindow>,
    tiny_window: RateWindow,
}

impl HuntressEmulator {
    /// Seeded from the shared MSP: its organizations, agents and incidents, with
    /// timestamps relative to now.
    pub fn new(msp: &Msp) -> HuntressEmulator {
        let start = now();
        let mut orgs = BTreeMap::new();
        for (n, o) in msp.organizations.iter().enumerate() {
            let created = start - time::Duration::days(400 - (n as i64 % 300));
            orgs.insert(
                o.id,
                OrgRec {
                    id: o.id,
                    name: o.name.clone(),
                    key: o.key.clone(),
                    created_at: created,
                    updated_at: created + time::Duration::days(30),
                    tenant_id: (o.id % 3 == 0).then(|| pseudo_guid(o.id)),
                    recipients: vec![format!("it@{}.example", o.key)],
                },
            );
        }
        let mut agents = BTreeMap::new();
        for (n, a) in msp.agents.iter().enumerate() {
            let created = start - time::Duration::days(200 - (n as i64 % 150));
            let server = a.hostname.contains("-DC");
            agents.insert(
                a.id,
                AgentRec {
                    id: a.id,
                    organization_id: a.organization_id,
                    hostname: a.hostname.clone(),
                    platform: a.platform.to_string(),
                    os: match (a.platform, server) {
                        ("windows", true) => "Windows Server 2022 Standard",
                        ("windows", false) => "Windows 11 Pro",
                        ("darwin", _) => "macOS 14.5",
                        _ => "Ubuntu 22.04.4 LTS",
                    }
                    .to_string(),
                    ipv4: format!(
                        "10.{}.{}.{}",
                        (a.organization_id % 250),
                        (n / 250) % 250,
                        n % 250 + 2
                    ),
                    serial: format!("SN{:08X}", a.id.wrapping_mul(2_654_435_761) & 0xffff_ffff),
                    created_at: created,
                    updated_at: start - time::Duration::minutes(n as i64 % 50),
                    last_callback_at: start - time::Duration::minutes(n as i64 % 50),
                },
            );
        }
        let mut state = State {
            orgs,
            agents,
            incidents: BTreeMap::new(),
            next_incident: 1,
            next_remediation: 1,
        };
        for i in &msp.incidents {
            let rec = seed_incident(i, start);
            state.next_incident = state.next_incident.max(i.id + 1);
            for r in &rec.remediations {
                state.next_remediation = state.next_remediation.max(r.id + 1);
            }
            state.incidents.insert(i.id, rec);
        }
        HuntressEmulator {
            state: Mutex::new(state),
            faults: Faults::default(),
            window: Mutex::new(RateWindow::new(RATE_LIMIT_MAX, RATE_LIMIT_WINDOW)),
            tiny_window: RateWindow::new(TINY_RATE_LIMIT_MAX, TINY_RATE_LIMIT_WINDOW),
        }
    }

    /// The standard sandbox MSP.
    pub fn standard() -> HuntressEmulator {
        HuntressEmulator::new(&Msp::standard())
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `psa-link source set huntress` arguments (after `source set huntress`) pointing at
    /// this emulator at `base_url`, with the read-only account key or the user key; the
    /// secret goes in [`crate::source::huntress::SECRET_ENV`] (see [`Self::secret`]).
    pub fn source_set_args(base_url: &str, user_key: bool) -> Vec<String> {
        let key = if user_key {
            SANDBOX_USER_API_KEY
        } else {
            SANDBOX_API_KEY
        };
        vec![
            "--api-key".into(),
            key.into(),
            "--base-url".into(),
            base_url.into(),
        ]
    }

    /// The secret matching [`Self::source_set_args`]'s key.
    pub fn secret(user_key: bool) -> &'static str {
        if user_key {
            SANDBOX_USER_API_SECRET
        } else {
            SANDBOX_API_SECRET
        }
    }

    /// Replaces the per-account sliding window (tests of the rate limit itself).
    pub fn set_rate_limit(&self, max: usize, window: Duration) {
        *self.window.lock().unwrap_or_else(|e| e.into_inner()) = RateWindow::new(max, window);
    }

    /// Renames an organization (the name is a display label a partner can change freely).
    pub fn rename_organization(&self, id: i64, name: &str) -> Result<(), String> {
        let mut st = self.state();
        let org = st
            .orgs
            .get_mut(&id)
            .ok_or_else(|| format!("no organization {id}"))?;
        org.name = name.to_string();
        org.updated_at = now();
        Ok(())
    }

    /// Deletes an organization with its agents and incident reports, as
    /// `DELETE /v1/organizations/{id}` does once it completes.
    pub fn remove_organization(&self, id: i64) -> Result<(), String> {
        let mut st = self.state();
        st.orgs
            .remove(&id)
            .ok_or_else(|| format!("no organization {id}"))?;
        st.agents.retain(|_, a| a.organization_id != id);
        st.incidents.retain(|_, i| i.organization_id != id);
        Ok(())
    }

    /// Every incident report, in the typed model, with all remediations.
    pub fn incidents(&self) -> Vec<Incident> {
        let st = self.state();
        st.incidents
            .values()
            .filter_map(|i| serde_json::from_value(render_incident(&st, i, Shape::ALL)).ok())
            .collect()
    }

    pub fn incident(&self, id: i64) -> Option<Incident> {
        let st = self.state();
        let rec = st.incidents.get(&id)?;
        serde_json::from_value(render_incident(&st, rec, Shape::ALL)).ok()
    }

    /// The SOC changes an incident's severity (the API cannot).
    pub fn set_severity(&self, id: i64, severity: Severity) -> Result<(), String> {
        self.with_incident(id, |inc| {
            inc.severity = severity;
            inc.touch();
            Ok(())
        })
    }

    /// The SOC moves an incident to any status (no API rules): `closed`, `dismissed`, ...
    pub fn set_status(&self, id: i64, status: &str) -> Result<(), String> {
        if !STATUSES.contains(&status) && status != "resolved" {
            return Err(format!("unknown status '{status}'"));
        }
        self.with_incident(id, |inc| {
            inc.set_status(status);
            Ok(())
        })
    }

    /// Approves every unapproved remediation, as `bulk_approval` does.
    pub fn approve_remediations(&self, id: i64) -> Result<(), String> {
        self.with_incident(id, |inc| approve_all(inc).map_err(|(_, m)| m))
    }

    /// Rejects every unapproved remediation, as `bulk_rejection` does.
    pub fn reject_remediations(&self, id: i64) -> Result<(), String> {
        self.with_incident(id, |inc| reject_all(inc).map_err(|(_, m)| m))
    }

    /// Resolves the incident with the API's rules (remediations approved, status `sent`).
    pub fn resolve(&self, id: i64) -> Result<(), String> {
        let resolved = self.faults.is_on("resolved-status");
        self.with_incident(id, |inc| resolve(inc, resolved).map_err(|(_, m)| m))
    }

    /// Attaches `count` more unapproved remediations (tests of the embedded-10 limit).
    pub fn add_remediations(&self, id: i64, count: usize) -> Result<(), String> {
        let mut st = self.state();
        let mut next = st.next_remediation;
        let inc = st
            .incidents
            .get_mut(&id)
            .ok_or_else(|| format!("no incident report {id}"))?;
        let t = now();
        for _ in 0..count {
            inc.remediations.push(new_remediation(next, t));
            next += 1;
        }
        inc.touch();
        st.next_remediation = next;
        Ok(())
    }

    /// Adds an incident report (status `sent`, sent now) and returns its id.
    pub fn add_incident(&self, new: NewIncident) -> Result<i64, String> {
        let mut st = self.state();
        if !st.orgs.contains_key(&new.organization_id) {
            return Err(format!("no organization {}", new.organization_id));
        }
        let agent_id = match new.agent_id {
            Some(a) if !st.agents.contains_key(&a) => return Err(format!("no agent {a}")),
            Some(a) => Some(a),
            None if new.identity.is_none()
                && !matches!(
                    new.platform.as_str(),
                    "microsoft_365" | "google" | "other" | "email_security"
                ) =>
            {
                st.agents
                    .values()
                    .find(|a| a.organization_id == new.organization_id)
                    .map(|a| a.id)
            }
            None => None,
        };
        let id = st.next_incident;
        st.next_incident += 1;
        let t = now();
        let mut remediations = Vec::new();
        for _ in 0..new.remediations {
            remediations.push(new_remediation(st.next_remediation, t));
            st.next_remediation += 1;
        }
        let platform = match agent_id.and_then(|a| st.agents.get(&a)) {
            Some(agent) if new.platform == "windows" => agent.platform.clone(),
            _ => new.platform.clone(),
        };
        st.incidents.insert(
            id,
            IncRec {
                id,
                organization_id: new.organization_id,
                agent_id,
                platform,
                severity: new.severity,
                status: "sent".into(),
                body: format!(
                    "Indicators: {}.\nDetected by the Huntress agent and confirmed by a SOC analyst.",
                    new.indicator_types.join(", ")
                ),
                indicator_types: new.indicator_types,
                summary: new.summary,
                subject_target: new.identity,
                remediations,
                created_at: t,
                sent_at: Some(t),
                closed_at: None,
                status_updated_at: t,
                updated_at: t,
            },
        );
        Ok(id)
    }

    fn with_incident(
        &self,
        id: i64,
        f: impl FnOnce(&mut IncRec) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut st = self.state();
        let inc = st
            .incidents
            .get_mut(&id)
            .ok_or_else(|| format!("no incident report {id}"))?;
        f(inc)
    }

    /// Applies the account's sliding window; `Some(429)` when it is spent.
    fn throttle(&self) -> Option<HttpResponse> {
        let verdict = if self.faults.is_on("rate-limit") {
            self.tiny_window.check()
        } else {
            self.window
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .check()
        };
        let wait = verdict.err()?;
        let mut resp = error(
            429,
            "You have made too many requests within the rate limit timeframe (60 requests per minute).",
        );
        if !self.faults.is_on("no-retry-after") {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            resp = resp.with_header("Retry-After", secs.to_string());
        }
        Some(resp)
    }

    fn authenticate(&self, req: &HttpRequest) -> Result<Role, HttpResponse> {
        let Some(header) = req.header("authorization") else {
            return Err(error(
                401,
                "Your request could not be authenticated: no Authorization header (expected Basic <base64(api_key:api_secret)>).",
            ));
        };
        let malformed = || {
            error(
                401,
                "Your request could not be authenticated: the Authorization header is not Basic <base64(api_key:api_secret)>.",
            )
        };
        let (scheme, encoded) = header.trim().split_once(' ').ok_or_else(malformed)?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(malformed());
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(malformed)?;
        let (key, secret) = decoded.split_once(':').ok_or_else(malformed)?;
        match (key, secret) {
            (SANDBOX_API_KEY, SANDBOX_API_SECRET) => Ok(Role::Account),
            (SANDBOX_USER_API_KEY, SANDBOX_USER_API_SECRET) => Ok(Role::User),
            _ => {
                let status = if self.faults.is_on("wrong-key-401") {
                    401
                } else {
                    403
                };
                Err(error(
                    status,
                    "There was an issue with your API credential or permissions: the API key and secret were not accepted.",
                ))
            }
        }
    }

    fn route(&self, req: &HttpRequest, role: Role) -> HttpResponse {
        let segs = req.segments();
        let Some(rest) = segs.strip_prefix(&["v1"]) else {
            return not_found();
        };
        // Reseller-style account-scoped variants of the same resources.
        let rest: &[&str] = match rest {
            ["accounts", account, tail @ ..]
                if matches!(
                    tail.first(),
                    Some(&"organizations" | &"agents" | &"incident_reports")
                ) =>
            {
                if account.parse::<i64>().ok() != Some(SANDBOX_ACCOUNT_ID) {
                    return not_found();
                }
                tail
            }
            other => other,
        };
        let method = req.method.as_str();
        match (method, rest) {
            ("GET", ["account"]) => HttpResponse::json(200, &json!({"account": account_json()})),
            ("GET", ["actor"]) => HttpResponse::json(200, &actor_json(role)),
            ("GET", ["organizations"]) => self.list_organizations(req),
            ("GET", ["organizations", id]) => self.get_organization(id),
            ("GET", ["agents"]) => self.list_agents(req),
            ("GET", ["agents", id]) => self.get_agent(id),
            ("GET", ["incident_reports"]) => self.list_incidents(req),
            ("GET", ["incident_reports", id]) => self.get_incident(id),
            ("GET", ["incident_reports", id, "remediations"]) => self.list_remediations(req, id),
            ("GET", ["incident_reports", id, "remediations", rid]) => self.get_remediation(id, rid),
            ("POST", ["incident_reports", id, "remediations", "bulk_approval"]) => {
                self.write(role, "write to remediations", id, |inc, _| approve_all(inc))
            }
            ("POST", ["incident_reports", id, "remediations", "bulk_rejection"]) => {
                if let Err(resp) = rejection_params(req) {
                    return resp;
                }
                self.write(role, "write to remediations", id, |inc, _| reject_all(inc))
            }
            ("POST", ["incident_reports", id, "resolution"]) => {
                self.write(role, "resolve incident reports", id, resolve)
            }
            (_, [..]) if known_path(rest) => error(405, "405 Not Allowed"),
            _ => not_found(),
        }
    }

    fn list_organizations(&self, req: &HttpRequest) -> HttpResponse {
        let paging = match self.paging(req, &["id", "created_at", "updated_at", "name", "key"]) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let legacy = self.faults.is_on("legacy-org-fields");
        let st = self.state();
        let name = req.query("name");
        let key = req.query("key");
        let rows = st
            .orgs
            .values()
            .filter(|o| name.is_none_or(|n| o.name == n))
            .filter(|o| key.is_none_or(|k| o.key == k))
            .map(|o| Row {
                id: o.id,
                sort: match paging.field.as_str() {
                    "created_at" => SortVal::Int(o.created_at.unix_timestamp()),
                    "updated_at" => SortVal::Int(o.updated_at.unix_timestamp()),
                    "name" => SortVal::Str(o.name.clone()),
                    "key" => SortVal::Str(o.key.clone()),
                    _ => SortVal::Int(o.id),
                },
            })
            .collect();
        let counts = Counts::of(&st);
        paging.respond(req, rows, "organizations", |id| {
            st.orgs.get(&id).map(|o| org_json(&counts, o, legacy))
        })
    }

    fn get_organization(&self, id: &str) -> HttpResponse {
        let id = match parse_id(id, "id") {
            Ok(id) => id,
            Err(r) => return r,
        };
        let legacy = self.faults.is_on("legacy-org-fields");
        let st = self.state();
        match st.orgs.get(&id) {
            Some(o) => {
                let counts = Counts::of(&st);
                let mut v = org_json(&counts, o, legacy);
                v["actual_usages"] =
                    json!({"edr": counts.agents(o.id), "itdr": 0, "siem": 0, "sat": 0});
                HttpResponse::json(200, &json!({"organization": v}))
            }
            None => not_found(),
        }
    }

    fn list_agents(&self, req: &HttpRequest) -> HttpResponse {
        let paging = match self.paging(req, &["id", "created_at", "updated_at"]) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let org = match int_filter(req, "organization_id") {
            Ok(v) => v,
            Err(r) => return r,
        };
        let platform = match enum_filter(req, "platform", &["windows", "darwin", "linux"]) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let hostname = req.query("hostname");
        let os = req.query("os");
        let st = self.state();
        let rows = st
            .agents
            .values()
            .filter(|a| org.is_none_or(|o| a.organization_id == o))
            .filter(|a| platform.is_none_or(|p| a.platform == p))
            .filter(|a| hostname.is_none_or(|h| a.hostname.eq_ignore_ascii_case(h)))
            .filter(|a| os.is_none_or(|o| a.os == o))
            .map(|a| Row {
                id: a.id,
                sort: match paging.field.as_str() {
                    "created_at" => SortVal::Int(a.created_at.unix_timestamp()),
                    "updated_at" => SortVal::Int(a.updated_at.unix_timestamp()),
                    _ => SortVal::Int(a.id),
                },
            })
            .collect();
        paging.respond(req, rows, "agents", |id| st.agents.get(&id).map(agent_json))
    }

    fn get_agent(&self, id: &str) -> HttpResponse {
        let id = match parse_id(id, "id") {
            Ok(id) => id,
            Err(r) => return r,
        };
        let st = self.state();
        match st.agents.get(&id) {
            Some(a) => HttpResponse::json(200, &json!({"agent": agent_json(a)})),
            None => not_found(),
        }
    }

    fn list_incidents(&self, req: &HttpRequest) -> HttpResponse {
        let paging = match self.paging(req, &["id", "created_at", "updated_at"]) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let filters = (|| {
            Ok::<_, HttpResponse>((
                enum_filter(req, "status", STATUSES)?,
                enum_filter(req, "severity", SEVERITIES)?,
                enum_filter(req, "platform", PLATFORMS)?,
                enum_filter(req, "indicator_type", INDICATOR_TYPES)?,
                int_filter(req, "organization_id")?,
                int_filter(req, "agent_id")?,
            ))
        })();
        let (status, severity, platform, indicator, org, agent) = match filters {
            Ok(f) => f,
            Err(r) => return r,
        };
        let shape = self.rem_shape();
        let st = self.state();
        let rows = st
            .incidents
            .values()
            .filter(|i| status.is_none_or(|s| i.status == s))
            .filter(|i| severity.is_none_or(|s| i.severity.as_str() == s))
            .filter(|i| platform.is_none_or(|p| i.platform == p))
            .filter(|i| indicator.is_none_or(|t| i.indicator_types.iter().any(|x| x == t)))
            .filter(|i| org.is_none_or(|o| i.organization_id == o))
            .filter(|i| agent.is_none_or(|a| i.agent_id == Some(a)))
            .map(|i| Row {
                id: i.id,
                sort: match paging.field.as_str() {
                    "created_at" => SortVal::Int(i.created_at.unix_timestamp()),
                    "updated_at" => SortVal::Int(i.updated_at.unix_timestamp()),
                    _ => SortVal::Int(i.id),
                },
            })
            .collect();
        paging.respond(req, rows, "incident_reports", |id| {
            st.incidents
                .get(&id)
                .map(|i| render_incident(&st, i, shape))
        })
    }

    /// The request's paging, with the `first-page-all` reading when switched on.
    fn paging(&self, req: &HttpRequest, fields: &[&str]) -> Result<Paging, HttpResponse> {
        let mut paging = Paging::parse(req, fields)?;
        paging.first_page_all = self.faults.is_on("first-page-all") && paging.after.is_none();
        paging.bare_next_url = self.faults.is_on("next-url-bare");
        Ok(paging)
    }

    fn rem_shape(&self) -> Shape {
        Shape {
            remediations: if self.faults.is_on("remediations-array") {
                RemShape::Array
            } else {
                RemShape::Embedded
            },
            created_at: self.faults.is_on("incident-created-at"),
            legacy_remediations: self.faults.is_on("legacy-remediations"),
        }
    }

    fn get_incident(&self, id: &str) -> HttpResponse {
        let id = match parse_id(id, "id") {
            Ok(id) => id,
            Err(r) => return r,
        };
        let shape = self.rem_shape();
        let st = self.state();
        match st.incidents.get(&id) {
            Some(i) => HttpResponse::json(
                200,
                &json!({"incident_report": render_incident(&st, i, shape)}),
            ),
            None => not_found(),
        }
    }

    fn list_remediations(&self, req: &HttpRequest, id: &str) -> HttpResponse {
        let legacy = self.faults.is_on("legacy-remediations");
        let id = match parse_id(id, "incident_report_id") {
            Ok(id) => id,
            Err(r) => return r,
        };
        let paging = match self.paging(req, &["id", "created_at", "updated_at"]) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let types = match list_filter(req, "types[]", REMEDIATION_TYPES) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let statuses = match list_filter(req, "statuses[]", REMEDIATION_STATUSES) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let st = self.state();
        let Some(inc) = st.incidents.get(&id) else {
            return not_found();
        };
        let rows = inc
            .remediations
            .iter()
            .filter(|r| types.as_ref().is_none_or(|t| t.contains(&r.kind)))
            .filter(|r| statuses.as_ref().is_none_or(|s| s.contains(&r.status)))
            .map(|r| Row {
                id: r.id,
                sort: match paging.field.as_str() {
                    "created_at" => SortVal::Int(r.created_at.unix_timestamp()),
                    "updated_at" => SortVal::Int(r.updated_at.unix_timestamp()),
                    _ => SortVal::Int(r.id),
                },
            })
            .collect();
        paging.respond(req, rows, "remediations", |rid| {
            inc.remediations
                .iter()
                .find(|r| r.id == rid)
                .map(|r| remediation_json(r, legacy))
        })
    }

    fn get_remediation(&self, id: &str, rid: &str) -> HttpResponse {
        let (id, rid) = match (
            parse_id(id, "incident_report_id"),
            parse_id(rid, "remediation_id"),
        ) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        let st = self.state();
        match st
            .incidents
            .get(&id)
            .and_then(|i| i.remediations.iter().find(|r| r.id == rid))
        {
            Some(r) => HttpResponse::json(
                200,
                &json!({"remediation": remediation_json(r, self.faults.is_on("legacy-remediations"))}),
            ),
            None => not_found(),
        }
    }

    /// A write endpoint: user key with permission, known incident, then `apply`'s rules;
    /// 201 with the updated `{incident_report}`.
    fn write(
        &self,
        role: Role,
        permission: &str,
        id: &str,
        apply: impl FnOnce(&mut IncRec, bool) -> Result<(), (u16, String)>,
    ) -> HttpResponse {
        if role == Role::Account || self.faults.is_on("read-only-user-key") {
            let which = if role == Role::Account {
                "The default account API key is read-only"
            } else {
                "This API key's user lacks the permission"
            };
            return error(
                403,
                &format!(
                    "There was an issue with your API credential or permissions. {which}: create a user-based API key with permission to {permission}."
                ),
            );
        }
        let id = match parse_id(id, "id") {
            Ok(id) => id,
            Err(r) => return r,
        };
        let resolved = self.faults.is_on("resolved-status");
        let shape = self.rem_shape();
        let mut st = self.state();
        let Some(inc) = st.incidents.get_mut(&id) else {
            return not_found();
        };
        if let Err((status, msg)) = apply(inc, resolved) {
            return error(status, &msg);
        }
        let inc = st.incidents.get(&id).expect("present");
        HttpResponse::json(
            201,
            &json!({"incident_report": render_incident(&st, inc, shape)}),
        )
    }

    fn control_incidents(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let segs = req.segments();
        let resp = match (req.method.as_str(), &segs[1..]) {
            ("GET", ["incidents"]) => {
                let st = self.state();
                let all: Vec<Value> = st
                    .incidents
                    .values()
                    .map(|i| render_incident(&st, i, Shape::ALL))
                    .collect();
                HttpResponse::json(200, &json!({"incident_reports": all}))
            }
            ("POST", ["incidents"]) => match control_new_incident(req) {
                Ok(new) => match self.add_incident(new) {
                    Ok(id) => self.control_show(id, 201),
                    Err(e) => error(422, &e),
                },
                Err(e) => error(400, &e),
            },
            ("PATCH", ["incidents", id]) => {
                let Ok(id) = id.parse::<i64>() else {
                    return Some(error(400, "id is invalid"));
                };
                let body: Value = match req.json() {
                    Ok(v) => v,
                    Err(e) => return Some(error(400, &format!("invalid JSON body: {e}"))),
                };
                // A key the SOC cannot change here is refused, not ignored: a silent 200
                // would look like a change that never happened.
                let unknown: Vec<&str> = body
                    .as_object()
                    .map(|o| {
                        o.keys()
                            .map(String::as_str)
                            .filter(|k| !matches!(*k, "severity" | "status"))
                            .collect()
                    })
                    .unwrap_or_default();
                if !unknown.is_empty() {
                    return Some(error(
                        400,
                        &format!(
                            "cannot change {} here: PATCH takes \"severity\" and \"status\"; remediations are approved or rejected with POST /_sandbox/incidents/{{id}}/approve|reject",
                            unknown.join(", ")
                        ),
                    ));
                }
                let mut outcome = Ok(());
                if let Some(s) = body.get("severity").and_then(Value::as_str) {
                    outcome = s
                        .parse::<Severity>()
                        .and_then(|sev| self.set_severity(id, sev));
                }
                if let (Ok(()), Some(s)) = (&outcome, body.get("status").and_then(Value::as_str)) {
                    outcome = self.set_status(id, s);
                }
                match outcome {
                    Ok(()) => self.control_show(id, 200),
                    Err(e) if e.starts_with("no incident") => error(404, &e),
                    Err(e) => error(400, &e),
                }
            }
            ("POST", ["incidents", id, action @ ("approve" | "reject" | "resolve")]) => {
                let Ok(id) = id.parse::<i64>() else {
                    return Some(error(400, "id is invalid"));
                };
                let resolved = self.faults.is_on("resolved-status");
                let mut st = self.state();
                let Some(inc) = st.incidents.get_mut(&id) else {
                    return Some(not_found());
                };
                let outcome = match *action {
                    "approve" => approve_all(inc),
                    "reject" => reject_all(inc),
                    _ => resolve(inc, resolved),
                };
                drop(st);
                match outcome {
                    Ok(()) => self.control_show(id, 200),
                    Err((status, msg)) => error(status, &msg),
                }
            }
            ("PUT", ["rate-limit"]) => {
                let body: Value = req.json().unwrap_or(Value::Null);
                match (
                    body.get("max").and_then(Value::as_u64),
                    body.get("window_secs").and_then(Value::as_f64),
                ) {
                    (Some(max), Some(secs)) if max > 0 && secs > 0.0 => {
                        self.set_rate_limit(max as usize, Duration::from_secs_f64(secs));
                        HttpResponse::json(200, &json!({"max": max, "window_secs": secs}))
                    }
                    _ => error(400, "expected {\"max\": n, \"window_secs\": s}"),
                }
            }
            _ => return None,
        };
        Some(resp)
    }

    fn control_show(&self, id: i64, status: u16) -> HttpResponse {
        let st = self.state();
        match st.incidents.get(&id) {
            Some(i) => HttpResponse::json(
                status,
                &json!({"incident_report": render_incident(&st, i, Shape::ALL)}),
            ),
            None => not_found(),
        }
    }
}

impl Emulator for HuntressEmulator {
    fn name(&self) -> &'static str {
        "huntress"
    }

    fn handle(&self, req: &HttpRequest) -> HttpResponse {
        if self.faults.is_on("server-error") {
            return error(500, "An error has occurred within Huntress servers.");
        }
        let role = match self.authenticate(req) {
            Ok(r) => r,
            Err(resp) => return resp,
        };
        if let Some(resp) = self.throttle() {
            return resp;
        }
        self.route(req, role)
    }

    fn faults(&self) -> &'static [FaultInfo] {
        FAULTS
    }

    fn fault_set(&self) -> &Faults {
        &self.faults
    }

    fn control(&self, req: &HttpRequest) -> Option<HttpResponse> {
        self.control_incidents(req)
    }
}

// ----- rules of the close-loop endpoints -----

fn approve_all(inc: &mut IncRec) -> Result<(), (u16, String)> {
    settle_unapproved(inc, true)
}

fn reject_all(inc: &mut IncRec) -> Result<(), (u16, String)> {
    settle_unapproved(inc, false)
}

/// Bulk approval or rejection: every unapproved remediation becomes `approved` (with who
/// and when) or `cancelled` (sent back to the SOC); 409 unless the report is `sent`, 422
/// when nothing is left to decide.
fn settle_unapproved(inc: &mut IncRec, approve: bool) -> Result<(), (u16, String)> {
    if inc.status != "sent" {
        return Err((409, "Incident Report must have a status of 'sent'.".into()));
    }
    let t = now();
    let mut any = false;
    for r in inc
        .remediations
        .iter_mut()
        .filter(|r| r.status == "unapproved")
    {
        if approve {
            r.status = "approved".into();
            r.approved_at = Some(t);
            r.approved_by_user = true;
        } else {
            r.status = "cancelled".into();
        }
        r.updated_at = t;
        any = true;
    }
    if !any {
        let verb = if approve { "approve" } else { "reject" };
        return Err((
            422,
            format!("Unable to {verb} remediations: there are no unapproved remediations."),
        ));
    }
    inc.touch();
    Ok(())
}

fn resolve(inc: &mut IncRec, resolved_status: bool) -> Result<(), (u16, String)> {
    if inc.status != "sent" {
        return Err((
            422,
            "Incident Report cannot be resolved unless report status is 'sent'.".into(),
        ));
    }
    let all_approved = inc
        .remediations
        .iter()
        .all(|r| r.approved_at.is_some() || matches!(r.status.as_str(), "approved" | "completed"));
    if !all_approved {
        return Err((
            409,
            "Incident Report cannot be resolved. Confirm that all remediations are approved and report status is 'sent'.".into(),
        ));
    }
    inc.set_status(if resolved_status {
        "resolved"
    } else {
        "closed"
    });
    Ok(())
}

/// `bulk_rejection` requires `comment` (string) and `useful` (boolean); the endpoint
/// documents only 201/403/409/422, so missing ones are 422 ("unable to reject"). A body
/// that is not JSON at all stays the framework's 400.
fn rejection_params(req: &HttpRequest) -> Result<(), HttpResponse> {
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        req.json()
            .map_err(|e| error(400, &format!("The request body is not valid JSON: {e}")))?
    };
    let mut missing = Vec::new();
    if !body.get("comment").is_some_and(Value::is_string) {
        missing.push("comment is missing");
    }
    if !body.get("useful").is_some_and(Value::is_boolean) {
        missing.push("useful is missing");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(error(422, &missing.join(", ")))
    }
}

// ----- paging -----

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortVal {
    Int(i64),
    Str(String),
}

/// A list item's identity and sort key; only the served page is rendered.
struct Row {
    id: i64,
    sort: SortVal,
}

struct Paging {
    limit: usize,
    field: String,
    desc: bool,
    after: Option<(SortVal, i64)>,
    /// Serve every row on this (first) page, paginating as if `limit` held.
    first_page_all: bool,
    /// `next_page_url` as the documentation's example shows it: token and limit only.
    bare_next_url: bool,
}

impl Paging {
    fn parse(req: &HttpRequest, fields: &[&str]) -> Result<Paging, HttpResponse> {
        let limit = match req.query("limit") {
            None => DEFAULT_LIMIT,
            Some(raw) => match raw.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => return Err(error(400, "limit does not have a valid value")),
            },
        };
        let field = match req.query("sort_field") {
            None => "id".to_string(),
            Some(f) if fields.contains(&f) => f.to_string(),
            Some(_) => return Err(error(400, "sort_field does not have a valid value")),
        };
        let desc = match req.query("sort_direction") {
            None | Some("desc") => true,
            Some("asc") => false,
            Some(_) => return Err(error(400, "sort_direction does not have a valid value")),
        };
        let after = match req.query("page_token").filter(|t| !t.is_empty()) {
            None => None,
            Some(token) => Some(
                decode_token(token, &field).ok_or_else(|| error(400, "page_token is invalid"))?,
            ),
        };
        Ok(Paging {
            limit,
            field,
            desc,
            after,
            first_page_all: false,
            bare_next_url: false,
        })
    }

    fn respond(
        &self,
        req: &HttpRequest,
        mut rows: Vec<Row>,
        plural: &str,
        render: impl Fn(i64) -> Option<Value>,
    ) -> HttpResponse {
        rows.sort_by(|a, b| (&a.sort, a.id).cmp(&(&b.sort, b.id)));
        if self.desc {
            rows.reverse();
        }
        let start = match &self.after {
            None => 0,
            Some((val, id)) => {
                let pos = (val, *id);
                rows.iter()
                    .position(|r| {
                        let key = (&r.sort, r.id);
                        if self.desc {
                            key < (pos.0, pos.1)
                        } else {
                            key > (pos.0, pos.1)
                        }
                    })
                    .unwrap_or(rows.len())
            }
        };
        let end = (start + self.limit).min(rows.len());
        let more = end < rows.len();
        let mut pagination = Map::new();
        if more {
            let last = &rows[end - 1];
            let token = encode_token(&self.field, &last.sort, last.id);
            pagination.insert(
                "next_page_url".into(),
                Value::String(next_page_url(req, &token, self.limit, self.bare_next_url)),
            );
            pagination.insert("next_page_token".into(), Value::String(token));
        } else {
            pagination.insert("next_page_token".into(), Value::Null);
        }
        let served = if self.first_page_all { rows.len() } else { end };
        let items: Vec<Value> = rows[start..served]
            .iter()
            .filter_map(|r| render(r.id))
            .collect();
        let mut body = Map::new();
        body.insert(plural.to_string(), Value::Array(items));
        body.insert("pagination".into(), Value::Object(pagination));
        HttpResponse::json(200, &Value::Object(body))
    }
}

/// The request's own URL with every query parameter it was sent with (filters, sort, as
/// encoded) except `page_token` and `limit`, then the next token and the same limit. The
/// reference only says the URL keeps `limit`; `bare` gives the documentation example's
/// form (token and limit alone), which loses filters and sort for a client that follows it.
fn next_page_url(req: &HttpRequest, token: &str, limit: usize, bare: bool) -> String {
    let mut query: Vec<&str> = req
        .raw_query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !bare && !pair.is_empty() && key != "page_token" && key != "limit"
        })
        .collect();
    let tail = format!("page_token={token}&limit={limit}");
    query.push(&tail);
    format!("{}{}?{}", req.origin, req.path, query.join("&"))
}

/// Opaque keyset cursor: the sort field, the last row's sort value and id.
fn encode_token(field: &str, val: &SortVal, id: i64) -> String {
    let v = match val {
        SortVal::Int(n) => format!("i{n}"),
        SortVal::Str(s) => format!("s{s}"),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{field}\u{1f}{id}\u{1f}{v}"))
}

fn decode_token(token: &str, field: &str) -> Option<(SortVal, i64)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut parts = text.splitn(3, '\u{1f}');
    let (f, id, v) = (parts.next()?, parts.next()?, parts.next()?);
    if f != field {
        return None;
    }
    let id = id.parse().ok()?;
    let val = match v.split_at_checked(1)? {
        ("i", n) => SortVal::Int(n.parse().ok()?),
        ("s", s) => SortVal::Str(s.to_string()),
        _ => return None,
    };
    Some((val, id))
}

// ----- parameters -----

fn parse_id(raw: &str, name: &str) -> Result<i64, HttpResponse> {
    raw.parse::<i64>()
        .map_err(|_| error(400, &format!("{name} is invalid")))
}

fn int_filter(req: &HttpRequest, name: &str) -> Result<Option<i64>, HttpResponse> {
    match req.query(name) {
        None => Ok(None),
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| error(400, &format!("{name} is invalid"))),
    }
}

fn enum_filter<'a>(
    req: &'a HttpRequest,
    name: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, HttpResponse> {
    match req.query(name) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v)),
        Some(_) => Err(error(400, &format!("{name} does not have a valid value"))),
    }
}

/// `types[]=a,b` (comma-separated, possibly repeated).
fn list_filter(
    req: &HttpRequest,
    name: &str,
    allowed: &[&str],
) -> Result<Option<Vec<String>>, HttpResponse> {
    let values: Vec<String> = req
        .query
        .iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    if values.iter().any(|v| !allowed.contains(&v.as_str())) {
        return Err(error(400, &format!("{name} does not have a valid value")));
    }
    Ok(Some(values))
}

fn known_path(rest: &[&str]) -> bool {
    matches!(
        rest,
        ["account"] | ["actor"] | ["organizations", ..] | ["agents", ..] | ["incident_reports", ..]
    )
}

fn control_new_incident(req: &HttpRequest) -> Result<NewIncident, String> {
    let body: Value = req.json().map_err(|e| format!("invalid JSON body: {e}"))?;
    let org = body
        .get("organization_id")
        .and_then(Value::as_i64)
        .ok_or("organization_id (integer) is required")?;
    let severity = match body.get("severity").and_then(Value::as_str) {
        Some(s) => s.parse::<Severity>()?,
        None => Severity::High,
    };
    let mut new = NewIncident::new(org, severity);
    new.agent_id = body.get("agent_id").and_then(Value::as_i64);
    if let Some(p) = body.get("platform").and_then(Value::as_str) {
        if !PLATFORMS.contains(&p) {
            return Err(format!("unknown platform '{p}'"));
        }
        new.platform = p.to_string();
    }
    if let Some(types) = body.get("indicator_types").and_then(Value::as_array) {
        new.indicator_types = types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    if let Some(s) = body.get("summary").and_then(Value::as_str) {
        new.summary = s.to_string();
    }
    new.identity = body
        .get("identity")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(n) = body.get("remediations").and_then(Value::as_u64) {
        new.remediations = n as usize;
    }
    Ok(new)
}

// ----- rendering -----

/// How incident reports are rendered: the remediations' envelope and the UNCONFIRMED
/// variations switched by faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    remediations: RemShape,
    created_at: bool,
    legacy_remediations: bool,
}

impl Shape {
    /// In-process views: every remediation, the current shape.
    const ALL: Shape = Shape {
        remediations: RemShape::All,
        created_at: false,
        legacy_remediations: false,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RemShape {
    /// `{total_count, has_more, items}` with the first 10 (the documented shape).
    Embedded,
    /// A bare array of the first 10 (drift seen in clients).
    Array,
    /// Every remediation (in-process views).
    All,
}

fn account_json() -> Value {
    json!({
        "id": SANDBOX_ACCOUNT_ID,
        "name": SANDBOX_ACCOUNT_NAME,
        "subdomain": SANDBOX_SUBDOMAIN,
        "status": "enabled",
        "support_type": "not_applicable",
        "neighborhood_watch": {"edr": 0, "ispm": 0, "itdr": 0, "sat": 0, "siem": 0},
        "billing_address": null,
        "shipping_address": null,
    })
}

fn user_json() -> Value {
    json!({"id": 777, "email": "tech@northwindmsp.example", "name": "Sandbox Technician"})
}

fn actor_json(role: Role) -> Value {
    let account = json!({
        "id": SANDBOX_ACCOUNT_ID,
        "name": SANDBOX_ACCOUNT_NAME,
        "subdomain": SANDBOX_SUBDOMAIN,
        "status": "enabled",
    });
    match role {
        Role::Account => json!({"account": account}),
        Role::User => json!({"account": account, "user": user_json()}),
    }
}

/// Agents and incidents per organization, counted once per request.
struct Counts {
    agents: HashMap<i64, usize>,
    incidents: HashMap<i64, usize>,
}

impl Counts {
    fn of(st: &State) -> Counts {
        let mut counts = Counts {
            agents: HashMap::new(),
            incidents: HashMap::new(),
        };
        for a in st.agents.values() {
            *counts.agents.entry(a.organization_id).or_default() += 1;
        }
        for i in st.incidents.values() {
            *counts.incidents.entry(i.organization_id).or_default() += 1;
        }
        counts
    }

    fn agents(&self, org: i64) -> usize {
        self.agents.get(&org).copied().unwrap_or(0)
    }

    fn incidents(&self, org: i64) -> usize {
        self.incidents.get(&org).copied().unwrap_or(0)
    }
}

fn org_json(counts: &Counts, o: &OrgRec, legacy: bool) -> Value {
    let mut v = json!({
        "id": o.id,
        "account_id": SANDBOX_ACCOUNT_ID,
        "name": o.name,
        "key": o.key,
        "created_at": rfc3339(o.created_at),
        "updated_at": rfc3339(o.updated_at),
        "agents_count": counts.agents(o.id),
        "incident_reports_count": counts.incidents(o.id),
        "logs_sources_count": 0,
        "billable_identity_count": if o.tenant_id.is_some() { 25 } else { 0 },
        "sat_learner_count": 0,
    });
    if legacy {
        v["microsoft_365_tenant_id"] = json!(o.tenant_id);
        v["microsoft_365_users_count"] = json!(if o.tenant_id.is_some() { 25 } else { 0 });
        v["notify_emails"] = json!(o.recipients);
    } else {
        v["identity_provider_tenant_id"] = json!(o.tenant_id);
        v["report_recipients"] = json!(o.recipients);
    }
    v
}

fn agent_json(a: &AgentRec) -> Value {
    json!({
        "id": a.id,
        "account_id": SANDBOX_ACCOUNT_ID,
        "organization_id": a.organization_id,
        "hostname": a.hostname,
        "platform": a.platform,
        "os": a.os,
        "arch": "x86_64",
        "version": "0.14.88",
        "edr_version": "0.3.20",
        "domain_name": "WORKGROUP",
        "ipv4_address": a.ipv4,
        "external_ip": "198.51.100.42",
        "serial_number": a.serial,
        "mac_addresses": [format!("7c:a7:b0:{:02x}:{:02x}:{:02x}", (a.id >> 16) & 0xff, (a.id >> 8) & 0xff, a.id & 0xff)],
        "defender_status": "Healthy",
        "defender_substatus": "Up to date",
        "defender_policy_status": "Compliant",
        "firewall_status": "Enabled",
        "tamper_protection_configured": true,
        "tamper_protection_actual": true,
        "tags": [],
        "created_at": rfc3339(a.created_at),
        "updated_at": rfc3339(a.updated_at),
        "last_callback_at": rfc3339(a.last_callback_at),
    })
}

fn remediation_json(r: &RemRec, legacy: bool) -> Value {
    if legacy {
        return legacy_remediation_json(r);
    }
    let parameters: Value = match r.kind.as_str() {
        "manual" => Value::Array(Vec::new()),
        "containment" => json!(
            r.parameters
                .first()
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        ),
        _ => r
            .parameters
            .iter()
            .map(|(name, description)| json!({"name": name, "description": description}))
            .collect(),
    };
    json!({
        "id": r.id,
        "type": r.kind,
        "action": r.action,
        "parameters": parameters,
        "status": r.status,
        "approved_at": r.approved_at.map(rfc3339),
        "approved_by": if r.approved_by_user { user_json() } else { Value::Null },
        "completed_at": r.completed_at.map(rfc3339),
    })
}

fn subject(st: &State, i: &IncRec) -> String {
    let org = st
        .orgs
        .get(&i.organization_id)
        .map(|o| o.name.as_str())
        .unwrap_or("Unknown Organization");
    let target = match (i.agent_id, &i.subject_target) {
        (Some(a), _) => st
            .agents
            .get(&a)
            .map(|a| a.hostname.clone())
            .unwrap_or_else(|| "unknown host".into()),
        (None, Some(t)) => t.clone(),
        (None, None) => match i.platform.as_str() {
            "microsoft_365" => "Microsoft 365".into(),
            "google" => "Google Workspace".into(),
            "email_security" => "Email Security".into(),
            _ => "SIEM".into(),
        },
    };
    format!("{} - Incident on {target} ({org})", i.severity.upper())
}

/// The older remediation shape pyhuntress models: `display_action`, `details` (an object),
/// `completable_by_task_response`, `completable_manually`, and `approved_by` with first
/// and last names.
fn legacy_remediation_json(r: &RemRec) -> Value {
    let details: Map<String, Value> = r
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "id": r.id,
        "type": r.kind,
        "status": r.status,
        "details": details,
        "completable_by_task_response": r.kind == "assisted",
        "completable_manually": r.kind == "manual",
        "display_action": r.action,
        "approved_at": r.approved_at.map(rfc3339),
        "approved_by": if r.approved_by_user {
            json!({"id": 777, "email": "tech@northwindmsp.example", "first_name": "Sandbox", "last_name": "Technician"})
        } else {
            Value::Null
        },
        "completed_at": r.completed_at.map(rfc3339),
    })
}

fn render_incident(st: &State, i: &IncRec, shape: Shape) -> Value {
    let legacy = shape.legacy_remediations;
    let mut counts = Map::new();
    for classic in [
        "footholds",
        "monitored_files",
        "process_detections",
        "ransomware_canaries",
        "antivirus_detections",
    ] {
        counts.insert(classic.into(), json!(0));
    }
    for t in &i.indicator_types {
        counts.insert(t.clone(), json!(1));
    }
    let items = |n: usize| -> Vec<Value> {
        i.remediations
            .iter()
            .take(n)
            .map(|r| remediation_json(r, legacy))
            .collect()
    };
    let remediations = match shape.remediations {
        RemShape::Embedded => json!({
            "total_count": i.remediations.len(),
            "has_more": i.remediations.len() > EMBEDDED_REMEDIATIONS,
            "items": items(EMBEDDED_REMEDIATIONS),
        }),
        RemShape::Array => Value::Array(items(EMBEDDED_REMEDIATIONS)),
        RemShape::All => json!({
            "total_count": i.remediations.len(),
            "has_more": false,
            "items": items(usize::MAX),
        }),
    };
    let mut report = json!({
        "id": i.id,
        "account_id": SANDBOX_ACCOUNT_ID,
        "organization_id": i.organization_id,
        "agent_id": i.agent_id,
        "status": i.status,
        "status_updated_at": rfc3339(i.status_updated_at),
        "severity": i.severity.as_str(),
        "subject": subject(st, i),
        "summary": i.summary,
        "body": i.body,
        "platform": i.platform,
        "indicator_types": i.indicator_types,
        "indicator_counts": counts,
        "sent_at": i.sent_at.map(rfc3339),
        "closed_at": i.closed_at.map(rfc3339),
        "updated_at": rfc3339(i.updated_at),
        "remediations": remediations,
    });
    if shape.created_at
        && let Some(obj) = report.as_object_mut()
    {
        obj.insert("created_at".into(), Value::String(rfc3339(i.created_at)));
    }
    report
}

// ----- seeding -----

fn seed_incident(i: &SeedIncident, start: OffsetDateTime) -> IncRec {
    let sent = start - time::Duration::minutes(i.age_minutes);
    let closed =
        matches!(i.status, "closed").then(|| (sent + time::Duration::minutes(45)).min(start));
    let status_at = match i.status {
        "sent" => sent,
        _ => (sent + time::Duration::minutes(45)).min(start),
    };
    let approved_at = (sent + time::Duration::minutes(10)).min(start);
    let remediations = i
        .remediations
        .iter()
        .map(|r| {
            let approved = matches!(r.status, "approved" | "completed" | "failed");
            RemRec {
                id: r.id,
                kind: r.kind.to_string(),
                action: r.action.clone(),
                parameters: r.parameters.clone(),
                status: r.status.to_string(),
                approved_at: approved.then_some(approved_at),
                approved_by_user: approved,
                completed_at: (r.status == "completed")
                    .then(|| (approved_at + time::Duration::minutes(5)).min(start)),
                created_at: sent,
                updated_at: if approved { approved_at } else { sent },
            }
        })
        .collect::<Vec<_>>();
    let last_change = remediations
        .iter()
        .map(|r| r.updated_at)
        .chain([status_at])
        .max()
        .unwrap_or(sent);
    IncRec {
        id: i.id,
        organization_id: i.organization_id,
        agent_id: i.agent_id,
        platform: i.platform.to_string(),
        severity: i.severity,
        status: i.status.to_string(),
        indicator_types: i.indicator_types.iter().map(|s| s.to_string()).collect(),
        summary: i.summary.clone(),
        body: i.body.clone(),
        subject_target: i.subject_target.clone(),
        remediations,
        created_at: sent - time::Duration::minutes(20),
        sent_at: Some(sent),
        closed_at: closed,
        status_updated_at: status_at,
        updated_at: last_change,
    }
}

fn new_remediation(id: i64, t: OffsetDateTime) -> RemRec {
    RemRec {
        id,
        kind: "assisted".into(),
        action: "Delete Scheduled Task".into(),
        parameters: vec![(
            "path".into(),
            format!("c:\\windows\\system32\\tasks\\updater_{id}"),
        )],
        status: "unapproved".into(),
        approved_at: None,
        approved_by_user: false,
        completed_at: None,
        created_at: t,
        updated_at: t,
    }
}

fn pseudo_guid(id: i64) -> String {
    let h = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h >> 20) & 0xfff,
        h & 0xffff_ffff_ffff
    )
}

fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(0).unwrap_or(t)
}

fn error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::json(status, &json!({"error": message}))
}

fn not_found() -> HttpResponse {
    error(404, "404 Not Found")
}

#[cfg(test)]
mod tests;
