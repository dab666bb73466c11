//! ConnectWise PSA (Manage) REST API 3.0 emulator, faithful to
//! `reference/halopsa-connectwise.md` part B and D2: the unauthenticated codebase lookup,
//! the API under `/v4_6_release/apis/3.0/` and `/<Codebase>apis/3.0/`, Basic
//! `company+public:private` auth plus a mandatory `clientId` header, bare-array lists with a
//! default page size of 25 (max 1000) and RFC 5988 `Link` headers, forward-only paging,
//! `/count`, the `conditions` language, `fields=` partial responses, ticket validation,
//! JSON Patch updates with case-sensitive paths and the documented false 200 on sub-paths,
//! internal notes, both error body shapes and a per-minute rate limit.

pub mod conditions;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::{Map, Value, json};

use super::seed::Msp;
use super::server::{
    Emulator, FaultInfo, Faults, HttpRequest, HttpResponse, RateWindow, now_rfc3339,
};
use super::{EmulatedNote, EmulatedTicket, PsaEmulator};
use crate::psa::PsaKind;

/// What `--site` is given for the sandbox (`--base-url` then replaces it).
pub const SANDBOX_SITE: &str = "api-na.myconnectwise.net";
/// The login company id.
pub const SANDBOX_COMPANY: &str = "northwind";
pub const SANDBOX_PUBLIC_KEY: &str = "NwSandboxPublicKey";
/// The private key: the secret, given through `PSA_LINK_CONNECTWISE_PRIVATE_KEY`.
pub const SANDBOX_PRIVATE_KEY: &str = "NwSandboxPrivateKey-9c41";
/// The registered integration clientId.
pub const SANDBOX_CLIENT_ID: &str = "5a0f6c1e-8b2d-4c7e-9f3a-2d6b8e1c4a70";
/// The service board psa-link files into.
pub const SANDBOX_BOARD: &str = "Huntress Security";
/// What `/login/companyinfo` answers (note the trailing slash).
pub const CODEBASE: &str = "v2025_1/";
/// The codebase every instance also routes (on-premises, and cloud's "latest" router).
pub const LEGACY_CODEBASE: &str = "v4_6_release/";
/// Echoed in `api-current-version`.
pub const CURRENT_VERSION: &str = "2025.1";
pub const DEFAULT_PAGE_SIZE: usize = 25;
pub const MAX_PAGE_SIZE: usize = 1000;
/// Requests per minute before 429 (the guide's "about 1,000").
pub const REQUESTS_PER_MINUTE: usize = 1000;
/// The `rate-limit` fault's window: this many requests per [`FAULT_RATE_WINDOW`].
pub const FAULT_RATE_MAX: usize = 4;
pub const FAULT_RATE_WINDOW: Duration = Duration::from_secs(2);

const API_MEMBER: &str = "PsaLinkApi";

static FAULTS: &[FaultInfo] = &[
    FaultInfo {
        name: "cloud-auth-404",
        description: "answer bad credentials with 404 instead of 401, as ConnectWise cloud may",
    },
    FaultInfo {
        name: "strict-patch",
        description: "answer status and priority patches with a false 200 without applying them",
    },
    FaultInfo {
        name: "newline-collapse",
        description: "collapse line breaks in notes and descriptions to a single space",
    },
    FaultInfo {
        name: "rate-limit",
        description: "allow only a few requests every two seconds, then 429 with Retry-After",
    },
    FaultInfo {
        name: "drop-create-connection",
        description: "a created ticket is stored, then the connection closes with no answer",
    },
    FaultInfo {
        name: "drop-create-response",
        description: "store a created ticket but answer 504, as a gateway timeout would",
    },
    FaultInfo {
        name: "errors-null",
        description: "send `errors: null` in every error body, validation errors included",
    },
];

const SEVERITIES: [&str; 3] = ["Low", "Medium", "High"];

#[derive(Debug, Clone)]
struct Company {
    id: i64,
    identifier: String,
    name: String,
    active: bool,
    deleted: bool,
    last_updated: String,
}

#[derive(Debug, Clone)]
struct Status {
    id: i64,
    name: String,
    sort: i64,
    closed: bool,
    default: bool,
    inactive: bool,
    escalation: &'static str,
}

#[derive(Debug, Clone)]
struct Board {
    id: i64,
    name: String,
    inactive: bool,
    project: bool,
    statuses: Vec<Status>,
}

#[derive(Debug, Clone)]
struct Priority {
    id: i64,
    name: String,
    sort: i64,
    default: bool,
    color: &'static str,
}

#[derive(Debug, Clone)]
struct Note {
    id: i64,
    text: String,
    detail: bool,
    internal_analysis: bool,
    resolution: bool,
    internal_flag: bool,
    external_flag: bool,
    process_notifications: bool,
    created: String,
}

#[derive(Debug, Clone)]
struct Ticket {
    id: i64,
    summary: String,
    board_id: i64,
    company_id: i64,
    status_id: i64,
    priority_id: i64,
    severity: String,
    impact: String,
    description: String,
    external_xref: Option<String>,
    closed: bool,
    closed_date: Option<String>,
    closed_by: Option<String>,
    entered: String,
    last_updated: String,
    notes: Vec<Note>,
}

#[derive(Debug)]
struct State {
    companies: Vec<Company>,
    /// Bumped on every change to `companies` (see [`State::companies_mut`]), so the
    /// rendered list can be cached between requests.
    companies_version: u64,
    /// Every company's `identifier`, lower-case (identifiers never change once given).
    identifiers: HashSet<String>,
    boards: Vec<Board>,
    priorities: Vec<Priority>,
    tickets: BTreeMap<i64, Ticket>,
    next_company: i64,
    next_ticket: i64,
    next_note: i64,
}

impl State {
    fn company(&self, id: i64) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }
    fn board(&self, id: i64) -> Option<&Board> {
        self.boards.iter().find(|b| b.id == id)
    }
    fn status(&self, board: i64, id: i64) -> Option<&Status> {
        self.board(board)?.statuses.iter().find(|s| s.id == id)
    }
    fn priority(&self, id: i64) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }

    /// Every change to the companies goes through here.
    fn companies_mut(&mut self) -> &mut Vec<Company> {
        self.companies_version += 1;
        &mut self.companies
    }

    fn company_mut(&mut self, id: i64) -> Option<&mut Company> {
        self.companies_mut().iter_mut().find(|c| c.id == id)
    }

    fn add_company(&mut self, name: &str, active: bool) -> i64 {
        let id = self.next_company;
        self.next_company += 1;
        let identifier = self.unique_identifier(name);
        self.identifiers.insert(identifier.to_ascii_lowercase());
        self.companies_mut().push(Company {
            id,
            identifier,
            name: name.to_string(),
            active,
            deleted: false,
            last_updated: now_rfc3339(),
        });
        id
    }

    /// `identifier` is unique and at most 25 characters, like CW's.
    fn unique_identifier(&self, name: &str) -> String {
        let base: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect();
        let base = if base.is_empty() {
            "Company".to_string()
        } else {
            base
        };
        let mut candidate = base.clone();
        let mut n = 1;
        while self.identifiers.contains(&candidate.to_ascii_lowercase()) {
            n += 1;
            candidate = format!("{base}{n}");
        }
        candidate
    }
}

/// One validation failure in an error body's `errors` array.
struct FieldError {
    code: &'static str,
    message: String,
    field: String,
}

fn field_error(code: &'static str, field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        code,
        message: message.into(),
        field: field.to_string(),
    }
}

/// The ConnectWise emulator.
pub struct ConnectWiseEmulator {
    /// The MSP's own company: `--default-company` in [`PsaEmulator::add_args`].
    msp_company: String,
    state: Mutex<State>,
    /// The rendered company list for one base URL and companies version: at benchmark
    /// scale (50,000 companies) rendering it for every page request would dominate.
    companies_cache: Mutex<Option<RenderedCompanies>>,
    faults: Faults,
    limit: RateWindow,
    fault_limit: RateWindow,
}

struct RenderedCompanies {
    base: String,
    version: u64,
    items: Arc<Vec<Value>>,
}

