//! `incident sync` throughput (SPEC section 9): 2,000 new incidents, then a re-run with
//! nothing changed, through the real binary against in-process emulators that add a
//! latency to every response. Run with
//! `cargo run --release --example incident_throughput [-- --psa halopsa|connectwise]`
//! (also `--incidents N`, `--organizations N`, `--latency-ms N`, `--halo-per-5min N`).
//!
//! Prints per run: wall time, PSA requests per incident (target: the create and at most
//! one note; zero on the unchanged re-run), Huntress requests, and the time the binary
//! spent waiting on rate limits (its `--json` `stats`).
//!
//! Rate limits configured, and why:
//! - Huntress: the documented 60 requests per minute, unchanged on both sides. A sync
//!   lists 500 incidents per request, so 2,000 incidents cost a handful of requests.
//! - HaloPSA: the client paces at `requests_per_5min` (`[integration.settings]`, default
//!   300, the lower of the two figures Halo-hosted instances are documented with). At 300
//!   per 5 minutes, 2,000 creates take at least 33 minutes whatever psa-link does, so the
//!   benchmark raises it (default 10,000, `--halo-per-5min`) on the client and on the
//!   emulator alike (`HaloEmulator` `rate_limit`), as an MSP whose instance has a raised
//!   limit would, and prints what the documented default would cost.
//! - ConnectWise: the client's 900 requests per minute against the emulator's 1,000,
//!   unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use psa_link::http::{Http, HttpOptions};
use psa_link::mapping::{Mode, reconcile};
use psa_link::psa::{self, PsaKind};
use psa_link::sandbox::halopsa::{HaloEmulator, HaloOptions};
use psa_link::sandbox::huntress::HuntressEmulator;
use psa_link::sandbox::launch::{Sandbox, psa_emulator};
use psa_link::sandbox::seed::Msp;
use psa_link::sandbox::{PsaEmulator, RunningServer, ServerOptions};
use psa_link::secrets::Secret;
use psa_link::source::Source;
use psa_link::store::{SourceConfig, Store};
use serde_json::Value;

struct Options {
    kinds: Vec<PsaKind>,
    incidents: usize,
    organizations: usize,
    latency: Duration,
    halo_per_5min: u32,
}

fn options() -> Options {
    let mut o = Options {
        kinds: vec![PsaKind::Halopsa, PsaKind::Connectwise],
        incidents: 2_000,
        organizations: 200,
        latency: Duration::from_millis(20),
        halo_per_5min: 10_000,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        let number = || {
            value
                .parse::<u64>()
                .unwrap_or_else(|_| usage(&format!("{flag}: not a number")))
        };
        match flag.as_str() {
            "--psa" => o.kinds = vec![value.parse().unwrap_or_else(|e: String| usage(&e))],
            "--incidents" => o.incidents = number() as usize,
            "--organizations" => o.organizations = number().max(1) as usize,
            "--latency-ms" => o.latency = Duration::from_millis(number()),
            "--halo-per-5min" => o.halo_per_5min = number() as u32,
            _ => usage(&format!("unknown flag {flag}")),
        }
    }
    o
}

fn usage(why: &str) -> ! {
    eprintln!(
        "{why}\nusage: incident_throughput [--psa halopsa|connectwise] [--incidents N] [--organizations N] [--latency-ms N] [--halo-per-5min N]"
    );
    std::process::exit(2)
}

fn main() -> anyhow::Result<()> {
    let o = options();
    let binary = binary()?;
    println!(
        "incident sync: {} new incidents over {} organizations, {} ms added to every response",
        o.incidents,
        o.organizations,
        o.latency.as_millis()
    );
    println!(
        "{:<12} {:<10} {:>8} {:>9} {:>9} {:>9} {:>10} {:>8} {:>8} {:>10} {:>7}",
        "psa",
        "run",
        "wall",
        "psa req",
        "per inc.",
        "creates",
        "huntress",
        "waited",
        "created",
        "unchanged",
        "failed"
    );
    for kind in &o.kinds {
        bench(*kind, &o, &binary)?;
    }
    Ok(())
}

