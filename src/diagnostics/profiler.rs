//! [`Profiler`]: dask's task `Profiler` — when each chunk task ran, on which worker thread.

use std::sync::Mutex;
use std::time::Instant;

use super::plots::task_plot;
use super::{Callback, TaskEvent};
use crate::display::Picture;
use crate::graph::TaskGraph;

/// One task's run.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRecord {
    /// The task's key, `('sum-3', 0, 1)`.
    pub key: String,
    /// The operation (the key's layer without its node id): `sum`, `normal`, …
    pub operation: String,
    /// Seconds since the first computation this profiler watched began.
    pub start: f64,
    pub end: f64,
    /// The worker thread that ran it.
    pub worker: usize,
}

/// Records every task's start, end and worker; [`plot`](Profiler::plot) draws the timeline.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let profiler = Profiler::new();
/// ones([100], 10).sum()?.compute_with(&profiler)?;
/// let tasks = profiler.results();
/// assert_eq!(tasks.iter().filter(|t| t.operation == "sum-partial").count(), 10);   // a block each
/// assert!(tasks.iter().all(|t| t.end >= t.start));
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Default)]
pub struct Profiler {
    origin: Mutex<Option<Instant>>,
    running: Mutex<Vec<(String, Instant)>>,
    records: Mutex<Vec<TaskRecord>>,
}

impl Profiler {
    /// An empty profiler.
    pub fn new() -> Profiler {
        Profiler::default()
    }

    /// The tasks recorded so far, in the order they finished.
    pub fn results(&self) -> Vec<TaskRecord> {
        self.records.lock().expect("records").clone()
    }

    /// Forgets the records.
    pub fn clear(&self) {
        self.records.lock().expect("records").clear();
        *self.origin.lock().expect("origin") = None;
    }

    /// Tasks as bars on a timeline, one row per worker thread, coloured by operation.
    pub fn plot(&self) -> Picture {
        task_plot(&self.results())
    }
}

impl Callback for Profiler {
    fn start(&self, _graph: &TaskGraph) {
        self.origin
            .lock()
            .expect("origin")
            .get_or_insert_with(Instant::now);
    }

    fn task_start(&self, event: &TaskEvent<'_>) {
        self.running
            .lock()
            .expect("running")
            .push((event.task.key.to_string(), event.at));
    }

    fn task_finish(&self, event: &TaskEvent<'_>) {
        let key = event.task.key.to_string();
        let started = {
            let mut running = self.running.lock().expect("running");
            let at = running.iter().position(|(k, _)| *k == key);
            at.map(|i| running.swap_remove(i).1).unwrap_or(event.at)
        };
        let origin = self.origin.lock().expect("origin").unwrap_or(started);
        let seconds = |t: Instant| t.saturating_duration_since(origin).as_secs_f64();
        let layer = &event.task.key.layer;
        let operation = layer
            .rsplit_once('-')
            .map_or(&**layer, |(op, _)| op)
            .to_string();
        self.records.lock().expect("records").push(TaskRecord {
            key,
            operation,
            start: seconds(started),
            end: seconds(event.at),
            worker: event.worker,
        });
    }
}
