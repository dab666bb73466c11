//! Halo's error bodies and the SPEC §7 diagnoses: the vendor's text is read whatever its
//! shape, and each known failure gets the fix a technician should apply.

use crate::http::{ApiError, ApiErrorKind, default_error_message};

use super::SECRET_ENV;

/// What psa-link was doing when Halo refused, which decides the diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Listing clients (customers).
    Customers,
    /// Listing ticket types, statuses, priorities, outcomes.
    TicketSetup,
    /// Listing tickets (the marker scan).
    Tickets,
    /// Creating a ticket in the named ticket type.
    Create {
        ticket_type: String,
    },
    /// Reading back a ticket (just created, or from the ledger).
    ReadBack,
    /// Changing a ticket's status or priority.
    Update,
    /// Adding a private note.
    Note,
    Delete,
}

/// Halo's error bodies: a serialised .NET exception `{ClassName, Message}`, ASP.NET
/// model-binding errors keyed by field, an OAuth `{error}`, plain text with one line per
/// problem, or an HTML error page from a proxy.
pub fn error_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        let lower = trimmed.to_ascii_lowercase();
        if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>"))
            && a + 7 <= b
        {
            return trimmed[a + 7..b].trim().to_string();
        }
        return format!("HTTP {status} with an HTML page");
    }
    default_error_message(status, body)
}

/// The fields a "… is mandatory" answer names, in order.
pub fn mandatory_fields(err: &ApiError) -> Vec<String> {
    let source = if err.body.is_empty() {
        err.message.replace("; ", "\n")
    } else {
        err.body.clone()
    };
    source
        .lines()
        .filter_map(|l| {
            let l = l.trim().trim_matches('"');
            l.strip_suffix("is mandatory")
                .or_else(|| l.strip_suffix("is mandatory."))
                .map(|f| f.trim().to_string())
        })
        .filter(|f| !f.is_empty())
        .collect()
}

