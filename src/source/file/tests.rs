//! Every accepted file shape, the errors for the rest, and the queries.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::sandbox::RunningServer;
use crate::sandbox::huntress::{HuntressEmulator, SANDBOX_API_KEY, SANDBOX_API_SECRET};
use crate::sandbox::seed::Msp;
use crate::sandbox::server::ServerOptions;
use crate::source::IncidentStatus;

fn parse(text: &str) -> Result<FileSource, Failure> {
    FileSource::parse(Path::new("incidents.json"), text)
}

const COLLECTION: &str = r#"{
  "account": {"id": 9, "name": "Acme MSP", "subdomain": "acmemsp", "status": "enabled"},
  "organizations": [
    {"id": 4, "name": "Contoso Ltd", "key": "contoso", "identity_provider_tenant_id": null},
    {"id": 5, "name": "Fabrikam Inc", "key": "fabrikam", "microsoft_365_tenant_id": "t-5",
     "notify_emails": ["it@fabrikam.example"]}
  ],
  "agents": [{"id": 12, "hostname": "laptop01", "platform": "windows"}],
  "incident_reports": [
    {"id": 1, "organization_id": 4, "agent_id": 12, "status": "sent", "severity": "high",
     "subject": "HIGH - Incident on laptop01 (Contoso Ltd)", "updated_at": "2026-11-20T10:00:00Z",
     "remediations": {"total_count": 1, "has_more": false,
                      "items": [{"id": 7, "type": "manual", "status": "unapproved"}]}},
    {"id": 2, "organization_id": 5, "agent_id": null, "platform": "microsoft_365",
     "status": "closed", "severity": "low", "updated_at": "2026-11-19T10:00:00Z"},
    {"id": 3, "organization_id": 4, "status": "sent", "severity": "critical",
     "indicator_types": ["footholds"], "updated_at": "2026-11-21T10:00:00Z"}
  ]
}"#;

#[test]
fn full_collection_serves_organizations_incidents_hostnames_and_links() {
    let src = parse(COLLECTION).unwrap();
    let orgs = src.organizations().unwrap();
    assert_eq!(orgs.len(), 2);
    assert_eq!(orgs[1].identity_provider_tenant_id.as_deref(), Some("t-5"));
    assert_eq!(src.account().unwrap().subdomain.as_deref(), Some("acmemsp"));
    assert_eq!(src.hostname(12).unwrap().as_deref(), Some("laptop01"));
    assert_eq!(src.hostname(13).unwrap(), None);
    assert_eq!(
        src.incident_url(1).as_deref(),
        Some("https://acmemsp.huntress.io/incident_reports/1")
    );
    let all = src.incidents(&IncidentQuery::default()).unwrap();
    let ids: Vec<i64> = all.iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![2, 1, 3], "oldest updated_at first");
    assert_eq!(src.incident(1).unwrap().remediations.len(), 1);
    let missing = src.incident(99).unwrap_err();
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    assert!(missing.message.contains("incidents.json"));
}

#[test]
fn queries_filter_by_severity_platform_indicator_and_agent() {
    let src = parse(COLLECTION).unwrap();
    let ids = |q: IncidentQuery| -> Vec<i64> {
        src.incidents(&q).unwrap().iter().map(|i| i.id).collect()
    };
    assert_eq!(
        ids(IncidentQuery {
            severity: Some(crate::source::Severity::Critical),
            ..IncidentQuery::default()
        }),
        vec![3]
    );
    assert_eq!(
        ids(IncidentQuery {
            platform: Some("microsoft_365".into()),
            ..IncidentQuery::default()
        }),
        vec![2]
    );
    assert_eq!(
        ids(IncidentQuery {
            agent_id: Some(12),
            ..IncidentQuery::default()
        }),
        vec![1]
    );
    assert_eq!(
        ids(IncidentQuery {
            indicator_type: Some("footholds".into()),
            ..IncidentQuery::default()
        }),
        vec![3]
    );
}

#[test]
fn queries_filter_by_status_organization_and_updated_since() {
    let src = parse(COLLECTION).unwrap();
    let open = src
        .incidents(&IncidentQuery {
            statuses: vec![IncidentStatus::Sent],
            ..IncidentQuery::default()
        })
        .unwrap();
    assert_eq!(open.iter().map(|i| i.id).collect::<Vec<_>>(), vec![1, 3]);
    let contoso = src
        .incidents(&IncidentQuery {
            organization_id: Some(5),
            ..IncidentQuery::default()
        })
        .unwrap();
    assert_eq!(contoso.iter().map(|i| i.id).collect::<Vec<_>>(), vec![2]);
    let since = time::macros::datetime!(2026-11-20 10:00 UTC);
    let recent = src
        .incidents(&IncidentQuery {
            updated_since: Some(since),
            ..IncidentQuery::default()
        })
        .unwrap();
    assert_eq!(recent.iter().map(|i| i.id).collect::<Vec<_>>(), vec![1, 3]);
}

