//! The emulator's own rules, exercised over HTTP with a plain client (no psa-link code),
//! so the client tests elsewhere run against behaviour checked here.

use std::sync::Arc;

use base64::Engine;
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::{Value, json};

use super::*;
use crate::sandbox::seed::Msp;
use crate::sandbox::server::{RunningServer, ServerOptions};

struct Rig {
    emu: Arc<ConnectWiseEmulator>,
    server: RunningServer,
    http: Client,
}

fn rig_with(msp: &Msp) -> Rig {
    let emu = Arc::new(ConnectWiseEmulator::new(msp));
    let server = RunningServer::start(emu.clone(), ServerOptions::default()).unwrap();
    Rig {
        emu,
        server,
        http: Client::new(),
    }
}

fn rig() -> Rig {
    rig_with(&Msp::standard())
}

fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

impl Rig {
    fn url(&self, path: &str) -> String {
        format!("{}/{CODEBASE}apis/3.0/{path}", self.server.base_url())
    }

    fn authed(&self, rb: RequestBuilder) -> RequestBuilder {
        rb.header(
            "Authorization",
            basic(
                &format!("{SANDBOX_COMPANY}+{SANDBOX_PUBLIC_KEY}"),
                SANDBOX_PRIVATE_KEY,
            ),
        )
        .header("clientId", SANDBOX_CLIENT_ID)
        .header(
            "Accept",
            "application/vnd.connectwise.com+json; version=2025.1",
        )
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        self.authed(self.http.get(self.url(path))).send().unwrap()
    }

    fn post(&self, path: &str, body: &Value) -> reqwest::blocking::Response {
        self.authed(self.http.post(self.url(path)))
            .json(body)
            .send()
            .unwrap()
    }

    fn patch(&self, path: &str, body: &Value) -> reqwest::blocking::Response {
        self.authed(self.http.patch(self.url(path)))
            .json(body)
            .send()
            .unwrap()
    }

    fn board(&self) -> i64 {
        self.emu.board_id(SANDBOX_BOARD).unwrap()
    }

    fn status(&self, board: i64, name: &str) -> i64 {
        self.emu
            .board_statuses(board)
            .into_iter()
            .find(|s| s.1 == name)
            .unwrap()
            .0
    }

    fn new_ticket(&self) -> Value {
        let company = self.emu.company_id("Contoso Ltd").unwrap();
        let r = self.post(
            "service/tickets",
            &json!({"summary": "HIGH - Incident on PC01 (Contoso Ltd)", "board": {"id": self.board()},
                    "company": {"id": company}, "initialDescription": "line one\nline two",
                    "externalXRef": "psa-link:huntress:1"}),
        );
        assert_eq!(r.status(), 201);
        r.json().unwrap()
    }
}

fn link_rels(resp: &reqwest::blocking::Response) -> Vec<String> {
    let header = resp
        .headers()
        .get("link")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    header
        .split(", <")
        .filter_map(|part| part.split("rel=\"").nth(1))
        .map(|r| r.trim_end_matches('"').to_string())
        .collect()
}

