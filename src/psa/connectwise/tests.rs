//! The client against the real ConnectWise emulator, in process.

use std::sync::Arc;

use super::*;
use crate::http::HttpOptions;
use crate::psa::incident_marker;
use crate::sandbox::PsaEmulator;
use crate::sandbox::connectwise::{
    ConnectWiseEmulator, SANDBOX_BOARD, SANDBOX_CLIENT_ID, SANDBOX_COMPANY, SANDBOX_PRIVATE_KEY,
    SANDBOX_PUBLIC_KEY, SANDBOX_SITE,
};
use crate::sandbox::seed::Msp;
use crate::sandbox::server::{Emulator, RunningServer, ServerOptions};
use crate::source::Severity;
use crate::store::Named;

struct Rig {
    emu: Arc<ConnectWiseEmulator>,
    server: RunningServer,
    http: Http,
    cw: ConnectWise,
}

fn settings(company: &str, client_id: &str) -> Settings {
    Settings::new(SANDBOX_SITE, company, SANDBOX_PUBLIC_KEY, client_id, None).unwrap()
}

fn client(server: &RunningServer, http: &Http, settings: Settings, key: &str) -> ConnectWise {
    ConnectWise::open(settings, Some(&server.base_url()), Secret::new(key), http).unwrap()
}

fn rig_with(msp: &Msp) -> Rig {
    let emu = Arc::new(ConnectWiseEmulator::new(msp));
    let server = RunningServer::start(emu.clone(), ServerOptions::default()).unwrap();
    let http = Http::new(HttpOptions::default()).unwrap();
    let cw = client(
        &server,
        &http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        SANDBOX_PRIVATE_KEY,
    )
    .with_board(emu.board_id(SANDBOX_BOARD));
    Rig {
        emu,
        server,
        http,
        cw,
    }
}

fn rig() -> Rig {
    rig_with(&Msp::standard())
}

impl Rig {
    fn fault(&self, name: &str) {
        crate::sandbox::server::set_fault(self.emu.as_ref() as &dyn Emulator, name, true).unwrap();
    }

    fn status(&self, board: &str, name: &str) -> String {
        let b = self.emu.board_id(board).unwrap();
        self.emu
            .board_statuses(b)
            .into_iter()
            .find(|s| s.1 == name)
            .unwrap()
            .0
            .to_string()
    }

    fn priority(&self, name: &str) -> String {
        self.emu
            .priority_list()
            .into_iter()
            .find(|p| p.1 == name)
            .unwrap()
            .0
            .to_string()
    }

    fn ticket_for(&self, company: &str, incident: i64) -> NewTicket {
        NewTicket {
            company_id: self.emu.company_id(company).unwrap(),
            title: format!("HIGH - Incident on PC01 ({company})"),
            body: "Huntress found a foothold.\nHost: PC01".into(),
            marker: incident_marker("huntress", incident),
            routing_id: None,
            status_id: Some(self.status(SANDBOX_BOARD, "New")),
            priority_id: Some(self.priority("Priority 2 - Quick Response")),
            severity: Some(Severity::High),
        }
    }

    fn create(&self, company: &str, incident: i64) -> i64 {
        self.cw
            .create_ticket(&self.ticket_for(company, incident))
            .unwrap()
    }

    /// Requests whose path contains `part` (case-insensitive).
    fn hits(&self, method: &str, part: &str) -> usize {
        self.server.count(method, part)
    }
}

fn shown(e: &ApiError) -> String {
    format!(
        "{e} | {} | {} | {:?}",
        e.fix.clone().unwrap_or_default(),
        e.body,
        e
    )
}

#[test]
fn codebase_is_looked_up_once_and_joined_with_one_slash() {
    let r = rig();
    let root = r.cw.api_root().unwrap();
    assert_eq!(
        root.as_str(),
        format!("{}/v2025_1/apis/3.0", r.server.base_url())
    );
    r.cw.verify().unwrap();
    r.cw.verify().unwrap();
    assert_eq!(r.hits("GET", "/login/companyinfo/"), 1, "cached per client");
    let info = r
        .server
        .requests()
        .into_iter()
        .filter(|q| q.path.ends_with("/system/info"))
        .collect::<Vec<_>>();
    assert_eq!(info.len(), 2);
    assert!(
        info.iter()
            .all(|q| q.path == "/v2025_1/apis/3.0/system/info" && q.status == 200)
    );
}

#[test]
fn unusable_codebase_lookup_falls_back_to_v4_6_release() {
    let r = rig();
    // An unknown login company: the lookup answers 404, the API is still reachable through
    // the version router, and the credentials are what is wrong.
    let other = client(
        &r.server,
        &r.http,
        settings("elsewhere", SANDBOX_CLIENT_ID),
        SANDBOX_PRIVATE_KEY,
    );
    assert_eq!(
        other.api_root().unwrap().as_str(),
        format!("{}/v4_6_release/apis/3.0", r.server.base_url())
    );
    let e = other.verify().unwrap_err();
    assert_eq!(e.kind, ApiErrorKind::Auth);
    assert!(
        e.fix
            .clone()
            .unwrap()
            .contains("'elsewhere+NwSandboxPublicKey'")
    );
}

