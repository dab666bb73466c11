//! Secrets: the `Secret` type and the lookup chain of SPEC §5.
//!
//! Order of lookup for a [`SecretKey`]:
//! 1. the environment, `PSA_LINK_<KIND>_<FIELD>` (e.g. `PSA_LINK_HALOPSA_CLIENT_SECRET`):
//!    used as is and never stored, so CI needs no keyring;
//! 2. the OS keyring, service `psa-link`, user `<kind>.<field>` (`halopsa.client_secret`);
//! 3. only when the user chose `--secret-store file`: `secrets.toml` in the config dir,
//!    created 0600 and refused while its mode is looser.
//!
//! Each store sits behind [`SecretBackend`], so tests (and machines without a keyring) use
//! the environment or the file. `PSA_LINK_NO_KEYRING=1` makes the keyring report itself
//! unavailable without touching D-Bus; every keyring call also runs on a helper thread
//! with a deadline (`PSA_LINK_KEYRING_TIMEOUT` seconds, default 20) so a keyring that
//! never answers cannot hang a run.
//!
//! `secrets.toml` layout: one table per kind.
//! ```toml
//! version = 1
//!
//! [halopsa]
//! client_secret = "..."
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use toml_edit::{DocumentMut, Item, Table, value};

use crate::error::Exit;
use crate::psa::PsaKind;
use crate::store::{SecretStoreKind, Store, StoreError};

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
    #[error(
        "the OS keyring is not available ({detail}); set {env} in the environment instead, or keep the secret in the config dir with `--secret-store file`"
    )]
    NoKeyring { detail: String, env: String },
    /// `secrets.toml` could not be read, parsed or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

impl SecretError {
    pub fn exit(&self) -> Exit {
        match self {
            SecretError::Store(e) => e.exit(),
            _ => Exit::Config,
        }
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
            SecretError::Store(e) => e.fix(),
            SecretError::Other(_) => None,
        }
    }
}

/// Which secret: a kind (`halopsa`, `huntress`, ...) and a field (`client_secret`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretKey {
    pub kind: &'static str,
    pub field: &'static str,
}

impl SecretKey {
    pub const fn new(kind: &'static str, field: &'static str) -> SecretKey {
        SecretKey { kind, field }
    }

    /// The Huntress API secret.
    pub const HUNTRESS: SecretKey = SecretKey::new("huntress", "api_secret");

    /// The secret of a PSA integration (`halopsa.client_secret`, ...).
    pub fn psa(kind: PsaKind) -> SecretKey {
        SecretKey::new(kind.id(), kind.secret_field())
    }

    /// `PSA_LINK_HALOPSA_CLIENT_SECRET`.
    pub fn env_var(&self) -> String {
        format!("PSA_LINK_{}_{}", self.kind, self.field).to_ascii_uppercase()
    }

    /// The keyring user name: `halopsa.client_secret`.
    pub fn keyring_user(&self) -> String {
        format!("{}.{}", self.kind, self.field)
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.field.replace('_', " "))
    }
}

/// Where a secret was found or kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretLocation {
    Environment,
    Keyring,
    File,
}

impl SecretLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretLocation::Environment => "environment",
            SecretLocation::Keyring => "keyring",
            SecretLocation::File => "file",
        }
    }
}

impl fmt::Display for SecretLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place secrets can live.
pub trait SecretBackend: Send + Sync {
    fn location(&self) -> SecretLocation;
    /// `Ok(None)` when this store has no such secret.
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError>;
    fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError>;
    /// Whether there was something to delete.
    fn delete(&self, key: &SecretKey) -> Result<bool, SecretError>;
}

// ------------------------------------------------------------------------ environment

/// `PSA_LINK_<KIND>_<FIELD>`: read-only.
pub struct EnvSecrets {
    /// `None`: the process environment.
    vars: Option<HashMap<String, String>>,
}

