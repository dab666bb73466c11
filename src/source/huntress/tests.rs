//! The client against the real emulator, in process.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::http::HttpOptions;
use crate::sandbox::RunningServer;
use crate::sandbox::huntress::{
    HuntressEmulator, SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SUBDOMAIN, SANDBOX_USER_API_KEY,
    SANDBOX_USER_API_SECRET,
};
use crate::sandbox::seed::Msp;
use crate::sandbox::server::ServerOptions;
use crate::source::{RemediationState, RemediationStatus, Severity};

struct Fixture {
    emulator: Arc<HuntressEmulator>,
    server: RunningServer,
    http: Http,
}

fn start(msp: &Msp) -> Fixture {
    let emulator = Arc::new(HuntressEmulator::new(msp));
    let server = RunningServer::start(emulator.clone(), ServerOptions::default()).unwrap();
    Fixture {
        emulator,
        server,
        http: Http::new(HttpOptions::default()).unwrap(),
    }
}

impl Fixture {
    fn base(&self) -> BaseUrl {
        BaseUrl::parse(&self.server.base_url()).unwrap()
    }

    /// The read-only account key.
    fn client(&self) -> HuntressClient {
        HuntressClient::new(
            &self.http,
            self.base(),
            SANDBOX_API_KEY,
            Secret::new(SANDBOX_API_SECRET),
        )
    }

    /// The user-based key that may resolve.
    fn user_client(&self) -> HuntressClient {
        HuntressClient::new(
            &self.http,
            self.base(),
            SANDBOX_USER_API_KEY,
            Secret::new(SANDBOX_USER_API_SECRET),
        )
    }

