//! `integration add connectwise`: site, login company, API member keys and clientId.

use super::{Draft, base_url, required};
use crate::cli::Ctx;
use crate::cli::args::ConnectwiseAddArgs;
use crate::psa::PsaKind;
use crate::psa::connectwise::Settings;

pub(super) fn draft(ctx: &Ctx, args: ConnectwiseAddArgs) -> anyhow::Result<Draft> {
    let base_url = base_url(args.base_url)?;
    // With a base URL the site only names the instance; default it to the URL's host.
    let site = match (args.site, &base_url) {
        (Some(site), _) => site,
        (None, Some(url)) => url::Url::parse(url)?
            .host_str()
            .unwrap_or("localhost")
            .to_string(),
        (None, None) => required(
            ctx,
            None,
            "--site",
            "PSA_LINK_CONNECTWISE_SITE",
            "ConnectWise API site (e.g. api-na.myconnectwise.net)",
        )?,
    };
    let company = required(
        ctx,
        args.company,
        "--company",
        "PSA_LINK_CONNECTWISE_COMPANY",
        "ConnectWise login company id",
    )?;
    let public_key = required(
        ctx,
        args.public_key,
        "--public-key",
        "PSA_LINK_CONNECTWISE_PUBLIC_KEY",
        "API member public key",
    )?;
    let client_id = required(
        ctx,
        args.client_id,
        "--client-id",
        "PSA_LINK_CONNECTWISE_CLIENT_ID",
        "Integration clientId (GUID)",
    )?;
    // The codebase is looked up with the first request and stored once an answer proved
    // it (`Psa::discovered_settings`).
    let settings = Settings::new(&site, &company, &public_key, &client_id, None)?;
    Ok(Draft {
        kind: PsaKind::Connectwise,
        base_url,
        settings: settings.to_table(),
        routing: args.board,
        routing_flag: "--board",
        default_company: args.default_company,
        default_company_flag: "--default-company",
        common: args.common,
    })
}
