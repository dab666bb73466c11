//! ConnectWise PSA (Manage) REST API 3.0 client (`reference/halopsa-connectwise.md`
//! part B).
//!
//! - The API root comes from the unauthenticated codebase lookup
//!   (`/login/companyinfo/<company>` → `Codebase` such as `v2025_1/`, trailing slash
//!   included), done at `integration add` and stored in config.toml (`codebase`); it is
//!   looked up again once when the whole API answers 404 under the stored one.
//!   `v4_6_release/` is the fallback when the lookup answers but gives no usable codebase
//!   (on-premises servers and cloud both route it).
//! - ConnectWise cloud answers refused credentials with 404: a record's 404 is only
//!   "not found" once some request was answered or `system/info` answers.
//! - Every call carries Basic `company+public:private`, the `clientId` header and a pinned
//!   `Accept: application/vnd.connectwise.com+json; version=…`.
//! - Lists ask for `pageSize=1000` (the default is 25) and `orderBy=id asc`; the first
//!   page's `Link rel="last"` gives the page count, and the remaining pages are fetched
//!   concurrently: `ceil(N/1000)` requests for N records and no count call. The marker
//!   scan instead pages forward-only (by id), which a deletion mid-scan cannot shift.
//! - Status and priority changes are JSON Patch; the answer and a re-read must both show
//!   the change (the API can answer 200 without applying a patch).

mod settings;
pub mod wire;

#[cfg(test)]
mod tests;

pub use settings::{CLIENT_ID_URL, DEFAULT_API_VERSION, Settings, normalize_site};

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::{
    Choice, Company, MarkerSearch, NewTicket, Note, Psa, PsaKind, PsaOp, RequestPreview, Ticket,
    TicketChange, preview_text, preview_ticket,
};
use crate::error::Failure;
use crate::http::{
    ApiError, ApiErrorKind, BaseUrl, Call, Http, RateLimit, Response, Service, ServicePolicy,
    concurrent,
};
use crate::secrets::Secret;
use crate::source::Severity;
use crate::store::IntegrationConfig;

/// The service name in messages and rate-limit bookkeeping.
pub const SERVICE: &str = "ConnectWise PSA";
/// The codebase used when the lookup gives none.
pub const FALLBACK_CODEBASE: &str = "v4_6_release/";
/// Largest page the API serves.
pub const PAGE_SIZE: usize = 1000;
/// The guide's URL length limit.
pub const MAX_URL_LEN: usize = 2000;
/// Client-side pace: under the ~1,000 requests a minute the guide says get throttled.
pub const REQUESTS_PER_MINUTE: u32 = 900;

const TICKET_FIELDS: &str = "id,summary,board,status,company,priority,closedFlag,externalXRef";

/// Line-break behaviour learned from the instance's answers.
const NEWLINES_UNKNOWN: u8 = 0;
const NEWLINES_KEPT: u8 = 1;
const NEWLINES_COLLAPSED: u8 = 2;

/// `GET /login/companyinfo/<company>`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct CompanyInfo {
    #[serde(rename = "CompanyName", default)]
    pub company_name: Option<String>,
    /// E.g. `v2025_1/` (with its trailing slash).
    #[serde(rename = "Codebase", default)]
    pub codebase: Option<String>,
    #[serde(rename = "VersionCode", default)]
    pub version_code: Option<String>,
    #[serde(rename = "VersionNumber", default)]
    pub version_number: Option<String>,
    #[serde(rename = "CompanyID", default)]
    pub company_id: Option<String>,
    /// A string, `"True"` or `"False"`.
    #[serde(rename = "IsCloud", default)]
    pub is_cloud: Option<String>,
}

/// `GET /system/info`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub is_cloud: Option<bool>,
    #[serde(default)]
    pub server_time_zone: Option<String>,
    #[serde(default)]
    pub cloud_region: Option<String>,
}

