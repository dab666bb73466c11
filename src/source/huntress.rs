//! The Huntress REST API v1 client (`reference/huntress-and-peers.md` part A).
//!
//! HTTP Basic auth; the documented budget of 60 requests per minute on a sliding window,
//! paced client-side; `limit=500` pages followed by `pagination.next_page_token` until it
//! is absent or empty (never `next_page_url`, never a `page` parameter). Items are taken
//! once by id, so a first page that already holds every result (a literal reading of the
//! docs) costs one extra request, not duplicates. `created_at` on incident reports and
//! the older remediation shape are both read when present (see the model). Huntress has no
//! "updated since" filter, so incident listings walk `sort_field=updated_at` descending and
//! stop at the first item older than the cursor.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use time::OffsetDateTime;

use super::{Account, Incident, IncidentQuery, IncidentStatus, Remediation, Source};
use crate::http::{
    ApiError, ApiErrorKind, BaseUrl, BaseUrlError, Call, Http, RateLimit, Service, ServicePolicy,
};
use crate::secrets::Secret;
use crate::store::HuntressSourceConfig;

pub const DEFAULT_BASE_URL: &str = "https://api.huntress.io";
/// Where the API secret comes from in CI (SPEC §5).
pub const SECRET_ENV: &str = "PSA_LINK_HUNTRESS_API_SECRET";
/// The largest page the API serves.
pub const PAGE_LIMIT: u32 = 500;
/// Wait after a 429 without `Retry-After` (Huntress documents none; Alga backs off 10 s).
pub const FALLBACK_THROTTLE_WAIT: Duration = Duration::from_secs(10);

const SERVICE: &str = "Huntress";

/// A Huntress API client for one credential pair.
pub struct HuntressClient {
    svc: Service,
    api_key: String,
    secret: Secret,
    /// The account's portal subdomain, learnt from `GET /v1/account`.
    subdomain: OnceLock<Option<String>>,
    hostnames: Mutex<HashMap<i64, Option<String>>>,
}

impl HuntressClient {
    /// The service policy: 60 requests per minute (sliding window), 10 s after a 429 that
    /// names no wait.
    pub fn policy() -> ServicePolicy {
        let mut policy = ServicePolicy::new(SERVICE, RateLimit::per_minute(60));
        policy.retry.wait_without_retry_after = FALLBACK_THROTTLE_WAIT;
        policy
    }

    pub fn new(http: &Http, base: BaseUrl, api_key: &str, api_secret: Secret) -> HuntressClient {
        HuntressClient::with_policy(http, base, api_key, api_secret, HuntressClient::policy())
    }

    /// With a custom policy (tests shorten the 429 fallback wait). Clients on one [`Http`]
    /// share a single rate limiter: the budget is per Huntress account.
    pub fn with_policy(
        http: &Http,
        base: BaseUrl,
        api_key: &str,
        api_secret: Secret,
        policy: ServicePolicy,
    ) -> HuntressClient {
        HuntressClient {
            svc: http.service(policy, base),
            api_key: api_key.trim().to_string(),
            secret: api_secret,
            subdomain: OnceLock::new(),
            hostnames: Mutex::new(HashMap::new()),
        }
    }

    pub fn base(&self) -> &BaseUrl {
        self.svc.base()
    }

