//! Secrets: the `Secret` type and the lookup chain of SPEC §5 (environment, OS keyring,
//! opt-in 0600 `secrets.toml`).

use std::fmt;

use crate::error::Exit;

/// A credential. Its Debug and Display never show the value, and creating one registers
/// the value with the redactor so it is masked wherever it might be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        let value = value.into();
        crate::http::redact::register(&value);
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// Failures of the secret chain.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("no {what} found (looked in {looked})")]
    Missing {
        what: String,
        env: String,
        looked: String,
    },
    #[error("{path} is readable by other users (mode {mode:o}); refusing to use it")]
    LooseFile { path: String, mode: u32 },
    #[error("the OS keyring is not available: {detail}")]
    NoKeyring { detail: String, env: String },
    #[error("{0}")]
    Other(String),
}

impl SecretError {
    pub fn exit(&self) -> Exit {
        Exit::Config
    }

    pub fn fix(&self) -> Option<String> {
        match self {
            SecretError::Missing { env, .. } => Some(format!(
                "set {env} in the environment, or store it with the matching `integration add` / `source set` command"
            )),
            SecretError::LooseFile { path, .. } => Some(format!("run `chmod 600 {path}`")),
            SecretError::NoKeyring { env, .. } => Some(format!(
                "set {env} in the environment (nothing is stored), or re-run with `--secret-store file` to keep it in a 0600 secrets.toml in the config dir"
            )),
            SecretError::Other(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s}"), "[REDACTED]");
        assert_eq!(format!("{s:?}"), "Secret([REDACTED])");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }
}
