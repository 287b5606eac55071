//! The local executor: runs a task graph on a rayon pool, depth first, freeing every
//! intermediate block as soon as its last consumer has read it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use super::events::{Callback, TaskEvent};
use super::run::{run_owning, run_task, takes_over};
use super::Executor;
use crate::error::{Error, Result};
use crate::graph::{TaskGraph, TaskId};
use crate::kernels::Value;

/// Runs tasks on tessera's thread pool (`TESSERA_NUM_THREADS` threads, default: one per core).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ThreadedExecutor;

/// How many worker threads a computation uses: `TESSERA_NUM_THREADS`, else one per core.
pub(crate) fn worker_count() -> usize {
    let configured = std::env::var("TESSERA_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0);
    configured.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A worker pool, threads named so profilers show `tessera-worker-N`.
fn new_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(worker_count())
        .thread_name(|i| format!("tessera-worker-{i}"))
        .build()
        .expect("the tessera thread pool starts")
}

/// Runs `work` on a pool: the process's pool, or a pool for this computation alone when it runs
/// for a future or inside the Jupyter kernel. (A future shares the cores with the cell's own
/// computations: on one rayon pool, work injected from outside waits until the pool's threads
/// run out of their own tasks, so a foreground compute would wait for a background one to
/// end. evcxr links a copy of the engine into every cell, each with its own statics: a
/// process-wide pool would be one more idle pool per cell, never freed. A pool per computation
/// costs a thread start, and its threads end with it.)
fn on_pool(own_pool: bool, work: impl FnOnce() + Send) {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    if own_pool || crate::config::in_kernel() {
        new_pool().install(work);
    } else {
        POOL.get_or_init(new_pool).install(work);
    }
}

/// Takes output block `k` (its position in the graph's outputs) as soon as it completes.
pub(crate) type Sink<'s> = &'s (dyn Fn(usize, &Value) -> Result<()> + Sync);

/// Shared state of one run.
struct Run<'g> {
    graph: &'g TaskGraph,
    dependents: Vec<Vec<TaskId>>,
    waiting: Vec<AtomicUsize>,
    /// Readers left for each task's output (dependents plus output slots).
    readers: Vec<AtomicUsize>,
    results: Vec<Mutex<Option<Arc<Value>>>>,
    failed: AtomicBool,
    error: Mutex<Option<Error>>,
    callback: &'g dyn Callback,
    /// What stops the run: an interrupt, or its future's cancel.
    stop: crate::runtime::Stop,
    /// Where output blocks go as they complete (not kept), and each task's output positions.
    sink: Option<(Sink<'g>, Vec<Vec<usize>>)>,
    /// Freed buffers the pool keeps at most (a few per worker).
    max_buffers: usize,
    /// The tasks without inputs, in the graph's order, and the next of them to start.
    leaves: Vec<TaskId>,
    next_leaf: AtomicUsize,
}

impl Executor for ThreadedExecutor {
    fn check_memory(&self, node: &crate::expr::NodeRef, graph: &TaskGraph) -> Result<()> {
        super::budget::check(node, graph, worker_count())
    }

    fn execute(&self, graph: &TaskGraph, callback: &dyn Callback) -> Result<Vec<Arc<Value>>> {
        run(graph, callback, None)
    }
}

impl ThreadedExecutor {
    /// Runs `graph`, handing each output block to `sink` as it completes and then dropping it
    /// (unless another task still reads it): nothing holds the outputs until the end.
    pub(crate) fn execute_into(
        &self,
        graph: &TaskGraph,
        callback: &dyn Callback,
        sink: Sink<'_>,
    ) -> Result<()> {
        run(graph, callback, Some(sink)).map(drop)
    }
}

/// Runs `graph`; returns its outputs, or nothing if they went to `sink`.
fn run<'g>(
    graph: &'g TaskGraph,
    callback: &'g dyn Callback,
    sink: Option<Sink<'g>>,
) -> Result<Vec<Arc<Value>>> {
    let n = graph.tasks.len();
    let mut dependents = vec![Vec::new(); n];
    let mut readers = vec![0usize; n];
    for (id, task) in graph.tasks.iter().enumerate() {
        for &dep in &task.deps {
            dependents[dep].push(id);
            readers[dep] += 1;
        }
    }
    let mut positions = vec![Vec::new(); if sink.is_some() { n } else { 0 }];
    for (k, &out) in graph.outputs.iter().enumerate() {
        match sink {
            Some(_) => positions[out].push(k),
            None => readers[out] += 1,
        }
    }
    let run = Run {
        graph,
        dependents,
        waiting: graph
            .tasks
            .iter()
            .map(|t| AtomicUsize::new(t.deps.len()))
            .collect(),
        readers: readers.into_iter().map(AtomicUsize::new).collect(),
        results: (0..n).map(|_| Mutex::new(None)).collect(),
        failed: AtomicBool::new(false),
        error: Mutex::new(None),
        callback,
        stop: crate::runtime::Stop::now(),
        sink: sink.map(|sink| (sink, positions)),
        max_buffers: crate::kernels::pool::BUFFERS_PER_WORKER * worker_count(),
        leaves: (0..n)
            .filter(|&id| graph.tasks[id].deps.is_empty())
            .collect(),
        next_leaf: AtomicUsize::new(0),
    };
    callback.start(graph);
    on_pool(matches!(run.stop, crate::runtime::Stop::Token(_)), || {
        rayon::scope(|scope| {
            let run = &run;
            scope.spawn(move |scope| run.feed(scope));
        })
    });
    // The pool holds no memory between computations.
    crate::kernels::pool::clear();
    if let Some(error) = run.error.lock().expect("error slot").take() {
        callback.finish(Some(&error));
        return Err(error);
    }
    callback.finish(None);
    if run.sink.is_some() {
        return Ok(Vec::new());
    }
    Ok(graph
        .outputs
        .iter()
        .map(|&id| {
            run.results[id]
                .lock()
                .expect("result slot")
                .clone()
                .expect("outputs are kept")
        })
        .collect())
}

