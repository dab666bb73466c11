//! The emulator's rules, checked with a plain HTTP client (no psa-link code in the way).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::sandbox::server::{RunningServer, ServerOptions};

struct Fixture {
    emu: Arc<HaloEmulator>,
    server: RunningServer,
    http: reqwest::blocking::Client,
}

struct Answer {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

impl Fixture {
    fn new() -> Fixture {
        Fixture::with(HaloOptions::default())
    }

    fn with(options: HaloOptions) -> Fixture {
        let emu = Arc::new(HaloEmulator::new(&Msp::standard(), options));
        let server = RunningServer::start(emu.clone(), ServerOptions::default()).unwrap();
        Fixture {
            emu,
            server,
            http: reqwest::blocking::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    fn answer(resp: reqwest::blocking::Response) -> Answer {
        let header = |n: &str| {
            resp.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Answer {
            status: resp.status().as_u16(),
            content_type: header("content-type").unwrap_or_default(),
            retry_after: header("retry-after"),
            text: resp.text().unwrap(),
        }
    }

    fn token_with(&self, form: &[(&str, &str)], query: &str) -> Answer {
        Self::answer(
            self.http
                .post(self.url(&format!("/auth/token{query}")))
                .form(form)
                .send()
                .unwrap(),
        )
    }

    fn token(&self) -> String {
        let a = self.token_with(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("scope", "all"),
            ],
            "",
        );
        assert_eq!(a.status, 200, "{}", a.text);
        a.json()["access_token"].as_str().unwrap().to_string()
    }

    fn get(&self, path: &str) -> Answer {
        let token = self.token();
        Self::answer(
            self.http
                .get(self.url(path))
                .bearer_auth(token)
                .send()
                .unwrap(),
        )
    }

    fn post(&self, path: &str, body: &Value) -> Answer {
        let token = self.token();
        Self::answer(
            self.http
                .post(self.url(path))
                .bearer_auth(token)
                .json(body)
                .send()
                .unwrap(),
        )
    }

    fn ticket_body(&self, client: &str) -> Value {
        json!({
            "summary": "HIGH - Incident on CON-WS02 (Contoso Ltd)",
            "details_html": "Body<br>psa-link:huntress:1",
            "client_id": self.emu.company_id(client).unwrap(),
            "tickettype_id": HUNTRESS_TYPE,
            "third_party_id_string": "psa-link:huntress:1",
        })
    }
}

#[test]
fn token_endpoint_takes_only_form_encoded_client_credentials() {
    let f = Fixture::new();
    let json_body = Fixture::answer(
        f.http
            .post(f.url("/auth/token"))
            .json(&json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}))
            .send()
            .unwrap(),
    );
    assert_eq!(json_body.status, 400);
    assert_eq!(json_body.json()["error"], "invalid_request");

    let wrong = f.token_with(
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "nope"),
        ],
        "",
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json(), json!({"error": "invalid_client"}));

    let ok = f.token_with(
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ],
        "",
    );
    let body = ok.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "all");
}

#[test]
fn hosted_mode_requires_the_tenant_on_the_token_url() {
    let f = Fixture::new();
    f.server.set_fault("hosted-tenant", true).unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    assert_eq!(f.token_with(&form, "").status, 401);
    assert_eq!(f.token_with(&form, "?tenant=elsewhere").status, 401);
    assert_eq!(
        f.token_with(&form, &format!("?tenant={TENANT}")).status,
        200
    );
    // authinfo is read before any token exists.
    let info = Fixture::answer(f.http.get(f.url("/api/authinfo")).send().unwrap()).json();
    assert_eq!(info["tenant_id"], TENANT);
    assert_eq!(info["auth_url"], format!("{}/auth", f.server.base_url()));
}

