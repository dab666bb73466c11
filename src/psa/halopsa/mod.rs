//! HaloPSA: OAuth client credentials, `pageinate` paging with concurrent pages, tickets in
//! a ticket type with SLA-scoped priorities, private notes as Actions with an outcome, and
//! the diagnoses of Huntress's HaloPSA guide (reference part A, SPEC §7).

mod auth;
pub mod diagnose;
#[cfg(test)]
mod tests;
mod wire;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use self::auth::Auth;
pub use self::auth::{AuthEndpoint, AuthSource};
pub use self::diagnose::Op;
use self::diagnose::{diagnose, error_message};
use self::wire::{field_bool, field_int, field_text, records, records_mut};
use super::{
    Choice, Company, MarkerSearch, NewTicket, Note, Psa, PsaKind, PsaOp, RequestPreview, Ticket,
    TicketChange, preview_text, preview_ticket,
};
use crate::error::Failure;
use crate::http::{
    ApiError, ApiErrorKind, BaseUrl, Http, RateLimit, Response, RetryPolicy, Service,
    ServicePolicy, concurrent,
};
use crate::secrets::Secret;
use crate::store::IntegrationConfig;

pub const SERVICE: &str = "HaloPSA";
pub const SECRET_ENV: &str = "PSA_LINK_HALOPSA_CLIENT_SECRET";
/// Scopes asked for when `scope` is not set: everything the application was granted.
pub const DEFAULT_SCOPE: &str = "all";
/// Requests per rolling 5 minutes when `requests_per_5min` is not set: the lower of the
/// two figures Halo-hosted instances are documented with (300 and 500), so psa-link
/// paces itself instead of being refused.
pub const DEFAULT_REQUESTS_PER_5MIN: u32 = 300;
/// Wait after a 429 without `Retry-After` when `rate_limit_wait_secs` is not set.
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(30);
/// Clients per page (the largest any known client asks for; Halo sets no maximum).
pub const CLIENT_PAGE_SIZE: usize = 1000;
/// Tickets per page: the documented maximum for `/api/Tickets`.
const TICKET_PAGE_SIZE: usize = 100;
/// What the private-note outcome is called in a default Halo, and the names tried after it.
const NOTE_OUTCOMES: &[&str] = &["Private Note", "Internal Note", "Private", "Note"];

/// `[integration.settings]` of a HaloPSA integration (no secrets: the client secret is
/// `PSA_LINK_HALOPSA_CLIENT_SECRET`, the keyring or `secrets.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Settings {
    /// Base domain (`acme.halopsa.com`); optional when the integration has a base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The Authorisation Server: a host (`acme.halopsa.com`, meaning
    /// `https://acme.halopsa.com/auth`) or the URL Halo shows under API Details. When
    /// absent it is read from `/api/authinfo`, else `<base>/auth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_host: Option<String>,
    /// Sent as `?tenant=` on token requests (Halo-hosted instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The Authorisation Server `/api/authinfo` named when the integration was added, so
    /// later runs do not ask again (re-discovered once if it stops answering).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovered_auth_url: Option<String>,
    /// The tenant `/api/authinfo` named with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovered_tenant: Option<String>,
    pub client_id: String,
    /// Space-separated OAuth scopes; default `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The instance's rate limit, requests per rolling 5 minutes; default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_5min: Option<u32>,
    /// Seconds to wait after a 429 without `Retry-After`; default 30 (tens of seconds,
    /// as the reference advises for a 5-minute window). A smaller instance window, such
    /// as the sandbox's `rate-limit` fault, can set less.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_wait_secs: Option<u64>,
}

impl Settings {
    pub fn from_table(table: &toml::Table) -> Result<Settings, Failure> {
        toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e| Failure::config(format!("invalid HaloPSA settings in config.toml: {e}")))
    }

    pub fn to_table(&self) -> toml::Table {
        match toml::Value::try_from(self) {
            Ok(toml::Value::Table(t)) => t,
            _ => toml::Table::new(),
        }
    }
}

/// Checks `--host`: the base domain only (`acme.halopsa.com`), lower-cased. A scheme or a
/// path such as `/api` is refused with the fix (SPEC §7).
pub fn validate_host(input: &str) -> Result<String, String> {
    let host = input.trim().trim_end_matches('/');
    let refuse = |why: &str| {
        Err(format!(
            "'{}' is not a HaloPSA base domain ({why}): use the base domain only, e.g. acme.halopsa.com (no https://, no /api)",
            input.trim()
        ))
    };
    if host.is_empty() {
        return refuse("it is empty");
    }
    if host.contains("://") {
        return refuse("it has a scheme");
    }
    if host.contains('/') {
        return refuse("it has a path");
    }
    if host.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '@')) {
        return refuse("it is not a host name");
    }
    match url::Url::parse(&format!("https://{host}")) {
        Ok(u) if u.host_str().is_some() => Ok(host.to_ascii_lowercase()),
        _ => refuse("it is not a host name"),
    }
}

