//! The HaloPSA client against the HaloPSA emulator, in-process.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::http::HttpOptions;
use crate::lookup;
use crate::sandbox::halopsa::{
    CLIENT_ID, CLIENT_SECRET, HOST, HUNTRESS_TYPE, HaloEmulator, HaloOptions, TENANT,
};
use crate::sandbox::seed::Msp;
use crate::sandbox::server::{RunningServer, ServerOptions};
use crate::sandbox::{Emulator, PsaEmulator};
use crate::store::SecretStoreKind;

struct Env {
    emu: Arc<HaloEmulator>,
    server: RunningServer,
    http: Http,
}

impl Env {
    fn new() -> Env {
        Env::with(&Msp::standard(), HaloOptions::default())
    }

    fn with(msp: &Msp, options: HaloOptions) -> Env {
        let emu = Arc::new(HaloEmulator::new(msp, options));
        let server = RunningServer::start(emu.clone(), ServerOptions::default()).unwrap();
        let http = Http::new(HttpOptions {
            timeout: Duration::from_secs(20),
            ..HttpOptions::default()
        })
        .unwrap();
        Env { emu, server, http }
    }

    fn fault(&self, name: &str) {
        self.server.set_fault(name, true).unwrap();
    }

    fn settings() -> Settings {
        Settings {
            host: Some(HOST.into()),
            client_id: CLIENT_ID.into(),
            ..Settings::default()
        }
    }

    fn config(&self, settings: &Settings) -> IntegrationConfig {
        IntegrationConfig {
            kind: PsaKind::Halopsa,
            base_url: Some(self.server.base_url()),
            secret_store: SecretStoreKind::Env,
            routing: None,
            default_company: None,
            settings: settings.to_table(),
        }
    }

    fn client_with(&self, settings: &Settings, secret: &str) -> HaloPsa {
        connect(&self.config(settings), Secret::new(secret), &self.http).unwrap()
    }

    fn client(&self) -> HaloPsa {
        self.client_with(&Env::settings(), CLIENT_SECRET)
    }

    fn count(&self, method: &str, path: &str) -> usize {
        self.server.count(method, path)
    }

    fn new_ticket(&self, org: &str, incident: i64) -> NewTicket {
        NewTicket {
            company_id: self.emu.company_id(org).unwrap(),
            title: format!("HIGH - Incident on HOST-{incident} ({org})"),
            body: "Huntress found a foothold.\nSee <the portal> & act.".to_string(),
            marker: crate::psa::incident_marker("huntress", incident),
            routing_id: Some(HUNTRESS_TYPE.to_string()),
            status_id: None,
            priority_id: None,
            severity: None,
        }
    }
}

fn expect_err<T: std::fmt::Debug>(r: Result<T, ApiError>) -> ApiError {
    r.expect_err("expected an error")
}

// ----- settings and connect -----

