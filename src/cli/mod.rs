//! The CLI layer: argument parsing, one file per command under `commands/`, output,
//! prompts and exit codes. Domain work happens in the library modules.

pub mod args;
pub mod commands;
pub mod output;
pub mod prompt;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use clap::Parser;

pub use args::Cli;
use args::GlobalArgs;
use output::{BrokenPipe, Output, StderrObserver};
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                0
            });
        }
    };
    let json = cli.global.json;
    let mut ctx = Ctx::new(cli.global.clone());
    match commands::run(&mut ctx, cli.command) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) => {
            if err.downcast_ref::<BrokenPipe>().is_some() {
                return ExitCode::SUCCESS;
            }
            let failure = Failure::from_anyhow(err);
            report(&ctx.out, json, &failure);
            ExitCode::from(failure.exit.code())
        }
    }
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
