//! `config.toml`: the source, the one PSA integration, the status and priority maps and
//! incident settings. Never any secret.
//!
//! Layout psa-link writes (a technician may reorder, comment and add keys; all of that is
//! kept):
//! ```toml
//! # psa-link configuration ...
//! version = 1
//!
//! [source]
//! kind = "huntress"
//! api_key = "..."
//! secret_store = "keyring"
//!
//! [integration]
//! kind = "halopsa"
//! secret_store = "keyring"
//! routing = { id = "3", name = "Huntress" }
//! default_company = { id = 12, name = "Acme MSP" }
//!
//! [integration.settings]
//! host = "acme.halopsa.com"
//!
//! [status_map]
//! created = { id = "1", name = "New" }
//!
//! [priority_map]
//! critical = { id = "1", name = "P1" }
//! ```

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, TableLike};

use super::atomic::read_text;
use super::doc::{check_version, merge, parse_doc, parse_typed, to_table, write_checked};
use super::{
    CONFIG_VERSION, Config, IncidentSettings, IntegrationConfig, Named, SourceConfig, Store,
    StoreError,
};
use crate::lifecycle::LifecycleEvent;
use crate::source::Severity;

pub const CONFIG_FILE: &str = "config.toml";

const NEW_FILE: &str = "\
# psa-link configuration: source, PSA integration, status and priority maps.
# No secrets are ever written here. Hand edits and comments are kept.
version = 1
";

impl Store {
    pub fn config_path(&self) -> PathBuf {
        self.path(CONFIG_FILE)
    }

    /// The configuration; `Config::default()` when there is no file yet.
    pub fn config(&self) -> Result<Config, StoreError> {
        let path = self.config_path();
        match read_text(&path)? {
            None => Ok(Config::default()),
            Some(text) => load(&path, &text),
        }
    }

    /// A locked read-modify-write of `config.toml`. `f` sees the file as it is now (under
    /// the lock) and changes it through [`ConfigEdit`]'s typed setters; the file is written
    /// only if something changed, and not at all if `f` fails or the file does not parse.
    pub fn edit_config<R>(
        &self,
        f: impl FnOnce(&mut ConfigEdit) -> anyhow::Result<R>,
    ) -> anyhow::Result<R> {
        let path = self.config_path();
        let _lock = self.lock(&path)?;
        let before = read_text(&path)?;
        let mut edit = match &before {
            Some(text) => ConfigEdit::parse(&path, text)?,
            None => ConfigEdit::parse(&path, NEW_FILE)?,
        };
        let result = f(&mut edit)?;
        let after = edit.doc.to_string();
        if edit.changed && before.as_deref() != Some(after.as_str()) {
            write_checked(&path, &after, &edit.config, load)?;
        }
        Ok(result)
    }
}

fn load(path: &Path, text: &str) -> Result<Config, StoreError> {
    let config: Config = parse_typed(path, text)?;
    check_version(path, config.version, CONFIG_VERSION)?;
    Ok(config)
}

/// Which nested tables are written as `[headers]`: the top-level sections and the
/// integration's free-form settings. Choices (`{ id, name }`) stay inline.
fn standard_table(path: &[&str]) -> bool {
    path.len() == 1 || path == ["integration", "settings"]
}

/// `config.toml` being edited: typed setters over the format-preserving document.
pub struct ConfigEdit {
    doc: DocumentMut,
    config: Config,
    /// A setter changed something (an edit that changes nothing creates no file).
    changed: bool,
}

impl ConfigEdit {
    fn parse(path: &Path, text: &str) -> Result<ConfigEdit, StoreError> {
        let doc = parse_doc(path, text)?;
        let config = load(path, text)?;
        Ok(ConfigEdit {
            doc,
            config,
            changed: false,
        })
    }

    /// The configuration as edited so far.
    pub fn current(&self) -> Config {
        self.config.clone()
    }