/// The release (or debug) `psa-link` next to this example, built first when cargo runs us.
fn binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow::anyhow!("cannot place the psa-link binary"))?;
    let release = dir.file_name().is_some_and(|n| n == "release");
    if let Ok(cargo) = std::env::var("CARGO") {
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "--bin", "psa-link"]);
        if release {
            build.arg("--release");
        }
        anyhow::ensure!(build.status()?.success(), "building psa-link failed");
    }
    let bin = dir.join(format!("psa-link{}", std::env::consts::EXE_SUFFIX));
    anyhow::ensure!(
        bin.exists(),
        "{} is missing: run `cargo build --release --bin psa-link` first",
        bin.display()
    );
    Ok(bin)
}

/// Huntress and one PSA emulator with the latency, Halo's window set to `halo_per_5min`.
fn sandbox(kind: PsaKind, o: &Options) -> anyhow::Result<Sandbox> {
    let companies = o.organizations * 5;
    let msp = Msp::generated(o.organizations, companies, o.incidents);
    let psa: Arc<dyn PsaEmulator> = match kind {
        PsaKind::Halopsa => Arc::new(HaloEmulator::new(
            &msp,
            HaloOptions {
                rate_limit: o.halo_per_5min as usize,
                ..HaloOptions::default()
            },
        )),
        other => psa_emulator(other, &msp).ok_or_else(|| anyhow::anyhow!("no {other} emulator"))?,
    };
    let huntress = Arc::new(HuntressEmulator::new(&msp));
    let server = ServerOptions {
        latency: o.latency,
        ..ServerOptions::default()
    };
    Ok(Sandbox {
        huntress_server: RunningServer::start(huntress.clone(), server.clone())?,
        psa_server: RunningServer::start(psa.clone(), server)?,
        msp,
        huntress,
        psa,
    })
}

/// A psa-link run in its own config dir, secrets from the environment.
struct Cli<'a> {
    binary: &'a Path,
    home: &'a Path,
    env: Vec<(String, String)>,
}