/// Whether Halo's message (not the raw body, which may hold JSON keys such as `status`)
/// contains `needle`, ignoring case.
fn says(err: &ApiError, needle: &str) -> bool {
    err.message
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// Attaches the SPEC §7 diagnosis for a failed API call.
pub fn diagnose(mut err: ApiError, op: &Op) -> ApiError {
    let status = err.status.unwrap_or(0);
    match (status, op) {
        (403, _) if says(&err, "ip address") => {
            err.kind = ApiErrorKind::Permission;
            err.fix = Some(
                "HaloPSA restricts API access by IP address: allow this machine's public address (Configuration > Integrations > Halo API, the application's allowed IP addresses), then re-run"
                    .into(),
            );
        }
        // A 401 that survived a fresh token, on one ticket: the agent cannot see it.
        (401 | 403, Op::ReadBack) | (401, Op::Update | Op::Note | Op::Delete) => {
            err.kind = ApiErrorKind::Permission;
            err.fix = Some(
                "HaloPSA's API agent cannot see this ticket. In Halo, assign the API-only agent to a team or department that can see it (department membership level View All, or the team tickets default to; add it to every team used for routing), then re-run the test"
                    .into(),
            );
        }
        (403, Op::Customers) => {
            err.fix = Some(
                "the Halo application needs the Read Customers permission (scope read:customers or all), and its API-only agent needs Customers Access Level: Read Only (Configuration > Integrations > Halo API > View Applications, and the agent's permissions)"
                    .into(),
            );
        }
        (403, Op::TicketSetup | Op::Tickets) => {
            err.fix = Some(
                "the Halo application needs the Read Tickets permission (scope read:tickets or all), and its API-only agent needs Tickets Access Level: Read and Modify, Can view Unassigned Tickets and Can view Tickets assigned to other Agents"
                    .into(),
            );
        }
        (403, Op::Create { .. }) => {
            err.fix = Some(
                "the Halo application needs the Edit Tickets permission (scope edit:tickets or all), and its API-only agent needs Tickets Access Level: Read and Modify and Can add new Tickets"
                    .into(),
            );
        }
        (403, Op::Update | Op::Delete) => {
            err.fix = Some(
                "the API-only agent may not change this ticket: grant it \"Can Edit Tickets Which Are Not Assigned To Them\" (or all teams), and check that the application has Edit Tickets; then check the `resolved` status map with `psa-link status-map set resolved <STATUS>` (it lists the valid statuses)"
                    .into(),
            );
        }
        (403, Op::Note) => {
            err.fix = Some(
                "the Halo application needs the Edit Tickets permission to add notes, and its API-only agent needs \"Can Edit Tickets Which Are Not Assigned To Them\" (or all teams)"
                    .into(),
            );
        }
        (400, Op::Create { ticket_type }) if says(&err, "is mandatory") => {
            let fields = mandatory_fields(&err);
            let named = if fields.is_empty() {
                "fields".to_string()
            } else {
                fields.join(", ")
            };
            err.fix = Some(format!(
                "the ticket type '{ticket_type}' enforces {named} with no defaults. In Halo, open that ticket type and give those fields default values or make them optional, or choose a dedicated ticket type for psa-link (`integration add halopsa --ticket-type NAME`)"
            ));
        }
        (400, _) if says(&err, "valid Client/Site/User") => {
            err.fix = Some(
                "HaloPSA could not resolve a user for the ticket: create a General User at the client (or at the MSP's own client), then re-run the test"
                    .into(),
            );
        }
        (400, _) if says(&err, "priority") => {
            err.fix = Some(
                "the priority is not valid for the ticket type's SLA: pick one from `priority-map list` (psa-link lists the priorities of the ticket type's SLA)"
                    .into(),
            );
        }
        (400, _) if says(&err, "status") => {
            err.fix = Some(
                "the status is not valid for this ticket type: choose one with `psa-link status-map set resolved <STATUS>` (an unknown name lists the valid ones)"
                    .into(),
            );
        }
        (400, Op::Note) if says(&err, "outcome") => {
            err.fix = Some(
                "HaloPSA wants an outcome on every action: make sure an outcome such as \"Private Note\" exists and is visible to the API agent (Configuration > Tickets > Actions)"
                    .into(),
            );
        }
        (404, Op::ReadBack | Op::Update | Op::Note | Op::Delete) => {
            err.fix = Some(
                "the ticket no longer exists in HaloPSA (deleted or merged); `incident list` shows which incident it belonged to"
                    .into(),
            );
        }
        (_, Op::Create { .. })
            if matches!(
                err.kind,
                ApiErrorKind::Network | ApiErrorKind::Timeout | ApiErrorKind::ServerError
            ) =>
        {
            err.fix = Some(
                "HaloPSA may have created the ticket before its answer was lost: psa-link looks for the incident's marker before creating another, so re-running is safe"
                    .into(),
            );
        }
        _ => {}
    }
    err
}

/// Diagnoses a refused token request.
pub fn token_failure(mut err: ApiError, tenant_configured: bool, token_url: &str) -> ApiError {
    let status = err.status.unwrap_or(0);
    if err.mentions("invalid_client") || status == 401 {
        err.kind = ApiErrorKind::Auth;
        let mut fix = format!(
            "HaloPSA refused the client id or secret: check the client id and {SECRET_ENV} against the application in Halo (Configuration > Integrations > Halo API > View Applications; its Authentication Method must be Client ID and Secret, and Login Type Agent with the API-only agent selected)"
        );
        if !tenant_configured {
            fix.push_str(
                "; a Halo-hosted instance also needs its tenant: add --tenant (shown under Halo API > API Details)",
            );
        }
        err.fix = Some(fix);
    } else if err.mentions("invalid_scope") {
        err.kind = ApiErrorKind::Permission;
        err.fix = Some(
            "the Halo application does not allow the requested scope: tick Read Tickets, Edit Tickets and Read Customers on the application, or ask only for scopes it has with `integration add halopsa --scope \"read:customers read:tickets edit:tickets\" --replace` (env PSA_LINK_HALOPSA_SCOPE)"
                .into(),
        );
    } else if status == 403 {
        err.kind = ApiErrorKind::Permission;
        err.fix = Some(
            "HaloPSA refused the token request itself: if the instance restricts API access by IP address, allow this machine's public address".into(),
        );
    } else if status == 404 || status == 405 {
        // The token URL is wrong, not the request: a configuration problem (exit 3).
        err.kind = ApiErrorKind::Config;
        err.fix = Some(format!(
            "no HaloPSA Authorisation Server answered at {token_url}: re-run `integration add halopsa ... --replace` with --auth-host set to the Authorisation Server URL shown under Configuration > Integrations > Halo API > API Details (e.g. https://auth.haloservicedesk.com, or https://acme.halopsa.com/auth)"
        ));
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ApiError {
        let mut e = ApiError::new(
            "HaloPSA",
            ApiErrorKind::Rejected,
            error_message(status, body.as_bytes()),
        );
        e.status = Some(status);
        e.body = body.to_string();
        e
    }

    #[test]
    fn every_error_body_shape_gives_a_readable_message() {
        assert_eq!(
            error_message(
                400,
                br#"{"ClassName":"System.Exception","Message":"An Outcome must be entered for this Action","Data":null}"#
            ),
            "An Outcome must be entered for this Action"
        );
        assert_eq!(
            error_message(
                400,
                b"Category is mandatory\nImpact is mandatory\nUrgency is mandatory\n"
            ),
            "Category is mandatory; Impact is mandatory; Urgency is mandatory"
        );
        let model = error_message(
            400,
            br#"{"title":"One or more validation errors occurred.","status":400,"errors":{"[0].priority_id":["The JSON value could not be converted"]}}"#,
        );
        assert!(
            model.contains("[0].priority_id: The JSON value could not be converted"),
            "{model}"
        );
        assert_eq!(
            error_message(401, br#"{"error":"invalid_client"}"#),
            "invalid_client"
        );
        assert_eq!(
            error_message(
                504,
                b"<html><head><title>504 Gateway Time-out</title></head></html>"
            ),
            "504 Gateway Time-out"
        );
        assert_eq!(
            error_message(400, b"Please select a valid Client/Site/User"),
            "Please select a valid Client/Site/User"
        );
    }

    #[test]
    fn mandatory_fields_are_named_with_the_ticket_type() {
        let e = diagnose(
            err(
                400,
                "Category is mandatory\nImpact is mandatory\nUrgency is mandatory\n",
            ),
            &Op::Create {
                ticket_type: "Huntress Incident".into(),
            },
        );
        assert_eq!(mandatory_fields(&e), ["Category", "Impact", "Urgency"]);
        let fix = e.fix.clone().unwrap();
        assert!(
            fix.contains("'Huntress Incident' enforces Category, Impact, Urgency"),
            "{fix}"
        );
        assert!(
            fix.contains("default values or make them optional"),
            "{fix}"
        );
        assert!(fix.contains("dedicated ticket type"), "{fix}");
    }

    #[test]
    fn forbidden_names_the_missing_permission_per_operation() {
        let fix = |op: Op| diagnose(err(403, ""), &op).fix.clone().unwrap();
        assert!(fix(Op::Customers).contains("Read Customers"));
        assert!(fix(Op::TicketSetup).contains("Read Tickets"));
        assert!(
            fix(Op::Create {
                ticket_type: "X".into()
            })
            .contains("Can add new Tickets")
        );
        assert!(fix(Op::Update).contains("Can Edit Tickets Which Are Not Assigned To Them"));
        let read_back = diagnose(err(401, ""), &Op::ReadBack);
        assert_eq!(read_back.kind, ApiErrorKind::Permission);
        assert!(read_back.fix.clone().unwrap().contains("View All"));
    }

    #[test]
    fn token_failures_name_the_secret_variable_and_the_tenant() {
        let e = token_failure(
            err(401, r#"{"error":"invalid_client"}"#),
            false,
            "https://x/auth/token",
        );
        assert_eq!(e.kind, ApiErrorKind::Auth);
        let fix = e.fix.clone().unwrap();
        assert!(fix.contains("PSA_LINK_HALOPSA_CLIENT_SECRET"), "{fix}");
        assert!(fix.contains("--tenant"), "{fix}");
        let scoped = token_failure(
            err(400, r#"{"error":"invalid_scope"}"#),
            true,
            "https://x/auth/token",
        );
        assert_eq!(scoped.kind, ApiErrorKind::Permission);
        let filtered = token_failure(err(403, ""), true, "https://x/auth/token");
        assert!(filtered.fix.clone().unwrap().contains("IP address"));
    }
}
