//! Small rendering helpers shared by the `show` and `list` commands.

use serde_json::{Value, json};

use crate::error::Failure;
use crate::secrets::{SecretKey, SecretPresence};

/// `key   value` lines with the values aligned.
pub(crate) fn key_values(rows: &[(&str, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k:<width$}  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A secret's state for people: "set (keyring)", "missing (...)"; never its value.
pub(crate) fn secret_text(key: &SecretKey, presence: &SecretPresence) -> String {
    match presence {
        SecretPresence::Set(location) => format!("set ({location})"),
        SecretPresence::Missing => format!("missing (set {} or store it again)", key.env_var()),
        SecretPresence::KeyringUnavailable(detail) => format!(
            "unknown: the OS keyring is not available ({detail}); set {}",
            key.env_var()
        ),
    }
}

/// A secret's state for scripts: `{"state": "set|missing|unavailable", "location", "env"}`.
pub(crate) fn secret_json(key: &SecretKey, presence: &SecretPresence) -> Value {
    let (state, location, detail) = match presence {
        SecretPresence::Set(l) => ("set", Some(l.as_str()), None),
        SecretPresence::Missing => ("missing", None, None),
        SecretPresence::KeyringUnavailable(d) => ("unavailable", None, Some(d.as_str())),
    };
    json!({
        "state": state,
        "location": location,
        "env": key.env_var(),
        "detail": detail,
    })
}

/// Exit 3: no integration configured.
pub(crate) fn no_integration() -> anyhow::Error {
    Failure::config("no PSA integration is configured")
        .with_fix("run `psa-link integration add <halopsa|connectwise> ...`")
        .into()
}