#[test]
fn host_must_be_the_base_domain_only() {
    assert_eq!(
        validate_host(" Acme.HaloPSA.com/ ").unwrap(),
        "acme.halopsa.com"
    );
    assert_eq!(
        validate_host("halo.example:8443").unwrap(),
        "halo.example:8443"
    );
    for bad in [
        "https://acme.halopsa.com/api",
        "https://acme.halopsa.com",
        "acme.halopsa.com/api",
        "",
        "acme halopsa",
    ] {
        let e = validate_host(bad).unwrap_err();
        assert!(
            e.contains("use the base domain only, e.g. acme.halopsa.com"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn settings_round_trip_through_config_toml() {
    let s = Settings {
        host: Some("acme.halopsa.com".into()),
        auth_host: None,
        tenant: Some("acme".into()),
        client_id: "abc".into(),
        scope: None,
        requests_per_5min: Some(500),
        discovered_auth_url: Some("https://auth.haloservicedesk.com".into()),
        discovered_tenant: Some("acme".into()),
        rate_limit_wait_secs: None,
    };
    let table = s.to_table();
    assert!(!table.contains_key("auth_host"), "unset fields are omitted");
    assert_eq!(Settings::from_table(&table).unwrap(), s);
    let mut broken = table.clone();
    broken.insert(
        "requests_per_5min".into(),
        toml::Value::String("lots".into()),
    );
    assert_eq!(
        Settings::from_table(&broken).unwrap_err().exit,
        crate::error::Exit::Config
    );
}

#[test]
fn connect_needs_a_client_id_and_a_host_or_base_url() {
    let http = Http::new(HttpOptions::default()).unwrap();
    let mut config = IntegrationConfig {
        kind: PsaKind::Halopsa,
        base_url: None,
        secret_store: SecretStoreKind::Env,
        routing: None,
        default_company: None,
        settings: Settings {
            client_id: "id".into(),
            ..Settings::default()
        }
        .to_table(),
    };
    let err = connect(&config, Secret::new("s3cr3t-unused"), &http)
        .err()
        .unwrap();
    assert!(err.to_string().contains("neither a host nor a base URL"));
    config.settings = Settings {
        host: Some("https://acme.halopsa.com/api".into()),
        client_id: "id".into(),
        ..Settings::default()
    }
    .to_table();
    let err = connect(&config, Secret::new("s3cr3t-unused"), &http)
        .err()
        .unwrap();
    assert_eq!(
        crate::error::Failure::from_anyhow(err).exit,
        crate::error::Exit::Config
    );
    config.settings = Settings {
        host: Some("acme.halopsa.com".into()),
        ..Settings::default()
    }
    .to_table();
    assert!(connect(&config, Secret::new("s3cr3t-unused"), &http).is_err());
    config.settings = Settings {
        host: Some("acme.halopsa.com".into()),
        client_id: "id".into(),
        ..Settings::default()
    }
    .to_table();
    let halo = connect(&config, Secret::new("s3cr3t-unused"), &http).unwrap();
    assert_eq!(halo.identity(), "halopsa:acme.halopsa.com");
}

#[test]
fn base_url_replaces_scheme_host_and_port_and_names_the_identity() {
    let env = Env::new();
    let halo = env.client();
    let port = env.server.addr().port();
    assert_eq!(halo.identity(), format!("halopsa:127.0.0.1:{port}"));
    let auth = halo.auth_endpoint().unwrap();
    assert_eq!(auth.source, AuthSource::Discovered);
    assert_eq!(auth.server, format!("{}/auth", env.server.base_url()));
    assert_eq!(auth.tenant.as_deref(), Some(TENANT));
    // A configured auth host keeps its path under the base URL.
    let configured = env.client_with(
        &Settings {
            auth_host: Some("auth.acme.example".into()),
            ..Env::settings()
        },
        CLIENT_SECRET,
    );
    let auth = configured.auth_endpoint().unwrap();
    assert_eq!(auth.source, AuthSource::Configured);
    assert_eq!(auth.server, format!("{}/auth", env.server.base_url()));
    assert_eq!(auth.tenant, None);
    configured.verify().unwrap();
}

#[test]
fn auth_host_takes_a_url_a_host_with_a_path_or_a_bare_host() {
    assert_eq!(
        validate_auth_host("https://auth.haloservicedesk.com").unwrap(),
        "https://auth.haloservicedesk.com"
    );
    assert_eq!(
        validate_auth_host("https://acme.halopsa.com/auth/").unwrap(),
        "https://acme.halopsa.com/auth"
    );
    assert_eq!(
        validate_auth_host("acme.halopsa.com/auth").unwrap(),
        "https://acme.halopsa.com/auth"
    );
    assert_eq!(
        validate_auth_host("Acme.HaloPSA.com").unwrap(),
        "https://acme.halopsa.com/auth"
    );
    let pasted = validate_auth_host("https://acme.halopsa.com/auth?tenant=acme").unwrap_err();
    assert!(pasted.contains("--tenant"), "{pasted}");
    for bad in [
        "",
        "http://auth.example.com",
        "/auth",
        "a b/auth",
        "auth.example.com/auth#x",
    ] {
        let e = validate_auth_host(bad).unwrap_err();
        assert!(
            e.contains("not a HaloPSA Authorisation Server"),
            "{bad}: {e}"
        );
        assert!(!e.contains("base domain only"), "{bad}: {e}");
    }
}

#[test]
fn a_stored_authorisation_server_is_used_without_asking_authinfo() {
    let env = Env::new();
    let first = env.client();
    first.verify().unwrap();
    let kept = first.discovered_settings();
    assert_eq!(
        kept.get("discovered_auth_url").and_then(|v| v.as_str()),
        Some(format!("{}/auth", env.server.base_url()).as_str())
    );
    assert_eq!(
        kept.get("discovered_tenant").and_then(|v| v.as_str()),
        Some(TENANT)
    );
    let mut settings = Env::settings().to_table();
    settings.extend(kept);
    let settings = Settings::from_table(&settings).unwrap();
    env.server.clear_log();
    let later = env.client_with(&settings, CLIENT_SECRET);
    later.verify().unwrap();
    assert_eq!(
        env.count("GET", "/api/authinfo"),
        0,
        "no question asked twice"
    );
    assert_eq!(later.auth_endpoint().unwrap().source, AuthSource::Stored);
    assert!(
        later.discovered_settings().is_empty(),
        "nothing new to keep"
    );
    let token = env
        .server
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/auth/token"))
        .expect("a token request");
    assert!(
        token.query.contains(&format!("tenant={TENANT}")),
        "{}",
        token.query
    );
}

#[test]
fn a_stored_authorisation_server_that_moved_is_discovered_again_once() {
    let env = Env::new();
    let settings = Settings {
        discovered_auth_url: Some(format!("{}/old-auth", env.server.base_url())),
        ..Env::settings()
    };
    let halo = env.client_with(&settings, CLIENT_SECRET);
    halo.verify().unwrap();
    assert_eq!(env.count("POST", "/old-auth/token"), 1);
    assert_eq!(env.count("GET", "/api/authinfo"), 1);
    assert_eq!(halo.auth_endpoint().unwrap().source, AuthSource::Discovered);
}

#[test]
fn a_wrong_authorisation_server_is_a_configuration_error() {
    let env = Env::new();
    let halo = env.client_with(
        &Settings {
            auth_host: Some("https://auth.haloservicedesk.com".into()),
            ..Env::settings()
        },
        CLIENT_SECRET,
    );
    let e = expect_err(halo.verify());
    assert_eq!(e.status, Some(404));
    assert_eq!(e.exit(), crate::error::Exit::Config);
    assert!(e.fix.clone().unwrap().contains("--auth-host"), "{e:?}");
}

#[test]
fn an_ip_address_filter_is_named_with_the_fix() {
    let env = Env::new();
    env.fault("ip-filter");
    let e = expect_err(env.client().verify());
    assert_eq!(e.kind, ApiErrorKind::Permission);
    assert!(
        e.fix
            .clone()
            .unwrap()
            .contains("allow this machine's public address")
    );
    // A token obtained before the filter applied: the API call is refused the same way.
    env.server.set_fault("ip-filter", false).unwrap();
    let halo = env.client();
    halo.verify().unwrap();
    env.fault("ip-filter");
    let e = expect_err(halo.companies());
    assert_eq!(e.status, Some(403));
    assert_eq!(e.kind, ApiErrorKind::Permission);
    let fix = e.fix.clone().unwrap();
    assert!(fix.contains("allow this machine's public address"), "{fix}");
    assert!(
        !fix.contains("Read Customers"),
        "not a permission problem: {fix}"
    );
}

// ----- authentication -----

#[test]
fn token_request_carries_the_tenant_from_settings_or_authinfo() {
    let env = Env::new();
    env.fault("hosted-tenant");
    // Discovered: authinfo names the tenant.
    env.client().verify().unwrap();
    let token_requests: Vec<_> = env
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/auth/token")
        .collect();
    assert_eq!(token_requests.len(), 1);
    assert_eq!(token_requests[0].query, format!("tenant={TENANT}"));

    // Configured auth host and tenant: no discovery.
    env.server.clear_log();
    let explicit = env.client_with(
        &Settings {
            auth_host: Some(HOST.into()),
            tenant: Some(TENANT.into()),
            ..Env::settings()
        },
        CLIENT_SECRET,
    );
    explicit.verify().unwrap();
    assert_eq!(env.count("GET", "/api/authinfo"), 0);

    // Configured auth host without the tenant a hosted instance needs.
    let missing = env.client_with(
        &Settings {
            auth_host: Some(HOST.into()),
            ..Env::settings()
        },
        CLIENT_SECRET,
    );
    let e = expect_err(missing.verify());
    assert_eq!(e.kind, ApiErrorKind::Auth);
    assert!(e.fix.clone().unwrap().contains("--tenant"));
}

#[test]
fn wrong_secret_is_an_auth_error_that_never_shows_the_secret() {
    let env = Env::new();
    let secret = "wrong-secret-5d1f0b7e9a";
    let halo = env.client_with(&Env::settings(), secret);
    let e = expect_err(halo.companies());
    assert_eq!(e.kind, ApiErrorKind::Auth);
    assert_eq!(e.exit(), crate::error::Exit::Auth);
    let fix = e.fix.clone().unwrap();
    assert!(fix.contains("PSA_LINK_HALOPSA_CLIENT_SECRET"), "{fix}");
    assert!(fix.contains("View Applications"), "{fix}");
    let everything = format!("{e} {e:?} {fix} {}", e.body);
    assert!(!everything.contains(secret), "{everything}");
    assert!(!everything.contains(CLIENT_SECRET));
}

#[test]
fn a_refused_secret_is_never_mistaken_for_ticket_visibility() {
    let env = Env::new();
    let good = env.client();
    let id = good
        .create_ticket(&env.new_ticket("Contoso Ltd", 1))
        .unwrap();
    let bad = env.client_with(&Env::settings(), "wrong-secret-b81c2");
    let e = expect_err(bad.ticket(id));
    assert_eq!(e.kind, ApiErrorKind::Auth);
    assert!(
        e.fix
            .clone()
            .unwrap()
            .contains("PSA_LINK_HALOPSA_CLIENT_SECRET")
    );
}

#[test]
fn token_is_fetched_once_and_shared_by_concurrent_pages() {
    let env = Env::new();
    env.emu.set_client_page_cap(Some(5));
    let halo = env.client();
    halo.companies().unwrap();
    halo.routings().unwrap();
    assert_eq!(env.emu.tokens_issued(), 1);
}

#[test]
fn short_lived_tokens_are_renewed_mid_run() {
    let env = Env::new();
    env.fault("short-token");
    let halo = env.client();
    let before = halo.companies().unwrap().len();
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(halo.companies().unwrap().len(), before);
    assert!(env.emu.tokens_issued() >= 2);
    let refused = env
        .server
        .requests()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    assert_eq!(refused, 0, "renewed before expiry, not after a refusal");
}

#[test]
fn a_refused_token_is_renewed_once_and_the_request_repeated() {
    let env = Env::new();
    let halo = env.client();
    halo.routings().unwrap();
    env.emu.revoke_tokens();
    let types = halo.routings().unwrap();
    assert!(types.iter().any(|t| t.name == "Huntress Incident"));
    assert_eq!(env.emu.tokens_issued(), 2);
    let log = env.server.requests();
    let statuses: Vec<u16> = log
        .iter()
        .filter(|r| r.path == "/api/TicketType")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [200, 401, 200]);
}

#[test]
fn a_missing_scope_names_the_application_permission() {
    let env = Env::new();
    env.emu
        .set_granted_scopes(&["read:tickets", "edit:tickets"]);
    let halo = env.client_with(
        &Settings {
            scope: Some("read:tickets edit:tickets".into()),
            ..Env::settings()
        },
        CLIENT_SECRET,
    );
    let e = expect_err(halo.companies());
    assert_eq!(e.kind, ApiErrorKind::Permission);
    assert!(e.fix.clone().unwrap().contains("Read Customers"));
    // Asking for more than the application has is refused at the token.
    let greedy = env.client();
    let e = expect_err(greedy.routings());
    assert_eq!(e.kind, ApiErrorKind::Permission);
    assert!(e.mentions("invalid_scope"));
    assert!(e.fix.clone().unwrap().contains("--scope"));
}

// ----- lists -----

#[test]
fn companies_come_in_concurrent_pages_with_no_request_wasted() {
    let env = Env::new();
    env.emu.set_client_page_cap(Some(10));
    env.server.set_latency(Duration::from_millis(300));
    let halo = env.client();
    let companies = halo.companies().unwrap();
    let seeded = Msp::standard().companies.len();
    assert_eq!(companies.len(), seeded);
    let ids: std::collections::HashSet<i64> = companies.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), seeded, "no duplicates");
    // The server capped 1000 to 10: pages are computed from what it returned.
    let pages = env
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/Client")
        .collect::<Vec<_>>();
    assert_eq!(pages.len(), seeded.div_ceil(10));
    assert!(pages.iter().all(|r| r.query.contains("pageinate=true")));
    // Pages 2.. were in flight together: they finished within one latency of each other,
    // where one after another they would be a latency apart each.
    let rest: Vec<u64> = pages[1..].iter().map(|r| r.at_ms).collect();
    let spread = rest.iter().max().unwrap() - rest.iter().min().unwrap();
    assert!(rest.len() >= 3 && spread < 300, "spread {spread} ms");
}

#[test]
fn a_large_client_list_takes_one_request_per_thousand() {
    let msp = Msp::generated(100, 2500, 0);
    let env = Env::with(
        &msp,
        HaloOptions {
            old_tickets: 0,
            ..HaloOptions::default()
        },
    );
    let companies = env.client().companies().unwrap();
    assert_eq!(companies.len(), 2501);
    assert_eq!(env.count("GET", "/api/Client"), 3);
    assert!(
        companies.iter().any(|c| !c.active),
        "inactive kept, flagged"
    );
}

#[test]
fn inactive_clients_are_listed_and_flagged() {
    let env = Env::new();
    let companies = env.client().companies().unwrap();
    let bakery = companies
        .iter()
        .find(|c| c.name == "Old Mill Bakery")
        .unwrap();
    assert!(!bakery.active);
    let contoso = companies.iter().find(|c| c.name == "Contoso Ltd").unwrap();
    assert!(contoso.active);
}

#[test]
fn ticket_types_statuses_and_sla_scoped_priorities() {
    let env = Env::with(
        &Msp::standard(),
        HaloOptions {
            status_id_offset: 40,
            ..HaloOptions::default()
        },
    );
    let halo = env.client();
    let types = halo.routings().unwrap();
    let huntress =
        lookup::find("Huntress Incident", &types, |c| c.id.clone(), |c| &c.name).unwrap();
    assert_eq!(huntress.id, HUNTRESS_TYPE.to_string());

    let statuses = halo.statuses(Some(&huntress.id)).unwrap();
    let names: Vec<&str> = statuses.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Remediation In Progress"));
    assert!(!names.contains(&"Change Approved"));
    let closed = lookup::find("closed", &statuses, |c| c.id.clone(), |c| &c.name).unwrap();
    assert_eq!(closed.id, env.emu.status_id("Closed").unwrap().to_string());
    assert_eq!(closed.closed, Some(true));
    let new = statuses.iter().find(|s| s.default).unwrap();
    assert_eq!(new.name, "New");

    let priorities = halo.priorities(Some(&huntress.id)).unwrap();
    let names: Vec<&str> = priorities.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Critical", "High", "Medium", "Low"]);
    let high = lookup::find("High", &priorities, |c| c.id.clone(), |c| &c.name).unwrap();
    assert_eq!(
        high.id, "12",
        "the priorityid of the Security SLA, not the uuid"
    );
    assert_eq!(
        priorities.iter().find(|p| p.default).unwrap().name,
        "Medium"
    );
    let standard = halo.priorities(Some("1")).unwrap();
    assert_eq!(standard[1].id, "2");
    assert!(env.count("GET", "/api/Priority") == 2);
    assert!(
        env.server
            .requests()
            .iter()
            .any(|r| r.path == "/api/Priority" && r.query.contains("slaid=3"))
    );
    let miss = lookup::find("Hihg", &priorities, |c| c.id.clone(), |c| &c.name).unwrap_err();
    let all: Vec<String> = priorities.iter().map(|p| p.name.clone()).collect();
    assert!(
        miss.explain("priority", &all)
            .contains("did you mean 'High'?")
    );
}

// ----- tickets -----

#[test]
fn create_read_update_and_close_a_ticket() {
    let env = Env::new();
    let halo = env.client();
    let mut new = env.new_ticket("Contoso Ltd", 90_002);
    let high = env.emu.priority_id(3, "High").unwrap();
    new.priority_id = Some(high.to_string());
    let id = halo.create_ticket(&new).unwrap();

    let raw = env.emu.raw_ticket(id).unwrap();
    assert_eq!(raw["third_party_id_string"], "psa-link:huntress:90002");
    let html = raw["details_html"].as_str().unwrap();
    assert!(
        html.contains("foothold.<br>See &lt;the portal&gt; &amp; act."),
        "{html}"
    );
    assert!(
        html.contains("psa-link:huntress:90002"),
        "marker also in the body"
    );
    assert_eq!(raw["priority_id"], high);
    assert_eq!(raw["user_name"], "General User");

    let t = halo.ticket(id).unwrap();
    assert_eq!(t.company_id, env.emu.company_id("Contoso Ltd"));
    assert_eq!(t.company_name.as_deref(), Some("Contoso Ltd"));
    assert_eq!(t.marker.as_deref(), Some("psa-link:huntress:90002"));
    assert_eq!(t.status_name.as_deref(), Some("New"));
    assert!(!t.closed);

    let progress = env
        .emu
        .status_id("Remediation In Progress")
        .unwrap()
        .to_string();
    halo.update_ticket(
        id,
        &TicketChange {
            status_id: Some(progress.clone()),
            priority_id: None,
            severity: None,
        },
    )
    .unwrap();
    assert_eq!(halo.ticket(id).unwrap().status_id, Some(progress));

    let closed = env.emu.status_id("Closed").unwrap().to_string();
    halo.update_ticket(
        id,
        &TicketChange {
            status_id: Some(closed),
            priority_id: Some(env.emu.priority_id(3, "Low").unwrap().to_string()),
            severity: None,
        },
    )
    .unwrap();
    let t = halo.ticket(id).unwrap();
    assert!(t.closed);
    assert_eq!(env.emu.ticket(id).unwrap().priority.as_deref(), Some("Low"));
    // Nothing to change: no request.
    let posts = env.count("POST", "/api/Tickets");
    halo.update_ticket(id, &TicketChange::default()).unwrap();
    assert_eq!(env.count("POST", "/api/Tickets"), posts);
}

#[test]
fn private_notes_use_the_private_note_outcome_and_never_email() {
    let env = Env::new();
    let halo = env.client();
    let id = halo
        .create_ticket(&env.new_ticket("Fabrikam Inc", 7))
        .unwrap();
    for text in [
        "Severity raised to CRITICAL.\nBy psa-link.",
        "Remediation approved.",
    ] {
        halo.add_note(
            id,
            &Note {
                text: text.into(),
                resolution: false,
            },
        )
        .unwrap();
    }
    let actions = env.emu.actions(id);
    assert_eq!(actions.len(), 2);
    for a in &actions {
        assert_eq!(a["outcome"], "Private Note");
        assert_eq!(a["hiddenfromuser"], true);
        assert_eq!(a["sendemail"], false);
    }
    assert_eq!(
        env.emu.ticket(id).unwrap().notes[0].text,
        "Severity raised to CRITICAL.\nBy psa-link."
    );
    assert_eq!(
        env.count("GET", "/api/Outcome"),
        1,
        "outcome looked up once"
    );
    assert_eq!(
        halo.note_outcome().unwrap(),
        NoteOutcome::Id {
            id: 7,
            name: "Private Note".into()
        }
    );
}

#[test]
fn note_outcome_falls_back_to_the_closest_name() {
    let o = |v: &[(i64, &str)]| {
        pick_note_outcome(
            &v.iter()
                .map(|(i, n)| (*i, n.to_string()))
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        o(&[(1, "Update"), (4, "Internal Note")]),
        Some((4, "Internal Note".into()))
    );
    assert_eq!(
        o(&[(1, "Update"), (5, "Private comment")]),
        Some((5, "Private comment".into()))
    );
    assert_eq!(o(&[(2, "Tech note")]), Some((2, "Tech note".into())));
    assert_eq!(o(&[(1, "Update")]), None);
}

#[test]
fn marked_tickets_are_found_and_the_scan_stops_at_created_since() {
    let env = Env::with(
        &Msp::standard(),
        HaloOptions {
            old_tickets: 800, // 200 old tickets in the Huntress Incident type: two pages
            ..HaloOptions::default()
        },
    );
    let halo = env.client();
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(
            halo.create_ticket(&env.new_ticket("Contoso Ltd", n))
                .unwrap(),
        );
    }
    let markers: Vec<String> = [1, 3, 404]
        .iter()
        .map(|n| crate::psa::incident_marker("huntress", *n))
        .collect();
    let routing = HUNTRESS_TYPE.to_string();
    env.server.clear_log();
    let found = halo
        .find_marked(&MarkerSearch {
            markers: &markers,
            created_since: Some(time::OffsetDateTime::now_utc() - time::Duration::minutes(10)),
            routing_id: Some(&routing),
        })
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found["psa-link:huntress:1"], ids[0]);
    assert_eq!(found["psa-link:huntress:3"], ids[2]);
    assert_eq!(
        env.count("GET", "/api/Tickets"),
        1,
        "stopped at old tickets"
    );

    // Without a date bound, a missing marker means reading the whole ticket type.
    env.server.clear_log();
    let found = halo
        .find_marked(&MarkerSearch {
            markers: &markers,
            created_since: None,
            routing_id: Some(&routing),
        })
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(env.count("GET", "/api/Tickets"), 3);
    assert!(
        halo.find_marked(&MarkerSearch {
            markers: &[],
            created_since: None,
            routing_id: None
        })
        .unwrap()
        .is_empty()
    );
}