#[test]
fn codebase_lookup_needs_no_auth_and_both_api_roots_work() {
    let r = rig();
    let info: Value = r
        .http
        .get(format!(
            "{}/login/companyinfo/NORTHWIND",
            r.server.base_url()
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(info["Codebase"], CODEBASE);
    assert_eq!(info["IsCloud"], "True", "IsCloud is a string");
    for root in [LEGACY_CODEBASE, CODEBASE] {
        let resp = r
            .authed(r.http.get(format!(
                "{}/{root}apis/3.0/system/info",
                r.server.base_url()
            )))
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200, "{root}");
        assert_eq!(resp.headers()["api-current-version"], CURRENT_VERSION);
    }
    // A wrong join of the codebase and apis/3.0.
    for bad in [
        "v2025_1//apis/3.0/system/info",
        "v2025_1apis/3.0/system/info",
        "v2025_1/apis/3.0//system/info",
    ] {
        let resp = r
            .authed(r.http.get(format!("{}/{bad}", r.server.base_url())))
            .send()
            .unwrap();
        assert_eq!(resp.status(), 404, "{bad}");
    }
}

#[test]
fn auth_needs_keys_and_client_id_and_cloud_mode_answers_404() {
    let r = rig();
    let url = r.url("system/info");
    let no_client = r
        .http
        .get(&url)
        .header(
            "Authorization",
            basic("northwind+NwSandboxPublicKey", SANDBOX_PRIVATE_KEY),
        )
        .send()
        .unwrap();
    assert_eq!(no_client.status(), 401);
    assert_eq!(no_client.json::<Value>().unwrap()["code"], "Unauthorized");
    let wrong_key = r
        .http
        .get(&url)
        .header(
            "authorization",
            basic("northwind+NwSandboxPublicKey", "nope"),
        )
        .header("CLIENTID", SANDBOX_CLIENT_ID)
        .send()
        .unwrap();
    assert_eq!(wrong_key.status(), 401);
    assert_eq!(
        wrong_key.json::<Value>().unwrap(),
        json!({"code": "ConnectWiseApi", "message": "UserNotAuthenticated"})
    );
    // Header names are case-insensitive; the login company id too.
    let ok = r
        .http
        .get(&url)
        .header(
            "AUTHORIZATION",
            basic("NorthWind+NwSandboxPublicKey", SANDBOX_PRIVATE_KEY),
        )
        .header("clientid", SANDBOX_CLIENT_ID)
        .send()
        .unwrap();
    assert_eq!(ok.status(), 200);
    r.emu.fault_set().set("cloud-auth-404", true);
    let cloud = r
        .http
        .get(&url)
        .header(
            "authorization",
            basic("northwind+NwSandboxPublicKey", "nope"),
        )
        .header("clientId", SANDBOX_CLIENT_ID)
        .send()
        .unwrap();
    assert_eq!(cloud.status(), 404);
}

#[test]
fn malformed_version_in_accept_is_refused() {
    let r = rig();
    let resp = r
        .authed(r.http.get(r.url("system/info")))
        .header(
            "Accept",
            "application/vnd.connectwise.com+json; version=latest",
        )
        .send()
        .unwrap();
    assert_eq!(resp.status(), 400);
    let plain = r
        .authed(r.http.get(r.url("system/info")))
        .header("Accept", "application/json")
        .send()
        .unwrap();
    assert_eq!(plain.status(), 200);
}

#[test]
fn lists_default_to_25_with_link_headers_and_cap_at_1000() {
    let r = rig_with(&Msp::generated(10, 1100, 0));
    let total = 1101;
    let first = r.get("company/companies");
    assert_eq!(link_rels(&first), ["first", "next", "last"]);
    let page: Vec<Value> = first.json().unwrap();
    assert_eq!(page.len(), DEFAULT_PAGE_SIZE, "pageSize defaults to 25");
    let count: Value = r.get("company/companies/count").json().unwrap();
    assert_eq!(count["count"], total);

    let big = r.get("company/companies?pageSize=5000");
    let rels = link_rels(&big);
    assert_eq!(rels, ["first", "next", "last"]);
    let link = big.headers()["link"].to_str().unwrap().to_string();
    assert!(
        link.contains("pageSize=1000&page=2>; rel=\"next\""),
        "{link}"
    );
    assert_eq!(big.json::<Vec<Value>>().unwrap().len(), MAX_PAGE_SIZE);

    let last = r.get("company/companies?pageSize=1000&page=2");
    assert_eq!(
        link_rels(&last),
        ["first", "prev", "last"],
        "no next on the last page"
    );
    assert_eq!(last.json::<Vec<Value>>().unwrap().len(), total - 1000);
    let past: Vec<Value> = r
        .get("company/companies?pageSize=1000&page=3")
        .json()
        .unwrap();
    assert!(past.is_empty());
}

#[test]
fn forward_only_paging_follows_page_id_and_refuses_order_by() {
    let r = rig_with(&Msp::generated(10, 60, 0));
    let mut url = r.url("company/companies?pageSize=25");
    let mut seen = Vec::new();
    loop {
        let resp = r
            .authed(r.http.get(&url))
            .header("pagination-type", "forward-only")
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200);
        let link = resp.headers()["link"].to_str().unwrap().to_string();
        let page: Vec<Value> = resp.json().unwrap();
        seen.extend(page.iter().map(|c| c["id"].as_i64().unwrap()));
        if link.is_empty() {
            break;
        }
        assert!(link.contains("pageId="), "{link}");
        url = link
            .trim_start_matches('<')
            .split('>')
            .next()
            .unwrap()
            .to_string();
    }
    assert_eq!(seen.len(), 61);
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "ordered by id, no repeats"
    );
    let refused = r
        .authed(r.http.get(r.url("company/companies?orderBy=name%20asc")))
        .header("pagination-type", "forward-only")
        .send()
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[test]
fn conditions_filter_and_parse_errors_are_400() {
    let r = rig();
    let hits: Vec<Value> = r
        .get("company/companies?conditions=name%3D%22City+Power+%26+Light%22")
        .json()
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["name"], "City Power & Light");
    // The same condition with an unencoded ampersand splits the query: refused.
    let broken = r.get("company/companies?conditions=name=%22City+Power+&+Light%22");
    assert_eq!(broken.status(), 400);
    let body: Value = broken.json().unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("conditions"),
        "{body}"
    );
    let unquoted = r.get("company/companies?conditions=name%3DContoso");
    assert_eq!(unquoted.status(), 400);
    let unknown = r.get("company/companies?conditions=nmae%3D%22x%22");
    assert_eq!(unknown.status(), 400);
    let inactive: Vec<Value> = r
        .get("company/companies?pageSize=1000&conditions=status%2Fname%3D%22Inactive%22%20or%20deletedFlag%3DTrue")
        .json()
        .unwrap();
    assert_eq!(inactive.len(), 1);
    assert_eq!(inactive[0]["name"], "Old Mill Bakery");
}

