//! Ticket content: the title MSPs' PSA rules already key on, the plain-text body carrying the
//! marker, and the private note texts for each lifecycle event. Plain text only: backends
//! convert (HTML for Halo, ...) and enforce their own length limits (see [`shorten_title`]).

use std::fmt::Write as _;

use crate::source::{Incident, IncidentStatus, Remediation, RemediationStatus, Severity};

/// Prefix of the titles of tickets filed under the default company.
pub const UNMAPPED_PREFIX: &str = "[Unmapped] ";

/// What the title names as the incident's target: the agent's host name; for incidents
/// with no agent (Microsoft 365, Google, identity, SIEM) the identity or platform parsed
/// from Huntress's own subject, else a display name of the platform. Never empty.
pub fn hostname_label(incident: &Incident, agent_hostname: Option<&str>) -> String {
    if let Some(host) = agent_hostname.map(one_line).filter(|h| !h.is_empty()) {
        return host;
    }
    if let Some(target) = incident.subject.as_deref().and_then(subject_target) {
        return target;
    }
    if let Some(agent) = incident.agent_id {
        return format!("agent {agent}");
    }
    platform_target(incident)
}

/// The target named in a Huntress subject: `HIGH - Incident on laptop01 (Contoso)` gives
/// `laptop01`; the newer `Huntress ITDR High Login | jdoe@x.example (Contoso)` gives
/// `jdoe@x.example`. `None` when the subject follows neither pattern. The command layer can
/// skip the agent lookup when this answers.
pub fn subject_target(subject: &str) -> Option<String> {
    let subject = one_line(subject);
    let lower = subject.to_ascii_lowercase();
    let after = if let Some(at) = lower.find(" - incident on ") {
        let severity = lower[..at].trim();
        if !Severity::ALL.iter().any(|s| s.as_str() == severity) {
            return None;
        }
        &subject[at + " - incident on ".len()..]
    } else if let Some(at) = subject.find(" | ") {
        &subject[at + " | ".len()..]
    } else {
        return None;
    };
    let target = strip_trailing_group(after).trim();
    (!target.is_empty()).then(|| target.to_string())
}

/// The text before a final balanced `( ... )` group (the organization in Huntress subjects,
/// whose own name may hold parentheses), or the whole text when it has none.
fn strip_trailing_group(text: &str) -> &str {
    let trimmed = text.trim_end();
    if !trimmed.ends_with(')') {
        return trimmed;
    }
    let mut depth = 0usize;
    for (at, c) in trimmed.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return trimmed[..at].trim_end();
                }
            }
            _ => {}
        }
    }
    trimmed
}

/// A title target for agentless incidents with no usable subject.
fn platform_target(incident: &Incident) -> String {
    let has = |indicator: &str| incident.indicator_types.iter().any(|i| i == indicator);
    match incident
        .platform
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("microsoft_365") => "Microsoft 365".into(),
        Some("google") => "Google Workspace".into(),
        Some("email_security") => "Email Security".into(),
        Some("windows") => "Windows host".into(),
        Some("darwin") => "macOS host".into(),
        Some("linux") => "Linux host".into(),
        _ if has("siem_detections") => "SIEM".into(),
        _ if has("managed_identity") => "Identity".into(),
        _ if has("mde_detections") => "Microsoft Defender".into(),
        _ if has("email_security_detections") => "Email Security".into(),
        Some(other) if !other.trim().is_empty() => humanize(other),
        _ => "Huntress".into(),
    }
}

/// The platform as people name it, for the body.
pub fn platform_name(platform: &str) -> String {
    match platform.to_ascii_lowercase().as_str() {
        "windows" => "Windows".into(),
        "darwin" => "macOS".into(),
        "linux" => "Linux".into(),
        "microsoft_365" => "Microsoft 365".into(),
        "google" => "Google Workspace".into(),
        "email_security" => "Email Security".into(),
        other => humanize(other),
    }
}