#[test]
fn marked_tickets_are_found_when_search_is_ignored_and_lists_are_lean() {
    let env = Env::new();
    env.fault("ignore-search");
    env.fault("lean-lists");
    let halo = env.client();
    let id = halo
        .create_ticket(&env.new_ticket("Tailspin Toys", 55))
        .unwrap();
    let markers = vec![crate::psa::incident_marker("huntress", 55)];
    env.server.clear_log();
    let found = halo
        .find_marked(&MarkerSearch {
            markers: &markers,
            created_since: Some(time::OffsetDateTime::now_utc() - time::Duration::minutes(5)),
            routing_id: None,
        })
        .unwrap();
    assert_eq!(found.get("psa-link:huntress:55"), Some(&id));
    // The lean rows hide the marker: only the recent ticket was read one by one.
    assert_eq!(env.count("GET", &format!("/api/Tickets/{id}")), 1);
    assert_eq!(env.count("GET", "/api/Tickets/"), 1);
}

#[test]
fn a_lost_create_answer_is_not_retried_and_the_marker_finds_the_ticket() {
    let env = Env::new();
    env.fault("drop-create-response");
    let halo = env.client();
    let e = expect_err(halo.create_ticket(&env.new_ticket("Contoso Ltd", 77)));
    assert_eq!(e.kind, ApiErrorKind::Network);
    assert!(e.fix.clone().unwrap().contains("marker"));
    assert_eq!(e.message, "504 Gateway Time-out");
    assert_eq!(
        env.count("POST", "/api/Tickets"),
        1,
        "a create is never re-sent"
    );
    let markers = vec![crate::psa::incident_marker("huntress", 77)];
    let found = halo
        .find_marked(&MarkerSearch {
            markers: &markers,
            created_since: None,
            routing_id: None,
        })
        .unwrap();
    assert_eq!(
        found.values().copied().collect::<Vec<_>>(),
        env.emu.api_tickets()
    );
}

