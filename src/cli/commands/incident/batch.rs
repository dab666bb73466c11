//! What `incident push|sync|resolve` share: the PSA they write to with its mapping, the
//! plan inputs (incident + ledger entry for the current PSA + mapping + config), the
//! labels new tickets need (organization and host names, looked up only for tickets about
//! to be created), the run itself (one executor, the ledger written after each ticket, a
//! progress bar, a clean stop on Ctrl-C), `--dry-run` previews, and the report.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Value, json};

use super::interrupt;
use crate::cli::Ctx;
use crate::cli::output::{Output, Tone};
use crate::error::Exit;
use crate::http::{ApiErrorKind, ServiceStats, Stats, redact};
use crate::lifecycle::{
    Action, ApplyError, Executor, IncidentResult, LedgerSink, Outcome, Plan, PlanInput,
    PlanOptions, Report, TicketTarget, plan, subject_target,
};
use crate::psa::{Psa, PsaOp};
use crate::source::{Incident, Source};
use crate::store::{Config, Ledger, LedgerEntry, LedgerWriter, Mapping};

/// Runs shorter than this get no progress bar.
const PROGRESS_FROM: usize = 10;

/// The PSA a run writes to, with the config and mapping it plans from.
pub(crate) struct Target {
    pub config: Config,
    pub psa: Box<dyn Psa>,
    /// `Psa::identity()`: the ledger and cursor are kept per identity.
    pub identity: String,
    pub mapping: Mapping,
}

impl Target {
    pub fn open(ctx: &Ctx) -> anyhow::Result<Target> {
        let config = ctx.config()?;
        let psa = ctx.open_psa(&config)?;
        let identity = psa.identity();
        let mapping = current_mapping(ctx, &identity)?;
        Ok(Target {
            config,
            psa,
            identity,
            mapping,
        })
    }

    /// Re-reads `config.toml` and `mapping.toml` (each poll of `--watch`, so a technician's
    /// `map manual` counts at once); the PSA client is reopened only when the integration
    /// itself changed, so its token and caches survive between polls.
    pub fn refresh(&mut self, ctx: &Ctx) -> anyhow::Result<()> {
        let config = ctx.config()?;
        if config.integration != self.config.integration {
            self.psa = ctx.open_psa(&config)?;
            self.identity = self.psa.identity();
        }
        self.config = config;
        self.mapping = current_mapping(ctx, &self.identity)?;
        Ok(())
    }
}

/// `mapping.toml`, unless it pairs organizations with another PSA's companies (their ids
/// mean nothing here): then every organization counts as unmapped.
fn current_mapping(ctx: &Ctx, identity: &str) -> anyhow::Result<Mapping> {
    let mapping = ctx.store()?.mapping()?;
    match mapping.psa.as_deref() {
        Some(other) if other != identity && !mapping.organizations.is_empty() => {
            ctx.out.warn(format!(
                "mapping.toml pairs organizations with the companies of {other}, not of the configured PSA ({identity}): every organization counts as unmapped until `psa-link map auto` maps them again"
            ));
            Ok(Mapping::default())
        }
        _ => Ok(mapping),
    }
}

/// An incident with everything its plan needs besides the config and mapping.
pub(crate) struct Prepared {
    pub incident: Incident,
    /// Its ledger entry for the current PSA.
    pub ledger: Option<LedgerEntry>,
    pub organization_name: Option<String>,
    pub hostname: Option<String>,
    pub url: Option<String>,
    /// An earlier sync skipped it (finished before psa-link saw it).
    pub skipped_before: bool,
    /// An earlier run owes it a ticket (see `PlanInput::ticket_owed`).
    pub ticket_owed: bool,
}