/// The organization as titles show it; never empty (the title's `(...)` must hold text).
pub fn organization_label(name: Option<&str>, organization_id: i64) -> String {
    name.map(one_line)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("Organization {organization_id}"))
}

/// `<SEVERITY> - Incident on <target> (<organization>)`, prefixed `[Unmapped] ` for
/// tickets filed under the default company.
pub fn ticket_title(
    severity: Severity,
    target: &str,
    organization: &str,
    unmapped: bool,
) -> String {
    let prefix = if unmapped { UNMAPPED_PREFIX } else { "" };
    format!(
        "{prefix}{} - Incident on {} ({})",
        severity.upper(),
        one_line(target),
        one_line(organization)
    )
}

/// How a PSA measures a text field's length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextUnit {
    /// Unicode scalar values.
    Chars,
    /// UTF-16 code units, as .NET's `string.Length` counts (characters outside the
    /// Basic Multilingual Plane count twice).
    Utf16,
}

impl TextUnit {
    pub fn len(self, text: &str) -> usize {
        match self {
            TextUnit::Chars => text.chars().count(),
            TextUnit::Utf16 => text.encode_utf16().count(),
        }
    }

    fn of(self, c: char) -> usize {
        match self {
            TextUnit::Chars => 1,
            TextUnit::Utf16 => c.len_utf16(),
        }
    }
}

/// Fits a title into `max` units without breaking its shape (ConnectWise summaries hold
/// 100 UTF-16 units): the target and the organization are shortened, each with an
/// ellipsis, so PSA rules matching `^(LOW|HIGH|CRITICAL) - Incident on .+ \(.+\)$` still
/// match. The organization is the final balanced `( ... )` group, so names that hold
/// parentheses themselves (`Acme Holdings (UK) Ltd`) stay one organization.
pub fn shorten_title(title: &str, max: usize, unit: TextUnit) -> String {
    if unit.len(title) <= max {
        return title.to_string();
    }
    let Some((head, organization)) = split_title(title) else {
        return truncate(title, max, unit);
    };
    let Some((lead, target)) = head.split_once(" - Incident on ") else {
        return truncate(title, max, unit);
    };
    let lead = format!("{lead} - Incident on ");
    let fixed = unit.len(&lead) + " ()".len();
    let room = max.saturating_sub(fixed);
    let (target_len, org_len) = (unit.len(target), unit.len(organization));
    // Keep the target whole when it fits beside a readable organization; else share.
    let min_org = org_len.min(12);
    let target_room = if target_len + min_org <= room {
        target_len
    } else {
        (room / 2).max(room.saturating_sub(org_len))
    };
    let target = truncate(target, target_room.max(1), unit);
    let org_room = room.saturating_sub(unit.len(&target)).max(1);
    let organization = truncate(organization, org_room, unit);
    truncate(&format!("{lead}{target} ({organization})"), max, unit)
}

fn split_title(title: &str) -> Option<(&str, &str)> {
    let head = strip_trailing_group(title);
    let rest = title[head.len()..].trim();
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    Some((head, inner))
}

/// `text` within `max` units, ending in `…` when shortened.
fn truncate(text: &str, max: usize, unit: TextUnit) -> String {
    if unit.len(text) <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(unit.of('…'));
    let mut used = 0;
    let mut keep = String::new();
    for c in text.chars() {
        used += unit.of(c);
        if used > budget {
            break;
        }
        keep.push(c);
    }
    format!("{}…", keep.trim_end())
}

/// Everything the body shows besides the incident itself.
#[derive(Debug, Clone, Copy)]
pub struct BodyContext<'a> {
    pub target: &'a str,
    pub organization: &'a str,
    /// Link to the incident in the vendor's portal, when known.
    pub url: Option<&'a str>,
    pub marker: &'a str,
    /// Set for tickets filed under the default company: the name of that company.
    pub unmapped_under: Option<&'a str>,
}