#[test]
fn unreachable_site_is_a_network_error_not_a_fallback() {
    let http = Http::new(HttpOptions::default()).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cw = ConnectWise::open(
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        Some(&format!("http://127.0.0.1:{port}")),
        Secret::new(SANDBOX_PRIVATE_KEY),
        &http,
    )
    .unwrap();
    let e = cw.verify().unwrap_err();
    assert_eq!(e.kind, ApiErrorKind::Network, "{e}");
}

/// A server that serves at most three records a page and links only the next page (no
/// `last`), to exercise the client's link-following path.
struct NextLinksOnly {
    faults: crate::sandbox::server::Faults,
}

impl Emulator for NextLinksOnly {
    fn name(&self) -> &'static str {
        "next-links-only"
    }
    fn handle(&self, req: &crate::sandbox::HttpRequest) -> crate::sandbox::HttpResponse {
        use crate::sandbox::HttpResponse;
        if req.path.starts_with("/login/companyinfo/") {
            return HttpResponse::json(200, &json!({"Codebase": "v2025_1/"}));
        }
        let page: u32 = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let from = (page - 1) * 3;
        let items: Vec<serde_json::Value> = (from..(from + 3).min(7))
            .map(|i| json!({"id": 500 + i, "name": format!("Company {i}")}))
            .collect();
        let mut resp = HttpResponse::json(200, &serde_json::Value::Array(items));
        if from + 3 < 7 {
            resp = resp.with_header(
                "Link",
                format!(
                    "<{}{}?pageSize=3&page={}>; rel=\"next\"",
                    req.origin,
                    req.path,
                    page + 1
                ),
            );
        }
        resp
    }
    fn faults(&self) -> &'static [crate::sandbox::FaultInfo] {
        &[]
    }
    fn fault_set(&self) -> &crate::sandbox::server::Faults {
        &self.faults
    }
}

#[test]
fn without_a_last_link_the_next_links_are_followed() {
    let server = RunningServer::start(
        Arc::new(NextLinksOnly {
            faults: Default::default(),
        }),
        ServerOptions::default(),
    )
    .unwrap();
    let http = Http::new(HttpOptions::default()).unwrap();
    let cw = client(
        &server,
        &http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        SANDBOX_PRIVATE_KEY,
    );
    let companies = cw.companies().unwrap();
    assert_eq!(companies.len(), 7);
    assert_eq!(server.count("GET", "/company/companies"), 3);
}

#[test]
fn refused_keys_are_auth_errors_whose_fix_names_the_keys_and_no_secret() {
    let r = rig();
    let wrong = "WrongPrivateKey-4711";
    let bad = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        wrong,
    );
    let e = bad.verify().unwrap_err();
    assert_eq!(e.kind, ApiErrorKind::Auth);
    assert_eq!(e.status, Some(401));
    let fix = e.fix.clone().unwrap();
    for needle in [
        "'northwind+NwSandboxPublicKey'",
        "PSA_LINK_CONNECTWISE_PRIVATE_KEY",
        "--company",
        "--public-key",
        "--client-id",
        CLIENT_ID_URL,
    ] {
        assert!(fix.contains(needle), "fix lacks {needle}: {fix}");
    }
    let text = shown(&e);
    assert!(!text.contains(wrong), "{text}");
    assert!(!text.contains(SANDBOX_PRIVATE_KEY), "{text}");
    assert!(text.contains("UserNotAuthenticated"), "{text}");

    let foreign = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, "00000000-0000-4000-8000-000000000000"),
        SANDBOX_PRIVATE_KEY,
    );
    let e = foreign.verify().unwrap_err();
    assert_eq!(e.kind, ApiErrorKind::Auth, "an unregistered clientId");
}

#[test]
fn cloud_404_on_bad_auth_is_an_auth_error_for_fixed_endpoints() {
    let r = rig();
    r.fault("cloud-auth-404");
    let bad = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        "WrongPrivateKey-4711",
    );
    for e in [bad.verify().unwrap_err(), bad.companies().unwrap_err()] {
        assert_eq!(e.status, Some(404));
        assert_eq!(e.kind, ApiErrorKind::Auth, "{e}");
        assert!(e.message.contains("404"), "{e}");
        assert!(e.fix.as_deref().unwrap().contains("--public-key"));
        assert_eq!(e.exit(), crate::error::Exit::Auth);
    }
    // A record that is gone stays "not found".
    let e = r.cw.ticket(999_999).unwrap_err();
    assert_eq!(e.kind, ApiErrorKind::NotFound);
}