#[test]
fn deleting_a_ticket_or_learning_the_agent_may_not() {
    let env = Env::new();
    let halo = env.client();
    let id = halo
        .create_ticket(&env.new_ticket("Contoso Ltd", 1))
        .unwrap();
    let other = halo
        .create_ticket(&env.new_ticket("Contoso Ltd", 2))
        .unwrap();
    assert!(halo.delete_ticket(id).unwrap());
    assert!(env.emu.raw_ticket(id).is_none());
    assert_eq!(expect_err(halo.ticket(id)).kind, ApiErrorKind::NotFound);
    env.fault("no-edit");
    assert!(!halo.delete_ticket(other).unwrap());
    assert!(env.emu.raw_ticket(other).is_some());
}

// ----- diagnoses (SPEC §7) -----

#[test]
fn mandatory_fields_name_the_ticket_type() {
    let env = Env::new();
    env.fault("mandatory-fields");
    let halo = env.client();
    let e = expect_err(halo.create_ticket(&env.new_ticket("Contoso Ltd", 1)));
    assert_eq!(e.kind, ApiErrorKind::Rejected);
    assert_eq!(e.exit(), crate::error::Exit::Rejected);
    assert_eq!(
        e.message,
        "Category is mandatory; Impact is mandatory; Urgency is mandatory"
    );
    let fix = e.fix.clone().unwrap();
    assert!(
        fix.contains("'Huntress Incident' enforces Category, Impact, Urgency"),
        "{fix}"
    );
    // Another ticket type without the rule works, as the fix suggests.
    let mut other = env.new_ticket("Contoso Ltd", 2);
    other.routing_id = Some("1".into());
    other.priority_id = None;
    assert!(halo.create_ticket(&other).is_ok());
}