impl<'g> Run<'g> {
    /// Stops the run: no further task starts, and `error` (the first) is the outcome.
    fn fail(&self, error: Error) {
        self.failed.store(true, Ordering::Relaxed);
        self.error.lock().expect("error slot").get_or_insert(error);
    }

    /// The block of `task`'s one input, owned, when the task can take it over (see
    /// `run::takes_over`) and no other task reads it any more (this task is its last reader,
    /// and it is not an output).
    fn take_over(&self, task: &crate::graph::Task) -> Option<Value> {
        let dep = takes_over(task)?;
        if task.deps != [dep] || self.readers[dep].load(Ordering::Acquire) != 1 {
            return None;
        }
        let mut slot = self.results[dep].lock().expect("result slot");
        match Arc::try_unwrap(slot.take().expect("inputs finish first")) {
            Ok(value) => Some(value),
            Err(shared) => {
                *slot = Some(shared);
                None
            }
        }
    }

    /// Starts the next task without inputs, after leaving a job that starts the one after it.
    /// Leaves start in the graph's order, one at a time, when a worker has nothing else to
    /// run: a task's ready dependents are spawned after (so run before) that job, and a thief
    /// steals the oldest job, the feeder. So each chain of work runs to its end before new
    /// sources are made: a scan's blocks are generated as its carries reach them, not all at
    /// once (spawning every leaf up front let a worker generate the last ones first).
    fn feed<'s>(&'s self, scope: &rayon::Scope<'s>) {
        let k = self.next_leaf.fetch_add(1, Ordering::Relaxed);
        let Some(&id) = self.leaves.get(k) else {
            return;
        };
        if k + 1 < self.leaves.len() {
            scope.spawn(move |scope| self.feed(scope));
        }
        self.task(scope, id);
    }

    fn task<'s>(&'s self, scope: &rayon::Scope<'s>, id: TaskId) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        if self.stop.stopped() {
            return self.fail(Error::Cancelled);
        }
        let task = &self.graph.tasks[id];
        let owned = self.take_over(task);
        let inputs: Vec<(TaskId, Arc<Value>)> = task
            .deps
            .iter()
            .filter(|_| owned.is_none())
            .map(|&dep| {
                (
                    dep,
                    self.results[dep]
                        .lock()
                        .expect("result slot")
                        .clone()
                        .expect("inputs finish first"),
                )
            })
            .collect();
        let lookup = |wanted: TaskId| -> &Value {
            &inputs
                .iter()
                .find(|(dep, _)| *dep == wanted)
                .expect("a task reads only its deps")
                .1
        };
        let worker = rayon::current_thread_index().unwrap_or(0);
        self.callback.task_start(&TaskEvent {
            task,
            worker,
            at: Instant::now(),
            bytes: 0,
        });
        let outcome = catch_unwind(AssertUnwindSafe(|| match owned {
            Some(value) => run_owning(task, value),
            None => run_task(task, lookup),
        }))
        .unwrap_or_else(|panic| {
            let reason = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            Err(Error::TaskFailed {
                op: "compute",
                key: task.key.to_string(),
                reason: format!("panicked: {reason}"),
            })
        });
        drop(inputs);
        match outcome {
            Ok(value) => {
                self.callback.task_finish(&TaskEvent {
                    task,
                    worker,
                    at: Instant::now(),
                    bytes: value.nbytes(),
                });
                if let Some((sink, positions)) = &self.sink {
                    for &k in &positions[id] {
                        if let Err(error) = sink(k, &value) {
                            return self.fail(error);
                        }
                    }
                }
                if self.readers[id].load(Ordering::Acquire) > 0 {
                    *self.results[id].lock().expect("result slot") = Some(Arc::new(value));
                } else {
                    // Written to the sink and read by no task: its buffer is free now.
                    crate::kernels::pool::recycle(value, self.max_buffers);
                }
            }
            Err(error) => return self.fail(error),
        }
        for &dep in &task.deps {
            if self.readers[dep].fetch_sub(1, Ordering::AcqRel) == 1 {
                let freed = self.results[dep].lock().expect("result slot").take();
                // Its buffer goes to the next block of its size (unless another task still
                // holds it).
                if let Some(value) = freed.and_then(|v| Arc::try_unwrap(v).ok()) {
                    crate::kernels::pool::recycle(value, self.max_buffers);
                }
            }
        }
        for &next in &self.dependents[id] {
            if self.waiting[next].fetch_sub(1, Ordering::AcqRel) == 1 {
                scope.spawn(move |scope| self.task(scope, next));
            }
        }
    }
}
