//! What a standby kernel must share with the process that adopts it: the same kernel binary,
//! the same engine sources and the same Python. A standby warmed with anything else would run
//! cells against another engine build or another interpreter, so it is never adopted: its key
//! differs, and it listens on another socket.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The key of a standby this process could adopt, or would start: 16 hex digits.
///
/// It covers the kernel binary (path, size, modification time: a rebuilt kernel is another
/// key), the engine's fingerprint (`tessera::graph::wire::ENGINE`, what the dask workers'
/// wheel checks) and the size and modification time of every engine source the cells compile
/// (edited sources would be compiled by the first cell), and the Python environment cells use
/// (its `sys.prefix` and interpreter). `DefaultHasher` is the same in both processes: they run
/// the same binary.
pub fn current() -> String {
    let mut hasher = DefaultHasher::new();
    if let Ok(exe) = std::env::current_exe() {
        exe.hash(&mut hasher);
        stat(&exe).hash(&mut hasher);
    }
    tessera::graph::wire::ENGINE.hash(&mut hasher);
    let engine = crate::evaluate::engine_path();
    engine.hash(&mut hasher);
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        stat(&engine.join(file)).hash(&mut hasher);
    }
    let mut sources: Vec<_> = walkdir::WalkDir::new(engine.join("src"))
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| (entry.path().to_path_buf(), stat(entry.path())))
        .collect();
    sources.sort();
    sources.hash(&mut hasher);
    crate::evaluate::python_identity().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// (size, modification time in ns), or zeros for a file that is not there.
fn stat(path: &Path) -> (u64, u128) {
    std::fs::metadata(path)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (m.len(), modified)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_key_is_stable_and_hex() {
        let key = super::current();
        assert_eq!(key.len(), 16);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(key, super::current());
    }
}
