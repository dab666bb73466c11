//! `integration add <psa>`: configures the one PSA integration. The per-PSA files turn
//! their flags into backend settings; everything after that is shared: one integration at
//! a time (`--replace`), the secret, verification, ticket routing and default company
//! resolved by name or id, and proposed status and priority maps.

mod connectwise;
mod halopsa;

use std::collections::BTreeMap;

use serde_json::json;

use super::super::secret_input::{self, SecretOrigin};
use crate::cli::Ctx;
use crate::cli::args::{AddCommon, IntegrationAddCommand};
use crate::cli::output::Cancelled;
use crate::error::{Exit, Failure};
use crate::http::BaseUrl;
use crate::lifecycle::LifecycleEvent;
use crate::lookup;
use crate::psa::{self, Choice, Company, PsaKind, defaults};
use crate::secrets::SecretKey;
use crate::source::Severity;
use crate::store::{CompanyRef, IntegrationConfig, Named, SecretStoreKind};

/// What a per-PSA file hands to the shared flow.
pub(crate) struct Draft {
    pub kind: PsaKind,
    pub base_url: Option<String>,
    pub settings: toml::Table,
    /// `--ticket-type` / `--board` value and the flag's name, for messages.
    pub routing: Option<String>,
    pub routing_flag: &'static str,
    /// `--default-client` / `--default-company` value and the flag's name.
    pub default_company: Option<String>,
    pub default_company_flag: &'static str,
    pub common: AddCommon,
}

pub fn run(ctx: &mut Ctx, cmd: IntegrationAddCommand) -> anyhow::Result<Exit> {
    let draft = match cmd {
        IntegrationAddCommand::Halopsa(args) => halopsa::draft(ctx, args)?,
        IntegrationAddCommand::Connectwise(args) => connectwise::draft(ctx, args)?,
    };
    add(ctx, draft)
}

/// A flag value, or a prompt on a terminal, or a usage error naming the flag.
pub(crate) fn required(
    ctx: &Ctx,
    value: Option<String>,
    flag: &str,
    env: &str,
    question: &str,
) -> anyhow::Result<String> {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        return Ok(v.trim().to_string());
    }
    if let Some(v) = ctx.prompt.text(question)?.filter(|v| !v.trim().is_empty()) {
        return Ok(v.trim().to_string());
    }
    Err(Failure::usage(format!("{flag} is required"))
        .with_fix(format!("pass {flag} <VALUE> or set {env}"))
        .into())
}

/// Validates `--base-url` (https, or http only on loopback).
pub(crate) fn base_url(value: Option<String>) -> anyhow::Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => Ok(Some(BaseUrl::parse(&v)?.as_str().to_string())),
    }
}