impl ConnectWiseEmulator {
    /// The standard sandbox MSP.
    pub fn standard() -> ConnectWiseEmulator {
        ConnectWiseEmulator::new(&Msp::standard())
    }

    /// Companies from the seed (first one the MSP itself), four boards with their own
    /// statuses (distinct ids, closed ones included, one inactive board), five priorities
    /// whose ids do not follow their order.
    pub fn new(msp: &Msp) -> ConnectWiseEmulator {
        let mut state = State {
            companies: Vec::with_capacity(msp.companies.len()),
            companies_version: 0,
            identifiers: HashSet::new(),
            boards: seed_boards(),
            priorities: seed_priorities(),
            tickets: BTreeMap::new(),
            next_company: 250,
            next_ticket: 41_000,
            next_note: 880_000,
        };
        for c in &msp.companies {
            state.add_company(&c.name, c.active);
        }
        ConnectWiseEmulator {
            msp_company: msp.msp_company.clone(),
            state: Mutex::new(state),
            companies_cache: Mutex::new(None),
            faults: Faults::default(),
            limit: RateWindow::new(REQUESTS_PER_MINUTE, Duration::from_secs(60)),
            fault_limit: RateWindow::new(FAULT_RATE_MAX, FAULT_RATE_WINDOW),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks a company deleted (`deletedFlag`), which the API still lists.
    pub fn delete_company(&self, id: i64) {
        if let Some(c) = self.state().company_mut(id) {
            c.deleted = true;
            c.last_updated = now_rfc3339();
        }
    }

    /// Board id by exact name.
    pub fn board_id(&self, name: &str) -> Option<i64> {
        self.state()
            .boards
            .iter()
            .find(|b| b.name == name)
            .map(|b| b.id)
    }

    /// `(id, name, closed)` of a board's statuses, inactive ones included.
    pub fn board_statuses(&self, board: i64) -> Vec<(i64, String, bool)> {
        self.state()
            .board(board)
            .map(|b| {
                b.statuses
                    .iter()
                    .map(|s| (s.id, s.name.clone(), s.closed))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `(id, name)` of the priorities.
    pub fn priority_list(&self) -> Vec<(i64, String)> {
        self.state()
            .priorities
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect()
    }

    /// The stored initial description of a ticket (the API never returns it).
    pub fn description(&self, ticket: i64) -> Option<String> {
        self.state()
            .tickets
            .get(&ticket)
            .map(|t| t.description.clone())
    }

    /// A ticket's `(severity, impact)`.
    pub fn severity_impact(&self, ticket: i64) -> Option<(String, String)> {
        self.state()
            .tickets
            .get(&ticket)
            .map(|t| (t.severity.clone(), t.impact.clone()))
    }

    /// Files tickets carrying these `externalXRef` markers straight into the store (bulk
    /// test data, past the rate limit), on `board`'s default status; their ids.
    pub fn seed_marked_tickets(&self, company: i64, board: i64, markers: &[String]) -> Vec<i64> {
        let mut st = self.state();
        let Some(status) = st
            .board(board)
            .and_then(|b| b.statuses.iter().find(|s| s.default))
            .map(|s| s.id)
        else {
            return Vec::new();
        };
        let Some(priority) = st.priorities.iter().find(|p| p.default).map(|p| p.id) else {
            return Vec::new();
        };
        let now = now_rfc3339();
        let mut ids = Vec::with_capacity(markers.len());
        for marker in markers {
            let id = st.next_ticket;
            st.next_ticket += 1;
            st.tickets.insert(
                id,
                Ticket {
                    id,
                    summary: format!("Seeded {marker}"),
                    board_id: board,
                    company_id: company,
                    status_id: status,
                    priority_id: priority,
                    severity: "Medium".into(),
                    impact: "Medium".into(),
                    description: String::new(),
                    external_xref: Some(marker.clone()),
                    closed: false,
                    closed_date: None,
                    closed_by: None,
                    entered: now.clone(),
                    last_updated: now.clone(),
                    notes: Vec::new(),
                },
            );
            ids.push(id);
        }
        ids
    }

    /// Deletes a ticket as a technician would in the UI.
    pub fn remove_ticket(&self, ticket: i64) -> bool {
        self.state().tickets.remove(&ticket).is_some()
    }

    /// The raw note texts of a ticket, as stored.
    pub fn note_texts(&self, ticket: i64) -> Vec<String> {
        self.state()
            .tickets
            .get(&ticket)
            .map(|t| t.notes.iter().map(|n| n.text.clone()).collect())
            .unwrap_or_default()
    }

    fn rate_check(&self) -> Result<(), HttpResponse> {
        let window = if self.faults.is_on("rate-limit") {
            &self.fault_limit
        } else {
            &self.limit
        };
        window.check().map_err(|wait| {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            HttpResponse::json(
                429,
                &json!({
                    "error": "ConnectWiseAPI",
                    "message": format!("Too many requests. Please try again in {secs} seconds."),
                }),
            )
            .with_header("Retry-After", secs.to_string())
        })
    }

    /// A standard error body; `errors` is null when there are none (or under `errors-null`).
    fn error(
        &self,
        status: u16,
        code: &str,
        message: &str,
        errors: Vec<FieldError>,
    ) -> HttpResponse {
        let errors = if errors.is_empty() || self.faults.is_on("errors-null") {
            Value::Null
        } else {
            Value::Array(
                errors
                    .into_iter()
                    .map(|e| {
                        json!({"code": e.code, "message": e.message, "resource": "ticket", "field": e.field})
                    })
                    .collect(),
            )
        };
        HttpResponse::json(
            status,
            &json!({"code": code, "message": message, "errors": errors}),
        )
    }

    fn invalid(&self, resource: &str, errors: Vec<FieldError>) -> HttpResponse {
        self.error(
            400,
            "InvalidObject",
            &format!("{resource} object is invalid"),
            errors,
        )
    }

    fn no_endpoint(&self) -> HttpResponse {
        self.error(
            404,
            "ConnectWiseApi",
            "The endpoint does not exist.",
            Vec::new(),
        )
    }

    fn not_found(&self, what: &str, id: i64) -> HttpResponse {
        self.error(
            404,
            "NotFound",
            &format!("{what} {id} not found"),
            Vec::new(),
        )
    }

    fn bad_request(&self, message: &str) -> HttpResponse {
        self.error(400, "BadRequest", message, Vec::new())
    }

    /// Basic `company+public:private` and a registered `clientId`; on failure 401 (or 404
    /// under `cloud-auth-404`, as the guide warns ConnectWise cloud may answer).
    fn check_auth(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let refuse = |code: &str, message: &str| {
            if self.faults.is_on("cloud-auth-404") {
                self.no_endpoint()
            } else {
                HttpResponse::json(401, &json!({"code": code, "message": message}))
            }
        };
        let client_id = req.header("clientId").map(str::trim).unwrap_or("");
        if client_id.is_empty() {
            return Some(refuse(
                "Unauthorized",
                "A clientId header is required. Register one at https://developer.connectwise.com/ClientID",
            ));
        }
        if !client_id.eq_ignore_ascii_case(SANDBOX_CLIENT_ID) {
            return Some(refuse("Unauthorized", "The clientId is not registered"));
        }
        let Some(auth) = req.header("authorization") else {
            return Some(refuse(
                "Unauthorized",
                "Authorization has been denied for this request.",
            ));
        };
        let ok = auth
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .and_then(|(_, b64)| {
                base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .ok()
            })
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|text| {
                let (user, private) = text.split_once(':')?;
                let (company, public) = user.split_once('+')?;
                Some(
                    company.eq_ignore_ascii_case(SANDBOX_COMPANY)
                        && public == SANDBOX_PUBLIC_KEY
                        && private == SANDBOX_PRIVATE_KEY,
                )
            })
            .unwrap_or(false);
        (!ok).then(|| refuse("ConnectWiseApi", "UserNotAuthenticated"))
    }

    fn company_info(&self, company: &str) -> HttpResponse {
        if !company.eq_ignore_ascii_case(SANDBOX_COMPANY) {
            return HttpResponse::text(404, "Company not found");
        }
        HttpResponse::json(
            200,
            &json!({
                "CompanyName": "Northwind MSP",
                "Codebase": CODEBASE,
                "VersionCode": format!("v{CURRENT_VERSION}"),
                "VersionNumber": "v4.6.112233",
                "CompanyID": SANDBOX_COMPANY,
                "IsCloud": "True",
                "SiteUrl": "na.myconnectwise.net",
            }),
        )
    }

    fn route(&self, req: &HttpRequest, base: &str, segs: &[&str]) -> HttpResponse {
        let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let id = |i: usize| segs.get(i).and_then(|s| s.parse::<i64>().ok());
        let m = req.method.as_str();
        match (lower.as_slice(), m) {
            (["system", "info"], "GET") => HttpResponse::json(
                200,
                &json!({"version": format!("v{CURRENT_VERSION}.112233"), "isCloud": true,
                        "serverTimeZone": "Eastern Standard Time", "licenseBits": [],
                        "cloudRegion": "NA"}),
            ),
            (["company", "companies"], "GET") => {
                let items = self.companies_json(base);
                self.list_refs(req, items.iter().collect(), Self::conditions(req))
            }
            (["company", "companies", "count"], "GET") => {
                let items = self.companies_json(base);
                self.count_refs(req, items.iter().collect())
            }
            (["company", "companies", "statuses"], "GET") => {
                self.list(req, company_statuses_json())
            }
            (["company", "companies", _], "GET") => match id(2) {
                Some(cid) => self.one(req, &self.companies_json(base), cid, "Company"),
                None => self.no_endpoint(),
            },
            (["service", "boards"], "GET") => {
                let items = self.boards_json();
                self.list(req, items)
            }
            (["service", "boards", "count"], "GET") => {
                let items = self.boards_json();
                self.count(req, items)
            }
            (["service", "boards", _], "GET") => match id(2) {
                Some(bid) => self.one(req, &self.boards_json(), bid, "Board"),
                None => self.no_endpoint(),
            },
            (["service", "boards", _, "statuses"], "GET") => match id(2) {
                Some(bid) => match self.statuses_json(base, bid) {
                    Some(items) => self.list(req, items),
                    None => self.not_found("Service Board", bid),
                },
                None => self.no_endpoint(),
            },
            (["service", "boards", _, "statuses", "count"], "GET") => match id(2) {
                Some(bid) => match self.statuses_json(base, bid) {
                    Some(items) => self.count(req, items),
                    None => self.not_found("Service Board", bid),
                },
                None => self.no_endpoint(),
            },
            (["service", "priorities"], "GET") => {
                let items = self.priorities_json();
                self.list(req, items)
            }
            (["service", "priorities", "count"], "GET") => {
                let items = self.priorities_json();
                self.count(req, items)
            }
            (["service", "tickets"], "GET") => {
                let items = self.tickets_json(base);
                self.list(req, items)
            }
            (["service", "tickets"], "POST") => self.create_ticket(req, base),
            (["service", "tickets", "count"], "GET") => {
                let items = self.tickets_json(base);
                self.count(req, items)
            }
            (["service", "tickets", "search"], "POST") => self.search_tickets(req, base),
            (["service", "tickets", _], "GET") => match id(2) {
                Some(tid) => self.one(req, &self.tickets_json(base), tid, "Service Ticket"),
                None => self.no_endpoint(),
            },
            (["service", "tickets", _], "PATCH") => match id(2) {
                Some(tid) => self.patch_ticket(req, base, tid),
                None => self.no_endpoint(),
            },
            (["service", "tickets", _], "DELETE") => match id(2) {
                Some(tid) => {
                    if self.state().tickets.remove(&tid).is_some() {
                        HttpResponse::empty(204)
                    } else {
                        self.not_found("Service Ticket", tid)
                    }
                }
                None => self.no_endpoint(),
            },
            (["service", "tickets", _, "notes"], "GET") => match id(2) {
                Some(tid) => match self.notes_json(base, tid) {
                    Some(items) => self.list(req, items),
                    None => self.not_found("Service Ticket", tid),
                },
                None => self.no_endpoint(),
            },
            (["service", "tickets", _, "notes", "count"], "GET") => match id(2) {
                Some(tid) => match self.notes_json(base, tid) {
                    Some(items) => self.count(req, items),
                    None => self.not_found("Service Ticket", tid),
                },
                None => self.no_endpoint(),
            },
            (["service", "tickets", _, "notes"], "POST") => match id(2) {
                Some(tid) => self.add_note(req, base, tid),
                None => self.no_endpoint(),
            },
            (["service", "tickets", _, "notes", _], "GET") => match (id(2), id(4)) {
                (Some(tid), Some(nid)) => match self.notes_json(base, tid) {
                    Some(items) => self.one(req, &items, nid, "Service Note"),
                    None => self.not_found("Service Ticket", tid),
                },
                _ => self.no_endpoint(),
            },
            (["service", "tickets", _, "notes", _], "PATCH") => match (id(2), id(4)) {
                (Some(tid), Some(nid)) => self.patch_note(req, base, tid, nid),
                _ => self.no_endpoint(),
            },
            (
                ["system", "info"]
                | ["company", "companies", ..]
                | ["service", "boards", ..]
                | ["service", "priorities", ..]
                | ["service", "tickets", ..],
                _,
            ) => self.error(
                405,
                "MethodNotAllowed",
                &format!("The requested resource does not support http method '{m}'."),
                Vec::new(),
            ),
            _ => self.no_endpoint(),
        }
    }

    // ----------------------------------------------------------------- rendering

    fn companies_json(&self, base: &str) -> Arc<Vec<Value>> {
        let st = self.state();
        let mut cache = self
            .companies_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.as_ref()
            && c.base == base
            && c.version == st.companies_version
        {
            return c.items.clone();
        }
        let items = Arc::new(
            st.companies
                .iter()
                .map(|c| company_json(base, c))
                .collect::<Vec<_>>(),
        );
        *cache = Some(RenderedCompanies {
            base: base.to_string(),
            version: st.companies_version,
            items: items.clone(),
        });
        items
    }

    fn boards_json(&self) -> Vec<Value> {
        self.state().boards.iter().map(board_json).collect()
    }

    fn statuses_json(&self, base: &str, board: i64) -> Option<Vec<Value>> {
        let st = self.state();
        let b = st.board(board)?;
        Some(b.statuses.iter().map(|s| status_json(base, b, s)).collect())
    }

    fn priorities_json(&self) -> Vec<Value> {
        self.state().priorities.iter().map(priority_json).collect()
    }

    fn tickets_json(&self, base: &str) -> Vec<Value> {
        let st = self.state();
        st.tickets
            .values()
            .map(|t| ticket_json(&st, base, t))
            .collect()
    }

    fn notes_json(&self, base: &str, ticket: i64) -> Option<Vec<Value>> {
        let st = self.state();
        let t = st.tickets.get(&ticket)?;
        // The initial description reads back as the first discussion note.
        let mut out = vec![json!({
            "id": t.id * 10, "ticketId": t.id, "text": t.description,
            "detailDescriptionFlag": true, "internalAnalysisFlag": false, "resolutionFlag": false,
            "internalFlag": false, "externalFlag": false, "customerUpdatedFlag": false,
            "dateCreated": t.entered, "createdBy": API_MEMBER,
            "_info": {"lastUpdated": t.entered, "updatedBy": API_MEMBER},
        })];
        out.extend(t.notes.iter().map(|n| note_json(base, t.id, n)));
        Some(out)
    }

    // ------------------------------------------------------------------ listing

    /// A bare-array list: conditions, orderBy, paging (navigable or forward-only), fields.
    fn list(&self, req: &HttpRequest, items: Vec<Value>) -> HttpResponse {
        self.list_with(req, items, Self::conditions(req))
    }

    fn conditions(req: &HttpRequest) -> Option<String> {
        req.query_ci("conditions").map(str::to_string)
    }

    fn list_with(
        &self,
        req: &HttpRequest,
        items: Vec<Value>,
        conditions: Option<String>,
    ) -> HttpResponse {
        self.list_refs(req, items.iter().collect(), conditions)
    }

    /// [`Self::list`] over borrowed records (the cached company list is not copied).
    fn list_refs(
        &self,
        req: &HttpRequest,
        items: Vec<&Value>,
        conditions: Option<String>,
    ) -> HttpResponse {
        let mut items = match self.filter(items, conditions.as_deref()) {
            Ok(items) => items,
            Err(resp) => return resp,
        };
        let forward_only = req
            .header("pagination-type")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("forward-only"));
        let order_by = req.query_ci("orderBy").filter(|o| !o.trim().is_empty());
        if let Some(order) = order_by {
            if forward_only {
                return self.bad_request("orderBy is not supported with forward-only pagination");
            }
            if let Err(e) = sort_by(&mut items, order) {
                return self.bad_request(&e);
            }
        }
        let page_size = match req.query_ci("pageSize") {
            None => DEFAULT_PAGE_SIZE,
            Some(raw) => match raw.trim().parse::<i64>() {
                Ok(n) if n > 0 => (n as usize).min(MAX_PAGE_SIZE),
                Ok(_) => DEFAULT_PAGE_SIZE,
                Err(_) => {
                    return self.bad_request(&format!("'{raw}' is not a valid pageSize"));
                }
            },
        };
        let fields = req.query_ci("fields").map(|f| {
            f.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
        });
        let (page, link) = if forward_only {
            let after = match req.query_ci("pageId").map(|p| p.trim().parse::<i64>()) {
                None => 0,
                Some(Ok(n)) => n,
                Some(Err(_)) => return self.bad_request("pageId must be an integer"),
            };
            items.sort_by_key(|v| id_of(v));
            let rest: Vec<&Value> = items.into_iter().filter(|v| id_of(v) > after).collect();
            let more = rest.len() > page_size;
            let page: Vec<&Value> = rest.into_iter().take(page_size).collect();
            let link = match page.last() {
                Some(last) if more => format!(
                    "<{}>; rel=\"next\"",
                    page_url(req, &[("pageId", id_of(last).to_string())], &["page"])
                ),
                _ => String::new(),
            };
            (page, link)
        } else {
            let number = match req.query_ci("page").map(|p| p.trim().parse::<usize>()) {
                None => 1,
                Some(Ok(n)) => n.max(1),
                Some(Err(_)) => return self.bad_request("page must be an integer"),
            };
            let last = items.len().div_ceil(page_size).max(1);
            let page: Vec<&Value> = items
                .into_iter()
                .skip((number - 1) * page_size)
                .take(page_size)
                .collect();
            let link_to = |n: usize, rel: &str| {
                format!(
                    "<{}>; rel=\"{rel}\"",
                    page_url(
                        req,
                        &[("pageSize", page_size.to_string()), ("page", n.to_string())],
                        &["pageId"],
                    )
                )
            };
            let mut links = vec![link_to(1, "first")];
            if number > 1 {
                links.push(link_to((number - 1).min(last), "prev"));
            }
            if number < last {
                links.push(link_to(number + 1, "next"));
            }
            links.push(link_to(last, "last"));
            (page, links.join(", "))
        };
        let body: Vec<Value> = page.iter().map(|v| output(v, fields.as_deref())).collect();
        HttpResponse::json(200, &Value::Array(body)).with_header("Link", link)
    }

    fn count(&self, req: &HttpRequest, items: Vec<Value>) -> HttpResponse {
        self.count_refs(req, items.iter().collect())
    }

    fn count_refs(&self, req: &HttpRequest, items: Vec<&Value>) -> HttpResponse {
        match self.filter(items, req.query_ci("conditions")) {
            Ok(items) => HttpResponse::json(200, &json!({"count": items.len()})),
            Err(resp) => resp,
        }
    }

    fn filter<'a>(
        &self,
        items: Vec<&'a Value>,
        conditions: Option<&str>,
    ) -> Result<Vec<&'a Value>, HttpResponse> {
        let Some(raw) = conditions.filter(|c| !c.trim().is_empty()) else {
            return Ok(items);
        };
        let expr = conditions::parse(raw)
            .map_err(|e| self.bad_request(&format!("Invalid conditions '{raw}': {e}")))?;
        let mut out = Vec::new();
        for item in items {
            match conditions::matches(&expr, item) {
                Ok(true) => out.push(item),
                Ok(false) => {}
                Err(e) => return Err(self.bad_request(&format!("Invalid conditions '{raw}': {e}"))),
            }
        }
        Ok(out)
    }

    fn one(&self, req: &HttpRequest, items: &[Value], id: i64, what: &str) -> HttpResponse {
        let fields = req.query_ci("fields").map(|f| {
            f.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
        });
        match items.iter().find(|v| id_of(v) == id) {
            Some(v) => HttpResponse::json(200, &output(v, fields.as_deref())),
            None => self.not_found(what, id),
        }
    }

    fn search_tickets(&self, req: &HttpRequest, base: &str) -> HttpResponse {
        let body: Value = match req.json() {
            Ok(v) => v,
            Err(e) => return self.bad_request(&format!("The request body is not valid JSON: {e}")),
        };
        let conditions = body
            .get("conditions")
            .and_then(Value::as_str)
            .map(str::to_string);
        let items = self.tickets_json(base);
        self.list_with(req, items, conditions)
    }

    // ------------------------------------------------------------------ tickets

    fn create_ticket(&self, req: &HttpRequest, base: &str) -> HttpResponse {
        let body: Value = match req.json() {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => return self.bad_request("The request body must be a ticket object"),
            Err(e) => return self.bad_request(&format!("The request body is not valid JSON: {e}")),
        };
        let collapse = self.faults.is_on("newline-collapse");
        let mut st = self.state();
        let mut errors = Vec::new();
        let summary = body.get("summary").and_then(Value::as_str).unwrap_or("");
        if summary.trim().is_empty() {
            errors.push(field_error(
                "NullOrEmpty",
                "summary",
                "The field summary is required.",
            ));
        } else if utf16_len(summary) > 100 {
            errors.push(field_error(
                "MaxLengthField",
                "summary",
                "The field summary must be a string with a maximum length of 100.",
            ));
        }
        let company = match body.get("company") {
            None | Some(Value::Null) => {
                errors.push(field_error(
                    "NullOrEmpty",
                    "company",
                    "The field company is required.",
                ));
                None
            }
            Some(r) => {
                let found = st.companies.iter().find(|c| {
                    ref_id(r) == Some(c.id)
                        || r.get("identifier")
                            .and_then(Value::as_str)
                            .is_some_and(|i| i.eq_ignore_ascii_case(&c.identifier))
                });
                if found.is_none() {
                    errors.push(field_error(
                        "NotFound",
                        "company",
                        format!("Company {} not found", ref_label(r)),
                    ));
                }
                found.map(|c| c.id)
            }
        };
        // A board is required by psa-link's emulator; real instances may default one.
        let board = match body.get("board") {
            None | Some(Value::Null) => st.boards.first().map(|b| b.id),
            Some(r) => {
                let found = st.boards.iter().find(|b| {
                    ref_id(r) == Some(b.id)
                        || r.get("name").and_then(Value::as_str) == Some(b.name.as_str())
                });
                match found {
                    Some(b) if b.inactive => {
                        errors.push(field_error(
                            "InvalidObject",
                            "board",
                            format!("Service Board {} is inactive", b.id),
                        ));
                        None
                    }
                    Some(b) => Some(b.id),
                    None => {
                        errors.push(field_error(
                            "NotFound",
                            "board/id",
                            format!("Service Board {} not found", ref_label(r)),
                        ));
                        None
                    }
                }
            }
        };
        let status = board.and_then(|bid| {
            let b = st.board(bid)?;
            match body.get("status") {
                None | Some(Value::Null) => b.statuses.iter().find(|s| s.default).map(|s| s.id),
                Some(r) => {
                    let found = b.statuses.iter().find(|s| {
                        ref_id(r) == Some(s.id)
                            || r.get("name").and_then(Value::as_str) == Some(s.name.as_str())
                    });
                    if found.is_none() {
                        errors.push(status_not_found(r, bid));
                    }
                    found.map(|s| s.id)
                }
            }
        });
        let priority = match body.get("priority") {
            None | Some(Value::Null) => st.priorities.iter().find(|p| p.default).map(|p| p.id),
            Some(r) => {
                let found = st.priorities.iter().find(|p| {
                    ref_id(r) == Some(p.id)
                        || r.get("name").and_then(Value::as_str) == Some(p.name.as_str())
                });
                if found.is_none() {
                    errors.push(field_error(
                        "NotFound",
                        "priority/id",
                        format!("Priority {} not found", ref_label(r)),
                    ));
                }
                found.map(|p| p.id)
            }
        };
        let severity = enum_field(&body, "severity", &mut errors);
        let impact = enum_field(&body, "impact", &mut errors);
        let xref = body
            .get("externalXRef")
            .and_then(Value::as_str)
            .map(str::to_string);
        if xref.as_deref().is_some_and(|x| utf16_len(x) > 100) {
            errors.push(field_error(
                "MaxLengthField",
                "externalXRef",
                "The field externalXRef must be a string with a maximum length of 100.",
            ));
        }
        let (Some(company), Some(board), Some(status), Some(priority), true) =
            (company, board, status, priority, errors.is_empty())
        else {
            drop(st);
            return self.invalid("ticket", errors);
        };
        let description = body
            .get("initialDescription")
            .and_then(Value::as_str)
            .map(|d| {
                if collapse {
                    collapse_newlines(d)
                } else {
                    d.to_string()
                }
            })
            .unwrap_or_default();
        let now = now_rfc3339();
        let closed = st.status(board, status).is_some_and(|s| s.closed);
        let id = st.next_ticket;
        st.next_ticket += 1;
        let ticket = Ticket {
            id,
            summary: summary.to_string(),
            board_id: board,
            company_id: company,
            status_id: status,
            priority_id: priority,
            severity: severity.unwrap_or_else(|| "Medium".into()),
            impact: impact.unwrap_or_else(|| "Medium".into()),
            description,
            external_xref: xref,
            closed,
            closed_date: closed.then(|| now.clone()),
            closed_by: closed.then(|| API_MEMBER.to_string()),
            entered: now.clone(),
            last_updated: now,
            notes: Vec::new(),
        };
        let rendered = ticket_json(&st, base, &ticket);
        st.tickets.insert(id, ticket);
        drop(st);
        if self.faults.is_on("drop-create-connection") {
            return HttpResponse::hang_up();
        }
        if self.faults.is_on("drop-create-response") {
            return HttpResponse::text(504, "504 Gateway Time-out");
        }
        HttpResponse::json(201, &output(&rendered, None))
    }

    fn patch_ticket(&self, req: &HttpRequest, base: &str, id: i64) -> HttpResponse {
        let ops = match req.json::<Value>() {
            Ok(Value::Array(ops)) => ops,
            Ok(_) => {
                return self.bad_request(
                    "The patch document must be an array of operations, e.g. [{\"op\":\"replace\",\"path\":\"status\",\"value\":{\"id\":1}}]",
                );
            }
            Err(e) => return self.bad_request(&format!("The request body is not valid JSON: {e}")),
        };
        let strict = self.faults.is_on("strict-patch");
        let mut st = self.state();
        let Some(original) = st.tickets.get(&id).cloned() else {
            drop(st);
            return self.not_found("Service Ticket", id);
        };
        let mut t = original.clone();
        let mut errors = Vec::new();
        for op in &ops {
            let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
            let path = op.get("path").and_then(Value::as_str).unwrap_or("");
            let value = op.get("value").cloned().unwrap_or(Value::Null);
            if !matches!(kind, "add" | "replace" | "remove") {
                errors.push(field_error(
                    "InvalidOperation",
                    path,
                    format!("'{kind}' is not a supported patch operation (add, replace, remove)"),
                ));
                continue;
            }
            let path = path.trim_start_matches('/');
            let (root, sub) = match path.split_once('/') {
                Some((r, s)) => (r, Some(s)),
                None => (path, None),
            };
            const KNOWN: [&str; 8] = [
                "summary",
                "status",
                "priority",
                "severity",
                "impact",
                "externalXRef",
                "board",
                "company",
            ];
            if !KNOWN.contains(&root) {
                errors.push(field_error(
                    "InvalidField",
                    path,
                    format!("'{path}' is not a field of ticket (paths are case-sensitive)"),
                ));
                continue;
            }
            if kind == "remove" && root != "externalXRef" {
                errors.push(field_error(
                    "Required",
                    path,
                    format!("The field {root} is required and cannot be removed."),
                ));
                continue;
            }
            // Sub-paths other than `<ref>/id` are acknowledged and ignored: the false 200
            // the developer guide warns about.
            let by_id = match sub {
                None => ref_id(&value).or_else(|| value.as_i64()),
                Some("id") => value.as_i64(),
                Some(_) => continue,
            };
            match root {
                "summary" => match value.as_str() {
                    Some(s) if utf16_len(s) <= 100 && !s.trim().is_empty() => t.summary = s.into(),
                    _ => errors.push(field_error(
                        "MaxLengthField",
                        "summary",
                        "The field summary must be a string with a maximum length of 100.",
                    )),
                },
                "severity" | "impact" => match value
                    .as_str()
                    .and_then(|v| SEVERITIES.iter().find(|s| **s == v))
                {
                    Some(v) if root == "severity" => t.severity = v.to_string(),
                    Some(v) => t.impact = v.to_string(),
                    None => errors.push(field_error(
                        "InvalidEnum",
                        root,
                        format!("The field {root} must be one of Low, Medium, High."),
                    )),
                },
                "externalXRef" => {
                    let v = value.as_str().map(str::to_string);
                    if v.as_deref().is_some_and(|x| utf16_len(x) > 100) {
                        errors.push(field_error(
                            "MaxLengthField",
                            "externalXRef",
                            "The field externalXRef must be a string with a maximum length of 100.",
                        ));
                    } else {
                        t.external_xref = if kind == "remove" { None } else { v };
                    }
                }
                "company" => match by_id.and_then(|c| st.company(c)) {
                    Some(c) => t.company_id = c.id,
                    None => errors.push(field_error(
                        "NotFound",
                        "company/id",
                        format!("Company {} not found", ref_label(&value)),
                    )),
                },
                "board" => match by_id.and_then(|b| st.board(b)) {
                    Some(b) if !b.inactive => t.board_id = b.id,
                    _ => errors.push(field_error(
                        "NotFound",
                        "board/id",
                        format!("Service Board {} not found", ref_label(&value)),
                    )),
                },
                "status" => {
                    let named = value.get("name").and_then(Value::as_str);
                    let found = st.board(t.board_id).and_then(|b| {
                        b.statuses
                            .iter()
                            .find(|s| by_id == Some(s.id) || named == Some(s.name.as_str()))
                    });
                    match found {
                        Some(s) => t.status_id = s.id,
                        None => errors.push(status_not_found(&value, t.board_id)),
                    }
                }
                _ => {
                    let named = value.get("name").and_then(Value::as_str);
                    match st
                        .priorities
                        .iter()
                        .find(|p| by_id == Some(p.id) || named == Some(p.name.as_str()))
                    {
                        Some(p) => t.priority_id = p.id,
                        None => errors.push(field_error(
                            "NotFound",
                            "priority/id",
                            format!("Priority {} not found", ref_label(&value)),
                        )),
                    }
                }
            }
        }
        // A board change needs a status of the new board.
        if errors.is_empty() && st.status(t.board_id, t.status_id).is_none() {
            errors.push(status_not_found(&json!({"id": t.status_id}), t.board_id));
        }
        if !errors.is_empty() {
            drop(st);
            return self.invalid("ticket", errors);
        }
        let now = now_rfc3339();
        apply_closing(&st, &mut t, &original, &now);
        t.last_updated = now;
        // What the answer claims, whatever is stored.
        let claimed = ticket_json(&st, base, &t);
        if strict {
            t.status_id = original.status_id;
            t.priority_id = original.priority_id;
            t.closed = original.closed;
            t.closed_date = original.closed_date.clone();
            t.closed_by = original.closed_by.clone();
        }
        st.tickets.insert(id, t);
        HttpResponse::json(200, &output(&claimed, None))
    }

    fn add_note(&self, req: &HttpRequest, base: &str, ticket: i64) -> HttpResponse {
        let body: Value = match req.json() {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => return self.bad_request("The request body must be a note object"),
            Err(e) => return self.bad_request(&format!("The request body is not valid JSON: {e}")),
        };
        let flag = |k: &str| body.get(k).and_then(Value::as_bool).unwrap_or(false);
        let text = body.get("text").and_then(Value::as_str).unwrap_or("");
        let mut errors = Vec::new();
        if text.trim().is_empty() {
            errors.push(field_error(
                "NullOrEmpty",
                "text",
                "The field text is required.",
            ));
        }
        if !(flag("detailDescriptionFlag")
            || flag("internalAnalysisFlag")
            || flag("resolutionFlag"))
        {
            errors.push(field_error(
                "Required",
                "detailDescriptionFlag",
                "One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true.",
            ));
        }
        let collapse = self.faults.is_on("newline-collapse");
        let mut st = self.state();
        if !st.tickets.contains_key(&ticket) {
            drop(st);
            return self.not_found("Service Ticket", ticket);
        }
        if !errors.is_empty() {
            drop(st);
            return self.invalid("note", errors);
        }
        let id = st.next_note;
        st.next_note += 1;
        let note = Note {
            id,
            text: if collapse {
                collapse_newlines(text)
            } else {
                text.to_string()
            },
            detail: flag("detailDescriptionFlag"),
            internal_analysis: flag("internalAnalysisFlag"),
            resolution: flag("resolutionFlag"),
            internal_flag: flag("internalFlag"),
            external_flag: flag("externalFlag"),
            process_notifications: body
                .get("processNotifications")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            created: now_rfc3339(),
        };
        let rendered = note_json(base, ticket, &note);
        if let Some(t) = st.tickets.get_mut(&ticket) {
            t.notes.push(note);
            t.last_updated = now_rfc3339();
        }
        HttpResponse::json(201, &output(&rendered, None))
    }

    fn patch_note(&self, req: &HttpRequest, base: &str, ticket: i64, note: i64) -> HttpResponse {
        let ops = match req.json::<Value>() {
            Ok(Value::Array(ops)) => ops,
            Ok(_) => return self.bad_request("The patch document must be an array of operations"),
            Err(e) => return self.bad_request(&format!("The request body is not valid JSON: {e}")),
        };
        let collapse = self.faults.is_on("newline-collapse");
        let mut st = self.state();
        let Some(n) = st
            .tickets
            .get_mut(&ticket)
            .and_then(|t| t.notes.iter_mut().find(|n| n.id == note))
        else {
            drop(st);
            return self.not_found("Service Note", note);
        };
        let mut updated = n.clone();
        for op in &ops {
            let path = op.get("path").and_then(Value::as_str).unwrap_or("");
            let value = op.get("value").cloned().unwrap_or(Value::Null);
            match (path.trim_start_matches('/'), value) {
                ("text", Value::String(s)) if !s.trim().is_empty() => {
                    updated.text = if collapse { collapse_newlines(&s) } else { s }
                }
                ("internalAnalysisFlag", Value::Bool(b)) => updated.internal_analysis = b,
                ("detailDescriptionFlag", Value::Bool(b)) => updated.detail = b,
                ("resolutionFlag", Value::Bool(b)) => updated.resolution = b,
                ("internalFlag", Value::Bool(b)) => updated.internal_flag = b,
                ("externalFlag", Value::Bool(b)) => updated.external_flag = b,
                (p, _) => {
                    let p = p.to_string();
                    drop(st);
                    return self.invalid(
                        "note",
                        vec![field_error(
                            "InvalidField",
                            &p,
                            format!("'{p}' cannot be patched on a note (paths are case-sensitive)"),
                        )],
                    );
                }
            }
        }
        *n = updated.clone();
        HttpResponse::json(200, &output(&note_json(base, ticket, &updated), None))
    }
}

impl Default for ConnectWiseEmulator {
    fn default() -> Self {
        ConnectWiseEmulator::standard()
    }
}

/// Status and closing fields follow the status: a closed status sets `closedFlag`,
/// `closedDate` and `closedBy`; reopening clears them.
fn apply_closing(st: &State, t: &mut Ticket, original: &Ticket, now: &str) {
    let closed = st.status(t.board_id, t.status_id).is_some_and(|s| s.closed);
    if closed && !original.closed {
        t.closed_date = Some(now.to_string());
        t.closed_by = Some(API_MEMBER.to_string());
    } else if !closed {
        t.closed_date = None;
        t.closed_by = None;
    }
    t.closed = closed;
}

fn status_not_found(r: &Value, board: i64) -> FieldError {
    field_error(
        "NotFound",
        "status/id",
        format!(
            "Service Status {} not found for Service Board {board}",
            ref_label(r)
        ),
    )
}

fn enum_field(body: &Value, key: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = body.get(key)?;
    if v.is_null() {
        return None;
    }
    match v.as_str().filter(|s| SEVERITIES.contains(s)) {
        Some(s) => Some(s.to_string()),
        None => {
            errors.push(field_error(
                "InvalidEnum",
                key,
                format!("The field {key} must be one of Low, Medium, High."),
            ));
            None
        }
    }
}

fn collapse_newlines(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

/// .NET string length (UTF-16 code units), which is what CW's max-length checks count.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn ref_id(r: &Value) -> Option<i64> {
    r.get("id").and_then(Value::as_i64)
}

fn ref_label(r: &Value) -> String {
    match (r.get("id"), r.get("name"), r.get("identifier")) {
        (Some(id), _, _) => id.to_string(),
        (_, Some(Value::String(n)), _) => format!("'{n}'"),
        (_, _, Some(Value::String(i))) => format!("'{i}'"),
        _ => r.to_string(),
    }
}

fn id_of(v: &Value) -> i64 {
    v.get("id").and_then(Value::as_i64).unwrap_or(0)
}

/// The URL of another page of the same list: the request's query with some keys replaced.
fn page_url(req: &HttpRequest, set: &[(&str, String)], drop: &[&str]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &req.query {
        let replaced = set.iter().any(|(s, _)| s.eq_ignore_ascii_case(k));
        let dropped = drop.iter().any(|d| d.eq_ignore_ascii_case(k));
        if !replaced && !dropped {
            ser.append_pair(k, v);
        }
    }
    for (k, v) in set {
        ser.append_pair(k, v);
    }
    format!("{}{}?{}", req.origin, req.path, ser.finish())
}

/// Sorts by `orderBy` (`field [asc|desc]`, comma-separated).
fn sort_by(items: &mut Vec<&Value>, order: &str) -> Result<(), String> {
    let mut keys = Vec::new();
    for part in order.split(',') {
        let mut words = part.split_whitespace();
        let Some(field) = words.next() else { continue };
        let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => return Err(format!("'{other}' is not a sort direction (asc, desc)")),
        };
        let path: Vec<String> = field.split('/').map(str::to_string).collect();
        if let Some(first) = items.first()
            && lookup(first, &path).is_none()
        {
            return Err(format!("Unknown field '{field}' in orderBy"));
        }
        keys.push((path, desc));
    }
    // Each record's sort key is read once, not at every comparison (50,000 companies).
    let mut keyed: Vec<(Vec<SortKey>, &Value)> = items
        .iter()
        .map(|v| {
            let k = keys
                .iter()
                .map(|(path, _)| SortKey::of(lookup(v, path)))
                .collect();
            (k, *v)
        })
        .collect();
    keyed.sort_by(|a, b| {
        for (i, (_, desc)) in keys.iter().enumerate() {
            let ord = a.0[i].cmp(&b.0[i]);
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != std::cmp::Ordering::Equal {
                return ord;
            }
        }
        std::cmp::Ordering::Equal
    });
    *items = keyed.into_iter().map(|(_, v)| v).collect();
    Ok(())
}

