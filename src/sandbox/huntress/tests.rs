//! The emulator's own rules, exercised over HTTP as a client would see them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::Value;

use super::*;
use crate::sandbox::server::{RunningServer, ServerOptions};
use crate::source::IncidentStatus;

struct Sandbox {
    emulator: Arc<HuntressEmulator>,
    server: RunningServer,
    client: reqwest::blocking::Client,
}

struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: Value,
}

fn start(msp: &Msp) -> Sandbox {
    let emulator = Arc::new(HuntressEmulator::new(msp));
    let server = RunningServer::start(emulator.clone(), ServerOptions::default()).unwrap();
    Sandbox {
        emulator,
        server,
        client: reqwest::blocking::Client::new(),
    }
}

fn basic(key: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    )
}

impl Sandbox {
    fn call(&self, method: &str, path: &str, auth: Option<String>, body: Option<Value>) -> Answer {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.server.base_url())
        };
        let mut req = self
            .client
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().unwrap();
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        let text = resp.text().unwrap();
        Answer {
            status,
            retry_after,
            body: if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap()
            },
        }
    }

    /// GET with the read-only account key.
    fn get(&self, path: &str) -> Answer {
        self.call(
            "GET",
            path,
            Some(basic(SANDBOX_API_KEY, SANDBOX_API_SECRET)),
            None,
        )
    }

    /// POST with the user key.
    fn post_user(&self, path: &str, body: Option<Value>) -> Answer {
        self.call(
            "POST",
            path,
            Some(basic(SANDBOX_USER_API_KEY, SANDBOX_USER_API_SECRET)),
            body,
        )
    }
}

fn first_sent_with_unapproved(sb: &Sandbox) -> i64 {
    sb.emulator
        .incidents()
        .iter()
        .find(|i| {
            i.status == IncidentStatus::Sent
                && i.remediations
                    .iter()
                    .any(|r| r.status == crate::source::RemediationStatus::Unapproved)
        })
        .map(|i| i.id)
        .unwrap()
}

#[test]
fn limit_defaults_to_ten_and_outside_one_to_500_is_400() {
    let sb = start(&Msp::standard());
    let page = sb.get("/v1/organizations");
    assert_eq!(page.status, 200);
    assert_eq!(page.body["organizations"].as_array().unwrap().len(), 10);
    for bad in ["0", "501", "-3", "ten"] {
        let a = sb.get(&format!("/v1/organizations?limit={bad}"));
        assert_eq!(a.status, 400, "limit={bad}");
        assert!(a.body["error"].as_str().unwrap().contains("limit"));
    }
    let all = sb.get("/v1/organizations?limit=500");
    assert_eq!(
        all.body["organizations"].as_array().unwrap().len(),
        Msp::standard().organizations.len()
    );
}

