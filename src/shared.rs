//! The state the engine keeps for a whole process, and how the copies of the engine inside one
//! Jupyter kernel share it (level 0: plain atomics; [`runtime`](crate::runtime) and
//! [`config`](crate::config) read and set it).
//!
//! evcxr compiles every notebook cell into its own library, each with its own copy of the
//! engine and of its statics. Settings ([`config`](crate::config)) and the interrupt flag must
//! nevertheless be one per kernel: a chunk size set in one cell holds in the next, and an
//! interrupt reaches the computation that is running whichever cell started it. So the
//! kernel's own process, which links the engine once, [`publish`]es one [`SharedState`] (plain
//! atomics, `#[repr(C)]`) and its address in the environment variable [`ENV`]; every copy of
//! the engine finds it there ([`shared`]). Outside a kernel nobody publishes one and the
//! process uses its own.
//!
//! Only plain data crosses copies: code with statics of its own (a thread pool, channels) would
//! run one copy's code on another's state (see the kernel notes), so each computation starts
//! its own worker pool inside the kernel.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// dask's default `array.chunk-size`: 128 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 128 << 20;

/// Default fan-in of tree reductions (dask's `split_every`).
pub const DEFAULT_SPLIT_EVERY: usize = 8;

/// The environment variable holding the address of the kernel's [`SharedState`].
pub const ENV: &str = "TESSERA_RUNTIME";

/// Identifies a [`SharedState`] of this layout (changed whenever the fields change).
const MAGIC: u64 = 0x7E55_E4A0_0000_0006;

/// Settings and the interrupt flag, one per process (per kernel, across cells).
#[repr(C)]
#[derive(Debug)]
pub struct SharedState {
    magic: AtomicU64,
    /// How many interrupts there have been: a computation stops at its next task when this
    /// changes while it runs.
    pub(crate) interrupts: AtomicU64,
    /// `interrupts` when the current notebook cell started (or at the last
    /// [`clear_interrupt`](SharedState::clear_interrupt)): `runtime::check_interrupt` fails
    /// above it.
    pub(crate) acknowledged: AtomicU64,
    pub(crate) chunk_size: AtomicUsize,
    pub(crate) split_every: AtomicUsize,
    pub(crate) optimize: AtomicBool,
    /// Bytes; 0 means the default (see [`config::memory_budget`](crate::config::memory_budget)).
    pub(crate) memory_budget: AtomicUsize,
    /// The next plan node id. Ids key lowering and optimization, so arrays built by different
    /// cells (different copies of the engine) must never share one.
    node_ids: AtomicU64,
    /// The address of the kernel's copy's service entry, or 0: cells, built with the engine's
    /// core only, reach Zarr stores, `.npy` headers and dask through it (see
    /// [`host`](crate::host)).
    pub(crate) host: AtomicUsize,
}

impl SharedState {
    const fn new() -> SharedState {
        SharedState {
            magic: AtomicU64::new(MAGIC),
            interrupts: AtomicU64::new(0),
            acknowledged: AtomicU64::new(0),
            chunk_size: AtomicUsize::new(DEFAULT_CHUNK_SIZE),
            split_every: AtomicUsize::new(DEFAULT_SPLIT_EVERY),
            optimize: AtomicBool::new(true),
            memory_budget: AtomicUsize::new(0),
            node_ids: AtomicU64::new(1),
            host: AtomicUsize::new(0),
        }
    }

    /// Stops the computations running now (what the kernel's interrupt does; safe to call
    /// from a signal handler). Computations started later are not affected.
    pub fn interrupt(&self) {
        self.interrupts.fetch_add(1, Ordering::SeqCst);
    }

    /// Forgets past interrupts for `runtime::check_interrupt` (the kernel does this as each
    /// cell starts).
    pub fn clear_interrupt(&self) {
        self.acknowledged
            .store(self.interrupts.load(Ordering::SeqCst), Ordering::SeqCst);
    }

    /// A new plan node id, unique in the process.
    pub(crate) fn next_node_id(&self) -> u64 {
        self.node_ids.fetch_add(1, Ordering::Relaxed)
    }

    /// The interrupt count now: a computation notes it when it starts ([`Epoch`]).
    pub(crate) fn epoch(&self) -> Epoch {
        Epoch(self.interrupts.load(Ordering::SeqCst))
    }
}

static OWN: SharedState = SharedState::new();

/// The process's shared state: the kernel's, if one was published in [`ENV`] with a matching
/// layout, else this copy's own.
pub fn shared() -> &'static SharedState {
    static FOUND: OnceLock<&'static SharedState> = OnceLock::new();
    FOUND.get_or_init(|| published().unwrap_or(&OWN))
}

fn published() -> Option<&'static SharedState> {
    let text = std::env::var(ENV).ok()?;
    let address = usize::from_str_radix(text.trim_start_matches("0x"), 16).ok()?;
    if address == 0 || address % std::mem::align_of::<SharedState>() != 0 {
        return None;
    }
    // SAFETY: the address was published by `publish` in this process (environment variables
    // are per process), points at a leaked `SharedState` that lives until the process ends,
    // and the magic number confirms the layout before any other field is used.
    let state = unsafe { &*(address as *const SharedState) };
    (state.magic.load(Ordering::SeqCst) == MAGIC).then_some(state)
}

/// Makes this copy's state the process's, publishing its address in [`ENV`] for the copies
/// loaded later (the kernel's cell process calls this once, before any cell runs).
///
/// # Safety
///
/// Sets an environment variable: call it before other threads read the environment.
pub unsafe fn publish() -> &'static SharedState {
    let state = shared();
    // SAFETY: the caller guarantees no other thread reads the environment now.
    unsafe { std::env::set_var(ENV, format!("{:x}", state as *const SharedState as usize)) };
    state
}

/// The interrupt count when a computation started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Epoch(u64);

impl Epoch {
    /// Whether an interrupt came since this epoch.
    pub(crate) fn interrupted(self) -> bool {
        shared().interrupts.load(Ordering::Relaxed) != self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_state_is_found_by_address() {
        let state: &'static SharedState = Box::leak(Box::new(SharedState::new()));
        let address = format!("{:x}", state as *const SharedState as usize);
        let parsed = usize::from_str_radix(&address, 16).unwrap();
        assert_eq!(parsed, state as *const SharedState as usize);
        state.chunk_size.store(12345, Ordering::SeqCst);
        // SAFETY: `parsed` is the address of the leaked state above.
        let found = unsafe { &*(parsed as *const SharedState) };
        assert_eq!(found.chunk_size.load(Ordering::SeqCst), 12345);
        assert_eq!(found.magic.load(Ordering::SeqCst), MAGIC);
    }
}