    fn get(&self, path: &str) -> Call<'_> {
        self.svc.get(path).basic(&self.api_key, &self.secret)
    }

    /// Every item of a list endpoint under `key`, `limit=500` per page, following
    /// `next_page_token`. `more(page)` may stop the walk early (it sees each page's items).
    fn pages<T: DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        params: &[(&str, String)],
        mut more: impl FnMut(&[T]) -> bool,
    ) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        // Items already taken, by id: should a first page hold every result (one reading
        // of the docs) and still offer a token, the next pages repeat them.
        let mut seen: std::collections::HashSet<i64> = std::collections::HashSet::new();
        loop {
            let mut call = self.get(path).query("limit", PAGE_LIMIT);
            for (k, v) in params {
                call = call.query(k, v);
            }
            let mut body: Value = call
                .query_opt("page_token", token.as_deref())
                .send()
                .map_err(|e| self.explain_read(e))?
                .json()?;
            let items = match body.get_mut(key).map(Value::take) {
                Some(Value::Array(items)) => items,
                Some(Value::Null) | None => {
                    return Err(ApiError::protocol(
                        SERVICE,
                        format!("GET {path} answered without the '{key}' list"),
                    ));
                }
                Some(other) => {
                    return Err(ApiError::protocol(
                        SERVICE,
                        format!("GET {path}: '{key}' is not a list ({other})"),
                    ));
                }
            };
            let served = items.len();
            let items: Vec<Value> = items
                .into_iter()
                .filter(|v| {
                    v.get("id")
                        .and_then(Value::as_i64)
                        .is_none_or(|id| seen.insert(id))
                })
                .collect();
            // A page of nothing new: the walk has already seen everything.
            if served > 0 && items.is_empty() {
                return Ok(out);
            }
            let page: Vec<T> = items
                .into_iter()
                .enumerate()
                .map(|(n, v)| {
                    serde_json::from_value(v).map_err(|e| {
                        ApiError::protocol(SERVICE, format!("GET {path}: {key}[{n}]: {e}"))
                    })
                })
                .collect::<Result<_, _>>()?;
            let keep_going = more(&page);
            out.extend(page);
            let next = next_page_token(&body);
            if !keep_going || next.is_none() {
                return Ok(out);
            }
            if next == token {
                return Err(ApiError::protocol(
                    SERVICE,
                    format!("GET {path} returned the same page token twice; stopping"),
                ));
            }
            token = next;
        }
    }

    /// One incident status (or none) walked newest-updated first, stopping past `since`.
    fn walk_incidents(
        &self,
        status: Option<&IncidentStatus>,
        query: &IncidentQuery,
    ) -> Result<Vec<Incident>, ApiError> {
        let mut params = vec![
            ("sort_field", "updated_at".to_string()),
            ("sort_direction", "desc".to_string()),
        ];
        if let Some(s) = status {
            params.push(("status", s.as_str().to_string()));
        }
        params.extend(query.api_filters());
        let since = query.updated_since;
        let older = |i: &Incident| match (since, updated_at(i)) {
            (Some(since), Some(t)) => t < since,
            _ => false,
        };
        let mut all = self.pages::<Incident>(
            "/v1/incident_reports",
            "incident_reports",
            &params,
            |page| !page.iter().any(older),
        )?;
        all.retain(|i| !older(i));
        Ok(all)
    }

    /// Every remediation of one incident (the report embeds only the first 10).
    fn remediations(&self, id: i64) -> Result<Vec<Remediation>, ApiError> {
        self.pages(
            &format!("/v1/incident_reports/{id}/remediations"),
            "remediations",
            &[
                ("sort_field", "id".to_string()),
                ("sort_direction", "asc".to_string()),
            ],
            |_| true,
        )
    }

    fn complete_remediations(&self, incident: &mut Incident) -> Result<(), ApiError> {
        if incident.remediations_truncated {
            incident.remediations = self.remediations(incident.id)?;
            incident.remediations_truncated = false;
        }
        Ok(())
    }

    /// Read once per client; a failed read is remembered as unknown (no link).
    fn subdomain(&self) -> Option<String> {
        if let Some(known) = self.subdomain.get() {
            return known.clone();
        }
        // `fetch_account` records the subdomain itself on success.
        if self.fetch_account().is_err() {
            let _ = self.subdomain.set(None);
        }
        self.subdomain.get().cloned().flatten()
    }

    fn fetch_account(&self) -> Result<Account, ApiError> {
        let body: Value = self
            .get("/v1/account")
            .send()
            .map_err(|e| self.explain_account(e))?
            .json()?;
        let account: Account = envelope(body, "account", "GET /v1/account")?;
        let _ = self.subdomain.set(clean(account.subdomain.clone()));
        Ok(account)
    }

    /// Where keys come from, for every credential failure.
    fn key_fix(&self) -> String {
        let portal = match self.subdomain.get() {
            Some(Some(s)) => format!("https://{s}.huntress.io/account/api_credentials"),
            _ => "https://<your subdomain>.huntress.io/account/api_credentials".to_string(),
        };
        format!(
            "check the Huntress API key and secret: they are generated at {portal} (the secret is shown only once; regenerating replaces both). Set the secret in {SECRET_ENV} or store it again with `psa-link source set huntress --api-key <KEY>`"
        )
    }

    fn explain_account(&self, e: ApiError) -> ApiError {
        match e.status {
            Some(401 | 403) => {
                let fix = self.key_fix();
                e.with_kind(ApiErrorKind::Auth).with_fix(fix)
            }
            _ => self.explain_read(e),
        }
    }

    fn explain_read(&self, e: ApiError) -> ApiError {
        match e.status {
            Some(401) => {
                let fix = self.key_fix();
                e.with_kind(ApiErrorKind::Auth).with_fix(fix)
            }
            Some(403) => {
                let fix = format!(
                    "Huntress refused these credentials or their permissions; {}",
                    self.key_fix()
                );
                e.with_fix(fix)
            }
            Some(500) if e.fix.is_none() => e.with_fix(
                "Huntress had a server error; retry later and check https://huntressstatus.statuspage.io",
            ),
            _ => e,
        }
    }

    fn explain_resolution(&self, id: i64, e: ApiError) -> Result<Incident, ApiError> {
        let user_key = "resolving incidents needs a user-based Huntress API key with permission to resolve incident reports (the default account API key is read-only): create one in the Huntress portal under your user's API credentials and configure it with `psa-link source set huntress`";
        Err(match e.status {
            Some(401) => e.with_kind(ApiErrorKind::Auth).with_fix(format!(
                "{}; or {user_key}",
                self.key_fix()
            )),
            Some(403) => e.with_kind(ApiErrorKind::Permission).with_fix(user_key),
            Some(404) => e.with_fix(format!(
                "Huntress has no incident report {id} visible to these credentials"
            )),
            Some(409) => e.with_fix(format!(
                "Huntress resolves an incident only when every remediation is approved: approve incident {id}'s remediations in the Huntress portal, then resolve it again"
            )),
            Some(422) => {
                // Only `sent` incidents can be resolved; one already closed is done.
                let current = self.incident(id)?;
                if current.status == IncidentStatus::Closed {
                    return Ok(current);
                }
                e.with_fix(format!(
                    "incident {id} is '{}' in Huntress; only incidents in status 'sent' can be resolved",
                    current.status
                ))
            }
            _ => self.explain_read(e),
        })
    }
}

