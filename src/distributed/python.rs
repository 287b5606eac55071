//! The embedded Python interpreter that drives dask: started once per process, given the
//! packages of the Python the user runs (a virtual environment's dask, distributed and
//! tessera_dask), and the errors it raises turned into tessera's.

use std::process::Command;
use std::sync::OnceLock;

use pyo3::prelude::*;

use crate::error::{Error, Result};

/// The environment variable naming the Python whose packages are used (default `python3`).
pub const PYTHON_ENV: &str = "TESSERA_PYTHON";

/// Runs `work` with the interpreter, started and prepared on first use.
///
/// **Errors**: [`Error::Cluster`] with the Python exception's type and message, or why the
/// interpreter could not be prepared.
pub(crate) fn with_python<R>(work: impl for<'py> FnOnce(Python<'py>) -> PyResult<R>) -> Result<R> {
    static READY: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(prepare)
        .clone()
        .map_err(|reason| Error::Cluster { reason })?;
    Python::attach(|py| work(py).map_err(|e| python_error(py, e)))
}

/// A Python exception as a cluster error: `TypeError: …`, with the last traceback line when the
/// exception came from a worker.
pub(crate) fn python_error(py: Python<'_>, error: PyErr) -> Error {
    let kind = error
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".into());
    let message = error
        .value(py)
        .str()
        .map(|s| s.to_string())
        .unwrap_or_default();
    Error::Cluster {
        reason: if message.is_empty() {
            kind
        } else {
            format!("{kind}: {message}")
        },
    }
}

/// Where the user's Python keeps its packages and its executable, asked of that Python.
struct UserPython {
    executable: String,
    /// The file name of its shared libpython (`libpython3.11.so.1.0`), if it has one.
    library: String,
    path: Vec<String>,
}

fn ask_user_python() -> std::result::Result<UserPython, String> {
    let python = std::env::var(PYTHON_ENV).unwrap_or_else(|_| "python3".into());
    let script = "import sys, sysconfig; print(sys.executable); \
                  print(sysconfig.get_config_var('INSTSONAME') or ''); \
                  print('\\n'.join(p for p in sys.path if p))";
    let output = Command::new(&python)
        .args(["-c", script])
        .output()
        .map_err(|e| {
            format!(
                "cannot run {python} to find dask (set {PYTHON_ENV} to the Python that has \
                 dask.distributed and tessera_dask): {e}"
            )
        })?;
    if !output.status.success() {
        return Err(format!(
            "{python} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines().map(str::to_string);
    let executable = lines.next().unwrap_or_default();
    let library = lines.next().unwrap_or_default();
    Ok(UserPython {
        executable,
        library,
        path: lines.collect(),
    })
}

/// Makes libpython's symbols visible to the extension modules Python loads (`_struct`, numpy):
/// when this code is itself a library opened with `RTLD_LOCAL` (a notebook cell), libpython
/// came in as its dependency, privately, and those modules would fail to load.
fn make_symbols_global(library: &str) {
    let Ok(name) = std::ffi::CString::new(library) else {
        return;
    };
    if library.is_empty() {
        return;
    }
    // SAFETY: dlopen of a library name; the handle is deliberately kept (never dlclosed).
    unsafe {
        if libc::dlopen(
            name.as_ptr(),
            libc::RTLD_NOW | libc::RTLD_GLOBAL | libc::RTLD_NOLOAD,
        )
        .is_null()
        {
            libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL);
        }
    }
}

/// Starts the interpreter (without its signal handlers: the kernel's interrupt stays ours) and
/// makes it use the user's Python: its `sys.path`, and its executable for the worker
/// processes a `LocalCluster` spawns (this process is not a Python).
fn prepare() -> std::result::Result<(), String> {
    let user = ask_user_python()?;
    make_symbols_global(&user.library);
    Python::initialize();
    Python::attach(|py| -> PyResult<()> {
        let sys = py.import("sys")?;
        let path = sys.getattr("path")?;
        // The user's entries first, in their order, so their packages win over others the
        // embedded interpreter found for itself (workers run the user's Python: the client's
        // packages must be the same versions).
        for (at, entry) in user.path.iter().enumerate() {
            if path.contains(entry)? {
                path.call_method1("remove", (entry,))?;
            }
            path.call_method1("insert", (at, entry))?;
        }
        sys.setattr("executable", &user.executable)?;
        sys.setattr("argv", vec![user.executable.clone()])?;
        py.import("multiprocessing")?
            .call_method1("set_executable", (&user.executable,))?;
        Ok(())
    })
    .map_err(|e| Python::attach(|py| python_error(py, e).to_string()))
}