    fn logged(&self, path: &str) -> Vec<crate::sandbox::server::LoggedRequest> {
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    fn sent_incident_with_unapproved(&self) -> i64 {
        self.emulator
            .incidents()
            .into_iter()
            .find(|i| {
                i.status == IncidentStatus::Sent
                    && i.remediations
                        .iter()
                        .any(|r| r.status == RemediationStatus::Unapproved)
            })
            .unwrap()
            .id
    }
}

#[test]
fn organizations_come_in_the_fewest_pages_of_500() {
    let f = start(&Msp::generated(1200, 0, 0));
    let orgs = f.client().organizations().unwrap();
    assert_eq!(orgs.len(), 1200);
    let ids: std::collections::BTreeSet<i64> = orgs.iter().map(|o| o.id).collect();
    assert_eq!(ids.len(), 1200, "no organization twice");
    let requests = f.logged("/v1/organizations");
    assert_eq!(requests.len(), 3, "ceil(1200 / 500) pages");
    for r in &requests {
        assert!(r.query.contains("limit=500"), "{}", r.query);
        assert!(!r.query.contains("page="), "never a page parameter");
    }
    assert!(requests[1].query.contains("page_token="));
}

#[test]
fn incidents_without_a_cursor_walk_every_page_oldest_first() {
    let f = start(&Msp::generated(40, 0, 1200));
    let all = f.client().incidents(&IncidentQuery::default()).unwrap();
    assert_eq!(all.len(), 1200);
    assert_eq!(f.logged("/v1/incident_reports").len(), 3);
    let times: Vec<_> = all.iter().map(|i| updated_at(i).unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    for r in f.logged("/v1/incident_reports") {
        assert!(
            r.query.contains("sort_field=updated_at") && r.query.contains("sort_direction=desc")
        );
    }
}

#[test]
fn updated_since_stops_the_walk_at_the_first_older_page() {
    // Incident n was updated (1200 - n) minutes ago.
    let f = start(&Msp::generated(40, 0, 1200));
    let since =
        OffsetDateTime::now_utc() - time::Duration::minutes(100) - time::Duration::seconds(30);
    let query = IncidentQuery {
        updated_since: Some(since),
        ..IncidentQuery::default()
    };
    let recent = f.client().incidents(&query).unwrap();
    assert_eq!(recent.len(), 100, "minutes 1..=100");
    assert!(recent.iter().all(|i| updated_at(i).unwrap() >= since));
    assert_eq!(
        f.logged("/v1/incident_reports").len(),
        1,
        "the first page already reaches older incidents"
    );
    let ids: Vec<i64> = recent.iter().map(|i| i.id).collect();
    let mut ascending_by_age = ids.clone();
    ascending_by_age.sort();
    assert_eq!(ids, ascending_by_age, "oldest (lowest id here) first");
}

#[test]
fn updated_since_beyond_one_page_keeps_walking() {
    let f = start(&Msp::generated(40, 0, 1200));
    let since =
        OffsetDateTime::now_utc() - time::Duration::minutes(700) - time::Duration::seconds(30);
    let query = IncidentQuery {
        updated_since: Some(since),
        ..IncidentQuery::default()
    };
    assert_eq!(f.client().incidents(&query).unwrap().len(), 700);
    assert_eq!(f.logged("/v1/incident_reports").len(), 2);
}

#[test]
fn several_statuses_are_one_filtered_walk_each() {
    let f = start(&Msp::standard());
    let query = IncidentQuery {
        statuses: vec![IncidentStatus::Sent, IncidentStatus::Closed],
        ..IncidentQuery::default()
    };
    let found = f.client().incidents(&query).unwrap();
    let expected = f
        .emulator
        .incidents()
        .into_iter()
        .filter(|i| matches!(i.status, IncidentStatus::Sent | IncidentStatus::Closed))
        .count();
    assert_eq!(found.len(), expected);
    assert!(found.iter().any(|i| i.status == IncidentStatus::Closed));
    let queries: Vec<String> = f
        .logged("/v1/incident_reports")
        .into_iter()
        .map(|r| r.query)
        .collect();
    assert_eq!(queries.len(), 2);
    assert!(queries.iter().any(|q| q.contains("status=sent")));
    assert!(queries.iter().any(|q| q.contains("status=closed")));
    let one_org = IncidentQuery {
        organization_id: Some(101),
        ..IncidentQuery::default()
    };
    let mine = f.client().incidents(&one_org).unwrap();
    assert!(!mine.is_empty() && mine.iter().all(|i| i.organization_id == 101));
}

#[test]
fn throttled_request_waits_for_retry_after_then_succeeds() {
    let f = start(&Msp::standard());
    f.server.set_fault("rate-limit", true).unwrap();
    let client = f.client();
    let id = f.sent_incident_with_unapproved();
    for _ in 0..5 {
        assert_eq!(client.incident(id).unwrap().id, id);
    }
    let stats = f.http.stats();
    let huntress = &stats.services["Huntress"];
    assert!(huntress.throttled >= 1, "{huntress:?}");
    assert!(f.server.requests().iter().any(|r| r.status == 429));
    assert!(
        huntress.rate_limit_wait_ms >= 900,
        "waited the Retry-After second"
    );
}

#[test]
fn throttled_request_without_retry_after_uses_the_fallback_wait() {
    let f = start(&Msp::standard());
    f.server.set_fault("rate-limit", true).unwrap();
    f.server.set_fault("no-retry-after", true).unwrap();
    assert_eq!(
        HuntressClient::policy().retry.wait_without_retry_after,
        FALLBACK_THROTTLE_WAIT
    );
    let mut policy = HuntressClient::policy();
    policy.retry.wait_without_retry_after = Duration::from_secs(1);
    let client = HuntressClient::with_policy(
        &f.http,
        f.base(),
        SANDBOX_API_KEY,
        Secret::new(SANDBOX_API_SECRET),
        policy,
    );
    for _ in 0..4 {
        client.account().unwrap();
    }
    let stats = f.http.stats();
    assert!(stats.services["Huntress"].throttled >= 1);
    assert!(f.server.requests().iter().any(|r| r.status == 429));
}

#[test]
fn bad_credentials_are_an_auth_error_that_says_where_keys_come_from() {
    let f = start(&Msp::standard());
    let wrong_secret = "definitely-not-the-secret-8841";
    let client = HuntressClient::new(
        &f.http,
        f.base(),
        SANDBOX_API_KEY,
        Secret::new(wrong_secret),
    );
    for fault_401 in [false, true] {
        f.server.set_fault("wrong-key-401", fault_401).unwrap();
        let err = client.account().unwrap_err();
        assert_eq!(err.kind, ApiErrorKind::Auth, "status {:?}", err.status);
        assert_eq!(err.exit(), crate::error::Exit::Auth);
        let fix = err.fix.clone().unwrap();
        assert!(
            fix.contains(".huntress.io/account/api_credentials"),
            "{fix}"
        );
        assert!(fix.contains("shown only once"));
        assert!(fix.contains(SECRET_ENV));
        assert!(!format!("{err} {fix}").contains(wrong_secret));
    }
    // Listing with refused credentials is a credential failure too (exit 4).
    f.server.set_fault("wrong-key-401", false).unwrap();
    let err = client.organizations().unwrap_err();
    assert_eq!(err.exit(), crate::error::Exit::Auth);
    assert!(err.fix.clone().unwrap().contains("api_credentials"));
}

#[test]
fn incident_has_every_remediation_beyond_the_embedded_ten() {
    let f = start(&Msp::standard());
    let id = f.sent_incident_with_unapproved();
    let before = f.emulator.incident(id).unwrap().remediations.len();
    f.emulator.add_remediations(id, 15).unwrap();
    let incident = f.client().incident(id).unwrap();
    assert_eq!(incident.remediations.len(), before + 15);
    assert!(!incident.remediations_truncated);
    let rem_path = format!("/v1/incident_reports/{id}/remediations");
    assert_eq!(f.logged(&rem_path).len(), 1);
    // The same through a listing, and with the bare-array drift (a full array of ten may
    // hide more, so the client asks).
    f.server.set_fault("remediations-array", true).unwrap();
    let listed = f
        .client()
        .incidents(&IncidentQuery {
            organization_id: Some(incident.organization_id),
            ..IncidentQuery::default()
        })
        .unwrap();
    let again = listed.iter().find(|i| i.id == id).unwrap();
    assert_eq!(again.remediations.len(), before + 15);
    assert_eq!(f.logged(&rem_path).len(), 2);
    // Incidents with fewer than ten embedded need no extra request.
    let small = f
        .emulator
        .incidents()
        .into_iter()
        .find(|i| i.id != id && !i.remediations.is_empty())
        .unwrap();
    f.client().incident(small.id).unwrap();
    assert!(
        f.logged(&format!("/v1/incident_reports/{}/remediations", small.id))
            .is_empty()
    );
}

#[test]
fn resolving_with_the_account_key_explains_the_user_based_key() {
    let f = start(&Msp::standard());
    let id = f.sent_incident_with_unapproved();
    f.emulator.approve_remediations(id).unwrap();
    let err = f.client().resolve(id).unwrap_err();
    assert_eq!(err.status, Some(403));
    assert_eq!(err.kind, ApiErrorKind::Permission);
    let fix = err.fix.clone().unwrap();
    assert!(
        fix.contains("user-based") && fix.contains("read-only"),
        "{fix}"
    );
    assert_eq!(
        f.logged(&format!("/v1/incident_reports/{id}/resolution"))
            .len(),
        1,
        "never retried"
    );
}

#[test]
fn resolving_with_unapproved_remediations_is_409_with_its_own_fix() {
    let f = start(&Msp::standard());
    let id = f.sent_incident_with_unapproved();
    let err = f.user_client().resolve(id).unwrap_err();
    assert_eq!(err.status, Some(409));
    assert_eq!(err.kind, ApiErrorKind::Rejected);
    assert!(err.fix.clone().unwrap().contains("approve"));
    assert_eq!(
        f.logged(&format!("/v1/incident_reports/{id}/resolution"))
            .len(),
        1
    );
}

#[test]
fn resolving_closes_and_a_second_resolve_is_already_done() {
    let f = start(&Msp::standard());
    let id = f.sent_incident_with_unapproved();
    f.emulator.approve_remediations(id).unwrap();
    let client = f.user_client();
    let closed = client.resolve(id).unwrap();
    assert_eq!(closed.status, IncidentStatus::Closed);
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.remediation_state(), RemediationState::Approved);
    // The API answers 422 now; the incident is closed, which is what was asked.
    let again = client.resolve(id).unwrap();
    assert_eq!(again.status, IncidentStatus::Closed);
}

#[test]
fn resolving_a_dismissed_incident_is_422_naming_its_status() {
    let f = start(&Msp::standard());
    let dismissed = f
        .emulator
        .incidents()
        .into_iter()
        .find(|i| i.status == IncidentStatus::Dismissed)
        .unwrap();
    let err = f.user_client().resolve(dismissed.id).unwrap_err();
    assert_eq!(err.status, Some(422));
    let fix = err.fix.clone().unwrap();
    assert!(
        fix.contains("'dismissed'") && fix.contains("'sent'"),
        "{fix}"
    );
}

#[test]
fn resolution_answering_resolved_reads_as_closed() {
    let f = start(&Msp::standard());
    f.server.set_fault("resolved-status", true).unwrap();
    let id = f.sent_incident_with_unapproved();
    f.emulator.approve_remediations(id).unwrap();
    let client = f.user_client();
    assert_eq!(client.resolve(id).unwrap().status, IncidentStatus::Closed);
    assert_eq!(client.resolve(id).unwrap().status, IncidentStatus::Closed);
}

#[test]
fn hostnames_are_cached_and_a_missing_agent_has_none() {
    let f = start(&Msp::standard());
    let client = f.client();
    assert_eq!(client.hostname(5001).unwrap().as_deref(), Some("AMA-DC01"));
    assert_eq!(client.hostname(5001).unwrap().as_deref(), Some("AMA-DC01"));
    assert_eq!(f.logged("/v1/agents/5001").len(), 1);
    assert_eq!(client.hostname(999_999).unwrap(), None);
}

#[test]
fn incident_url_uses_the_account_subdomain() {
    let f = start(&Msp::standard());
    let client = f.client();
    assert_eq!(
        client.incident_url(90001).as_deref(),
        Some(format!("https://{SANDBOX_SUBDOMAIN}.huntress.io/incident_reports/90001").as_str())
    );
    client.incident_url(90002);
    assert_eq!(f.logged("/v1/account").len(), 1, "the account is read once");
    let account = client.account().unwrap();
    assert_eq!(account.subdomain.as_deref(), Some(SANDBOX_SUBDOMAIN));
}

#[test]
fn organization_field_drift_is_tolerated() {
    let f = start(&Msp::standard());
    let modern = f.client().organizations().unwrap();
    f.server.set_fault("legacy-org-fields", true).unwrap();
    let legacy = f.client().organizations().unwrap();
    assert_eq!(modern, legacy, "old and new field names read the same");
    assert!(
        legacy
            .iter()
            .any(|o| o.identity_provider_tenant_id.is_some())
    );
}

#[test]
fn agentless_and_every_severity_read_from_the_standard_seed() {
    let f = start(&Msp::standard());
    let open = f
        .client()
        .incidents(&IncidentQuery {
            statuses: vec![IncidentStatus::Sent],
            ..IncidentQuery::default()
        })
        .unwrap();
    for sev in Severity::ALL {
        assert!(open.iter().any(|i| i.severity == sev), "{sev}");
    }
    let m365 = open
        .iter()
        .find(|i| i.platform.as_deref() == Some("microsoft_365"))
        .unwrap();
    assert_eq!(m365.agent_id, None);
}

#[test]
fn a_server_error_is_retried_then_explained() {
    let f = start(&Msp::standard());
    f.server.set_fault("server-error", true).unwrap();
    let mut policy = HuntressClient::policy();
    policy.retry.base_delay = Duration::from_millis(10);
    let client = HuntressClient::with_policy(
        &f.http,
        f.base(),
        SANDBOX_API_KEY,
        Secret::new(SANDBOX_API_SECRET),
        policy,
    );
    let err = client.organizations().unwrap_err();
    assert_eq!(err.status, Some(500));
    assert!(err.fix.clone().unwrap().contains("statuspage"));
    assert_eq!(
        f.logged("/v1/organizations").len(),
        4,
        "first try and three retries"
    );
}

#[test]
fn open_defaults_to_the_public_api_and_refuses_plain_http() {
    let http = Http::new(HttpOptions::default()).unwrap();
    let mut config = HuntressSourceConfig {
        api_key: "k".into(),
        base_url: None,
        secret_store: Default::default(),
    };
    let client = open(&config, Secret::new("s"), &http).unwrap();
    assert_eq!(client.base().as_str(), DEFAULT_BASE_URL);
    config.base_url = Some("http://api.example.com".into());
    assert!(matches!(
        open(&config, Secret::new("s"), &http),
        Err(BaseUrlError::PlainHttp(_))
    ));
}

#[test]
fn severity_platform_indicator_and_agent_filters_reach_the_api() {
    let f = start(&Msp::standard());
    let everything = f.emulator.incidents();
    let queries = [
        IncidentQuery {
            severity: Some(Severity::Critical),
            ..IncidentQuery::default()
        },
        IncidentQuery {
            platform: Some("microsoft_365".into()),
            ..IncidentQuery::default()
        },
        IncidentQuery {
            indicator_type: Some("footholds".into()),
            severity: Some(Severity::High),
            ..IncidentQuery::default()
        },
        IncidentQuery {
            agent_id: Some(5001),
            ..IncidentQuery::default()
        },
    ];
    for query in &queries {
        f.server.clear_log();
        let mut found: Vec<i64> = f
            .client()
            .incidents(query)
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        found.sort();
        let mut expected: Vec<i64> = everything
            .iter()
            .filter(|i| query.selects(i))
            .map(|i| i.id)
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "{query:?} selects something");
        assert!(expected.len() < everything.len(), "{query:?} filters");
        assert_eq!(found, expected, "{query:?}");
        // Filtered by the API, not after fetching everything.
        let sent = &f.logged("/v1/incident_reports")[0].query;
        for (key, value) in query.api_filters() {
            assert!(sent.contains(&format!("{key}={value}")), "{sent}");
        }
    }
}