/// Checks `--auth-host`: the Authorisation Server URL as Halo shows it under API Details
/// (`https://auth.haloservicedesk.com`, used as given, tokens at `<URL>/token`), a host
/// with a path (`acme.halopsa.com/auth`, https assumed), or a bare host
/// (`acme.halopsa.com`, meaning `https://acme.halopsa.com/auth`). Returns the URL.
pub fn validate_auth_host(input: &str) -> Result<String, String> {
    let given = input.trim().trim_end_matches('/');
    let refuse = |why: &str| {
        Err(format!(
            "'{}' is not a HaloPSA Authorisation Server ({why}): give the URL shown under Configuration > Integrations > Halo API > API Details, e.g. https://auth.haloservicedesk.com or https://acme.halopsa.com/auth, or the host alone (acme.halopsa.com means https://acme.halopsa.com/auth)",
            input.trim()
        ))
    };
    if given.is_empty() {
        return refuse("it is empty");
    }
    // BaseUrl drops a query and fragment, so look before it does: a pasted
    // `…/auth?tenant=acme` would otherwise lose the tenant silently.
    if given.contains(['?', '#']) {
        return refuse("it has a query or fragment; give a tenant with --tenant");
    }
    let url = if given.contains("://") {
        given.to_string()
    } else {
        let (host, path) = given.split_once('/').unwrap_or((given, "auth"));
        if host.is_empty()
            || host.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '@'))
        {
            return refuse("it has no host name");
        }
        format!(
            "https://{}/{}",
            host.to_ascii_lowercase(),
            path.trim_matches('/')
        )
    };
    match BaseUrl::parse(&url) {
        Ok(u) => Ok(u.as_str().trim_end_matches('/').to_string()),
        Err(e) => refuse(&e.to_string()),
    }
}

/// The Authorisation Server for `--auth-host`. A base URL replaces its scheme, host and
/// port, as for the API.
fn auth_server(auth_host: &str, base_url: Option<&BaseUrl>) -> Result<BaseUrl, Failure> {
    let url = validate_auth_host(auth_host).map_err(|msg| {
        Failure::config(format!("--auth-host '{}' is not usable", auth_host.trim())).with_fix(msg)
    })?;
    let parsed = BaseUrl::parse(&url).map_err(|e| Failure::config(e.to_string()))?;
    Ok(match base_url {
        Some(base) => base.join_path(parsed.url().path()),
        None => parsed,
    })
}

/// Opens a HaloPSA integration. No request is sent until the first call.
pub fn connect(config: &IntegrationConfig, secret: Secret, http: &Http) -> anyhow::Result<HaloPsa> {
    let settings = Settings::from_table(&config.settings)?;
    if settings.client_id.trim().is_empty() {
        return Err(Failure::config("the HaloPSA integration has no client id")
            .with_fix("run `psa-link integration add halopsa --client-id ID ...`")
            .into());
    }
    let base_url = config.base_url.as_deref().map(BaseUrl::parse).transpose()?;
    let resource = match (&base_url, settings.host.as_deref()) {
        (Some(base), _) => base.clone(),
        (None, Some(host)) => BaseUrl::from_host(&validate_host(host).map_err(Failure::config)?)?,
        (None, None) => {
            return Err(Failure::config(
                "the HaloPSA integration has neither a host nor a base URL",
            )
            .with_fix("run `psa-link integration add halopsa --host acme.halopsa.com ...`")
            .into());
        }
    };
    let auth_base = settings
        .auth_host
        .as_deref()
        .filter(|h| !h.trim().is_empty())
        .map(|h| auth_server(h, base_url.as_ref()))
        .transpose()?;
    let per_5min = settings
        .requests_per_5min
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_REQUESTS_PER_5MIN);
    let wait = settings
        .rate_limit_wait_secs
        .filter(|n| *n > 0)
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_RATE_LIMIT_WAIT);
    let api = http.service(policy(per_5min, wait), resource);
    // A kept discovery that no longer parses is simply discovered again.
    let stored = settings
        .discovered_auth_url
        .as_deref()
        .and_then(|u| BaseUrl::parse(u).ok())
        .map(|u| (u, settings.discovered_tenant.clone()));
    Ok(HaloPsa::new(
        api,
        auth_base,
        stored,
        base_url.is_some(),
        settings,
        secret,
    ))
}

/// Halo's rate limit is a rolling 5-minute window and nobody has seen it send
/// `Retry-After`: without one, wait tens of seconds, and give up after a whole window.
fn policy(per_5min: u32, wait_without_retry_after: Duration) -> ServicePolicy {
    let mut policy = ServicePolicy::new(SERVICE, RateLimit::per(per_5min, 300));
    policy.retry = RetryPolicy {
        wait_without_retry_after,
        max_single_wait: Duration::from_secs(300),
        rate_limit_budget: Duration::from_secs(330),
        ..RetryPolicy::default()
    };
    policy.error_message = error_message;
    policy
}

/// Ticket type details psa-link needs (SLA for priorities, initial status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketTypeInfo {
    pub id: i64,
    pub name: String,
    pub sla_id: Option<i64>,
    pub initial_status: Option<i64>,
    pub default_priority: Option<i64>,
}

/// The outcome private notes are written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteOutcome {
    Id {
        id: i64,
        name: String,
    },
    /// No outcome list was readable: send the default name and let Halo resolve it.
    Name(String),
}

