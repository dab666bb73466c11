//! `mapping.toml`: Huntress organization id -> PSA company.
//!
//! Written for people and for git: one `[organizations.<id>]` table per organization, in
//! organization-id order (a new entry lands at its sorted place, not at the end), so a
//! `map auto` run shows up in a diff as a few added or changed blocks. Comments, blank
//! lines, the order a technician chose and keys psa-link does not know are kept.
//!
//! ```toml
//! # psa-link organization mapping: Huntress organization id -> PSA company.
//! # "manual" pairs are never changed by `map auto`. Hand edits and comments are kept.
//! version = 1
//! psa = "halopsa:acme.halopsa.com"
//!
//! [organizations.101]
//! name = "Able Moose Accounting"
//! company = { id = 3, name = "Able Moose Accounting" }
//! how = "auto"
//! ```
//!
//! `psa` names the PSA the company ids belong to (`Psa::identity`). Keys under
//! `organizations` are organization ids written as plain decimal numbers; anything else
//! is a parse error naming its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_edit::{DocumentMut, Item, Table, TableLike, value};

use super::atomic::read_text;
use super::doc::{
    check_version, parse_doc, parse_error, parse_typed, replace, to_table, write_checked,
};
use super::{MAPPING_VERSION, Mapping, MappingEntry, Store, StoreError};

pub const MAPPING_FILE: &str = "mapping.toml";

const NEW_FILE: &str = "\
# psa-link organization mapping: Huntress organization id -> PSA company.
# \"manual\" pairs are never changed by `map auto`. Hand edits and comments are kept.
version = 1
";

const ORGANIZATIONS: &str = "organizations";

impl Store {
    pub fn mapping_path(&self) -> PathBuf {
        self.path(MAPPING_FILE)
    }

    /// The mapping; empty when there is no file yet.
    pub fn mapping(&self) -> Result<Mapping, StoreError> {
        let path = self.mapping_path();
        match read_text(&path)? {
            None => Ok(Mapping::default()),
            Some(text) => load(&path, &text),
        }
    }

    /// A locked read-modify-write of `mapping.toml` (see [`Store::edit_config`] for the
    /// guarantees).
    pub fn edit_mapping<R>(
        &self,
        f: impl FnOnce(&mut MappingEdit) -> anyhow::Result<R>,
    ) -> anyhow::Result<R> {
        let path = self.mapping_path();
        let _lock = self.lock(&path)?;
        let before = read_text(&path)?;
        let mut edit = MappingEdit::parse(&path, before.as_deref().unwrap_or(NEW_FILE))?;
        let result = f(&mut edit)?;
        edit.sort();
        let after = edit.doc.to_string();
        if edit.changed && before.as_deref() != Some(after.as_str()) {
            write_checked(&path, &after, &edit.mapping, load)?;
        }
        Ok(result)
    }
}

/// The file as written, before organization ids are checked.
#[derive(Deserialize)]
struct RawMapping {
    #[serde(default = "mapping_version")]
    version: u32,
    #[serde(default)]
    psa: Option<String>,
    #[serde(default)]
    organizations: BTreeMap<String, MappingEntry>,
}

fn mapping_version() -> u32 {
    MAPPING_VERSION
}

fn load(path: &Path, text: &str) -> Result<Mapping, StoreError> {
    let raw: RawMapping = parse_typed(path, text)?;
    check_version(path, raw.version, MAPPING_VERSION)?;
    let mut organizations = BTreeMap::new();
    for (key, entry) in raw.organizations {
        match org_id(&key) {
            Some(id) => {
                organizations.insert(id, entry);
            }
            None => return Err(bad_key(path, text, &key)),
        }
    }
    Ok(Mapping {
        version: raw.version,
        psa: raw.psa,
        organizations,
    })
}

/// An organization id as written in a key: plain decimal, so each id has one spelling.
fn org_id(key: &str) -> Option<i64> {
    key.parse::<i64>().ok().filter(|id| id.to_string() == key)
}

fn bad_key(path: &Path, text: &str, key: &str) -> StoreError {
    let span = toml_edit::Document::parse(text).ok().and_then(|doc| {
        doc.get(ORGANIZATIONS)
            .and_then(Item::as_table_like)
            .and_then(|t| t.key(key))
            .and_then(|k| k.span())
    });
    parse_error(
        path,
        text,
        span,
        &format!(
            "`{key}` under [organizations] is not an organization id (write the Huntress organization's numeric id, e.g. [organizations.101])"
        ),
    )
}