#[test]
fn companies_span_pages_in_the_minimum_number_of_requests() {
    let r = rig_with(&Msp::generated(10, 2600, 0));
    let companies = r.cw.companies().unwrap();
    assert_eq!(companies.len(), 2601);
    let ids: BTreeSet<i64> = companies.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), 2601, "no page fetched twice");
    let pages: Vec<_> = r
        .server
        .requests()
        .into_iter()
        .filter(|q| q.path.ends_with("/company/companies"))
        .collect();
    assert_eq!(pages.len(), 3, "ceil(2601/1000) requests, no count call");
    assert!(
        pages.iter().all(|q| q.query.contains("pageSize=1000")),
        "{pages:?}"
    );
    assert_eq!(r.hits("GET", "/count"), 0);
    assert!(
        companies.iter().filter(|c| !c.active).count() >= 150,
        "inactive prospects flagged"
    );
}

#[test]
fn without_page_size_the_api_returns_only_25_companies() {
    let r = rig_with(&Msp::generated(10, 100, 0));
    let resp =
        r.cw.send(|api| api.get("company/companies"), Target::Fixed)
            .unwrap();
    let page: Vec<serde_json::Value> = resp.json().unwrap();
    assert_eq!(page.len(), 25, "76 of 101 companies would be lost");
    assert!(resp.header("link").unwrap().contains("rel=\"next\""));
    assert_eq!(r.cw.companies().unwrap().len(), 101);
}

#[test]
fn deleted_companies_are_gone_and_inactive_ones_listed_inactive() {
    let r = rig();
    let contoso = r.emu.company_id("Contoso Ltd").unwrap();
    r.emu.delete_company(contoso);
    let companies = r.cw.companies().unwrap();
    let find = |name: &str| companies.iter().find(|c| c.name == name);
    assert!(find("Contoso Ltd").is_none(), "deletedFlag: gone");
    assert!(!find("Old Mill Bakery").unwrap().active, "status Inactive");
    assert!(find("Able Moose Accounting").unwrap().active);
    assert_eq!(companies.len(), Msp::standard().companies.len() - 1);
}

#[test]
fn wildcards_in_conditions_are_percent_encoded() {
    let r = rig();
    let one = r.create("Contoso Ltd", 41);
    let conditions = format!("externalXRef like {}", wire::quote("psa-link:huntress:4*"));
    let hits: Vec<CwTicket> =
        r.cw.list(
            "service/tickets",
            &[("conditions", conditions)],
            Target::Fixed,
        )
        .unwrap();
    assert_eq!(hits.iter().map(|t| t.id).collect::<Vec<_>>(), vec![one]);
    let sent = r.server.requests().last().unwrap().query.clone();
    assert!(sent.contains("%2A"), "{sent}");
    assert!(!sent.contains('*'), "{sent}");
}

#[test]
fn conditions_survive_quotes_ampersands_brackets_plus_signs_and_stars() {
    let r = rig();
    let name = r#"Tom's "Best" [Shop] & Sons+Co 100% *"#;
    let id = r.emu.add_company(name, true);
    r.emu.add_company("Tom's Best Shop", true);
    let conditions = format!("name={}", wire::quote(name));
    let hits: Vec<CwCompany> =
        r.cw.list(
            "company/companies",
            &[("conditions", conditions)],
            Target::Fixed,
        )
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, id);
    let sent = r
        .server
        .requests()
        .into_iter()
        .rfind(|q| q.path.ends_with("/company/companies"))
        .unwrap()
        .query;
    // The guide's list: `&"'*%+` (and `[` written `[[]`).
    for encoded in [
        "%22",
        "%26",
        "%27",
        "%2A",
        "%5B%5B%5D",
        "%2B",
        "%25",
        "%5C%22",
    ] {
        assert!(sent.contains(encoded), "{encoded} missing from {sent}");
    }
}

#[test]
fn boards_skip_inactive_ones_and_statuses_are_per_board() {
    let r = rig();
    let boards = r.cw.routings().unwrap();
    let names: Vec<&str> = boards.iter().map(|b| b.name.as_str()).collect();
    assert!(names.contains(&SANDBOX_BOARD));
    assert!(
        !names.contains(&"Legacy Helpdesk"),
        "inactive board skipped"
    );
    let mine = r.cw.statuses(None).unwrap();
    let names: Vec<&str> = mine.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "New",
            "In Progress",
            "Remediation Approved",
            "Remediation Rejected",
            "Resolved",
            "Closed"
        ],
        "inactive status skipped"
    );
    assert_eq!(
        mine.iter().find(|s| s.name == "Resolved").unwrap().closed,
        Some(true)
    );
    assert_eq!(
        mine.iter().find(|s| s.name == "New").unwrap().closed,
        Some(false)
    );
    assert!(mine.iter().find(|s| s.name == "New").unwrap().default);
    let desk = r.emu.board_id("Service Desk").unwrap().to_string();
    let theirs = r.cw.statuses(Some(&desk)).unwrap();
    assert!(theirs.iter().all(|s| mine.iter().all(|m| m.id != s.id)));
    let priorities = r.cw.priorities(None).unwrap();
    assert_eq!(
        priorities[0].name, "Priority 1 - Emergency Response",
        "in sort order"
    );
    assert!(priorities.iter().any(|p| p.default));
}

