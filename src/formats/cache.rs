//! Files opened at execution, once per process: a plan names its files (see
//! `expr::Source`), and the first task that reads one opens it here (maps an `.npy` file,
//! opens a Zarr array); later tasks, and later computations, reuse the open handle while the
//! file's modification time is unchanged. A file replaced since (`to_npy` over it, a store
//! rewritten) is opened again; a file gone is an error naming its path.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use super::io_error;
use crate::error::Result;

/// At most this many open files are kept; the least recently opened goes first.
const CAPACITY: usize = 64;

/// One open file (or array of a store: `name`), as of its modification time.
struct Entry<T> {
    path: PathBuf,
    name: String,
    modified: SystemTime,
    value: Arc<T>,
}

/// Open handles of one kind, keyed by path, name and modification time.
pub(crate) struct OpenCache<T> {
    entries: Mutex<Vec<Entry<T>>>,
}

impl<T> OpenCache<T> {
    pub(crate) const fn new() -> OpenCache<T> {
        OpenCache {
            entries: Mutex::new(Vec::new()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Vec<Entry<T>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The open handle of `name` in `path`, opened by `open` unless one of the file as it is
    /// now is kept.
    ///
    /// **Errors**: the path does not exist or cannot be read (an [`Error::Io`] naming it);
    /// `open`'s error.
    ///
    /// [`Error::Io`]: crate::Error::Io
    pub(crate) fn get(
        &self,
        path: &Path,
        name: &str,
        open: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        let modified = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map_err(|e| io_error(path, e))?;
        {
            let mut entries = self.entries();
            if let Some(at) = entries
                .iter()
                .position(|e| e.path == path && e.name == name)
            {
                if entries[at].modified == modified {
                    return Ok(entries[at].value.clone());
                }
                entries.remove(at);
            }
        }
        // Opened without the lock: opening a store reads its metadata.
        let value = Arc::new(open()?);
        let mut entries = self.entries();
        entries.retain(|e| !(e.path == path && e.name == name));
        if entries.len() >= CAPACITY {
            entries.remove(0);
        }
        entries.push(Entry {
            path: path.to_path_buf(),
            name: name.to_string(),
            modified,
            value: value.clone(),
        });
        Ok(value)
    }

    /// Closes what is kept open of `path` and the files under it (a store about to be
    /// deleted).
    pub(crate) fn forget(&self, path: &Path) {
        self.entries().retain(|e| !e.path.starts_with(path));
    }
}

/// Gives `path` a modification time in the future: what the cache sees of a rewritten file
/// (set explicitly, since two writes in a row may share a clock tick).
#[cfg(test)]
pub(crate) fn touch_later(path: &Path) {
    let later = SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(later))
        .expect("the test's file can be touched");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_opened_again_and_a_missing_one_is_an_error() {
        let dir = std::env::temp_dir().join(format!("tessera-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.bin");
        std::fs::write(&path, b"one").unwrap();
        let cache: OpenCache<Vec<u8>> = OpenCache::new();
        let read = || std::fs::read(&path).map_err(|e| io_error(&path, e));
        let first = cache.get(&path, "", read).unwrap();
        let again = cache.get(&path, "", || panic!("kept open")).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        std::fs::write(&path, b"two").unwrap();
        touch_later(&path);
        assert_eq!(*cache.get(&path, "", read).unwrap(), b"two");
        std::fs::remove_dir_all(&dir).unwrap();
        let error = cache.get(&path, "", read).unwrap_err().to_string();
        assert!(error.contains(&*path.to_string_lossy()), "{error}");
    }
}