#[test]
fn a_bare_array_of_incidents_derives_its_organizations() {
    let src = parse(
        r#"[{"id": 8, "organization": {"id": 40, "name": "Coho Winery"}, "severity": "low"},
            {"id": 9, "organization_id": 41, "severity": "high"}]"#,
    )
    .unwrap();
    let orgs = src.organizations().unwrap();
    assert_eq!(orgs.len(), 2);
    assert_eq!(orgs[0].name, "Coho Winery");
    assert_eq!(orgs[1].name, "Organization 41");
    assert_eq!(src.incidents(&IncidentQuery::default()).unwrap().len(), 2);
    assert_eq!(src.account().unwrap().id, 0);
    assert_eq!(src.incident_url(8), None);
}

#[test]
fn a_single_incident_with_or_without_its_envelope() {
    let wrapped =
        parse(r#"{"incident_report": {"id": 5, "organization_id": 4, "status": "sent"}}"#).unwrap();
    assert_eq!(wrapped.incident(5).unwrap().organization_id, 4);
    let bare = parse(r#"{"id": 6, "organization_id": 4, "severity": "critical"}"#).unwrap();
    assert_eq!(bare.incidents(&IncidentQuery::default()).unwrap()[0].id, 6);
}

#[test]
fn bad_json_names_the_file_line_and_column() {
    let err = parse("{\n  \"incident_reports\": [\n    {\"id\": 1,,}\n  ]\n}").unwrap_err();
    assert_eq!(err.exit, Exit::Config);
    assert!(err.message.contains("incidents.json"), "{}", err.message);
    assert!(err.message.contains("line 3, column"), "{}", err.message);
}

#[test]
fn a_value_of_the_wrong_shape_names_its_line_too() {
    let err =
        parse("{\"incident_reports\": [\n  {\"id\": 1, \"severity\": \"low\"}\n]}").unwrap_err();
    assert_eq!(err.exit, Exit::Config);
    // The incident is named; serde places the position just after the offending object.
    assert!(
        err.message.contains("incident 1 has no organization_id"),
        "{}",
        err.message
    );
    assert!(err.message.contains(", column "), "{}", err.message);
    let unknown = parse(r#"{"tickets": []}"#).unwrap_err();
    assert!(unknown.message.contains("unknown shape"));
    let twice =
        parse(r#"[{"id": 1, "organization_id": 2}, {"id": 1, "organization_id": 2}]"#).unwrap_err();
    assert!(twice.message.contains("incident report 1 twice"));
}

#[test]
fn resolve_is_refused_because_the_file_is_read_only() {
    let src = parse(COLLECTION).unwrap();
    let err = src.resolve(1).unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Rejected);
    assert!(err.message.contains("read-only"));
    assert!(err.fix.clone().unwrap().contains("source set huntress"));
}

#[test]
fn open_reports_a_missing_file_as_configuration() {
    let err = FileSource::open(Path::new("/nonexistent/psa-link/incidents.json")).unwrap_err();
    assert_eq!(err.exit, Exit::Config);
    assert!(err.message.contains("/nonexistent/psa-link/incidents.json"));
}

#[test]
fn a_saved_api_answer_reads_as_a_file() {
    // What the emulator serves is exactly what the file source accepts.
    let emulator = Arc::new(HuntressEmulator::standard());
    let server = RunningServer::start(emulator.clone(), ServerOptions::default()).unwrap();
    let http = reqwest::blocking::Client::new();
    let fetch = |path: &str| {
        http.get(format!("{}{path}", server.base_url()))
            .basic_auth(SANDBOX_API_KEY, Some(SANDBOX_API_SECRET))
            .send()
            .unwrap()
            .text()
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.json");
    std::fs::write(&list, fetch("/v1/incident_reports?limit=500")).unwrap();
    let src = FileSource::open(&list).unwrap();
    assert_eq!(
        src.incidents(&IncidentQuery::default()).unwrap().len(),
        emulator.incidents().len()
    );
    let one = dir.path().join("one.json");
    std::fs::write(&one, fetch("/v1/incident_reports/90001")).unwrap();
    let src = FileSource::open(&one).unwrap();
    assert_eq!(
        src.incident(90001).unwrap().severity,
        crate::source::Severity::Critical
    );
    let orgs = dir.path().join("orgs.json");
    std::fs::write(&orgs, fetch("/v1/organizations?limit=500")).unwrap();
    assert_eq!(
        FileSource::open(&orgs)
            .unwrap()
            .organizations()
            .unwrap()
            .len(),
        Msp::standard().organizations.len()
    );
}