#[derive(Default)]
struct Cache {
    ticket_types: HashMap<i64, TicketTypeInfo>,
    outcome: Option<NoteOutcome>,
}

/// One page of a list: its records, the total (`record_count`) and the page size the
/// server says it used.
struct Page {
    items: Vec<Value>,
    total: Option<usize>,
    size: Option<usize>,
}

/// One request, rebuilt for the retry after a token renewal.
struct Req<'a> {
    method: Method,
    path: String,
    query: Vec<(&'a str, String)>,
    body: Option<Value>,
    create: bool,
    accept: &'a [u16],
}

impl<'a> Req<'a> {
    fn new(method: Method, path: impl Into<String>) -> Req<'a> {
        Req {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            create: false,
            accept: &[],
        }
    }

    fn get(path: impl Into<String>) -> Req<'a> {
        Req::new(Method::GET, path)
    }

    fn q(mut self, key: &'a str, value: impl ToString) -> Req<'a> {
        self.query.push((key, value.to_string()));
        self
    }
}

/// A HaloPSA instance.
/// What HaloPSA needs at a client to file a ticket that names no user: a site and a
/// General User (what Huntress's guide has technicians create when tickets are refused).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientContext {
    /// (id, name) of the client's sites.
    pub sites: Vec<(i64, String)>,
    /// (id, name) of the client's end users.
    pub users: Vec<(i64, String)>,
}

impl ClientContext {
    pub fn general_user(&self) -> Option<i64> {
        self.users
            .iter()
            .find(|(_, name)| name.trim().eq_ignore_ascii_case("general user"))
            .map(|(id, _)| *id)
    }
}

pub struct HaloPsa {
    api: Service,
    auth: Auth,
    settings: Settings,
    cache: Mutex<Cache>,
}

