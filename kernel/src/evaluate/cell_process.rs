//! Setting up the process evcxr starts to run cells (this binary again, with
//! `EVCXR_IS_RUNTIME` set): the engine's shared state published for every cell's copy of the
//! engine, `SIGINT` turned into the engine's interrupt flag, and the output relays.

/// Call first in `main`, before `evcxr::runtime_hook` (which never returns in that process).
pub fn setup() {
    if std::env::var_os("EVCXR_IS_RUNTIME").is_none() {
        return;
    }
    // SAFETY: nothing else runs yet: no thread reads the environment.
    unsafe { tessera::runtime::publish() };
    // Cells, built with the engine's core only, reach Zarr, .npy headers and dask through
    // this copy.
    tessera::host::install();
    // SAFETY: the handler only stores to an atomic of the already-initialised shared state,
    // which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as *const () as libc::sighandler_t,
        )
    };
    super::relay::install();
}

extern "C" fn on_interrupt(_signal: libc::c_int) {
    tessera::runtime::shared().interrupt();
}