impl EnvSecrets {
    pub fn process() -> EnvSecrets {
        EnvSecrets { vars: None }
    }

    /// A fixed environment (tests; the process environment is shared between threads).
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> EnvSecrets {
        EnvSecrets {
            vars: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }
}

impl SecretBackend for EnvSecrets {
    fn location(&self) -> SecretLocation {
        SecretLocation::Environment
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        let name = key.env_var();
        let value = match &self.vars {
            Some(vars) => vars.get(&name).cloned(),
            None => std::env::var(&name).ok(),
        };
        // An empty variable is "not set" (a blank `export X=` in a cron file).
        Ok(value.filter(|v| !v.is_empty()).map(Secret::new))
    }

    fn set(&self, key: &SecretKey, _secret: &Secret) -> Result<(), SecretError> {
        Err(SecretError::Other(format!(
            "psa-link does not store secrets in the environment; set {} yourself",
            key.env_var()
        )))
    }

    fn delete(&self, _key: &SecretKey) -> Result<bool, SecretError> {
        Ok(false)
    }
}

// ---------------------------------------------------------------------------- keyring

pub const KEYRING_SERVICE: &str = "psa-link";
const KEYRING_TIMEOUT: Duration = Duration::from_secs(20);

/// Set once a keyring call has timed out in this process.
static KEYRING_STUCK: AtomicBool = AtomicBool::new(false);

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
/// Windows) through the `keyring` crate.
pub struct KeyringSecrets {
    service: String,
    /// Why the keyring is not to be used at all.
    disabled: Option<String>,
    timeout: Duration,
}

impl KeyringSecrets {
    /// The platform keyring, unless `PSA_LINK_NO_KEYRING` is set (to anything but `0` or
    /// empty).
    pub fn system() -> KeyringSecrets {
        let disabled = std::env::var("PSA_LINK_NO_KEYRING")
            .ok()
            .filter(|v| !v.is_empty() && v != "0")
            .map(|_| "switched off by PSA_LINK_NO_KEYRING".to_string());
        let timeout = std::env::var("PSA_LINK_KEYRING_TIMEOUT")
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(KEYRING_TIMEOUT);
        KeyringSecrets {
            service: KEYRING_SERVICE.into(),
            disabled,
            timeout,
        }
    }

    /// A keyring that always reports itself unavailable.
    pub fn disabled(reason: impl Into<String>) -> KeyringSecrets {
        KeyringSecrets {
            service: KEYRING_SERVICE.into(),
            disabled: Some(reason.into()),
            timeout: KEYRING_TIMEOUT,
        }
    }

    /// Runs one keyring operation on a helper thread, giving up after the timeout (the
    /// thread is then left to finish or die with the process).
    fn call<T: Send + 'static>(
        &self,
        key: &SecretKey,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, SecretError> {
        let unavailable = |detail: String| SecretError::NoKeyring {
            detail,
            env: key.env_var(),
        };
        if let Some(reason) = &self.disabled {
            return Err(unavailable(reason.clone()));
        }
        if KEYRING_STUCK.load(Ordering::Relaxed) {
            return Err(unavailable(
                "it did not answer earlier in this run".to_string(),
            ));
        }
        let (tx, rx) = mpsc::channel();
        let service = self.service.clone();
        let user = key.keyring_user();
        let spawned = std::thread::Builder::new()
            .name("keyring".into())
            .spawn(move || {
                let result = match keyring::Entry::store_status() {
                    Err(e) => Err(KeyringFailure::Unavailable(summarise(&e.to_string()))),
                    Ok(()) => keyring::Entry::new(&service, &user)
                        .and_then(|entry| op(&entry))
                        .map_err(KeyringFailure::from),
                };
                let _ = tx.send(result);
            });
        if let Err(e) = spawned {
            return Err(unavailable(format!("cannot start the keyring thread: {e}")));
        }
        match rx.recv_timeout(self.timeout) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(KeyringFailure::Unavailable(detail))) => Err(unavailable(detail)),
            Ok(Err(KeyringFailure::NotFound)) => Err(SecretError::Other("no entry".into())),
            Ok(Err(KeyringFailure::Other(detail))) => Err(SecretError::Other(format!(
                "the OS keyring refused {}: {detail}",
                key.keyring_user()
            ))),
            Err(_) => {
                // Its initialisation may be stuck for good: do not wait again this run.
                KEYRING_STUCK.store(true, Ordering::Relaxed);
                Err(unavailable(format!(
                    "it did not answer within {:.0} s",
                    self.timeout.as_secs_f64()
                )))
            }
        }
    }
}

