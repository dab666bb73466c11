//! Sidecar lock files: `config.toml.lock` guards `config.toml`, and so on.
//!
//! The lock lives beside the data file rather than on it because every write replaces the
//! data file by a rename: a lock held on the old inode would not protect the new one. The
//! lock is an OS advisory lock (`File::lock`: `flock` on Unix, `LockFileEx` on Windows),
//! released by the OS when the holder exits or crashes, so a stale lock file on disk is
//! harmless and is never deleted.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::StoreError;

/// Told which data file a run is waiting for, once, when the wait starts.
pub type WaitNotice = Arc<dyn Fn(&Path) + Send + Sync>;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Default)]
pub(crate) struct Locking {
    pub(crate) timeout: Option<Duration>,
    pub(crate) notice: Option<WaitNotice>,
}

/// A held lock; released on drop.
#[derive(Debug)]
pub struct FileLock {
    // Closing the handle releases the lock.
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `config.toml` -> `config.toml.lock`.
pub fn lock_path(data: &Path) -> PathBuf {
    let mut name = data.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    data.with_file_name(name)
}

impl Locking {
    fn timeout(&self) -> Duration {
        self.timeout.unwrap_or_else(|| {
            std::env::var("PSA_LINK_LOCK_TIMEOUT")
                .ok()
                .and_then(|s| s.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64)
                .unwrap_or(DEFAULT_TIMEOUT)
        })
    }

    /// Takes the lock of `data`, waiting for another holder up to the timeout.
    pub(crate) fn acquire(&self, data: &Path) -> Result<FileLock, StoreError> {
        let path = lock_path(data);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::io("creating directory", dir, e))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io("opening lock file", &path, e))?;
        if try_lock(&file, &path)? {
            return Ok(FileLock { _file: file, path });
        }
        if let Some(notice) = &self.notice {
            notice(data);
        }
        let deadline = Instant::now() + self.timeout();
        let mut pause = Duration::from_millis(20);
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::Locked {
                    path: data.display().to_string(),
                    lock: path.display().to_string(),
                });
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(250));
            if try_lock(&file, &path)? {
                return Ok(FileLock { _file: file, path });
            }
        }
    }
}

fn try_lock(file: &File, path: &Path) -> Result<bool, StoreError> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(StoreError::io("locking", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn lock_file_sits_beside_the_data_file() {
        assert_eq!(
            lock_path(Path::new("/x/config.toml")),
            PathBuf::from("/x/config.toml.lock")
        );
    }

    #[test]
    fn a_second_run_waits_then_gives_up_with_locked() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("config.toml");
        let first = Locking::default().acquire(&data).unwrap();
        let told = Arc::new(Mutex::new(Vec::new()));
        let seen = told.clone();
        let second = Locking {
            timeout: Some(Duration::from_millis(150)),
            notice: Some(Arc::new(move |p: &Path| {
                seen.lock().unwrap().push(p.to_path_buf())
            })),
        };
        let started = Instant::now();
        let err = second.acquire(&data).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.fix().unwrap().contains("wait for the other run"));
        assert_eq!(*told.lock().unwrap(), vec![data.clone()]);
        drop(first);
        // Released: the next one gets it at once, without a notice.
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let third = Locking {
            timeout: Some(Duration::from_millis(10)),
            notice: Some(Arc::new(move |_: &Path| {
                c.fetch_add(1, Ordering::SeqCst);
            })),
        };
        third.acquire(&data).unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_waiting_run_gets_the_lock_when_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("mapping.toml");
        let first = Locking::default().acquire(&data).unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(first);
        });
        let waiting = Locking {
            timeout: Some(Duration::from_secs(10)),
            notice: None,
        };
        waiting.acquire(&data).unwrap();
        releaser.join().unwrap();
    }
}