#[test]
fn a_missing_general_user_suggests_creating_one() {
    let env = Env::new();
    env.fault("no-general-user");
    let e = expect_err(
        env.client()
            .create_ticket(&env.new_ticket("Contoso Ltd", 1)),
    );
    assert_eq!(e.kind, ApiErrorKind::Rejected);
    assert_eq!(e.message, "Please select a valid Client/Site/User");
    let client = env.emu.company_id("Contoso Ltd").unwrap();
    let fix = e.fix.clone().unwrap();
    assert!(
        fix.contains(&format!("client {client} has no General User")),
        "the fix names the client that lacks the user: {fix}"
    );
}

#[test]
fn a_ticket_for_a_client_that_no_longer_exists_names_the_stale_pair() {
    let env = Env::new();
    let mut ticket = env.new_ticket("Contoso Ltd", 1);
    ticket.company_id = 99_999;
    let e = expect_err(env.client().create_ticket(&ticket));
    let fix = e.fix.clone().unwrap_or_default();
    assert!(
        fix.contains("no client 99999") && fix.contains("map auto --filter stale"),
        "{e}: {fix}"
    );
}

#[test]
fn a_client_context_lists_its_sites_and_users_and_finds_the_general_user() {
    let env = Env::new();
    let halo = env.client();
    let client = env.emu.company_id("Able Moose Accounting").unwrap();
    let context = halo.client_context(client).unwrap();
    assert_eq!(context.sites.len(), 1, "the seed's main site");
    assert!(context.general_user().is_some(), "{context:?}");
    env.fault("no-general-user");
    assert_eq!(halo.client_context(client).unwrap().general_user(), None);
}