    /// The configuration as edited so far, without a copy.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn set_source(&mut self, source: Option<&SourceConfig>) -> anyhow::Result<()> {
        self.update(|c| c.source = source.cloned())
    }

    pub fn set_integration(
        &mut self,
        integration: Option<&IntegrationConfig>,
    ) -> anyhow::Result<()> {
        self.update(|c| c.integration = integration.cloned())
    }

    /// Maps a lifecycle event to a PSA status (`None` unsets it).
    pub fn set_status(
        &mut self,
        event: LifecycleEvent,
        status: Option<&Named>,
    ) -> anyhow::Result<()> {
        self.update(|c| match status {
            Some(s) => {
                c.status_map.insert(event, s.clone());
            }
            None => {
                c.status_map.remove(&event);
            }
        })
    }

    /// Maps a severity to a PSA priority (`None` unsets it).
    pub fn set_priority(
        &mut self,
        severity: Severity,
        priority: Option<&Named>,
    ) -> anyhow::Result<()> {
        self.update(|c| match priority {
            Some(p) => {
                c.priority_map.insert(severity, p.clone());
            }
            None => {
                c.priority_map.remove(&severity);
            }
        })
    }

    pub fn clear_status_map(&mut self) -> anyhow::Result<()> {
        self.update(|c| c.status_map.clear())
    }

    pub fn clear_priority_map(&mut self) -> anyhow::Result<()> {
        self.update(|c| c.priority_map.clear())
    }

    pub fn set_incident_settings(&mut self, settings: &IncidentSettings) -> anyhow::Result<()> {
        self.update(|c| c.incidents = settings.clone())
    }

    /// Applies a typed change to the document: only the keys whose values changed are
    /// touched.
    fn update(&mut self, change: impl FnOnce(&mut Config)) -> anyhow::Result<()> {
        let mut next = self.config.clone();
        change(&mut next);
        if next == self.config {
            return Ok(());
        }
        let old = to_table(&self.config, &standard_table)?;
        let new = to_table(&next, &standard_table)?;
        merge(
            self.doc.as_table_mut() as &mut dyn TableLike,
            Some(&old),
            &new,
        );
        self.config = next;
        self.changed = true;
        Ok(())
    }
}

