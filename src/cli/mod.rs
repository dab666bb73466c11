//! The CLI layer: argument parsing, one file per command under `commands/`, output,
//! prompts and exit codes. Domain work happens in the library modules.

pub mod args;
pub mod commands;
pub mod output;
pub mod prompt;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

pub use args::Cli;
use args::GlobalArgs;
use output::{BrokenPipe, Cancelled, Output, StderrObserver};
use prompt::Prompter;

use crate::error::{Exit, Failure};
use crate::http::{Http, HttpOptions, redact};
use crate::psa::{self, Psa};
use crate::secrets::{SecretKey, Secrets};
use crate::source::Source;
use crate::source::file::FileSource;
use crate::store::{Config, IntegrationConfig, SourceConfig, Store};

/// What every command gets: the global flags, output, prompts, the store and HTTP.
pub struct Ctx {
    pub global: GlobalArgs,
    pub out: Output,
    pub prompt: Prompter,
    config_dir: Option<PathBuf>,
    http: OnceLock<Http>,
    http_options: HttpOptions,
}

impl Ctx {
    pub fn new(global: GlobalArgs) -> Ctx {
        let out = Output::new(global.json, global.quiet, global.no_color, global.verbose);
        if global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            // The prompts (dialoguer) colour through `console`, which knows nothing of
            // --no-color.
            dialoguer::console::set_colors_enabled(false);
            dialoguer::console::set_colors_enabled_stderr(false);
        }
        let prompt = Prompter::new(global.yes);
        let http_options = HttpOptions {
            timeout: std::env::var("PSA_LINK_HTTP_TIMEOUT")
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|s| *s > 0.0)
                .map(std::time::Duration::from_secs_f64)
                .unwrap_or(std::time::Duration::from_secs(60)),
            observer: Arc::new(StderrObserver {
                verbose: global.verbose,
                quiet: global.quiet,
            }),
            ..HttpOptions::default()
        };
        Ctx {
            config_dir: global.config_dir.clone(),
            global,
            out,
            prompt,
            http: OnceLock::new(),
            http_options,
        }
    }

    /// The state store in the resolved config dir. While another run holds a file's lock,
    /// a line on stderr says what this one is waiting for.
    pub fn store(&self) -> anyhow::Result<Store> {
        let out = self.out.clone();
        Ok(
            Store::open(Store::resolve_dir(self.config_dir.as_deref())?).with_wait_notice(
                Arc::new(move |path: &std::path::Path| {
                    out.status(format!(
                        "waiting for another psa-link run to release {} ...",
                        path.display()
                    ))
                }),
            ),
        )
    }

    /// The secret chain (environment, OS keyring, `secrets.toml`) for the config dir.
    pub fn secrets(&self) -> anyhow::Result<Secrets> {
        Ok(Secrets::new(&self.store()?))
    }

    /// `config.toml` as it stands.
    pub fn config(&self) -> anyhow::Result<Config> {
        Ok(self.store()?.config()?)
    }

    /// The configured integration, or exit 3 saying how to add one.
    pub fn integration<'c>(&self, config: &'c Config) -> anyhow::Result<&'c IntegrationConfig> {
        config.integration.as_ref().ok_or_else(|| {
            Failure::config("no PSA integration is configured")
                .with_fix("add one with `psa-link integration add <halopsa|connectwise> ...` (see `psa-link integration add --help`)")
                .into()
        })
    }

    /// A client for the configured PSA, with its secret from the chain.
    pub fn open_psa(&self, config: &Config) -> anyhow::Result<Box<dyn Psa>> {
        let integration = self.integration(config)?;
        let secret = self
            .secrets()?
            .lookup(&SecretKey::psa(integration.kind), integration.secret_store)?;
        psa::connect(integration, secret, self.http()?)
    }

    /// The configured source of organizations and incidents, or exit 3 saying how to set one.
    pub fn open_source(&self, config: &Config) -> anyhow::Result<Box<dyn Source>> {
        match &config.source {
            Some(SourceConfig::Huntress(huntress)) => {
                let secret = self.secrets()?.lookup(&SecretKey::HUNTRESS, huntress.secret_store)?;
                Ok(Box::new(crate::source::huntress::open(huntress, secret, self.http()?)?))
            }
            Some(SourceConfig::File(file)) => Ok(Box::new(FileSource::open(&file.path)?)),
            None => Err(Failure::config("no source is configured")
                .with_fix(
                    "run `psa-link source set huntress --api-key <KEY>` (secret in PSA_LINK_HUNTRESS_API_SECRET), or `psa-link source set file <PATH>`",
                )
                .into()),
        }
    }

    /// The process-wide HTTP client.
    pub fn http(&self) -> anyhow::Result<&Http> {
        if let Some(h) = self.http.get() {
            return Ok(h);
        }
        let h = Http::new(self.http_options.clone())?;
        Ok(self.http.get_or_init(|| h))
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cli = match parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            if !e.use_stderr() {
                return ExitCode::SUCCESS;
            }
            if wants_json(&argv) {
                let out = Output::new(true, true, true, 0);
                let _ = out.json_doc(&usage_error_doc(&e));
            }
            return ExitCode::from(Exit::Usage.code());
        }
    };
    let json = cli.global.json;
    let mut ctx = Ctx::new(cli.global.clone());
    for notice in &cli.env_notices {
        ctx.out.status(notice);
    }
    match commands::run(&mut ctx, cli.command) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) => {
            if err.downcast_ref::<BrokenPipe>().is_some() {
                return ExitCode::SUCCESS;
            }
            if err.downcast_ref::<Cancelled>().is_some() {
                return cancelled(&ctx.out);
            }
            let failure = Failure::from_anyhow(err);
            report(&ctx.out, json, &failure);
            ExitCode::from(failure.exit.code())
        }
    }
}