/// A field's value as `orderBy` compares it (see [`cmp_values`]), with a string's
/// lower-case form computed once.
struct SortKey<'a> {
    value: Option<&'a Value>,
    lower: Option<String>,
}

impl<'a> SortKey<'a> {
    fn of(value: Option<&'a Value>) -> SortKey<'a> {
        SortKey {
            value,
            lower: value.and_then(Value::as_str).map(str::to_lowercase),
        }
    }

    fn cmp(&self, other: &SortKey) -> std::cmp::Ordering {
        match (&self.lower, &other.lower) {
            (Some(x), Some(y)) => x.cmp(y),
            _ => cmp_values(self.value, other.value),
        }
    }
}

fn lookup<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut cur = v;
    for seg in path {
        cur = cur
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(seg))
            .map(|(_, v)| v)?;
    }
    Some(cur)
}

fn cmp_values(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// What goes on the wire: nulls omitted (as CW does) and, with `fields=`, only the named
/// fields (`a/b` keeps `a: {b}`).
fn output(v: &Value, fields: Option<&[String]>) -> Value {
    let v = strip_nulls(v);
    let Some(fields) = fields else { return v };
    let mut out = Map::new();
    for f in fields {
        let path: Vec<&str> = f.split('/').collect();
        project(&v, &path, &mut out);
    }
    Value::Object(out)
}

fn project(src: &Value, path: &[&str], out: &mut Map<String, Value>) {
    let Some(map) = src.as_object() else { return };
    let Some((key, value)) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(path[0])) else {
        return;
    };
    if path.len() == 1 {
        out.insert(key.clone(), value.clone());
        return;
    }
    let entry = out
        .entry(key.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(inner) = entry {
        project(value, &path[1..], inner);
    }
}

fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

// ------------------------------------------------------------------ JSON shapes

fn company_json(base: &str, c: &Company) -> Value {
    let (status_id, status_name) = if c.active {
        (1, "Active")
    } else {
        (2, "Inactive")
    };
    json!({
        "id": c.id,
        "identifier": c.identifier,
        "name": c.name,
        "status": {"id": status_id, "name": status_name,
                   "_info": {"status_href": format!("{base}/company/companies/statuses/{status_id}")}},
        "types": [{"id": 1, "name": "Client", "_info": {"type_href": format!("{base}/company/companies/types/1")}}],
        "deletedFlag": c.deleted,
        "dateDeleted": if c.deleted { Value::String(c.last_updated.clone()) } else { Value::Null },
        "isVendorFlag": c.name.starts_with("Vendor"),
        "phoneNumber": "555-0100",
        "website": Value::Null,
        "_info": {"lastUpdated": c.last_updated, "updatedBy": API_MEMBER,
                  "dateEntered": "2019-04-01T12:00:00Z", "enteredBy": "Migration"},
    })
}

fn company_statuses_json() -> Vec<Value> {
    vec![
        json!({"id": 1, "name": "Active", "defaultFlag": true, "inactiveFlag": false,
               "_info": {"lastUpdated": "2019-04-01T12:00:00Z"}}),
        json!({"id": 2, "name": "Inactive", "defaultFlag": false, "inactiveFlag": true,
               "_info": {"lastUpdated": "2019-04-01T12:00:00Z"}}),
    ]
}

fn board_json(b: &Board) -> Value {
    json!({
        "id": b.id, "name": b.name, "inactiveFlag": b.inactive, "projectFlag": b.project,
        "location": {"id": 2, "name": "Head Office"},
        "department": {"id": 10, "name": "Service"},
        "_info": {"lastUpdated": "2020-01-15T09:30:00Z", "updatedBy": "admin1"},
    })
}

fn status_json(base: &str, b: &Board, s: &Status) -> Value {
    json!({
        "id": s.id, "name": s.name,
        "board": {"id": b.id, "name": b.name, "_info": {"board_href": format!("{base}/service/boards/{}", b.id)}},
        "sortOrder": s.sort, "displayOnBoard": !s.inactive, "inactive": s.inactive,
        "closedStatus": s.closed, "defaultFlag": s.default, "escalationStatus": s.escalation,
        "timeEntryNotAllowed": s.closed, "customerPortalFlag": !s.closed,
        "_info": {"lastUpdated": "2020-01-15T09:30:00Z", "updatedBy": "admin1"},
    })
}

fn priority_json(p: &Priority) -> Value {
    json!({
        "id": p.id, "name": p.name, "color": p.color, "sortOrder": p.sort,
        "defaultFlag": p.default, "imageLink": format!("/v4_6_release/services/system_io/images/priority{}.gif", p.sort),
        "_info": {"lastUpdated": "2019-04-01T12:00:00Z", "updatedBy": "admin1"},
    })
}

fn ticket_json(st: &State, base: &str, t: &Ticket) -> Value {
    let board = st.board(t.board_id);
    let status = st.status(t.board_id, t.status_id);
    let company = st.company(t.company_id);
    let priority = st.priority(t.priority_id);
    json!({
        "id": t.id,
        "summary": t.summary,
        "recordType": "ServiceTicket",
        "board": {"id": t.board_id, "name": board.map(|b| b.name.clone()),
                  "_info": {"board_href": format!("{base}/service/boards/{}", t.board_id)}},
        "status": {"id": t.status_id, "name": status.map(|s| s.name.clone()), "Sort": status.map(|s| s.sort),
                   "_info": {"status_href": format!("{base}/service/boards/{}/statuses/{}", t.board_id, t.status_id)}},
        "company": {"id": t.company_id, "identifier": company.map(|c| c.identifier.clone()),
                    "name": company.map(|c| c.name.clone()),
                    "_info": {"company_href": format!("{base}/company/companies/{}", t.company_id)}},
        "priority": {"id": t.priority_id, "name": priority.map(|p| p.name.clone()), "sort": priority.map(|p| p.sort),
                     "_info": {"priority_href": format!("{base}/service/priorities/{}", t.priority_id)}},
        "severity": t.severity,
        "impact": t.impact,
        "externalXRef": t.external_xref,
        "closedFlag": t.closed,
        "closedDate": t.closed_date,
        "closedBy": t.closed_by,
        "dateResolved": t.closed_date,
        "customerUpdatedFlag": false,
        "automaticEmailContactFlag": false,
        "_info": {"lastUpdated": t.last_updated, "updatedBy": API_MEMBER,
                  "dateEntered": t.entered, "enteredBy": API_MEMBER,
                  "notes_href": format!("{base}/service/tickets/{}/notes", t.id)},
    })
}

fn note_json(base: &str, ticket: i64, n: &Note) -> Value {
    json!({
        "id": n.id, "ticketId": ticket, "text": n.text,
        "detailDescriptionFlag": n.detail, "internalAnalysisFlag": n.internal_analysis,
        "resolutionFlag": n.resolution, "internalFlag": n.internal_flag,
        "externalFlag": n.external_flag, "customerUpdatedFlag": false,
        "processNotifications": n.process_notifications,
        "dateCreated": n.created, "createdBy": API_MEMBER,
        "member": {"id": 176, "identifier": API_MEMBER, "name": "psa-link API",
                   "_info": {"member_href": format!("{base}/system/members/176")}},
        "_info": {"lastUpdated": n.created, "updatedBy": API_MEMBER},
    })
}

fn seed_boards() -> Vec<Board> {
    let st = |id, name: &str, sort, closed, default, inactive, escalation| Status {
        id,
        name: name.to_string(),
        sort,
        closed,
        default,
        inactive,
        escalation,
    };
    vec![
        Board {
            id: 1,
            name: "Service Desk".into(),
            inactive: false,
            project: false,
            statuses: vec![
                st(11, "New", 0, false, true, false, "NotResponded"),
                st(12, "In Progress", 1, false, false, false, "Responded"),
                st(
                    13,
                    "Waiting on Customer",
                    2,
                    false,
                    false,
                    false,
                    "Responded",
                ),
                st(14, "Completed", 3, true, false, false, "Resolved"),
                st(15, "Closed", 4, true, false, false, "Resolved"),
            ],
        },
        Board {
            id: 21,
            name: SANDBOX_BOARD.into(),
            inactive: false,
            project: false,
            statuses: vec![
                st(31, "New", 0, false, true, false, "NotResponded"),
                st(32, "In Progress", 1, false, false, false, "Responded"),
                st(
                    33,
                    "Remediation Approved",
                    2,
                    false,
                    false,
                    false,
                    "ResolutionPlan",
                ),
                st(
                    34,
                    "Remediation Rejected",
                    3,
                    false,
                    false,
                    false,
                    "Responded",
                ),
                st(35, "Resolved", 4, true, false, false, "Resolved"),
                st(36, "Closed", 5, true, false, false, "Resolved"),
                st(37, "Escalated (old)", 6, false, false, true, "NoEscalation"),
            ],
        },
        Board {
            id: 7,
            name: "Alerts".into(),
            inactive: false,
            project: false,
            statuses: vec![
                st(71, "New (Alert)", 0, false, true, false, "NotResponded"),
                st(72, "Acknowledged", 1, false, false, false, "Responded"),
                st(73, ">Closed", 2, true, false, false, "Resolved"),
            ],
        },
        Board {
            id: 9,
            name: "Legacy Helpdesk".into(),
            inactive: true,
            project: false,
            statuses: vec![
                st(91, "Open", 0, false, true, false, "NotResponded"),
                st(92, "Done", 1, true, false, false, "Resolved"),
            ],
        },
    ]
}

fn seed_priorities() -> Vec<Priority> {
    let p = |id, name: &str, sort, default, color| Priority {
        id,
        name: name.to_string(),
        sort,
        default,
        color,
    };
    vec![
        p(15, "Priority 1 - Emergency Response", 1, false, "Red"),
        p(8, "Priority 2 - Quick Response", 2, false, "Orange"),
        p(4, "Priority 3 - Normal Response", 3, true, "Green"),
        p(7, "Priority 4 - Schedule Maintenance", 4, false, "Blue"),
        p(12, "Do Not Respond", 5, false, "Gray"),
    ]
}

/// The API root under one of the codebases; `None` for other paths (a double or missing
/// slash included).
fn api_rest(path: &str) -> Option<&str> {
    for codebase in [LEGACY_CODEBASE, CODEBASE] {
        let prefix = format!("/{codebase}apis/3.0/");
        if path.len() >= prefix.len() && path[..prefix.len()].eq_ignore_ascii_case(&prefix) {
            let rest = &path[prefix.len()..];
            if rest.is_empty() || rest.starts_with('/') || rest.contains("//") {
                return None;
            }
            return Some(rest);
        }
    }
    None
}

/// `Accept` may carry `application/vnd.connectwise.com+json; version=YYYY.N`; a malformed
/// version is refused.
fn check_accept(accept: Option<&str>) -> Result<(), String> {
    let Some(accept) = accept else { return Ok(()) };
    for media in accept.split(',') {
        let mut parts = media.split(';').map(str::trim);
        let kind = parts.next().unwrap_or("");
        if !kind.eq_ignore_ascii_case("application/vnd.connectwise.com+json") {
            continue;
        }
        for param in parts {
            if let Some((k, v)) = param.split_once('=')
                && k.trim().eq_ignore_ascii_case("version")
            {
                let v = v.trim().trim_matches('"');
                let ok = v.split_once('.').is_some_and(|(y, n)| {
                    y.len() == 4
                        && y.chars().all(|c| c.is_ascii_digit())
                        && !n.is_empty()
                        && n.chars().all(|c| c.is_ascii_digit())
                });
                if !ok {
                    return Err(format!(
                        "'{v}' is not an API version (expected e.g. {CURRENT_VERSION})"
                    ));
                }
            }
        }
    }
    Ok(())
}

impl Emulator for ConnectWiseEmulator {
    fn name(&self) -> &'static str {
        "connectwise"
    }

    fn handle(&self, req: &HttpRequest) -> HttpResponse {
        if let Err(resp) = self.rate_check() {
            return resp;
        }
        let segs = req.segments();
        if req.method == "GET"
            && segs.len() == 3
            && segs[0].eq_ignore_ascii_case("login")
            && segs[1].eq_ignore_ascii_case("companyinfo")
            && !req.path.contains("//")
        {
            return self.company_info(segs[2]);
        }
        let Some(rest) = api_rest(&req.path) else {
            return self.no_endpoint();
        };
        if let Some(refused) = self.check_auth(req) {
            return refused;
        }
        // Repeated `Accept` headers count as one comma-separated list.
        let accept: Vec<&str> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("accept"))
            .map(|(_, v)| v.as_str())
            .collect();
        let accept = (!accept.is_empty()).then(|| accept.join(", "));
        if let Err(e) = check_accept(accept.as_deref()) {
            return self.bad_request(&e);
        }
        let api_root = &req.path[..req.path.len() - rest.len() - 1];
        let base = format!("{}{}", req.origin, api_root);
        let segs: Vec<&str> = rest.split('/').collect();
        self.route(req, &base, &segs)
            .with_header("api-current-version", CURRENT_VERSION)
    }

    fn faults(&self) -> &'static [FaultInfo] {
        FAULTS
    }

    fn fault_set(&self) -> &Faults {
        &self.faults
    }
}

