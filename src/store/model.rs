//! The typed views of `config.toml`, `mapping.toml` and the ledger. Every file carries a
//! `version` so later releases can migrate it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::lifecycle::LifecycleEvent;
use crate::psa::PsaKind;
use crate::source::{IncidentStatus, RemediationState, Severity};

pub const CONFIG_VERSION: u32 = 1;
pub const MAPPING_VERSION: u32 = 1;
/// 2: `skipped` and `owed` records (a version-1 build refuses the file by its header
/// instead of failing on an unknown record type).
pub const LEDGER_VERSION: u32 = 2;

fn config_version() -> u32 {
    CONFIG_VERSION
}
fn mapping_version() -> u32 {
    MAPPING_VERSION
}

/// A choice from one of the PSA's lists, stored by id with its name for humans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// A PSA company, stored by id with its name for humans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRef {
    pub id: i64,
    pub name: String,
}

/// Where a secret is kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SecretStoreKind {
    /// Only ever read from the environment (CI): nothing is stored.
    Env,
    /// The OS keyring, service `psa-link`.
    #[default]
    Keyring,
    /// `secrets.toml` in the config dir, mode 0600 (opt-in).
    File,
}

/// `config.toml`: no secrets, ever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default = "config_version")]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<IntegrationConfig>,
    /// Lifecycle event -> PSA status.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub status_map: BTreeMap<LifecycleEvent, Named>,
    /// Incident severity -> PSA priority.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub priority_map: BTreeMap<Severity, Named>,
    #[serde(default)]
    pub incidents: IncidentSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: CONFIG_VERSION,
            source: None,
            integration: None,
            status_map: BTreeMap::new(),
            priority_map: BTreeMap::new(),
            incidents: IncidentSettings::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SourceConfig {
    Huntress(HuntressSourceConfig),
    File(FileSourceConfig),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HuntressSourceConfig {
    /// The API key (public half; the secret is `api_secret`).
    pub api_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default)]
    pub secret_store: SecretStoreKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSourceConfig {
    pub path: PathBuf,
}

/// The one active PSA integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationConfig {
    pub kind: PsaKind,
    /// Replaces scheme, host and port (on-premises servers, the sandbox, tests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default)]
    pub secret_store: SecretStoreKind,
    /// Ticket type / board / queue new tickets go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<Named>,
    /// Where tickets of unmapped organizations go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_company: Option<CompanyRef>,
    /// The backend's own settings (`psa::<backend>::Settings`): host, client id, ...
    #[serde(default)]
    pub settings: toml::Table,
}

/// What `incident push|sync` do where SPEC leaves a choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSettings {
    /// Refuse (exit 5) instead of filing unmapped organizations' tickets under the default
    /// company.
    #[serde(default)]
    pub strict: bool,
    /// Seconds re-read before the sync cursor, so an incident updated while the last run
    /// paged is not missed.
    #[serde(default = "default_overlap")]
    pub sync_overlap_secs: u64,
}

fn default_overlap() -> u64 {
    60
}

impl Default for IncidentSettings {
    fn default() -> Self {
        IncidentSettings {
            strict: false,
            sync_overlap_secs: default_overlap(),
        }
    }
}

/// How a mapping pair came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// Exact name match found by `map auto`.
    Auto,
    /// Pinned by a person: never changed by `map auto`.
    Manual,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Auto => "auto",
            How::Manual => "manual",
        }
    }
}

/// One organization's pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingEntry {
    /// The organization's name when last seen (a label; the key is the id).
    pub name: String,
    pub company: CompanyRef,
    pub how: How,
}

/// `mapping.toml`: organization id -> company, ordered by organization id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    #[serde(default = "mapping_version")]
    pub version: u32,
    /// Identity of the PSA the company ids belong to (`Psa::identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psa: Option<String>,
    #[serde(default)]
    pub organizations: BTreeMap<i64, MappingEntry>,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            version: MAPPING_VERSION,
            psa: None,
            organizations: BTreeMap::new(),
        }
    }
}

/// What psa-link last pushed for one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub incident_id: i64,
    pub organization_id: i64,
    /// The organization's name when the ticket was made, so the ledger can name an
    /// organization that `mapping.toml` does not list (an unmapped one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    /// Identity of the PSA the ticket lives in.
    pub psa: String,
    pub ticket_id: i64,
    pub company_id: i64,
    /// Filed under the default company because the organization was not mapped.
    #[serde(default)]
    pub unmapped: bool,
    /// The how-to-map note of an unmapped ticket is still owed (the run that made the
    /// ticket stopped before sending it). Absent in older ledgers: their notes were sent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mapping_note_pending: bool,
    /// The resolution note of the close in progress was sent; the status change was not
    /// (the run stopped in between): the next run only changes the status.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resolution_noted: bool,
    pub severity: Severity,
    pub incident_status: IncidentStatus,
    pub remediation: RemediationState,
    /// The last lifecycle event applied to the ticket's status.
    pub ticket_state: LifecycleEvent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_id: Option<String>,
    /// The incident's `updated_at` when last pushed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_updated_at: Option<String>,
    /// When psa-link wrote this entry (RFC 3339).
    pub pushed_at: String,
}