impl HaloPsa {
    fn new(
        api: Service,
        auth_base: Option<BaseUrl>,
        stored: Option<(BaseUrl, Option<String>)>,
        pinned: bool,
        settings: Settings,
        secret: Secret,
    ) -> HaloPsa {
        let scope = settings
            .scope
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_SCOPE.to_string());
        let auth = Auth::new(
            api.clone(),
            auth_base,
            stored,
            pinned,
            settings.tenant.clone().filter(|t| !t.trim().is_empty()),
            settings.client_id.trim().to_string(),
            secret,
            scope,
        );
        HaloPsa {
            api,
            auth,
            settings,
            cache: Mutex::new(Cache::default()),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The Authorisation Server psa-link uses (discovering it if needed).
    pub fn auth_endpoint(&self) -> Result<AuthEndpoint, ApiError> {
        self.auth.endpoint()
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ----- transport -----

    fn send_once(&self, req: &Req<'_>, token: &Secret) -> Result<Response, ApiError> {
        let mut call = self.api.call(req.method.clone(), &req.path).bearer(token);
        for (k, v) in &req.query {
            call = call.query(k, v);
        }
        if let Some(body) = &req.body {
            call = call.json(body);
        }
        if req.create {
            call = call.create();
        } else if req.method == Method::POST {
            call = call.idempotent();
        }
        call.accept_status(req.accept).send()
    }

    /// Sends with the cached token; on 401, renews it once and sends again (a refused
    /// token created nothing, so this is safe even for a create). `diagnosis` explains
    /// API refusals; a failed token request keeps its own diagnosis.
    fn send_diagnosed(
        &self,
        req: &Req<'_>,
        diagnosis: impl FnOnce(ApiError) -> ApiError,
    ) -> Result<Response, ApiError> {
        let (token, generation) = self.auth.token()?;
        let first = self.send_once(req, &token);
        let result = match first {
            Err(e) if e.status == Some(401) => {
                self.auth.invalidate(generation);
                let (token, _) = self.auth.token()?;
                self.send_once(req, &token)
            }
            other => other,
        };
        result.map_err(diagnosis)
    }

    fn send(&self, req: &Req<'_>, op: &Op) -> Result<Response, ApiError> {
        self.send_diagnosed(req, |e| diagnose(e, op))
    }

    fn value(&self, req: &Req<'_>, op: &Op) -> Result<Value, ApiError> {
        self.send(req, op)?.value()
    }

    /// A client's sites and users (`/api/Site`, `/api/Users`, all pages).
    pub fn client_context(&self, client_id: i64) -> Result<ClientContext, ApiError> {
        let filter = [("client_id", client_id.to_string())];
        // The filter is re-checked here: a record that names another client is not ours.
        let of_client = |m: &serde_json::Map<String, Value>| {
            field_int(m, "client_id").is_none_or(|c| c == client_id)
        };
        let named = |v: &Value| {
            let m = v.as_object()?;
            of_client(m).then(|| {
                Some((
                    field_int(m, "id")?,
                    field_text(m, "name").unwrap_or_default(),
                ))
            })?
        };
        Ok(ClientContext {
            sites: self.list_all(
                "api/Site",
                "sites",
                &filter,
                CLIENT_PAGE_SIZE,
                &Op::Customers,
                named,
            )?,
            users: self.list_all(
                "api/Users",
                "users",
                &filter,
                CLIENT_PAGE_SIZE,
                &Op::Customers,
                named,
            )?,
        })
    }

    /// "Please select a valid Client/Site/User" does not say which is missing: look at the
    /// client's sites and users and name it. The generic fix stays when the lookup fails.
    fn explain_invalid_context(&self, mut err: ApiError, client_id: i64) -> ApiError {
        if err.status != Some(400) || !err.mentions("valid Client/Site/User") {
            return err;
        }
        let Ok(context) = self.client_context(client_id) else {
            return err;
        };
        let gone = || {
            matches!(
                self.value(&Req::get(format!("api/Client/{client_id}")), &Op::Customers),
                Err(e) if e.status == Some(404)
            )
        };
        if context.sites.is_empty() && gone() {
            err.fix = Some(format!(
                "HaloPSA has no client {client_id} (deleted or merged): the organization's pair is stale; `psa-link map auto --filter stale` lists such pairs and `psa-link map manual` re-pairs one"
            ));
        } else if context.sites.is_empty() {
            err.fix = Some(format!(
                "HaloPSA client {client_id} has no site: add one to the client in HaloPSA (tickets are filed at a site), then re-run the test"
            ));
        } else if context.general_user().is_none() {
            err.fix = Some(format!(
                "HaloPSA client {client_id} has no General User: create a user named \"General User\" at that client (or at the MSP's own client), then re-run the test"
            ));
        }
        err
    }

    fn protocol(&self, what: impl Into<String>) -> ApiError {
        ApiError::protocol(SERVICE, what)
    }

    // ----- lists -----

    /// One page of a `pageinate` list.
    fn page(&self, req: Req<'_>, key: &str, op: &Op) -> Result<Page, ApiError> {
        let mut body = self.value(&req, op)?;
        // Taken out of the body, not copied: a page can hold 1,000 records.
        let items = records_mut(&mut body, key)
            .map(std::mem::take)
            .ok_or_else(|| self.protocol(format!("the {key} list has no '{key}' array")))?;
        let (total, size) = match &body {
            Value::Object(m) => (
                field_int(m, "record_count").map(|n| n.max(0) as usize),
                field_int(m, "page_size")
                    .filter(|n| *n > 0)
                    .map(|n| n as usize),
            ),
            _ => (None, None),
        };
        Ok(Page { items, total, size })
    }

    /// Every record of a paged list: the first page, then the rest concurrently, with the
    /// page size the server actually used (it may cap what was asked for). Each page is
    /// turned into records by `record` as it arrives, so only one page at a time per
    /// thread is held as JSON (50,000 clients as JSON values would be ~50 MB).
    fn list_all<T: Send>(
        &self,
        path: &str,
        key: &str,
        filters: &[(&'static str, String)],
        page_size: usize,
        op: &Op,
        record: impl Fn(&Value) -> Option<T> + Sync,
    ) -> Result<Vec<T>, ApiError> {
        let request = |page_no: usize, size: usize| {
            let mut req = Req::get(path)
                .q("pageinate", "true")
                .q("page_size", size)
                .q("page_no", page_no);
            req.query.extend(filters.iter().cloned());
            req
        };
        let convert = |items: Vec<Value>| items.iter().filter_map(&record).collect::<Vec<T>>();
        let Page {
            items: first,
            total,
            size: server_size,
        } = self.page(request(1, page_size), key, op)?;
        let first_len = first.len();
        let first = convert(first);
        let Some(total) = total else {
            return Ok(first);
        };
        if first_len >= total || first_len == 0 {
            return Ok(first);
        }
        let size = server_size.unwrap_or(first_len).min(first_len).max(1);
        let pages: Vec<usize> = (2..=total.div_ceil(size)).collect();
        let rest = concurrent::fetch_all(&pages, |page_no| {
            self.page(request(page_no, size), key, op)
                .map(|p| convert(p.items))
        })?;
        let mut all = first;
        all.extend(rest.into_iter().flatten());
        Ok(all)
    }

    /// A ticket type's SLA, initial status and default priority (cached).
    pub fn ticket_type(&self, id: i64) -> Result<TicketTypeInfo, ApiError> {
        if let Some(t) = self.cache().ticket_types.get(&id) {
            return Ok(t.clone());
        }
        let body = self.value(&Req::get(format!("api/TicketType/{id}")), &Op::TicketSetup)?;
        let Value::Object(m) = body else {
            return Err(self.protocol(format!("ticket type {id} is not a JSON object")));
        };
        let info = TicketTypeInfo {
            id,
            name: field_text(&m, "name").unwrap_or_else(|| format!("ticket type {id}")),
            // Older Halo versions call it sla_id or slaid.
            sla_id: ["default_sla", "sla_id", "slaid"]
                .iter()
                .find_map(|k| field_int(&m, k))
                .filter(|s| *s > 0),
            initial_status: field_int(&m, "initial_status").filter(|s| *s > 0),
            default_priority: field_int(&m, "default_priority").filter(|s| *s > 0),
        };
        self.cache().ticket_types.insert(id, info.clone());
        Ok(info)
    }

    /// The outcome private notes use: "Private Note" (or the closest name) from
    /// `/api/Outcome`, looked up once; the name "Private Note" when the list is not
    /// readable or has nothing close.
    pub fn note_outcome(&self) -> Result<NoteOutcome, ApiError> {
        if let Some(o) = &self.cache().outcome {
            return Ok(o.clone());
        }
        let body = match self.value(&Req::get("api/Outcome"), &Op::TicketSetup) {
            Ok(body) => body,
            // An agent that may not list outcomes can still name one.
            Err(e) if e.kind == ApiErrorKind::Permission => Value::Null,
            Err(e) => return Err(e),
        };
        let outcomes: Vec<(i64, String)> = records(&body, "outcomes")
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .filter(|m| field_bool(m, "hidden") != Some(true))
            .filter_map(|m| {
                let name = field_text(m, "outcome").or_else(|| field_text(m, "buttonname"))?;
                Some((field_int(m, "id")?, name))
            })
            .collect();
        let chosen = pick_note_outcome(&outcomes)
            .map(|(id, name)| NoteOutcome::Id { id, name })
            .unwrap_or_else(|| NoteOutcome::Name(NOTE_OUTCOMES[0].to_string()));
        self.cache().outcome = Some(chosen.clone());
        Ok(chosen)
    }

    fn parse_id(&self, raw: &str, what: &str) -> Result<i64, ApiError> {
        raw.trim().parse::<i64>().map_err(|_| {
            ApiError::new(
                SERVICE,
                ApiErrorKind::Rejected,
                format!("HaloPSA {what} ids are numbers; '{raw}' is not"),
            )
            .with_fix(format!("choose the {what} again by name or number"))
        })
    }

    /// The ticket type's name for a diagnosis (from the cache, else one lookup).
    fn ticket_type_name(&self, id: Option<i64>) -> String {
        match id {
            Some(id) => self
                .ticket_type(id)
                .map(|t| t.name)
                .unwrap_or_else(|_| format!("ticket type {id}")),
            None => "the default ticket type".into(),
        }
    }

    /// Reads a ticket row as psa-link's view.
    fn to_ticket(&self, m: &Map<String, Value>) -> Result<Ticket, ApiError> {
        let id = field_int(m, "id").ok_or_else(|| self.protocol("a ticket without an id"))?;
        Ok(Ticket {
            id,
            title: field_text(m, "summary").unwrap_or_default(),
            company_id: field_int(m, "client_id"),
            company_name: field_text(m, "client_name"),
            status_id: field_int(m, "status_id").map(|s| s.to_string()),
            status_name: field_text(m, "status_name"),
            priority_id: field_int(m, "priority_id").map(|s| s.to_string()),
            closed: field_bool(m, "hasbeenclosed").unwrap_or(false),
            marker: marker_of(m),
        })
    }

    /// Pages of `/api/Tickets`, newest first, until every marker is found, a ticket older
    /// than `created_since` shows up (only trusted while the server visibly honours the
    /// order), or the list ends.
    fn scan_tickets(
        &self,
        search: &MarkerSearch<'_>,
        routing: Option<i64>,
    ) -> Result<(HashMap<String, i64>, Vec<i64>), ApiError> {
        let wanted: HashSet<&str> = search.markers.iter().map(String::as_str).collect();
        let mut found: HashMap<String, i64> = HashMap::new();
        let mut unreadable = Vec::new();
        let mut size = TICKET_PAGE_SIZE;
        let mut last_id = i64::MAX;
        let mut ordered = true;
        for page_no in 1.. {
            let mut req = Req::get("api/Tickets")
                .q("pageinate", "true")
                .q("page_size", size)
                .q("page_no", page_no)
                .q("order", "id")
                .q("orderdesc", "true");
            if let Some(r) = routing {
                req = req.q("tickettype_id", r);
            }
            let Page {
                items: rows,
                total,
                size: server_size,
            } = self.page(req, "tickets", &Op::Tickets)?;
            if page_no == 1 {
                size = server_size.unwrap_or(rows.len()).min(size).max(1);
            }
            let mut older_seen = false;
            for m in rows.iter().filter_map(Value::as_object) {
                let Some(id) = field_int(m, "id") else {
                    continue;
                };
                ordered &= id < last_id;
                last_id = id;
                let created = ["datecreated", "dateoccurred"]
                    .iter()
                    .find_map(|k| field_text(m, k))
                    .and_then(|d| wire::date(&d));
                let too_old =
                    matches!((search.created_since, created), (Some(since), Some(c)) if c < since);
                older_seen |= too_old;
                match marker_of(m) {
                    Some(marker) if wanted.contains(marker.as_str()) => {
                        let e = found.entry(marker).or_insert(id);
                        *e = (*e).min(id);
                    }
                    Some(_) => {}
                    None if !carries_marker_fields(m) && !too_old => unreadable.push(id),
                    None => {}
                }
            }
            let all_found = wanted.iter().all(|w| found.contains_key(*w));
            let end = rows.is_empty() || total.is_none_or(|t| page_no * size >= t);
            if all_found || end || (ordered && older_seen) {
                break;
            }
        }
        Ok((found, unreadable))
    }
}

/// The outcome for private notes: a preferred name exactly, else one mentioning
/// "private", else one mentioning "note".
fn pick_note_outcome(outcomes: &[(i64, String)]) -> Option<(i64, String)> {
    let by = |pred: &dyn Fn(&str) -> bool| {
        outcomes
            .iter()
            .find(|(_, n)| pred(&n.trim().to_lowercase()))
            .cloned()
    };
    NOTE_OUTCOMES
        .iter()
        .find_map(|want| by(&|n| n == want.to_lowercase()))
        .or_else(|| by(&|n| n.contains("private")))
        .or_else(|| by(&|n| n.contains("note")))
}

/// Ticket fields that can hold psa-link's marker.
const MARKER_FIELDS: &[&str] = &["third_party_id_string", "details", "details_html"];

fn marker_of(m: &Map<String, Value>) -> Option<String> {
    MARKER_FIELDS
        .iter()
        .filter_map(|k| field_text(m, k))
        .find_map(|t| super::find_marker(&t))
}

/// Whether a list row includes any marker-bearing field (lean list views leave them out).
fn carries_marker_fields(m: &Map<String, Value>) -> bool {
    MARKER_FIELDS.iter().any(|k| m.contains_key(*k))
}

/// The first record of a POST answer: one object, or an array of them.
fn first_record(body: Value) -> Option<Map<String, Value>> {
    match body {
        Value::Object(m) => Some(m),
        Value::Array(items) => items.into_iter().find_map(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        }),
        _ => None,
    }
}

impl Psa for HaloPsa {
    fn kind(&self) -> PsaKind {
        PsaKind::Halopsa
    }

    fn identity(&self) -> String {
        let u = self.api.base().url();
        let mut id = format!(
            "halopsa:{}",
            u.host_str().unwrap_or_default().to_ascii_lowercase()
        );
        if let Some(port) = u.port() {
            id.push_str(&format!(":{port}"));
        }
        id.push_str(u.path().trim_end_matches('/'));
        id
    }

    fn verify(&self) -> Result<(), ApiError> {
        let req = Req::get("api/Client")
            .q("pageinate", "true")
            .q("page_size", 1)
            .q("page_no", 1);
        self.page(req, "clients", &Op::Customers).map(|_| ())
    }

    fn companies(&self) -> Result<Vec<Company>, ApiError> {
        let filters = [
            ("includeactive", "true".to_string()),
            ("includeinactive", "true".to_string()),
        ];
        let companies = self.list_all(
            "api/Client",
            "clients",
            &filters,
            CLIENT_PAGE_SIZE,
            &Op::Customers,
            |v| {
                let m = v.as_object()?;
                Some(Company {
                    id: field_int(m, "id")?,
                    name: field_text(m, "name").unwrap_or_default(),
                    active: field_bool(m, "inactive") != Some(true),
                })
            },
        )?;
        // Pages can overlap when clients are added while paging: the first copy wins.
        let mut seen = HashSet::new();
        Ok(companies
            .into_iter()
            .filter(|c| seen.insert(c.id))
            .collect())
    }

    fn routings(&self) -> Result<Vec<Choice>, ApiError> {
        let body = self.value(&Req::get("api/TicketType"), &Op::TicketSetup)?;
        Ok(records(&body, "tickettypes")
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .filter_map(|m| Some(Choice::new(field_int(m, "id")?, field_text(m, "name")?)))
            .collect())
    }

    fn statuses(&self, routing: Option<&str>) -> Result<Vec<Choice>, ApiError> {
        let routing = routing
            .map(|r| self.parse_id(r, "ticket type"))
            .transpose()?;
        let initial = routing
            .map(|r| self.ticket_type(r))
            .transpose()?
            .and_then(|t| t.initial_status);
        let mut req = Req::get("api/Status").q("type", "ticket");
        if let Some(r) = routing {
            req = req.q("tickettype_id", r);
        }
        let body = self.value(&req, &Op::TicketSetup)?;
        Ok(records(&body, "statuses")
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .filter_map(|m| {
                let id = field_int(m, "id")?;
                let name = field_text(m, "name")?;
                let mut c = Choice::new(id, name.clone());
                // Halo has one system Closed status; TStatus.type is undocumented.
                c.closed = Some(name.trim().eq_ignore_ascii_case("closed"));
                c.default = initial == Some(id);
                Some(c)
            })
            .collect())
    }

    fn priorities(&self, routing: Option<&str>) -> Result<Vec<Choice>, ApiError> {
        let routing = routing
            .map(|r| self.parse_id(r, "ticket type"))
            .transpose()?;
        let ticket_type = routing.map(|r| self.ticket_type(r)).transpose()?;
        let sla = ticket_type.as_ref().and_then(|t| t.sla_id);
        let mut req = Req::get("api/Priority");
        if let Some(s) = sla {
            req = req.q("slaid", s);
        }
        let body = self.value(&req, &Op::TicketSetup)?;
        let default = ticket_type.and_then(|t| t.default_priority);
        let mut seen = HashSet::new();
        Ok(records(&body, "priorities")
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            // A server that ignores `slaid` still gets scoped here.
            .filter(|m| sla.is_none_or(|s| field_int(m, "slaid") == Some(s)))
            .filter(|m| field_bool(m, "ishidden") != Some(true))
            .filter_map(|m| {
                // `priorityid` is what tickets take; `id` may be a uuid.
                let id = field_int(m, "priorityid").or_else(|| field_int(m, "id"))?;
                let name = field_text(m, "name")?;
                seen.insert(id).then(|| {
                    let mut c = Choice::new(id, name);
                    c.default = default == Some(id);
                    c
                })
            })
            .collect())
    }

    fn create_ticket(&self, ticket: &NewTicket) -> Result<i64, ApiError> {
        let ticket_type = ticket
            .routing_id
            .as_deref()
            .map(|r| self.parse_id(r, "ticket type"))
            .transpose()?;
        let mut body = ticket.body.clone();
        if !body.contains(&ticket.marker) {
            body.push_str(&format!("\n\npsa-link reference: {}", ticket.marker));
        }
        // No site or user: Halo files the ticket under the client's General User, as
        // Huntress's own integration does (SPEC §7 diagnoses the missing user).
        let mut item = json!({
            "summary": ticket.title,
            "details_html": wire::text_to_html(&body),
            "client_id": ticket.company_id,
            "third_party_id_string": ticket.marker,
        });
        if let Some(tt) = ticket_type {
            item["tickettype_id"] = json!(tt);
        }
        if let Some(s) = &ticket.status_id {
            item["status_id"] = json!(self.parse_id(s, "status")?);
        }
        if let Some(p) = &ticket.priority_id {
            item["priority_id"] = json!(self.parse_id(p, "priority")?);
        }
        let mut req = Req::new(Method::POST, "api/Tickets");
        req.body = Some(Value::Array(vec![item]));
        req.create = true;
        let resp = self
            .send_diagnosed(&req, |e| {
                // Name the ticket type when Halo refused the ticket itself.
                let ticket_type = if e.status == Some(400) {
                    self.ticket_type_name(ticket_type)
                } else {
                    String::new()
                };
                diagnose(e, &Op::Create { ticket_type })
            })
            .map_err(|e| self.explain_invalid_context(e, ticket.company_id))?;
        first_record(resp.value()?)
            .and_then(|m| field_int(&m, "id"))
            .filter(|id| *id > 0)
            .ok_or_else(|| self.protocol("the created ticket came back without an id"))
    }

    fn ticket(&self, id: i64) -> Result<Ticket, ApiError> {
        // Without includedetails Halo leaves out the details (which carry the marker).
        let req = Req::get(format!("api/Tickets/{id}")).q("includedetails", "true");
        let body = self.value(&req, &Op::ReadBack)?;
        match first_record(body) {
            Some(m) => self.to_ticket(&m),
            None => Err(self.protocol(format!("ticket {id} is not a JSON object"))),
        }
    }

    fn update_ticket(&self, id: i64, change: &TicketChange) -> Result<(), ApiError> {
        self.update_and_read(id, change).map(|_| ())
    }

    /// Halo usually answers an update with the saved ticket, which is checked; when the
    /// answer does not carry the status or priority (an empty 201), the ticket is read
    /// back, and that read is returned so the caller need not read it again.
    fn update_and_read(&self, id: i64, change: &TicketChange) -> Result<Option<Ticket>, ApiError> {
        let mut item = json!({"id": id});
        let status = change
            .status_id
            .as_deref()
            .map(|s| self.parse_id(s, "status"))
            .transpose()?;
        let priority = change
            .priority_id
            .as_deref()
            .map(|p| self.parse_id(p, "priority"))
            .transpose()?;
        if status.is_none() && priority.is_none() {
            return Ok(None);
        }
        if let Some(s) = status {
            item["status_id"] = json!(s);
        }
        if let Some(p) = priority {
            item["priority_id"] = json!(p);
        }
        let mut req = Req::new(Method::POST, "api/Tickets");
        req.body = Some(Value::Array(vec![item]));
        let resp = self.send(&req, &Op::Update)?;
        let answered = resp.status;
        let echoed = first_record(resp.value()?).filter(|saved| {
            (status.is_none() || field_int(saved, "status_id").is_some())
                && (priority.is_none() || field_int(saved, "priority_id").is_some())
        });
        let (saved, reread) = match echoed {
            Some(saved) => (saved, None),
            None => {
                let ticket = self.ticket(id)?;
                let mut m = Map::new();
                let as_int = |v: &Option<String>| v.as_deref().and_then(|x| x.parse::<i64>().ok());
                m.insert("status_id".into(), json!(as_int(&ticket.status_id)));
                m.insert("priority_id".into(), json!(as_int(&ticket.priority_id)));
                (m, Some(ticket))
            }
        };
        let unchanged =
            |key: &str, want: Option<i64>| want.is_some() && field_int(&saved, key) != want;
        if unchanged("status_id", status) || unchanged("priority_id", priority) {
            let mut e = ApiError::new(
                SERVICE,
                ApiErrorKind::NotApplied,
                format!(
                    "HaloPSA accepted the change to ticket {id} but did not apply it ({})",
                    if reread.is_some() {
                        "unchanged on re-read"
                    } else {
                        "unchanged in its answer"
                    }
                ),
            );
            e.method = "POST".into();
            e.url = format!("{}/api/Tickets", self.api.base());
            e.status = Some(answered);
            e.fix = Some(
                "the API-only agent may not edit tickets not assigned to it: in Halo, grant it \"Can Edit Tickets Which Are Not Assigned To Them\" or membership of all teams; also check the `resolved` status map (`psa-link status-map set resolved <STATUS>` lists the valid statuses) and the ticket type's workflow"
                    .into(),
            );
            return Err(e);
        }
        Ok(reread)
    }

    fn discovered_settings(&self) -> toml::Table {
        let mut table = toml::Table::new();
        if let Some(found) = self.auth.discovered() {
            table.insert("discovered_auth_url".into(), found.server.into());
            if let Some(t) = found
                .tenant
                .filter(|t| self.settings.tenant.as_deref() != Some(t.as_str()))
            {
                table.insert("discovered_tenant".into(), t.into());
            }
        }
        table
    }

    fn add_note(&self, id: i64, note: &Note) -> Result<(), ApiError> {
        let mut item = json!({
            "ticket_id": id,
            "note_html": wire::text_to_html(&note.text),
            "hiddenfromuser": true,
            "sendemail": false,
        });
        match self.note_outcome()? {
            NoteOutcome::Id { id, .. } => item["outcome_id"] = json!(id),
            NoteOutcome::Name(name) => item["outcome"] = json!(name),
        }
        let mut req = Req::new(Method::POST, "api/Actions");
        req.body = Some(Value::Array(vec![item]));
        req.create = true;
        self.send(&req, &Op::Note).map(|_| ())
    }

    fn find_marked(&self, search: &MarkerSearch<'_>) -> Result<HashMap<String, i64>, ApiError> {
        if search.markers.is_empty() {
            return Ok(HashMap::new());
        }
        let routing = search
            .routing_id
            .map(|r| self.parse_id(r, "ticket type"))
            .transpose()?;
        let (mut found, unreadable) = self.scan_tickets(search, routing)?;
        // A list view without the marker fields: read those tickets one by one.
        let wanted: HashSet<&str> = search.markers.iter().map(String::as_str).collect();
        if !unreadable.is_empty() && !wanted.iter().all(|w| found.contains_key(*w)) {
            let tickets = concurrent::fetch_all(&unreadable, |id| self.ticket(id))?;
            for t in tickets {
                if let Some(m) = t.marker.filter(|m| wanted.contains(m.as_str())) {
                    let e = found.entry(m).or_insert(t.id);
                    *e = (*e).min(t.id);
                }
            }
        }
        Ok(found)
    }

    fn preview(&self, op: PsaOp<'_>) -> Vec<RequestPreview> {
        // Tickets are created and changed by POSTing an array to /api/Tickets (Halo's
        // upsert); notes are actions.
        let path = |p: &str| format!("{}/{p}", self.api.base().url().path().trim_end_matches('/'));
        let body = match op {
            PsaOp::Create(t) => {
                let mut fields = vec![
                    format!("summary={}", preview_text(&t.title, 120)),
                    format!("client_id={}", t.company_id),
                ];
                if let Some(tt) = &t.routing_id {
                    fields.push(format!("tickettype_id={tt}"));
                }
                if let Some(s) = &t.status_id {
                    fields.push(format!("status_id={s}"));
                }
                if let Some(p) = &t.priority_id {
                    fields.push(format!("priority_id={p}"));
                }
                fields.push(format!("third_party_id_string={:?}", t.marker));
                fields.push(format!(
                    "details_html ({} chars of text)",
                    t.body.chars().count()
                ));
                fields
            }
            PsaOp::Update(id, change) => {
                let mut fields = vec![format!("id={}", preview_ticket(id))];
                if let Some(s) = &change.status_id {
                    fields.push(format!("status_id={s}"));
                }
                if let Some(p) = &change.priority_id {
                    fields.push(format!("priority_id={p}"));
                }
                fields
            }
            PsaOp::Note(id, note) => {
                let outcome = match &self.cache().outcome {
                    Some(NoteOutcome::Id { id, name }) => format!("outcome_id={id} ({name})"),
                    Some(NoteOutcome::Name(name)) => format!("outcome={name:?}"),
                    None => "outcome=<the private-note outcome>".to_string(),
                };
                vec![
                    format!("ticket_id={}", preview_ticket(id)),
                    outcome,
                    "hiddenfromuser=true".into(),
                    "sendemail=false".into(),
                    format!("note_html={}", preview_text(&note.text, 100)),
                ]
            }
        };
        let api_path = match op {
            PsaOp::Note(..) => path("api/Actions"),
            _ => path("api/Tickets"),
        };
        vec![RequestPreview::new(
            "POST",
            api_path,
            format!("[{{{}}}]", body.join(", ")),
        )]
    }

    fn delete_ticket(&self, id: i64) -> Result<bool, ApiError> {
        let mut req = Req::new(Method::DELETE, format!("api/Tickets/{id}"));
        // An agent without the right to delete: the caller closes the ticket instead.
        req.accept = &[403, 405];
        let resp = self.send(&req, &Op::Delete)?;
        Ok((200..300).contains(&resp.status))
    }
}
