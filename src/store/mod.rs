//! The state store: the config dir, `config.toml`, `mapping.toml` and the ledger, written
//! atomically under a sidecar lock; files that do not parse are never overwritten.

pub mod model;

pub use model::*;

use crate::error::Exit;

/// Failures reading or writing the state files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not valid (TOML syntax, wrong types, unknown version).
    #[error("{path} is not valid: {message} (line {line}, column {column})")]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Another psa-link run holds the lock.
    #[error("another psa-link run is using {path} (lock file {lock})")]
    Locked { path: String, lock: String },
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    pub fn exit(&self) -> Exit {
        match self {
            StoreError::Parse { .. } | StoreError::Invalid(_) => Exit::Config,
            StoreError::Locked { .. } | StoreError::Io { .. } => Exit::Unexpected,
        }
    }

    pub fn fix(&self) -> Option<String> {
        match self {
            StoreError::Parse { path, .. } => Some(format!(
                "fix the file by hand (psa-link leaves it untouched), or move it away to start afresh: mv {path} {path}.bak"
            )),
            StoreError::Locked { .. } => Some(
                "wait for the other run (a cron `incident sync`?) to finish, then try again".into(),
            ),
            _ => None,
        }
    }
}

use std::path::{Path, PathBuf};

/// The config dir and the files in it.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// `--config-dir` / `PSA_LINK_HOME` when given, else the platform config dir
    /// (`$XDG_CONFIG_HOME/psa-link` on Linux).
    pub fn resolve_dir(explicit: Option<&Path>) -> Result<PathBuf, StoreError> {
        if let Some(dir) = explicit {
            return Ok(dir.to_path_buf());
        }
        dirs::config_dir().map(|d| d.join("psa-link")).ok_or_else(|| {
            StoreError::Invalid(
                "cannot determine a config directory (no $XDG_CONFIG_HOME or $HOME); pass --config-dir or set PSA_LINK_HOME".into(),
            )
        })
    }

    pub fn open(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