/// Parses the command line and the `PSA_LINK_*` environment (SPEC §5). An empty variable
/// counts as unset; `PSA_LINK_VERBOSE` sets the `-v` level when no `-v` was typed; for
/// `incident push`, a choice typed on the command line beats one left in the environment.
pub fn parse_from(argv: &[OsString]) -> Result<Cli, clap::Error> {
    let mut cmd = without_empty_env(Cli::command());
    let matches = cmd
        .try_get_matches_from_mut(argv)
        .map_err(|e| name_env_source(e, &cmd, argv))?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))?;
    if matches.value_source("verbose") != Some(ValueSource::CommandLine) {
        cli.global.verbose = verbose_from_env().map_err(|msg| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, msg).format(&mut cmd)
        })?;
    }
    if let args::Command::Incident(args::IncidentCommand::Push(push)) = &mut cli.command
        && let Some(m) = matches
            .subcommand_matches("incident")
            .and_then(|m| m.subcommand_matches("push"))
    {
        push_choice(push, m).map_err(|(kind, msg)| {
            let err = clap::Error::raw(kind, msg);
            match cmd
                .find_subcommand_mut("incident")
                .and_then(|c| c.find_subcommand_mut("push"))
            {
                Some(push_cmd) => err.format(push_cmd),
                None => err.format(&mut cmd),
            }
        })?;
    }
    let leaf = leaf_matches(&matches);
    if let Some(secret) = secret_args(&mut cli.command) {
        secret.secret_stdin_from_env =
            leaf.value_source("secret_stdin") == Some(ValueSource::EnvVariable);
    }
    cli.env_notices = env_notices(leaf, &cmd);
    Ok(cli)
}

/// The matches of the subcommand that runs (the deepest one).
fn leaf_matches(matches: &clap::ArgMatches) -> &clap::ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => leaf_matches(sub),
        None => matches,
    }
}

/// The secret flags of the commands that read a secret.
fn secret_args(command: &mut args::Command) -> Option<&mut args::SecretArgs> {
    use args::{Command, IntegrationAddCommand, IntegrationCommand, SourceCommand};
    match command {
        Command::Source(SourceCommand::Set(args::SourceSetCommand::Huntress(a))) => {
            Some(&mut a.secret)
        }
        Command::Integration(IntegrationCommand::Add(IntegrationAddCommand::Halopsa(a))) => {
            Some(&mut a.common.secret)
        }
        Command::Integration(IntegrationCommand::Add(IntegrationAddCommand::Connectwise(a))) => {
            Some(&mut a.common.secret)
        }
        _ => None,
    }
}