#[test]
fn an_unreadable_new_ticket_is_a_visibility_problem() {
    let env = Env::new();
    env.fault("no-read-back");
    let halo = env.client();
    let id = halo
        .create_ticket(&env.new_ticket("Contoso Ltd", 1))
        .unwrap();
    let e = expect_err(halo.ticket(id));
    assert_eq!(e.kind, ApiErrorKind::Permission);
    assert_eq!(e.status, Some(401));
    let fix = e.fix.clone().unwrap();
    assert!(fix.contains("View All") && fix.contains("team"), "{fix}");
    assert_eq!(env.emu.tokens_issued(), 2, "one renewal was tried first");
}

#[test]
fn refused_and_ignored_status_changes_are_diagnosed() {
    let env = Env::new();
    let halo = env.client();
    let id = halo
        .create_ticket(&env.new_ticket("Contoso Ltd", 1))
        .unwrap();
    let closed = TicketChange {
        status_id: Some(env.emu.status_id("Closed").unwrap().to_string()),
        priority_id: None,
        severity: None,
    };
    env.fault("no-edit");
    let e = expect_err(halo.update_ticket(id, &closed));
    assert_eq!(e.kind, ApiErrorKind::Permission);
    assert!(
        e.fix
            .clone()
            .unwrap()
            .contains("Can Edit Tickets Which Are Not Assigned To Them")
    );
    env.server.set_fault("no-edit", false).unwrap();
    env.fault("status-unchanged");
    let e = expect_err(halo.update_ticket(id, &closed));
    assert_eq!(e.kind, ApiErrorKind::NotApplied);
    assert!(e.message.contains("did not apply it"));
    assert!(
        e.fix
            .clone()
            .unwrap()
            .contains("status-map set resolved <STATUS>")
    );
    assert!(!env.emu.ticket(id).unwrap().closed);
}