impl PsaEmulator for ConnectWiseEmulator {
    fn kind(&self) -> PsaKind {
        PsaKind::Connectwise
    }

    fn service_name(&self) -> &'static str {
        crate::psa::connectwise::SERVICE
    }

    // Under the codebase the site names (`/v2025_1/apis/3.0`).
    fn ticket_create_request(&self) -> (&'static str, &'static str) {
        ("POST", "/apis/3.0/service/tickets")
    }

    fn ticket_update_method(&self) -> &'static str {
        "PATCH"
    }

    fn add_args(&self, base_url: &str) -> Vec<String> {
        [
            "connectwise",
            "--site",
            SANDBOX_SITE,
            "--company",
            SANDBOX_COMPANY,
            "--public-key",
            SANDBOX_PUBLIC_KEY,
            "--client-id",
            SANDBOX_CLIENT_ID,
            "--board",
            SANDBOX_BOARD,
            "--default-company",
            &self.msp_company,
            "--base-url",
            base_url,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn secret_env(&self) -> (&'static str, String) {
        (
            "PSA_LINK_CONNECTWISE_PRIVATE_KEY",
            SANDBOX_PRIVATE_KEY.to_string(),
        )
    }

    fn tickets(&self) -> Vec<EmulatedTicket> {
        let st = self.state();
        st.tickets
            .values()
            .map(|t| EmulatedTicket {
                id: t.id,
                company_id: t.company_id,
                company_name: st
                    .company(t.company_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                title: t.summary.clone(),
                body: t.description.clone(),
                status: st
                    .status(t.board_id, t.status_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                closed: t.closed,
                priority: st.priority(t.priority_id).map(|p| p.name.clone()),
                notes: t
                    .notes
                    .iter()
                    .map(|n| EmulatedNote {
                        text: n.text.clone(),
                        private: (n.internal_analysis || n.internal_flag) && !n.external_flag,
                        emailed: n.process_notifications
                            && !n.internal_flag
                            && (n.detail || n.resolution || n.external_flag),
                    })
                    .collect(),
                marker: t
                    .external_xref
                    .as_deref()
                    .and_then(crate::psa::find_marker)
                    .or_else(|| crate::psa::find_marker(&t.description)),
            })
            .collect()
    }

    fn company_id(&self, name: &str) -> Option<i64> {
        self.state()
            .companies
            .iter()
            .find(|c| c.name == name && c.active && !c.deleted)
            .map(|c| c.id)
    }

    fn add_company(&self, name: &str, active: bool) -> i64 {
        self.state().add_company(name, active)
    }

    fn rename_company(&self, id: i64, name: &str) {
        if let Some(c) = self.state().company_mut(id) {
            c.name = name.to_string();
            c.last_updated = now_rfc3339();
        }
    }

    fn delete_company(&self, id: i64) {
        ConnectWiseEmulator::delete_company(self, id);
    }

    fn set_company_active(&self, id: i64, active: bool) {
        if let Some(c) = self.state().company_mut(id) {
            c.active = active;
            if active {
                c.deleted = false;
            }
            c.last_updated = now_rfc3339();
        }
    }

    fn status_names(&self) -> Vec<String> {
        let st = self.state();
        st.boards
            .iter()
            .find(|b| b.name == SANDBOX_BOARD)
            .map(|b| {
                b.statuses
                    .iter()
                    .filter(|s| !s.inactive)
                    .map(|s| s.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn priority_names(&self) -> Vec<String> {
        self.state()
            .priorities
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }
}