/// The ticket body: analyst summary, details, host or platform, indicators, remediations,
/// link, and the marker as the last line.
pub fn ticket_body(incident: &Incident, ctx: &BodyContext<'_>) -> String {
    let mut out = String::new();
    if let Some(summary) = nonblank(incident.summary.as_deref()) {
        let _ = writeln!(out, "{}\n", summary.trim());
    }
    if let Some(details) = nonblank(incident.body.as_deref()) {
        let _ = writeln!(out, "Details:\n{}\n", details.trim());
    }
    let where_label = if incident.agent_id.is_some() {
        "Host"
    } else {
        "Target"
    };
    let _ = writeln!(out, "{where_label}: {}", ctx.target);
    if let Some(platform) = nonblank(incident.platform.as_deref()) {
        let _ = writeln!(out, "Platform: {}", platform_name(platform));
    }
    let _ = writeln!(
        out,
        "Organization: {} (Huntress organization {})",
        ctx.organization, incident.organization_id
    );
    let _ = writeln!(
        out,
        "Severity: {}\nHuntress status: {}",
        incident.severity.upper(),
        incident.status
    );
    out.push_str(&indicator_lines(incident));
    out.push_str(&remediation_section(incident));
    if let Some(url) = ctx.url {
        let _ = writeln!(out, "\nHuntress incident: {url}");
    }
    if let Some(company) = ctx.unmapped_under {
        let _ = writeln!(
            out,
            "\nFiled under {company} because the organization is not mapped yet: {}",
            map_hint(incident.organization_id)
        );
    }
    let _ = write!(out, "\n{}", ctx.marker);
    out
}

fn indicator_lines(incident: &Incident) -> String {
    let mut out = String::new();
    // Zero counts are the API listing every kind it knows: they say nothing about this
    // incident.
    let counted: Vec<(&String, &i64)> = incident
        .indicator_counts
        .iter()
        .filter(|(_, count)| **count > 0)
        .collect();
    if !counted.is_empty() {
        out.push_str("\nIndicators:\n");
        for (kind, count) in counted {
            let _ = writeln!(out, "- {}: {count}", humanize(kind));
        }
    } else if !incident.indicator_types.is_empty() {
        out.push_str("\nIndicators:\n");
        for kind in &incident.indicator_types {
            let _ = writeln!(out, "- {}", humanize(kind));
        }
    }
    out
}

fn remediation_section(incident: &Incident) -> String {
    if incident.remediations.is_empty() {
        return String::new();
    }
    let mut out = format!("\nRemediations ({}):\n", incident.remediations.len());
    for remediation in &incident.remediations {
        let _ = writeln!(out, "{}", remediation_line(remediation));
    }
    if incident.remediations_truncated {
        out.push_str("- … more in Huntress\n");
    }
    out
}

/// `- Delete File [assisted] (path: c:\x) — approved by John`
fn remediation_line(r: &Remediation) -> String {
    let mut line = format!("- {}", r.action.as_deref().unwrap_or("Remediation"));
    if let Some(kind) = nonblank(r.kind.as_deref()) {
        let _ = write!(line, " [{kind}]");
    }
    if !r.parameters.is_empty() {
        let _ = write!(line, " ({})", r.parameters.join("; "));
    }
    let _ = write!(line, " — {}", r.status.as_str());
    if let Some(by) = nonblank(r.approved_by.as_deref()) {
        let _ = write!(line, " by {by}");
    }
    line
}

fn map_hint(organization_id: i64) -> String {
    format!(
        "psa-link map manual {organization_id} <company>, or psa-link map auto --filter unmapped"
    )
}

// ---- private notes (never emailed) ----

/// "Severity changed from HIGH to CRITICAL."
pub fn severity_note(from: Severity, to: Severity, priority: Option<&str>) -> String {
    let mut text = format!(
        "Severity changed from {} to {} in Huntress.",
        from.upper(),
        to.upper()
    );
    match priority {
        Some(p) => {
            let _ = write!(text, " Priority set to {p}.");
        }
        None => {
            let _ = write!(
                text,
                " No priority is mapped for {to}, so the priority was left as is."
            );
        }
    }
    text
}

