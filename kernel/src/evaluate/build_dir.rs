//! A persistent evcxr build directory, so a new kernel does not compile the engine and its
//! dependencies again (cold: ~25 s; warm: ~1.5 s). evcxr allows one kernel per directory, so
//! each kernel claims the first free `evcxr-N` under the cache directory with an exclusive lock
//! held for its lifetime; `./install` (through `tessera-kernel warm`) fills `evcxr-0`, and a
//! slot used for the first time is seeded by copying a warm one ([`seed`]), so a second kernel
//! running at the same time starts warm too.

use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// How many directories a machine may keep: one per kernel running at the same time (standby
/// kernels included), each made when first needed, by copying a warm one. A kernel beyond this
/// gets evcxr's temporary directory, which compiles the engine and needs the network (it says
/// so in its log).
pub const SLOTS: usize = 64;

/// `$TESSERA_CACHE_DIR`, else `$XDG_CACHE_HOME/tessera`, else `~/.cache/tessera`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TESSERA_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("tessera")
}

/// Claims a free build directory for this process and points evcxr at it (`EVCXR_TMPDIR`).
/// Returns it, or `None` (evcxr then uses a temporary directory) if none could be locked.
/// Call while the process has one thread (it sets an environment variable).
pub fn claim() -> Option<PathBuf> {
    let base = cache_dir();
    super::guards::apply(&base);
    // The slots hold every cell's source: the user's only.
    crate::private_files::own_dir(&base).ok()?;
    optimize_dependencies(&base);
    for slot in 0..SLOTS {
        let dir = base.join(format!("evcxr-{slot}"));
        let Ok(lock) = crate::private_files::create(&base.join(format!("evcxr-{slot}.lock")))
        else {
            continue;
        };
        // SAFETY: flock on a descriptor we own.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            // Held until the process exits.
            std::mem::forget(lock);
            super::owned_env::set("EVCXR_TMPDIR", &dir);
            add_std_to_library_path();
            super::python_env::use_user_python();
            return Some(dir);
        }
    }
    eprintln!(
        "tessera-kernel: all {SLOTS} build directories in {} are in use by running kernels; \
         this one compiles the engine in a temporary directory, which needs the network",
        base.display()
    );
    None
}

/// Fills the claimed slot `dir` (empty: never used) with a copy of a warm slot, if there is
/// one, instead of letting evcxr compile the engine into it again (~25 s).
///
/// The copy goes to a temporary name first and is renamed into place, so an interrupted copy
/// is never mistaken for a slot. The warm slot may be in use by another kernel: its cells'
/// crate can change during the copy, but evcxr rebuilds that crate at every cell anyway, and
/// the engine's artifacts, which are what the copy is for, change only when the engine does.
/// `cp -a` keeps modification times, which cargo's freshness checks compare. Files that vanish
/// during the copy (the cells' crate's outputs, when that kernel is compiling a cell) are not
/// an error: cp copies the rest, and evcxr builds the cells' crate again anyway.
pub fn seed(dir: &Path) {
    if dir.join("target").exists() {
        return;
    }
    let Some(base) = dir.parent() else { return };
    let Some(warm) = (0..SLOTS)
        .map(|slot| base.join(format!("evcxr-{slot}")))
        .find(|other| other != dir && other.join("target").is_dir())
    else {
        return;
    };
    let copy = dir.with_extension(format!("seeding-{}", std::process::id()));
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(&warm)
        .arg(&copy)
        .stderr(std::process::Stdio::piped())
        .output()
        .is_ok_and(|out| {
            let errors = String::from_utf8_lossy(&out.stderr);
            out.status.success()
                || (out.status.code() == Some(1)
                    && !errors.trim().is_empty()
                    && errors
                        .lines()
                        .all(|line| line.ends_with("No such file or directory")))
        });
    let _ = std::fs::remove_dir_all(dir);
    if !copied || std::fs::rename(&copy, dir).is_err() {
        eprintln!(
            "tessera-kernel: could not copy the warm build directory {}; building {} anew",
            warm.display(),
            dir.display()
        );
        let _ = std::fs::remove_dir_all(&copy);
    }
}

/// Cargo settings for every build directory under `base`: dependencies (the engine, ndarray, …)
/// built fully optimized. evcxr's generated `Cargo.toml` builds everything with overflow checks
/// and debug assertions, which leave the engine's inner loops 2–3× slower; cells themselves keep
/// them (they help users). Cargo reads this file because evcxr runs it inside the directory.
fn optimize_dependencies(base: &std::path::Path) {
    const CONFIG: &str = "# Written by tessera-kernel: the engine and other dependencies of notebook cells are\n\
                          # compiled fully optimized (evcxr's defaults keep debug checks on).\n\
                          [profile.dev.package.\"*\"]\nopt-level = 3\ndebug-assertions = false\noverflow-checks = false\n";
    let dir = base.join(".cargo");
    let file = dir.join("config.toml");
    if std::fs::read_to_string(&file).ok().as_deref() != Some(CONFIG) {
        let _ = crate::private_files::create_dir(&dir)
            .and_then(|_| crate::private_files::write(&file, CONFIG.as_bytes()));
    }
}

/// Cells are linked against the toolchain's `libstd-*.so` through a relative run path that rustc
/// gets wrong for some build directories (under `$HOME`, next to `~/.rustup`), and then `dlopen`
/// fails. Putting the toolchain's library directory on `LD_LIBRARY_PATH`, which the cell
/// process inherits, makes loading independent of where the directory is.
fn add_std_to_library_path() {
    let ask = |args: &[&str]| {
        std::process::Command::new("rustc")
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let (Some(sysroot), Some(verbose)) = (ask(&["--print", "sysroot"]), ask(&["-vV"])) else {
        return;
    };
    let Some(host) = verbose.lines().find_map(|l| l.strip_prefix("host: ")) else {
        return;
    };
    let lib = PathBuf::from(sysroot)
        .join("lib/rustlib")
        .join(host)
        .join("lib");
    super::owned_env::prepend_path("LD_LIBRARY_PATH", lib);
}