#[test]
fn a_status_from_another_board_is_refused_with_the_valid_names() {
    for errors_null in [false, true] {
        let r = rig();
        if errors_null {
            r.fault("errors-null");
        }
        let mut t = r.ticket_for("Contoso Ltd", 1);
        t.status_id = Some(r.status("Service Desk", "Waiting on Customer"));
        let e = r.cw.create_ticket(&t).unwrap_err();
        assert_eq!(e.kind, ApiErrorKind::Rejected);
        assert_eq!(e.exit(), crate::error::Exit::Rejected);
        let fix = e.fix.clone().unwrap();
        assert!(
            fix.contains("'New', 'In Progress', 'Remediation Approved', 'Remediation Rejected', 'Resolved', 'Closed'"),
            "errors-null={errors_null}: {fix}"
        );
        assert!(r.emu.tickets().is_empty());

        let id = r.create("Contoso Ltd", 2);
        let change = TicketChange {
            status_id: Some(r.status("Service Desk", "Completed")),
            priority_id: None,
            severity: None,
        };
        let e = r.cw.update_ticket(id, &change).unwrap_err();
        assert!(
            e.fix.clone().unwrap().contains("'Remediation Approved'"),
            "errors-null={errors_null}"
        );
    }
}

#[test]
fn long_titles_are_shortened_to_100_keeping_severity_and_organization() {
    let r = rig();
    let mut t = r.ticket_for("Able Moose Accounting", 3);
    t.title = format!(
        "CRITICAL - Incident on {} (Able Moose Accounting)",
        "VERY-LONG-HOSTNAME-".repeat(8)
    );
    let id = r.cw.create_ticket(&t).unwrap();
    let stored = r.emu.ticket(id).unwrap();
    assert!(
        stored.title.encode_utf16().count() <= 100,
        "{}",
        stored.title
    );
    assert!(stored.title.starts_with("CRITICAL - Incident on VERY-LONG"));
    assert!(stored.title.ends_with("… (Able Moose Accounting)"));
}

#[test]
fn created_ticket_reads_back_with_company_status_priority_and_marker() {
    let r = rig();
    let id = r.create("Contoso Ltd", 90_001);
    let t = r.cw.ticket(id).unwrap();
    assert_eq!(t.id, id);
    assert_eq!(t.company_id, r.emu.company_id("Contoso Ltd"));
    assert_eq!(t.company_name.as_deref(), Some("Contoso Ltd"));
    assert_eq!(t.status_name.as_deref(), Some("New"));
    assert_eq!(
        t.priority_id,
        Some(r.priority("Priority 2 - Quick Response"))
    );
    assert_eq!(t.marker.as_deref(), Some("psa-link:huntress:90001"));
    assert!(!t.closed);
    let stored = r.emu.ticket(id).unwrap();
    assert!(stored.body.contains("Host: PC01"));
    assert!(
        stored.body.contains("psa-link:huntress:90001"),
        "marker also in the body"
    );
    assert_eq!(r.hits("POST", "/service/tickets"), 1);
}

#[test]
fn status_and_priority_changes_are_confirmed_by_a_re_read() {
    let r = rig();
    let id = r.create("Contoso Ltd", 4);
    r.server.clear_log();
    let change = TicketChange {
        status_id: Some(r.status(SANDBOX_BOARD, "Resolved")),
        priority_id: Some(r.priority("Priority 1 - Emergency Response")),
        severity: Some(Severity::Critical),
    };
    r.cw.update_ticket(id, &change).unwrap();
    assert_eq!(
        r.emu.severity_impact(id),
        Some(("High".into(), "High".into())),
        "a critical incident's ticket shows High, alongside the priority"
    );
    assert_eq!(
        r.hits("PATCH", &format!("/service/tickets/{id}")),
        1,
        "one patch for both"
    );
    assert_eq!(
        r.hits("GET", &format!("/service/tickets/{id}")),
        1,
        "re-read"
    );
    let t = r.cw.ticket(id).unwrap();
    assert!(t.closed, "a closed status closes the ticket");
    assert_eq!(t.status_name.as_deref(), Some("Resolved"));
    r.cw.update_ticket(id, &TicketChange::default()).unwrap();
    assert_eq!(
        r.hits("PATCH", "/service/tickets/"),
        1,
        "nothing to change, nothing sent"
    );
}