/// A reference object (`{id, name, identifier, _info}`).
#[derive(Debug, Clone, Default, Deserialize)]
struct Ref {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CwCompany {
    id: i64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    status: Option<Ref>,
    #[serde(default, rename = "deletedFlag")]
    deleted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CwBoard {
    id: i64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    inactive_flag: bool,
    #[serde(default)]
    project_flag: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CwStatus {
    id: i64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    closed_status: bool,
    #[serde(default)]
    default_flag: bool,
    #[serde(default)]
    inactive: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CwPriority {
    id: i64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    default_flag: bool,
    #[serde(default)]
    sort_order: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CwTicket {
    id: i64,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    board: Option<Ref>,
    #[serde(default)]
    status: Option<Ref>,
    #[serde(default)]
    company: Option<Ref>,
    #[serde(default)]
    priority: Option<Ref>,
    #[serde(default)]
    closed_flag: bool,
    #[serde(default, rename = "externalXRef")]
    external_xref: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CwNote {
    id: i64,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CwId {
    id: i64,
}

#[derive(Debug, Deserialize)]
struct CwCount {
    count: u64,
}

/// Whether a 404 can only mean refused credentials: the endpoint always exists, and
/// ConnectWise cloud answers bad authentication with 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A collection or system endpoint that always exists.
    Fixed,
    /// A record that may be gone.
    Record,
}

/// What a 404 meant (see [`ConnectWise::explain_404`]).
enum Absent {
    /// The record does not exist.
    Record,
    /// The whole API answers 404: refused credentials (ConnectWise cloud).
    Api,
    /// A fixed path answered 404 after other requests succeeded: the credentials work, so
    /// this endpoint is missing (an older ConnectWise release than the pinned version).
    Endpoint,
    /// The codebase moved; the API root to retry under.
    Moved(Service),
}

/// The ConnectWise backend.
pub struct ConnectWise {
    settings: Settings,
    private_key: Secret,
    /// scheme://host[:port] (`--base-url` or `https://<site>`), for the codebase lookup.
    site: Service,
    /// The API root once the codebase is known.
    api: Mutex<Option<Service>>,
    /// The codebase in use came from config.toml and no answer has confirmed it yet: when
    /// the whole API answers 404 it is looked up again, once.
    codebase_unconfirmed: AtomicBool,
    /// Some request was answered: the credentials and the codebase work, so a 404 on a
    /// record means the record is gone.
    answered: AtomicBool,
    /// The codebase `companyinfo` named (not the fallback guess), worth storing once an
    /// answer under it proved it.
    looked_up: Mutex<Option<String>>,
    /// The configured board (statuses and creates default to it).
    board: Option<i64>,
    newlines: AtomicU8,
}

/// Opens the configured integration (no network traffic until the first call).
pub fn connect(
    config: &IntegrationConfig,
    secret: Secret,
    http: &Http,
) -> anyhow::Result<ConnectWise> {
    let settings = Settings::from_table(&config.settings)?;
    let board = match &config.routing {
        Some(r) => Some(r.id.trim().parse::<i64>().map_err(|_| {
            Failure::config(format!(
                "the configured ConnectWise board id '{}' is not a number",
                r.id
            ))
            .with_fix("re-run `psa-link integration add connectwise --replace --board NAME|ID ...`")
        })?),
        None => None,
    };
    Ok(ConnectWise::open(settings, config.base_url.as_deref(), secret, http)?.with_board(board))
}

fn policy() -> ServicePolicy {
    let mut policy = ServicePolicy::new(SERVICE, RateLimit::per_minute(REQUESTS_PER_MINUTE));
    policy.max_in_flight = Some(8);
    policy.error_message = wire::error_message;
    policy
}

impl ConnectWise {
    /// A client for these settings. `base_url` replaces `https://<site>` (SPEC §4).
    pub fn open(
        settings: Settings,
        base_url: Option<&str>,
        private_key: Secret,
        http: &Http,
    ) -> Result<ConnectWise, Failure> {
        settings.validate()?;
        let base = site_base(&settings, base_url)?;
        if private_key.expose().trim().is_empty() {
            return Err(Failure::config("the ConnectWise private key is empty")
                .with_fix("set PSA_LINK_CONNECTWISE_PRIVATE_KEY to the API member's private key"));
        }
        let codebase_stored = settings.codebase.is_some();
        Ok(ConnectWise {
            settings,
            private_key,
            site: http.service(policy(), base),
            api: Mutex::new(None),
            codebase_unconfirmed: AtomicBool::new(codebase_stored),
            answered: AtomicBool::new(false),
            looked_up: Mutex::new(None),
            board: None,
            newlines: AtomicU8::new(NEWLINES_UNKNOWN),
        })
    }

    /// The board new tickets go to and statuses are read from when none is given.
    pub fn with_board(mut self, board: Option<i64>) -> ConnectWise {
        self.board = board;
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The unauthenticated codebase lookup, as answered.
    pub fn company_info(&self) -> Result<CompanyInfo, ApiError> {
        company_info(&self.site, &self.settings.company)
    }

    /// `https://<site>/<codebase>apis/3.0`: the stored codebase, else looked up once.
    pub fn api_root(&self) -> Result<BaseUrl, ApiError> {
        Ok(self.api()?.base().clone())
    }

    /// `GET /system/info`: the cheapest authenticated call.
    pub fn system_info(&self) -> Result<SystemInfo, ApiError> {
        self.send(|api| api.get("system/info"), Target::Fixed)?
            .json()
    }

    /// A board's active statuses (what [`Psa::statuses`] gives for a board id), with
    /// `closedStatus` as [`Choice::closed`].
    pub fn board_statuses(&self, board: i64) -> Result<Vec<Choice>, ApiError> {
        let statuses: Vec<CwStatus> = self.list(
            &format!("service/boards/{board}/statuses"),
            &[("fields", "id,name,closedStatus,defaultFlag,inactive".into())],
            Target::Record,
        )?;
        Ok(statuses
            .into_iter()
            .filter(|s| !s.inactive)
            .map(|s| Choice {
                id: s.id.to_string(),
                name: s.name,
                closed: Some(s.closed_status),
                default: s.default_flag,
            })
            .collect())
    }

    fn api(&self) -> Result<Service, ApiError> {
        let mut cached = self.api.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(api) = cached.as_ref() {
            return Ok(api.clone());
        }
        let codebase = match &self.settings.codebase {
            Some(stored) => stored.clone(),
            None => self.lookup_codebase()?,
        };
        let api = self.api_at(&codebase);
        *cached = Some(api.clone());
        Ok(api)
    }

    fn api_at(&self, codebase: &str) -> Service {
        let root = self
            .site
            .base()
            .join_path(&format!("{}/apis/3.0", codebase.trim_matches('/')));
        self.site.rebased(root)
    }

    /// A new API root when the stored codebase was unconfirmed and the lookup now names
    /// another one (the instance moved to a new release); `None` otherwise.
    fn rediscover(&self, current: &Service) -> Result<Option<Service>, ApiError> {
        if !self.codebase_unconfirmed.swap(false, Ordering::Relaxed) {
            return Ok(None);
        }
        let fresh = self.api_at(&self.lookup_codebase()?);
        if fresh.base().as_str() == current.base().as_str() {
            return Ok(None);
        }
        *self.api.lock().unwrap_or_else(|e| e.into_inner()) = Some(fresh.clone());
        Ok(Some(fresh))
    }

    /// Why the API answered 404. A record may be gone; but ConnectWise cloud answers
    /// refused credentials with 404 on every path, and so does a stale codebase. So a
    /// record's 404 is trusted once any request was answered, else `system/info` (cheap,
    /// always there) is asked once; when the whole API 404s, the codebase is looked up
    /// again if it was stored, and otherwise the credentials are refused.
    fn explain_404(&self, api: &Service, target: Target) -> Result<Absent, ApiError> {
        if self.answered.load(Ordering::Relaxed) {
            return Ok(match target {
                Target::Record => Absent::Record,
                Target::Fixed => Absent::Endpoint,
            });
        }
        if target == Target::Record {
            match self.authed(api.get("system/info")).send() {
                Ok(_) => {
                    self.confirm();
                    return Ok(Absent::Record);
                }
                Err(e) if e.status == Some(404) => {}
                Err(e) => return Err(self.diagnose(e, Target::Fixed)),
            }
        }
        Ok(match self.rediscover(api)? {
            Some(moved) => Absent::Moved(moved),
            None => Absent::Api,
        })
    }

    /// An answer proved the credentials and the codebase.
    fn confirm(&self) {
        self.answered.store(true, Ordering::Relaxed);
        self.codebase_unconfirmed.store(false, Ordering::Relaxed);
    }

    /// See [`codebase_of`].
    fn lookup_codebase(&self) -> Result<String, ApiError> {
        let found = codebase_of(&self.site, &self.settings.company)?;
        if found.named {
            *self.looked_up.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(found.codebase.clone());
        }
        Ok(found.codebase)
    }

    /// Credentials, `clientId` and the pinned version on a call.
    fn authed<'a>(&self, call: Call<'a>) -> Call<'a> {
        call.basic(&self.settings.auth_user(), &self.private_key)
            .header("clientId", &self.settings.client_id)
            .header(
                "Accept",
                &format!(
                    "application/vnd.connectwise.com+json; version={}",
                    self.settings.api_version()
                ),
            )
    }

    fn auth_fix(&self) -> String {
        format!(
            "ConnectWise signs in as '{}+{}' with the private key from PSA_LINK_CONNECTWISE_PRIVATE_KEY (or the stored secret): check that --company is the login company id, that --public-key and the private key are one API member's key pair (System > Members > API Members > API Keys), and that --client-id is the GUID registered at {CLIENT_ID_URL}; then re-run `psa-link integration add connectwise --replace ...`",
            self.settings.company, self.settings.public_key
        )
    }

    /// Turns ConnectWise's answers into the SPEC §7 diagnoses.
    fn diagnose(&self, mut e: ApiError, target: Target) -> ApiError {
        if e.mentions("SSL is required") {
            e.kind = ApiErrorKind::Rejected;
            e.fix = Some(format!(
                "the cloud API needs the api- host (e.g. api-na.myconnectwise.net, not na.myconnectwise.net): use --site api-{}",
                self.settings.site.trim_start_matches("api-")
            ));
            return e;
        }
        match e.status {
            Some(401) => {
                e.kind = ApiErrorKind::Auth;
                e.fix = Some(self.auth_fix());
            }
            Some(404) if target == Target::Fixed => {
                e.kind = ApiErrorKind::Auth;
                e.message = format!(
                    "{} (ConnectWise cloud answers refused credentials with 404)",
                    e.message
                );
                e.fix = Some(self.auth_fix());
            }
            Some(404) => {
                // Only reached once the API answered something else (see `explain_404`).
                e.fix = Some("the record does not exist (or was deleted in ConnectWise)".into());
            }
            Some(403) => {
                e.kind = ApiErrorKind::Permission;
                e.fix = Some(
                    "the API member's security role lacks a right: in System > Security Roles allow Companies > Company Maintenance (Inquire) and Service Desk > Service Tickets (Add, Edit, Inquire: All), then re-run".into(),
                );
            }
            Some(500..=599) if e.method == "POST" && e.url.ends_with("/service/tickets") => {
                e.fix = Some(
                    "ConnectWise may have created the ticket before failing; psa-link looks for the incident's marker before creating another, so re-running is safe".into(),
                );
            }
            _ => {}
        }
        e
    }

    /// Sends the call `build` makes against the API root, diagnosing failures; after a
    /// 404 that turns out to be a moved codebase, sends it once more under the new one.
    fn send<F>(&self, build: F, target: Target) -> Result<Response, ApiError>
    where
        F: for<'s> Fn(&'s Service) -> Call<'s>,
    {
        let api = self.api()?;
        let refused = match self.authed(build(&api)).send() {
            Ok(resp) => {
                self.confirm();
                return Ok(resp);
            }
            Err(e) => e,
        };
        if refused.status != Some(404) {
            return Err(self.diagnose(refused, target));
        }
        match self.explain_404(&api, target)? {
            Absent::Record => Err(self.diagnose(refused, Target::Record)),
            Absent::Api => Err(self.diagnose(refused, Target::Fixed)),
            Absent::Endpoint => {
                let mut e = refused;
                e.kind = ApiErrorKind::NotFound;
                e.fix = Some(format!(
                    "this ConnectWise server has no such endpoint although it accepted psa-link's other requests; it may run an older release than API version {} (set `api_version` in [integration.settings] to the server's version, shown in System > Help > About)",
                    self.settings.api_version()
                ));
                Err(e)
            }
            Absent::Moved(api) => {
                let resp = self
                    .authed(build(&api))
                    .send()
                    .map_err(|e| self.diagnose(e, target))?;
                self.confirm();
                Ok(resp)
            }
        }
    }

    // ------------------------------------------------------------------ paging

    /// Every record of a list: page 1, then pages 2..=last concurrently (or the `next`
    /// links one by one when the answer names no last page). Numbered pages shift when a
    /// record is deleted mid-list; callers that must not miss one use [`Self::list_forward`].
    fn list<T: DeserializeOwned + Send>(
        &self,
        path: &str,
        params: &[(&str, String)],
        target: Target,
    ) -> Result<Vec<T>, ApiError> {
        let first = self.page(path, params, 1, target)?;
        let mut items: Vec<T> = first.json()?;
        let links = wire::links(first.header("link").unwrap_or(""));
        match wire::link(&links, "last").and_then(wire::page_of) {
            Some(last) if last > 1 => {
                for page in self.pages(path, params, 2..=last, target)? {
                    items.extend(page);
                }
            }
            Some(_) => {}
            None => {
                let next = wire::link(&links, "next").map(str::to_string);
                self.follow_next(next, |api, url| api.get(url), target, &mut items)?;
            }
        }
        Ok(items)
    }

    /// Every record of a list in forward-only pagination: ordered by id, each page after
    /// the last id seen (`pageId`), so deleting a record mid-list cannot hide another.
    /// Sequential by nature: one request per page.
    fn list_forward<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, String)],
    ) -> Result<Vec<T>, ApiError> {
        let first = self.send(
            |api| {
                let mut call = api
                    .get(path)
                    .header("pagination-type", "forward-only")
                    .query("pageSize", PAGE_SIZE);
                for (k, v) in params {
                    call = call.query(k, v);
                }
                call
            },
            Target::Fixed,
        )?;
        let mut items: Vec<T> = first.json()?;
        if items.is_empty() {
            return Ok(items);
        }
        let next = wire::link(&wire::links(first.header("link").unwrap_or("")), "next")
            .map(str::to_string);
        self.follow_next(
            next,
            |api, url| api.get(url).header("pagination-type", "forward-only"),
            Target::Fixed,
            &mut items,
        )?;
        Ok(items)
    }

