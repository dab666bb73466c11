//! `sandbox demo`: the whole story in one command against fresh emulators. Each step runs
//! the real `psa-link` binary as a technician would type it (shown before it runs), in a
//! config dir of its own; the SOC's side (a severity change, an approval, a resolution)
//! is played on the Huntress emulator between the steps.

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
        let command = format!("psa-link {}", shell_line(args));
        self.ctx
            .out
            .status(self.ctx.out.paint_err(&format!("$ {command}"), Tone::Dim));
        let mut child = Command::new(&self.exe);
        child
            .args(args)
            .stdin(Stdio::null())
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        if self.ctx.out.json {
            // Keep our stdout for the one JSON document: the steps' data goes to stderr.
            child.stdout(Stdio::from(std::io::stderr().as_fd().try_clone_to_owned()?));
        }
        let status = child.status()?;
        let exit = status.code().unwrap_or(1);
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
    for line in &soc {
        ctx.out.status(format!("  {line}"));
    }

    demo.headline("Follow the incidents: sync picks up every change");
    demo.run(&["incident", "sync"])?;

    demo.headline("Where every ticket stands");
    demo.run(&["incident", "list"])?;
    let tickets = sandbox.psa.tickets();
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "ok": true,
            "psa": kind.id(),
            "steps": demo.ran.iter().map(|r| json!({"command": r.command, "exit_code": r.exit})).collect::<Vec<_>>(),
            "soc": soc,
            "tickets": tickets.iter().map(|t| json!({
                "id": t.id, "company": t.company_name, "title": t.title, "status": t.status,
                "closed": t.closed, "priority": t.priority, "notes": t.notes.len(),
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

/// The SOC's side between pushes: one severity raised, one set of remediations approved,
/// one incident resolved. Returns what happened, for the narration.
fn play_soc(sandbox: &Sandbox) -> anyhow::Result<Vec<String>> {
    let open: Vec<_> = sandbox
        .huntress
        .incidents()
        .into_iter()
        .filter(|i| i.status == IncidentStatus::Sent)
        .collect();
    let mut said = Vec::new();
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
    }
    Ok(said)
}
