//! `map auto` at the scale of SPEC section 9, through the real binary: 5,000 Huntress
//! organizations against 50,000 PSA companies, every request answered 20 ms late.
//!
//! ```text
//! cargo run --release --example map_scale                 # both PSAs
//! cargo run --release --example map_scale -- --psa connectwise
//! ```
//!
//! Starts the sandbox in-process, configures psa-link through the binary (`source set
//! huntress`, `integration add`), then runs `psa-link map auto --json` as a child process
//! twice (the first run pairs everything, the second finds nothing new) and prints, for
//! each run: the requests each emulator saw against the minimum the page sizes allow,
//! wall time and the child's peak memory (`VmHWM`), then the mapping engine's own time.
//! Exits 1 when a run sent more requests than the minimum.
//!
//! `MAP_SCALE_TRACE=1` adds `-v` and prints the child's HTTP trace.
//! `MAP_SCALE_ORGS` / `MAP_SCALE_COMPANIES` change the sizes (a quick debug run).
//!
//! The binary is `target/release/psa-link`, built first (`cargo build --release --bin
//! psa-link`), or whatever `PSA_LINK_BIN` names.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use psa_link::mapping::{Mode, reconcile};
use psa_link::psa::{self, Company, PsaKind};
use psa_link::sandbox::launch::{EMULATED, Sandbox, SandboxOptions};
use psa_link::sandbox::seed::Msp;
use psa_link::sandbox::server::LoggedRequest;
use psa_link::source::{self, Organization};
use psa_link::store::Mapping;

const ORGANIZATIONS: usize = 5_000;
const COMPANIES: usize = 50_000;
const LATENCY: Duration = Duration::from_millis(20);

fn main() -> ExitCode {
    let kinds = match psa_choice() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let bin = match binary() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot find or build psa-link: {e}");
            return ExitCode::FAILURE;
        }
    };
    let size = |var: &str, default: usize| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let msp = Msp::generated(
        size("MAP_SCALE_ORGS", ORGANIZATIONS),
        size("MAP_SCALE_COMPANIES", COMPANIES),
        0,
    );
    let mut over = false;
    for kind in kinds {
        match bench(&bin, &msp, kind) {
            Ok(ok) => over |= !ok,
            Err(e) => {
                eprintln!("{kind}: {e:#}");
                return ExitCode::FAILURE;
            }
        }
    }
    engine(&msp);
    if over {
        eprintln!("a run sent more requests than the minimum");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn psa_choice() -> Result<Vec<PsaKind>, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => Ok(EMULATED.to_vec()),
        [flag, value] if flag == "--psa" => Ok(vec![value.parse()?]),
        [one] if one.starts_with("--psa=") => Ok(vec![one["--psa=".len()..].parse()?]),
        _ => Err("usage: map_scale [--psa halopsa|connectwise]".into()),
    }
}

/// `PSA_LINK_BIN`, else `target/release/psa-link` beside this example, built (or brought
/// up to date) first.
fn binary() -> anyhow::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("PSA_LINK_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "psa-link"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()?;
    anyhow::ensure!(status.success(), "cargo build --release failed");
    let exe = std::env::current_exe()?;
    // target/release/examples/map_scale -> target/release/psa-link
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("psa-link"))
        .filter(|p| p.exists())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/psa-link"));
    anyhow::ensure!(bin.exists(), "{} does not exist", bin.display());
    Ok(bin)
}