impl Source for HuntressClient {
    fn account(&self) -> Result<Account, ApiError> {
        self.fetch_account()
    }

    fn organizations(&self) -> Result<Vec<super::Organization>, ApiError> {
        self.pages(
            "/v1/organizations",
            "organizations",
            &[
                ("sort_field", "id".to_string()),
                ("sort_direction", "asc".to_string()),
            ],
            |_| true,
        )
    }

    fn incidents(&self, query: &IncidentQuery) -> Result<Vec<Incident>, ApiError> {
        // The status filter takes one value: one walk per wanted status, concurrently.
        let mut statuses: Vec<&IncidentStatus> = Vec::new();
        for s in &query.statuses {
            if !statuses.contains(&s) {
                statuses.push(s);
            }
        }
        let walks: Vec<Result<Vec<Incident>, ApiError>> = if statuses.len() <= 1 {
            vec![self.walk_incidents(statuses.first().copied(), query)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = statuses
                    .iter()
                    .copied()
                    .map(|s| scope.spawn(move || self.walk_incidents(Some(s), query)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(ApiError::protocol(SERVICE, "an incident walk panicked"))
                        })
                    })
                    .collect()
            })
        };
        let mut by_id = BTreeMap::new();
        for walk in walks {
            for incident in walk? {
                by_id.insert(incident.id, incident);
            }
        }
        let mut out: Vec<Incident> = by_id.into_values().collect();
        for incident in &mut out {
            self.complete_remediations(incident)?;
        }
        out.sort_by_key(|i| (updated_at(i), i.id));
        Ok(out)
    }

    fn incident(&self, id: i64) -> Result<Incident, ApiError> {
        let body: Value = self
            .get(&format!("/v1/incident_reports/{id}"))
            .send()
            .map_err(|e| self.explain_read(e))?
            .json()?;
        let mut incident: Incident = envelope(
            body,
            "incident_report",
            &format!("GET /v1/incident_reports/{id}"),
        )?;
        self.complete_remediations(&mut incident)?;
        Ok(incident)
    }

    fn hostname(&self, agent_id: i64) -> Result<Option<String>, ApiError> {
        if let Some(known) = self
            .hostnames
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&agent_id)
        {
            return Ok(known.clone());
        }
        let resp = self
            .get(&format!("/v1/agents/{agent_id}"))
            .accept_status(&[404])
            .send()
            .map_err(|e| self.explain_read(e))?;
        // An uninstalled agent is gone from the API: no host name, not an error.
        let hostname = if resp.status == 404 {
            None
        } else {
            let body: Value = resp.json()?;
            body.get("agent")
                .and_then(|a| a.get("hostname"))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_string)
        };
        self.hostnames
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(agent_id, hostname.clone());
        Ok(hostname)
    }

    fn resolve(&self, id: i64) -> Result<Incident, ApiError> {
        // Sent once: a lost answer is settled by the 422 branch on a re-run, never a loop.
        let sent = self
            .svc
            .post(&format!("/v1/incident_reports/{id}/resolution"))
            .basic(&self.api_key, &self.secret)
            .json(&serde_json::json!({}))
            .send();
        match sent {
            Ok(resp) => {
                let body: Value = resp.json()?;
                let mut incident: Incident = envelope(
                    body,
                    "incident_report",
                    &format!("POST /v1/incident_reports/{id}/resolution"),
                )?;
                self.complete_remediations(&mut incident)?;
                Ok(incident)
            }
            Err(e) => self.explain_resolution(id, e),
        }
    }

    fn incident_url(&self, id: i64) -> Option<String> {
        // UNCONFIRMED path: the one Alga builds (and itself flags as unverified).
        self.subdomain()
            .map(|s| format!("https://{s}.huntress.io/incident_reports/{id}"))
    }
}

/// Opens the configured Huntress source.
pub fn open(
    config: &HuntressSourceConfig,
    secret: Secret,
    http: &Http,
) -> Result<HuntressClient, BaseUrlError> {
    let base = BaseUrl::parse(config.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
    Ok(HuntressClient::new(http, base, &config.api_key, secret))
}

/// `pagination.next_page_token`, when present and non-empty.
fn next_page_token(body: &Value) -> Option<String> {
    body.get("pagination")
        .and_then(|p| p.get("next_page_token"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The object under the singular key of a single-resource answer.
fn envelope<T: DeserializeOwned>(mut body: Value, key: &str, what: &str) -> Result<T, ApiError> {
    let inner = body
        .get_mut(key)
        .map(Value::take)
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::protocol(SERVICE, format!("{what} answered without '{key}'")))?;
    serde_json::from_value(inner)
        .map_err(|e| ApiError::protocol(SERVICE, format!("{what}: {key}: {e}")))
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The incident's `updated_at`, parsed (RFC 3339).
pub(crate) fn updated_at(i: &Incident) -> Option<OffsetDateTime> {
    i.updated_at.as_deref().and_then(parse_time)
}

pub(crate) fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests;
