//! `integration add halopsa`: base domain, authorisation server, tenant and OAuth client.

use super::{Draft, base_url, required};
use crate::cli::Ctx;
use crate::cli::args::HaloAddArgs;
use crate::error::Failure;
use crate::psa::PsaKind;
use crate::psa::halopsa::{Settings, validate_auth_host, validate_host};

pub(super) fn draft(ctx: &Ctx, args: HaloAddArgs) -> anyhow::Result<Draft> {
    let base_url = base_url(args.base_url)?;
    let host = match (args.host, &base_url) {
        (Some(h), _) => Some(h),
        (None, Some(_)) => None,
        (None, None) => Some(required(
            ctx,
            None,
            "--host",
            "PSA_LINK_HALOPSA_HOST",
            "HaloPSA host (base domain, e.g. acme.halopsa.com)",
        )?),
    };
    let host = host
        .map(|h| {
            validate_host(&h).map_err(|fix| {
                Failure::config(format!("--host '{h}' is not a HaloPSA base domain")).with_fix(fix)
            })
        })
        .transpose()?;
    let auth_host = args
        .auth_host
        .filter(|s| !s.trim().is_empty())
        .map(|a| {
            validate_auth_host(&a).map_err(|fix| {
                Failure::config(format!(
                    "--auth-host '{}' is not a HaloPSA Authorisation Server",
                    a.trim()
                ))
                .with_fix(fix)
            })?;
            Ok::<_, Failure>(a.trim().to_string())
        })
        .transpose()?;
    let client_id = required(
        ctx,
        args.client_id,
        "--client-id",
        "PSA_LINK_HALOPSA_CLIENT_ID",
        "HaloPSA application client id",
    )?;
    let settings = Settings {
        host,
        auth_host,
        tenant: args.tenant.filter(|s| !s.trim().is_empty()),
        discovered_auth_url: None,
        discovered_tenant: None,
        client_id,
        scope: args
            .scope
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        requests_per_5min: None,
        rate_limit_wait_secs: None,
    };
    Ok(Draft {
        kind: PsaKind::Halopsa,
        base_url,
        settings: settings.to_table(),
        routing: args.ticket_type,
        routing_flag: "--ticket-type",
        default_company: args.default_client,
        default_company_flag: "--default-client",
        common: args.common,
    })
}