#[test]
fn fields_give_partial_responses_and_records_carry_info() {
    let r = rig();
    let page: Vec<Value> = r
        .get("company/companies?fields=id,name,status/name&pageSize=3")
        .json()
        .unwrap();
    assert_eq!(page[0]["status"], json!({"name": "Active"}));
    assert!(page[0].get("identifier").is_none());
    let full: Vec<Value> = r.get("company/companies?pageSize=1").json().unwrap();
    assert!(full[0]["_info"]["lastUpdated"].is_string());
    assert!(full[0]["id"].as_i64().unwrap() <= i32::MAX as i64);
    assert!(full[0]["identifier"].is_string());
}

#[test]
fn boards_have_their_own_statuses() {
    let r = rig();
    let boards: Vec<Value> = r.get("service/boards").json().unwrap();
    assert!(boards.iter().any(|b| b["name"] == SANDBOX_BOARD));
    assert!(boards.iter().any(|b| b["inactiveFlag"] == true));
    let desk = r.emu.board_id("Service Desk").unwrap();
    let a = r.emu.board_statuses(desk);
    let b = r.emu.board_statuses(r.board());
    assert!(
        a.iter().all(|s| b.iter().all(|t| t.0 != s.0)),
        "ids are distinct per board"
    );
    assert!(b.iter().any(|s| s.2), "a closed status");
    let statuses: Vec<Value> = r
        .get(&format!("service/boards/{}/statuses", r.board()))
        .json()
        .unwrap();
    assert!(statuses.iter().any(|s| s["closedStatus"] == true));
    let missing = r.get("service/boards/999/statuses");
    assert_eq!(missing.status(), 404);
}

