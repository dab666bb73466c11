//! The HaloPSA emulator, faithful to `reference/halopsa-connectwise.md` part D1: the two
//! endpoint families (`/auth/token`, `/api/...`), expiring bearer tokens and scopes,
//! case-insensitive paths and query keys, array-only POST bodies, envelopes versus bare
//! arrays, `pageinate` paging, Halo's validation messages in both error body styles, its
//! number-type quirks, a rolling 5-minute rate limit and a status model with closure.
//! Fault switches reproduce the failure modes of Huntress's HaloPSA setup guide.

mod data;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use self::data::{Action, State, Ticket};
use super::server::{Emulator, FaultInfo, Faults, HttpRequest, HttpResponse, RateWindow};
use super::{EmulatedNote, EmulatedTicket, PsaEmulator};
use crate::psa::PsaKind;
use crate::sandbox::seed::Msp;

pub use self::data::{HUNTRESS_TYPE, ITIL_TYPE, SECURITY_SLA, STANDARD_SLA};

/// The sandbox application's credentials.
pub const CLIENT_ID: &str = "psa-link-sandbox";
pub const CLIENT_SECRET: &str = "halo-sandbox-secret-7f3c9e21d4";
/// The tenant a Halo-hosted instance expects in `?tenant=` (required in `hosted-tenant`).
pub const TENANT: &str = "northwind";
/// The host name `add_args` gives (the base URL stands in for it).
pub const HOST: &str = "northwind.halopsa.com";
/// The seed's ticket type for psa-link's tickets.
pub const TICKET_TYPE: &str = "Huntress Incident";
pub const SECRET_ENV: &str = "PSA_LINK_HALOPSA_CLIENT_SECRET";

/// The `rate-limit` fault's window: a handful of requests, freed within seconds.
const FAULT_RATE_MAX: usize = 6;
const FAULT_RATE_WINDOW: Duration = Duration::from_secs(2);

static FAULTS: &[FaultInfo] = &[
    FaultInfo {
        name: "mandatory-fields",
        description: "the Huntress Incident ticket type enforces Category, Impact and Urgency with no defaults (plain-text 400 on create)",
    },
    FaultInfo {
        name: "no-read-back",
        description: "the API agent cannot see the tickets it creates (401 on GET /api/Tickets/{id}; hidden from lists)",
    },
    FaultInfo {
        name: "no-general-user",
        description: "no client has a General User (400 \"Please select a valid Client/Site/User\")",
    },
    FaultInfo {
        name: "rate-limit",
        description: "a tiny rolling window: 429 \"Rate Limit Reached\" after a few requests",
    },
    FaultInfo {
        name: "no-retry-after",
        description: "429 answers carry no Retry-After header",
    },
    FaultInfo {
        name: "no-edit",
        description: "the API agent may not edit tickets (403 on updates and deletes)",
    },
    FaultInfo {
        name: "status-unchanged",
        description: "ticket updates answer success but leave the status as it was",
    },
    FaultInfo {
        name: "drop-create-connection",
        description: "a created ticket is stored, then the connection closes with no answer",
    },
    FaultInfo {
        name: "drop-create-response",
        description: "a created ticket is stored, then the answer is lost (504)",
    },
    FaultInfo {
        name: "short-token",
        description: "access tokens expire after one second",
    },
    FaultInfo {
        name: "plain-errors",
        description: "error bodies are plain text instead of serialised .NET exceptions",
    },
    FaultInfo {
        name: "double-ids",
        description: "Site client_id and User site_id are written as doubles (12.0)",
    },
    FaultInfo {
        name: "hosted-tenant",
        description: "Halo-hosted: the token request must carry ?tenant=<tenant>",
    },
    FaultInfo {
        name: "ignore-search",
        description: "list endpoints ignore the search parameter",
    },
    FaultInfo {
        name: "update-no-echo",
        description: "ticket updates answer 201 with an empty body instead of the saved ticket",
    },
    FaultInfo {
        name: "missing-permission",
        description: "the API agent lacks \"Can add new Tickets\" and ticket list rights (403 on creating and listing tickets)",
    },
    FaultInfo {
        name: "ip-filter",
        description: "API access is restricted to allowed IP addresses and this machine is not one (403 on /auth/token and /api)",
    },
    FaultInfo {
        name: "revoke-on-create",
        description: "every ticket create revokes the issued tokens (a Halo restart mid-run): the next call answers 401",
    },
    FaultInfo {
        name: "lean-lists",
        description: "ticket lists return only summary columns (no details, no third-party id)",
    },
];

/// Emulator settings that are not failure modes.
#[derive(Debug, Clone)]
pub struct HaloOptions {
    /// `expires_in` of issued tokens (the `short-token` fault makes it one second).
    pub token_lifetime: Duration,
    /// Requests allowed per rolling window (Halo-hosted: 300 or 500 per 5 minutes).
    pub rate_limit: usize,
    pub rate_window: Duration,
    /// `/api/Tickets` page size cap (the spec says 100); None honours any size.
    pub ticket_page_cap: Option<usize>,
    /// `/api/Client` page size cap; None honours any size.
    pub client_page_cap: Option<usize>,
    /// Added to every seeded status id.
    pub status_id_offset: i64,
    /// Ordinary tickets seeded before psa-link arrives.
    pub old_tickets: usize,
    /// Scopes the application was granted (`all` covers every scope).
    pub granted_scopes: Vec<String>,
}

impl Default for HaloOptions {
    fn default() -> Self {
        HaloOptions {
            token_lifetime: Duration::from_secs(3600),
            rate_limit: 500,
            rate_window: Duration::from_secs(300),
            ticket_page_cap: Some(100),
            client_page_cap: None,
            status_id_offset: 0,
            old_tickets: 40,
            granted_scopes: vec!["all".into()],
        }
    }
}

