//! `integration test [--org ORG] [--no-resolve] [--keep]`: the test ticket, as Huntress's
//! "Send Test" button does it and then some: create → read back → check the company →
//! resolve → read back and check → clean up. A checklist on stdout (✔/✘ on a terminal,
//! plain words otherwise), each failure with its fix; `--json` per SPEC §6. The exit code
//! is that of the first failed step.

use std::io::IsTerminal;

use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::args::IntegrationTestArgs;
use crate::cli::output::Tone;
use crate::error::{Exit, Failure};
use crate::lifecycle::LifecycleEvent;
use crate::lifecycle::test_ticket::{
    self, OrgRef, Step, StepResult, StepState, TestPlan, TestReport,
};
use crate::mapping::resolve_organization;
use crate::source::Severity;
use crate::store::{CompanyRef, Config, Mapping};

pub fn run(ctx: &mut Ctx, args: &IntegrationTestArgs) -> anyhow::Result<Exit> {
    let config = ctx.config()?;
    let integration = ctx.integration(&config)?.clone();
    let psa = ctx.open_psa(&config)?;
    let mapping = usable_mapping(ctx, ctx.store()?.mapping()?, &psa.identity());
    let (organization, mapped) = match &args.org {
        Some(query) => named_organization(ctx, &config, &mapping, query)?,
        None => first_mapped(&mapping),
    };
    let plan = TestPlan {
        kind: integration.kind,
        organization,
        mapped,
        default_company: integration.default_company.clone(),
        routing: integration.routing.clone(),
        created_status: config.status_for(LifecycleEvent::Created).cloned(),
        resolved_status: config.status_for(LifecycleEvent::Resolved).cloned(),
        priority: config.priority_map.get(&Severity::Low).cloned(),
        resolve: !args.no_resolve,
        keep: args.keep,
        sent_at: time::OffsetDateTime::now_utc(),
    };
    announce(ctx, &plan);
    let spinner = ctx.out.spinner("sending the test ticket");
    let report = test_ticket::run(psa.as_ref(), &plan, &mut |step: Step| {
        spinner.set_message(step.doing())
    });
    spinner.finish_and_clear();
    let waited = rate_limit_wait(ctx)?;
    if waited > 0.0 {
        ctx.out.status(format!(
            "waited {waited:.1}s in all for rate limits (as the services asked)"
        ));
    }
    if ctx.out.json {
        let mut doc = report_json(&plan, &report);
        doc["rate_limit_wait_secs"] = json!(waited);
        ctx.out.json_doc(&doc)?;
    } else {
        ctx.out.data(checklist(ctx, &plan, &report))?;
    }
    Ok(report.exit())
}

/// Seconds spent waiting out 429s in this run, over every service.
fn rate_limit_wait(ctx: &Ctx) -> anyhow::Result<f64> {
    let stats = ctx.http()?.stats();
    let ms: u64 = stats.services.values().map(|s| s.rate_limit_wait_ms).sum();
    Ok(ms as f64 / 1000.0)
}

/// A mapping made for another PSA instance names companies that do not exist here.
fn usable_mapping(ctx: &Ctx, mapping: Mapping, identity: &str) -> Mapping {
    match mapping.psa.as_deref() {
        Some(other) if other != identity && !mapping.organizations.is_empty() => {
            ctx.out.warn(format!(
                "mapping.toml was made for {other}, not {identity}: it is ignored; run `psa-link map auto`"
            ));
            Mapping::default()
        }
        _ => mapping,
    }
}

/// `--org`: a source organization by id or exact name, and its pair if it has one.
fn named_organization(
    ctx: &Ctx,
    config: &Config,
    mapping: &Mapping,
    query: &str,
) -> anyhow::Result<(Option<OrgRef>, Option<CompanyRef>)> {
    let source = ctx.open_source(config)?;
    let spinner = ctx.out.spinner("reading organizations");
    let orgs = source.organizations()?;
    spinner.finish_and_clear();
    let org = resolve_organization(query, &orgs).map_err(|e| {
        let names: Vec<String> = orgs.iter().map(|o| o.name.clone()).collect();
        Failure::usage(e.explain("organization", &names)).with_fix(
            "give --org an organization id or its exact name (`psa-link map list` shows them)",
        )
    })?;
    let mapped = mapping
        .organizations
        .get(&org.id)
        .map(|e| e.company.clone());
    Ok((
        Some(OrgRef {
            id: org.id,
            name: org.name.clone(),
        }),
        mapped,
    ))
}