#[test]
fn a_false_200_that_applies_nothing_is_reported_with_a_fix() {
    let r = rig();
    let id = r.create("Contoso Ltd", 5);
    r.fault("strict-patch");
    let change = TicketChange {
        status_id: Some(r.status(SANDBOX_BOARD, "Resolved")),
        priority_id: None,
        severity: None,
    };
    let e = r.cw.update_ticket(id, &change).unwrap_err();
    assert_eq!(e.kind, ApiErrorKind::NotApplied);
    assert!(e.message.contains("did not apply"), "{e}");
    assert!(e.message.contains("'New'"), "{e}");
    assert!(e.fix.clone().unwrap().contains("status-map list"));
    assert_eq!(r.emu.ticket(id).unwrap().status, "New");
}

#[test]
fn multi_line_notes_survive_and_stay_private() {
    let r = rig();
    let id = r.create("Contoso Ltd", 6);
    let text = "Severity changed: HIGH -> CRITICAL\r\nHost: PC01\nIncident: psa-link:huntress:6";
    r.cw.add_note(
        id,
        &Note {
            text: text.into(),
            resolution: false,
        },
    )
    .unwrap();
    r.cw.add_note(
        id,
        &Note {
            text: "Resolved in Huntress.\nNo further action.".into(),
            resolution: true,
        },
    )
    .unwrap();
    let notes = r.emu.ticket(id).unwrap().notes;
    assert_eq!(
        notes[0].text,
        "Severity changed: HIGH -> CRITICAL\nHost: PC01\nIncident: psa-link:huntress:6"
    );
    assert!(notes.iter().all(|n| n.private && !n.emailed), "{notes:?}");
    assert_eq!(
        r.hits("PATCH", "/notes/"),
        0,
        "line breaks kept: no rewrite"
    );
}

#[test]
fn under_newline_collapse_notes_are_rewritten_once_then_sent_on_one_line() {
    let r = rig();
    let id = r.create("Contoso Ltd", 7);
    r.fault("newline-collapse");
    r.cw.add_note(
        id,
        &Note {
            text: "Line one\nLine two\n\nLine three".into(),
            resolution: false,
        },
    )
    .unwrap();
    r.cw.add_note(
        id,
        &Note {
            text: "Next\nnote".into(),
            resolution: false,
        },
    )
    .unwrap();
    let texts = r.emu.note_texts(id);
    assert_eq!(texts, ["Line one | Line two | Line three", "Next | note"]);
    assert_eq!(
        r.hits("PATCH", "/notes/"),
        1,
        "only the first note needed a rewrite"
    );
    // A description sent after that is single-line too.
    let id2 = r.create("Contoso Ltd", 8);
    let body = r.emu.description(id2).unwrap();
    assert!(
        body.contains("Huntress found a foothold. | Host: PC01"),
        "{body}"
    );
}

#[test]
fn find_marked_confirms_hits_and_ignores_look_alikes() {
    let r = rig();
    let one = r.create("Contoso Ltd", 11);
    let two = r.create("Fabrikam Inc", 12);
    // Another ticket whose reference differs only in case: ConnectWise's `=` ignores case.
    let mut decoy = r.ticket_for("Contoso Ltd", 13);
    decoy.marker = "PSA-LINK:HUNTRESS:11".into();
    r.cw.create_ticket(&decoy).unwrap();
    r.server.clear_log();
    let markers: Vec<String> = [11, 12, 99]
        .iter()
        .map(|i| incident_marker("huntress", *i))
        .collect();
    let found =
        r.cw.find_marked(&MarkerSearch {
            markers: &markers,
            created_since: None,
            routing_id: None,
        })
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found["psa-link:huntress:11"], one);
    assert_eq!(found["psa-link:huntress:12"], two);
    assert_eq!(r.server.requests().len(), 1, "one batch");
}