/// One PSA: configure, then two `map auto` runs. `Ok(false)` when a run sent more
/// requests than the minimum.
fn bench(bin: &Path, msp: &Msp, kind: PsaKind) -> anyhow::Result<bool> {
    let mut options = SandboxOptions::new(kind);
    options.latency = LATENCY;
    let started = Instant::now();
    let sandbox = Sandbox::start(msp.clone(), &options)?;
    let sandbox_took = started.elapsed();
    let home = tempfile::tempdir()?;
    let cli = Cli {
        bin,
        home: home.path(),
        env: sandbox.env(),
    };
    let started = Instant::now();
    cli.ok(&sandbox.source_args())?;
    cli.ok(&sandbox.integration_args())?;
    let setup_took = started.elapsed();

    let companies = msp.companies.len();
    println!(
        "{}: map auto with {} organizations x {} {}, {} ms latency per request",
        kind.display_name(),
        msp.organizations.len(),
        companies,
        kind.companies_word(),
        LATENCY.as_millis()
    );
    println!(
        "  (sandbox started in {:.1} s; source set + integration add took {:.1} s)",
        sandbox_took.as_secs_f64(),
        setup_took.as_secs_f64()
    );
    let minimum = Minimum::of(kind, msp.organizations.len(), companies, &cli.config()?);
    let mut within = true;
    for label in ["first run", "re-run"] {
        sandbox.huntress_server.clear_log();
        sandbox.psa_server.clear_log();
        let trace = std::env::var_os("MAP_SCALE_TRACE").is_some();
        let args: &[&str] = if trace {
            &["map", "auto", "--json", "-v"]
        } else {
            &["map", "auto", "--json"]
        };
        let run = cli.measure(args)?;
        if trace {
            eprintln!("{}", run.stderr);
        }
        let huntress = sandbox.huntress_server.requests();
        let psa = sandbox.psa_server.requests();
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout)
            .map_err(|e| anyhow::anyhow!("map auto printed no JSON ({e}): {}", run.stderr))?;
        let s = &doc["summary"];
        println!(
            "  {label}: exit {}, {} mapped ({} new), {} unmapped, {} ambiguous, {} stale; {} changes written",
            run.code,
            s["mapped"],
            s["newly_mapped"],
            s["unmapped"],
            s["ambiguous"],
            s["stale"],
            doc["changes"].as_array().map_or(0, Vec::len)
        );
        println!(
            "    requests: Huntress {} {}; {} {} {}",
            huntress.len(),
            breakdown(&huntress),
            kind.display_name(),
            psa.len(),
            breakdown(&psa)
        );
        println!(
            "    minimum:  Huntress {} ({}); {} {} ({})",
            minimum.huntress,
            minimum.huntress_why,
            kind.display_name(),
            minimum.psa,
            minimum.psa_why
        );
        println!(
            "    wall time {:.2} s, peak memory (VmHWM) {:.1} MiB",
            run.wall.as_secs_f64(),
            run.peak_kib as f64 / 1024.0
        );
        if huntress.len() > minimum.huntress || psa.len() > minimum.psa {
            println!("    MORE REQUESTS THAN THE MINIMUM");
            within = false;
        }
        anyhow::ensure!(
            run.code == 0,
            "map auto exited {}: {}",
            run.code,
            run.stderr
        );
    }
    Ok(within)
}

/// The fewest requests `map auto` can send: every page at the largest size the API
/// serves, plus the calls the PSA needs before its first list.
struct Minimum {
    huntress: usize,
    huntress_why: String,
    psa: usize,
    psa_why: String,
}

impl Minimum {
    fn of(kind: PsaKind, orgs: usize, companies: usize, config: &str) -> Minimum {
        let huntress_page = source::huntress::PAGE_LIMIT as usize;
        let huntress = orgs.div_ceil(huntress_page).max(1);
        let (page, setup): (usize, Vec<&str>) = match kind {
            PsaKind::Halopsa => {
                // The token, and the Authorisation Server's address unless config.toml
                // already names it (`--auth-host`, or what `integration add` discovered).
                let mut setup = vec!["1 token"];
                if !config.contains("auth_host") && !config.contains("discovered_auth_url") {
                    setup.push("1 authinfo lookup");
                }
                (psa::halopsa::CLIENT_PAGE_SIZE, setup)
            }
            PsaKind::Connectwise => {
                // The codebase lookup, unless `integration add` stored the codebase.
                let mut setup = Vec::new();
                if !config.contains("codebase") {
                    setup.push("1 codebase lookup");
                }
                (psa::connectwise::PAGE_SIZE, setup)
            }
            _ => unreachable!("only emulated PSAs are benchmarked"),
        };
        let pages = companies.div_ceil(page).max(1);
        Minimum {
            huntress,
            huntress_why: format!("{orgs} / {huntress_page} per page"),
            psa: pages + setup.len(),
            psa_why: if setup.is_empty() {
                format!("{pages} pages of {page} for {companies}")
            } else {
                format!(
                    "{pages} pages of {page} for {companies} + {}",
                    setup.join(" + ")
                )
            },
        }
    }
}