impl Config {
    /// The PSA status for a lifecycle event: `dismissed` falls back to `resolved`'s status
    /// (SPEC §2).
    pub fn status_for(&self, event: LifecycleEvent) -> Option<&Named> {
        self.status_map.get(&event).or(match event {
            LifecycleEvent::Dismissed => self.status_map.get(&LifecycleEvent::Resolved),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psa::PsaKind;
    use crate::store::{CompanyRef, FileSourceConfig, HuntressSourceConfig, SecretStoreKind};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("cfg"));
        (dir, store)
    }

    fn named(id: &str, name: &str) -> Named {
        Named {
            id: id.into(),
            name: name.into(),
        }
    }

    fn halo() -> IntegrationConfig {
        let mut settings = toml::Table::new();
        settings.insert("host".into(), "acme.halopsa.com".into());
        settings.insert("client_id".into(), "abc".into());
        IntegrationConfig {
            kind: PsaKind::Halopsa,
            base_url: None,
            secret_store: SecretStoreKind::Keyring,
            routing: Some(named("3", "Huntress")),
            default_company: Some(CompanyRef {
                id: 12,
                name: "Acme MSP".into(),
            }),
            settings,
        }
    }

    #[test]
    fn missing_file_is_the_default_config() {
        let (_d, store) = store();
        assert_eq!(store.config().unwrap(), Config::default());
        assert!(!store.config_path().exists());
    }

    #[test]
    fn a_new_file_gets_a_header_and_reads_back() {
        let (_d, store) = store();
        store
            .edit_config(|c| {
                c.set_integration(Some(&halo()))?;
                c.set_status(LifecycleEvent::Created, Some(&named("1", "New")))?;
                Ok(())
            })
            .unwrap();
        let text = std::fs::read_to_string(store.config_path()).unwrap();
        assert!(text.starts_with("# psa-link configuration"), "{text}");
        assert!(text.contains("[integration.settings]"), "{text}");
        assert!(
            text.contains("routing = { id = \"3\", name = \"Huntress\" }"),
            "{text}"
        );
        assert!(
            text.contains("[status_map]\ncreated = { id = \"1\", name = \"New\" }"),
            "{text}"
        );
        let c = store.config().unwrap();
        assert_eq!(c.integration, Some(halo()));
        assert_eq!(c.status_map[&LifecycleEvent::Created], named("1", "New"));
    }

    #[test]
    fn hand_comments_and_keys_survive_an_edit() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let hand = "\
# Acme's psa-link setup -- ask Dana before changing.
version = 1
owner = \"dana\"   # hand-added, unknown to psa-link

# statuses agreed with the service desk
[status_map]
# new tickets
created = { id = \"1\", name = \"New\" } # keep
resolved = { id = \"9\", name = \"Closed\" }
";
        std::fs::write(store.config_path(), hand).unwrap();
        store
            .edit_config(|c| {
                c.set_status(LifecycleEvent::Resolved, Some(&named("8", "Resolved")))?;
                c.set_source(Some(&SourceConfig::File(FileSourceConfig {
                    path: "/data/incidents.json".into(),
                })))
            })
            .unwrap();
        let text = std::fs::read_to_string(store.config_path()).unwrap();
        assert_eq!(
            text,
            "\
# Acme's psa-link setup -- ask Dana before changing.
version = 1
owner = \"dana\"   # hand-added, unknown to psa-link

# statuses agreed with the service desk
[status_map]
# new tickets
created = { id = \"1\", name = \"New\" } # keep
resolved = { id = \"8\", name = \"Resolved\" }

[source]
kind = \"file\"
path = \"/data/incidents.json\"
"
        );
    }

    #[test]
    fn replacing_a_section_keeps_its_comments_and_changes_only_what_changed() {
        let (_d, store) = store();
        store
            .edit_config(|c| c.set_integration(Some(&halo())))
            .unwrap();
        let text = std::fs::read_to_string(store.config_path())
            .unwrap()
            .replace("[integration]\n", "# our Halo\n[integration]\n")
            .replace("host = ", "# prod tenant\nhost = ");
        std::fs::write(store.config_path(), &text).unwrap();
        let mut next = halo();
        next.settings
            .insert("host".into(), "beta.halopsa.com".into());
        next.routing = Some(named("4", "Security"));
        store
            .edit_config(|c| c.set_integration(Some(&next)))
            .unwrap();
        let after = std::fs::read_to_string(store.config_path()).unwrap();
        assert!(after.contains("# our Halo\n[integration]\n"), "{after}");
        assert!(
            after.contains("# prod tenant\nhost = \"beta.halopsa.com\""),
            "{after}"
        );
        assert!(after.contains("routing = { id = \"4\", name = \"Security\" }"));
        assert_eq!(store.config().unwrap().integration, Some(next));
    }

    #[test]
    fn removing_the_integration_and_maps_removes_their_sections() {
        let (_d, store) = store();
        store
            .edit_config(|c| {
                c.set_source(Some(&SourceConfig::Huntress(HuntressSourceConfig {
                    api_key: "hk".into(),
                    base_url: None,
                    secret_store: SecretStoreKind::Keyring,
                })))?;
                c.set_integration(Some(&halo()))?;
                c.set_status(LifecycleEvent::Created, Some(&named("1", "New")))?;
                c.set_priority(Severity::Critical, Some(&named("1", "P1")))
            })
            .unwrap();
        store
            .edit_config(|c| {
                c.set_integration(None)?;
                c.clear_status_map()?;
                c.clear_priority_map()
            })
            .unwrap();
        let text = std::fs::read_to_string(store.config_path()).unwrap();
        assert!(!text.contains("[integration"), "{text}");
        assert!(!text.contains("[status_map"), "{text}");
        assert!(!text.contains("[priority_map"), "{text}");
        assert!(text.contains("[source]"), "{text}");
    }

    #[test]
    fn an_unchanged_edit_does_not_write() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        std::fs::write(store.config_path(), "version=1\n[incidents]\nstrict=true\n").unwrap();
        let before = std::fs::metadata(store.config_path())
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        store
            .edit_config(|c| {
                let same = c.current().incidents;
                c.set_incident_settings(&same)
            })
            .unwrap();
        let after = std::fs::metadata(store.config_path())
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn an_edit_that_changes_nothing_creates_no_file() {
        let (_d, store) = store();
        store
            .edit_config(|c| c.set_status(LifecycleEvent::Created, None))
            .unwrap();
        assert!(!store.config_path().exists());
    }

    #[test]
    fn a_failing_edit_writes_nothing() {
        let (_d, store) = store();
        let err = store
            .edit_config(|c| {
                c.set_integration(Some(&halo()))?;
                anyhow::bail!("verification failed")
            })
            .map(|_: ()| ())
            .unwrap_err();
        assert_eq!(err.to_string(), "verification failed");
        assert!(!store.config_path().exists());
    }

    #[test]
    fn incident_settings_are_written_only_where_they_differ() {
        let (_d, store) = store();
        store
            .edit_config(|c| {
                c.set_incident_settings(&IncidentSettings {
                    strict: true,
                    sync_overlap_secs: 60,
                })
            })
            .unwrap();
        let text = std::fs::read_to_string(store.config_path()).unwrap();
        assert!(text.contains("[incidents]\nstrict = true\n"), "{text}");
        assert!(store.config().unwrap().incidents.strict);
    }

    #[test]
    fn an_unparsable_file_is_never_overwritten() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let broken = "version = 1\n[integration\nkind = \"halopsa\"\n";
        std::fs::write(store.config_path(), broken).unwrap();
        let err = store.config().unwrap_err();
        assert!(matches!(err, StoreError::Parse { line: 2, .. }), "{err}");
        let err = store
            .edit_config(|c| c.set_integration(Some(&halo())))
            .unwrap_err();
        let store_err = err.downcast_ref::<StoreError>().unwrap();
        assert!(
            matches!(store_err, StoreError::Parse { line: 2, .. }),
            "{store_err}"
        );
        assert_eq!(
            std::fs::read_to_string(store.config_path()).unwrap(),
            broken
        );
    }

    #[test]
    fn a_wrong_type_is_a_parse_error_at_its_line() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        std::fs::write(
            store.config_path(),
            "version = 1\n\n[incidents]\nstrict = \"yes\"\n",
        )
        .unwrap();
        match store.config().unwrap_err() {
            StoreError::Parse {
                line, column, path, ..
            } => {
                assert_eq!(line, 4);
                assert_eq!(column, 10);
                assert!(path.ends_with("config.toml"));
            }
            e => panic!("{e}"),
        }
    }

    #[test]
    fn a_newer_version_is_refused() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        std::fs::write(store.config_path(), "version = 2\n").unwrap();
        let err = store.config().unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        assert!(err.to_string().contains("upgrade psa-link"), "{err}");
        assert_eq!(err.exit(), crate::error::Exit::Config);
    }

    #[test]
    fn dismissed_falls_back_to_resolved() {
        let mut c = Config::default();
        assert_eq!(c.status_for(LifecycleEvent::Dismissed), None);
        c.status_map
            .insert(LifecycleEvent::Resolved, named("9", "Closed"));
        assert_eq!(
            c.status_for(LifecycleEvent::Dismissed),
            Some(&named("9", "Closed"))
        );
        c.status_map
            .insert(LifecycleEvent::Dismissed, named("10", "Cancelled"));
        assert_eq!(
            c.status_for(LifecycleEvent::Dismissed),
            Some(&named("10", "Cancelled"))
        );
    }
}