#[test]
fn incident_created_at_is_read_when_sent_and_absent_otherwise() {
    let f = start(&Msp::standard());
    let client = f.client();
    let without = client.incidents(&IncidentQuery::default()).unwrap();
    assert!(!without.is_empty());
    assert!(without.iter().all(|i| i.created_at.is_none()));
    f.server.set_fault("incident-created-at", true).unwrap();
    let with = client.incidents(&IncidentQuery::default()).unwrap();
    assert_eq!(with.len(), without.len());
    assert!(with.iter().all(|i| i.created_at.is_some()), "read as sent");
    let ids = |v: &[Incident]| v.iter().map(|i| i.id).collect::<Vec<_>>();
    assert_eq!(ids(&with), ids(&without), "nothing else changes");
    let one = client.incident(with[0].id).unwrap();
    assert!(one.created_at.is_some());
}

#[test]
fn a_first_page_holding_every_result_is_taken_once() {
    let f = start(&Msp::generated(1200, 0, 0));
    let client = f.client();
    assert_eq!(client.organizations().unwrap().len(), 1200);
    assert_eq!(f.logged("/v1/organizations").len(), 3, "500 + 500 + 200");

    f.server.set_fault("first-page-all", true).unwrap();
    f.server.clear_log();
    let orgs = client.organizations().unwrap();
    let ids: std::collections::BTreeSet<i64> = orgs.iter().map(|o| o.id).collect();
    assert_eq!(orgs.len(), 1200, "no organization twice");
    assert_eq!(ids.len(), 1200);
    assert_eq!(
        f.logged("/v1/organizations").len(),
        2,
        "the second page repeats the first: the walk stops there"
    );
}