fn add(ctx: &mut Ctx, draft: Draft) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let config = store.config()?;
    if let Some(existing) = &config.integration
        && !draft.common.replace
    {
        return Err(Failure::config(format!(
            "a {} integration is already configured; psa-link works with one PSA at a time",
            existing.kind.display_name()
        ))
        .with_fix("re-run with --replace to switch (its status and priority maps are reset), or `psa-link integration remove` first")
        .into());
    }

    let key = SecretKey::psa(draft.kind);
    let label = format!(
        "{} {}",
        draft.kind.display_name(),
        draft.kind.secret_field().replace('_', " ")
    );
    let (secret, origin) = secret_input::obtain(ctx, &key, &draft.common.secret, &label)?;
    let secret_store = origin.store_kind(draft.common.secret.secret_store);

    let mut integration = IntegrationConfig {
        kind: draft.kind,
        base_url: draft.base_url.clone(),
        secret_store,
        routing: None,
        default_company: None,
        settings: draft.settings.clone(),
    };
    let mut status_map = BTreeMap::new();
    let mut priority_map = BTreeMap::new();
    let identity;
    let mut companies_found = None;

    if draft.common.no_verify {
        integration.routing = draft
            .routing
            .as_deref()
            .map(|id| unverified_id(id, draft.routing_flag))
            .transpose()?;
        integration.default_company = draft
            .default_company
            .as_deref()
            .map(|id| {
                let named = unverified_id(id, draft.default_company_flag)?;
                Ok::<_, anyhow::Error>(CompanyRef {
                    id: named.id.parse()?,
                    name: named.name,
                })
            })
            .transpose()?;
        identity = psa::connect(&integration, secret.clone(), ctx.http()?)?.identity();
        ctx.out.warn("--no-verify: credentials and ids were not checked; run `psa-link integration test` when the PSA is reachable");
    } else {
        let client = psa::connect(&integration, secret.clone(), ctx.http()?)?;
        let spinner = ctx.out.spinner(&format!(
            "checking {} credentials",
            draft.kind.display_name()
        ));
        // Reading the companies checks the credentials too: a separate verify call
        // would fetch their first page twice.
        let companies = client.companies()?;
        spinner.set_message(format!("reading {}s", draft.kind.routing_word()));
        let routings = client.routings()?;
        // The steady-tick spinner would redraw over a picker: hide it while one is open.
        let routing = spinner.suspend(|| choose_routing(ctx, &draft, &routings))?;
        integration.routing = routing.map(|c| Named {
            id: c.id.clone(),
            name: c.name.clone(),
        });
        integration.default_company =
            spinner.suspend(|| choose_company(ctx, &draft, &companies))?;
        companies_found = Some(companies.len());
        spinner.set_message("reading statuses and priorities");
        let routing_id = integration.routing.as_ref().map(|r| r.id.as_str());
        status_map = defaults::propose_status_map(&client.statuses(routing_id)?);
        priority_map = defaults::propose_priority_map(&client.priorities(routing_id)?);
        spinner.finish_and_clear();
        identity = client.identity();
        // What the backend had to discover (Halo's Authorisation Server) is kept so
        // later runs do not ask again.
        integration.settings.extend(client.discovered_settings());
    }

    secret_input::keep(ctx, &key, &secret, origin, secret_store)?;
    store.edit_config(|edit| {
        edit.set_integration(Some(&integration))?;
        edit.clear_status_map()?;
        edit.clear_priority_map()?;
        for (event, named) in &status_map {
            edit.set_status(*event, Some(named))?;
        }
        for (severity, named) in &priority_map {
            edit.set_priority(*severity, Some(named))?;
        }
        Ok(())
    })?;
    set_aside_foreign_mapping(ctx, &identity)?;
    report(
        ctx,
        &integration,
        &identity,
        companies_found,
        &status_map,
        &priority_map,
        origin,
    )?;
    Ok(Exit::Success)
}

/// With `--no-verify` names cannot be resolved: the value must be an id.
fn unverified_id(value: &str, flag: &str) -> anyhow::Result<Named> {
    if value.trim().parse::<i64>().is_ok() {
        Ok(Named {
            id: value.trim().to_string(),
            name: value.trim().to_string(),
        })
    } else {
        Err(Failure::usage(format!(
            "{flag} '{value}' is a name, and --no-verify cannot look names up"
        ))
        .with_fix(format!("give the id with {flag}, or drop --no-verify"))
        .into())
    }
}

fn choose_routing<'a>(
    ctx: &Ctx,
    draft: &Draft,
    routings: &'a [Choice],
) -> anyhow::Result<Option<&'a Choice>> {
    let word = draft.kind.routing_word();
    if routings.is_empty() {
        return Ok(None);
    }
    let names: Vec<String> = routings.iter().map(|r| r.name.clone()).collect();
    if let Some(query) = &draft.routing {
        return lookup::find(query, routings, |r| r.id.clone(), |r| r.name.as_str())
            .map(Some)
            .map_err(|e| {
                Failure::config(e.explain(word, &names))
                    .with_fix(format!(
                        "pass {} with one of the names or ids above",
                        draft.routing_flag
                    ))
                    .into()
            });
    }
    if routings.len() == 1 {
        return Ok(routings.first());
    }
    if let Some(i) = ctx
        .prompt
        .pick(&format!("{} for new tickets", capitalise(word)), &names, 0)?
    {
        return Ok(routings.get(i));
    }
    if ctx.prompt.interactive() {
        // The person closed the picker: nothing is stored.
        return Err(Cancelled.into());
    }
    Err(Failure::usage(format!(
        "{} is required: which {word} should new tickets go to?",
        draft.routing_flag
    ))
    .with_fix(format!(
        "pass {} <NAME|ID>; valid: {}",
        draft.routing_flag,
        quote_some(&names)
    ))
    .into())
}