/// Flags that change what a run does, and how a status line names each. A value left in
/// the environment (say `PSA_LINK_DRY_RUN` in a crontab) must not act silently.
const BEHAVIOUR_FLAGS: [(&str, &str); 9] = [
    ("dry_run", "dry run: nothing will be changed"),
    ("no_verify", "not verifying credentials"),
    ("strict", "strict: unmapped organizations are refused"),
    ("replace", "replacing the existing integration"),
    (
        "fail_on_unmapped",
        "exit 5 when an organization is left unmapped",
    ),
    ("accept_suggestions", "accepting suggested pairs"),
    ("in_source", "also resolving the incident in Huntress"),
    ("keep", "keeping the test ticket"),
    ("no_resolve", "not resolving the test ticket"),
];

/// "dry run: nothing will be changed (from PSA_LINK_DRY_RUN)" for each behaviour flag
/// switched on by its variable alone.
fn env_notices(leaf: &clap::ArgMatches, cmd: &clap::Command) -> Vec<String> {
    BEHAVIOUR_FLAGS
        .iter()
        .filter(|(id, _)| {
            // `value_source` insists (in debug builds) on an id the command defines.
            leaf.ids().any(|i| i.as_str() == *id)
                && leaf.value_source(id) == Some(ValueSource::EnvVariable)
                && leaf.try_get_one::<bool>(id).ok().flatten() == Some(&true)
        })
        .filter_map(|(id, what)| {
            let var = env_of(cmd, &id.replace('_', "-"))?;
            Some(format!("{what} (from {var})"))
        })
        .collect()
}

/// The clap tree with the `env` of every argument whose variable is set but empty taken
/// away, so `PSA_LINK_HOME=` behaves as if it were not there.
pub(crate) fn without_empty_env(cmd: clap::Command) -> clap::Command {
    let cmd = cmd.mut_args(|arg| {
        let empty = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|v| v.is_empty());
        if empty { arg.env(None::<&str>) } else { arg }
    });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names
        .iter()
        .fold(cmd, |cmd, name| cmd.mut_subcommand(name, without_empty_env))
}

/// A bad value that came from a variable, not the command line, says which variable:
/// clap's message names only the flag.
pub(crate) fn name_env_source(
    mut e: clap::Error,
    cmd: &clap::Command,
    argv: &[OsString],
) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        e.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return e;
    }
    let Some(ContextValue::String(flag)) = e.get(ContextKind::InvalidArg) else {
        return e;
    };
    let Some(long) = flag
        .strip_prefix("--")
        .and_then(|f| f.split([' ', '=']).next())
    else {
        return e;
    };
    let typed = argv.iter().any(|a| {
        let a = a.to_string_lossy();
        a == format!("--{long}") || a.starts_with(&format!("--{long}="))
    });
    if typed {
        return e;
    }
    if let Some(var) = env_of(cmd, long) {
        e.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![
                format!("the value came from the environment variable {var}").into(),
            ]),
        );
    }
    e
}

/// The environment variable of the flag `--long` anywhere in the tree.
fn env_of(cmd: &clap::Command, long: &str) -> Option<String> {
    cmd.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .and_then(|a| a.get_env())
        .map(|v| v.to_string_lossy().into_owned())
        .or_else(|| cmd.get_subcommands().find_map(|c| env_of(c, long)))
}

/// `PSA_LINK_VERBOSE`: 0, 1 or 2 (empty or unset: 0).
fn verbose_from_env() -> Result<u8, String> {
    let Some(value) = std::env::var_os("PSA_LINK_VERBOSE") else {
        return Ok(0);
    };
    let text = value.to_string_lossy();
    match text.trim() {
        "" => Ok(0),
        t => t.parse::<u8>().ok().filter(|v| *v <= 2).ok_or_else(|| {
            format!("invalid value '{text}' for PSA_LINK_VERBOSE: use 0, 1 or 2 (the number of -v)")
        }),
    }
}

