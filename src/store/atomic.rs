//! Atomic file replacement: a temporary file in the same directory (so the rename cannot
//! cross filesystems), written, `fsync`ed, then renamed over the target. A crash leaves
//! either the old file or the new one, never a mix. The existing file's permissions are
//! carried over; a new file is created 0600 (the config dir is private to its user).

use std::io::Write;
use std::path::Path;

use super::StoreError;

/// The file's text, or `None` when it does not exist. Text that is not UTF-8 is a parse
/// error at the first bad byte.
pub fn read_text(path: &Path) -> Result<Option<String>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io("reading", path, e)),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = super::doc::line_col(&prefix, prefix.len());
            Err(StoreError::Parse {
                path: path.display().to_string(),
                line,
                column,
                message: "the file is not UTF-8 text".into(),
            })
        }
    }
}

/// Replaces `path` with `bytes` atomically, creating the directory if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io("creating directory", dir, e))?;
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| StoreError::io("creating a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .map_err(|e| StoreError::io("writing", tmp.path(), e))?;
    let perms = match existing {
        Some(p) => p,
        None => private_permissions(tmp.as_file())?,
    };
    tmp.as_file()
        .set_permissions(perms)
        .map_err(|e| StoreError::io("setting permissions of", tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| StoreError::io("syncing", tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| StoreError::io("replacing", path, e.error))?;
    sync_dir(dir);
    Ok(())
}

#[cfg(unix)]
fn private_permissions(_file: &std::fs::File) -> Result<std::fs::Permissions, StoreError> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn private_permissions(file: &std::fs::File) -> Result<std::fs::Permissions, StoreError> {
    file.metadata()
        .map(|m| m.permissions())
        .map_err(|e| StoreError::io("reading permissions of", Path::new("temporary file"), e))
}

/// Makes the rename itself durable (best effort: not every filesystem allows it).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_creates_the_directory_and_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/config.toml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(read_text(&path).unwrap().as_deref(), Some("two"));
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
    }

    #[test]
    fn missing_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_text(&dir.path().join("nope.toml")).unwrap(), None);
    }

    #[test]
    fn non_utf8_text_is_a_parse_error_at_the_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, b"version = 1\nname = \"\xff\"\n").unwrap();
        match read_text(&path).unwrap_err() {
            StoreError::Parse { line, column, .. } => assert_eq!((line, column), (2, 9)),
            e => panic!("{e}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_new_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mapping.toml");
        write_atomic(&path, b"a").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"b").unwrap();
        assert_eq!(mode(&path), 0o640);
    }
}