/// "(50 GET /api/Client, 1 POST /auth/token)": requests by method and path.
fn breakdown(log: &[LoggedRequest]) -> String {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for r in log {
        *by.entry(format!("{} {}", r.method, r.path)).or_default() += 1;
    }
    let parts: Vec<String> = by.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("({})", parts.join(", "))
}

struct Cli<'a> {
    bin: &'a Path,
    home: &'a Path,
    env: Vec<(String, String)>,
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    wall: Duration,
    peak_kib: u64,
}

impl Cli<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(self.bin);
        for (k, _) in std::env::vars() {
            if k.starts_with("PSA_LINK_") {
                cmd.env_remove(k);
            }
        }
        cmd.args(args)
            .env("PSA_LINK_HOME", self.home.join("config"))
            .env("PSA_LINK_NO_KEYRING", "1")
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn ok(&self, args: &[String]) -> anyhow::Result<()> {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.command(&refs).output()?;
        anyhow::ensure!(
            out.status.success(),
            "psa-link {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }

    fn config(&self) -> anyhow::Result<String> {
        Ok(std::fs::read_to_string(
            self.home.join("config").join("config.toml"),
        )?)
    }

    /// Runs psa-link, polling its peak resident size until it exits.
    fn measure(&self, args: &[&str]) -> anyhow::Result<Run> {
        let start = Instant::now();
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let status_file = format!("/proc/{}/status", child.id());
        let mut out = child.stdout.take().expect("piped stdout");
        let mut err = child.stderr.take().expect("piped stderr");
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = out.read_to_end(&mut buf);
            buf
        });
        let err_reader = std::thread::spawn(move || {
            let mut buf = String::new();
            let _ = err.read_to_string(&mut buf);
            buf
        });
        let mut peak_kib = 0;
        let status = loop {
            if let Some(hwm) = vm_hwm(&status_file) {
                peak_kib = peak_kib.max(hwm);
            }
            if let Some(status) = child.try_wait()? {
                break status;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let wall = start.elapsed();
        Ok(Run {
            code: status.code().unwrap_or(-1),
            stdout: reader.join().unwrap_or_default(),
            stderr: err_reader.join().unwrap_or_default(),
            wall,
            peak_kib,
        })
    }
}

/// `VmHWM` (peak resident set) in KiB, while the process is alive.
fn vm_hwm(status_file: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status_file).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The mapping engine alone on the same data (no network, no file): the first run and
/// the re-run against its own result.
fn engine(msp: &Msp) {
    let companies: Vec<Company> = msp
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| Company {
            id: i as i64 + 1,
            name: c.name.clone(),
            active: c.active,
        })
        .collect();
    let orgs: Vec<Organization> = msp
        .organizations
        .iter()
        .map(|o| Organization {
            id: o.id,
            name: o.name.clone(),
            key: None,
            identity_provider_tenant_id: None,
            updated_at: None,
        })
        .collect();
    let start = Instant::now();
    let first = reconcile(&orgs, &companies, &Mapping::default(), Mode::AutoMap);
    let took = start.elapsed();
    let start = Instant::now();
    let again = reconcile(&orgs, &companies, &first.mapping, Mode::AutoMap);
    let rerun = start.elapsed();
    println!(
        "engine alone: {} organizations x {} companies: {} in {:.0?}; re-run {:.0?} ({} changes)",
        first.work.organizations,
        first.work.companies,
        first.summary.headline(),
        took,
        rerun,
        again.changes.len()
    );
}