/// `incident push`: ids, `--file` and `--all-open` are one choice. Typed on the command
/// line, only one may be; a choice from the environment gives way to a typed one. A false
/// `PSA_LINK_ALL_OPEN` (0, no, false) is no choice at all: clap counts any value as present
/// for the required group, and nothing chosen must never mean "every incident".
fn push_choice(
    push: &mut args::IncidentPushArgs,
    m: &clap::ArgMatches,
) -> Result<(), (clap::error::ErrorKind, String)> {
    use clap::error::ErrorKind;
    let (all_open, file, ids) = (push.all_open, push.file.is_some(), !push.ids.is_empty());
    let chosen = |id: &str| match id {
        "all_open" => all_open,
        "file" => file,
        _ => ids,
    };
    let typed = |id: &str| chosen(id) && m.value_source(id) == Some(ValueSource::CommandLine);
    let from_env = |id: &str| chosen(id) && m.value_source(id) == Some(ValueSource::EnvVariable);
    let names = [
        ("ids", "<ID>..."),
        ("file", "--file (PSA_LINK_FILE)"),
        ("all_open", "--all-open (PSA_LINK_ALL_OPEN)"),
    ];
    let typed_n = names.iter().filter(|(id, _)| typed(id)).count();
    let env_n = names.iter().filter(|(id, _)| from_env(id)).count();
    if typed_n == 0 && env_n == 0 {
        let why = if m.value_source("all_open") == Some(ValueSource::EnvVariable) {
            " (a false PSA_LINK_ALL_OPEN chooses nothing)"
        } else {
            ""
        };
        return Err((
            ErrorKind::MissingRequiredArgument,
            format!("incident push needs one of <ID>..., --file FILE or --all-open{why}"),
        ));
    }
    if typed_n > 1 || (typed_n == 0 && env_n > 1) {
        let given: Vec<&str> = names
            .iter()
            .filter(|(id, _)| typed(id) || (typed_n == 0 && from_env(id)))
            .map(|(_, n)| *n)
            .collect();
        return Err((
            ErrorKind::ArgumentConflict,
            format!(
                "incident push takes one of <ID>..., --file or --all-open; got {}",
                given.join(" and ")
            ),
        ));
    }
    if typed_n == 1 {
        if !typed("file") {
            push.file = None;
        }
        if !typed("all_open") {
            push.all_open = false;
        }
    }
    Ok(())
}

/// `--json` was asked for, on the command line (before a `--`) or through `PSA_LINK_JSON`.
fn wants_json(argv: &[OsString]) -> bool {
    let typed = argv
        .iter()
        .skip(1)
        .take_while(|a| a.as_os_str() != "--")
        .any(|a| a.as_os_str() == "--json");
    let env = std::env::var("PSA_LINK_JSON").is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "y" | "on" | "t"
        )
    });
    typed || env
}

/// The JSON document of a usage error: the same `error` object every failing command
/// prints under `--json`.
fn usage_error_doc(e: &clap::Error) -> serde_json::Value {
    let text = e.render().to_string();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let is_advice = |l: &&str| {
        l.starts_with("tip:") || l.starts_with("Usage:") || l.starts_with("For more information")
    };
    // The first line and what continues it (the missing arguments, the possible values):
    // a message that ends at "were not provided:" tells a script nothing.
    let mut message: Vec<&str> = lines
        .iter()
        .take_while(|l| !is_advice(l))
        .copied()
        .collect();
    if let Some(first) = message.first_mut() {
        *first = first.strip_prefix("error:").unwrap_or(first).trim();
    }
    let message = if message.is_empty() {
        "usage error".to_string()
    } else {
        message.join(" ")
    };
    let fix: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("tip:") || l.starts_with("Usage:"))
        .copied()
        .collect();
    let fix = if fix.is_empty() {
        "see --help".to_string()
    } else {
        format!("{}; see --help", fix.join("; "))
    };
    serde_json::json!({
        "error": { "message": message, "fix": fix, "exit_code": Exit::Usage.code() }
    })
}

/// A person declined a prompt: say so, and with `--json` print `{"cancelled": true,
/// "changed": false}` so the one-document rule holds. Exit 0.
fn cancelled(out: &Output) -> ExitCode {
    if out.json {
        let _ = out.json_doc(&serde_json::json!({ "cancelled": true, "changed": false }));
    }
    out.status(Cancelled.to_string());
    ExitCode::SUCCESS
}

/// Prints a failure: `error:` and `fix:` lines on stderr, and with `--json` one JSON
/// document on stdout so scripts always get a parseable answer.
pub fn report(out: &Output, json: bool, failure: &Failure) {
    let message = redact::scrub(&failure.message);
    let fix = failure.fix.as_deref().map(redact::scrub);
    eprintln!("{} {message}", out.paint_err("error:", output::Tone::Bad));
    if let Some(fix) = &fix {
        eprintln!("{} {fix}", out.paint_err("fix:", output::Tone::Warn));
    }
    if json {
        let _ = out.json_doc(&serde_json::json!({
            "error": { "message": message, "fix": fix, "exit_code": failure.exit.code() }
        }));
    }
}
