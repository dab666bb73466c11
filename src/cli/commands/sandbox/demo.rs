//! `sandbox demo`: the whole story in one command against fresh emulators. Each step runs
//! the real `psa-link` binary as a technician would type it (shown before it runs), in a
//! config dir of its own; the SOC's side (a severity change, an approval, a resolution)
//! is played on the Huntress emulator between the steps, and a technician closes one more
//! incident with `incident resolve`. With `--json`, the sync's own document is embedded.

use std::os::fd::AsFd;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::json;

use super::{apply_faults, kind_of, options, shell_line};
use crate::cli::Ctx;
use crate::cli::args::{SandboxArgs, SandboxDemoArgs};
use crate::cli::output::Tone;
use crate::error::{Exit, Failure};
use crate::sandbox::launch::Sandbox;
use crate::sandbox::seed::Msp;
use crate::source::{IncidentStatus, RemediationState, Severity};

/// A step that ran: what was typed and how it ended.
struct Ran {
    command: String,
    exit: i32,
}

struct Demo<'a> {
    ctx: &'a Ctx,
    exe: PathBuf,
    env: Vec<(String, String)>,
    ran: Vec<Ran>,
}

impl Demo<'_> {
    fn headline(&self, text: &str) {
        self.ctx.out.status(format!(
            "\n{} {text}",
            self.ctx.out.paint_err("==>", Tone::Good)
        ));
    }

    /// Runs `psa-link <args>`; its output goes straight to ours. A failing step ends the
    /// demo with that step's exit code.
    fn step(&mut self, args: &[String]) -> anyhow::Result<()> {
        let command = self.announce(args);
        let mut child = self.command();
        child.args(args).stdin(Stdio::null());
        if self.ctx.out.json {
            // Keep our stdout for the one JSON document: the steps' data goes to stderr.
            child.stdout(Stdio::from(std::io::stderr().as_fd().try_clone_to_owned()?));
        }
        let exit = child.status()?.code().unwrap_or(1);
        self.finished(command, exit)
    }

    /// `psa-link` with the demo's environment only. Every inherited `PSA_LINK_*` variable
    /// is taken away (a `PSA_LINK_DRY_RUN`, `PSA_LINK_WATCH` or real auth host would break
    /// or misdirect the steps), and so is NO_COLOR: this run's own colour, quiet and
    /// verbose choices are handed down explicitly instead.
    fn command(&self) -> Command {
        let mut child = Command::new(&self.exe);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("PSA_LINK_") || name == "NO_COLOR" {
                child.env_remove(name);
            }
        }
        let global = &self.ctx.global;
        let no_color =
            global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        child
            .env("PSA_LINK_NO_COLOR", if no_color { "1" } else { "0" })
            .env("PSA_LINK_QUIET", if global.quiet { "1" } else { "0" })
            .env("PSA_LINK_VERBOSE", global.verbose.min(2).to_string())
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        child
    }

    /// Prints the command line a step runs and returns it.
    fn announce(&self, args: &[String]) -> String {
        let command = format!("psa-link {}", shell_line(args));
        self.ctx
            .out
            .status(self.ctx.out.paint_err(&format!("$ {command}"), Tone::Dim));
        command
    }

    /// Records a step's exit; a failing step ends the demo with its exit code.
    fn finished(&mut self, command: String, exit: i32) -> anyhow::Result<()> {
        self.ran.push(Ran {
            command: command.clone(),
            exit,
        });
        if exit != 0 {
            return Err(Failure::new(
                Exit::from_code(exit),
                format!("the demo stopped: `{command}` exited {exit}"),
            )
            .with_fix("read the step's own error above; `psa-link sandbox serve` keeps the emulators running to explore by hand")
            .into());
        }
        Ok(())
    }

    fn run(&mut self, args: &[&str]) -> anyhow::Result<()> {
        let owned: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        self.step(&owned)
    }

    /// Runs `psa-link <args> --json` and returns its document (`--json` demos only, so
    /// the demo's own document can carry the step's results).
    fn run_json(&mut self, args: &[&str]) -> anyhow::Result<serde_json::Value> {
        let mut owned: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        owned.push("--json".into());
        let command = self.announce(&owned);
        let out = self
            .command()
            .args(&owned)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()?;
        self.finished(command, out.status.code().unwrap_or(1))?;
        Ok(serde_json::from_slice(&out.stdout)?)
    }
}