#[test]
fn an_update_answered_without_the_ticket_is_checked_by_re_reading() {
    let env = Env::new();
    let halo = env.client();
    let id = halo
        .create_ticket(&env.new_ticket("Contoso Ltd", 1))
        .unwrap();
    let closed_id = env.emu.status_id("Closed").unwrap().to_string();
    let closed = TicketChange {
        status_id: Some(closed_id.clone()),
        priority_id: None,
        severity: None,
    };
    env.fault("update-no-echo");
    env.fault("status-unchanged");
    let e = expect_err(halo.update_ticket(id, &closed));
    assert_eq!(e.kind, ApiErrorKind::NotApplied, "{e}");
    assert!(e.message.contains("unchanged on re-read"), "{e}");
    let fix = e.fix.clone().unwrap();
    assert!(
        fix.contains("Can Edit Tickets Which Are Not Assigned To Them")
            && fix.contains("all teams"),
        "{fix}"
    );
    env.server.set_fault("status-unchanged", false).unwrap();
    let reread = halo.update_and_read(id, &closed).unwrap().expect("re-read");
    assert_eq!(reread.status_id.as_deref(), Some(closed_id.as_str()));
    assert!(reread.closed);
    // With the saved ticket in the answer, nothing is read again.
    env.server.set_fault("update-no-echo", false).unwrap();
    env.server.clear_log();
    assert!(halo.update_and_read(id, &closed).unwrap().is_none());
    assert_eq!(env.count("GET", &format!("/api/Tickets/{id}")), 0);
}