fn choose_company(
    ctx: &Ctx,
    draft: &Draft,
    companies: &[Company],
) -> anyhow::Result<Option<CompanyRef>> {
    let word = draft.kind.company_word();
    let active: Vec<&Company> = companies.iter().filter(|c| c.active).collect();
    let names: Vec<String> = active.iter().map(|c| c.name.clone()).collect();
    if let Some(query) = &draft.default_company {
        let found = crate::mapping::resolve_company(query, companies).map_err(|e| {
            Failure::config(e.explain(word, &names)).with_fix(format!(
                "pass {} with an exact name or an id",
                draft.default_company_flag
            ))
        })?;
        return Ok(Some(CompanyRef {
            id: found.id,
            name: found.name.clone(),
        }));
    }
    if let Some(i) = ctx.prompt.pick(
        &format!("Default {word} for unmapped organizations"),
        &names,
        0,
    )? {
        return Ok(active.get(i).map(|c| CompanyRef {
            id: c.id,
            name: c.name.clone(),
        }));
    }
    ctx.out.warn(format!(
        "no default {word}: incidents of unmapped organizations will be refused until you set one (re-run with {} <NAME|ID> --replace)",
        draft.default_company_flag
    ));
    Ok(None)
}

/// A mapping made for another PSA is moved aside, not reused: its company ids mean
/// nothing here.
fn set_aside_foreign_mapping(ctx: &Ctx, identity: &str) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let mapping = store.mapping()?;
    match mapping.psa.as_deref() {
        Some(other) if other != identity && !mapping.organizations.is_empty() => {
            let safe: String = other
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let from = store.mapping_path();
            let to = store.path(&format!("mapping.{safe}.toml"));
            let _lock = store.lock(&from)?;
            std::fs::rename(&from, &to)?;
            ctx.out.warn(format!(
                "the organization mapping belonged to {other}; it was moved to {} — run `psa-link map auto` to map for the new PSA",
                to.display()
            ));
        }
        _ => {}
    }
    Ok(())
}

fn report(
    ctx: &Ctx,
    integration: &IntegrationConfig,
    identity: &str,
    companies: Option<usize>,
    status_map: &BTreeMap<LifecycleEvent, Named>,
    priority_map: &BTreeMap<Severity, Named>,
    origin: SecretOrigin,
) -> anyhow::Result<()> {
    let kind = integration.kind;
    let secret_where = match (origin, integration.secret_store) {
        (SecretOrigin::Environment, SecretStoreKind::Env) => {
            "read from the environment, stored nowhere".to_string()
        }
        (_, SecretStoreKind::Keyring) => "stored in the OS keyring".to_string(),
        (_, SecretStoreKind::File) => "stored in secrets.toml (0600)".to_string(),
        (_, SecretStoreKind::Env) => "read from the environment".to_string(),
    };
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "integration": {
                "kind": kind.id(),
                "identity": identity,
                "base_url": integration.base_url,
                "routing": integration.routing,
                "default_company": integration.default_company,
                "secret_store": integration.secret_store,
            },
            "companies": companies,
            "status_map": status_map.iter().map(|(e, n)| json!({"event": e.as_str(), "id": n.id, "name": n.name})).collect::<Vec<_>>(),
            "priority_map": priority_map.iter().map(|(s, n)| json!({"severity": s.as_str(), "id": n.id, "name": n.name})).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    ctx.out.success(format!(
        "{} integration configured ({identity})",
        kind.display_name()
    ));
    if let Some(n) = companies {
        ctx.out
            .status(format!("  {n} {} found", kind.companies_word()));
    }
    if let Some(r) = &integration.routing {
        ctx.out.status(format!(
            "  {}: {} (id {})",
            kind.routing_word(),
            r.name,
            r.id
        ));
    }
    if let Some(c) = &integration.default_company {
        ctx.out.status(format!(
            "  default {}: {} (id {})",
            kind.company_word(),
            c.name,
            c.id
        ));
    }
    ctx.out.status(format!("  secret: {secret_where}"));
    for event in LifecycleEvent::ALL {
        match status_map.get(&event) {
            Some(n) => ctx.out.status(format!("  status for {event}: {}", n.name)),
            None if event == LifecycleEvent::Dismissed => {}
            None if companies.is_some() => ctx.out.warn(format!("no status proposed for {event}: set one with `psa-link status-map set {event} <STATUS>`")),
            None => {}
        }
    }
    for severity in Severity::ALL {
        if let Some(n) = priority_map.get(&severity) {
            ctx.out
                .status(format!("  priority for {severity}: {}", n.name));
        }
    }
    ctx.out.status(
        "next: `psa-link map auto` to pair organizations, then `psa-link integration test`",
    );
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn quote_some(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(15).map(|n| format!("'{n}'")).collect();
    if names.len() > 15 {
        format!("{} and {} more", shown.join(", "), names.len() - 15)
    } else {
        shown.join(", ")
    }
}
