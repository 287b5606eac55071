//! Temporary stores (what `persist()` spills to): a [`TempStore`] is removed when the last plan
//! naming it is dropped, or at process exit while plans still name it. The names carry the
//! process id, so stores left by a process that was killed are removed by the next one that
//! makes a store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, PoisonError};

/// What every temporary store's name starts with (then the process id).
const PREFIX: &str = "tessera-persist-";

/// The stores of this process not yet removed (removed by [`remove_live`] at exit).
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary Zarr store's directory, removed when this is dropped.
#[derive(Debug, PartialEq)]
pub(crate) struct TempStore {
    path: PathBuf,
}

impl TempStore {
    /// A new, not yet created, store path in the system's temporary directory.
    pub(crate) fn new() -> TempStore {
        static START: Once = Once::new();
        START.call_once(|| {
            remove_orphans();
            // SAFETY: `remove_live` is an `extern "C" fn()` that does not unwind.
            unsafe { libc::atexit(remove_live) };
        });
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{PREFIX}{}-{}.zarr",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        live().push(path.clone());
        TempStore { path }
    }

    /// The store's directory.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        super::forget_zarr(&self.path);
        let _ = std::fs::remove_dir_all(&self.path);
        live().retain(|p| *p != self.path);
    }
}

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes the stores still named by plans when the process exits.
extern "C" fn remove_live() {
    let paths = std::mem::take(&mut *live());
    for path in paths {
        let _ = std::fs::remove_dir_all(&path);
        let _ = std::fs::remove_dir_all(super::partial_path(&path));
    }
}

/// Removes the stores (and partial writes) of processes that no longer run.
fn remove_orphans() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !running(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` runs (on systems without `/proc`, every process is taken to run, so
/// nothing is removed).
fn running(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}