struct IssuedToken {
    expires: Instant,
    scopes: Vec<String>,
}

/// The HaloPSA emulator.
pub struct HaloEmulator {
    faults: Faults,
    options: Mutex<HaloOptions>,
    state: Mutex<State>,
    tokens: Mutex<HashMap<String, IssuedToken>>,
    tokens_issued: AtomicU64,
    rate: Mutex<RateWindow>,
    fault_rate: RateWindow,
    msp_company: String,
}

type Reply<T> = Result<T, HttpResponse>;

impl HaloEmulator {
    /// The standard sandbox MSP.
    pub fn standard() -> HaloEmulator {
        HaloEmulator::new(&Msp::standard(), HaloOptions::default())
    }

    pub fn new(msp: &Msp, options: HaloOptions) -> HaloEmulator {
        HaloEmulator {
            faults: Faults::default(),
            state: Mutex::new(State::seeded(
                msp,
                options.status_id_offset,
                options.old_tickets,
            )),
            rate: Mutex::new(RateWindow::new(options.rate_limit, options.rate_window)),
            options: Mutex::new(options),
            tokens: Mutex::new(HashMap::new()),
            tokens_issued: AtomicU64::new(0),
            fault_rate: RateWindow::new(FAULT_RATE_MAX, FAULT_RATE_WINDOW),
            msp_company: msp.msp_company.clone(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn opts(&self) -> HaloOptions {
        self.options
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn update_options(&self, f: impl FnOnce(&mut HaloOptions)) {
        f(&mut self.options.lock().unwrap_or_else(|e| e.into_inner()));
    }

    fn fault(&self, name: &str) -> bool {
        self.faults.is_on(name)
    }

    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.update_options(|o| o.token_lifetime = lifetime);
    }

    pub fn set_granted_scopes(&self, scopes: &[&str]) {
        self.update_options(|o| o.granted_scopes = scopes.iter().map(|s| s.to_string()).collect());
    }

    pub fn set_client_page_cap(&self, cap: Option<usize>) {
        self.update_options(|o| o.client_page_cap = cap);
    }

    pub fn set_ticket_page_cap(&self, cap: Option<usize>) {
        self.update_options(|o| o.ticket_page_cap = cap);
    }

    /// A new rolling window of `max` requests per `window` (Halo-hosted: 300 s).
    pub fn set_rate_limit(&self, max: usize, window: Duration) {
        self.update_options(|o| {
            o.rate_limit = max;
            o.rate_window = window;
        });
        *self.rate.lock().unwrap_or_else(|e| e.into_inner()) = RateWindow::new(max, window);
    }

    /// Tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        self.tokens_issued.load(Ordering::Relaxed)
    }

    /// Forgets every issued token (a server restart): the next API call answers 401.
    pub fn revoke_tokens(&self) {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn ticket_type_id(&self, name: &str) -> Option<i64> {
        self.state()
            .ticket_types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.id)
    }

    pub fn status_id(&self, name: &str) -> Option<i64> {
        self.state()
            .statuses
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id)
    }

    /// The `priorityid` of a priority by SLA and name.
    pub fn priority_id(&self, slaid: i64, name: &str) -> Option<i64> {
        self.state()
            .priorities
            .iter()
            .find(|p| p.slaid == slaid && p.name == name)
            .map(|p| p.priorityid)
    }

    /// A ticket as `GET /api/Tickets/{id}` would return it (no access checks).
    pub fn raw_ticket(&self, id: i64) -> Option<Value> {
        let st = self.state();
        st.tickets.get(&id).map(|t| t.json(&st, false))
    }

    /// A ticket's actions as `GET /api/Actions?ticket_id=` would return them.
    pub fn actions(&self, ticket_id: i64) -> Vec<Value> {
        self.state()
            .actions
            .iter()
            .filter(|a| a.ticket_id == ticket_id)
            .map(Action::json)
            .collect()
    }

    /// Tickets created through the API.
    pub fn api_tickets(&self) -> Vec<i64> {
        self.state()
            .tickets
            .values()
            .filter(|t| t.by_api)
            .map(|t| t.id)
            .collect()
    }

    // ----- errors -----

    /// A business-rule failure in the configured body style: a serialised .NET exception
    /// (default) or plain text (`plain-errors`).
    fn fail(&self, status: u16, message: &str) -> HttpResponse {
        if self.fault("plain-errors") {
            HttpResponse::text(status, message)
        } else {
            HttpResponse::json(
                status,
                &json!({
                    "ClassName": "System.Exception",
                    "Message": message,
                    "Data": null,
                    "InnerException": null,
                    "HelpURL": null,
                    "StackTraceString": "   at HaloAPI.Controllers.BaseController.Validate()",
                    "HResult": -2146233088,
                    "Source": "HaloAPI",
                }),
            )
        }
    }

    // ----- routing -----

    fn route(&self, req: &HttpRequest) -> HttpResponse {
        let segs: Vec<String> = req
            .segments()
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let filtered = matches!(segs.as_slice(), ["auth", "token"] | ["api", ..]);
        if filtered && self.fault("ip-filter") {
            return HttpResponse::text(
                403,
                "Access denied: API requests from this IP address are not allowed (Allowed IP Addresses)",
            );
        }
        match (req.method.as_str(), segs.as_slice()) {
            ("POST", ["auth", "token"]) => self.token(req),
            (_, ["api", rest @ ..]) => {
                if let Err(resp) = self.rate_check() {
                    return resp;
                }
                match (req.method.as_str(), rest) {
                    ("GET", ["authinfo"]) => HttpResponse::json(
                        200,
                        &json!({"auth_url": format!("{}/auth", req.origin), "tenant_id": TENANT}),
                    ),
                    _ => self.api(req, rest).unwrap_or_else(|r| r),
                }
            }
            _ => HttpResponse::text(404, "Not Found"),
        }
    }

    fn rate_check(&self) -> Reply<()> {
        let (max, window, result) = if self.fault("rate-limit") {
            (FAULT_RATE_MAX, FAULT_RATE_WINDOW, self.fault_rate.check())
        } else {
            let rate = self.rate.lock().unwrap_or_else(|e| e.into_inner());
            let opts = self.opts();
            (opts.rate_limit, opts.rate_window, rate.check())
        };
        result.map_err(|wait| {
            let resp = self.fail(
                429,
                &format!(
                    "Rate Limit Reached - {max} Requests per rolling {} window",
                    window_words(window)
                ),
            );
            if self.fault("no-retry-after") {
                resp
            } else {
                resp.with_header(
                    "Retry-After",
                    wait.as_secs_f64().ceil().max(1.0).to_string(),
                )
            }
        })
    }

    fn token(&self, req: &HttpRequest) -> HttpResponse {
        let oauth_error = |status: u16, error: &str, description: &str| {
            HttpResponse::json(
                status,
                &json!({"error": error, "error_description": description}),
            )
        };
        if !req
            .content_type()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
        {
            return oauth_error(
                400,
                "invalid_request",
                "The token request must be form-encoded (application/x-www-form-urlencoded)",
            );
        }
        let form = req.form();
        let field = |k: &str| {
            form.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        if field("grant_type") != Some("client_credentials") {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "grant_type must be client_credentials",
            );
        }
        let tenant_ok = match req.query_ci("tenant") {
            Some(t) => t.eq_ignore_ascii_case(TENANT),
            None => !self.fault("hosted-tenant"),
        };
        if !tenant_ok
            || field("client_id") != Some(CLIENT_ID)
            || field("client_secret") != Some(CLIENT_SECRET)
        {
            return HttpResponse::json(401, &json!({"error": "invalid_client"}));
        }
        let opts = self.opts();
        let requested: Vec<String> = match field("scope") {
            Some(s) if !s.trim().is_empty() => s.split_whitespace().map(str::to_string).collect(),
            _ => opts.granted_scopes.clone(),
        };
        let granted_all = opts.granted_scopes.iter().any(|s| s == "all");
        if let Some(bad) = requested
            .iter()
            .find(|s| !granted_all && !opts.granted_scopes.contains(s))
        {
            return oauth_error(
                400,
                "invalid_scope",
                &format!("The application is not allowed the scope '{bad}'"),
            );
        }
        let lifetime = if self.fault("short-token") {
            Duration::from_secs(1)
        } else {
            opts.token_lifetime
        };
        let token = format!(
            "{:032x}{:016x}",
            rand::rng().random::<u128>(),
            rand::rng().random::<u64>()
        );
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                token.clone(),
                IssuedToken {
                    expires: Instant::now() + lifetime,
                    scopes: requested.clone(),
                },
            );
        self.tokens_issued.fetch_add(1, Ordering::Relaxed);
        HttpResponse::json(
            200,
            &json!({
                "token_type": "Bearer",
                "access_token": token,
                "expires_in": lifetime.as_secs().max(1),
                "scope": requested.join(" "),
            }),
        )
    }