#[test]
fn a_ticket_is_read_with_its_details() {
    let env = Env::new();
    let halo = env.client();
    let t = env.new_ticket("Contoso Ltd", 7);
    let id = halo.create_ticket(&t).unwrap();
    assert_eq!(
        halo.ticket(id).unwrap().marker.as_deref(),
        Some(t.marker.as_str())
    );
    let asked = env
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.path.contains(&format!("/api/Tickets/{id}")))
        .expect("the read");
    assert!(
        asked.query.contains("includedetails=true"),
        "{}",
        asked.query
    );
}

#[test]
fn json_and_plain_text_errors_read_the_same() {
    let env = Env::new();
    let halo = env.client();
    let mut wrong_sla = env.new_ticket("Contoso Ltd", 1);
    wrong_sla.priority_id = Some("2".into()); // Standard SLA, not the type's Security SLA
    let json_style = expect_err(halo.create_ticket(&wrong_sla));
    env.fault("plain-errors");
    let text_style = expect_err(halo.create_ticket(&wrong_sla));
    assert_eq!(json_style.message, text_style.message);
    assert_eq!(
        json_style.message,
        "Priority 2 is not valid for the SLA of ticket type 'Huntress Incident'"
    );
    assert!(
        json_style
            .fix
            .clone()
            .unwrap()
            .contains("priority-map list")
    );
    assert!(text_style.body.starts_with("Priority 2"));
}

#[test]
fn rate_limited_requests_are_waited_out() {
    let env = Env::new();
    env.fault("rate-limit");
    let halo = env.client();
    for _ in 0..10 {
        halo.statuses(None).unwrap();
    }
    let stats = env.http.stats();
    let halo_stats = &stats.services[SERVICE];
    assert!(halo_stats.throttled > 0);
    assert!(halo_stats.rate_limit_wait_ms >= 1000);
    assert!(env.server.requests().iter().any(|r| r.status == 429));
}

#[test]
fn psa_connect_opens_halopsa() {
    let env = Env::new();
    let config = env.config(&Env::settings());
    let psa = crate::psa::connect(&config, Secret::new(CLIENT_SECRET), &env.http).unwrap();
    assert_eq!(psa.kind(), PsaKind::Halopsa);
    psa.verify().unwrap();
    assert_eq!(env.emu.name(), "halopsa");
}