#[test]
fn envelopes_are_singular_for_one_object_and_plural_with_pagination_for_lists() {
    let sb = start(&Msp::standard());
    let account = sb.get("/v1/account");
    assert_eq!(account.body["account"]["subdomain"], SANDBOX_SUBDOMAIN);
    let list = sb.get("/v1/incident_reports?limit=3");
    let items = list.body["incident_reports"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let pagination = &list.body["pagination"];
    let token = pagination["next_page_token"].as_str().unwrap();
    let url = pagination["next_page_url"].as_str().unwrap();
    assert!(url.contains(&format!("page_token={token}")) && url.contains("limit=3"));
    let id = items[0]["id"].as_i64().unwrap();
    let one = sb.get(&format!("/v1/incident_reports/{id}"));
    assert_eq!(one.body["incident_report"]["id"], id);
    assert!(one.body.get("pagination").is_none());
    // The last page: a null token and no next_page_url.
    let last = sb.get("/v1/incident_reports?limit=500");
    assert!(last.body["pagination"]["next_page_token"].is_null());
    assert!(last.body["pagination"].get("next_page_url").is_none());
    let agent = sb.get("/v1/agents/5001");
    assert_eq!(agent.body["agent"]["hostname"], "AMA-DC01");
}

#[test]
fn page_tokens_visit_every_item_once_in_the_requested_order() {
    let sb = start(&Msp::standard());
    let mut names = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut path = "/v1/organizations?limit=7&sort_field=name&sort_direction=asc".to_string();
        if let Some(t) = &token {
            path.push_str(&format!("&page_token={t}"));
        }
        let page = sb.get(&path);
        for o in page.body["organizations"].as_array().unwrap() {
            names.push(o["name"].as_str().unwrap().to_string());
            assert!(ids.insert(o["id"].as_i64().unwrap()), "no item twice");
        }
        match page.body["pagination"]["next_page_token"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(ids.len(), Msp::standard().organizations.len());
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn following_next_page_url_keeps_the_filters_and_sort() {
    let sb = start(&Msp::generated(40, 0, 300));
    let query = "status=sent&severity=high&sort_field=updated_at&sort_direction=asc";
    let everything = sb.get(&format!("/v1/incident_reports?limit=500&{query}"));
    let expected: Vec<i64> = everything.body["incident_reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(expected.len(), 100, "a third of the generated incidents");
    let mut seen = Vec::new();
    let mut url = format!("/v1/incident_reports?limit=7&{query}");
    let mut pages = 0;
    loop {
        let page = sb.get(&url);
        assert_eq!(page.status, 200, "{url}");
        pages += 1;
        for i in page.body["incident_reports"].as_array().unwrap() {
            assert_eq!(i["severity"], "high", "the filter holds on every page");
            seen.push(i["id"].as_i64().unwrap());
        }
        match page.body["pagination"].get("next_page_url") {
            Some(next) => url = next.as_str().unwrap().to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 100usize.div_ceil(7));
    assert_eq!(seen, expected, "every item once, in the requested order");
}

#[test]
fn default_sort_is_id_descending_and_bad_sort_or_token_is_400() {
    let sb = start(&Msp::standard());
    let page = sb.get("/v1/incident_reports?limit=500");
    let ids: Vec<i64> = page.body["incident_reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let mut desc = ids.clone();
    desc.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, desc);
    assert_eq!(
        sb.get("/v1/incident_reports?sort_field=severity").status,
        400
    );
    assert_eq!(sb.get("/v1/incident_reports?sort_direction=up").status, 400);
    assert_eq!(
        sb.get("/v1/incident_reports?page_token=garbage!").status,
        400
    );
    assert_eq!(sb.get("/v1/incident_reports?status=open").status, 400);
    assert_eq!(sb.get("/v1/incident_reports?severity=medium").status, 400);
    assert_eq!(sb.get("/v1/incident_reports?organization_id=x").status, 400);
    assert_eq!(sb.get("/v1/incident_reports/abc").status, 400);
    assert_eq!(sb.get("/v1/incident_reports/1").status, 404);
}

#[test]
fn filters_select_incidents_and_subjects_follow_the_huntress_format() {
    let sb = start(&Msp::standard());
    let sent = sb.get("/v1/incident_reports?limit=500&status=sent");
    let items = sent.body["incident_reports"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["status"] == "sent"));
    let m365 = sb.get("/v1/incident_reports?limit=500&platform=microsoft_365");
    let i = &m365.body["incident_reports"][0];
    assert!(i["agent_id"].is_null(), "agentless incident");
    assert_eq!(
        i["subject"],
        "HIGH - Incident on jdoe@tailspintoys.example (Tailspin Toys)"
    );
    let critical =
        sb.get("/v1/incident_reports?limit=500&severity=critical&indicator_type=footholds");
    for i in critical.body["incident_reports"].as_array().unwrap() {
        assert!(
            i["subject"]
                .as_str()
                .unwrap()
                .starts_with("CRITICAL - Incident on ")
        );
        assert!(
            i["indicator_types"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "footholds")
        );
    }
    let able = sb.get("/v1/incident_reports?organization_id=101");
    let first = &able.body["incident_reports"][0];
    assert_eq!(
        first["subject"],
        "CRITICAL - Incident on AMA-DC01 (Able Moose Accounting)"
    );
    let by_agent = sb.get("/v1/incident_reports?agent_id=5001");
    assert_eq!(
        by_agent.body["incident_reports"].as_array().unwrap().len(),
        1
    );
}

#[test]
fn auth_missing_or_malformed_is_401_and_refused_credentials_403() {
    let sb = start(&Msp::standard());
    assert_eq!(sb.call("GET", "/v1/account", None, None).status, 401);
    assert_eq!(
        sb.call("GET", "/v1/account", Some("Bearer abc".into()), None)
            .status,
        401
    );
    assert_eq!(
        sb.call("GET", "/v1/account", Some("Basic !!!".into()), None)
            .status,
        401
    );
    let wrong = sb.call(
        "GET",
        "/v1/account",
        Some(basic(SANDBOX_API_KEY, "not-the-secret")),
        None,
    );
    assert_eq!(wrong.status, 403);
    assert!(wrong.body["error"].is_string());
    sb.server.set_fault("wrong-key-401", true).unwrap();
    let wrong = sb.call(
        "GET",
        "/v1/account",
        Some(basic(SANDBOX_API_KEY, "not-the-secret")),
        None,
    );
    assert_eq!(wrong.status, 401);
    let actor = sb.call(
        "GET",
        "/v1/actor",
        Some(basic(SANDBOX_USER_API_KEY, SANDBOX_USER_API_SECRET)),
        None,
    );
    assert_eq!(actor.body["account"]["id"], SANDBOX_ACCOUNT_ID);
    assert!(actor.body["user"]["email"].is_string());
    assert!(
        sb.get("/v1/actor").body.get("user").is_none(),
        "account key has no user"
    );
}

#[test]
fn write_endpoints_refuse_the_read_only_account_key() {
    let sb = start(&Msp::standard());
    let id = first_sent_with_unapproved(&sb);
    for path in [
        format!("/v1/incident_reports/{id}/resolution"),
        format!("/v1/incident_reports/{id}/remediations/bulk_approval"),
    ] {
        let a = sb.call(
            "POST",
            &path,
            Some(basic(SANDBOX_API_KEY, SANDBOX_API_SECRET)),
            None,
        );
        assert_eq!(a.status, 403, "{path}");
        assert!(
            a.body["error"]
                .as_str()
                .unwrap()
                .contains("user-based API key")
        );
    }
    sb.server.set_fault("read-only-user-key", true).unwrap();
    assert_eq!(
        sb.post_user(&format!("/v1/incident_reports/{id}/resolution"), None)
            .status,
        403
    );
}

#[test]
fn resolution_needs_approved_remediations_and_status_sent() {
    let sb = start(&Msp::standard());
    let id = first_sent_with_unapproved(&sb);
    let path = format!("/v1/incident_reports/{id}/resolution");
    assert_eq!(sb.post_user(&path, None).status, 409);
    let approved = sb.post_user(
        &format!("/v1/incident_reports/{id}/remediations/bulk_approval"),
        None,
    );
    assert_eq!(approved.status, 201);
    let items = approved.body["incident_report"]["remediations"]["items"]
        .as_array()
        .unwrap();
    assert!(
        items
            .iter()
            .all(|r| r["status"] == "approved" && r["approved_at"].is_string())
    );
    let resolved = sb.post_user(&path, None);
    assert_eq!(resolved.status, 201);
    assert_eq!(resolved.body["incident_report"]["status"], "closed");
    assert!(resolved.body["incident_report"]["closed_at"].is_string());
    // No longer `sent`: resolution 422, approval 409.
    assert_eq!(sb.post_user(&path, None).status, 422);
    assert_eq!(
        sb.post_user(
            &format!("/v1/incident_reports/{id}/remediations/bulk_approval"),
            None
        )
        .status,
        409
    );
    assert_eq!(
        sb.post_user("/v1/incident_reports/1/resolution", None)
            .status,
        404
    );
}

#[test]
fn resolved_status_fault_answers_the_docs_wording() {
    let sb = start(&Msp::standard());
    sb.server.set_fault("resolved-status", true).unwrap();
    let id = first_sent_with_unapproved(&sb);
    sb.emulator.approve_remediations(id).unwrap();
    let resolved = sb.post_user(&format!("/v1/incident_reports/{id}/resolution"), None);
    assert_eq!(resolved.body["incident_report"]["status"], "resolved");
}

#[test]
fn bulk_rejection_requires_comment_and_useful_and_cancels_remediations() {
    let sb = start(&Msp::standard());
    let id = first_sent_with_unapproved(&sb);
    let path = format!("/v1/incident_reports/{id}/remediations/bulk_rejection");
    // The endpoint documents 201/403/409/422 only: missing parameters are 422.
    assert_eq!(sb.post_user(&path, None).status, 422);
    assert_eq!(
        sb.post_user(&path, Some(serde_json::json!({"comment": "wrong host"})))
            .status,
        422
    );
    assert_eq!(
        sb.post_user(&path, Some(serde_json::json!({"useful": "no"})))
            .status,
        422
    );
    let ok = sb.post_user(
        &path,
        Some(serde_json::json!({"comment": "wrong host", "useful": false})),
    );
    assert_eq!(ok.status, 201);
    let incident = sb.emulator.incident(id).unwrap();
    assert_eq!(incident.status, IncidentStatus::Sent);
    assert!(
        incident
            .remediations
            .iter()
            .all(|r| r.status != crate::source::RemediationStatus::Unapproved)
    );
    assert_eq!(
        incident.remediation_state(),
        crate::source::RemediationState::Rejected
    );
}

#[test]
fn remediations_embed_the_first_ten_and_page_on_their_endpoint() {
    let sb = start(&Msp::standard());
    let id = first_sent_with_unapproved(&sb);
    let before = sb.emulator.incident(id).unwrap().remediations.len();
    sb.emulator.add_remediations(id, 14).unwrap();
    let total = before + 14;
    let one = sb.get(&format!("/v1/incident_reports/{id}"));
    let embedded = &one.body["incident_report"]["remediations"];
    assert_eq!(embedded["total_count"], total);
    assert_eq!(embedded["has_more"], true);
    assert_eq!(embedded["items"].as_array().unwrap().len(), 10);
    let listed = sb.get(&format!(
        "/v1/incident_reports/{id}/remediations?limit=500&statuses[]=unapproved,approved"
    ));
    assert_eq!(listed.body["remediations"].as_array().unwrap().len(), total);
    let rid = listed.body["remediations"][0]["id"].as_i64().unwrap();
    let single = sb.get(&format!("/v1/incident_reports/{id}/remediations/{rid}"));
    assert_eq!(single.body["remediation"]["id"], rid);
    assert_eq!(
        sb.get(&format!(
            "/v1/incident_reports/{id}/remediations?types[]=robotic"
        ))
        .status,
        400
    );
    sb.server.set_fault("remediations-array", true).unwrap();
    let drifted = sb.get(&format!("/v1/incident_reports/{id}"));
    assert_eq!(
        drifted.body["incident_report"]["remediations"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
}

#[test]
fn sliding_window_refuses_the_request_over_budget_until_the_oldest_expires() {
    let sb = start(&Msp::standard());
    sb.emulator.set_rate_limit(2, Duration::from_millis(800));
    let t0 = Instant::now();
    assert_eq!(sb.get("/v1/account").status, 200);
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(sb.get("/v1/account").status, 200);
    let refused = sb.get("/v1/account");
    assert_eq!(refused.status, 429);
    assert_eq!(refused.retry_after.as_deref(), Some("1"));
    // Once the first request leaves the window one more fits, but not two: the second
    // request is still inside it (a fixed window would have reset both).
    let until = Duration::from_millis(850);
    std::thread::sleep(until.saturating_sub(t0.elapsed()));
    assert_eq!(sb.get("/v1/account").status, 200);
    assert_eq!(sb.get("/v1/account").status, 429);
}

#[test]
fn rate_limit_fault_is_tiny_and_retry_after_can_be_withheld() {
    let sb = start(&Msp::standard());
    sb.server.set_fault("rate-limit", true).unwrap();
    let statuses: Vec<u16> = (0..4).map(|_| sb.get("/v1/account").status).collect();
    assert_eq!(statuses, vec![200, 200, 200, 429]);
    sb.server.set_fault("no-retry-after", true).unwrap();
    let refused = sb.get("/v1/account");
    assert_eq!(refused.status, 429);
    assert_eq!(refused.retry_after, None);
    // Unauthenticated requests are not charged to the account.
    assert_eq!(sb.call("GET", "/v1/account", None, None).status, 401);
}

#[test]
fn account_scoped_paths_serve_the_same_resources() {
    let sb = start(&Msp::standard());
    let scoped = sb.get(&format!(
        "/v1/accounts/{SANDBOX_ACCOUNT_ID}/incident_reports?limit=500"
    ));
    let plain = sb.get("/v1/incident_reports?limit=500");
    assert_eq!(
        scoped.body["incident_reports"],
        plain.body["incident_reports"]
    );
    assert_eq!(sb.get("/v1/accounts/1/organizations").status, 404);
}

#[test]
fn legacy_org_fields_fault_emits_the_older_names() {
    let sb = start(&Msp::standard());
    sb.server.set_fault("legacy-org-fields", true).unwrap();
    let page = sb.get("/v1/organizations?limit=500");
    let o = &page.body["organizations"][0];
    assert!(o.get("notify_emails").is_some());
    assert!(o.get("microsoft_365_tenant_id").is_some());
    assert!(o.get("identity_provider_tenant_id").is_none());
}

#[test]
fn control_endpoints_steer_incidents_and_bump_updated_at() {
    let sb = start(&Msp::standard());
    let id = first_sent_with_unapproved(&sb);
    let before = sb.emulator.incident(id).unwrap();
    let patched = sb.call(
        "PATCH",
        &format!("/_sandbox/incidents/{id}"),
        None,
        Some(serde_json::json!({"severity": "low"})),
    );
    assert_eq!(patched.status, 200);
    let after = sb.emulator.incident(id).unwrap();
    assert_eq!(after.severity, Severity::Low);
    assert!(after.subject.as_deref().unwrap().starts_with("LOW - "));
    assert!(after.updated_at > before.updated_at, "updated_at bumped");
    let unknown = sb.call(
        "PATCH",
        &format!("/_sandbox/incidents/{id}"),
        None,
        Some(serde_json::json!({"remediation": "rejected"})),
    );
    assert_eq!(
        unknown.status, 400,
        "an unknown key is refused, not ignored"
    );
    assert!(
        unknown.body.to_string().contains("approve|reject"),
        "{}",
        unknown.body
    );
    let created = sb.call(
        "POST",
        "/_sandbox/incidents",
        None,
        Some(
            serde_json::json!({"organization_id": 101, "severity": "critical", "remediations": 2}),
        ),
    );
    assert_eq!(created.status, 201);
    let new_id = created.body["incident_report"]["id"].as_i64().unwrap();
    assert_eq!(sb.emulator.incident(new_id).unwrap().remediations.len(), 2);
    let approve = sb.call(
        "POST",
        &format!("/_sandbox/incidents/{new_id}/approve"),
        None,
        None,
    );
    assert_eq!(approve.status, 200);
    let resolve = sb.call(
        "POST",
        &format!("/_sandbox/incidents/{new_id}/resolve"),
        None,
        None,
    );
    assert_eq!(resolve.body["incident_report"]["status"], "closed");
    let listed = sb.call("GET", "/_sandbox/incidents", None, None);
    assert_eq!(
        listed.body["incident_reports"].as_array().unwrap().len(),
        Msp::standard().incidents.len() + 1
    );
    // Control requests are neither logged nor charged to the rate limit.
    assert_eq!(sb.server.count("GET", "/_sandbox"), 0);
    let limited = sb.call(
        "PUT",
        "/_sandbox/rate-limit",
        None,
        Some(serde_json::json!({"max": 1, "window_secs": 30})),
    );
    assert_eq!(limited.status, 200);
    assert_eq!(sb.get("/v1/account").status, 200);
    assert_eq!(sb.get("/v1/account").status, 429);
}

#[test]
fn generated_msp_seeds_every_organization_and_incident() {
    let msp = Msp::generated(30, 0, 45);
    let sb = start(&msp);
    let orgs = sb.get("/v1/organizations?limit=500");
    assert_eq!(orgs.body["organizations"].as_array().unwrap().len(), 30);
    let incidents = sb.emulator.incidents();
    assert_eq!(incidents.len(), 45);
    assert!(
        incidents
            .iter()
            .all(|i| i.subject.as_deref().unwrap().contains("Incident on C"))
    );
    // Ages in the seed become distinct updated_at values, newest for the last incident.
    let newest = incidents
        .iter()
        .max_by_key(|i| i.updated_at.clone())
        .unwrap();
    assert_eq!(newest.id, msp.incidents.last().unwrap().id);
}

#[test]
fn unconfirmed_readings_switch_with_their_faults() {
    let sb = start(&Msp::standard());
    let first = |sb: &Sandbox| sb.get("/v1/incident_reports?limit=3").body;

    // created_at: absent by default, present with incident-created-at.
    let plain = first(&sb);
    assert!(plain["incident_reports"][0].get("created_at").is_none());
    sb.server.set_fault("incident-created-at", true).unwrap();
    let with = first(&sb);
    assert!(with["incident_reports"][0]["created_at"].is_string());

    // first-page-all: a first page holds everything yet offers a token; later pages page.
    sb.server.set_fault("first-page-all", true).unwrap();
    let all = first(&sb);
    let total = sb.emulator.incidents().len();
    assert_eq!(all["incident_reports"].as_array().unwrap().len(), total);
    let token = all["pagination"]["next_page_token"].as_str().unwrap();
    let second = sb.get(&format!("/v1/incident_reports?limit=3&page_token={token}"));
    assert_eq!(second.body["incident_reports"].as_array().unwrap().len(), 3);
    sb.server.set_fault("first-page-all", false).unwrap();

    // next-url-bare: the documentation example's next_page_url, token and limit alone.
    let filtered = sb
        .get("/v1/incident_reports?limit=3&severity=high&status=sent")
        .body;
    let full = filtered["pagination"]["next_page_url"].as_str().unwrap();
    assert!(
        full.contains("severity=high") && full.contains("status=sent"),
        "{full}"
    );
    sb.server.set_fault("next-url-bare", true).unwrap();
    let filtered = sb
        .get("/v1/incident_reports?limit=3&severity=high&status=sent")
        .body;
    let bare = filtered["pagination"]["next_page_url"].as_str().unwrap();
    let query = bare.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let keys: Vec<&str> = query
        .split('&')
        .filter_map(|p| p.split('=').next())
        .collect();
    assert_eq!(keys, ["page_token", "limit"], "{bare}");
    sb.server.set_fault("next-url-bare", false).unwrap();

    // legacy-remediations: display_action and details instead of action and parameters.
    let id = first_sent_with_unapproved(&sb);
    let current = sb.get(&format!("/v1/incident_reports/{id}/remediations"));
    let r = &current.body["remediations"][0];
    assert!(r["action"].is_string() && r.get("display_action").is_none());
    sb.server.set_fault("legacy-remediations", true).unwrap();
    for body in [
        sb.get(&format!("/v1/incident_reports/{id}/remediations")).body["remediations"][0].clone(),
        sb.get(&format!("/v1/incident_reports/{id}")).body["incident_report"]["remediations"]
            ["items"][0]
            .clone(),
    ] {
        assert!(body["display_action"].is_string(), "{body}");
        assert!(body["details"].is_object(), "{body}");
        assert!(body["completable_by_task_response"].is_boolean(), "{body}");
        assert!(body["completable_manually"].is_boolean(), "{body}");
        assert!(body.get("action").is_none() && body.get("parameters").is_none());
    }
}