impl Cli<'_> {
    fn run(&self, args: &[&str]) -> anyhow::Result<std::process::Output> {
        let mut cmd = Command::new(self.binary);
        for (k, _) in std::env::vars() {
            if k.starts_with("PSA_LINK_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("PSA_LINK_HOME", self.home)
            .env("PSA_LINK_NO_KEYRING", "1")
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(args);
        Ok(cmd.output()?)
    }

    fn ok(&self, args: &[String]) -> anyhow::Result<()> {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.run(&refs)?;
        anyhow::ensure!(
            out.status.success(),
            "psa-link {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }
}

fn bench(kind: PsaKind, o: &Options, binary: &Path) -> anyhow::Result<()> {
    let sandbox = sandbox(kind, o)?;
    let home = tempfile::tempdir()?;
    let cli = Cli {
        binary,
        home: home.path(),
        env: sandbox.env(),
    };
    cli.ok(&sandbox.source_args())?;
    cli.ok(&sandbox.integration_args())?;
    let store = Store::open(home.path());
    if kind == PsaKind::Halopsa {
        raise_halo_limit(&store, o.halo_per_5min)?;
    }
    let (unmapped, organizations) = map_auto(&store, &sandbox)?;
    println!(
        "{:<12} {unmapped} of {organizations} organizations left unmapped by exact names (their incidents go to the default company with a how-to-map note)",
        kind.id()
    );

    let mut first_psa_requests = 0;
    for run in ["first", "unchanged"] {
        sandbox.psa_server.clear_log();
        let start = Instant::now();
        let out = cli.run(&["incident", "sync", "--json"])?;
        let wall = start.elapsed();
        let doc: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
            anyhow::anyhow!(
                "incident sync printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
        let service =
            |name: &str, key: &str| doc["stats"]["services"][name][key].as_u64().unwrap_or(0);
        let psa_name = match kind {
            PsaKind::Halopsa => psa::halopsa::SERVICE,
            _ => psa::connectwise::SERVICE,
        };
        let psa_requests = service(psa_name, "requests");
        let creates = sandbox
            .psa_server
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.to_ascii_lowercase().ends_with("tickets"))
            .count();
        let summary = |k: &str| doc["summary"][k].as_u64().unwrap_or(0);
        if run == "first" {
            first_psa_requests = psa_requests;
        }
        println!(
            "{:<12} {:<10} {:>7.1}s {:>9} {:>9.3} {:>9} {:>10} {:>7.1}s {:>8} {:>10} {:>7}",
            kind.id(),
            run,
            wall.as_secs_f64(),
            psa_requests,
            psa_requests as f64 / o.incidents.max(1) as f64,
            creates,
            service("Huntress", "requests"),
            doc["stats"]["rate_limit_wait_ms"].as_u64().unwrap_or(0) as f64 / 1000.0,
            summary("created"),
            summary("unchanged"),
            summary("failed"),
        );
        if psa_requests > 0 {
            println!(
                "{:<12} {}",
                "",
                requests_by_kind(&sandbox.psa_server.requests())
            );
        }
    }
    let tickets = sandbox
        .psa
        .tickets()
        .iter()
        .filter(|t| t.marker.is_some())
        .count();
    println!(
        "{:<12} {} tickets for {} incidents",
        "", tickets, o.incidents
    );
    if kind == PsaKind::Halopsa {
        let minutes = first_psa_requests as f64 / 300.0 * 5.0;
        println!(
            "{:<12} at Halo's documented default of 300 requests per 5 minutes the first run would need at least {minutes:.0} min",
            ""
        );
    }
    Ok(())
}

/// What the PSA emulator was sent, by method and path with ids folded, most first:
/// `POST /api/Tickets 2000, POST /api/Actions 100, …`.
fn requests_by_kind(log: &[psa_link::sandbox::server::LoggedRequest]) -> String {
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for r in log {
        let path: Vec<&str> = r
            .path
            .split('/')
            .map(|seg| {
                if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                    "{id}"
                } else {
                    seg
                }
            })
            .collect();
        *kinds
            .entry(format!("{} {}", r.method, path.join("/")))
            .or_default() += 1;
    }
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kinds
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[integration.settings] requests_per_5min`, as an MSP with a raised Halo limit sets it.
fn raise_halo_limit(store: &Store, per_5min: u32) -> anyhow::Result<()> {
    store.edit_config(|edit| {
        let mut integration = edit
            .current()
            .integration
            .ok_or_else(|| anyhow::anyhow!("no integration"))?;
        integration.settings.insert(
            "requests_per_5min".into(),
            toml::Value::Integer(per_5min.into()),
        );
        edit.set_integration(Some(&integration))
    })
}

/// What `map auto` does, through the library: exact names paired, the rest unmapped.
/// Returns how many organizations were left unmapped, of how many.
fn map_auto(store: &Store, sandbox: &Sandbox) -> anyhow::Result<(usize, usize)> {
    let config = store.config()?;
    let http = Http::new(HttpOptions::default())?;
    let secret = |name: &str| {
        sandbox
            .env()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| Secret::new(v))
            .ok_or_else(|| anyhow::anyhow!("no {name}"))
    };
    let integration = config
        .integration
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no integration"))?;
    let (psa_var, _) = sandbox.psa.secret_env();
    let client = psa::connect(integration, secret(psa_var)?, &http)?;
    let Some(SourceConfig::Huntress(huntress)) = &config.source else {
        anyhow::bail!("no Huntress source");
    };
    let source = psa_link::source::huntress::open(
        huntress,
        secret(psa_link::source::huntress::SECRET_ENV)?,
        &http,
    )?;
    let organizations = source.organizations()?;
    let rec = reconcile(
        &organizations,
        &client.companies()?,
        &store.mapping()?,
        Mode::AutoMap,
    );
    let identity = client.identity();
    store.edit_mapping(|edit| {
        edit.set_psa(Some(&identity));
        for (id, entry) in &rec.mapping.organizations {
            edit.set(*id, entry);
        }
        Ok(())
    })?;
    let mapped = organizations
        .iter()
        .filter(|o| rec.mapping.organizations.contains_key(&o.id))
        .count();
    Ok((organizations.len() - mapped, organizations.len()))
}
