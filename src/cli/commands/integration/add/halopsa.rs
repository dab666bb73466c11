//! `integration add halopsa`: base domain, authorisation server, tenant and OAuth client.

use super::{Draft, base_url, required};
use crate::cli::Ctx;
use crate::cli::args::HaloAddArgs;
use crate::error::Failure;
use crate::psa::PsaKind;
use crate::psa::halopsa::{Settings, validate_host};

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
    let client_id = required(
        ctx,
        args.client_id,
        "--client-id",
        "PSA_LINK_HALOPSA_CLIENT_ID",
        "HaloPSA application client id",
    )?;
    let settings = Settings {
        host,
        auth_host: args.auth_host.filter(|s| !s.trim().is_empty()),
        tenant: args.tenant.filter(|s| !s.trim().is_empty()),
        client_id,
        scope: None,
        requests_per_5min: None,
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
