//! The PSA client trait every backend implements, and the dispatch from configuration to a
//! backend. Nothing outside the backend modules knows which PSA it is talking to: PSA
//! differences live behind [`Psa`] and in each backend's `Settings`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::http::ApiError;

pub mod connectwise;
pub mod defaults;
pub mod halopsa;

/// The five supported PSAs. The lower-case id is what users type and what config stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PsaKind {
    Halopsa,
    Connectwise,
    Autotask,
    Bms,
    Syncro,
}

impl PsaKind {
    pub const ALL: [PsaKind; 5] = [
        PsaKind::Halopsa,
        PsaKind::Connectwise,
        PsaKind::Autotask,
        PsaKind::Bms,
        PsaKind::Syncro,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PsaKind::Halopsa => "halopsa",
            PsaKind::Connectwise => "connectwise",
            PsaKind::Autotask => "autotask",
            PsaKind::Bms => "bms",
            PsaKind::Syncro => "syncro",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            PsaKind::Halopsa => "HaloPSA",
            PsaKind::Connectwise => "ConnectWise PSA",
            PsaKind::Autotask => "Autotask",
            PsaKind::Bms => "Kaseya BMS",
            PsaKind::Syncro => "Syncro",
        }
    }

    /// What this PSA calls a customer record.
    pub fn company_word(self) -> &'static str {
        match self {
            PsaKind::Halopsa => "client",
            PsaKind::Connectwise | PsaKind::Autotask => "company",
            PsaKind::Bms => "account",
            PsaKind::Syncro => "customer",
        }
    }

    /// The plural of [`PsaKind::company_word`].
    pub fn companies_word(self) -> &'static str {
        match self {
            PsaKind::Halopsa => "clients",
            PsaKind::Connectwise | PsaKind::Autotask => "companies",
            PsaKind::Bms => "accounts",
            PsaKind::Syncro => "customers",
        }
    }

    /// What this PSA calls the place new tickets go.
    pub fn routing_word(self) -> &'static str {
        match self {
            PsaKind::Halopsa => "ticket type",
            PsaKind::Connectwise => "board",
            PsaKind::Autotask | PsaKind::Bms => "queue",
            PsaKind::Syncro => "problem type",
        }
    }

    /// The secret's field name: `PSA_LINK_<KIND>_<FIELD>` in the environment, the keyring
    /// user name and the `secrets.toml` key.
    pub fn secret_field(self) -> &'static str {
        match self {
            PsaKind::Halopsa => "client_secret",
            PsaKind::Connectwise => "private_key",
            PsaKind::Autotask => "secret",
            PsaKind::Bms => "password",
            PsaKind::Syncro => "api_token",
        }
    }
}

impl fmt::Display for PsaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for PsaKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PsaKind::ALL
            .into_iter()
            .find(|k| k.id().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown PSA '{s}' (expected one of halopsa, connectwise, autotask, bms, syncro)"))
    }
}

/// A PSA customer record (Halo Client, CW Company, Autotask Company, BMS Account, Syncro
/// Customer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    /// False for inactive or deleted records: never auto-mapped, and a mapped one is stale.
    pub active: bool,
}

/// A named choice from one of the PSA's own lists: a ticket type / board / queue, a
/// status, a priority. Ids are strings because the PSAs disagree (ints, uuids, free text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
    /// Statuses only: whether this status closes the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<bool>,
    /// Whether the PSA marks it as its default.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

impl Choice {
    pub fn new(id: impl ToString, name: impl Into<String>) -> Choice {
        Choice {
            id: id.to_string(),
            name: name.into(),
            closed: None,
            default: false,
        }
    }
}

/// A ticket to create. Notes and bodies are plain text; backends convert as their PSA needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub company_id: i64,
    pub title: String,
    pub body: String,
    /// psa-link's stable marker of the incident (`psa-link:huntress:<id>`), stored in an
    /// external-reference field where the PSA has one, and always in the body.
    pub marker: String,
    /// Ticket type / board / queue id.
    pub routing_id: Option<String>,
    pub status_id: Option<String>,
    pub priority_id: Option<String>,
    /// The incident's severity, for PSAs with their own severity fields (ConnectWise
    /// `severity`/`impact`); the priority still comes from the priority map.
    pub severity: Option<crate::source::Severity>,
}