    /// The scopes of the request's bearer token; 401 when missing, unknown or expired.
    fn bearer(&self, req: &HttpRequest) -> Reply<Vec<String>> {
        let unauthorized = || {
            HttpResponse::empty(401)
                .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        };
        let header = req.header("authorization").ok_or_else(unauthorized)?;
        let (scheme, token) = header.split_once(' ').ok_or_else(unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(unauthorized());
        }
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        match tokens.get(token.trim()) {
            Some(t) if t.expires > Instant::now() => Ok(t.scopes.clone()),
            _ => Err(unauthorized()),
        }
    }

    fn api(&self, req: &HttpRequest, rest: &[&str]) -> Reply<HttpResponse> {
        let scopes = self.bearer(req)?;
        let Some((&resource, tail)) = rest.split_first() else {
            return Ok(HttpResponse::text(404, "Not Found"));
        };
        let method = req.method.as_str();
        let area = match resource {
            "client" | "site" | "users" => "customers",
            _ => "tickets",
        };
        let edit = method != "GET";
        if !scope_allows(&scopes, area, edit) {
            return Ok(HttpResponse::empty(403));
        }
        // An agent without ticket rights: Halo refuses with a bare 403.
        if self.fault("missing-permission") && resource == "tickets" && tail.is_empty() {
            return Ok(HttpResponse::empty(403));
        }
        let id = match tail {
            [] => None,
            [id] => Some(
                id.parse::<i64>()
                    .map_err(|_| HttpResponse::text(404, "Not Found"))?,
            ),
            _ => return Ok(HttpResponse::text(404, "Not Found")),
        };
        match (method, resource, id) {
            ("GET", "client", None) => Ok(self.list_clients(req)),
            ("GET", "site", None) => Ok(self.list_sites(req)),
            ("GET", "users", None) => Ok(self.list_users(req)),
            ("GET", "tickettype", None) => {
                Ok(self.bare(self.state().ticket_types.iter().map(|t| t.json())))
            }
            ("GET", "status", None) => Ok(self.list_statuses(req)),
            ("GET", "priority", None) => Ok(self.list_priorities(req)),
            ("GET", "outcome", None) => {
                let st = self.state();
                Ok(self.bare(st.outcomes.iter().filter(|o| !o.hidden).map(|o| o.json())))
            }
            ("GET", "agent", None) => Ok(self.bare(self.state().agents.iter().map(|a| a.json()))),
            ("GET", "sla", None) => Ok(self.bare(self.state().slas.iter().map(|s| s.json()))),
            ("GET", "tickets", None) => Ok(self.list_tickets(req)),
            ("GET", "actions", None) => Ok(self.list_actions(req)),
            ("GET", _, Some(id)) => self.get_one(
                resource,
                id,
                query_bool(req, "includedetails") == Some(true),
            ),
            ("POST", "tickets", None) => self.post_tickets(req),
            ("POST", "actions", None) => self.post_actions(req),
            ("DELETE", "tickets", Some(id)) => self.delete_ticket(id),
            _ => Ok(HttpResponse::text(
                405,
                "The requested resource does not support this method",
            )),
        }
    }