/// The remediations the partner approved (or rejected), listed.
pub fn remediation_note(incident: &Incident, approved: bool) -> String {
    let (heading, wanted): (&str, fn(&RemediationStatus) -> bool) = if approved {
        ("Remediation approved in Huntress:", |s| {
            matches!(
                s,
                RemediationStatus::Approved | RemediationStatus::Completed
            )
        })
    } else {
        (
            "Remediation rejected in Huntress (sent back to the SOC):",
            |s| matches!(s, RemediationStatus::Cancelled),
        )
    };
    let mut text = heading.to_string();
    for r in incident.remediations.iter().filter(|r| wanted(&r.status)) {
        let _ = write!(text, "\n{}", remediation_line(r));
    }
    text
}

/// Remediations await a decision again (new ones after an approval or rejection).
pub fn remediation_pending_note(incident: &Incident) -> String {
    let mut text = "Remediations await approval in Huntress:".to_string();
    for r in incident
        .remediations
        .iter()
        .filter(|r| matches!(r.status, RemediationStatus::Unapproved))
    {
        let _ = write!(text, "\n{}", remediation_line(r));
    }
    text
}

/// The resolution note for a closed or dismissed incident. `first_seen` marks an incident
/// that was already finished when psa-link first saw it (ticket created for the record).
pub fn resolution_note(incident: &Incident, first_seen: bool) -> String {
    let what = match incident.status {
        IncidentStatus::Dismissed => "dismissed by the Huntress SOC".to_string(),
        IncidentStatus::PartnerDismissed => "dismissed by the partner in Huntress".to_string(),
        _ => "resolved in Huntress".to_string(),
    };
    let mut text = format!("Huntress incident {} was {what}", incident.id);
    if let Some(at) = nonblank(incident.closed_at.as_deref()) {
        let _ = write!(text, " ({at})");
    }
    text.push('.');
    if first_seen {
        text.push_str(" It was already finished when psa-link first saw it; this ticket records it and is closed at once.");
    } else {
        text.push_str(" The ticket is closed to match.");
    }
    text
}

/// The note of `incident resolve`: a person closed the ticket from psa-link.
pub fn manual_resolution_note(incident: &Incident, in_source: bool) -> String {
    if in_source {
        format!(
            "Resolved with psa-link: Huntress incident {} was resolved in Huntress and the ticket closed.",
            incident.id
        )
    } else {
        format!(
            "Resolved with psa-link: the ticket is closed; Huntress incident {} is still {} in Huntress.",
            incident.id, incident.status
        )
    }
}

pub fn reopen_note(incident: &Incident) -> String {
    format!(
        "Huntress incident {} is open again (status {}); the ticket is reopened.",
        incident.id, incident.status
    )
}

/// A finished incident changed how it finished (closed ↔ dismissed).
pub fn terminal_change_note(incident: &Incident) -> String {
    format!(
        "Huntress incident {} is now {}.",
        incident.id, incident.status
    )
}

/// Why the ticket is under the default company, and how to fix it.
pub fn unmapped_note(organization_id: i64, organization: &str, default_company: &str) -> String {
    format!(
        "Huntress organization \"{organization}\" (id {organization_id}) is not mapped to a PSA company, so this ticket was filed under {default_company}. To map it: {}.",
        map_hint(organization_id)
    )
}

// ---- helpers ----

