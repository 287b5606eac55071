//! What the user's environment must not change about a kernel's start: the toolchain cells are
//! compiled with, and evcxr's configuration. Both would otherwise make the warmed build slots
//! useless (a rebuild of the engine, ~25 s) or point the kernel at another build directory.
//! The linker is pinned too, in [`super::pinned`].

use std::path::{Path, PathBuf};

/// The rustup toolchain this kernel was built with (rustup sets `RUSTUP_TOOLCHAIN` for the
/// compilers it runs); `None` when it was built without rustup.
pub const TOOLCHAIN: Option<&str> = option_env!("RUSTUP_TOOLCHAIN");

/// Pins the toolchain and gives evcxr a configuration directory of the kernel's own (under
/// `cache`). Call while the process has one thread (it sets environment variables).
///
/// * A `rust-toolchain.toml` next to a notebook (the kernel's working directory) would make
///   rustup's `rustc` another toolchain for evcxr, and `RUSTUP_TOOLCHAIN` in the user's shell
///   likewise: both are overridden by the toolchain that built the kernel, which `./install`
///   warmed the slots with.
/// * `~/.config/evcxr/evcxr.toml` can move evcxr's build directory (`tmpdir`) or change its
///   settings (opt-level, offline mode, sccache), and `init.evcxr` / `prelude.rs` there add
///   code: evcxr reads them from `EVCXR_CONFIG_DIR`, which points at an empty directory.
pub fn apply(cache: &Path) {
    if let Some(toolchain) = TOOLCHAIN {
        super::owned_env::set("RUSTUP_TOOLCHAIN", toolchain);
    }
    let config = config_dir(cache);
    if let Err(e) = crate::private_files::create_dir(&config) {
        // evcxr finds nothing in a directory that does not exist either.
        eprintln!("tessera-kernel: cannot create {}: {e}", config.display());
    }
    super::owned_env::set("EVCXR_CONFIG_DIR", &config);
}

/// The directory given to evcxr as its configuration directory (kept empty).
pub fn config_dir(cache: &Path) -> PathBuf {
    cache.join("evcxr-config")
}