    fn bare(&self, items: impl Iterator<Item = Value>) -> HttpResponse {
        HttpResponse::json(200, &Value::Array(items.collect()))
    }

    /// One record. A ticket's details (and the third-party id) come only with
    /// `includedetails=true`, as Halo's parameter says.
    fn get_one(&self, resource: &str, id: i64, details: bool) -> Reply<HttpResponse> {
        let st = self.state();
        let double = self.fault("double-ids");
        let found = match resource {
            "client" => st.client(id).map(|c| c.json(&st)),
            "site" => st
                .sites
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.json(&st, double)),
            "users" => st
                .users
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.json(&st, double)),
            "tickettype" => st.ticket_type(id).map(|t| t.json()),
            "status" => st.status(id).map(|s| s.json()),
            "outcome" => st.outcomes.iter().find(|o| o.id == id).map(|o| o.json()),
            "agent" => st.agents.iter().find(|a| a.id == id).map(|a| a.json()),
            "sla" => st.slas.iter().find(|s| s.id == id).map(|s| s.json()),
            "actions" => st.actions.iter().find(|a| a.id == id).map(Action::json),
            "tickets" => match st.tickets.get(&id) {
                Some(t) if t.by_api && self.fault("no-read-back") => {
                    return Ok(HttpResponse::empty(401));
                }
                Some(t) => Some(without_details(t.json(&st, false), details)),
                None => None,
            },
            _ => None,
        };
        Ok(match found {
            Some(v) => HttpResponse::json(200, &v),
            None => self.fail(404, &format!("{resource} {id} not found")),
        })
    }

    // ----- lists -----

    /// Halo's paging: only with `pageinate=true` (exact spelling); `page_no` 1-based,
    /// `record_count` the total; without paging, `count` or everything.
    fn envelope(
        &self,
        req: &HttpRequest,
        key: &str,
        items: Vec<Value>,
        cap: Option<usize>,
    ) -> HttpResponse {
        self.envelope_with(req, key, items, cap, |v| v)
    }

    /// The list envelope, rendering only the records it returns (a page of 1,000 clients
    /// out of 50,000 should not cost 50,000 renderings).
    fn envelope_with<T>(
        &self,
        req: &HttpRequest,
        key: &str,
        items: Vec<T>,
        cap: Option<usize>,
        render: impl Fn(T) -> Value,
    ) -> HttpResponse {
        let total = items.len();
        let mut body = Map::new();
        if query_bool(req, "pageinate") == Some(true) {
            let asked = query_int(req, "page_size").filter(|n| *n > 0).unwrap_or(50) as usize;
            let size = cap.map_or(asked, |c| asked.min(c));
            let page_no = query_int(req, "page_no").filter(|n| *n > 0).unwrap_or(1) as usize;
            let page: Vec<Value> = items
                .into_iter()
                .skip((page_no - 1).saturating_mul(size))
                .take(size)
                .map(render)
                .collect();
            body.insert("page_no".into(), json!(page_no));
            body.insert("page_size".into(), json!(size));
            body.insert("record_count".into(), json!(total));
            body.insert(key.into(), Value::Array(page));
        } else {
            let items: Vec<Value> = match query_int(req, "count").filter(|n| *n >= 0) {
                Some(n) => items.into_iter().take(n as usize).map(render).collect(),
                None => items.into_iter().map(render).collect(),
            };
            body.insert("record_count".into(), json!(total));
            body.insert(key.into(), Value::Array(items));
        }
        HttpResponse::json(200, &Value::Object(body))
    }

    fn search_term(&self, req: &HttpRequest) -> Option<String> {
        if self.fault("ignore-search") {
            return None;
        }
        query(req, "search")
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().to_lowercase())
    }

    fn list_clients(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let include_inactive = query_bool(req, "includeinactive").unwrap_or(false);
        let include_active = query_bool(req, "includeactive").unwrap_or(true);
        let search = self.search_term(req);
        let mut clients: Vec<&data::Client> = st
            .clients
            .iter()
            .filter(|c| {
                if c.inactive {
                    include_inactive
                } else {
                    include_active
                }
            })
            .filter(|c| {
                search
                    .as_ref()
                    .is_none_or(|s| c.name.to_lowercase().contains(s))
            })
            .collect();
        match query(req, "order").map(str::to_ascii_lowercase).as_deref() {
            Some("id") => clients.sort_by_key(|c| c.id),
            _ => clients.sort_by_cached_key(|c| (c.name.to_lowercase(), c.id)),
        }
        if query_bool(req, "orderdesc") == Some(true) {
            clients.reverse();
        }
        let cap = self.opts().client_page_cap;
        self.envelope_with(req, "clients", clients, cap, |c| c.json(&st))
    }

    fn list_sites(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let client = query_int(req, "client_id");
        let double = self.fault("double-ids");
        let items = st
            .sites
            .iter()
            .filter(|s| client.is_none_or(|c| s.client_id == c))
            .map(|s| s.json(&st, double))
            .collect();
        self.envelope(req, "sites", items, None)
    }

    fn list_users(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let client = query_int(req, "client_id");
        let site = query_int(req, "site_id");
        let double = self.fault("double-ids");
        let no_general = self.fault("no-general-user");
        let items = st
            .users
            .iter()
            .filter(|u| !(no_general && u.general))
            .filter(|u| client.is_none_or(|c| u.client_id == c))
            .filter(|u| site.is_none_or(|s| u.site_id == s))
            .map(|u| u.json(&st, double))
            .collect();
        self.envelope(req, "users", items, None)
    }

    fn list_statuses(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let tt = query_int(req, "tickettype_id");
        let exclude_closed = query_bool(req, "excludeclosed") == Some(true);
        let items = st
            .statuses
            .iter()
            .filter(|s| tt.is_none_or(|t| st.status_allowed(s, t)))
            .filter(|s| !(exclude_closed && s.closes))
            .map(|s| s.json());
        self.bare(items)
    }

    fn list_priorities(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let sla = query_int(req, "slaid");
        self.bare(
            st.priorities
                .iter()
                .filter(|p| sla.is_none_or(|s| p.slaid == s))
                .map(|p| p.json()),
        )
    }

    fn list_tickets(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let tt = query_int(req, "tickettype_id").or_else(|| query_int(req, "requesttype_id"));
        let client = query_int(req, "client_id");
        let status = query_int(req, "status_id");
        let open_only = query_bool(req, "open_only") == Some(true);
        let closed_only = query_bool(req, "closed_only") == Some(true);
        let hide_api = self.fault("no-read-back");
        let search = self.search_term(req);
        let mut tickets: Vec<&Ticket> = st
            .tickets
            .values()
            .filter(|t| !(hide_api && t.by_api))
            .filter(|t| tt.is_none_or(|x| t.tickettype_id == x))
            .filter(|t| client.is_none_or(|x| t.client_id == x))
            .filter(|t| status.is_none_or(|x| t.status_id == x))
            .filter(|t| {
                if t.hasbeenclosed {
                    !open_only
                } else {
                    !closed_only
                }
            })
            .filter(|t| search.as_ref().is_none_or(|s| ticket_matches(t, s)))
            .collect();
        match query(req, "order").map(str::to_ascii_lowercase).as_deref() {
            Some("datecreated" | "dateoccurred") => tickets.sort_by_key(|t| (t.datecreated, t.id)),
            Some("summary") => tickets.sort_by(|a, b| a.summary.cmp(&b.summary)),
            _ => tickets.sort_by_key(|t| t.id),
        }
        if query_bool(req, "orderdesc") == Some(true) {
            tickets.reverse();
        }
        let lean = self.fault("lean-lists");
        let items = tickets.iter().map(|t| t.json(&st, lean)).collect();
        let mut resp = self.envelope(req, "tickets", items, self.opts().ticket_page_cap);
        // Halo adds this flag to ticket lists.
        if let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&resp.body) {
            m.insert("include_children".into(), json!(false));
            resp = HttpResponse::json(200, &Value::Object(m));
        }
        resp
    }

    fn list_actions(&self, req: &HttpRequest) -> HttpResponse {
        let st = self.state();
        let ticket = query_int(req, "ticket_id");
        let exclude_private = query_bool(req, "excludeprivate") == Some(true);
        let items = st
            .actions
            .iter()
            .filter(|a| ticket.is_none_or(|t| a.ticket_id == t))
            .filter(|a| !(exclude_private && a.hiddenfromuser))
            .map(Action::json)
            .collect();
        self.envelope(req, "actions", items, None)
    }

    // ----- writes -----

    /// The body of a POST: always a JSON array. A bare object fails model binding the way
    /// ASP.NET reports it.
    fn array_body(&self, req: &HttpRequest, model: &str) -> Reply<Vec<Map<String, Value>>> {
        if !req.content_type().to_ascii_lowercase().contains("json") {
            return Err(HttpResponse::json(
                415,
                &json!({
                    "type": "https://tools.ietf.org/html/rfc7231#section-6.5.13",
                    "title": "Unsupported Media Type",
                    "status": 415,
                }),
            ));
        }
        let value: Value = req
            .json()
            .map_err(|e| model_error("$", &format!("The request body is not valid JSON: {e}")))?;
        let Value::Array(items) = value else {
            return Err(model_error(
                "$",
                &format!(
                    "The JSON value could not be converted to System.Collections.Generic.List`1[HaloAPI.Models.{model}]. Path: $ | LineNumber: 0 | BytePositionInLine: 1."
                ),
            ));
        };
        if items.is_empty() {
            return Err(self.fail(400, "No records were supplied"));
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(m) => Ok(m),
                _ => Err(model_error(
                    &format!("[{i}]"),
                    &format!("The JSON value could not be converted to HaloAPI.Models.{model}."),
                )),
            })
            .collect()
    }

    /// One element → 201 with the object; several → 201 with an array.
    fn created(results: Vec<Value>) -> HttpResponse {
        if results.len() == 1 {
            HttpResponse::json(201, &results[0])
        } else {
            HttpResponse::json(201, &Value::Array(results))
        }
    }

    fn post_tickets(&self, req: &HttpRequest) -> Reply<HttpResponse> {
        let items = self.array_body(req, "Faults")?;
        let mut results = Vec::new();
        let mut created = false;
        for (i, item) in items.iter().enumerate() {
            let id = int_field(item, "id", i)?.filter(|id| *id > 0);
            let ticket = match id {
                Some(id) => self.update_ticket(id, item, i)?,
                None => {
                    created = true;
                    self.create_ticket(item, i)?
                }
            };
            let st = self.state();
            results.push(ticket.json(&st, false));
        }
        if created && self.fault("revoke-on-create") {
            self.revoke_tokens();
        }
        if !created && self.fault("update-no-echo") {
            return Ok(HttpResponse::empty(201));
        }
        if created && self.fault("drop-create-connection") {
            return Ok(HttpResponse::hang_up());
        }
        if created && self.fault("drop-create-response") {
            return Ok(HttpResponse {
                status: 504,
                headers: vec![("Content-Type".into(), "text/html".into())],
                body: b"<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>".to_vec(),
            });
        }
        Ok(Self::created(results))
    }

    fn invalid_context(&self) -> HttpResponse {
        self.fail(400, "Please select a valid Client/Site/User")
    }

    fn create_ticket(&self, item: &Map<String, Value>, i: usize) -> Reply<Ticket> {
        let client_id = int_field(item, "client_id", i)?;
        let site_id = int_field(item, "site_id", i)?;
        let user_id = int_field(item, "user_id", i)?;
        let tickettype_id = int_field(item, "tickettype_id", i)?;
        let status_id = int_field(item, "status_id", i)?;
        let priority_id = int_field(item, "priority_id", i)?;
        let impact = int_field(item, "impact", i)?;
        let urgency = int_field(item, "urgency", i)?;
        let agent_id = int_field(item, "agent_id", i)?;
        let no_general = self.fault("no-general-user");
        let mut st = self.state();
        let ty = st
            .ticket_type(tickettype_id.unwrap_or(1))
            .cloned()
            .ok_or_else(|| self.fail(400, "Please select a valid Ticket Type"))?;
        let client = client_id
            .and_then(|c| st.client(c))
            .cloned()
            .ok_or_else(|| self.invalid_context())?;
        let site_id = match site_id {
            Some(s)
                if st
                    .sites
                    .iter()
                    .any(|x| x.id == s && x.client_id == client.id) =>
            {
                s
            }
            Some(_) => return Err(self.invalid_context()),
            None => client.main_site_id,
        };
        // CIPP's `userlookup: {id: -1}` asks Halo for the General User, as no user does.
        let user_id = match user_id.filter(|u| *u > 0) {
            Some(u)
                if st
                    .users
                    .iter()
                    .any(|x| x.id == u && x.client_id == client.id) =>
            {
                u
            }
            Some(_) => return Err(self.invalid_context()),
            None if no_general => return Err(self.invalid_context()),
            None => st
                .general_user(client.id)
                .ok_or_else(|| self.invalid_context())?,
        };
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        let summary = text("summary").unwrap_or_default();
        let category = text("category_1").filter(|c| !c.trim().is_empty());
        let novalidate = item.get("_novalidate").and_then(Value::as_bool) == Some(true);
        let enforced = ty.mandatory || (ty.id == HUNTRESS_TYPE && self.fault("mandatory-fields"));
        let mut missing = String::new();
        if summary.trim().is_empty() {
            missing.push_str("Summary is mandatory\n");
        }
        if enforced && !novalidate {
            if category.is_none() && int_field(item, "categoryid_1", i)?.is_none() {
                missing.push_str("Category is mandatory\n");
            }
            if impact.is_none() {
                missing.push_str("Impact is mandatory\n");
            }
            if urgency.is_none() {
                missing.push_str("Urgency is mandatory\n");
            }
        }
        if !missing.is_empty() {
            // Quoted from Huntress's guide: plain text, one line per field.
            return Err(HttpResponse::text(400, &missing));
        }
        let status_id = status_id.unwrap_or(ty.initial_status);
        let closes = self.check_status(&st, status_id, ty.id)?;
        let priority_id = priority_id.unwrap_or(ty.default_priority);
        self.check_priority(&st, ty.default_sla, priority_id, &ty.name)?;
        let now = OffsetDateTime::now_utc();
        let details_html = text("details_html");
        let details = text("details")
            .or_else(|| details_html.clone())
            .unwrap_or_default();
        let id = st.next_ticket;
        st.next_ticket += 1;
        let ticket = Ticket {
            id,
            summary,
            details,
            details_html,
            client_id: client.id,
            site_id,
            user_id,
            tickettype_id: ty.id,
            status_id,
            priority_id,
            sla_id: ty.default_sla,
            third_party_id_string: text("third_party_id_string"),
            category_1: category,
            impact,
            urgency,
            agent_id,
            datecreated: now,
            dateclosed: closes.then_some(now),
            hasbeenclosed: closes,
            by_api: true,
        };
        st.tickets.insert(id, ticket.clone());
        Ok(ticket)
    }

    /// Whether the status closes tickets; 400 when it does not exist for the type.
    fn check_status(&self, st: &State, status_id: i64, tickettype_id: i64) -> Reply<bool> {
        match st.status(status_id) {
            Some(s) if st.status_allowed(s, tickettype_id) => Ok(s.closes),
            _ => Err(self.fail(
                400,
                &format!("Status {status_id} is not valid for this ticket type"),
            )),
        }
    }

    fn check_priority(&self, st: &State, sla: i64, priority_id: i64, type_name: &str) -> Reply<()> {
        match st.priority(sla, priority_id) {
            Some(p) if !p.ishidden => Ok(()),
            _ => Err(self.fail(
                400,
                &format!(
                    "Priority {priority_id} is not valid for the SLA of ticket type '{type_name}'"
                ),
            )),
        }
    }

    fn update_ticket(&self, id: i64, item: &Map<String, Value>, i: usize) -> Reply<Ticket> {
        if self.fault("no-edit") {
            return Err(HttpResponse::empty(403));
        }
        let status_id = int_field(item, "status_id", i)?;
        let priority_id = int_field(item, "priority_id", i)?;
        let client_id = int_field(item, "client_id", i)?;
        let impact = int_field(item, "impact", i)?;
        let urgency = int_field(item, "urgency", i)?;
        let agent_id = int_field(item, "agent_id", i)?;
        let keep_status = self.fault("status-unchanged");
        let mut st = self.state();
        let mut t = st
            .tickets
            .get(&id)
            .cloned()
            .ok_or_else(|| self.fail(404, &format!("Ticket {id} not found")))?;
        let type_name = st
            .ticket_type(t.tickettype_id)
            .map(|x| x.name.clone())
            .unwrap_or_default();
        if let Some(c) = client_id {
            if st.client(c).is_none() {
                return Err(self.invalid_context());
            }
            t.client_id = c;
        }
        if let Some(p) = priority_id {
            self.check_priority(&st, t.sla_id, p, &type_name)?;
            t.priority_id = p;
        }
        if let Some(s) = status_id {
            let closes = self.check_status(&st, s, t.tickettype_id)?;
            if !keep_status {
                set_status(&mut t, s, closes);
            }
        }
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(s) = text("summary") {
            t.summary = s;
        }
        if let Some(d) = text("details") {
            t.details = d;
        }
        if let Some(d) = text("details_html") {
            t.details_html = Some(d);
        }
        if let Some(x) = text("third_party_id_string") {
            t.third_party_id_string = Some(x);
        }
        if let Some(c) = text("category_1") {
            t.category_1 = Some(c);
        }
        t.impact = impact.or(t.impact);
        t.urgency = urgency.or(t.urgency);
        t.agent_id = agent_id.or(t.agent_id);
        st.tickets.insert(id, t.clone());
        Ok(t)
    }

    fn post_actions(&self, req: &HttpRequest) -> Reply<HttpResponse> {
        let items = self.array_body(req, "Actions")?;
        let mut results = Vec::new();
        for (i, item) in items.iter().enumerate() {
            results.push(self.create_action(item, i)?.json());
        }
        Ok(Self::created(results))
    }

    fn create_action(&self, item: &Map<String, Value>, i: usize) -> Reply<Action> {
        let ticket_id = int_field(item, "ticket_id", i)?
            .ok_or_else(|| self.fail(400, "A Ticket must be selected for this Action"))?;
        let outcome_id = int_field(item, "outcome_id", i)?;
        let new_status = int_field(item, "new_status", i)?;
        let mut st = self.state();
        let mut ticket = st
            .tickets
            .get(&ticket_id)
            .cloned()
            .ok_or_else(|| self.fail(404, &format!("Ticket {ticket_id} not found")))?;
        let outcome_name = item
            .get("outcome")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty());
        let outcome = match (outcome_id.filter(|o| *o > 0), outcome_name) {
            (Some(id), _) => st.outcomes.iter().find(|o| o.id == id),
            (None, Some(name)) => st
                .outcomes
                .iter()
                .find(|o| o.outcome.eq_ignore_ascii_case(name.trim())),
            (None, None) => {
                return Err(self.fail(400, "An Outcome must be entered for this Action"));
            }
        }
        .cloned()
        .ok_or_else(|| self.fail(400, "Please select a valid Outcome"))?;
        if let Some(s) = new_status {
            let closes = self.check_status(&st, s, ticket.tickettype_id)?;
            set_status(&mut ticket, s, closes);
            st.tickets.insert(ticket_id, ticket);
        }
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        let note_html = text("note_html");
        let action = Action {
            id: st.next_action,
            ticket_id,
            outcome: outcome.outcome.clone(),
            outcome_id: outcome.id,
            note: text("note")
                .or_else(|| note_html.clone())
                .unwrap_or_default(),
            note_html,
            hiddenfromuser: item.get("hiddenfromuser").and_then(Value::as_bool) == Some(true),
            sendemail: item.get("sendemail").and_then(Value::as_bool) == Some(true),
            new_status,
            datetime: OffsetDateTime::now_utc(),
        };
        st.next_action += 1;
        st.actions.push(action.clone());
        Ok(action)
    }

    fn delete_ticket(&self, id: i64) -> Reply<HttpResponse> {
        if self.fault("no-edit") {
            return Ok(HttpResponse::empty(403));
        }
        let mut st = self.state();
        if st.tickets.remove(&id).is_none() {
            return Ok(self.fail(404, &format!("Ticket {id} not found")));
        }
        st.actions.retain(|a| a.ticket_id != id);
        Ok(HttpResponse::empty(200))
    }

    fn emulated(&self, st: &State, t: &Ticket) -> EmulatedTicket {
        let body = t
            .details_html
            .as_deref()
            .map(html_to_text)
            .unwrap_or_else(|| t.details.clone());
        EmulatedTicket {
            id: t.id,
            company_id: t.client_id,
            company_name: st
                .client(t.client_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            title: t.summary.clone(),
            marker: t
                .third_party_id_string
                .as_deref()
                .and_then(crate::psa::find_marker)
                .or_else(|| crate::psa::find_marker(&body)),
            body,
            status: st
                .status(t.status_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            closed: t.hasbeenclosed,
            priority: st.priority(t.sla_id, t.priority_id).map(|p| p.name.clone()),
            notes: st
                .actions
                .iter()
                .filter(|a| a.ticket_id == t.id)
                .map(|a| EmulatedNote {
                    text: a
                        .note_html
                        .as_deref()
                        .map(html_to_text)
                        .unwrap_or_else(|| a.note.clone()),
                    private: a.hiddenfromuser,
                    emailed: a.sendemail,
                })
                .collect(),
        }
    }
}

fn set_status(t: &mut Ticket, status_id: i64, closes: bool) {
    t.status_id = status_id;
    if closes {
        if !t.hasbeenclosed {
            t.dateclosed = Some(OffsetDateTime::now_utc());
        }
        t.hasbeenclosed = true;
    } else {
        t.hasbeenclosed = false;
        t.dateclosed = None;
    }
}

fn ticket_matches(t: &Ticket, needle: &str) -> bool {
    t.id.to_string() == needle
        || t.summary.to_lowercase().contains(needle)
        || t.details.to_lowercase().contains(needle)
        || t.third_party_id_string
            .as_ref()
            .is_some_and(|x| x.to_lowercase().contains(needle))
}

/// Whether a token's scopes cover reading or editing an area (`all`/`admin` cover all;
/// `edit:x` implies `read:x`).
fn scope_allows(scopes: &[String], area: &str, edit: bool) -> bool {
    scopes.iter().any(|s| {
        s == "all"
            || s == "admin"
            || *s == format!("edit:{area}")
            || (!edit && *s == format!("read:{area}"))
    })
}

/// ASP.NET model-binding failure (ProblemDetails, keyed by the field's path).
fn model_error(key: &str, message: &str) -> HttpResponse {
    HttpResponse::json(
        400,
        &json!({
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "errors": { key: [message] },
        }),
    )
}

/// An int32 field: absent or null is None; `95.0` or `"95"` fail model binding, as Halo
/// does (CIPP casts ids to int for this reason).
fn int_field(item: &Map<String, Value>, key: &str, index: usize) -> Reply<Option<i64>> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| {
            model_error(
                &format!("[{index}].{key}"),
                &format!(
                    "The JSON value could not be converted to System.Nullable`1[System.Int32]. Path: $[{index}].{key} | LineNumber: 0 | BytePositionInLine: 1."
                ),
            )
        }),
    }
}

