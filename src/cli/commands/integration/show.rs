use serde_json::json;

use super::super::priority_map::list::{priority_json, priority_table};
use super::super::source::show::store_name;
use super::super::status_map::list::{status_json, status_table};
use super::super::view::{key_values, no_integration, secret_json, secret_text};
use crate::cli::Ctx;
use crate::error::Exit;
use crate::secrets::SecretKey;

/// `integration show`: everything config.toml holds about the integration; the secret
/// only as set / missing and where from.
pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let config = ctx.store()?.config()?;
    let Some(int) = &config.integration else {
        return Err(no_integration());
    };
    let key = SecretKey::psa(int.kind);
    let presence = ctx.secrets()?.presence(&key, int.secret_store)?;
    let routing_word = int.kind.routing_word();
    let company_word = int.kind.company_word();
    if ctx.out.json {
        ctx.out.json_doc(&json!({
            "integration": {
                "kind": int.kind.id(),
                "name": int.kind.display_name(),
                "base_url": int.base_url,
                "secret_store": int.secret_store,
                "secret": secret_json(&key, &presence),
                "routing": int.routing.as_ref().map(|r| json!({
                    "label": routing_word, "id": r.id, "name": r.name,
                })),
                "default_company": int.default_company.as_ref().map(|c| json!({
                    "label": company_word, "id": c.id, "name": c.name,
                })),
                "settings": int.settings,
            },
            "status_map": status_json(&config),
            "priority_map": priority_json(&config),
        }))?;
        return Ok(Exit::Success);
    }
    let mut rows = vec![
        (
            "integration",
            format!("{} ({})", int.kind.display_name(), int.kind.id()),
        ),
        (
            "base url",
            int.base_url
                .clone()
                .unwrap_or_else(|| "(derived from the settings)".into()),
        ),
        ("secret", secret_text(&key, &presence)),
        ("secret store", store_name(int.secret_store).into()),
    ];
    let routing_label = routing_word.to_string();
    let company_label = format!("default {company_word}");
    rows.push((
        routing_label.as_str(),
        int.routing
            .as_ref()
            .map(|r| format!("{} (id {})", r.name, r.id))
            .unwrap_or_else(|| "(not set)".into()),
    ));
    rows.push((
        company_label.as_str(),
        int.default_company
            .as_ref()
            .map(|c| format!("{} (id {})", c.name, c.id))
            .unwrap_or_else(|| "(not set)".into()),
    ));
    let mut text = key_values(&rows);
    if !int.settings.is_empty() {
        let settings: Vec<(&str, String)> = int
            .settings
            .iter()
            .map(|(k, v)| (k.as_str(), setting_text(v)))
            .collect();
        let indented = key_values(&settings)
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n");
        text.push_str(&format!("\n\nsettings\n{indented}"));
    }
    text.push_str(&format!(
        "\n\nstatus map\n{}\n\npriority map\n{}",
        status_table(&ctx.out, &config),
        priority_table(&ctx.out, &config)
    ));
    ctx.out.data(text)?;
    Ok(Exit::Success)
}

fn setting_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