#[test]
fn create_validates_summary_company_status_and_enums() {
    let r = rig();
    let company = r.emu.company_id("Contoso Ltd").unwrap();
    let board = r.board();
    let long = r.post(
        "service/tickets",
        &json!({"summary": "x".repeat(101), "board": {"id": board}, "company": {"id": company}}),
    );
    assert_eq!(long.status(), 400);
    let body: Value = long.json().unwrap();
    assert_eq!(body["errors"][0]["code"], "MaxLengthField");
    assert_eq!(body["errors"][0]["field"], "summary");

    let foreign = r.status(r.emu.board_id("Service Desk").unwrap(), "In Progress");
    let wrong = r.post(
        "service/tickets",
        &json!({"summary": "s", "board": {"id": board}, "company": {"id": company}, "status": {"id": foreign}}),
    );
    assert_eq!(wrong.status(), 400);
    let body: Value = wrong.json().unwrap();
    assert_eq!(body["code"], "InvalidObject");
    assert_eq!(body["errors"][0]["code"], "NotFound");
    assert_eq!(body["errors"][0]["field"], "status/id");

    let nobody = r.post(
        "service/tickets",
        &json!({"summary": "s", "board": {"id": board}, "company": {"id": 99_999}}),
    );
    assert_eq!(nobody.status(), 400);
    let sev = r.post(
        "service/tickets",
        &json!({"summary": "s", "board": {"id": board}, "company": {"id": company}, "severity": "Critical"}),
    );
    assert_eq!(sev.status(), 400);

    let ok = r.post(
        "service/tickets",
        &json!({"summary": "s", "board": {"name": SANDBOX_BOARD}, "company": {"identifier": "ContosoLtd"},
                "severity": "High", "impact": "Low", "initialDescription": "secret body"}),
    );
    assert_eq!(ok.status(), 201);
    let t: Value = ok.json().unwrap();
    assert_eq!(t["status"]["name"], "New", "the board's default status");
    let read: Value = r
        .get(&format!("service/tickets/{}", t["id"]))
        .json()
        .unwrap();
    assert!(read.get("initialDescription").is_none(), "write-only");
    assert_eq!(
        r.emu.description(t["id"].as_i64().unwrap()).unwrap(),
        "secret body"
    );
}

#[test]
fn errors_null_fault_drops_field_errors() {
    let r = rig();
    r.emu.fault_set().set("errors-null", true);
    let company = r.emu.company_id("Contoso Ltd").unwrap();
    let resp = r.post(
        "service/tickets",
        &json!({"summary": "x".repeat(101), "board": {"id": r.board()}, "company": {"id": company}}),
    );
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().unwrap();
    assert!(body["errors"].is_null());
    assert_eq!(body["code"], "InvalidObject");
}

