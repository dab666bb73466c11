//! TOML plumbing shared by `config.toml`, `mapping.toml` and `secrets.toml`: error
//! positions, typed values as styled `toml_edit` items, and the in-place merge that keeps
//! a technician's comments and hand edits.

use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::StoreError;

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

/// A parse error at `span` (the start of the file when the parser gave none).
pub(crate) fn parse_error(
    path: &Path,
    text: &str,
    span: Option<Range<usize>>,
    message: &str,
) -> StoreError {
    let (line, column) = span.map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    StoreError::Parse {
        path: path.display().to_string(),
        line,
        column,
        message,
    }
}

/// The editable document, or the syntax error's position.
pub(crate) fn parse_doc(path: &Path, text: &str) -> Result<DocumentMut, StoreError> {
    text.parse::<DocumentMut>()
        .map_err(|e| parse_error(path, text, e.span(), e.message()))
}

/// The typed view, or the position of the first syntax or type error.
pub(crate) fn parse_typed<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, StoreError> {
    toml_edit::de::from_str(text).map_err(|e| parse_error(path, text, e.span(), e.message()))
}

/// Refuses files written by a newer psa-link.
pub(crate) fn check_version(path: &Path, found: u32, supported: u32) -> Result<(), StoreError> {
    if found > supported {
        return Err(StoreError::Invalid(format!(
            "{} was written by a newer psa-link (file version {found}; this psa-link understands up to {supported}): upgrade psa-link (the file was left untouched)",
            path.display()
        )));
    }
    Ok(())
}

/// Writes an edited file, but only if it reads back as exactly what the edit intended:
/// psa-link never writes a file it could not read itself.
pub(crate) fn write_checked<T: PartialEq>(
    path: &Path,
    text: &str,
    intended: &T,
    load: impl Fn(&Path, &str) -> Result<T, StoreError>,
) -> Result<(), StoreError> {
    let problem = match load(path, text) {
        Ok(reread) if reread == *intended => {
            return super::atomic::write_atomic(path, text.as_bytes());
        }
        Ok(_) => "it reads back with different values".to_string(),
        Err(e) => e.to_string(),
    };
    Err(StoreError::Invalid(format!(
        "internal error: the edited {} would not read back as intended ({problem}); nothing was written",
        path.display()
    )))
}

/// A typed value as a `toml_edit` table. Nested tables are inline (`{ id = 3, name = ".." }`)
/// except where `standard(path)` asks for a `[header]` table.
pub(crate) fn to_table<T: Serialize + ?Sized>(
    value: &T,
    standard: &dyn Fn(&[&str]) -> bool,
) -> Result<Table, StoreError> {
    let doc = toml_edit::ser::to_document(value)
        .map_err(|e| StoreError::Invalid(format!("cannot write this value as TOML: {e}")))?;
    let mut table = doc.as_table().clone();
    style(&mut table, &mut Vec::new(), standard);
    Ok(table)
}

fn style(table: &mut Table, path: &mut Vec<String>, standard: &dyn Fn(&[&str]) -> bool) {
    for (key, item) in table.iter_mut() {
        path.push(key.get().to_string());
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        if item.is_inline_table() && standard(&names) {
            let inline = std::mem::take(item);
            if let Ok(mut t) = inline.into_table() {
                // An empty one is not written at all.
                t.set_implicit(true);
                *item = Item::Table(t);
            }
        }
        if let Item::Table(t) = item {
            style(t, path, standard);
        }
        path.pop();
    }
}

/// Whether two freshly serialised items hold the same data.
fn same(a: &Item, b: &Item) -> bool {
    canonical(a) == canonical(b)
}

fn canonical(item: &Item) -> String {
    match item.clone().into_value() {
        Ok(mut v) => {
            v.decor_mut().clear();
            if let Value::InlineTable(t) = &mut v {
                t.fmt();
            }
            v.to_string()
        }
        Err(other) => other.to_string(),
    }
}

/// Brings `doc` from `old` to `new` (both freshly serialised typed values), touching only
/// what changed: an unchanged key keeps its formatting and comments; a changed scalar is
/// replaced in place with its surrounding whitespace and trailing comment; a changed
/// table is merged key by key; a key psa-link knew (in `old`) and no longer has is removed;
/// keys psa-link does not know (hand-added) are left alone.
pub(crate) fn merge(doc: &mut dyn TableLike, old: Option<&dyn TableLike>, new: &dyn TableLike) {
    for (key, new_item) in new.iter() {
        let old_item = old.and_then(|o| o.get(key));
        if old_item.is_some_and(|o| same(o, new_item)) {
            continue;
        }
        match doc.get_mut(key) {
            Some(doc_item) => replace(doc_item, old_item, new_item),
            None => {
                doc.insert(key, new_item.clone());
            }
        }
    }
    if let Some(old) = old {
        let gone: Vec<String> = old
            .iter()
            .filter(|(k, _)| !new.contains_key(k))
            .map(|(k, _)| k.to_string())
            .collect();
        for key in gone {
            doc.remove(&key);
        }
    }
}

/// Replaces one item in place (see [`merge`]).
pub(crate) fn replace(doc_item: &mut Item, old_item: Option<&Item>, new_item: &Item) {
    if let (Some(d), Some(n)) = (doc_item.as_table_like_mut(), new_item.as_table_like()) {
        merge(d, old_item.and_then(Item::as_table_like), n);
        return;
    }
    let mut fresh = new_item.clone();
    if let (Some(dv), Some(nv)) = (doc_item.as_value(), fresh.as_value_mut()) {
        *nv.decor_mut() = dv.decor().clone();
    }
    *doc_item = fresh;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "a = 1\nnäme = x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // "x" follows a two-byte character: column counts characters.
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 8));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn syntax_errors_carry_their_position() {
        let text = "version = 1\n\n[source\nkind = \"file\"\n";
        match parse_doc(Path::new("/c/config.toml"), text).unwrap_err() {
            StoreError::Parse {
                path,
                line,
                column,
                message,
            } => {
                assert_eq!(path, "/c/config.toml");
                assert_eq!(line, 3);
                assert!(column > 1, "{column}");
                assert!(!message.contains('\n'));
            }
            e => panic!("{e}"),
        }
    }

    #[test]
    fn merge_keeps_comments_and_unknown_keys_and_replaces_in_place() {
        let mut doc: DocumentMut = "# top\n[t]\n# about a\na = 1 # one\nmine = \"hand\"\nb = 2\n"
            .parse()
            .unwrap();
        let old: DocumentMut = "a = 1\nb = 2\n".parse().unwrap();
        let new: DocumentMut = "a = 5\nc = 3\n".parse().unwrap();
        let t = doc["t"].as_table_like_mut().unwrap();
        merge(t, Some(old.as_table()), new.as_table());
        assert_eq!(
            doc.to_string(),
            "# top\n[t]\n# about a\na = 5 # one\nmine = \"hand\"\nc = 3\n"
        );
    }

    #[test]
    fn unchanged_values_keep_their_own_formatting() {
        let mut doc: DocumentMut = "a   =   { id = \"1\",name=\"x\" }\n".parse().unwrap();
        let old: DocumentMut = "a = { id = \"1\", name = \"x\" }\n".parse().unwrap();
        let before = doc.to_string();
        merge(doc.as_table_mut(), Some(old.as_table()), old.as_table());
        assert_eq!(doc.to_string(), before);
    }
}