    /// Follows `next` links until a page names none or comes back empty.
    fn follow_next<T: DeserializeOwned>(
        &self,
        mut next: Option<String>,
        call: impl for<'s> Fn(&'s Service, &str) -> Call<'s>,
        target: Target,
        items: &mut Vec<T>,
    ) -> Result<(), ApiError> {
        while let Some(url) = next {
            let resp = self.send(|api| call(api, &url), target)?;
            let page: Vec<T> = resp.json()?;
            next = wire::link(&wire::links(resp.header("link").unwrap_or("")), "next")
                .map(str::to_string)
                .filter(|_| !page.is_empty());
            items.extend(page);
        }
        Ok(())
    }

    fn page(
        &self,
        path: &str,
        params: &[(&str, String)],
        page: u32,
        target: Target,
    ) -> Result<Response, ApiError> {
        self.send(
            |api| {
                let mut call = api
                    .get(path)
                    .query("pageSize", PAGE_SIZE)
                    .query("page", page);
                for (k, v) in params {
                    call = call.query(k, v);
                }
                call
            },
            target,
        )
    }

    /// Pages in order, fetched by a few threads sharing the service's rate limiter.
    fn pages<T: DeserializeOwned + Send>(
        &self,
        path: &str,
        params: &[(&str, String)],
        numbers: std::ops::RangeInclusive<u32>,
        target: Target,
    ) -> Result<Vec<Vec<T>>, ApiError> {
        let numbers: Vec<u32> = numbers.collect();
        concurrent::fetch_all(&numbers, |n| {
            self.page(path, params, n, target)
                .and_then(|r| r.json::<Vec<T>>())
        })
    }