#[test]
fn expired_and_unknown_bearers_get_401() {
    let f = Fixture::new();
    f.server.set_fault("short-token", true).unwrap();
    let token = f.token();
    let fresh = f
        .http
        .get(f.url("/api/TicketType"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(fresh.status(), 200);
    std::thread::sleep(Duration::from_millis(1100));
    let stale = f
        .http
        .get(f.url("/api/TicketType"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(stale.status(), 401);
    let unknown = f
        .http
        .get(f.url("/api/TicketType"))
        .bearer_auth("made-up")
        .send()
        .unwrap();
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        f.http
            .get(f.url("/api/TicketType"))
            .send()
            .unwrap()
            .status(),
        401
    );
}

#[test]
fn scopes_decide_which_routes_answer() {
    let f = Fixture::new();
    f.emu
        .set_granted_scopes(&["read:customers", "read:tickets"]);
    let refused = f.token_with(
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("scope", "all"),
        ],
        "",
    );
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["error"], "invalid_scope");
    let token = f
        .token_with(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("scope", "read:customers read:tickets"),
            ],
            "",
        )
        .json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let get = |p: &str| {
        f.http
            .get(f.url(p))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(get("/api/Client"), 200);
    assert_eq!(get("/api/Tickets"), 200);
    let post = f
        .http
        .post(f.url("/api/Tickets"))
        .bearer_auth(&token)
        .json(&json!([f.ticket_body("Contoso Ltd")]))
        .send()
        .unwrap();
    assert_eq!(post.status(), 403, "edit:tickets is needed to write");
}

#[test]
fn paths_and_query_keys_are_case_insensitive() {
    let f = Fixture::new();
    for path in ["/api/Client", "/api/client", "/API/CLIENT"] {
        let a = f.get(&format!("{path}?PageInate=true&Page_Size=3&page_no=1"));
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.json()["clients"].as_array().unwrap().len(), 3, "{path}");
    }
    assert_eq!(f.get("/api/tickettype").status, 200);
}

#[test]
fn post_bodies_must_be_arrays_and_one_element_answers_one_object() {
    let f = Fixture::new();
    let bare = f.post("/api/Tickets", &f.ticket_body("Contoso Ltd"));
    assert_eq!(bare.status, 400);
    assert!(
        bare.json()["errors"]["$"][0]
            .as_str()
            .unwrap()
            .contains("List`1")
    );

    let form = Fixture::answer(
        f.http
            .post(f.url("/api/Tickets"))
            .bearer_auth(f.token())
            .form(&[("summary", "x")])
            .send()
            .unwrap(),
    );
    assert_eq!(form.status, 415, "the API takes JSON only");

    let one = f.post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]));
    assert_eq!(one.status, 201);
    let created = one.json();
    assert!(created.is_object());
    assert_eq!(created["third_party_id_string"], "psa-link:huntress:1");

    let two = f.post(
        "/api/Tickets",
        &json!([f.ticket_body("Contoso Ltd"), f.ticket_body("Fabrikam Inc")]),
    );
    assert_eq!(two.status, 201);
    assert_eq!(two.json().as_array().unwrap().len(), 2);
}

#[test]
fn an_update_changes_only_the_supplied_fields() {
    let f = Fixture::new();
    let created = f
        .post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
        .json();
    let id = created["id"].as_i64().unwrap();
    let in_progress = f.emu.status_id("In Progress").unwrap();
    let updated = f
        .post(
            "/api/Tickets",
            &json!([{"id": id, "status_id": in_progress}]),
        )
        .json();
    assert_eq!(updated["status_id"], in_progress);
    assert_eq!(updated["summary"], created["summary"]);
    assert_eq!(updated["priority_id"], created["priority_id"]);
    assert_eq!(updated["client_id"], created["client_id"]);
    assert_eq!(
        f.post("/api/Tickets", &json!([{"id": 999_999, "status_id": 2}]))
            .status,
        404
    );
}

#[test]
fn lists_use_envelopes_and_lookups_are_bare_arrays() {
    let f = Fixture::new();
    for (path, key) in [
        ("/api/Client", "clients"),
        ("/api/Site", "sites"),
        ("/api/Users", "users"),
        ("/api/Tickets", "tickets"),
        ("/api/Actions", "actions"),
    ] {
        let body = f.get(path).json();
        assert!(body["record_count"].is_number(), "{path}");
        assert!(body[key].is_array(), "{path}");
        assert!(body.get("page_no").is_none(), "{path} unpaged");
    }
    for path in [
        "/api/Status",
        "/api/TicketType",
        "/api/Priority",
        "/api/Outcome",
        "/api/Agent",
    ] {
        assert!(f.get(path).json().is_array(), "{path}");
    }
    let id = f.emu.company_id("Contoso Ltd").unwrap();
    let one = f.get(&format!("/api/Client/{id}")).json();
    assert_eq!(one["name"], "Contoso Ltd");
    assert_eq!(f.get("/api/Client/424242").status, 404);
}

