//! [`Future`]: a computation running in the background, as dask.distributed's, and the work
//! behind it (on the local pool, `LocalWork`, or a cluster's). The user's [`Client`] that
//! starts futures is `crate::client`; clusters (`crate::distributed`) implement `Work`.
//!
//! [`Client`]: crate::client::Client

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::data::Computed;
use crate::dtype::DType;
use crate::error::{Error, Result};

/// What a client runs on, as dask's `Client` widget shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientInfo {
    /// `local` or the scheduler's address (`tcp://127.0.0.1:8786`).
    pub scheduler: String,
    /// Worker processes (1 for the local pool).
    pub workers: usize,
    /// Threads over all workers.
    pub threads: usize,
    /// Memory over all workers in bytes (the memory budget for the local pool).
    pub memory: u64,
    /// The dask dashboard's address, if it has one.
    pub dashboard: Option<String>,
}

/// Where a future's computation is, as dask names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Waiting to start (for a cluster: queued on the scheduler or running on workers).
    Pending,
    /// Running on this machine's pool.
    Running,
    /// Done; [`Future::result`] returns the value.
    Finished,
    /// Failed; [`Future::result`] returns the error.
    Error,
    /// Cancelled by [`Future::cancel`].
    Cancelled,
}

impl Status {
    /// The name dask shows: `pending`, `running`, `finished`, `error`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Finished => "finished",
            Status::Error => "error",
            Status::Cancelled => "cancelled",
        }
    }

    /// Whether the computation has ended (finished, failed or cancelled).
    pub fn is_done(self) -> bool {
        matches!(self, Status::Finished | Status::Error | Status::Cancelled)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a future's work is carried out: on the local pool, or by a cluster.
pub(crate) trait Work: Send + Sync {
    /// The status now.
    fn status(&self) -> Status;
    /// Waits until the work ends or `timeout` passes; the outcome once it has ended.
    fn wait(&self, timeout: Duration) -> Option<Result<Computed>>;
    /// Asks the work to stop.
    fn cancel(&self);
}

/// A computation sent to a [`Client`](super::Client), running in the background: dask's
/// `client.compute(x)`. Cloning gives another handle to the same computation.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::client::{Client, Status};
/// let client = Client::new();
/// let y = random::normal([4000, 4000], [1000, 1000]);
/// let future = client.compute(&y.sum()?);            // returns at once
/// let total = future.result()?.to_scalar::<f64>()?;  // waits for it
/// assert_eq!(future.status(), Status::Finished);
/// assert_eq!(total, y.sum()?.compute()?.to_scalar::<f64>()?);
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Clone)]
pub struct Future {
    pub(crate) key: String,
    pub(crate) dtype: DType,
    pub(crate) shape: Vec<usize>,
    pub(crate) work: Arc<dyn Work>,
}

impl Future {
    /// The computation's key (its result's plan node, e.g. `sum-42`).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The status now: pending, running, finished, error or cancelled.
    pub fn status(&self) -> Status {
        self.work.status()
    }

    /// Whether the computation has ended (finished, failed or cancelled).
    pub fn done(&self) -> bool {
        self.status().is_done()
    }

    /// Waits for the value. An error of a task comes back naming the task's key; a cancelled
    /// future gives [`Error::Cancelled`]. Interrupting the kernel while waiting stops the wait
    /// (the computation goes on; call `result()` again later).
    pub fn result(&self) -> Result<Computed> {
        loop {
            if let Some(outcome) = self.work.wait(Duration::from_millis(50)) {
                return outcome;
            }
            crate::runtime::check_interrupt()?;
        }
    }

    /// Waits at most `timeout` for the value: `None` if it is not done by then.
    pub fn result_timeout(&self, timeout: Duration) -> Option<Result<Computed>> {
        self.work.wait(timeout)
    }

    /// Stops the computation (tasks running now finish; no other starts). `result()` then
    /// returns [`Error::Cancelled`].
    pub fn cancel(&self) {
        self.work.cancel();
    }

    /// The result's type as dask's widget shows it: `float64` for a scalar, else
    /// `ndarray<(shape), dtype>` (what `result()` gives).
    pub fn type_name(&self) -> String {
        if self.shape.is_empty() {
            self.dtype.to_string()
        } else {
            let dims: Vec<String> = self.shape.iter().map(|d| d.to_string()).collect();
            format!("ndarray<({}), {}>", dims.join(", "), self.dtype)
        }
    }
}

/// dask's text: `<Future: finished, type: float64, key: sum-42>`.
impl fmt::Display for Future {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Future: {}, type: {}, key: {}>",
            self.status(),
            self.type_name(),
            self.key
        )
    }
}

impl fmt::Debug for Future {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A computation on this machine: one thread drives it on the engine's pool.
pub(crate) struct LocalWork {
    state: Mutex<LocalState>,
    changed: Condvar,
    cancel: crate::runtime::CancelToken,
}

enum LocalState {
    Pending,
    Running,
    Done(Result<Computed>),
}

impl LocalWork {
    /// Starts `compute` on a thread of its own, under this work's cancel token.
    pub(crate) fn spawn(
        name: &str,
        compute: impl FnOnce() -> Result<Computed> + Send + 'static,
    ) -> Arc<LocalWork> {
        let work = Arc::new(LocalWork {
            state: Mutex::new(LocalState::Pending),
            changed: Condvar::new(),
            cancel: Arc::new(AtomicBool::new(false)),
        });
        let driver = work.clone();
        let started = std::thread::Builder::new()
            .name(format!("tessera-future-{name}"))
            .spawn(move || {
                driver.set(LocalState::Running);
                let outcome = crate::runtime::with_cancel_token(driver.cancel.clone(), compute);
                driver.set(LocalState::Done(outcome));
            });
        if let Err(e) = started {
            work.set(LocalState::Done(Err(Error::InvalidArgument {
                op: "compute",
                reason: format!("cannot start a thread: {e}"),
            })));
        }
        work
    }

    fn set(&self, state: LocalState) {
        let mut slot = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // A cancelled future stays cancelled whatever its run returns.
        if !matches!(*slot, LocalState::Done(_)) {
            *slot = state;
        }
        self.changed.notify_all();
    }
}

impl Work for LocalWork {
    fn status(&self) -> Status {
        match &*self.state.lock().unwrap_or_else(PoisonError::into_inner) {
            LocalState::Pending => Status::Pending,
            LocalState::Running => Status::Running,
            LocalState::Done(Ok(_)) => Status::Finished,
            LocalState::Done(Err(Error::Cancelled)) => Status::Cancelled,
            LocalState::Done(Err(_)) => Status::Error,
        }
    }

    fn wait(&self, timeout: Duration) -> Option<Result<Computed>> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| !matches!(s, LocalState::Done(_)))
            .unwrap_or_else(PoisonError::into_inner);
        match &*state {
            LocalState::Done(outcome) => Some(outcome.clone()),
            _ => None,
        }
    }

    fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        self.set(LocalState::Done(Err(Error::Cancelled)));
    }
}
