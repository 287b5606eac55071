//! Running computations: what stops one (the kernel's interrupt, a future's cancel token), and
//! the public interrupt calls. The process-wide state they read is [`shared`](crate::shared)'s.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};
use crate::shared::Epoch;
pub use crate::shared::{publish, shared, SharedState, ENV};

/// A flag that cancels one computation: a [`Future`](crate::client::Future)'s. Computations
/// that run for a future stop when it is set, and ignore the kernel's interrupt (an interrupt
/// stops the cell, not work the user sent to the background).
pub(crate) type CancelToken = std::sync::Arc<AtomicBool>;

thread_local! {
    /// The token of the future whose computation runs on this thread, if any.
    static TOKEN: std::cell::RefCell<Option<CancelToken>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work` (a computation started on this thread) under `token` instead of the interrupt.
pub(crate) fn with_cancel_token<R>(token: CancelToken, work: impl FnOnce() -> R) -> R {
    let previous = TOKEN.with(|t| t.replace(Some(token)));
    let result = work();
    TOKEN.with(|t| *t.borrow_mut() = previous);
    result
}

/// What stops a computation starting now on this thread.
#[derive(Debug, Clone)]
pub(crate) enum Stop {
    /// An interrupt after this epoch (computations started by the cell itself).
    Interrupt(Epoch),
    /// The future's token (computations of a future).
    Token(CancelToken),
}

impl Stop {
    /// The stop condition for a computation starting now on this thread.
    pub(crate) fn now() -> Stop {
        TOKEN
            .with(|t| t.borrow().clone())
            .map_or_else(|| Stop::Interrupt(shared().epoch()), Stop::Token)
    }

    /// Whether the computation must stop.
    pub(crate) fn stopped(&self) -> bool {
        match self {
            Stop::Interrupt(epoch) => epoch.interrupted(),
            Stop::Token(token) => token.load(Ordering::Relaxed),
        }
    }
}

/// Stops every computation running now in this process, from any thread: each returns
/// [`Error::Cancelled`] within about a chunk task's time. Computations started afterwards run
/// normally.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let huge = random::uniform([1_500_000, 100_000], [10_000, 10_000]);   // 1.1 TB
/// let stop = std::thread::spawn(|| {
///     std::thread::sleep(std::time::Duration::from_millis(200));
///     tessera::runtime::interrupt();
/// });
/// assert!(matches!(huge.mean()?.compute(), Err(tessera::Error::Cancelled)));
/// stop.join().unwrap();
/// assert_eq!(ones([4], 2).sum()?.compute()?.to_scalar::<f64>()?, 4.0);   // later ones run
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn interrupt() {
    shared().interrupt();
}

/// Forgets past interrupts for [`check_interrupt`] (the kernel does this before each cell).
pub fn clear_interrupt() {
    shared().clear_interrupt();
}

/// Whether there was an interrupt since the current cell started (or since
/// [`clear_interrupt`]); loops in cells can poll it.
pub fn interrupted() -> bool {
    let state = shared();
    state.interrupts.load(Ordering::Relaxed) != state.acknowledged.load(Ordering::Relaxed)
}

/// `Err(Error::Cancelled)` once the user has interrupted: `tessera::runtime::check_interrupt()?`
/// in a long loop of a notebook cell makes it stop on the kernel's interrupt with its
/// variables kept.
///
/// # Examples
///
/// ```
/// for step in 0..1000 {
///     tessera::runtime::check_interrupt()?;
///     // ... work ...
/// }
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn check_interrupt() -> Result<()> {
    if interrupted() {
        Err(Error::Cancelled)
    } else {
        Ok(())
    }
}