/// A ticket as read back from the PSA.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub title: String,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub status_id: Option<String>,
    pub status_name: Option<String>,
    pub priority_id: Option<String>,
    /// The PSA considers the ticket closed (Halo `hasbeenclosed`, CW `closedFlag`, ...).
    pub closed: bool,
    /// The psa-link marker found on the ticket, if any.
    pub marker: Option<String>,
}

/// A change to an existing ticket. Only `Some` fields are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChange {
    pub status_id: Option<String>,
    pub priority_id: Option<String>,
    /// Set with a priority change caused by a severity change (see [`NewTicket::severity`]).
    pub severity: Option<crate::source::Severity>,
}

/// A note on a ticket. psa-link's notes are always private/internal (never emailed to the
/// end customer); `resolution` marks the note that closes the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub resolution: bool,
}

/// Which marked tickets to look for (idempotency: a lost response or a lost ledger must
/// never lead to a second ticket for one incident).
#[derive(Debug, Clone)]
pub struct MarkerSearch<'a> {
    /// The markers wanted. Backends may search for each, or scan tickets carrying the common
    /// prefix, whichever costs fewer requests; they must confirm every hit client-side.
    pub markers: &'a [String],
    /// No wanted ticket was created before this moment (the oldest incident's first
    /// sighting, minus a margin), so a scan can stop there.
    pub created_since: Option<time::OffsetDateTime>,
    /// The ticket type / board / queue psa-link files into, when configured.
    pub routing_id: Option<&'a str>,
}

/// A write `--dry-run` shows without sending (SPEC §4: "print exactly the requests that
/// would change something").
#[derive(Debug, Clone, Copy)]
pub enum PsaOp<'a> {
    Create(&'a NewTicket),
    /// `None`: the ticket the same run would create.
    Update(Option<i64>, &'a TicketChange),
    Note(Option<i64>, &'a Note),
}

/// One request as `--dry-run` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestPreview {
    pub method: String,
    /// The path under the API's origin (`/api/Tickets`, `/v4_6_release/apis/3.0/...`).
    pub path: String,
    /// The fields the body would carry, with long texts shortened.
    pub body_summary: String,
}

impl RequestPreview {
    pub fn new(method: &str, path: String, body_summary: String) -> RequestPreview {
        RequestPreview {
            method: method.to_string(),
            path,
            body_summary,
        }
    }
}

/// How previews name a ticket id: the number, or `{new}` for the ticket the run creates.
pub fn preview_ticket(id: Option<i64>) -> String {
    id.map_or_else(|| "{new}".to_string(), |id| id.to_string())
}

/// A text field in a preview: its first line, quoted and shortened, with its full length.
pub fn preview_text(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let short: String = if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    };
    let chars = text.chars().count();
    if short.chars().count() == chars {
        format!("{short:?}")
    } else {
        format!("{short:?} ({chars} chars)")
    }
}

/// The operations psa-link needs from a PSA. Implementations do their own paging (largest
/// page size, concurrent pages where allowed), authentication and token renewal, and turn
/// vendor error texts into [`ApiError`]s carrying the SPEC §7 fix.
pub trait Psa: Send + Sync {
    fn kind(&self) -> PsaKind;

    /// A stable identity for this PSA instance (`halopsa:acme.halopsa.com`), recorded with
    /// mappings and ledger entries so data for one PSA is never applied to another.
    fn identity(&self) -> String;

    /// Checks the credentials with the cheapest authenticated call.
    fn verify(&self) -> Result<(), ApiError>;

    /// Every company, active and inactive (flagged), with all pages fetched.
    fn companies(&self) -> Result<Vec<Company>, ApiError>;

    /// Ticket types / boards / queues new tickets can be filed into (empty if the PSA has
    /// no such concept).
    fn routings(&self) -> Result<Vec<Choice>, ApiError>;

    /// Statuses valid for tickets in `routing` (the PSA's scope: CW per board, Halo per
    /// ticket type where it scopes them).
    fn statuses(&self, routing: Option<&str>) -> Result<Vec<Choice>, ApiError>;