#[test]
fn paging_needs_pageinate_spelled_exactly() {
    let f = Fixture::new();
    let all = f.get("/api/Client?includeinactive=true").json();
    let total = all["record_count"].as_u64().unwrap();
    assert_eq!(all["clients"].as_array().unwrap().len() as u64, total);

    let page2 = f
        .get("/api/Client?pageinate=true&page_size=10&page_no=2&includeinactive=true")
        .json();
    assert_eq!(page2["page_no"], 2);
    assert_eq!(page2["page_size"], 10);
    assert_eq!(page2["record_count"], total);
    assert_eq!(page2["clients"].as_array().unwrap().len(), 10);
    assert_ne!(page2["clients"][0], all["clients"][0]);

    let past = f
        .get("/api/Client?pageinate=true&page_size=10&page_no=99")
        .json();
    assert_eq!(past["clients"].as_array().unwrap().len(), 0);
    assert!(past["record_count"].as_u64().unwrap() > 0);

    let typo = f
        .get("/api/Client?paginate=true&page_size=10&page_no=2&includeinactive=true")
        .json();
    assert!(
        typo.get("page_no").is_none(),
        "paginate is not Halo's spelling"
    );
    assert_eq!(typo["clients"].as_array().unwrap().len() as u64, total);

    let counted = f.get("/api/Client?count=4").json();
    assert_eq!(counted["clients"].as_array().unwrap().len(), 4);
}

#[test]
fn ticket_pages_are_capped_at_100_unless_switched_off() {
    let f = Fixture::with(HaloOptions {
        old_tickets: 130,
        ..HaloOptions::default()
    });
    let capped = f
        .get("/api/Tickets?pageinate=true&page_size=1000&page_no=1")
        .json();
    assert_eq!(capped["page_size"], 100);
    assert_eq!(capped["tickets"].as_array().unwrap().len(), 100);
    assert_eq!(capped["record_count"], 130);
    assert_eq!(capped["include_children"], false);
    f.emu.set_ticket_page_cap(None);
    let uncapped = f
        .get("/api/Tickets?pageinate=true&page_size=1000&page_no=1")
        .json();
    assert_eq!(uncapped["tickets"].as_array().unwrap().len(), 130);
}

#[test]
fn validation_errors_use_halos_messages() {
    let f = Fixture::new();
    let mut body = f.ticket_body("Contoso Ltd");
    body["client_id"] = json!(987_654);
    let bad_client = f.post("/api/Tickets", &json!([body]));
    assert_eq!(bad_client.status, 400);
    assert_eq!(
        bad_client.json()["Message"],
        "Please select a valid Client/Site/User"
    );
    assert_eq!(bad_client.json()["ClassName"], "System.Exception");

    let mut body = f.ticket_body("Contoso Ltd");
    body["site_id"] = json!(-5);
    assert_eq!(f.post("/api/Tickets", &json!([body])).status, 400);

    let mut body = f.ticket_body("Contoso Ltd");
    body["priority_id"] = json!(2); // a Standard SLA priority, not the Security SLA's
    let wrong_sla = f.post("/api/Tickets", &json!([body]));
    assert_eq!(wrong_sla.status, 400);
    assert!(
        wrong_sla.json()["Message"]
            .as_str()
            .unwrap()
            .contains("not valid for the SLA")
    );

    let mut body = f.ticket_body("Contoso Ltd");
    body["priority_id"] = json!(12.0);
    let double = f.post("/api/Tickets", &json!([body]));
    assert_eq!(double.status, 400);
    assert!(double.json()["errors"]["[0].priority_id"].is_array());

    let id = f
        .post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
        .json()["id"]
        .as_i64()
        .unwrap();
    let no_outcome = f.post("/api/Actions", &json!([{"ticket_id": id, "note": "x"}]));
    assert_eq!(no_outcome.status, 400);
    assert_eq!(
        no_outcome.json()["Message"],
        "An Outcome must be entered for this Action"
    );
    let no_ticket = f.post(
        "/api/Actions",
        &json!([{"outcome": "Private Note", "note": "x"}]),
    );
    assert_eq!(no_ticket.status, 400);
    let unknown = f.post(
        "/api/Actions",
        &json!([{"ticket_id": 777_777, "outcome": "Private Note"}]),
    );
    assert_eq!(unknown.status, 404);
    assert_eq!(f.get("/api/Tickets/777777").status, 404);
}

#[test]
fn plain_error_style_answers_text() {
    let f = Fixture::new();
    f.server.set_fault("plain-errors", true).unwrap();
    let mut body = f.ticket_body("Contoso Ltd");
    body["client_id"] = json!(987_654);
    let a = f.post("/api/Tickets", &json!([body]));
    assert_eq!(a.status, 400);
    assert!(a.content_type.starts_with("text/plain"));
    assert_eq!(a.text, "Please select a valid Client/Site/User");
}