#[test]
fn find_marked_with_many_markers_keeps_urls_short_and_picks_the_cheaper_plan() {
    let r = rig();
    let mut created = HashMap::new();
    for i in 0..3 {
        created.insert(
            incident_marker("huntress", 1_000_000 + i),
            r.create("Contoso Ltd", 1_000_000 + i),
        );
    }
    let markers: Vec<String> = (0..300)
        .map(|i| incident_marker("huntress", 1_000_000 + i))
        .collect();
    let api = r.cw.api().unwrap();
    let wanted: BTreeSet<&str> = markers.iter().map(String::as_str).collect();
    let batches = r.cw.marker_batches(&api, &wanted);
    assert!(batches.len() > 3, "300 markers do not fit one URL");
    r.server.clear_log();
    let found =
        r.cw.find_marked(&MarkerSearch {
            markers: &markers,
            created_since: None,
            routing_id: None,
        })
        .unwrap();
    assert_eq!(found, created);
    let log = r.server.requests();
    assert_eq!(
        log.len(),
        2,
        "a count, then one scan page instead of {} batches",
        batches.len()
    );
    assert!(log[0].path.ends_with("/service/tickets/count"));
    // The scan stops at the oldest wanted creation when it is known.
    let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let since = |t| MarkerSearch {
        markers: &markers,
        created_since: Some(t),
        routing_id: None,
    };
    assert_eq!(r.cw.find_marked(&since(hour_ago)).unwrap(), created);
    let scan = r.server.requests().last().unwrap().query.clone();
    assert!(scan.contains("dateEntered"), "{scan}");
    let later = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    assert!(r.cw.find_marked(&since(later)).unwrap().is_empty());
    // Every batch URL respects the limit.
    for b in &batches {
        let len = format!("{}/service/tickets?", api.base()).len()
            + url::form_urlencoded::Serializer::new(String::new())
                .append_pair("pageSize", "1000")
                .append_pair("page", "1")
                .append_pair("conditions", b)
                .append_pair("fields", "id,externalXRef")
                .finish()
                .len();
        assert!(len <= MAX_URL_LEN, "{len}");
    }
}

#[test]
fn a_lost_create_response_is_an_error_that_find_marked_recovers() {
    let r = rig();
    r.fault("drop-create-response");
    let e =
        r.cw.create_ticket(&r.ticket_for("Contoso Ltd", 21))
            .unwrap_err();
    assert_eq!(e.status, Some(504));
    assert!(e.fix.clone().unwrap().contains("marker"));
    assert_eq!(
        r.hits("POST", "/service/tickets"),
        1,
        "a create is never retried"
    );
    let markers = vec![incident_marker("huntress", 21)];
    let found =
        r.cw.find_marked(&MarkerSearch {
            markers: &markers,
            created_since: None,
            routing_id: None,
        })
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[test]
fn throttling_is_waited_out_as_retry_after_says() {
    let r = rig();
    r.cw.verify().unwrap();
    r.fault("rate-limit");
    r.server.clear_log();
    for _ in 0..8 {
        r.cw.verify().unwrap();
    }
    let log = r.server.requests();
    let throttled: Vec<usize> = (0..log.len()).filter(|&i| log[i].status == 429).collect();
    assert!(!throttled.is_empty(), "the fault throttled some requests");
    for i in throttled {
        let next = log.get(i + 1).expect("retried after the 429");
        assert!(
            next.at_ms - log[i].at_ms >= 950,
            "waited {} ms, Retry-After is at least 1 s",
            next.at_ms - log[i].at_ms
        );
    }
    let stats = r.http.stats();
    assert!(stats.services[SERVICE].throttled >= 1);
    assert_eq!(log.iter().filter(|q| q.status == 200).count(), 8);
}

#[test]
fn delete_removes_the_ticket() {
    let r = rig();
    let id = r.create("Contoso Ltd", 31);
    assert!(r.cw.delete_ticket(id).unwrap());
    assert!(r.emu.ticket(id).is_none());
    assert_eq!(
        r.cw.delete_ticket(id).unwrap_err().kind,
        ApiErrorKind::NotFound
    );
}

#[test]
fn connect_reads_the_stored_integration() {
    let r = rig();
    let board = r.emu.board_id(SANDBOX_BOARD).unwrap();
    let config = IntegrationConfig {
        kind: PsaKind::Connectwise,
        base_url: Some(r.server.base_url()),
        secret_store: Default::default(),
        routing: Some(Named {
            id: board.to_string(),
            name: SANDBOX_BOARD.into(),
        }),
        default_company: None,
        settings: settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID).to_table(),
    };
    let psa = crate::psa::connect(&config, Secret::new(SANDBOX_PRIVATE_KEY), &r.http).unwrap();
    assert_eq!(psa.kind(), PsaKind::Connectwise);
    assert_eq!(
        psa.identity(),
        "connectwise:api-na.myconnectwise.net:northwind"
    );
    psa.verify().unwrap();
    assert_eq!(psa.statuses(None).unwrap()[0].name, "New");
    let mut broken = config.clone();
    broken
        .settings
        .insert("site".into(), "https://na.myconnectwise.net/".into());
    let e = crate::psa::connect(&broken, Secret::new(SANDBOX_PRIVATE_KEY), &r.http)
        .err()
        .unwrap();
    let f = crate::error::Failure::from_anyhow(e);
    assert_eq!(f.exit, crate::error::Exit::Config);
    assert_eq!(
        f.fix.as_deref(),
        Some("use --site api-na.myconnectwise.net")
    );
}