    /// Priorities valid for tickets in `routing` (Halo: the ticket type's SLA).
    fn priorities(&self, routing: Option<&str>) -> Result<Vec<Choice>, ApiError>;

    /// Creates a ticket and returns its id. Never retried once sent.
    fn create_ticket(&self, ticket: &NewTicket) -> Result<i64, ApiError>;

    fn ticket(&self, id: i64) -> Result<Ticket, ApiError>;

    /// Applies the change; backends whose PSA may answer success without applying it
    /// re-read and report a mismatch as an error.
    fn update_ticket(&self, id: i64, change: &TicketChange) -> Result<(), ApiError>;

    /// [`Psa::update_ticket`], also returning the ticket when the backend had to read it
    /// back to check the change (so a caller about to read it again can reuse it).
    fn update_and_read(&self, id: i64, change: &TicketChange) -> Result<Option<Ticket>, ApiError> {
        self.update_ticket(id, change).map(|()| None)
    }

    /// Settings the backend discovered that later runs can reuse instead of asking again
    /// (HaloPSA: the Authorisation Server named by `/api/authinfo`); `integration add`
    /// keeps them in `[integration.settings]`. No secrets.
    fn discovered_settings(&self) -> toml::Table {
        toml::Table::new()
    }

    /// Adds a private note.
    fn add_note(&self, id: i64, note: &Note) -> Result<(), ApiError>;

    /// Finds tickets carrying the given markers: marker -> ticket id.
    fn find_marked(&self, search: &MarkerSearch<'_>) -> Result<HashMap<String, i64>, ApiError>;

    /// Deletes a ticket (test-ticket cleanup). `Ok(false)` when the PSA's API cannot.
    fn delete_ticket(&self, id: i64) -> Result<bool, ApiError>;

    /// The requests `op` would send, for `--dry-run`; nothing is sent (a backend may read
    /// what it needs to name the path). Empty when the backend cannot say: callers then
    /// describe the change in PSA-neutral words.
    fn preview(&self, op: PsaOp<'_>) -> Vec<RequestPreview> {
        let _ = op;
        Vec::new()
    }
}

/// The marker psa-link stores on every ticket it creates for an incident.
pub fn incident_marker(source: &str, incident_id: i64) -> String {
    format!("psa-link:{source}:{incident_id}")
}

/// Finds a psa-link marker inside free text (a body, a note, an external-reference field).
pub fn find_marker(text: &str) -> Option<String> {
    let start = text.find("psa-link:")?;
    let rest = &text[start..];
    let end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.')))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let marker = rest[..end].trim_end_matches(['.', ':']);
    (marker.matches(':').count() >= 2).then(|| marker.to_string())
}

/// Opens the configured PSA: the only place that picks a backend by kind.
pub fn connect(
    config: &crate::store::IntegrationConfig,
    secret: crate::secrets::Secret,
    http: &crate::http::Http,
) -> anyhow::Result<Box<dyn Psa>> {
    match config.kind {
        PsaKind::Halopsa => Ok(Box::new(halopsa::connect(config, secret, http)?)),
        PsaKind::Connectwise => Ok(Box::new(connectwise::connect(config, secret, http)?)),
        _ => Err(crate::error::Failure::config(format!(
            "{} is not supported by this build of psa-link yet",
            config.kind.display_name()
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_case_insensitively() {
        assert_eq!("HaloPSA".parse::<PsaKind>().unwrap(), PsaKind::Halopsa);
        assert!("halo".parse::<PsaKind>().is_err());
    }

    #[test]
    fn marker_is_found_in_text() {
        assert_eq!(
            find_marker("Huntress incident.\nReference: psa-link:huntress:1234.\n"),
            Some("psa-link:huntress:1234".into())
        );
        assert_eq!(
            find_marker("<p>psa-link:huntress:77</p>"),
            Some("psa-link:huntress:77".into())
        );
        assert_eq!(find_marker("no marker here"), None);
        assert_eq!(incident_marker("huntress", 9), "psa-link:huntress:9");
    }
}