impl Prepared {
    pub fn input<'a>(
        &'a self,
        target: &'a Target,
        source: &'a str,
        options: PlanOptions,
    ) -> PlanInput<'a> {
        PlanInput {
            ledger: self.ledger.as_ref(),
            mapping: target
                .mapping
                .organizations
                .get(&self.incident.organization_id),
            organization_name: self.organization_name.as_deref(),
            agent_hostname: self.hostname.as_deref(),
            incident_url: self.url.as_deref(),
            source,
            options,
            skipped_before: self.skipped_before,
            ticket_owed: self.ticket_owed,
            ..PlanInput::new(&self.incident, &target.config, &target.identity)
        }
    }

    pub fn organization_label(&self) -> String {
        match &self.organization_name {
            Some(name) => format!("{name} ({})", self.incident.organization_id),
            None => format!("organization {}", self.incident.organization_id),
        }
    }
}

/// Organization and host names for new tickets' titles: each source list read at most
/// once per run, and only when a ticket is about to be created.
struct Labels<'s> {
    source: &'s dyn Source,
    out: &'s Output,
    organizations: Option<HashMap<i64, String>>,
    hostnames: HashMap<i64, Option<String>>,
    warned: BTreeSet<&'static str>,
}

impl<'s> Labels<'s> {
    fn new(source: &'s dyn Source, out: &'s Output) -> Labels<'s> {
        Labels {
            source,
            out,
            organizations: None,
            hostnames: HashMap::new(),
            warned: BTreeSet::new(),
        }
    }

    fn organization(&mut self, id: i64) -> Option<String> {
        if self.organizations.is_none() {
            let names = match self.source.organizations() {
                Ok(orgs) => orgs.into_iter().map(|o| (o.id, o.name)).collect(),
                Err(e) => {
                    self.warn_once(
                        "organizations",
                        format!("organization names could not be read ({e}); titles name the organization by id"),
                    );
                    HashMap::new()
                }
            };
            self.organizations = Some(names);
        }
        self.organizations
            .as_ref()
            .and_then(|names| names.get(&id))
            .filter(|n| !n.trim().is_empty())
            .cloned()
    }

    fn hostname(&mut self, agent_id: i64) -> Option<String> {
        if let Some(known) = self.hostnames.get(&agent_id) {
            return known.clone();
        }
        let name = match self.source.hostname(agent_id) {
            Ok(name) => name,
            Err(e) => {
                self.warn_once(
                    "hostnames",
                    format!("host names could not be read ({e}); titles name the agent by id"),
                );
                None
            }
        };
        self.hostnames.insert(agent_id, name.clone());
        name
    }

    fn warn_once(&mut self, what: &'static str, message: String) {
        if self.warned.insert(what) {
            self.out.warn(message);
        }
    }
}

/// Builds the plan inputs' data for `incidents`: ledger entries for the current PSA,
/// organization names from the mapping (else the source's list), and for incidents whose
/// plan creates a ticket, the host name (from the subject when it names the host, else the
/// agent) and the portal link.
pub(crate) fn prepare(
    ctx: &Ctx,
    target: &Target,
    source: &dyn Source,
    incidents: Vec<Incident>,
    ledger: &Ledger,
    options: PlanOptions,
) -> Vec<Prepared> {
    let mut labels = Labels::new(source, &ctx.out);
    incidents
        .into_iter()
        .map(|incident| {
            let mapped = target.mapping.organizations.get(&incident.organization_id);
            let mut p = Prepared {
                ledger: ledger.get(&target.identity, incident.id).cloned(),
                organization_name: mapped
                    .map(|m| m.name.clone())
                    .or_else(|| incident.organization_name.clone()),
                hostname: None,
                url: None,
                skipped_before: ledger.was_skipped(&target.identity, incident.id),
                ticket_owed: ledger.is_owed(&target.identity, incident.id),
                incident,
            };
            if p.ledger.is_none() && may_create(target, source.namespace(), &p, options) {
                if p.organization_name.is_none() {
                    p.organization_name = labels.organization(p.incident.organization_id);
                }
                let named = p.incident.subject.as_deref().and_then(subject_target);
                if let (None, Some(agent)) = (named, p.incident.agent_id) {
                    p.hostname = labels.hostname(agent);
                }
                p.url = source.incident_url(p.incident.id);
            }
            p
        })
        .collect()
}