#[test]
fn the_emulator_add_args_configure_this_client() {
    let r = rig();
    let args = r.emu.add_args(&r.server.base_url());
    let value = |flag: &str| {
        let i = args.iter().position(|a| a == flag).unwrap();
        args[i + 1].clone()
    };
    let (env, secret) = r.emu.secret_env();
    assert_eq!(env, "PSA_LINK_CONNECTWISE_PRIVATE_KEY");
    let s = Settings::new(
        &value("--site"),
        &value("--company"),
        &value("--public-key"),
        &value("--client-id"),
        None,
    )
    .unwrap();
    let cw =
        ConnectWise::open(s, Some(&value("--base-url")), Secret::new(secret), &r.http).unwrap();
    let boards = cw.routings().unwrap();
    assert!(boards.iter().any(|b| b.name == value("--board")));
    let companies = cw.companies().unwrap();
    assert!(
        companies
            .iter()
            .any(|c| c.name == value("--default-company") && c.active)
    );
}

#[test]
fn a_missing_endpoint_after_answered_requests_is_not_refused_credentials() {
    let r = rig();
    r.cw.companies().unwrap();
    let e =
        r.cw.send(|api| api.get("service/no-such-endpoint"), Target::Fixed)
            .unwrap_err();
    assert_eq!(e.status, Some(404), "{e}");
    assert_eq!(e.kind, ApiErrorKind::NotFound, "{}", shown(&e));
    assert!(
        e.fix.as_deref().unwrap().contains("api_version"),
        "{}",
        shown(&e)
    );
}

#[test]
fn record_404s_under_cloud_bad_auth_are_auth_errors_after_one_probe() {
    let r = rig();
    let id = r.create("Contoso Ltd", 51);
    let board = r.emu.board_id(SANDBOX_BOARD).unwrap();
    r.fault("cloud-auth-404");
    let bad = || {
        client(
            &r.server,
            &r.http,
            settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
            "WrongPrivateKey-4711",
        )
    };
    let note = Note {
        text: "x".into(),
        resolution: false,
    };
    let change = TicketChange {
        status_id: Some(r.status(SANDBOX_BOARD, "Resolved")),
        ..Default::default()
    };
    let errors = [
        bad().board_statuses(board).unwrap_err(),
        bad().ticket(id).unwrap_err(),
        bad().update_ticket(id, &change).unwrap_err(),
        bad().add_note(id, &note).unwrap_err(),
        bad().delete_ticket(id).unwrap_err(),
    ];
    for e in errors {
        assert_eq!(e.status, Some(404), "{e}");
        assert_eq!(e.kind, ApiErrorKind::Auth, "{}", shown(&e));
        assert_eq!(e.exit(), crate::error::Exit::Auth);
        assert!(e.fix.as_deref().unwrap().contains("--public-key"));
    }
    assert!(r.emu.ticket(id).is_some(), "nothing was deleted");

    // Good credentials: a missing record is "not found", after one probe at most.
    r.server.clear_log();
    for missing in [999_998, 999_999] {
        let e = r.cw.ticket(missing).unwrap_err();
        assert_eq!(e.kind, ApiErrorKind::NotFound, "{e}");
    }
    assert!(
        r.hits("GET", "/system/info") <= 1,
        "the verdict is kept per client"
    );
    let fresh = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        SANDBOX_PRIVATE_KEY,
    );
    r.server.clear_log();
    assert_eq!(
        fresh.ticket(999_999).unwrap_err().kind,
        ApiErrorKind::NotFound
    );
    assert_eq!(r.hits("GET", "/system/info"), 1, "one probe");
    fresh.ticket(id).unwrap();
    assert_eq!(
        fresh.ticket(999_999).unwrap_err().kind,
        ApiErrorKind::NotFound
    );
    assert_eq!(r.hits("GET", "/system/info"), 1, "no second probe");
}

#[test]
fn a_stored_codebase_skips_the_lookup_and_a_stale_one_is_looked_up_again_once() {
    let r = rig();
    let stored = |codebase: &str| {
        client(
            &r.server,
            &r.http,
            settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID).with_codebase(Some(codebase.into())),
            SANDBOX_PRIVATE_KEY,
        )
    };
    r.server.clear_log();
    let current = stored("v2025_1/");
    current.verify().unwrap();
    assert_eq!(r.hits("GET", "/login/companyinfo"), 0);

    // The instance moved on from the stored release: every API path answers 404.
    let stale = stored("v2019_3/");
    r.server.clear_log();
    let companies = stale.companies().unwrap();
    assert!(!companies.is_empty());
    assert_eq!(r.hits("GET", "/login/companyinfo"), 1, "looked up once");
    assert!(
        stale
            .api_root()
            .unwrap()
            .as_str()
            .ends_with("/v2025_1/apis/3.0"),
        "and used from then on"
    );
    // A record endpoint first: the probe 404s too, so the codebase is looked up.
    let id = r.create("Contoso Ltd", 52);
    let stale = stored("v2019_3/");
    assert_eq!(stale.ticket(id).unwrap().id, id);

    // Under cloud's 404-for-bad-auth the lookup names the same codebase: an auth error.
    r.fault("cloud-auth-404");
    let bad = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID).with_codebase(Some("v2025_1/".into())),
        "WrongPrivateKey-4711",
    );
    r.server.clear_log();
    assert_eq!(bad.companies().unwrap_err().kind, ApiErrorKind::Auth);
    assert_eq!(r.hits("GET", "/login/companyinfo"), 1);
    assert!(
        bad.discovered_settings().is_empty(),
        "a codebase no answer proved is not offered for storing"
    );
}