    fn count(&self, path: &str, conditions: &str) -> Result<u64, ApiError> {
        let resp = self.send(
            |api| api.get(path).query("conditions", conditions),
            Target::Fixed,
        )?;
        Ok(resp.json::<CwCount>()?.count)
    }

    // ----------------------------------------------------------------- tickets

    fn board_for(&self, routing: Option<&str>) -> Result<i64, ApiError> {
        match routing {
            Some(r) => r.trim().parse::<i64>().map_err(|_| {
                ApiError::new(SERVICE, ApiErrorKind::Rejected, format!("'{r}' is not a board id"))
                    .with_fix("boards are configured by id; re-run `psa-link integration add connectwise --replace --board NAME|ID ...`")
            }),
            None => self.board.ok_or_else(|| {
                ApiError::new(SERVICE, ApiErrorKind::Rejected, "no ConnectWise service board is configured")
                    .with_fix("re-run `psa-link integration add connectwise --replace --board NAME|ID ...`")
            }),
        }
    }

    fn read(&self, id: i64) -> Result<CwTicket, ApiError> {
        let path = format!("service/tickets/{id}");
        self.send(
            |api| api.get(&path).query("fields", TICKET_FIELDS),
            Target::Record,
        )?
        .json()
    }

    /// A refused status: the fix lists the board's valid status names (SPEC §4).
    fn explain_status(&self, mut e: ApiError, board: i64, status: i64) -> ApiError {
        let body = wire::ErrorBody::parse(e.body.as_bytes()).unwrap_or_default();
        let Ok(valid) = self.board_statuses(board) else {
            return e;
        };
        let on_board = valid.iter().any(|s| s.id == status.to_string());
        if on_board && !body.names_field("status") {
            return e;
        }
        let names: Vec<String> = valid.iter().map(|s| format!("'{}'", s.name)).collect();
        e.kind = ApiErrorKind::Rejected;
        e.message = format!(
            "status {status} is not a status of board {board}: {}",
            e.message
        );
        e.fix = Some(format!(
            "statuses are per board in ConnectWise; valid statuses of board {board}: {}. Set the status map with `psa-link status-map set <EVENT> <STATUS>`",
            names.join(", ")
        ));
        e
    }

