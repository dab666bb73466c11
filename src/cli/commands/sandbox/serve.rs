//! `sandbox serve`: the Huntress emulator and one PSA emulator on loopback until Ctrl-C.
//! The shell lines that point psa-link at them go to stdout (so `sandbox serve > env.sh`
//! works); everything else goes to stderr.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::json;

use super::{apply_faults, kind_of, options, shell_line};
use crate::cli::Ctx;
use crate::cli::args::{SandboxArgs, SandboxServeArgs};
use crate::cli::output::Tone;
use crate::error::{Exit, Failure};
use crate::sandbox::launch::Sandbox;
use crate::sandbox::seed::Msp;

pub fn run(
    ctx: &mut Ctx,
    sandbox_args: &SandboxArgs,
    args: &SandboxServeArgs,
) -> anyhow::Result<Exit> {
    let kind = kind_of(sandbox_args.psa);
    let mut opts = options(kind);
    opts.huntress_port = args.port;
    opts.psa_port = if args.port == 0 {
        0
    } else {
        args.port.saturating_add(1)
    };
    opts.latency = Duration::from_millis(args.latency_ms);
    let faults = &sandbox_args.faults;
    if faults.iter().any(|f| f == "list") {
        let sandbox = Sandbox::start(Msp::standard(), &opts)?;
        return list_faults(ctx, &sandbox);
    }
    let sandbox = Sandbox::start(Msp::standard(), &opts).map_err(|e| {
        Failure::new(Exit::Unexpected, format!("cannot start the sandbox: {e:#}"))
            .with_fix("another sandbox may be running on these ports: pick others with --port <PORT> (or --port 0 for any free ones)")
    })?;
    apply_faults(&sandbox, faults)?;

    let lines = setup_lines(&sandbox);
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            // Each emulator switches its own faults at its own `/_sandbox/faults`.
            "huntress": {
                "url": sandbox.huntress_url(),
                "faults_url": format!("{}/_sandbox/faults", sandbox.huntress_url()),
            },
            "psa": {
                "kind": kind.id(),
                "url": sandbox.psa_url(),
                "faults_url": format!("{}/_sandbox/faults", sandbox.psa_url()),
            },
            "faults": faults,
            "env": sandbox.env().into_iter().collect::<std::collections::BTreeMap<_, _>>(),
            "commands": lines,
        }))?;
    } else {
        ctx.out.status(format!(
            "Sandbox running (Ctrl-C to stop):\n  Huntress  {}\n  {:<9} {}\n  faults    {}",
            sandbox.huntress_url(),
            kind.display_name(),
            sandbox.psa_url(),
            if faults.is_empty() {
                "none (`--fault list` shows them)".to_string()
            } else {
                faults.join(", ")
            },
        ));
        ctx.out
            .status("\nPoint psa-link at it from another terminal (these lines are on stdout):");
        for line in &lines {
            ctx.out.data(line)?;
        }
        // Each emulator switches only its own faults: Huntress ones at the Huntress URL.
        ctx.out.status(format!(
            "\nSwitch a fault while it runs (DELETE to switch off; names without the `huntress:` prefix):\n  {} faults: curl -X POST {}/_sandbox/faults/<name>\n  Huntress faults: curl -X POST {}/_sandbox/faults/<name>\nRequests so far: GET {}/_sandbox/requests and GET {}/_sandbox/requests",
            kind.display_name(),
            sandbox.psa_url(),
            sandbox.huntress_url(),
            sandbox.psa_url(),
            sandbox.huntress_url()
        ));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))?;
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(200));
    }
    ctx.out.status("sandbox stopped");
    Ok(Exit::Success)
}

/// The shell lines that configure psa-link against this sandbox, in a fresh config dir so
/// a technician's real configuration is never touched.
fn setup_lines(sandbox: &Sandbox) -> Vec<String> {
    let mut lines = vec!["export PSA_LINK_HOME=\"$(mktemp -d)\"".to_string()];
    for (k, v) in sandbox.env() {
        lines.push(format!("export {k}={}", shell_line(&[v])));
    }
    lines.push(format!("psa-link {}", shell_line(&sandbox.source_args())));
    lines.push(format!(
        "psa-link {}",
        shell_line(&sandbox.integration_args())
    ));
    lines.push("psa-link map auto".into());
    lines.push("psa-link integration test --org 'Able Moose Accounting'".into());
    lines.push("psa-link incident push --all-open".into());
    lines
}

fn list_faults(ctx: &Ctx, sandbox: &Sandbox) -> anyhow::Result<Exit> {
    let faults = sandbox.faults();
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "faults": faults.iter().map(|(service, f)| json!({"service": service, "name": f.name, "description": f.description})).collect::<Vec<_>>()
        }))?;
        return Ok(Exit::Success);
    }
    let mut table = ctx.out.table(&["SERVICE", "FAULT", "WHAT IT DOES"]);
    for (service, f) in &faults {
        table.add_row(vec![
            ctx.out.cell(service, Tone::Dim),
            ctx.out.cell(f.name, Tone::Plain),
            ctx.out.cell(f.description, Tone::Plain),
        ]);
    }
    ctx.out.data(table.to_string())?;
    Ok(Exit::Success)
}