fn nonblank(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Collapses whitespace (titles are one line; PSA rules match on them).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `process_detections` -> `Process detections`.
fn humanize(id: &str) -> String {
    let spaced = id.trim().replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::fixtures::incident;
    use regex::Regex;

    /// The rule MSPs keep for Huntress tickets (SPEC §3).
    fn huntress_rule() -> Regex {
        Regex::new(r"^(LOW|HIGH|CRITICAL) - Incident on .+ \(.+\)$").unwrap()
    }

    fn agentless(platform: &str, subject: Option<&str>, indicators: &[&str]) -> Incident {
        let mut i = incident(3, "sent", "high", &[]);
        i.agent_id = None;
        i.platform = Some(platform.into());
        i.subject = subject.map(str::to_string);
        i.indicator_types = indicators.iter().map(|s| s.to_string()).collect();
        i
    }

    #[test]
    fn titles_match_the_huntress_rule_for_every_severity() {
        for severity in Severity::ALL {
            let title = ticket_title(severity, "laptop01", "Contoso Ltd", false);
            assert!(huntress_rule().is_match(&title), "{title}");
            assert!(title.starts_with(severity.upper()));
        }
        assert_eq!(
            ticket_title(Severity::Critical, "laptop01", "Contoso Ltd", false),
            "CRITICAL - Incident on laptop01 (Contoso Ltd)"
        );
    }

    #[test]
    fn unmapped_titles_carry_the_prefix_before_the_huntress_title() {
        let title = ticket_title(Severity::Low, "srv-01", "Newco Startup", true);
        assert_eq!(title, "[Unmapped] LOW - Incident on srv-01 (Newco Startup)");
        let rest = title.strip_prefix(UNMAPPED_PREFIX).unwrap();
        assert!(huntress_rule().is_match(rest));
    }

    #[test]
    fn the_agent_hostname_names_the_target() {
        let i = incident(1, "sent", "high", &[]);
        assert_eq!(hostname_label(&i, Some("  WS-042 \n")), "WS-042");
        // No hostname looked up: Huntress's own subject has it.
        assert_eq!(hostname_label(&i, None), "laptop01");
        let mut bare = i.clone();
        bare.subject = None;
        assert_eq!(hostname_label(&bare, None), "agent 5001");
    }

    #[test]
    fn agentless_incidents_name_the_identity_or_platform() {
        let m365 = agentless(
            "microsoft_365",
            Some("HIGH - Incident on jdoe@tailspintoys.example (Tailspin Toys)"),
            &["managed_identity"],
        );
        assert_eq!(hostname_label(&m365, None), "jdoe@tailspintoys.example");
        let newer = agentless(
            "microsoft_365",
            Some("Huntress ITDR High Unusual Login | admin@contoso.example (Contoso (UK) Ltd)"),
            &[],
        );
        assert_eq!(hostname_label(&newer, None), "admin@contoso.example");
        let cases = [
            (agentless("microsoft_365", None, &[]), "Microsoft 365"),
            (
                agentless("google", Some("unparseable"), &[]),
                "Google Workspace",
            ),
            (agentless("other", None, &["siem_detections"]), "SIEM"),
            (agentless("other", None, &["managed_identity"]), "Identity"),
            (agentless("email_security", None, &[]), "Email Security"),
            (agentless("", None, &[]), "Huntress"),
        ];
        for (incident, label) in cases {
            let target = hostname_label(&incident, None);
            assert_eq!(target, label);
            let title = ticket_title(incident.severity, &target, "Tailspin Toys", false);
            assert!(huntress_rule().is_match(&title), "{title}");
            assert!(!title.contains("on  ("), "{title}");
        }
    }

    #[test]
    fn subjects_with_parentheses_in_the_organization_parse() {
        assert_eq!(
            subject_target("CRITICAL - Incident on DC01 (Contoso (UK) Ltd)").as_deref(),
            Some("DC01")
        );
        assert_eq!(
            subject_target("low - incident on John Doe (Admin) (Fabrikam)").as_deref(),
            Some("John Doe (Admin)")
        );
        assert_eq!(subject_target("MEDIUM - Incident on x (y)"), None);
        assert_eq!(subject_target("HIGH - Incident on  (Contoso)"), None);
        assert_eq!(subject_target("Weekly report"), None);
    }

    #[test]
    fn empty_organization_names_never_leave_empty_parentheses() {
        assert_eq!(organization_label(Some("  "), 77), "Organization 77");
        assert_eq!(organization_label(None, 77), "Organization 77");
        assert_eq!(
            organization_label(Some(" Coho  Winery "), 77),
            "Coho Winery"
        );
    }

    #[test]
    fn long_titles_shrink_without_breaking_the_rule() {
        let title = ticket_title(
            Severity::Critical,
            "very-long-hostname-of-a-build-server-in-the-lab.corp.contoso.example",
            "Contoso Pharmaceuticals International Holdings (Europe) Limited",
            true,
        );
        let short = shorten_title(&title, 100, TextUnit::Chars);
        assert!(short.chars().count() <= 100, "{short}");
        let rest = short.strip_prefix(UNMAPPED_PREFIX).unwrap();
        assert!(huntress_rule().is_match(rest), "{short}");
        assert_eq!(
            shorten_title("LOW - Incident on a (b)", 100, TextUnit::Chars),
            "LOW - Incident on a (b)"
        );
        let host_kept = shorten_title(
            &ticket_title(Severity::Low, "WS01", &"Org ".repeat(40), false),
            60,
            TextUnit::Chars,
        );
        assert!(
            host_kept.starts_with("LOW - Incident on WS01 ("),
            "{host_kept}"
        );
        assert!(huntress_rule().is_match(&host_kept));
    }

    #[test]
    fn shortening_keeps_an_organization_with_nested_parentheses_whole() {
        let org = "Acme Holdings (UK) Ltd";
        let title = ticket_title(Severity::High, &"build-agent-".repeat(12), org, false);
        let short = shorten_title(&title, 100, TextUnit::Chars);
        assert!(short.chars().count() <= 100, "{short}");
        assert!(short.ends_with("… (Acme Holdings (UK) Ltd)"), "{short}");
        assert!(huntress_rule().is_match(&short), "{short}");
        // A long nested organization is shortened inside its own parentheses.
        let org = format!(
            "Société Générale ({}) Ltd",
            "Filiale Ünterstützung ".repeat(6)
        );
        let short = shorten_title(
            &ticket_title(Severity::Low, "PC01", &org, false),
            100,
            TextUnit::Chars,
        );
        assert!(short.chars().count() <= 100, "{short}");
        assert!(
            short.starts_with("LOW - Incident on PC01 (Société Générale ("),
            "{short}"
        );
        assert!(short.ends_with("…)"), "{short}");
    }

    #[test]
    fn shortening_counts_in_the_psas_unit() {
        // Emoji are one char but two UTF-16 units (.NET's string length).
        let title = ticket_title(
            Severity::Critical,
            &"😀".repeat(60),
            "Contoso (Ünited) Ltd",
            false,
        );
        let chars = shorten_title(&title, 100, TextUnit::Chars);
        assert_eq!(chars.chars().count(), 100, "{chars}");
        let units = shorten_title(&title, 100, TextUnit::Utf16);
        assert!(TextUnit::Utf16.len(&units) <= 100, "{units}");
        assert!(units.chars().count() < 100, "{units}");
        assert!(units.ends_with("… (Contoso (Ünited) Ltd)"), "{units}");
        assert!(huntress_rule().is_match(&units), "{units}");
        // A title without the shape is cut, never split inside a character.
        let plain = shorten_title(&"é😀".repeat(80), 99, TextUnit::Utf16);
        assert!(
            TextUnit::Utf16.len(&plain) <= 99 && plain.ends_with('…'),
            "{plain}"
        );
    }

    #[test]
    fn the_body_holds_everything_a_technician_needs_and_ends_with_the_marker() {
        let mut i = incident(90001, "sent", "critical", &["unapproved", "approved"]);
        i.indicator_counts.insert("process_detections".into(), 2);
        i.remediations[1].approved_by = Some("Jane Tech".into());
        i.remediations_truncated = true;
        let body = ticket_body(
            &i,
            &BodyContext {
                target: "laptop01",
                organization: "Contoso Ltd",
                url: Some("https://acme.huntress.io/incident_reports/90001"),
                marker: "psa-link:huntress:90001",
                unmapped_under: Some("Northwind MSP (Internal)"),
            },
        );
        for expected in [
            "The SOC found a foothold",
            "Details:\nA scheduled task launches an unsigned binary at logon.",
            "Host: laptop01",
            "Platform: Windows",
            "Organization: Contoso Ltd (Huntress organization 77)",
            "Severity: CRITICAL",
            "- Footholds: 1",
            "- Process detections: 2",
            "Remediations (2):",
            "- Delete Scheduled Task [assisted] (path: c:\\tasks\\updater_0) — unapproved",
            "— approved by Jane Tech",
            "more in Huntress",
            "Huntress incident: https://acme.huntress.io/incident_reports/90001",
            "psa-link map manual 77 <company>",
        ] {
            assert!(body.contains(expected), "missing {expected:?} in\n{body}");
        }
        assert_eq!(body.lines().last(), Some("psa-link:huntress:90001"));
        assert_eq!(
            crate::psa::find_marker(&body).as_deref(),
            Some("psa-link:huntress:90001")
        );
    }

    #[test]
    fn bodies_omit_indicators_counted_zero() {
        let mut i = incident(8, "sent", "high", &[]);
        i.indicator_counts = [
            ("antivirus_detections".to_string(), 0),
            ("process_detections".to_string(), 2),
        ]
        .into_iter()
        .collect();
        let ctx = BodyContext {
            target: "host-1",
            organization: "Acme",
            url: None,
            marker: "psa-link:huntress:8",
            unmapped_under: None,
        };
        let body = ticket_body(&i, &ctx);
        assert!(body.contains("Process detections: 2"), "{body}");
        assert!(!body.to_lowercase().contains("antivirus"), "{body}");

        i.indicator_counts.insert("process_detections".into(), 0);
        i.indicator_types.clear();
        let body = ticket_body(&i, &ctx);
        assert!(!body.contains("Indicators:"), "{body}");
    }

    #[test]
    fn agentless_bodies_say_target_not_host() {
        let i = agentless("microsoft_365", None, &["managed_identity"]);
        let body = ticket_body(
            &i,
            &BodyContext {
                target: "Microsoft 365",
                organization: "Tailspin Toys",
                url: None,
                marker: "psa-link:huntress:3",
                unmapped_under: None,
            },
        );
        assert!(body.contains("Target: Microsoft 365\nPlatform: Microsoft 365"));
        assert!(!body.contains("Huntress incident:"));
        assert!(!body.contains("map manual"));
    }

    #[test]
    fn note_texts_say_what_changed() {
        assert_eq!(
            severity_note(Severity::High, Severity::Critical, Some("P1 Critical")),
            "Severity changed from HIGH to CRITICAL in Huntress. Priority set to P1 Critical."
        );
        let i = incident(5, "sent", "high", &["approved", "cancelled", "unapproved"]);
        let approved = remediation_note(&i, true);
        assert!(approved.contains("updater_0") && !approved.contains("updater_1"));
        let rejected = remediation_note(&i, false);
        assert!(rejected.contains("updater_1") && !rejected.contains("updater_0"));
        assert!(remediation_pending_note(&i).contains("updater_2"));
        let unmapped = unmapped_note(77, "Newco Startup", "Northwind MSP (Internal)");
        assert!(unmapped.contains("\"Newco Startup\" (id 77)"));
        assert!(
            unmapped.contains(
                "psa-link map manual 77 <company>, or psa-link map auto --filter unmapped"
            )
        );
        let partner = incident(5, "partner_dismissed", "low", &[]);
        assert!(resolution_note(&partner, false).contains("dismissed by the partner"));
    }
}