/// The common headless cases in words a technician recognises; anything else verbatim.
fn summarise(detail: &str) -> String {
    if detail.contains("Failed to connect to address") || detail.contains("DBUS_SESSION_BUS") {
        "no D-Bus session bus, so no Secret Service".into()
    } else if detail.contains("org.freedesktop.secrets") {
        "no Secret Service provider is running on the session bus".into()
    } else {
        detail.to_string()
    }
}

/// A keyring error with anything secret-bearing stripped.
enum KeyringFailure {
    Unavailable(String),
    NotFound,
    Other(String),
}

impl From<keyring::Error> for KeyringFailure {
    fn from(e: keyring::Error) -> KeyringFailure {
        use keyring::Error as E;
        match e {
            E::NoEntry => KeyringFailure::NotFound,
            E::NoDefaultStore | E::PlatformFailure(_) | E::NoStorageAccess(_) => {
                KeyringFailure::Unavailable(summarise(&e.to_string()))
            }
            // These carry the stored bytes: never format them.
            E::BadEncoding(_) => KeyringFailure::Other("the stored value is not UTF-8 text".into()),
            E::BadDataFormat(..) => KeyringFailure::Other("the stored value is malformed".into()),
            E::Ambiguous(items) => KeyringFailure::Other(format!(
                "{} entries match; remove the duplicates with your keyring manager",
                items.len()
            )),
            other => KeyringFailure::Other(other.to_string()),
        }
    }
}

impl SecretBackend for KeyringSecrets {
    fn location(&self) -> SecretLocation {
        SecretLocation::Keyring
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        let found = self.call(key, |entry| match entry.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })?;
        Ok(found.map(Secret::new))
    }

    fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError> {
        let value = secret.expose().to_string();
        self.call(key, move |entry| entry.set_password(&value))
    }

    fn delete(&self, key: &SecretKey) -> Result<bool, SecretError> {
        self.call(key, |entry| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(e),
        })
    }
}

// ------------------------------------------------------------------------------- file

pub const SECRETS_FILE: &str = "secrets.toml";

const NEW_SECRETS_FILE: &str = "\
# psa-link secrets (chosen with --secret-store file). Keep this file private: psa-link
# refuses to read it if other users can (chmod 600).
version = 1
";

/// `secrets.toml` in the config dir: 0600, written atomically under its lock.
pub struct FileSecrets {
    store: Store,
    path: PathBuf,
}

