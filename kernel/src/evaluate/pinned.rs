//! A start that is the same every time and needs no network: the cells' crate gets the
//! dependency versions of the kernel's own copy of the engine, and the engine is loaded with
//! cargo offline.
//!
//! evcxr's first snippet (a crate without dependencies) makes cargo rewrite the build
//! directory's `Cargo.lock` down to one package, so the engine's `:dep` would resolve its whole
//! dependency graph again at every start: ~1.5 s online, a failure offline, and, whenever a
//! dependency publishes a compatible release, a silent move to it (a rebuild, and cells running
//! other versions than the kernel's engine). Restoring the checkout's lockfile before the `:dep`
//! pins the versions; offline mode makes sure nothing is fetched. It is switched off again
//! afterwards, so a user's own `:dep foo = "1"` still reaches the registry.

use std::path::{Path, PathBuf};

use evcxr::CommandContext;

/// The linker cells are built with. evcxr picks `mold` or `lld` when one is on `PATH`, and
/// `lld` changes `RUSTFLAGS`, which rebuilds every dependency: one appearing on `PATH` after the
/// build slots were warmed would cost a cold start. The platform's linker is always there.
pub const LINKER: &str = "system";

/// Loads the engine (see [`super::preamble`]) into a started evcxr, pinned and offline.
///
/// **Errors**: the engine does not build, or evcxr refuses a setting.
pub(super) fn load_engine(context: &mut CommandContext, engine: &Path) -> Result<(), evcxr::Error> {
    context.execute(&format!(":linker {LINKER}"))?;
    // Without a lockfile to restore (an engine installed without one, or no build slot), the
    // start resolves online as before rather than failing offline.
    let offline = restore_lockfile(engine);
    if offline {
        context.execute(":offline 1")?;
    }
    let loaded = context.execute(&super::preamble(engine));
    if offline {
        // evcxr writes this into the crate's `.cargo/config.toml` at its next analysis or
        // compile (the rust-analyzer warm-up, right after this).
        context.execute(":offline 0")?;
    }
    loaded.map(drop)
}

/// The build directory evcxr uses (set by [`super::build_dir::claim`]).
pub fn crate_dir() -> Option<PathBuf> {
    std::env::var_os("EVCXR_TMPDIR").map(PathBuf::from)
}

/// Copies the checkout's `Cargo.lock` into the cells' crate; whether it did.
fn restore_lockfile(engine: &Path) -> bool {
    let (Some(dir), Ok(lock)) = (crate_dir(), std::fs::read(engine.join("Cargo.lock"))) else {
        return false;
    };
    match crate::private_files::write(&dir.join("Cargo.lock"), &lock) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("tessera-kernel: cannot pin the cells' dependencies ({e}); resolving online");
            false
        }
    }
}