pub fn run(
    ctx: &mut Ctx,
    sandbox_args: &SandboxArgs,
    args: &SandboxDemoArgs,
) -> anyhow::Result<Exit> {
    let kind = kind_of(sandbox_args.psa);
    let sandbox = Sandbox::start(Msp::standard(), &options(kind))?;
    apply_faults(&sandbox, &sandbox_args.faults)?;
    let temp;
    let config_dir = match &args.keep_config {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let mut env: Vec<(String, String)> = sandbox.env();
    env.push(("PSA_LINK_HOME".into(), config_dir.display().to_string()));
    // The demo's secrets come from the environment; it never touches the OS keyring.
    env.push(("PSA_LINK_NO_KEYRING".into(), "1".into()));
    let mut demo = Demo {
        ctx,
        exe: std::env::current_exe()?,
        env,
        ran: Vec::new(),
    };

    ctx.out.status(format!(
        "psa-link demo: Huntress at {} and {} at {}, config in {}",
        sandbox.huntress_url(),
        kind.display_name(),
        sandbox.psa_url(),
        config_dir.display()
    ));

    demo.headline("Configure the source and the PSA (secrets come from the environment)");
    demo.step(&sandbox.source_args())?;
    demo.step(&sandbox.integration_args())?;

    demo.headline("Auto-map organizations by exact name; the rest need a pair");
    demo.run(&["map", "auto"])?;
    demo.headline("Pin the drift cases (Inc vs Inc., apostrophes, Pty Ltd, ...) after review");
    demo.run(&[
        "map",
        "auto",
        "--accept-suggestions",
        "--yes",
        "--filter",
        "unmapped",
    ])?;

    demo.headline("Send the test ticket: it must land under Able Moose Accounting and close");
    demo.run(&["integration", "test", "--org", "Able Moose Accounting"])?;

    demo.headline("Push every open incident");
    demo.run(&["incident", "push", "--all-open"])?;

    demo.headline("Meanwhile in Huntress: the SOC raises a severity, a partner approves remediations, an incident is resolved");
    let soc = play_soc(&sandbox)?;
    for line in &soc.said {
        ctx.out.status(format!("  {line}"));
    }

    demo.headline("Follow the incidents: sync picks up every change");
    let sync = if ctx.out.json {
        Some(demo.run_json(&["incident", "sync"])?)
    } else {
        demo.run(&["incident", "sync"])?;
        None
    };

    // One the SOC left open: a technician closes its ticket from psa-link.
    let by_hand = sandbox
        .huntress
        .incidents()
        .into_iter()
        .find(|i| i.status == IncidentStatus::Sent && !soc.touched.contains(&i.id));
    if let Some(i) = &by_hand {
        demo.headline(&format!(
            "A technician closes incident {}'s ticket by hand (the incident stays open in Huntress)",
            i.id
        ));
        demo.run(&["incident", "resolve", &i.id.to_string()])?;
    }

    demo.headline("Where every ticket stands");
    demo.run(&["incident", "list"])?;
    let tickets = sandbox.psa.tickets();
    if ctx.out.json {
        let config = crate::store::Store::open(&config_dir).config()?;
        ctx.out.json_doc(&json!({
            "ok": true,
            "psa": kind.id(),
            "steps": demo.ran.iter().map(|r| json!({"command": r.command, "exit_code": r.exit})).collect::<Vec<_>>(),
            "soc": soc.said,
            "soc_changes": soc.changes.iter().map(|(id, change)| json!({"incident_id": id, "change": change})).collect::<Vec<_>>(),
            "resolved_by_hand": by_hand.map(|i| i.id),
            "sync": sync,
            "status_map": config.status_map.iter().map(|(e, s)| (e.to_string(), json!(s.name))).collect::<serde_json::Map<_, _>>(),
            "priority_map": config.priority_map.iter().map(|(sev, p)| (sev.to_string(), json!(p.name))).collect::<serde_json::Map<_, _>>(),
            "tickets": tickets.iter().map(|t| json!({
                "id": t.id, "company": t.company_name, "title": t.title, "status": t.status,
                "closed": t.closed, "priority": t.priority, "notes": t.notes.len(),
                "incident_id": t.marker.as_deref()
                    .and_then(|m| m.strip_prefix("psa-link:huntress:"))
                    .and_then(|id| id.parse::<i64>().ok()),
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        let mut table = ctx
            .out
            .table(&["TICKET", "COMPANY", "TITLE", "STATUS", "PRIORITY", "NOTES"]);
        for t in &tickets {
            let tone = if t.closed { Tone::Good } else { Tone::Plain };
            table.add_row(vec![
                ctx.out.cell(t.id, Tone::Plain),
                ctx.out.cell(&t.company_name, Tone::Plain),
                ctx.out.cell(&t.title, Tone::Plain),
                ctx.out.cell(
                    if t.closed {
                        format!("{} (closed)", t.status)
                    } else {
                        t.status.clone()
                    },
                    tone,
                ),
                ctx.out
                    .cell(t.priority.as_deref().unwrap_or("-"), Tone::Plain),
                ctx.out.cell(t.notes.len(), Tone::Plain),
            ]);
        }
        ctx.out.status(format!("\nIn {} now:", kind.display_name()));
        ctx.out.data(table.to_string())?;
        ctx.out.success("demo complete: every incident has one ticket under the right company, and the loop is closed");
    }
    Ok(Exit::Success)
}

/// What the SOC did: the narration, and each change by incident (`severity`, `approved`,
/// `resolved`).
struct Soc {
    said: Vec<String>,
    changes: Vec<(i64, &'static str)>,
    touched: Vec<i64>,
}

/// The SOC's side between pushes: one severity raised, one set of remediations approved,
/// one incident resolved. Returns what happened, for the narration.
fn play_soc(sandbox: &Sandbox) -> anyhow::Result<Soc> {
    let open: Vec<_> = sandbox
        .huntress
        .incidents()
        .into_iter()
        .filter(|i| i.status == IncidentStatus::Sent)
        .collect();
    let mut said = Vec::new();
    let mut changes = Vec::new();
    let name = |org: i64| {
        sandbox
            .msp
            .organization(org)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| org.to_string())
    };
    let fail = |e: String| anyhow::anyhow!("the Huntress emulator refused: {e}");

    if let Some(i) = open.iter().find(|i| i.severity != Severity::Critical) {
        sandbox
            .huntress
            .set_severity(i.id, Severity::Critical)
            .map_err(fail)?;
        said.push(format!(
            "incident {} ({}): severity {} -> critical",
            i.id,
            name(i.organization_id),
            i.severity
        ));
        changes.push((i.id, "severity"));
    }
    let pending = open
        .iter()
        .find(|i| i.remediation_state() == RemediationState::Pending);
    if let Some(i) = pending {
        sandbox.huntress.approve_remediations(i.id).map_err(fail)?;
        said.push(format!(
            "incident {} ({}): remediations approved",
            i.id,
            name(i.organization_id)
        ));
        changes.push((i.id, "approved"));
    }
    let resolvable = open.iter().find(|i| {
        Some(i.id) != pending.map(|p| p.id) && i.remediation_state() != RemediationState::Pending
    });
    if let Some(i) = resolvable {
        sandbox.huntress.resolve(i.id).map_err(fail)?;
        said.push(format!(
            "incident {} ({}): resolved by the SOC",
            i.id,
            name(i.organization_id)
        ));
        changes.push((i.id, "resolved"));
    }
    let touched = changes.iter().map(|(id, _)| *id).collect();
    Ok(Soc {
        said,
        changes,
        touched,
    })
}
