use std::path::Path;

use super::super::secret_input;
use crate::cli::Ctx;
use crate::cli::args::{SourceFileArgs, SourceHuntressArgs, SourceSetCommand};
use crate::error::{Exit, Failure};
use crate::http::BaseUrl;
use crate::secrets::SecretKey;
use crate::source::Source;
use crate::source::file::FileSource;
use crate::source::huntress::{self, HuntressClient};
use crate::store::{FileSourceConfig, HuntressSourceConfig, SourceConfig};

pub fn run(ctx: &mut Ctx, args: &SourceSetCommand) -> anyhow::Result<Exit> {
    match args {
        SourceSetCommand::File(a) => set_file(ctx, a),
        SourceSetCommand::Huntress(a) => set_huntress(ctx, a),
    }
}

/// `source set huntress`: the API key is stored in config.toml, the secret in the chain
/// (or nowhere when it came from the environment); verified with `GET /v1/account`.
fn set_huntress(ctx: &mut Ctx, args: &SourceHuntressArgs) -> anyhow::Result<Exit> {
    let api_key = super::super::integration::add::required(
        ctx,
        args.api_key.clone(),
        "--api-key",
        "PSA_LINK_HUNTRESS_API_KEY",
        "Huntress API key",
    )?;
    let base_url = args.base_url.as_deref().map(BaseUrl::parse).transpose()?;
    let (secret, origin) = secret_input::obtain(
        ctx,
        &SecretKey::HUNTRESS,
        &args.secret,
        "Huntress API secret",
    )?;
    let secret_store = origin.store_kind(args.secret.secret_store);
    let config = HuntressSourceConfig {
        api_key: api_key.clone(),
        base_url: base_url.as_ref().map(|b| b.as_str().to_string()),
        secret_store,
    };
    let account = if args.no_verify {
        None
    } else {
        let base = base_url.unwrap_or(BaseUrl::parse(huntress::DEFAULT_BASE_URL)?);
        let client = HuntressClient::new(ctx.http()?, base, &api_key, secret.clone());
        let spinner = ctx.out.spinner("checking the Huntress credentials");
        let account = client.account()?;
        spinner.finish_and_clear();
        Some(account)
    };
    secret_input::keep(ctx, &SecretKey::HUNTRESS, &secret, origin, secret_store)?;
    let source = SourceConfig::Huntress(config);
    ctx.store()?.edit_config(|c| c.set_source(Some(&source)))?;
    if ctx.out.json {
        ctx.out
            .json_doc(&serde_json::json!({ "source": {"kind": "huntress"}, "account": account }))?;
    } else {
        match &account {
            Some(a) => ctx
                .out
                .success(format!("source: Huntress account {} (id {})", a.name, a.id)),
            None => ctx
                .out
                .success("source: Huntress (not verified: --no-verify)"),
        }
    }
    Ok(Exit::Success)
}

/// `source set file PATH`: the path must exist; it is stored absolute so cron jobs run
/// from any directory find it.
fn set_file(ctx: &mut Ctx, args: &SourceFileArgs) -> anyhow::Result<Exit> {
    let path = std::path::absolute(&args.path)
        .map_err(|e| Failure::config(format!("cannot resolve {}: {e}", args.path.display())))?;
    check_source_file(&path)?;
    // Read it once now so a malformed file is refused here, not at the next cron run.
    FileSource::open(&path)?;
    let source = SourceConfig::File(FileSourceConfig { path: path.clone() });
    ctx.store()?.edit_config(|c| c.set_source(Some(&source)))?;
    if ctx.out.json {
        ctx.out
            .json_doc(&serde_json::json!({ "source": super::show::file_json(&path) }))?;
    } else {
        ctx.out.success(format!("source: file {}", path.display()));
    }
    Ok(Exit::Success)
}

fn check_source_file(path: &Path) -> Result<(), Failure> {
    let fix = "give the path of a JSON file with `organizations` and `incident_reports` in the Huntress API's shapes";
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Failure::config(format!("{} does not exist", path.display())).with_fix(fix))
        }
        Err(e) => {
            Err(Failure::config(format!("cannot read {}: {e}", path.display())).with_fix(fix))
        }
        Ok(meta) if meta.is_dir() => {
            Err(Failure::config(format!("{} is a directory", path.display())).with_fix(fix))
        }
        Ok(_) if path.to_str().is_none() => Err(Failure::config(format!(
            "{} is not a UTF-8 path, which config.toml cannot hold",
            path.display()
        ))
        .with_fix("move or link the file to a path without such characters")),
        Ok(_) => Ok(()),
    }
}