/// One `[organizations.<id>]` table; its `company` stays inline.
fn entry_item(entry: &MappingEntry) -> Item {
    // Strings, integers and a unit enum: always representable in TOML.
    let mut t = to_table(entry, &|_| false).expect("a mapping entry serialises to TOML");
    t.set_implicit(false);
    Item::Table(t)
}

/// `mapping.toml` being edited.
pub struct MappingEdit {
    doc: DocumentMut,
    mapping: Mapping,
    /// An entry was added (so the ids must be put back in order).
    added: bool,
    /// Anything changed (an edit that changes nothing creates no file).
    changed: bool,
}

impl MappingEdit {
    fn parse(path: &Path, text: &str) -> Result<MappingEdit, StoreError> {
        let doc = parse_doc(path, text)?;
        let mapping = load(path, text)?;
        Ok(MappingEdit {
            doc,
            mapping,
            added: false,
            changed: false,
        })
    }

    /// The mapping as edited so far.
    pub fn current(&self) -> Mapping {
        self.mapping.clone()
    }

    /// The mapping as edited so far, without a copy.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    pub fn get(&self, org_id: i64) -> Option<&MappingEntry> {
        self.mapping.organizations.get(&org_id)
    }

    /// Adds or changes one organization's pair. An existing block is changed in place
    /// (its comments and unknown keys kept); a new one goes to its place in id order.
    pub fn set(&mut self, org_id: i64, entry: &MappingEntry) {
        let old = self.mapping.organizations.get(&org_id);
        if old == Some(entry) {
            return;
        }
        let new_item = entry_item(entry);
        let old_item = old.map(entry_item);
        let key = org_id.to_string();
        let orgs = self.organizations_mut();
        match orgs.get_mut(&key) {
            Some(doc_item) => replace(doc_item, old_item.as_ref(), &new_item),
            None => {
                orgs.insert(&key, new_item);
                self.added = true;
            }
        }
        self.mapping.organizations.insert(org_id, entry.clone());
        self.changed = true;
    }

    /// Removes one organization's pair (and the comments above it).
    pub fn remove(&mut self, org_id: i64) -> Option<MappingEntry> {
        let removed = self.mapping.organizations.remove(&org_id)?;
        if let Some(orgs) = self
            .doc
            .get_mut(ORGANIZATIONS)
            .and_then(Item::as_table_like_mut)
        {
            orgs.remove(&org_id.to_string());
        }
        self.changed = true;
        Some(removed)
    }

    /// Records which PSA the company ids belong to.
    pub fn set_psa(&mut self, psa: Option<&str>) {
        if self.mapping.psa.as_deref() == psa {
            return;
        }
        match psa {
            Some(p) => match self.doc.get_mut("psa") {
                Some(item) => replace(item, None, &value(p)),
                None => {
                    self.doc.insert("psa", value(p));
                }
            },
            None => {
                self.doc.remove("psa");
            }
        }
        self.mapping.psa = psa.map(str::to_string);
        self.changed = true;
    }

    fn organizations_mut(&mut self) -> &mut dyn TableLike {
        if !self.doc.get(ORGANIZATIONS).is_some_and(Item::is_table_like) {
            let mut t = Table::new();
            t.set_implicit(true);
            self.doc.insert(ORGANIZATIONS, Item::Table(t));
        }
        self.doc[ORGANIZATIONS]
            .as_table_like_mut()
            .expect("organizations is a table")
    }

    /// Puts new entries at their place in id order. Tables already in the file keep the
    /// position they were written at; a new table without a position is written right
    /// after the table before it in this order, so sorting the keys is enough.
    fn sort(&mut self) {
        if !self.added {
            return;
        }
        if let Some(orgs) = self.doc.get_mut(ORGANIZATIONS).and_then(Item::as_table_mut) {
            orgs.sort_values_by(|a, _, b, _| {
                let key = |k: &toml_edit::Key| org_id(k.get()).unwrap_or(i64::MAX);
                key(a).cmp(&key(b))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CompanyRef, How};

    fn entry(name: &str, company: i64, how: How) -> MappingEntry {
        MappingEntry {
            name: name.into(),
            company: CompanyRef {
                id: company,
                name: format!("{name} Ltd"),
            },
            how,
        }
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("cfg"));
        (dir, store)
    }

    fn text(store: &Store) -> String {
        std::fs::read_to_string(store.mapping_path()).unwrap()
    }

    #[test]
    fn a_new_file_has_the_header_and_entries_in_id_order() {
        let (_d, store) = store();
        store
            .edit_mapping(|m| {
                m.set_psa(Some("halopsa:acme.halopsa.com"));
                m.set(300, &entry("Cobalt", 5, How::Manual));
                m.set(101, &entry("Able Moose", 3, How::Auto));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            text(&store),
            "\
# psa-link organization mapping: Huntress organization id -> PSA company.
# \"manual\" pairs are never changed by `map auto`. Hand edits and comments are kept.
version = 1
psa = \"halopsa:acme.halopsa.com\"

[organizations.101]
name = \"Able Moose\"
company = { id = 3, name = \"Able Moose Ltd\" }
how = \"auto\"

[organizations.300]
name = \"Cobalt\"
company = { id = 5, name = \"Cobalt Ltd\" }
how = \"manual\"
"
        );
        let m = store.mapping().unwrap();
        assert_eq!(m.psa.as_deref(), Some("halopsa:acme.halopsa.com"));
        assert_eq!(
            m.organizations.keys().copied().collect::<Vec<_>>(),
            [101, 300]
        );
    }

    #[test]
    fn hand_edits_survive_and_a_new_entry_lands_in_id_order() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let hand = "\
# our mapping -- reviewed in PRs
version = 1
psa = \"halopsa:acme.halopsa.com\"

# pinned by Dana, 2024-03
[organizations.101]
name = \"Able Moose\"
company = { id = 3, name = \"Able Moose Ltd\" } # their billing entity
how = \"manual\"
ticket_note = \"call before remediation\"

[organizations.300]
name = \"Cobalt\"
company = { id = 5, name = \"Cobalt Ltd\" }
how = \"auto\"
";
        std::fs::write(store.mapping_path(), hand).unwrap();
        store
            .edit_mapping(|m| {
                m.set(200, &entry("Birch", 4, How::Auto));
                m.set(50, &entry("Aardvark", 2, How::Auto));
                m.set(301, &entry("Delta", 6, How::Auto));
                Ok(())
            })
            .unwrap();
        let after = text(&store);
        let order: Vec<&str> = after
            .lines()
            .filter(|l| l.starts_with("[organizations."))
            .collect();
        assert_eq!(
            order,
            [
                "[organizations.50]",
                "[organizations.101]",
                "[organizations.200]",
                "[organizations.300]",
                "[organizations.301]"
            ]
        );
        assert!(after.starts_with("# our mapping -- reviewed in PRs\n"));
        assert!(after.contains("# pinned by Dana, 2024-03\n[organizations.101]"));
        assert!(after.contains("# their billing entity\n"));
        assert!(after.contains("ticket_note = \"call before remediation\"\n"));
        assert_eq!(store.mapping().unwrap().organizations.len(), 5);
    }

    #[test]
    fn changing_an_entry_touches_only_the_changed_keys() {
        let (_d, store) = store();
        store
            .edit_mapping(|m| {
                m.set(101, &entry("Able Moose", 3, How::Auto));
                Ok(())
            })
            .unwrap();
        let hand = text(&store).replace("how = \"auto\"", "how = \"auto\" # checked");
        std::fs::write(store.mapping_path(), &hand).unwrap();
        let mut renamed = entry("Able Moose", 3, How::Auto);
        renamed.name = "Able Moose Accounting".into();
        store
            .edit_mapping(|m| {
                m.set(101, &renamed);
                Ok(())
            })
            .unwrap();
        assert_eq!(
            text(&store),
            hand.replace("\"Able Moose\"", "\"Able Moose Accounting\"")
        );
    }

    #[test]
    fn a_new_entry_is_not_placed_inside_its_neighbour_when_that_has_subtables() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        std::fs::write(
            store.mapping_path(),
            "version = 1\n\n[organizations.1]\nname = \"A\"\nhow = \"auto\"\n\n[organizations.1.company]\nid = 1\nname = \"A\"\n\n[organizations.9]\nname = \"Z\"\nhow = \"auto\"\ncompany = { id = 9, name = \"Z\" }\n",
        )
        .unwrap();
        store
            .edit_mapping(|m| {
                m.set(5, &entry("M", 5, How::Auto));
                Ok(())
            })
            .unwrap();
        let after = text(&store);
        let sub = after.find("[organizations.1.company]").unwrap();
        let new = after.find("[organizations.5]").unwrap();
        let last = after.find("[organizations.9]").unwrap();
        assert!(sub < new && new < last, "{after}");
        assert_eq!(store.mapping().unwrap().organizations.len(), 3);
    }

    #[test]
    fn remove_takes_out_one_block() {
        let (_d, store) = store();
        store
            .edit_mapping(|m| {
                m.set(1, &entry("A", 1, How::Auto));
                m.set(2, &entry("B", 2, How::Manual));
                Ok(())
            })
            .unwrap();
        let removed = store.edit_mapping(|m| Ok(m.remove(1))).unwrap();
        assert_eq!(removed, Some(entry("A", 1, How::Auto)));
        assert_eq!(store.edit_mapping(|m| Ok(m.remove(1))).unwrap(), None);
        let m = store.mapping().unwrap();
        assert_eq!(m.organizations.keys().copied().collect::<Vec<_>>(), [2]);
        assert!(!text(&store).contains("[organizations.1]"));
    }

    #[test]
    fn a_non_numeric_key_is_a_parse_error_naming_its_line() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let bad = "version = 1\n\n[organizations.101]\nname = \"A\"\ncompany = { id = 1, name = \"A\" }\nhow = \"auto\"\n\n[organizations.acme]\nname = \"B\"\ncompany = { id = 2, name = \"B\" }\nhow = \"auto\"\n";
        std::fs::write(store.mapping_path(), bad).unwrap();
        match store.mapping().unwrap_err() {
            StoreError::Parse { line, message, .. } => {
                assert_eq!(line, 8);
                assert!(message.contains("`acme`"), "{message}");
            }
            e => panic!("{e}"),
        }
        assert!(store.edit_mapping(|m| Ok(m.remove(101))).is_err());
        assert_eq!(text(&store), bad);
    }

    #[test]
    fn an_unparsable_mapping_is_never_overwritten() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let bad = "version = 1\n[organizations.101]\nname = \"A\ncompany = 3\n";
        std::fs::write(store.mapping_path(), bad).unwrap();
        let err = store
            .edit_mapping(|m| {
                m.set(5, &entry("M", 5, How::Auto));
                Ok(())
            })
            .unwrap_err();
        match err.downcast_ref::<StoreError>() {
            Some(StoreError::Parse { line, column, .. }) => {
                assert_eq!(*line, 3);
                assert!(*column >= 8);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(text(&store), bad);
        // A type error (missing `how`) is refused the same way.
        let typed =
            "version = 1\n[organizations.101]\nname = \"A\"\ncompany = { id = 1, name = \"A\" }\n";
        std::fs::write(store.mapping_path(), typed).unwrap();
        assert!(matches!(
            store.mapping().unwrap_err(),
            StoreError::Parse { line: 2, .. }
        ));
        assert!(store.edit_mapping(|m| Ok(m.remove(101))).is_err());
        assert_eq!(text(&store), typed);
    }

    #[test]
    fn concurrent_writers_are_serialised() {
        let (_d, store) = store();
        std::thread::scope(|s| {
            for t in 0..6i64 {
                let store = store.clone();
                s.spawn(move || {
                    for i in 0..5i64 {
                        let id = t * 100 + i;
                        store
                            .edit_mapping(|m| {
                                m.set(id, &entry(&format!("Org {id}"), id, How::Auto));
                                Ok(())
                            })
                            .unwrap();
                    }
                });
            }
        });
        let m = store.mapping().unwrap();
        assert_eq!(m.organizations.len(), 30);
        let ids: Vec<i64> = text(&store)
            .lines()
            .filter_map(|l| {
                l.strip_prefix("[organizations.")?
                    .strip_suffix(']')?
                    .parse()
                    .ok()
            })
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }
}
