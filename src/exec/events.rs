//! Progress events of a running computation: a [`Callback`] hears when it starts, when each
//! chunk task starts and finishes, and when it ends. The executor emits them; displays and
//! profilers ([`diagnostics`](crate::diagnostics), which re-exports these names) listen.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::error::Error;
use crate::graph::{Task, TaskGraph};

/// One chunk task starting or finishing.
#[derive(Debug, Clone, Copy)]
pub struct TaskEvent<'a> {
    /// The task (its key names the operation and the block).
    pub task: &'a Task,
    /// The worker thread running it (0 ..), as rayon numbers them.
    pub worker: usize,
    /// When this happened.
    pub at: Instant,
    /// Bytes of the task's output (0 when starting).
    pub bytes: usize,
}

/// Something told about a computation as it runs. Every method has an empty default; task
/// events come from the worker threads, concurrently.
pub trait Callback: Sync {
    /// The computation's tasks are built and about to run.
    fn start(&self, _graph: &TaskGraph) {}
    /// A task begins on a worker.
    fn task_start(&self, _event: &TaskEvent<'_>) {}
    /// A task has produced its output.
    fn task_finish(&self, _event: &TaskEvent<'_>) {}
    /// The computation is over: `error` is why it failed, if it did.
    fn finish(&self, _error: Option<&Error>) {}
}

/// No callback.
impl Callback for () {}

impl<A: Callback, B: Callback> Callback for (A, B) {
    fn start(&self, graph: &TaskGraph) {
        self.0.start(graph);
        self.1.start(graph);
    }
    fn task_start(&self, event: &TaskEvent<'_>) {
        self.0.task_start(event);
        self.1.task_start(event);
    }
    fn task_finish(&self, event: &TaskEvent<'_>) {
        self.0.task_finish(event);
        self.1.task_finish(event);
    }
    fn finish(&self, error: Option<&Error>) {
        self.0.finish(error);
        self.1.finish(error);
    }
}

impl<C: Callback + ?Sized> Callback for &C {
    fn start(&self, graph: &TaskGraph) {
        (**self).start(graph)
    }
    fn task_start(&self, event: &TaskEvent<'_>) {
        (**self).task_start(event)
    }
    fn task_finish(&self, event: &TaskEvent<'_>) {
        (**self).task_finish(event)
    }
    fn finish(&self, error: Option<&Error>) {
        (**self).finish(error)
    }
}

/// Every callback of a list, in order.
impl<C: Callback> Callback for Vec<C> {
    fn start(&self, graph: &TaskGraph) {
        self.iter().for_each(|c| c.start(graph))
    }
    fn task_start(&self, event: &TaskEvent<'_>) {
        self.iter().for_each(|c| c.task_start(event))
    }
    fn task_finish(&self, event: &TaskEvent<'_>) {
        self.iter().for_each(|c| c.task_finish(event))
    }
    fn finish(&self, error: Option<&Error>) {
        self.iter().for_each(|c| c.finish(error))
    }
}

type Registered = Arc<dyn Callback + Send + Sync>;

static REGISTERED: Mutex<Vec<(u64, Registered)>> = Mutex::new(Vec::new());

/// Keeps a callback registered; dropping it unregisters the callback.
#[must_use = "the callback is unregistered when this guard is dropped"]
pub struct Registration {
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        registered().retain(|(id, _)| *id != self.id);
    }
}

fn registered() -> std::sync::MutexGuard<'static, Vec<(u64, Registered)>> {
    REGISTERED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Calls `callback` for every computation of this process until the returned guard is dropped
/// (dask's `callback.register()`; a scope, as dask's `with`).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::diagnostics::{register, Profiler};
/// use std::sync::Arc;
/// let profiler = Arc::new(Profiler::new());
/// {
///     let _watching = register(profiler.clone());
///     ones([10], 5).sum()?.compute()?;
/// }
/// ones([10], 5).sum()?.compute()?;                          // not watched
/// let tasks = profiler.results();
/// assert_eq!(tasks.iter().filter(|t| t.operation == "sum-partial").count(), 2);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn register(callback: Arc<dyn Callback + Send + Sync>) -> Registration {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    registered().push((id, callback));
    Registration { id }
}

/// Runs `work` with a callback that reports to `extra` and to every registered callback.
pub(crate) fn with_listeners<R>(extra: &dyn Callback, work: impl FnOnce(&dyn Callback) -> R) -> R {
    let registered: Vec<Registered> = registered().iter().map(|(_, c)| c.clone()).collect();
    let mut all: Vec<&dyn Callback> = vec![extra];
    all.extend(registered.iter().map(|c| &**c as &dyn Callback));
    work(&all)
}