#[test]
fn incidents_walk_once_when_the_first_page_holds_every_result() {
    let f = start(&Msp::generated(40, 0, 1200));
    f.server.set_fault("first-page-all", true).unwrap();
    let all = f.client().incidents(&IncidentQuery::default()).unwrap();
    let ids: std::collections::BTreeSet<i64> = all.iter().map(|i| i.id).collect();
    assert_eq!((all.len(), ids.len()), (1200, 1200));
}

#[test]
fn the_older_remediation_shape_reads_like_the_current_one() {
    let f = start(&Msp::standard());
    let client = f.client();
    // More than the embedded ten: the remediations endpoint is read too.
    let busy = f.sent_incident_with_unapproved();
    f.emulator.add_remediations(busy, 12).unwrap();
    let ids: Vec<i64> = f.emulator.incidents().iter().map(|i| i.id).collect();
    let read = |legacy: bool| -> Vec<Incident> {
        f.server.set_fault("legacy-remediations", legacy).unwrap();
        ids.iter().map(|id| client.incident(*id).unwrap()).collect()
    };
    let current = read(false);
    let older = read(true);
    let mut compared = 0;
    for (c, o) in current.iter().zip(&older) {
        assert_eq!(
            c.remediation_state(),
            o.remediation_state(),
            "incident {}",
            c.id
        );
        assert_eq!(c.remediations.len(), o.remediations.len());
        for (rc, ro) in c.remediations.iter().zip(&o.remediations) {
            assert_eq!(
                (&rc.id, &rc.kind, &rc.action, &rc.status),
                (&ro.id, &ro.kind, &ro.action, &ro.status)
            );
            assert_eq!(
                (&rc.approved_at, &rc.approved_by, &rc.completed_at),
                (&ro.approved_at, &ro.approved_by, &ro.completed_at)
            );
            assert!(ro.action.is_some(), "display_action is the action");
            if rc.kind.as_deref() == Some("assisted") {
                assert_eq!(rc.parameters, ro.parameters, "details read as parameters");
                assert!(!ro.parameters.is_empty());
            }
            compared += 1;
        }
    }
    assert!(compared > 20, "{compared} remediations compared");
    assert!(
        older
            .iter()
            .flat_map(|i| &i.remediations)
            .any(|r| r.approved_by.as_deref() == Some("Sandbox Technician")),
        "first and last name make the approver's label"
    );
}