#[test]
fn number_quirks_double_ids_and_uuid_priorities() {
    let f = Fixture::new();
    f.server.set_fault("double-ids", true).unwrap();
    let sites = f.get("/api/Site").json();
    assert!(sites["sites"][0]["client_id"].is_f64());
    let users = f.get("/api/Users").json();
    assert!(users["users"][0]["site_id"].is_f64());
    let priorities = f.get(&format!("/api/Priority?slaid={SECURITY_SLA}")).json();
    let first = &priorities[0];
    assert!(first["id"].as_str().unwrap().contains('-'), "uuid id");
    assert_eq!(first["priorityid"], 11);
    assert!(
        priorities
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["slaid"] == SECURITY_SLA)
    );
}

#[test]
fn rate_limit_answers_429_with_halos_message_and_optional_retry_after() {
    let f = Fixture::new();
    let token = f.token();
    f.server.set_fault("rate-limit", true).unwrap();
    let hit = || {
        Fixture::answer(
            f.http
                .get(f.url("/api/TicketType"))
                .bearer_auth(&token)
                .send()
                .unwrap(),
        )
    };
    let answers: Vec<Answer> = (0..8).map(|_| hit()).collect();
    let limited = answers
        .iter()
        .find(|a| a.status == 429)
        .expect("the window fills");
    assert!(
        limited
            .text
            .contains("Rate Limit Reached - 6 Requests per rolling 2 second window"),
        "the message states the window the emulator really uses: {}",
        limited.text
    );
    let wait: u64 = limited.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait));
    f.server.set_fault("no-retry-after", true).unwrap();
    let bare = hit();
    assert_eq!(bare.status, 429);
    assert!(bare.retry_after.is_none());
}

#[test]
fn closing_sets_hasbeenclosed_and_status_ids_are_configurable() {
    let f = Fixture::with(HaloOptions {
        status_id_offset: 100,
        ..HaloOptions::default()
    });
    let closed = f.emu.status_id("Closed").unwrap();
    assert_eq!(closed, 109);
    let statuses = f
        .get(&format!("/api/Status?tickettype_id={HUNTRESS_TYPE}"))
        .json();
    let names: Vec<&str> = statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Remediation In Progress"));
    assert!(
        !names.contains(&"Change Approved"),
        "scoped to another type"
    );
    let id = f
        .post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
        .json()["id"]
        .as_i64()
        .unwrap();
    let t = f
        .post("/api/Tickets", &json!([{"id": id, "status_id": closed}]))
        .json();
    assert_eq!(t["hasbeenclosed"], true);
    assert!(t["dateclosed"].is_string());
    let change_approved = f.emu.status_id("Change Approved").unwrap();
    assert_eq!(
        f.post(
            "/api/Tickets",
            &json!([{"id": id, "status_id": change_approved}])
        )
        .status,
        400
    );
}

#[test]
fn faults_reproduce_the_setup_guides_failures() {
    let f = Fixture::new();
    f.server.set_fault("mandatory-fields", true).unwrap();
    let mandatory = f.post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]));
    assert_eq!(mandatory.status, 400);
    assert_eq!(
        mandatory.text,
        "Category is mandatory\nImpact is mandatory\nUrgency is mandatory\n"
    );
    f.server.set_fault("mandatory-fields", false).unwrap();

    f.server.set_fault("no-general-user", true).unwrap();
    let no_user = f.post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]));
    assert_eq!(no_user.status, 400);
    assert!(
        no_user
            .text
            .contains("Please select a valid Client/Site/User")
    );
    f.server.set_fault("no-general-user", false).unwrap();

    f.server.set_fault("no-read-back", true).unwrap();
    let id = f
        .post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
        .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(f.get(&format!("/api/Tickets/{id}")).status, 401);
    f.server.set_fault("no-read-back", false).unwrap();
    assert_eq!(f.get(&format!("/api/Tickets/{id}")).status, 200);

    f.server.set_fault("no-edit", true).unwrap();
    assert_eq!(
        f.post("/api/Tickets", &json!([{"id": id, "status_id": 2}]))
            .status,
        403
    );
    f.server.set_fault("no-edit", false).unwrap();

    f.server.set_fault("drop-create-response", true).unwrap();
    let before = f.emu.api_tickets().len();
    let lost = f.post("/api/Tickets", &json!([f.ticket_body("Fabrikam Inc")]));
    assert_eq!(lost.status, 504);
    assert_eq!(f.emu.api_tickets().len(), before + 1, "stored anyway");
}