fn query<'a>(req: &'a HttpRequest, key: &str) -> Option<&'a str> {
    req.query_ci(key)
}

/// "5 minute" for Halo's real window, else seconds ("2 second").
fn window_words(window: Duration) -> String {
    let secs = window.as_secs().max(1);
    if secs.is_multiple_of(60) {
        format!("{} minute", secs / 60)
    } else {
        format!("{secs} second")
    }
}

/// A ticket without the fields only `includedetails=true` brings.
fn without_details(mut ticket: Value, details: bool) -> Value {
    if let (false, Value::Object(m)) = (details, &mut ticket) {
        for key in ["details", "details_html", "third_party_id_string"] {
            m.remove(key);
        }
    }
    ticket
}

fn query_bool(req: &HttpRequest, key: &str) -> Option<bool> {
    query(req, key).map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1"))
}

fn query_int(req: &HttpRequest, key: &str) -> Option<i64> {
    query(req, key).and_then(|v| v.trim().parse().ok())
}

/// Halo note and details HTML back to the plain text a technician would read.
pub fn html_to_text(html: &str) -> String {
    let mut s = html.to_string();
    for br in ["<br>", "<br/>", "<br />", "<BR>", "</p>", "</P>"] {
        s = s.replace(br, "\n");
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim_end_matches('\n')
        .to_string()
}

impl Emulator for HaloEmulator {
    fn name(&self) -> &'static str {
        "halopsa"
    }

    fn handle(&self, req: &HttpRequest) -> HttpResponse {
        self.route(req)
    }

    fn faults(&self) -> &'static [FaultInfo] {
        FAULTS
    }

    fn fault_set(&self) -> &Faults {
        &self.faults
    }
}