#[test]
fn patch_rules_arrays_case_sensitive_paths_and_false_200() {
    let r = rig();
    let t = r.new_ticket();
    let id = t["id"].as_i64().unwrap();
    let path = format!("service/tickets/{id}");
    let in_progress = r.status(r.board(), "In Progress");
    let resolved = r.status(r.board(), "Resolved");

    let bare = r.patch(
        &path,
        &json!({"op": "replace", "path": "status", "value": {"id": in_progress}}),
    );
    assert_eq!(bare.status(), 400, "a bare object is not a patch document");
    let cased = r.patch(
        &path,
        &json!([{"op": "replace", "path": "Status", "value": {"id": in_progress}}]),
    );
    assert_eq!(cased.status(), 400, "paths are case-sensitive");

    let by_int = r.patch(
        &path,
        &json!([{"op": "replace", "path": "status/id", "value": in_progress}]),
    );
    assert_eq!(by_int.status(), 200);
    assert_eq!(by_int.json::<Value>().unwrap()["status"]["id"], in_progress);

    // The documented false 200: a sub-path is acknowledged and ignored.
    let other = r.emu.company_id("Fabrikam Inc").unwrap();
    let sub = r.patch(
        &path,
        &json!([{"op": "replace", "path": "company/identifier", "value": "FabrikamInc"}]),
    );
    assert_eq!(sub.status(), 200);
    let read: Value = r.get(&path).json().unwrap();
    assert_ne!(read["company"]["id"], other);

    // Closing sets closedFlag and closedDate.
    let close = r.patch(
        &path,
        &json!([{"op": "replace", "path": "status", "value": {"id": resolved}}]),
    );
    assert_eq!(close.status(), 200);
    let read: Value = r.get(&path).json().unwrap();
    assert_eq!(read["closedFlag"], true);
    assert!(read["closedDate"].is_string());

    // strict-patch: 200 with the change in the answer, nothing stored.
    r.emu.fault_set().set("strict-patch", true);
    let lie = r.patch(
        &path,
        &json!([{"op": "replace", "path": "status", "value": {"id": in_progress}}]),
    );
    assert_eq!(lie.status(), 200);
    assert_eq!(lie.json::<Value>().unwrap()["status"]["id"], in_progress);
    let read: Value = r.get(&path).json().unwrap();
    assert_eq!(read["status"]["id"], resolved);
}

#[test]
fn notes_are_created_and_newlines_collapse_under_the_fault() {
    let r = rig();
    let id = r.new_ticket()["id"].as_i64().unwrap();
    let path = format!("service/tickets/{id}/notes");
    let no_flag = r.post(&path, &json!({"text": "x"}));
    assert_eq!(no_flag.status(), 400);
    let ok = r.post(
        &path,
        &json!({"text": "a\nb", "internalAnalysisFlag": true, "processNotifications": false}),
    );
    assert_eq!(ok.status(), 201);
    assert_eq!(ok.json::<Value>().unwrap()["text"], "a\nb");
    r.emu.fault_set().set("newline-collapse", true);
    let collapsed: Value = r
        .post(
            &path,
            &json!({"text": "a\nb", "internalAnalysisFlag": true}),
        )
        .json()
        .unwrap();
    assert_eq!(collapsed["text"], "a b");
    let t = r.emu.ticket(id).unwrap();
    assert_eq!(t.notes.len(), 2);
    assert!(t.notes[0].private && !t.notes[0].emailed);
}

#[test]
fn rate_limit_answers_429_with_retry_after_and_the_other_body_shape() {
    let r = rig();
    r.emu.fault_set().set("rate-limit", true);
    let mut limited = None;
    for _ in 0..=FAULT_RATE_MAX {
        let resp = r.get("system/info");
        if resp.status() == 429 {
            limited = Some(resp);
            break;
        }
    }
    let resp = limited.expect("429 within the window");
    let wait: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait));
    let body: Value = resp.json().unwrap();
    assert_eq!(body["error"], "ConnectWiseAPI");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Too many requests.")
    );
    assert!(body.get("code").is_none());
}

#[test]
fn drop_create_response_stores_but_answers_504() {
    let r = rig();
    r.emu.fault_set().set("drop-create-response", true);
    let company = r.emu.company_id("Contoso Ltd").unwrap();
    let resp = r.post(
        "service/tickets",
        &json!({"summary": "s", "board": {"id": r.board()}, "company": {"id": company}, "externalXRef": "psa-link:huntress:5"}),
    );
    assert_eq!(resp.status(), 504);
    let tickets = r.emu.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].marker.as_deref(), Some("psa-link:huntress:5"));
}

#[test]
fn delete_answers_204_then_404() {
    let r = rig();
    let id = r.new_ticket()["id"].as_i64().unwrap();
    let del = |rig: &Rig| {
        rig.authed(rig.http.delete(rig.url(&format!("service/tickets/{id}"))))
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(del(&r), 204);
    assert_eq!(del(&r), 404);
}
