//! The Python that cells use for `Client::connect` / `Client::local_cluster` (tessera's
//! `distributed` feature embeds it): `TESSERA_PYTHON` (the kernelspec sets it to the
//! environment the kernel was installed into), else `python3`. Cells are built against that
//! Python (`PYO3_PYTHON`) and load its `libpython` (its library directory goes first on
//! `LD_LIBRARY_PATH`, which the cell process inherits), so the interpreter inside a cell is the
//! same version as the dask workers it starts.

use std::path::PathBuf;

/// Points cell builds and the cell process at the user's Python. Call while the process has
/// one thread (it sets environment variables). Does nothing if no Python answers.
pub fn use_user_python() {
    let python = std::env::var("TESSERA_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import sys, sysconfig; print(sys.executable); print(sysconfig.get_config_var('LIBDIR') or '')";
    let Ok(output) = std::process::Command::new(&python)
        .args(["-c", script])
        .output()
    else {
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let mut lines = text.lines();
    let (Some(executable), Some(libdir)) = (lines.next(), lines.next()) else {
        return;
    };
    if std::env::var_os("PYO3_PYTHON").is_none() {
        std::env::set_var("PYO3_PYTHON", executable);
    }
    if std::env::var_os("TESSERA_PYTHON").is_none() {
        std::env::set_var("TESSERA_PYTHON", executable);
    }
    if !libdir.is_empty() {
        let mut paths = vec![PathBuf::from(libdir)];
        if let Some(existing) = std::env::var_os("LD_LIBRARY_PATH") {
            paths.extend(std::env::split_paths(&existing));
        }
        if let Ok(joined) = std::env::join_paths(paths) {
            std::env::set_var("LD_LIBRARY_PATH", joined);
        }
    }
}