#[test]
fn actions_are_recorded_with_outcome_and_privacy() {
    let f = Fixture::new();
    let id = f
        .post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
        .json()["id"]
        .as_i64()
        .unwrap();
    let a = f.post(
        "/api/Actions",
        &json!([{"ticket_id": id, "outcome_id": 7, "note_html": "line 1<br>line &amp; 2", "hiddenfromuser": true}]),
    );
    assert_eq!(a.status, 201);
    assert_eq!(a.json()["outcome"], "Private Note");
    let listed = f.get(&format!("/api/Actions?ticket_id={id}")).json();
    assert_eq!(listed["record_count"], 1);
    let t = f.emu.ticket(id).unwrap();
    assert_eq!(t.notes.len(), 1);
    assert_eq!(t.notes[0].text, "line 1\nline & 2");
    assert!(t.notes[0].private && !t.notes[0].emailed);
    assert_eq!(t.marker.as_deref(), Some("psa-link:huntress:1"));
    assert_eq!(t.company_name, "Contoso Ltd");
    let listed: Vec<i64> = f.emu.tickets().iter().map(|t| t.id).collect();
    assert_eq!(
        listed,
        [id],
        "only API-created tickets, not the seeded history"
    );
}

#[test]
fn seed_gives_every_client_a_main_site_and_general_user() {
    let f = Fixture::new();
    let clients = f.get("/api/Client?includeinactive=true").json();
    let users = f.get("/api/Users").json();
    for c in clients["clients"].as_array().unwrap() {
        assert!(c["main_site_id"].as_i64().unwrap() > 0);
        assert!(
            users["users"]
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["client_id"] == c["id"] && u["name"] == "General User"),
            "{}",
            c["name"]
        );
    }
    assert!(
        clients["clients"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["inactive"] == true)
    );
    assert_eq!(f.emu.status_names()[0], "New");
    assert_eq!(
        f.emu.priority_names(),
        ["Critical", "High", "Medium", "Low"]
    );
    let args = f.emu.add_args("http://127.0.0.1:1");
    assert_eq!(args[0], "halopsa");
    assert!(
        args.windows(2)
            .any(|w| w == ["--ticket-type", "Huntress Incident"])
    );
    assert!(
        args.windows(2)
            .any(|w| w == ["--default-client", "Northwind MSP (Internal)"])
    );
}

#[test]
fn a_ticket_brings_its_details_only_with_includedetails() {
    let f = Fixture::new();
    let created = f.post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]));
    let id = created.json()["id"].as_i64().unwrap();
    let plain = f.get(&format!("/api/Tickets/{id}")).json();
    assert_eq!(plain["id"], id);
    assert!(plain.get("details").is_none() && plain.get("third_party_id_string").is_none());
    let full = f
        .get(&format!("/api/Tickets/{id}?includedetails=true"))
        .json();
    assert!(full.get("details").is_some() && full.get("third_party_id_string").is_some());
}

#[test]
fn updates_can_answer_an_empty_201() {
    let f = Fixture::new();
    let id = f
        .post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
        .json()["id"]
        .as_i64()
        .unwrap();
    f.server.set_fault("update-no-echo", true).unwrap();
    let answer = f.post("/api/Tickets", &json!([{"id": id, "status_id": 2}]));
    assert_eq!(answer.status, 201);
    assert!(answer.text.trim().is_empty());
    assert_eq!(
        f.emu.raw_ticket(id).unwrap()["status_id"],
        2,
        "still applied"
    );
    // A create still answers with the ticket.
    let created = f.post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]));
    assert!(created.json()["id"].as_i64().is_some());
}

#[test]
fn missing_ticket_rights_refuse_ticket_lists_and_creates() {
    let f = Fixture::new();
    f.server.set_fault("missing-permission", true).unwrap();
    assert_eq!(
        f.post("/api/Tickets", &json!([f.ticket_body("Contoso Ltd")]))
            .status,
        403
    );
    assert_eq!(f.get("/api/Tickets?pageinate=true").status, 403);
    assert_eq!(
        f.get("/api/Client").status,
        200,
        "customers are still readable"
    );
}

#[test]
fn an_ip_filter_refuses_tokens_and_api_calls() {
    let f = Fixture::new();
    let token = f.token();
    f.server.set_fault("ip-filter", true).unwrap();
    let refused = f.token_with(
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ],
        "",
    );
    assert_eq!(refused.status, 403);
    assert!(refused.text.contains("IP address"));
    // A token issued before the filter applied is refused too: the filter is by address.
    let api = f
        .http
        .get(f.url("/api/Client"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(api.status().as_u16(), 403);
}