/// Without `--org`: the mapped organization with the lowest id; nothing mapped sends the
/// ticket to the default company, whose check then fails with the mapping fix.
fn first_mapped(mapping: &Mapping) -> (Option<OrgRef>, Option<CompanyRef>) {
    match mapping.organizations.iter().next() {
        Some((id, entry)) => (
            Some(OrgRef {
                id: *id,
                name: entry.name.clone(),
            }),
            Some(entry.company.clone()),
        ),
        None => (None, None),
    }
}

fn announce(ctx: &Ctx, plan: &TestPlan) {
    let word = plan.kind.company_word();
    let org = plan
        .organization
        .as_ref()
        .map(|o| format!("organization {} (id {})", o.name, o.id))
        .unwrap_or_else(|| "no mapped organization".into());
    let target = match (&plan.mapped, &plan.default_company) {
        (Some(c), _) => format!("mapped {word} {} (id {})", c.name, c.id),
        (None, Some(c)) => format!("default {word} {} (id {})", c.name, c.id),
        (None, None) => format!("no {word}"),
    };
    ctx.out.status(format!(
        "sending a test ticket to {} for {org} -> {target}",
        plan.kind.display_name()
    ));
}

/// The checklist: one line per step, a `fix:` line under each failure, and a verdict.
fn checklist(ctx: &Ctx, plan: &TestPlan, report: &TestReport) -> String {
    let fancy = std::io::stdout().is_terminal();
    let mut lines = Vec::new();
    for s in &report.steps {
        lines.push(format!(
            "{} {:<8} {}",
            mark(ctx, s, fancy),
            s.step.as_str(),
            s.detail
        ));
        if let Some(warning) = &s.warning {
            lines.push(format!(
                "{:width$} {} {warning}",
                "",
                ctx.out.paint("warning:", Tone::Warn),
                width = if fancy { 10 } else { 18 }
            ));
        }
        if let Some(fix) = &s.fix {
            lines.push(format!(
                "{:width$} {} {fix}",
                "",
                ctx.out.paint("fix:", Tone::Warn),
                width = if fancy { 10 } else { 18 }
            ));
        }
    }
    lines.push(String::new());
    lines.push(verdict(plan, report));
    lines.join("\n")
}

fn mark(ctx: &Ctx, s: &StepResult, fancy: bool) -> String {
    let (symbol, word, tone) = match s.state {
        StepState::Passed => ("✔", "[ok]", Tone::Good),
        StepState::Failed => ("✘", "[FAILED]", Tone::Bad),
        StepState::Skipped => ("-", "[skipped]", Tone::Dim),
        StepState::NotRun => ("·", "[not run]", Tone::Dim),
    };
    if fancy {
        ctx.out.paint(symbol, tone)
    } else {
        format!("{word:<9}")
    }
}

fn verdict(plan: &TestPlan, report: &TestReport) -> String {
    let word = plan.kind.company_word();
    match report.first_failure() {
        None => {
            let ticket = report
                .ticket_id
                .map(|id| format!("ticket {id}"))
                .unwrap_or_else(|| "the ticket".into());
            let company = report
                .company
                .as_ref()
                .map(|c| format!(" under {word} {}", c.name))
                .unwrap_or_default();
            let closed = if plan.resolve {
                " and closed the loop"
            } else {
                ""
            };
            format!("integration test passed: {ticket} landed{company}{closed}")
        }
        Some(f) => format!(
            "integration test FAILED at step '{}' (exit {})",
            f.step,
            report.exit().code()
        ),
    }
}

/// SPEC §6: `{"ok", "ticket_id", "company": {"id", "name"}, "steps": [{"step", "ok",
/// "detail", "fix"}]}`, plus the state and exit code of each step and what was tested.
fn report_json(plan: &TestPlan, report: &TestReport) -> Value {
    json!({
        "ok": report.ok(),
        "exit_code": report.exit().code(),
        "psa": plan.kind.id(),
        "ticket_id": report.ticket_id,
        "marker": plan.marker(),
        "organization": plan.organization,
        "company": report.company,
        "mapped_company": plan.mapped,
        "default_company": plan.default_company,
        "kept": plan.keep && report.ticket_id.is_some(),
        "deleted": report.deleted,
        "steps": report.steps.iter().map(|s| json!({
            "step": s.step.as_str(),
            "ok": s.ok(),
            "state": s.state,
            "detail": s.detail,
            "fix": s.fix,
            "warning": s.warning,
            "exit_code": s.exit.map(Exit::code),
        })).collect::<Vec<_>>(),
    })
}
