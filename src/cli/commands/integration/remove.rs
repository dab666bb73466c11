use serde_json::json;

use super::super::view::no_integration;
use crate::cli::Ctx;
use crate::cli::output::Cancelled;
use crate::error::Exit;
use crate::secrets::{SecretKey, SecretLocation};

/// `integration remove`: the `[integration]` section, its status and priority maps and its
/// stored secret. `mapping.toml` and the ledger are kept (they name the PSA they belong
/// to, so they are never applied to another one).
pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let Some(int) = store.config()?.integration else {
        return Err(no_integration());
    };
    let question = format!(
        "Remove the {} integration, its status and priority maps and its stored secret?",
        int.kind.display_name()
    );
    if ctx.prompt.confirm(&question, false)? == Some(false) {
        return Err(Cancelled.into());
    }
    // Re-read under the lock: another run may have changed it since the question.
    let removed = store.edit_config(|c| {
        let Some(current) = c.config().integration.clone() else {
            return Err(no_integration());
        };
        c.set_integration(None)?;
        c.clear_status_map()?;
        c.clear_priority_map()?;
        Ok(current)
    })?;
    let key = SecretKey::psa(removed.kind);
    let secret_from = match ctx.secrets()?.remove(&key, removed.secret_store) {
        Ok(locations) => locations,
        Err(e) => {
            ctx.out.warn(format!(
                "the integration is removed, but its stored secret could not be: {e}"
            ));
            Vec::new()
        }
    };
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "removed": {
                "kind": removed.kind.id(),
                "name": removed.kind.display_name(),
                "secret_removed_from": secret_from,
            }
        }))?;
    } else {
        let secret = match secret_from.as_slice() {
            [] => "no stored secret found".to_string(),
            places => format!(
                "secret removed from {}",
                places
                    .iter()
                    .map(|p| match p {
                        SecretLocation::Keyring => "the OS keyring",
                        SecretLocation::File => "secrets.toml",
                        SecretLocation::Environment => "the environment",
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        };
        ctx.out.success(format!(
            "removed the {} integration (status and priority maps cleared; {secret})",
            removed.kind.display_name()
        ));
        if std::env::var_os(key.env_var()).is_some() {
            ctx.out.status(format!(
                "{} is still set in this environment; unset it yourself",
                key.env_var()
            ));
        }
    }
    Ok(Exit::Success)
}
