//! The command-line contract (SPEC §4). Every flag that is not a secret also reads a
//! `PSA_LINK_…` environment variable: per-PSA flags `PSA_LINK_<KIND>_<FLAG>`, sandbox flags
//! `PSA_LINK_SANDBOX_<FLAG>`, every other flag `PSA_LINK_<FLAG>`. Boolean variables take
//! 1/0, true/false, yes/no, on/off; an empty variable counts as unset (see `cli::parse`).
//! `-v` reads `PSA_LINK_VERBOSE` (0-2) by hand: clap cannot count an environment value.

use std::path::PathBuf;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::store::SecretStoreKind;

#[derive(Debug, Parser)]
#[command(
    name = "psa-link",
    version,
    about = "Huntress incidents to PSA tickets: organization mapping, ticket lifecycle, test tickets",
    long_about = "psa-link connects Huntress (managed EDR) to the one PSA an MSP runs, so every confirmed \
incident becomes a ticket under the right customer, follows the incident, and closes itself when the \
incident is resolved.\n\nStart with `psa-link sandbox demo` to see the whole story against local emulators.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
    /// One line per behaviour-changing flag that came from a `PSA_LINK_…` variable rather
    /// than the command line (filled by `cli::parse_from`, printed on stderr before the run).
    #[arg(skip)]
    pub env_notices: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Configuration directory (default: $XDG_CONFIG_HOME/psa-link)
    #[arg(long, global = true, env = "PSA_LINK_HOME", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Print one JSON document on stdout (progress and prompts go to stderr)
    #[arg(long, global = true, env = "PSA_LINK_JSON", value_parser = BoolishValueParser::new())]
    pub json: bool,
    /// Only errors on stderr
    #[arg(short, long, global = true, env = "PSA_LINK_QUIET", value_parser = BoolishValueParser::new())]
    pub quiet: bool,
    /// No colour (also: the NO_COLOR environment variable)
    #[arg(long, global = true, env = "PSA_LINK_NO_COLOR", value_parser = BoolishValueParser::new())]
    pub no_color: bool,
    /// Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Never prompt: take defaults and proceed (implied when stdin is not a terminal)
    #[arg(short = 'y', long, global = true, env = "PSA_LINK_YES", value_parser = BoolishValueParser::new())]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Where organizations and incidents come from (Huntress or a JSON file)
    #[command(subcommand)]
    Source(SourceCommand),
    /// The one PSA integration: add, show, remove, send the test ticket
    #[command(subcommand)]
    Integration(IntegrationCommand),
    /// Organization mapping: Huntress organizations to PSA companies
    #[command(subcommand)]
    Map(MapCommand),
    /// Lifecycle event -> PSA status
    #[command(subcommand)]
    StatusMap(StatusMapCommand),
    /// Incident severity -> PSA priority
    #[command(subcommand)]
    PriorityMap(PriorityMapCommand),
    /// Push incidents to the PSA and follow them to resolution
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// Local emulators of Huntress and every supported PSA
    Sandbox(SandboxArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
}

// ---------------------------------------------------------------------------- source

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Configure the source
    #[command(subcommand)]
    Set(SourceSetCommand),
    /// Show the configured source
    Show,
    /// Re-verify access to the source
    Test,
}