/// Whether the incident's plan creates a ticket (or fails, when its message wants the
/// organization's name).
fn may_create(target: &Target, source: &str, p: &Prepared, options: PlanOptions) -> bool {
    match plan(&p.input(target, source, options)) {
        Ok(plan) => plan.create().is_some(),
        Err(_) => true,
    }
}

pub(crate) fn inputs<'a>(
    target: &'a Target,
    prepared: &'a [Prepared],
    source: &'a str,
    options: PlanOptions,
) -> Vec<PlanInput<'a>> {
    prepared
        .iter()
        .map(|p| p.input(target, source, options))
        .collect()
}

/// A real run's results.
pub(crate) struct Applied {
    pub results: Vec<IncidentResult>,
    /// Incidents left for the next run after a Ctrl-C.
    pub stopped: usize,
}

/// Carries the plans out with one executor, recording each ticket as soon as it is done.
/// Stops after the incident in flight when Ctrl-C is pressed.
pub(crate) fn apply(
    ctx: &Ctx,
    target: &Target,
    inputs: &[PlanInput<'_>],
    sink: &mut dyn LedgerSink,
) -> Applied {
    let bar = if inputs.len() >= PROGRESS_FROM {
        ctx.out.progress(inputs.len() as u64, "incidents")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = Executor::new(&*target.psa, sink).run_each(inputs, |_| {
        bar.inc(1);
        !interrupt::requested()
    });
    bar.finish_and_clear();
    Applied {
        stopped: inputs.len() - results.len(),
        results,
    }
}

/// One request of a `--dry-run`, with the change it makes in PSA-neutral words.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PreviewLine {
    /// `None` when the backend cannot name the request.
    pub method: Option<String>,
    pub path: Option<String>,
    pub body_summary: Option<String>,
    pub description: String,
}

impl PreviewLine {
    pub fn request(method: &str, path: String, body_summary: String, description: String) -> Self {
        PreviewLine {
            method: Some(method.into()),
            path: Some(path),
            body_summary: Some(body_summary),
            description,
        }
    }
}

/// A dry run's outcome for one incident.
pub(crate) struct Previewed {
    pub result: IncidentResult,
    pub requests: Vec<PreviewLine>,
}

/// `--dry-run`: the plans exactly as a real run would carry them out (the marker lookup
/// and the read-back of tickets it finds are made; nothing is written), with the requests
/// each would send.
pub(crate) fn preview(target: &Target, inputs: &[PlanInput<'_>]) -> Vec<Previewed> {
    // Previews record nothing; the sink only satisfies the executor.
    let mut unused: Vec<LedgerEntry> = Vec::new();
    let mut executor = Executor::new(&*target.psa, &mut unused);
    let plans = executor.preview(inputs);
    plans
        .into_iter()
        .zip(inputs)
        .map(|(planned, input)| {
            let planned = planned.and_then(|plan| match plan.ticket {
                // No ticket under its marker either: the real run fails the same way.
                TicketTarget::Adopt { required: true } => Err(ApplyError::NoTicket {
                    incident_id: plan.incident_id,
                    marker: plan.marker,
                }),
                _ => Ok(plan),
            });
            match planned {
                Ok(plan) => Previewed {
                    result: IncidentResult::planned(&plan),
                    requests: requests_of(&*target.psa, &plan),
                },
                Err(error) => Previewed {
                    result: IncidentResult::failed(input, &error),
                    requests: Vec::new(),
                },
            }
        })
        .collect()
}

fn requests_of(psa: &dyn Psa, plan: &Plan) -> Vec<PreviewLine> {
    let ticket = match plan.ticket {
        TicketTarget::Existing(id) => Some(id),
        _ => None,
    };
    plan.actions
        .iter()
        .flat_map(|action| {
            let description = action.describe(ticket);
            let op = match action {
                Action::Create(c) => PsaOp::Create(&c.ticket),
                Action::Update(u) => PsaOp::Update(ticket, &u.change),
                Action::Note(n) => PsaOp::Note(ticket, n),
            };
            let requests = psa.preview(op);
            if requests.is_empty() {
                return vec![PreviewLine {
                    method: None,
                    path: None,
                    body_summary: None,
                    description,
                }];
            }
            requests
                .into_iter()
                .map(|r| {
                    PreviewLine::request(&r.method, r.path, r.body_summary, description.clone())
                })
                .collect()
        })
        .collect()
}

/// HTTP counters of one run (the difference between two snapshots).
/// Reads one named incident; one the source has no record of becomes a failed result
/// (exit 2: the id was wrong) so the rest of the command goes on and `--json` keeps its
/// documented shape.
pub(crate) fn named_incident(
    source: &dyn Source,
    id: i64,
) -> anyhow::Result<Result<Incident, IncidentResult>> {
    match source.incident(id) {
        Ok(incident) => Ok(Ok(incident)),
        Err(e) if e.is(ApiErrorKind::NotFound) => Ok(Err(IncidentResult::unknown(
            id,
            e.to_string(),
            format!(
                "check the incident id: {} has no incident {id} (`psa-link incident list` shows the ones with tickets)",
                e.service
            ),
            Exit::Usage,
        ))),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn stats_since(before: &Stats, after: &Stats) -> Stats {
    let services = after
        .services
        .iter()
        .map(|(name, a)| {
            let b = before.services.get(name).cloned().unwrap_or_default();
            let delta = ServiceStats {
                requests: a.requests.saturating_sub(b.requests),
                throttled: a.throttled.saturating_sub(b.throttled),
                rate_limit_wait_ms: a.rate_limit_wait_ms.saturating_sub(b.rate_limit_wait_ms),
                retries: a.retries.saturating_sub(b.retries),
            };
            (name.clone(), delta)
        })
        .filter(|(_, s)| s.requests > 0 || s.rate_limit_wait_ms > 0)
        .collect();
    Stats { services }
}

pub(crate) fn stats_json(stats: &Stats) -> Value {
    json!({
        "requests": stats.requests(),
        "rate_limit_wait_ms": stats.rate_limit_wait().as_millis() as u64,
        "services": stats.services,
    })
}

/// What a command reports: the results, and for `--dry-run` the requests of each.
pub(crate) struct BatchReport {
    pub report: Report,
    pub previews: Option<Vec<Vec<PreviewLine>>>,
    /// Organization labels by incident id, for the table.
    pub labels: HashMap<i64, String>,
    pub stopped: usize,
    pub stats: Stats,
}

impl BatchReport {
    pub fn applied(prepared: &[Prepared], applied: Applied, stats: Stats) -> BatchReport {
        BatchReport {
            report: Report::new(applied.results),
            previews: None,
            labels: labels(prepared),
            stopped: applied.stopped,
            stats,
        }
    }

    pub fn previewed(
        prepared: &[Prepared],
        previewed: Vec<Previewed>,
        stats: Stats,
    ) -> BatchReport {
        let (results, requests): (Vec<_>, Vec<_>) = previewed
            .into_iter()
            .map(|p| (p.result, p.requests))
            .unzip();
        BatchReport {
            report: Report::new(results),
            previews: Some(requests),
            labels: labels(prepared),
            stopped: 0,
            stats,
        }
    }

    pub fn dry_run(&self) -> bool {
        self.previews.is_some()
    }

    /// Adds results for incidents that were never planned (the source has no such
    /// incident); a dry run shows no requests for them.
    pub fn add_unplanned(&mut self, results: Vec<IncidentResult>) {
        if results.is_empty() {
            return;
        }
        if let Some(previews) = self.previews.as_mut() {
            previews.extend(results.iter().map(|_| Vec::new()));
        }
        let mut all = std::mem::take(&mut self.report.results);
        all.extend(results);
        self.report = Report::new(all);
    }

    /// The exit code a real run calls for (a dry run exits as the real run would). A run
    /// stopped by Ctrl-C with incidents left exits 130 unless something failed first.
    pub fn exit(&self) -> Exit {
        let interrupted = if self.stopped > 0 {
            Exit::Interrupted
        } else {
            Exit::Success
        };
        self.report.exit().worst(interrupted)
    }

    /// The `--json` document (SPEC §6 keys, plus `dry_run`, `stats`, `stopped` and, for
    /// dry runs, each result's `requests`).
    pub fn json(&self, extra: Vec<(&str, Value)>) -> Value {
        let mut doc = serde_json::to_value(&self.report).unwrap_or_else(|_| json!({}));
        if let (Some(previews), Some(results)) = (
            &self.previews,
            doc.get_mut("results").and_then(Value::as_array_mut),
        ) {
            for (result, requests) in results.iter_mut().zip(previews) {
                result["requests"] = serde_json::to_value(requests).unwrap_or_default();
            }
        }
        doc["dry_run"] = json!(self.dry_run());
        doc["stopped"] = json!(self.stopped);
        doc["stats"] = stats_json(&self.stats);
        for (key, value) in extra {
            doc[key] = value;
        }
        doc
    }

    /// Everything a person reads: the changes (or the requests a dry run would send) on
    /// stdout, failures, warnings and the summary on stderr.
    pub fn print(&self, out: &Output) -> anyhow::Result<()> {
        match &self.previews {
            Some(previews) => self.print_requests(out, previews)?,
            None => self.print_changes(out)?,
        }
        self.print_problems(out);
        let summary = self.summary_line();
        if self.report.exit() == Exit::Success {
            out.success(summary);
        } else {
            out.status(summary);
        }
        if self.stopped > 0 {
            out.warn(format!(
                "stopped on request: {} incident(s) left; run the same command again to resume",
                self.stopped
            ));
        }
        Ok(())
    }

    fn label(&self, r: &IncidentResult) -> String {
        self.labels
            .get(&r.incident_id)
            .cloned()
            .unwrap_or_else(|| match r.organization_id {
                Some(id) => format!("organization {id}"),
                None => "unknown incident".to_string(),
            })
    }

    fn print_changes(&self, out: &Output) -> anyhow::Result<()> {
        let shown: Vec<&IncidentResult> = self
            .report
            .results
            .iter()
            .filter(|r| !matches!(r.action, Outcome::Unchanged | Outcome::Skipped))
            .collect();
        if shown.is_empty() {
            return Ok(());
        }
        let mut table = out.table(&["INCIDENT", "ORGANIZATION", "ACTION", "TICKET", "NOTE"]);
        for r in shown {
            let tone = match r.action {
                Outcome::Failed => Tone::Bad,
                Outcome::Created => Tone::Good,
                _ => Tone::Plain,
            };
            let note = if r.adopted {
                "adopted (found by its marker)".to_string()
            } else {
                r.error.clone().unwrap_or_default()
            };
            table.add_row(vec![
                out.cell(r.incident_id, Tone::Plain),
                out.cell(self.label(r), Tone::Plain),
                out.cell(r.action, tone),
                out.cell(
                    r.ticket_id.map(|t| t.to_string()).unwrap_or_default(),
                    Tone::Plain,
                ),
                out.cell(note, Tone::Dim),
            ]);
        }
        out.data(table.to_string())?;
        Ok(())
    }

    fn print_requests(&self, out: &Output, previews: &[Vec<PreviewLine>]) -> anyhow::Result<()> {
        let mut text = Vec::new();
        for (r, requests) in self.report.results.iter().zip(previews) {
            if requests.is_empty() {
                continue;
            }
            let would = match r.action {
                Outcome::Created => "a new ticket",
                Outcome::Updated => "a ticket update",
                Outcome::Status => "a status change",
                Outcome::Resolved => "a resolution",
                Outcome::Unchanged | Outcome::Skipped | Outcome::Failed => "these requests",
            };
            text.push(format!(
                "incident {} ({}): would send {would} ({})",
                r.incident_id,
                self.label(r),
                r.action
            ));
            for line in requests {
                text.push(format!("  {}", line.description));
                if let (Some(method), Some(path)) = (&line.method, &line.path) {
                    text.push(format!(
                        "    {method} {path} {}",
                        line.body_summary.as_deref().unwrap_or_default()
                    ));
                }
            }
        }
        if !text.is_empty() {
            out.data(text.join("\n"))?;
        }
        Ok(())
    }

    fn print_problems(&self, out: &Output) {
        let mut warnings = BTreeSet::new();
        for r in &self.report.results {
            if let Some(error) = &r.error {
                eprintln!(
                    "{} incident {}: {}",
                    out.paint_err("error:", Tone::Bad),
                    r.incident_id,
                    redact::scrub(error)
                );
                if let Some(fix) = &r.fix {
                    eprintln!(
                        "  {} {}",
                        out.paint_err("fix:", Tone::Warn),
                        redact::scrub(fix)
                    );
                }
            }
            warnings.extend(r.warnings.iter());
        }
        for w in warnings {
            out.warn(w);
        }
    }

    /// "12 created, 3 updated, 1 resolved, 0 failed", plus requests and rate-limit waits.
    pub fn summary_line(&self) -> String {
        let mut parts: Vec<String> = Outcome::ALL
            .iter()
            .filter(|o| **o != Outcome::Failed)
            .filter_map(|o| {
                let n = self.report.summary.get(o.as_str()).copied().unwrap_or(0);
                (n > 0).then(|| format!("{n} {o}"))
            })
            .collect();
        let failed = self.report.summary.get("failed").copied().unwrap_or(0);
        parts.push(format!("{failed} failed"));
        let mut line = parts.join(", ");
        let requests = self.stats.requests();
        let waited = self.stats.rate_limit_wait();
        if self.dry_run() {
            let would: usize = self
                .previews
                .iter()
                .flatten()
                .map(|p| p.iter().filter(|l| l.method.is_some()).count())
                .sum();
            line = format!(
                "dry run, nothing changed: {line}; {would} request(s) would change something"
            );
        } else {
            line.push_str(&format!(" ({requests} requests"));
            if !waited.is_zero() {
                line.push_str(&format!(
                    ", {:.1}s waiting on rate limits",
                    waited.as_secs_f64()
                ));
            }
            line.push(')');
        }
        line
    }
}

fn labels(prepared: &[Prepared]) -> HashMap<i64, String> {
    prepared
        .iter()
        .map(|p| (p.incident.id, p.organization_label()))
        .collect()
}

/// Opens the ledger for a real run (locked for the batch) or reads it for a dry run.
pub(crate) enum LedgerAccess {
    Write(LedgerWriter),
    Read(Ledger),
}

impl LedgerAccess {
    pub fn open(ctx: &Ctx, dry_run: bool) -> anyhow::Result<LedgerAccess> {
        let store = ctx.store()?;
        Ok(if dry_run {
            LedgerAccess::Read(store.ledger()?)
        } else {
            LedgerAccess::Write(store.ledger_writer()?)
        })
    }

    pub fn ledger(&self) -> &Ledger {
        match self {
            LedgerAccess::Write(w) => w.ledger(),
            LedgerAccess::Read(l) => l,
        }
    }
}

/// Plans, then applies (or previews) the incidents: the body shared by `push` and
/// `sync`. `before`: the HTTP counters when the command (or poll) started, so the report
/// counts the source's requests too.
pub(crate) fn execute(
    ctx: &Ctx,
    target: &Target,
    source: &dyn Source,
    incidents: Vec<Incident>,
    options: PlanOptions,
    ledger: &mut LedgerAccess,
    before: &Stats,
) -> anyhow::Result<(Vec<Prepared>, BatchReport)> {
    let prepared = prepare(ctx, target, source, incidents, ledger.ledger(), options);
    let namespace = source.namespace();
    let inputs = inputs(target, &prepared, namespace, options);
    let outcome = match ledger {
        LedgerAccess::Write(writer) => {
            let applied = apply(ctx, target, &inputs, writer);
            let stats = stats_since(before, &ctx.http()?.stats());
            BatchReport::applied(&prepared, applied, stats)
        }
        LedgerAccess::Read(_) => {
            let previewed = preview(target, &inputs);
            let stats = stats_since(before, &ctx.http()?.stats());
            BatchReport::previewed(&prepared, previewed, stats)
        }
    };
    drop(inputs);
    Ok((prepared, outcome))
}