#[test]
fn the_looked_up_codebase_is_offered_for_storing_once_an_answer_proved_it() {
    let r = rig();
    let fresh = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        SANDBOX_PRIVATE_KEY,
    );
    assert!(
        fresh.discovered_settings().is_empty(),
        "nothing looked up yet"
    );
    fresh.companies().unwrap();
    let found = fresh.discovered_settings();
    assert_eq!(
        found.get("codebase").and_then(|v| v.as_str()),
        Some("v2025_1/")
    );
    // A stored codebase that still works is not offered again.
    let stored = client(
        &r.server,
        &r.http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID).with_codebase(Some("v2025_1/".into())),
        SANDBOX_PRIVATE_KEY,
    );
    stored.companies().unwrap();
    assert!(stored.discovered_settings().is_empty());
}

#[test]
fn created_tickets_carry_severity_and_impact() {
    let r = rig();
    for (severity, expected) in [
        (Severity::Low, "Low"),
        (Severity::High, "Medium"),
        (Severity::Critical, "High"),
    ] {
        let mut t = r.ticket_for("Contoso Ltd", 60 + expected.len() as i64);
        t.severity = Some(severity);
        let id = r.cw.create_ticket(&t).unwrap();
        assert_eq!(
            r.emu.severity_impact(id),
            Some((expected.to_string(), expected.to_string())),
            "{severity:?}"
        );
    }
}

/// The ConnectWise emulator, but a technician deletes the lowest ticket right after the
/// first `service/tickets` list page is served.
struct DeletesMidScan {
    inner: Arc<ConnectWiseEmulator>,
    victim: i64,
    served: std::sync::atomic::AtomicUsize,
}

impl Emulator for DeletesMidScan {
    fn name(&self) -> &'static str {
        "deletes-mid-scan"
    }
    fn handle(&self, req: &crate::sandbox::HttpRequest) -> crate::sandbox::HttpResponse {
        let resp = self.inner.handle(req);
        if req.method == "GET" && req.path.ends_with("/service/tickets") {
            let n = self.served.fetch_add(1, Ordering::SeqCst);
            if n == 0 {
                self.inner.remove_ticket(self.victim);
            }
        }
        resp
    }
    fn faults(&self) -> &'static [crate::sandbox::FaultInfo] {
        self.inner.faults()
    }
    fn fault_set(&self) -> &crate::sandbox::server::Faults {
        self.inner.fault_set()
    }
}

#[test]
fn a_ticket_deleted_mid_scan_does_not_hide_a_marked_one() {
    let emu = Arc::new(ConnectWiseEmulator::standard());
    let company = emu.company_id("Contoso Ltd").unwrap();
    let board = emu.board_id(SANDBOX_BOARD).unwrap();
    let markers: Vec<String> = (0..1500)
        .map(|i| incident_marker("huntress", 7_000_000 + i))
        .collect();
    let ids = emu.seed_marked_tickets(company, board, &markers);
    let wrapper = Arc::new(DeletesMidScan {
        inner: emu.clone(),
        victim: ids[0],
        served: Default::default(),
    });
    let server = RunningServer::start(wrapper, ServerOptions::default()).unwrap();
    let http = Http::new(HttpOptions::default()).unwrap();
    let cw = client(
        &server,
        &http,
        settings(SANDBOX_COMPANY, SANDBOX_CLIENT_ID),
        SANDBOX_PRIVATE_KEY,
    );
    let found = cw
        .find_marked(&MarkerSearch {
            markers: &markers,
            created_since: None,
            routing_id: None,
        })
        .unwrap();
    // Numbered pages would have shifted ticket 1001 onto page 1 after page 1 was read.
    for (marker, id) in markers.iter().zip(&ids).skip(1) {
        assert_eq!(found.get(marker), Some(id), "{marker} missed");
    }
    let pages: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|q| q.path.ends_with("/service/tickets"))
        .collect();
    assert_eq!(pages.len(), 2, "one scan, two forward-only pages");
    assert!(pages[1].query.contains("pageId="), "{pages:?}");
    assert!(
        !pages.iter().any(|q| q.query.contains("page=")),
        "{pages:?}"
    );
}