#[derive(Debug, Subcommand)]
pub enum SourceSetCommand {
    /// The Huntress API (verifies with GET /v1/account)
    Huntress(SourceHuntressArgs),
    /// A JSON file in the Huntress API's shapes (offline and scripted use)
    File(SourceFileArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SourceHuntressArgs {
    /// Huntress API key (the secret comes from PSA_LINK_HUNTRESS_API_SECRET, a prompt or --secret-stdin)
    #[arg(long, env = "PSA_LINK_HUNTRESS_API_KEY")]
    pub api_key: Option<String>,
    /// Replaces https://api.huntress.io (sandbox, tests)
    #[arg(long, env = "PSA_LINK_HUNTRESS_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Store without checking the credentials
    #[arg(long, env = "PSA_LINK_NO_VERIFY", value_parser = BoolishValueParser::new())]
    pub no_verify: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SourceFileArgs {
    /// JSON file with `organizations` and `incident_reports` in the Huntress API's shapes
    pub path: PathBuf,
}

/// How a secret is read and where it is kept.
#[derive(Debug, Clone, Args)]
pub struct SecretArgs {
    /// Read the secret from stdin (one line)
    #[arg(long, env = "PSA_LINK_SECRET_STDIN", value_parser = BoolishValueParser::new())]
    pub secret_stdin: bool,
    /// `--secret-stdin` came from `PSA_LINK_SECRET_STDIN`, not the command line (set by
    /// `cli::parse_from`): the secret's own variable then wins over stdin.
    #[arg(skip)]
    pub secret_stdin_from_env: bool,
    /// Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir
    #[arg(long, value_enum, env = "PSA_LINK_SECRET_STORE", value_name = "STORE")]
    pub secret_store: Option<SecretStoreArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecretStoreArg {
    Keyring,
    File,
}

impl From<SecretStoreArg> for SecretStoreKind {
    fn from(a: SecretStoreArg) -> Self {
        match a {
            SecretStoreArg::Keyring => SecretStoreKind::Keyring,
            SecretStoreArg::File => SecretStoreKind::File,
        }
    }
}

// ----------------------------------------------------------------------- integration

#[derive(Debug, Subcommand)]
pub enum IntegrationCommand {
    /// Configure the PSA integration (one at a time; --replace to switch)
    #[command(subcommand)]
    Add(IntegrationAddCommand),
    /// Show the integration (secrets masked)
    Show,
    /// Remove the integration and its stored secret
    Remove,
    /// Send the test ticket: create, read back, check the company, resolve, check again
    Test(IntegrationTestArgs),
}

/// Flags every `integration add` takes.
#[derive(Debug, Clone, Args)]
pub struct AddCommon {
    /// Replace the existing integration
    #[arg(long, env = "PSA_LINK_REPLACE", value_parser = BoolishValueParser::new())]
    pub replace: bool,
    /// Store without checking credentials or resolving names (ids must then be given)
    #[arg(long, env = "PSA_LINK_NO_VERIFY", value_parser = BoolishValueParser::new())]
    pub no_verify: bool,
    #[command(flatten)]
    pub secret: SecretArgs,
}

#[derive(Debug, Subcommand)]
pub enum IntegrationAddCommand {
    /// HaloPSA (OAuth client credentials)
    Halopsa(HaloAddArgs),
    /// ConnectWise PSA / Manage (API member keys)
    Connectwise(ConnectwiseAddArgs),
}

#[derive(Debug, Clone, Args)]
pub struct HaloAddArgs {
    /// Base domain only, e.g. acme.halopsa.com (no https://, no /api)
    #[arg(long, env = "PSA_LINK_HALOPSA_HOST")]
    pub host: Option<String>,
    /// The Authorisation Server: its URL from API Details (e.g. https://auth.haloservicedesk.com)
    /// or a host meaning https://HOST/auth (read from /api/authinfo when omitted)
    #[arg(long, env = "PSA_LINK_HALOPSA_AUTH_HOST")]
    pub auth_host: Option<String>,
    /// OAuth scopes to ask for, space-separated (default: all)
    #[arg(long, env = "PSA_LINK_HALOPSA_SCOPE")]
    pub scope: Option<String>,
    /// Tenant for hosted instances
    #[arg(long, env = "PSA_LINK_HALOPSA_TENANT")]
    pub tenant: Option<String>,
    /// OAuth client id of the HaloPSA application (secret: PSA_LINK_HALOPSA_CLIENT_SECRET)
    #[arg(long, env = "PSA_LINK_HALOPSA_CLIENT_ID")]
    pub client_id: Option<String>,
    /// Ticket type for new tickets, by name or id
    #[arg(long, env = "PSA_LINK_HALOPSA_TICKET_TYPE", value_name = "NAME|ID")]
    pub ticket_type: Option<String>,
    /// Client for unmapped organizations, by name or id
    #[arg(long, env = "PSA_LINK_HALOPSA_DEFAULT_CLIENT", value_name = "NAME|ID")]
    pub default_client: Option<String>,
    /// Replaces https://<host> (on-premises, sandbox, tests)
    #[arg(long, env = "PSA_LINK_HALOPSA_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    #[command(flatten)]
    pub common: AddCommon,
}

#[derive(Debug, Clone, Args)]
pub struct ConnectwiseAddArgs {
    /// API site, e.g. api-na.myconnectwise.net
    #[arg(long, env = "PSA_LINK_CONNECTWISE_SITE")]
    pub site: Option<String>,
    /// Login company id
    #[arg(long, env = "PSA_LINK_CONNECTWISE_COMPANY")]
    pub company: Option<String>,
    /// API member public key (private key: PSA_LINK_CONNECTWISE_PRIVATE_KEY)
    #[arg(long, env = "PSA_LINK_CONNECTWISE_PUBLIC_KEY")]
    pub public_key: Option<String>,
    /// Integration clientId (GUID from developer.connectwise.com)
    #[arg(long, env = "PSA_LINK_CONNECTWISE_CLIENT_ID", value_name = "GUID")]
    pub client_id: Option<String>,
    /// Service board for new tickets, by name or id
    #[arg(long, env = "PSA_LINK_CONNECTWISE_BOARD", value_name = "NAME|ID")]
    pub board: Option<String>,
    /// Company for unmapped organizations, by name or id
    #[arg(
        long,
        env = "PSA_LINK_CONNECTWISE_DEFAULT_COMPANY",
        value_name = "NAME|ID"
    )]
    pub default_company: Option<String>,
    /// Replaces https://<site> (on-premises, sandbox, tests)
    #[arg(long, env = "PSA_LINK_CONNECTWISE_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    #[command(flatten)]
    pub common: AddCommon,
}

#[derive(Debug, Clone, Args)]
pub struct IntegrationTestArgs {
    /// Organization to file the test ticket for (id or exact name; default: the first mapped one)
    #[arg(long, env = "PSA_LINK_ORG", value_name = "ORG")]
    pub org: Option<String>,
    /// Do not move the ticket to the `resolved` status
    #[arg(long, env = "PSA_LINK_NO_RESOLVE", value_parser = BoolishValueParser::new())]
    pub no_resolve: bool,
    /// Keep the test ticket instead of deleting it
    #[arg(long, env = "PSA_LINK_KEEP", value_parser = BoolishValueParser::new())]
    pub keep: bool,
}

// ------------------------------------------------------------------------------- map

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MapFilter {
    #[default]
    All,
    Mapped,
    Unmapped,
    Stale,
}

#[derive(Debug, Subcommand)]
pub enum MapCommand {
    /// Fetch organizations and companies, map exact names, report the rest
    Auto(MapAutoArgs),
    /// Pin an organization to a company (each by id or exact name)
    Manual(MapManualArgs),
    /// Unpin an organization
    Remove(MapRemoveArgs),
    /// Show the mapping (checked against the live PSA unless --offline)
    List(MapListArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MapAutoArgs {
    /// Which organizations to show
    #[arg(long, value_enum, env = "PSA_LINK_FILTER", default_value_t = MapFilter::All)]
    pub filter: MapFilter,
    /// Show what would change; write nothing
    #[arg(long, env = "PSA_LINK_DRY_RUN", value_parser = BoolishValueParser::new())]
    pub dry_run: bool,
    /// Exit 5 when any organization is left unmapped, ambiguous or stale
    #[arg(long, env = "PSA_LINK_FAIL_ON_UNMAPPED", value_parser = BoolishValueParser::new())]
    pub fail_on_unmapped: bool,
    /// Pin every unique, unambiguous suggestion as a manual pair (asks first; --yes to skip)
    #[arg(long, env = "PSA_LINK_ACCEPT_SUGGESTIONS", value_parser = BoolishValueParser::new())]
    pub accept_suggestions: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MapManualArgs {
    /// Organization id or exact name
    pub org: String,
    /// Company id or exact name (omit on a terminal for a searchable picker)
    pub company: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct MapRemoveArgs {
    /// Organization id or exact name
    pub org: String,
}

#[derive(Debug, Clone, Args)]
pub struct MapListArgs {
    /// Which organizations to show
    #[arg(long, value_enum, env = "PSA_LINK_FILTER", default_value_t = MapFilter::All)]
    pub filter: MapFilter,
    /// Use only mapping.toml; no network
    #[arg(long, env = "PSA_LINK_OFFLINE", value_parser = BoolishValueParser::new())]
    pub offline: bool,
}

// -------------------------------------------------------------- status / priority map

#[derive(Debug, Subcommand)]
pub enum StatusMapCommand {
    /// Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status
    Set(StatusMapSetArgs),
    /// Show the status map
    List,
}

#[derive(Debug, Clone, Args)]
pub struct StatusMapSetArgs {
    /// created | remediation-approved | remediation-rejected | resolved | dismissed
    pub event: String,
    /// PSA status, by name or id
    pub status: String,
}

#[derive(Debug, Subcommand)]
pub enum PriorityMapCommand {
    /// Map a severity (low, high, critical) to a priority
    Set(PriorityMapSetArgs),
    /// Show the priority map
    List,
}

#[derive(Debug, Clone, Args)]
pub struct PriorityMapSetArgs {
    /// low | high | critical
    pub severity: String,
    /// PSA priority, by name or id
    pub priority: String,
}

// -------------------------------------------------------------------------- incident

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Plan and apply the lifecycle for the named incidents
    Push(IncidentPushArgs),
    /// Move an incident's ticket to `resolved` with a resolution note
    Resolve(IncidentResolveArgs),
    /// Push everything changed since the last run (the cron / service entry point)
    Sync(IncidentSyncArgs),
    /// The ledger: incidents and their tickets
    List(IncidentListArgs),
}

#[derive(Debug, Clone, Args)]
// `multiple(true)`: a PSA_LINK_FILE / PSA_LINK_ALL_OPEN left in the environment must not
// clash with ids typed on the command line; `cli::parse` lets the command line win and
// refuses two choices made on the command line itself.
#[command(group(clap::ArgGroup::new("which").required(true).multiple(true).args(["ids", "file", "all_open"])))]
pub struct IncidentPushArgs {
    /// Incident ids
    pub ids: Vec<i64>,
    /// Incidents from a JSON file (Huntress shapes)
    #[arg(long, env = "PSA_LINK_FILE", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Every open incident in the source
    #[arg(long, env = "PSA_LINK_ALL_OPEN", value_parser = BoolishValueParser::new())]
    pub all_open: bool,
    /// Print the requests that would change something; change nothing
    #[arg(long, env = "PSA_LINK_DRY_RUN", value_parser = BoolishValueParser::new())]
    pub dry_run: bool,
    /// Refuse unmapped organizations (exit 5) instead of using the default company
    #[arg(long, env = "PSA_LINK_STRICT", value_parser = BoolishValueParser::new())]
    pub strict: bool,
}

#[derive(Debug, Clone, Args)]
pub struct IncidentResolveArgs {
    /// Incident id
    pub id: i64,
    /// Also resolve the incident in Huntress (needs a user-based API key)
    #[arg(long, env = "PSA_LINK_IN_SOURCE", value_parser = BoolishValueParser::new())]
    pub in_source: bool,
    /// Print the requests that would change something; change nothing
    #[arg(long, env = "PSA_LINK_DRY_RUN", value_parser = BoolishValueParser::new())]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct IncidentSyncArgs {
    /// Keep running, polling every SECS seconds (Ctrl-C stops cleanly)
    #[arg(long, env = "PSA_LINK_WATCH", value_name = "SECS")]
    pub watch: Option<u64>,
    /// Print the requests that would change something; change nothing
    #[arg(long, env = "PSA_LINK_DRY_RUN", value_parser = BoolishValueParser::new())]
    pub dry_run: bool,
    /// Refuse unmapped organizations (exit 5) instead of using the default company
    #[arg(long, env = "PSA_LINK_STRICT", value_parser = BoolishValueParser::new())]
    pub strict: bool,
}

#[derive(Debug, Clone, Args)]
pub struct IncidentListArgs {
    /// Only incidents whose ticket is not resolved or dismissed
    #[arg(long, env = "PSA_LINK_OPEN", value_parser = BoolishValueParser::new())]
    pub open: bool,
}

// --------------------------------------------------------------------------- sandbox

#[derive(Debug, Args)]
pub struct SandboxArgs {
    #[command(subcommand)]
    pub action: Option<SandboxAction>,
    /// Which PSA to emulate next to Huntress
    #[arg(long, global = true, value_enum, env = "PSA_LINK_SANDBOX_PSA", default_value_t = SandboxPsa::Halopsa)]
    pub psa: SandboxPsa,
    /// Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them
    #[arg(
        long = "fault",
        global = true,
        env = "PSA_LINK_SANDBOX_FAULT",
        value_delimiter = ',',
        value_name = "FAULT"
    )]
    pub faults: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxPsa {
    Halopsa,
    Connectwise,
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Start the emulators and print how to point psa-link at them (the default)
    Serve(SandboxServeArgs),
    /// Run the whole story end to end against fresh emulators
    Demo(SandboxDemoArgs),
}

#[derive(Debug, Clone, Args, Default)]
pub struct SandboxServeArgs {
    /// Port of the Huntress emulator (the PSA gets the next one; 0 = any free ports)
    #[arg(long, env = "PSA_LINK_SANDBOX_PORT", default_value_t = 18480)]
    pub port: u16,
    /// Latency added to every response, in milliseconds
    #[arg(long, env = "PSA_LINK_SANDBOX_LATENCY_MS", default_value_t = 0)]
    pub latency_ms: u64,
}

#[derive(Debug, Clone, Args, Default)]
pub struct SandboxDemoArgs {
    /// Keep the demo's config dir here instead of a temporary one
    #[arg(long, env = "PSA_LINK_SANDBOX_KEEP_CONFIG", value_name = "DIR")]
    pub keep_config: Option<PathBuf>,
}

// ----------------------------------------------------------------------- completions

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// bash, elvish, fish, powershell or zsh
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// SPEC §5: every non-secret flag has a `PSA_LINK_…` variable, and every argument
    /// says what it is for in `--help`. `-v` is read by hand (`cli::parse_from`).
    #[test]
    fn every_flag_has_help_and_a_psa_link_variable() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>, seen: &mut usize) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                *seen += 1;
                let name = format!("{path} {id}");
                if arg.get_help().is_none() {
                    missing.push(format!("{name}: no help line"));
                }
                let flag = !arg.is_positional();
                let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
                match env {
                    Some(e) if !e.starts_with("PSA_LINK_") => {
                        missing.push(format!("{name}: variable {e} is not PSA_LINK_*"))
                    }
                    None if flag && id != "verbose" => {
                        missing.push(format!("{name}: no environment variable"))
                    }
                    _ => {}
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing, seen);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let (mut missing, mut seen) = (Vec::new(), 0);
        walk(&cmd, "psa-link", &mut missing, &mut seen);
        assert!(missing.is_empty(), "{missing:#?}");
        assert!(
            seen > 100,
            "the walk reached every subcommand ({seen} arguments)"
        );
    }
}