impl PsaEmulator for HaloEmulator {
    fn kind(&self) -> PsaKind {
        PsaKind::Halopsa
    }

    fn service_name(&self) -> &'static str {
        crate::psa::halopsa::SERVICE
    }

    fn ticket_create_request(&self) -> (&'static str, &'static str) {
        ("POST", "/api/Tickets")
    }

    // Halo creates and updates through the same array POST.
    fn ticket_update_method(&self) -> &'static str {
        "POST"
    }

    fn add_args(&self, base_url: &str) -> Vec<String> {
        [
            "halopsa",
            "--host",
            HOST,
            "--client-id",
            CLIENT_ID,
            "--ticket-type",
            TICKET_TYPE,
            "--default-client",
            &self.msp_company,
            "--base-url",
            base_url,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn secret_env(&self) -> (&'static str, String) {
        (SECRET_ENV, CLIENT_SECRET.to_string())
    }

    /// The tickets created through the API (psa-link's), not the seeded history, so
    /// suites can count what psa-link did; `ticket(id)` finds any ticket.
    fn tickets(&self) -> Vec<EmulatedTicket> {
        let st = self.state();
        st.tickets
            .values()
            .filter(|t| t.by_api)
            .map(|t| self.emulated(&st, t))
            .collect()
    }

    fn ticket(&self, id: i64) -> Option<EmulatedTicket> {
        let st = self.state();
        st.tickets.get(&id).map(|t| self.emulated(&st, t))
    }

    fn company_id(&self, name: &str) -> Option<i64> {
        self.state()
            .clients
            .iter()
            .find(|c| c.name == name && !c.inactive)
            .map(|c| c.id)
    }

    fn add_company(&self, name: &str, active: bool) -> i64 {
        self.state().add_client(name, !active)
    }

    fn rename_company(&self, id: i64, name: &str) {
        if let Some(c) = self.state().clients.iter_mut().find(|c| c.id == id) {
            c.name = name.to_string();
        }
    }

    fn set_company_active(&self, id: i64, active: bool) {
        if let Some(c) = self.state().clients.iter_mut().find(|c| c.id == id) {
            c.inactive = !active;
        }
    }

    fn delete_company(&self, id: i64) {
        self.state().clients.retain(|c| c.id != id);
    }

    fn status_names(&self) -> Vec<String> {
        let st = self.state();
        st.statuses
            .iter()
            .filter(|s| st.status_allowed(s, HUNTRESS_TYPE))
            .map(|s| s.name.clone())
            .collect()
    }

    fn priority_names(&self) -> Vec<String> {
        self.state()
            .priorities
            .iter()
            .filter(|p| p.slaid == SECURITY_SLA && !p.ishidden)
            .map(|p| p.name.clone())
            .collect()
    }
}