    fn not_applied(&self, id: i64, what: &str, wanted: i64, now: Option<&Ref>) -> ApiError {
        let (now_id, now_name) = now
            .map(|r| {
                (
                    r.id.map(|i| i.to_string()).unwrap_or_else(|| "?".into()),
                    r.name.clone().unwrap_or_default(),
                )
            })
            .unwrap_or_else(|| ("none".into(), String::new()));
        let mut e = ApiError::new(
            SERVICE,
            ApiErrorKind::NotApplied,
            format!(
                "ConnectWise answered the {what} change on ticket {id} with success but did not apply it: the ticket still has {what} '{now_name}' (id {now_id}), not id {wanted}"
            ),
        );
        e.method = "PATCH".into();
        e.status = Some(200);
        if let Ok(api) = self.api() {
            e.url = format!("{}/service/tickets/{id}", api.base());
        }
        e.fix = Some(match what {
            "status" => "the status did not change: check that the board's workflow allows this move (some boards require an intermediate status before a closed one), that the API member's security role may edit all service tickets (Service Desk > Service Tickets: Edit level All), and that the status map is right (`psa-link status-map list`)".into(),
            _ => "the priority did not change: check that the API member's security role may edit all service tickets (Service Desk > Service Tickets: Edit level All) and the priority map (`psa-link priority-map list`)".into(),
        });
        e
    }

    /// Note text as this instance keeps it: lines joined on one line once the instance
    /// is known to collapse line breaks.
    fn note_text(&self, text: &str) -> String {
        let text = wire::normalize_text(text);
        if self.newlines.load(Ordering::Relaxed) == NEWLINES_COLLAPSED {
            wire::single_line(&text)
        } else {
            text
        }
    }

    /// Learns from a stored note whether line breaks survive; a note whose lines were
    /// collapsed is rewritten once in the single-line form so it stays readable.
    fn check_newlines(&self, ticket: i64, sent: &str, note: &CwNote) -> Result<(), ApiError> {
        let Some(stored) = &note.text else {
            return Ok(());
        };
        if !sent.contains('\n') {
            return Ok(());
        }
        if !wire::newlines_collapsed(sent, stored) {
            self.newlines.store(NEWLINES_KEPT, Ordering::Relaxed);
            return Ok(());
        }
        self.newlines.store(NEWLINES_COLLAPSED, Ordering::Relaxed);
        let ops = json!([{"op": "replace", "path": "text", "value": wire::single_line(sent)}]);
        let path = format!("service/tickets/{ticket}/notes/{}", note.id);
        self.send(
            |api| api.patch(&path).json(&ops).idempotent(),
            Target::Record,
        )?;
        Ok(())
    }

    /// `externalXRef="a" or externalXRef="b" ...` batches, each URL within the limit.
    fn marker_batches(&self, api: &Service, markers: &BTreeSet<&str>) -> Vec<String> {
        let base = format!("{}/service/tickets?", api.base());
        let url_len = |conditions: &str| {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("pageSize", &PAGE_SIZE.to_string())
                // Later forward-only pages carry the last id seen.
                .append_pair("pageId", &i32::MAX.to_string())
                .append_pair("conditions", conditions)
                .append_pair("fields", "id,externalXRef")
                .finish();
            base.len() + query.len()
        };
        let mut batches = Vec::new();
        let mut current = String::new();
        for marker in markers {
            let clause = format!("externalXRef={}", wire::quote(marker));
            let candidate = if current.is_empty() {
                clause.clone()
            } else {
                format!("{current} or {clause}")
            };
            if url_len(&candidate) <= MAX_URL_LEN || current.is_empty() {
                current = candidate;
            } else {
                batches.push(std::mem::replace(&mut current, clause));
            }
        }
        if !current.is_empty() {
            batches.push(current);
        }
        batches
    }

    /// One scan of every marked ticket: `externalXRef like "<common prefix>*"`, since the
    /// oldest wanted creation when known.
    fn marker_scan(markers: &BTreeSet<&str>, since: Option<time::OffsetDateTime>) -> String {
        let first = markers.iter().next().copied().unwrap_or("psa-link:");
        let mut prefix = first.to_string();
        for m in markers {
            while !m.starts_with(&prefix) {
                prefix.pop();
            }
        }
        // Stop at the namespace (`psa-link:huntress:`), never in the middle of an id.
        let cut = prefix.rfind(':').map(|i| i + 1).unwrap_or(0);
        let mut conditions = format!(
            "externalXRef like {}",
            wire::quote(&format!("{}*", &prefix[..cut]))
        );
        if let Some(since) = since {
            let since = since
                .to_offset(time::UtcOffset::UTC)
                .replace_nanosecond(0)
                .unwrap_or(since);
            if let Ok(ts) = since.format(&time::format_description::well_known::Rfc3339) {
                conditions.push_str(&format!(" and _info/dateEntered>=[{ts}]"));
            }
        }
        conditions
    }
}

