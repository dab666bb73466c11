use std::path::Path;

use serde_json::{Value, json};

use super::super::view::{key_values, secret_json, secret_text};
use crate::cli::Ctx;
use crate::error::{Exit, Failure};
use crate::secrets::SecretKey;
use crate::store::{HuntressSourceConfig, SourceConfig};

/// Where the Huntress API lives unless `--base-url` replaced it.
const HUNTRESS_DEFAULT_BASE: &str = "https://api.huntress.io";

pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let config = ctx.store()?.config()?;
    let Some(source) = config.source else {
        return Err(Failure::config("no source is configured")
            .with_fix("run `psa-link source set huntress --api-key KEY` (secret from PSA_LINK_HUNTRESS_API_SECRET or a prompt), or `psa-link source set file PATH`")
            .into());
    };
    match source {
        SourceConfig::File(f) => show_file(ctx, &f.path),
        SourceConfig::Huntress(h) => show_huntress(ctx, &h),
    }
}

pub(crate) fn file_json(path: &Path) -> Value {
    json!({
        "kind": "file",
        "path": path.display().to_string(),
        "exists": path.is_file(),
    })
}

fn show_file(ctx: &Ctx, path: &Path) -> anyhow::Result<Exit> {
    if ctx.out.json {
        ctx.out.json_doc(&json!({ "source": file_json(path) }))?;
        return Ok(Exit::Success);
    }
    let exists = if path.is_file() {
        "yes".to_string()
    } else {
        "no: run `psa-link source set file PATH` with an existing file".to_string()
    };
    ctx.out.data(key_values(&[
        ("source", "file".into()),
        ("path", path.display().to_string()),
        ("exists", exists),
    ]))?;
    Ok(Exit::Success)
}

fn show_huntress(ctx: &Ctx, h: &HuntressSourceConfig) -> anyhow::Result<Exit> {
    let key = SecretKey::HUNTRESS;
    let presence = ctx.secrets()?.presence(&key, h.secret_store)?;
    let base_url = h.base_url.as_deref().unwrap_or(HUNTRESS_DEFAULT_BASE);
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "source": {
                "kind": "huntress",
                "base_url": base_url,
                "api_key": h.api_key,
                "secret_store": h.secret_store,
                "secret": secret_json(&key, &presence),
            }
        }))?;
        return Ok(Exit::Success);
    }
    let base = if h.base_url.is_some() {
        base_url.to_string()
    } else {
        format!("{base_url} (default)")
    };
    ctx.out.data(key_values(&[
        ("source", "huntress".into()),
        ("base url", base),
        ("api key", h.api_key.clone()),
        ("api secret", secret_text(&key, &presence)),
        ("secret store", store_name(h.secret_store).into()),
    ]))?;
    Ok(Exit::Success)
}

pub(crate) fn store_name(kind: crate::store::SecretStoreKind) -> &'static str {
    match kind {
        crate::store::SecretStoreKind::Env => "environment only",
        crate::store::SecretStoreKind::Keyring => "keyring",
        crate::store::SecretStoreKind::File => "file (secrets.toml)",
    }
}
