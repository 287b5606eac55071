//! The Python that cells use for `Client::connect` / `Client::local_cluster` (tessera's
//! `distributed` feature embeds it): `TESSERA_PYTHON` (the kernelspec sets it to the
//! environment the kernel was installed into), else `python3`. Cells are built against that
//! Python (`PYO3_PYTHON`) and load its `libpython` (its library directory goes first on
//! `LD_LIBRARY_PATH`, which the cell process inherits), so the interpreter inside a cell is the
//! same version as the dask workers it starts.

use std::path::PathBuf;

/// What the user's Python says about itself: its interpreter, `sys.prefix` and library
/// directory.
struct Answer {
    executable: String,
    prefix: String,
    libdir: String,
}

/// Asks the Python of this environment (`TESSERA_PYTHON`, else `python3`); `None` if none
/// answers.
fn ask() -> Option<Answer> {
    let python = std::env::var("TESSERA_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import sys, sysconfig; print(sys.executable); print(sys.prefix); \
                  print(sysconfig.get_config_var('LIBDIR') or '')";
    let output = std::process::Command::new(&python)
        .args(["-c", script])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let mut lines = text.lines().map(String::from);
    Some(Answer {
        executable: lines.next()?,
        prefix: lines.next()?,
        libdir: lines.next()?,
    })
}

/// The Python environment cells would use, as `interpreter prefix` (empty if no Python
/// answers): part of a standby kernel's key.
pub fn identity() -> String {
    ask()
        .map(|a| format!("{} {}", a.executable, a.prefix))
        .unwrap_or_default()
}

/// Points cell builds and the cell process at the user's Python. Call while the process has
/// one thread (it sets environment variables). Does nothing if no Python answers.
pub fn use_user_python() {
    let Some(Answer {
        executable, libdir, ..
    }) = ask()
    else {
        return;
    };
    super::owned_env::set_default("PYO3_PYTHON", &executable);
    super::owned_env::set_default("TESSERA_PYTHON", &executable);
    if !libdir.is_empty() {
        super::owned_env::prepend_path("LD_LIBRARY_PATH", PathBuf::from(libdir));
    }
}