/// `scheme://host[:port]`: `--base-url`, else `https://<site>`.
fn site_base(settings: &Settings, base_url: Option<&str>) -> Result<BaseUrl, Failure> {
    match base_url {
        Some(raw) => BaseUrl::parse(raw).map_err(|e| {
            Failure::config(e.to_string())
                .with_fix("give --base-url as scheme://host[:port], e.g. http://127.0.0.1:18481")
        }),
        None => BaseUrl::from_host(&settings.site).map_err(|e| {
            Failure::config(e.to_string())
                .with_fix("give --site the API host only, e.g. api-na.myconnectwise.net")
        }),
    }
}

fn company_info(site: &Service, company: &str) -> Result<CompanyInfo, ApiError> {
    let company =
        percent_encoding::utf8_percent_encode(company, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    site.get(&format!("login/companyinfo/{company}"))
        .header("Accept", "application/json")
        .send_json()
}

/// The codebase, or the fallback when the site answered without a usable one (404 on
/// servers without the lookup, an unknown company, an odd body). An unreachable site
/// is an error: the API would not answer either.
fn codebase_of(site: &Service, company: &str) -> Result<Codebase, ApiError> {
    let guess = || Codebase {
        codebase: FALLBACK_CODEBASE.to_string(),
        named: false,
    };
    match company_info(site, company) {
        Ok(info) => Ok(info
            .codebase
            .filter(|c| is_codebase(c))
            .map(|codebase| Codebase {
                codebase,
                named: true,
            })
            .unwrap_or_else(guess)),
        Err(e)
            if matches!(
                e.kind,
                ApiErrorKind::Network | ApiErrorKind::Timeout | ApiErrorKind::RateLimited
            ) && e.status.is_none_or(|s| s == 429) =>
        {
            Err(e)
        }
        Err(_) => Ok(guess()),
    }
}

/// A codebase to use, and whether `companyinfo` named it (else it is the fallback guess).
struct Codebase {
    codebase: String,
    named: bool,
}

fn is_codebase(c: &str) -> bool {
    let trimmed = c.trim_matches('/');
    !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-'))
}

fn parse_id(what: &str, raw: &str) -> Result<i64, ApiError> {
    raw.trim().parse::<i64>().map_err(|_| {
        ApiError::new(
            SERVICE,
            ApiErrorKind::Rejected,
            format!("'{raw}' is not a ConnectWise {what} id"),
        )
        .with_fix(format!(
            "ConnectWise {what}s are numbered; pick one from the list psa-link shows"
        ))
    })
}

/// Company statuses are instance data; psa-link treats any status named "…Inactive…" as
/// inactive.
fn company_active(c: &CwCompany) -> bool {
    !c.status
        .as_ref()
        .and_then(|s| s.name.as_deref())
        .is_some_and(|n| n.to_ascii_lowercase().contains("inactive"))
}

/// ConnectWise's `severity` and `impact` (each `Low`/`Medium`/`High`, reference B5) for an
/// incident severity: Huntress's three levels onto ConnectWise's three, both fields alike,
/// so a critical incident's ticket no longer shows the default Medium.
pub fn severity_impact(severity: Severity) -> (&'static str, &'static str) {
    let level = match severity {
        Severity::Low => "Low",
        Severity::High => "Medium",
        Severity::Critical => "High",
    };
    (level, level)
}

fn to_ticket(t: CwTicket) -> Ticket {
    Ticket {
        id: t.id,
        title: t.summary,
        company_id: t.company.as_ref().and_then(|c| c.id),
        company_name: t.company.and_then(|c| c.name),
        status_id: t.status.as_ref().and_then(|s| s.id).map(|i| i.to_string()),
        status_name: t.status.and_then(|s| s.name),
        priority_id: t.priority.and_then(|p| p.id).map(|i| i.to_string()),
        closed: t.closed_flag,
        marker: t.external_xref.as_deref().and_then(super::find_marker),
    }
}

impl Psa for ConnectWise {
    fn kind(&self) -> PsaKind {
        PsaKind::Connectwise
    }

    fn identity(&self) -> String {
        format!(
            "connectwise:{}:{}",
            self.settings.site,
            self.settings.company.to_ascii_lowercase()
        )
    }

    fn verify(&self) -> Result<(), ApiError> {
        self.system_info().map(|_| ())
    }

    fn companies(&self) -> Result<Vec<Company>, ApiError> {
        let companies: Vec<CwCompany> = self.list(
            "company/companies",
            &[
                ("conditions", "deletedFlag=false".into()),
                ("fields", "id,identifier,name,status,deletedFlag".into()),
                ("orderBy", "id asc".into()),
            ],
            Target::Fixed,
        )?;
        let mut seen = BTreeSet::new();
        // A deleted company is gone: the server leaves it out (no pages spent on them) and
        // the filter below is the safety net, so the mapping reports pairs that point at it
        // as stale, not as "reactivate it".
        Ok(companies
            .into_iter()
            .filter(|c| !c.deleted && seen.insert(c.id))
            .map(|c| Company {
                id: c.id,
                active: company_active(&c),
                name: c.name,
            })
            .collect())
    }

    fn routings(&self) -> Result<Vec<Choice>, ApiError> {
        let boards: Vec<CwBoard> = self.list(
            "service/boards",
            &[
                ("fields", "id,name,inactiveFlag,projectFlag".into()),
                ("orderBy", "id asc".into()),
            ],
            Target::Fixed,
        )?;
        Ok(boards
            .into_iter()
            .filter(|b| !b.inactive_flag && !b.project_flag)
            .map(|b| Choice::new(b.id, b.name))
            .collect())
    }

    fn statuses(&self, routing: Option<&str>) -> Result<Vec<Choice>, ApiError> {
        let board = self.board_for(routing)?;
        self.board_statuses(board)
    }

    fn priorities(&self, _routing: Option<&str>) -> Result<Vec<Choice>, ApiError> {
        let mut priorities: Vec<CwPriority> = self.list(
            "service/priorities",
            &[("fields", "id,name,defaultFlag,sortOrder".into())],
            Target::Fixed,
        )?;
        priorities.sort_by_key(|p| p.sort_order.unwrap_or(i64::MAX));
        Ok(priorities
            .into_iter()
            .map(|p| Choice {
                default: p.default_flag,
                ..Choice::new(p.id, p.name)
            })
            .collect())
    }

    fn create_ticket(&self, ticket: &NewTicket) -> Result<i64, ApiError> {
        let board = self.board_for(ticket.routing_id.as_deref())?;
        let status = ticket
            .status_id
            .as_deref()
            .map(|s| parse_id("status", s))
            .transpose()?;
        let priority = ticket
            .priority_id
            .as_deref()
            .map(|p| parse_id("priority", p))
            .transpose()?;
        let mut description = wire::normalize_text(&ticket.body);
        if !ticket.marker.is_empty() && !description.contains(&ticket.marker) {
            let reference = format!("psa-link reference: {}", ticket.marker);
            description = if description.is_empty() {
                reference
            } else {
                format!("{description}\n\n{reference}")
            };
        }
        let mut body = json!({
            "summary": wire::summary(&ticket.title),
            "board": {"id": board},
            "company": {"id": ticket.company_id},
            "initialDescription": self.note_text(&description),
        });
        if wire::summary_len(&ticket.marker) <= wire::SUMMARY_MAX && !ticket.marker.is_empty() {
            body["externalXRef"] = json!(ticket.marker);
        }
        if let Some(s) = status {
            body["status"] = json!({"id": s});
        }
        if let Some(p) = priority {
            body["priority"] = json!({"id": p});
        }
        if let Some(severity) = ticket.severity {
            let (severity, impact) = severity_impact(severity);
            body["severity"] = json!(severity);
            body["impact"] = json!(impact);
        }
        let created = self
            .send(
                |api| api.post("service/tickets").json(&body).create(),
                Target::Fixed,
            )
            .map_err(|e| match status {
                Some(s) if e.status == Some(400) => self.explain_status(e, board, s),
                _ => e,
            })?;
        Ok(created.json::<CwId>()?.id)
    }

    fn ticket(&self, id: i64) -> Result<Ticket, ApiError> {
        self.read(id).map(to_ticket)
    }

    fn update_ticket(&self, id: i64, change: &TicketChange) -> Result<(), ApiError> {
        let status = change
            .status_id
            .as_deref()
            .map(|s| parse_id("status", s))
            .transpose()?;
        let priority = change
            .priority_id
            .as_deref()
            .map(|p| parse_id("priority", p))
            .transpose()?;
        let mut ops = Vec::new();
        if let Some(s) = status {
            ops.push(json!({"op": "replace", "path": "status", "value": {"id": s}}));
        }
        if let Some(p) = priority {
            ops.push(json!({"op": "replace", "path": "priority", "value": {"id": p}}));
            // Severity and impact follow the incident alongside the priority.
            if let Some(severity) = change.severity {
                let (severity, impact) = severity_impact(severity);
                ops.push(json!({"op": "replace", "path": "severity", "value": severity}));
                ops.push(json!({"op": "replace", "path": "impact", "value": impact}));
            }
        }
        if ops.is_empty() {
            return Ok(());
        }
        let path = format!("service/tickets/{id}");
        let answer = self
            .send(
                |api| api.patch(&path).json(&ops).idempotent(),
                Target::Record,
            )
            .map_err(|e| match status {
                Some(s) if e.status == Some(400) => match self.read(id) {
                    Ok(t) => match t.board.and_then(|b| b.id) {
                        Some(board) => self.explain_status(e, board, s),
                        None => e,
                    },
                    Err(_) => e,
                },
                _ => e,
            })?;
        // The answer first (a visible refusal costs no request), then a re-read, since
        // the API may answer 200 without storing the change.
        let check = |t: &CwTicket| -> Result<(), ApiError> {
            if let Some(s) = status
                && t.status.as_ref().and_then(|r| r.id) != Some(s)
            {
                return Err(self.not_applied(id, "status", s, t.status.as_ref()));
            }
            if let Some(p) = priority
                && t.priority.as_ref().and_then(|r| r.id) != Some(p)
            {
                return Err(self.not_applied(id, "priority", p, t.priority.as_ref()));
            }
            Ok(())
        };
        if let Ok(claimed) = answer.json::<CwTicket>() {
            check(&claimed)?;
        }
        check(&self.read(id)?)
    }

    fn add_note(&self, id: i64, note: &Note) -> Result<(), ApiError> {
        let text = self.note_text(&note.text);
        // Private: an internal-analysis note, flagged internal, never notifying anyone. A
        // resolution note is also flagged as the resolution, still internal.
        let body = json!({
            "text": text,
            "detailDescriptionFlag": false,
            "internalAnalysisFlag": true,
            "resolutionFlag": note.resolution,
            "internalFlag": true,
            "externalFlag": false,
            "customerUpdatedFlag": false,
            "processNotifications": false,
        });
        let path = format!("service/tickets/{id}/notes");
        let resp = self.send(|api| api.post(&path).json(&body).create(), Target::Record)?;
        match resp.json::<CwNote>() {
            Ok(stored) => self.check_newlines(id, &text, &stored),
            Err(_) => Ok(()),
        }
    }

    fn find_marked(&self, search: &MarkerSearch<'_>) -> Result<HashMap<String, i64>, ApiError> {
        let wanted: BTreeSet<&str> = search
            .markers
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty() && wire::summary_len(m) <= wire::SUMMARY_MAX)
            .collect();
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let api = self.api()?;
        let batches = self.marker_batches(&api, &wanted);
        let mut plans = batches;
        if plans.len() > 1 {
            // Several exact batches: one scan of every marked ticket may cost fewer.
            let scan = ConnectWise::marker_scan(&wanted, search.created_since);
            let found = self.count("service/tickets/count", &scan)?;
            let scan_pages = found.div_ceil(PAGE_SIZE as u64).max(1);
            if scan_pages < plans.len() as u64 {
                plans = vec![scan];
            }
        }
        let mut hits: HashMap<String, i64> = HashMap::new();
        for conditions in plans {
            // Forward-only: a ticket deleted mid-scan cannot shift a marked one out of
            // view (a miss here would mean a duplicate ticket).
            let tickets: Vec<CwTicket> = self.list_forward(
                "service/tickets",
                &[
                    ("conditions", conditions),
                    ("fields", "id,externalXRef".into()),
                ],
            )?;
            for t in tickets {
                // Confirmed here: the API's `=` ignores case and `like` is a pattern.
                let Some(xref) = t.external_xref.as_deref().map(str::trim) else {
                    continue;
                };
                if wanted.contains(xref) {
                    hits.entry(xref.to_string())
                        .and_modify(|id| *id = (*id).min(t.id))
                        .or_insert(t.id);
                }
            }
        }
        Ok(hits)
    }

    fn preview(&self, op: PsaOp<'_>) -> Vec<RequestPreview> {
        // The codebase in the path is looked up once (a read) when not known yet.
        let root = self.api().map_or_else(
            |_| format!("/{}apis/3.0", FALLBACK_CODEBASE),
            |api| api.base().url().path().trim_end_matches('/').to_string(),
        );
        match op {
            PsaOp::Create(t) => {
                let mut fields = vec![
                    format!("summary={}", preview_text(&wire::summary(&t.title), 120)),
                    format!(
                        "board.id={}",
                        self.board_for(t.routing_id.as_deref())
                            .map_or_else(|_| "?".to_string(), |b| b.to_string())
                    ),
                    format!("company.id={}", t.company_id),
                ];
                if let Some(s) = &t.status_id {
                    fields.push(format!("status.id={s}"));
                }
                if let Some(p) = &t.priority_id {
                    fields.push(format!("priority.id={p}"));
                }
                if let Some(severity) = t.severity {
                    let (severity, impact) = severity_impact(severity);
                    fields.push(format!("severity={severity}, impact={impact}"));
                }
                fields.push(format!("externalXRef={:?}", t.marker));
                fields.push(format!(
                    "initialDescription ({} chars)",
                    t.body.chars().count()
                ));
                vec![RequestPreview::new(
                    "POST",
                    format!("{root}/service/tickets"),
                    format!("{{{}}}", fields.join(", ")),
                )]
            }
            PsaOp::Update(id, change) => {
                let mut ops = Vec::new();
                if let Some(s) = &change.status_id {
                    ops.push(format!("replace status = {{id: {s}}}"));
                }
                if let Some(p) = &change.priority_id {
                    ops.push(format!("replace priority = {{id: {p}}}"));
                    if let Some(severity) = change.severity {
                        let (severity, impact) = severity_impact(severity);
                        ops.push(format!("replace severity = {severity}"));
                        ops.push(format!("replace impact = {impact}"));
                    }
                }
                vec![RequestPreview::new(
                    "PATCH",
                    format!("{root}/service/tickets/{}", preview_ticket(id)),
                    format!("[{}]", ops.join(", ")),
                )]
            }
            PsaOp::Note(id, note) => vec![RequestPreview::new(
                "POST",
                format!("{root}/service/tickets/{}/notes", preview_ticket(id)),
                format!(
                    "{{text={}, internalAnalysisFlag=true, internalFlag=true, externalFlag=false, resolutionFlag={}, processNotifications=false}}",
                    preview_text(&note.text, 100),
                    note.resolution
                ),
            )],
        }
    }

    /// The codebase `companyinfo` named, once an answer under it proved it: stored at
    /// `integration add` so later runs skip the lookup (SPEC §9). A fallback guess is
    /// never stored.
    fn discovered_settings(&self) -> toml::Table {
        let mut table = toml::Table::new();
        let looked_up = self.looked_up.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(codebase) = looked_up.as_ref()
            && self.answered.load(Ordering::Relaxed)
            && self.settings.codebase.as_deref() != Some(codebase.as_str())
        {
            table.insert("codebase".into(), codebase.clone().into());
        }
        table
    }

    fn delete_ticket(&self, id: i64) -> Result<bool, ApiError> {
        let path = format!("service/tickets/{id}");
        self.send(|api| api.delete(&path), Target::Record)?;
        Ok(true)
    }
}