impl FileSecrets {
    pub fn new(store: &Store) -> FileSecrets {
        FileSecrets {
            store: store.clone(),
            path: store.path(SECRETS_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text, after checking nobody else can read it.
    fn read(&self) -> Result<Option<String>, SecretError> {
        match std::fs::metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io("reading", &self.path, e).into()),
            Ok(meta) => check_private(&self.path, &meta)?,
        }
        Ok(crate::store::atomic::read_text(&self.path)?)
    }

    /// Parses without ever quoting the file: the parser's messages name positions and
    /// token kinds, and values are never deserialised through serde (whose errors quote
    /// them).
    fn parse(&self, text: &str) -> Result<DocumentMut, SecretError> {
        text.parse::<DocumentMut>().map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| crate::store::doc_line_col(text, s.start))
                .unwrap_or((1, 1));
            StoreError::Parse {
                path: self.path.display().to_string(),
                line,
                column,
                message: "not valid TOML".into(),
            }
            .into()
        })
    }

    fn not_a_string(&self, text: &str, key: &SecretKey) -> SecretError {
        let span = toml_edit::Document::parse(text).ok().and_then(|d| {
            d.get(key.kind)
                .and_then(|t| t.get(key.field))
                .and_then(Item::span)
        });
        let (line, column) = span
            .map(|s| crate::store::doc_line_col(text, s.start))
            .unwrap_or((1, 1));
        StoreError::Parse {
            path: self.path.display().to_string(),
            line,
            column,
            message: format!("`{}.{}` must be a string", key.kind, key.field),
        }
        .into()
    }

    /// A locked read-modify-write; writes only when `change` reports a change.
    fn edit(&self, change: impl FnOnce(&mut DocumentMut) -> bool) -> Result<bool, SecretError> {
        let _lock = self.store.lock(&self.path)?;
        let text = self.read()?;
        let mut doc = self.parse(text.as_deref().unwrap_or(NEW_SECRETS_FILE))?;
        if !change(&mut doc) {
            return Ok(false);
        }
        crate::store::atomic::write_atomic(&self.path, doc.to_string().as_bytes())?;
        Ok(true)
    }
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<(), SecretError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(SecretError::LooseFile {
            path: path.display().to_string(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), SecretError> {
    Ok(())
}

impl SecretBackend for FileSecrets {
    fn location(&self) -> SecretLocation {
        SecretLocation::File
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        let Some(text) = self.read()? else {
            return Ok(None);
        };
        let doc = self.parse(&text)?;
        match doc.get(key.kind).and_then(|t| t.get(key.field)) {
            None => Ok(None),
            Some(item) => match item.as_str() {
                Some(s) if !s.is_empty() => Ok(Some(Secret::new(s))),
                Some(_) => Ok(None),
                None => Err(self.not_a_string(&text, key)),
            },
        }
    }

    fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError> {
        let mut shape_error = false;
        self.edit(|doc| {
            if !doc.get(key.kind).is_some_and(Item::is_table_like) {
                doc.insert(key.kind, Item::Table(Table::new()));
            }
            let Some(table) = doc[key.kind].as_table_like_mut() else {
                shape_error = true;
                return false;
            };
            match table.get_mut(key.field) {
                Some(item) if item.as_str() == Some(secret.expose()) => return false,
                Some(item) => {
                    let mut fresh = value(secret.expose());
                    if let (Some(old), Some(new)) = (item.as_value(), fresh.as_value_mut()) {
                        *new.decor_mut() = old.decor().clone();
                    }
                    *item = fresh;
                }
                None => {
                    table.insert(key.field, value(secret.expose()));
                }
            }
            true
        })?;
        if shape_error {
            return Err(SecretError::Other(format!(
                "{}: `{}` is not a table",
                self.path.display(),
                key.kind
            )));
        }
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<bool, SecretError> {
        if !self.path.exists() {
            return Ok(false);
        }
        self.edit(|doc| {
            let Some(table) = doc.get_mut(key.kind).and_then(Item::as_table_like_mut) else {
                return false;
            };
            let removed = table.remove(key.field).is_some();
            if removed && table.is_empty() {
                doc.remove(key.kind);
            }
            removed
        })
    }
}

// ------------------------------------------------------------------------------ chain

/// Whether a secret is available, without its value (for `integration show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretPresence {
    Set(SecretLocation),
    Missing,
    /// The chosen store is the keyring and it cannot be reached.
    KeyringUnavailable(String),
}

/// The lookup chain of SPEC §5 over three backends.
pub struct Secrets {
    env: Box<dyn SecretBackend>,
    keyring: Box<dyn SecretBackend>,
    file: Box<dyn SecretBackend>,
}

impl Secrets {
    /// The process environment, the OS keyring (unless `PSA_LINK_NO_KEYRING`), and
    /// `secrets.toml` in the store's config dir.
    pub fn new(store: &Store) -> Secrets {
        Secrets::with_backends(
            Box::new(EnvSecrets::process()),
            Box::new(KeyringSecrets::system()),
            Box::new(FileSecrets::new(store)),
        )
    }

    pub fn with_backends(
        env: Box<dyn SecretBackend>,
        keyring: Box<dyn SecretBackend>,
        file: Box<dyn SecretBackend>,
    ) -> Secrets {
        Secrets { env, keyring, file }
    }

    /// The secret from the environment only: when set, it is used as is and stored
    /// nowhere.
    pub fn from_environment(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        self.env.get(key)
    }

    /// The secret and where it was found, following the chain for the chosen store.
    pub fn find(
        &self,
        key: &SecretKey,
        kind: SecretStoreKind,
    ) -> Result<Option<(Secret, SecretLocation)>, SecretError> {
        if let Some(s) = self.env.get(key)? {
            return Ok(Some((s, SecretLocation::Environment)));
        }
        if kind == SecretStoreKind::Env {
            return Ok(None);
        }
        match self.keyring.get(key) {
            Ok(Some(s)) => return Ok(Some((s, SecretLocation::Keyring))),
            Ok(None) => {}
            // The user chose the file: a keyring that cannot be reached just has nothing.
            Err(_) if kind == SecretStoreKind::File => {}
            Err(e) => return Err(e),
        }
        if kind == SecretStoreKind::File
            && let Some(s) = self.file.get(key)?
        {
            return Ok(Some((s, SecretLocation::File)));
        }
        Ok(None)
    }

    /// The secret, or an error naming where psa-link looked and how to provide it.
    pub fn lookup(&self, key: &SecretKey, kind: SecretStoreKind) -> Result<Secret, SecretError> {
        match self.find(key, kind)? {
            Some((secret, _)) => Ok(secret),
            None => Err(SecretError::Missing {
                what: key.to_string(),
                env: key.env_var(),
                looked: looked_in(key, kind),
            }),
        }
    }

    /// Keeps the secret in the chosen store and returns where it went (`None` for `Env`:
    /// nothing is stored). A copy in the other store is removed so it cannot shadow the
    /// new one.
    pub fn store(
        &self,
        key: &SecretKey,
        secret: &Secret,
        kind: SecretStoreKind,
    ) -> Result<Option<SecretLocation>, SecretError> {
        match kind {
            SecretStoreKind::Env => Ok(None),
            SecretStoreKind::Keyring => {
                self.keyring.set(key, secret)?;
                let _ = self.file.delete(key);
                Ok(Some(SecretLocation::Keyring))
            }
            SecretStoreKind::File => {
                self.file.set(key, secret)?;
                // The keyring comes first in the lookup: an old copy there would win.
                let _ = self.keyring.delete(key);
                Ok(Some(SecretLocation::File))
            }
        }
    }

    /// Removes the stored secret from the keyring and `secrets.toml`; returns where it was
    /// found. Failures of a store other than the chosen one are ignored.
    pub fn remove(
        &self,
        key: &SecretKey,
        kind: SecretStoreKind,
    ) -> Result<Vec<SecretLocation>, SecretError> {
        let mut removed = Vec::new();
        for (backend, chosen) in [
            (&self.keyring, kind == SecretStoreKind::Keyring),
            (&self.file, kind == SecretStoreKind::File),
        ] {
            match backend.delete(key) {
                Ok(true) => removed.push(backend.location()),
                Ok(false) => {}
                Err(e) if chosen => return Err(e),
                Err(_) => {}
            }
        }
        Ok(removed)
    }

    /// Whether the secret is available and from where, never its value.
    pub fn presence(
        &self,
        key: &SecretKey,
        kind: SecretStoreKind,
    ) -> Result<SecretPresence, SecretError> {
        match self.find(key, kind) {
            Ok(Some((_, location))) => Ok(SecretPresence::Set(location)),
            Ok(None) => Ok(SecretPresence::Missing),
            Err(SecretError::NoKeyring { detail, .. }) => {
                Ok(SecretPresence::KeyringUnavailable(detail))
            }
            Err(e) => Err(e),
        }
    }
}

fn looked_in(key: &SecretKey, kind: SecretStoreKind) -> String {
    let env = format!("the environment ({})", key.env_var());
    match kind {
        SecretStoreKind::Env => env,
        SecretStoreKind::Keyring => format!("{env} and the OS keyring"),
        SecretStoreKind::File => format!("{env}, the OS keyring and {SECRETS_FILE}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// An in-memory keyring for chain tests.
    #[derive(Default)]
    struct MemoryKeyring(Mutex<HashMap<String, String>>);

    impl SecretBackend for MemoryKeyring {
        fn location(&self) -> SecretLocation {
            SecretLocation::Keyring
        }
        fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
            Ok(self
                .0
                .lock()
                .unwrap()
                .get(&key.keyring_user())
                .cloned()
                .map(Secret::new))
        }
        fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError> {
            self.0
                .lock()
                .unwrap()
                .insert(key.keyring_user(), secret.expose().into());
            Ok(())
        }
        fn delete(&self, key: &SecretKey) -> Result<bool, SecretError> {
            Ok(self.0.lock().unwrap().remove(&key.keyring_user()).is_some())
        }
    }

    const HALO: SecretKey = SecretKey::new("halopsa", "client_secret");

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("cfg"));
        (dir, store)
    }

    fn chain(store: &Store, env: &[(&str, &str)], keyring: Box<dyn SecretBackend>) -> Secrets {
        Secrets::with_backends(
            Box::new(EnvSecrets::from_vars(env.iter().copied())),
            keyring,
            Box::new(FileSecrets::new(store)),
        )
    }

    fn no_keyring() -> Box<dyn SecretBackend> {
        Box::new(KeyringSecrets::disabled(
            "switched off by PSA_LINK_NO_KEYRING",
        ))
    }

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s}"), "[REDACTED]");
        assert_eq!(format!("{s:?}"), "Secret([REDACTED])");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }

    #[test]
    fn keys_name_their_variable_and_keyring_user() {
        assert_eq!(HALO.env_var(), "PSA_LINK_HALOPSA_CLIENT_SECRET");
        assert_eq!(HALO.keyring_user(), "halopsa.client_secret");
        assert_eq!(
            SecretKey::HUNTRESS.env_var(),
            "PSA_LINK_HUNTRESS_API_SECRET"
        );
        assert_eq!(
            SecretKey::psa(PsaKind::Connectwise).env_var(),
            "PSA_LINK_CONNECTWISE_PRIVATE_KEY"
        );
        assert_eq!(HALO.to_string(), "halopsa client secret");
    }

    #[test]
    fn the_environment_beats_the_file_and_is_stored_nowhere() {
        let (_d, store) = store();
        let file_only = chain(&store, &[], no_keyring());
        file_only
            .store(&HALO, &Secret::new("from-file"), SecretStoreKind::File)
            .unwrap();
        let with_env = chain(
            &store,
            &[("PSA_LINK_HALOPSA_CLIENT_SECRET", "from-env")],
            no_keyring(),
        );
        let (s, at) = with_env
            .find(&HALO, SecretStoreKind::File)
            .unwrap()
            .unwrap();
        assert_eq!((s.expose(), at), ("from-env", SecretLocation::Environment));
        assert_eq!(
            with_env
                .lookup(&HALO, SecretStoreKind::Keyring)
                .unwrap()
                .expose(),
            "from-env"
        );
        // Env as the store kind stores nothing anywhere.
        assert_eq!(
            with_env
                .store(
                    &SecretKey::HUNTRESS,
                    &Secret::new("x"),
                    SecretStoreKind::Env
                )
                .unwrap(),
            None
        );
        assert!(
            file_only
                .find(&SecretKey::HUNTRESS, SecretStoreKind::File)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn env_kind_consults_only_the_environment() {
        let (_d, store) = store();
        let keyring = MemoryKeyring::default();
        keyring.set(&HALO, &Secret::new("in-keyring")).unwrap();
        let secrets = chain(&store, &[], Box::new(keyring));
        let err = secrets.lookup(&HALO, SecretStoreKind::Env).unwrap_err();
        assert!(matches!(err, SecretError::Missing { .. }));
        assert!(
            err.to_string().contains("PSA_LINK_HALOPSA_CLIENT_SECRET"),
            "{err}"
        );
        assert_eq!(
            secrets
                .lookup(&HALO, SecretStoreKind::Keyring)
                .unwrap()
                .expose(),
            "in-keyring"
        );
    }

    #[test]
    fn a_file_is_only_read_when_chosen() {
        let (_d, store) = store();
        let secrets = chain(&store, &[], Box::new(MemoryKeyring::default()));
        secrets
            .store(&HALO, &Secret::new("filed"), SecretStoreKind::File)
            .unwrap();
        assert!(
            secrets
                .find(&HALO, SecretStoreKind::Keyring)
                .unwrap()
                .is_none()
        );
        assert_eq!(
            secrets
                .lookup(&HALO, SecretStoreKind::File)
                .unwrap()
                .expose(),
            "filed"
        );
    }

    #[test]
    fn an_unavailable_keyring_counts_as_empty_when_the_file_is_chosen() {
        let (_d, store) = store();
        let secrets = chain(&store, &[], no_keyring());
        assert_eq!(
            secrets
                .store(&HALO, &Secret::new("filed"), SecretStoreKind::File)
                .unwrap(),
            Some(SecretLocation::File)
        );
        assert_eq!(
            secrets.presence(&HALO, SecretStoreKind::File).unwrap(),
            SecretPresence::Set(SecretLocation::File)
        );
        assert_eq!(
            secrets
                .lookup(&HALO, SecretStoreKind::File)
                .unwrap()
                .expose(),
            "filed"
        );
        // With the keyring chosen, its absence is reported, not hidden.
        assert!(matches!(
            secrets.lookup(&HALO, SecretStoreKind::Keyring).unwrap_err(),
            SecretError::NoKeyring { .. }
        ));
        assert!(matches!(
            secrets.presence(&HALO, SecretStoreKind::Keyring).unwrap(),
            SecretPresence::KeyringUnavailable(_)
        ));
    }

    #[test]
    fn storing_without_a_keyring_names_the_alternatives() {
        let (_d, store) = store();
        let secrets = chain(&store, &[], no_keyring());
        let err = secrets
            .store(
                &HALO,
                &Secret::new("s3cret-value"),
                SecretStoreKind::Keyring,
            )
            .unwrap_err();
        assert!(matches!(err, SecretError::NoKeyring { .. }));
        let message = err.to_string();
        let fix = err.fix().unwrap();
        for text in [&message, &fix] {
            assert!(text.contains("PSA_LINK_HALOPSA_CLIENT_SECRET"), "{text}");
            assert!(text.contains("--secret-store file"), "{text}");
            assert!(!text.contains("s3cret-value"));
        }
        assert_eq!(err.exit(), Exit::Config);
        assert!(!store.path(SECRETS_FILE).exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_created_0600_and_refused_when_looser() {
        use std::os::unix::fs::PermissionsExt;
        let (_d, store) = store();
        let secrets = chain(&store, &[], no_keyring());
        secrets
            .store(&HALO, &Secret::new("filed"), SecretStoreKind::File)
            .unwrap();
        let path = store.path(SECRETS_FILE);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = secrets.lookup(&HALO, SecretStoreKind::File).unwrap_err();
        assert!(
            matches!(err, SecretError::LooseFile { mode: 0o644, .. }),
            "{err}"
        );
        assert!(err.fix().unwrap().contains("chmod 600"));
        assert!(
            secrets
                .store(&HALO, &Secret::new("other"), SecretStoreKind::File)
                .is_err()
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn the_file_keeps_other_secrets_and_comments() {
        let (_d, store) = store();
        let secrets = chain(&store, &[], no_keyring());
        secrets
            .store(&HALO, &Secret::new("one"), SecretStoreKind::File)
            .unwrap();
        secrets
            .store(
                &SecretKey::HUNTRESS,
                &Secret::new("two"),
                SecretStoreKind::File,
            )
            .unwrap();
        secrets
            .store(&HALO, &Secret::new("three"), SecretStoreKind::File)
            .unwrap();
        let text = std::fs::read_to_string(store.path(SECRETS_FILE)).unwrap();
        assert!(text.starts_with("# psa-link secrets"), "{text}");
        assert_eq!(
            secrets
                .lookup(&SecretKey::HUNTRESS, SecretStoreKind::File)
                .unwrap()
                .expose(),
            "two"
        );
        assert_eq!(
            secrets.remove(&HALO, SecretStoreKind::File).unwrap(),
            vec![SecretLocation::File]
        );
        assert!(
            secrets
                .find(&HALO, SecretStoreKind::File)
                .unwrap()
                .is_none()
        );
        assert!(
            secrets
                .find(&SecretKey::HUNTRESS, SecretStoreKind::File)
                .unwrap()
                .is_some()
        );
        assert!(
            secrets
                .remove(&HALO, SecretStoreKind::File)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn moving_a_secret_to_the_file_clears_the_keyring_copy() {
        let (_d, store) = store();
        let secrets = chain(&store, &[], Box::new(MemoryKeyring::default()));
        secrets
            .store(&HALO, &Secret::new("old"), SecretStoreKind::Keyring)
            .unwrap();
        secrets
            .store(&HALO, &Secret::new("new"), SecretStoreKind::File)
            .unwrap();
        assert_eq!(
            secrets
                .find(&HALO, SecretStoreKind::File)
                .unwrap()
                .unwrap()
                .1,
            SecretLocation::File
        );
        assert_eq!(
            secrets
                .lookup(&HALO, SecretStoreKind::File)
                .unwrap()
                .expose(),
            "new"
        );
    }

    #[test]
    fn a_bad_secrets_file_is_a_parse_error_that_quotes_nothing() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let path = store.path(SECRETS_FILE);
        std::fs::write(&path, "[halopsa]\nclient_secret = \"abc-very-secret\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let secrets = chain(&store, &[], no_keyring());
        let err = secrets.lookup(&HALO, SecretStoreKind::File).unwrap_err();
        let text = format!("{err} {:?}", err.fix());
        assert!(text.contains("line 2"), "{text}");
        assert!(!text.contains("abc-very-secret"), "{text}");
        assert_eq!(err.exit(), Exit::Config);
        std::fs::write(&path, "[halopsa]\nclient_secret = 123456789\n").unwrap();
        let err = secrets.lookup(&HALO, SecretStoreKind::File).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("must be a string") && text.contains("line 2"),
            "{text}"
        );
        assert!(!text.contains("123456789"), "{text}");
    }

    #[test]
    fn the_system_keyring_never_hangs_here() {
        // This machine has no Secret Service: the call must come back promptly either way.
        let keyring = KeyringSecrets {
            timeout: Duration::from_secs(10),
            ..KeyringSecrets::system()
        };
        let started = std::time::Instant::now();
        let _ = keyring.get(&SecretKey::new("psa-link-test", "probe"));
        assert!(started.elapsed() < Duration::from_secs(11));
    }
}
