//! The state store: the config dir and the files in it, written atomically under a sidecar
//! lock; a file that does not parse is never overwritten.
//!
//! | file | what | module |
//! |---|---|---|
//! | `config.toml` | source, integration, status and priority maps (no secrets) | [`config`] |
//! | `mapping.toml` | organization id -> PSA company | [`mapping`] |
//! | `ledger.jsonl` | incident -> ticket, what was last pushed, sync cursors | [`ledger`] |
//! | `secrets.toml` | opt-in secrets, mode 0600 (see [`crate::secrets`]) | |
//!
//! Rules every file follows:
//! - **Atomic writes** ([`atomic`]): a temporary file in the same directory, `fsync`, then a
//!   rename; the existing file's permissions are kept (new files are 0600).
//! - **Locking** ([`lock`]): each data file has a sidecar `<file>.lock` held for the whole
//!   read-modify-write, so a cron `incident sync` and a technician never interleave. A
//!   second run waits up to `PSA_LINK_LOCK_TIMEOUT` seconds (default 30), then fails with
//!   [`StoreError::Locked`]. Locks are not re-entrant: do not edit a file from inside an
//!   edit of the same file.
//! - **Hand edits survive**: TOML files are edited through `toml_edit`, so comments,
//!   ordering, spacing and keys psa-link does not know are kept; only changed keys are
//!   replaced, in place.
//! - **Never overwrite what does not parse**: every edit parses the file first; syntax and
//!   type errors become [`StoreError::Parse`] with the file, line and column (exit 3).
//! - **Versions**: each file carries `version`; a newer version than this build understands
//!   is refused with [`StoreError::Invalid`] rather than half-read.
//!
//! Readers take no lock: a rename swaps whole files, and the ledger's reader ignores a line
//! still being appended.

pub mod atomic;
pub mod config;
mod doc;
pub mod ledger;
pub mod lock;
pub mod mapping;
pub mod model;

pub use config::ConfigEdit;
pub(crate) use doc::line_col as doc_line_col;
pub use ledger::{Ledger, LedgerWriter};
pub use lock::{FileLock, WaitNotice};
pub use mapping::MappingEdit;
pub use model::*;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::error::Exit;
use lock::Locking;

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

    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

/// The config dir and the files in it.
#[derive(Clone)]
pub struct Store {
    dir: PathBuf,
    locking: Locking,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
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
        Store {
            dir: dir.into(),
            locking: Locking::default(),
        }
    }

    /// Called once, with the data file's path, when a lock is held by another run and this
    /// one starts waiting (the CLI prints "waiting for another psa-link run ...").
    pub fn with_wait_notice(mut self, notice: WaitNotice) -> Store {
        self.locking.notice = Some(notice);
        self
    }

    /// How long to wait for another run's lock; default `PSA_LINK_LOCK_TIMEOUT` seconds,
    /// else 30.
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Store {
        self.locking.timeout = Some(timeout);
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A file in the config dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Takes the sidecar lock of `data` (a file in or outside the config dir), waiting as
    /// configured. The lock is released when the guard drops.
    pub fn lock(&self, data: &Path) -> Result<FileLock, StoreError> {
        self.locking.acquire(data)
    }
}

/// Shorthand for the notice hook type.
pub fn wait_notice(f: impl Fn(&Path) + Send + Sync + 'static) -> WaitNotice {
    Arc::new(f)
}
