//! [`DaskClient`]: a dask.distributed `Client` driven through embedded Python, and the
//! executor that sends a computation's chunk tasks to its workers.
//!
//! Each task travels as bytes ([`wire`](crate::graph::wire)) in a dask task
//! `(tessera_dask.run_task, spec, *dependency_keys)`; dask schedules them, moves chunks
//! between workers as numpy arrays and recomputes what a lost worker held.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use super::convert::value_from_python;
use super::python::with_python;
use crate::array::Array;
use crate::error::{Error, Result};
use crate::exec::events::Callback;
use crate::exec::Executor;
use crate::future::ClientInfo;
use crate::graph::{wire, TaskGraph};
use crate::kernels::Value;

/// How long `connect` waits for a scheduler.
const CONNECT_TIMEOUT_S: u32 = 10;

/// How often a running computation looks at its futures (and at its cancel flag).
const POLL: Duration = Duration::from_millis(20);

/// A connection to a dask scheduler (and the `LocalCluster` it runs, if it started one).
pub struct DaskClient {
    client: Py<PyAny>,
    cluster: Option<Py<PyAny>>,
    /// Makes this client's task keys unique on a scheduler shared with other drivers.
    token: String,
    runs: AtomicU64,
}

impl DaskClient {
    /// Connects to the scheduler at `address`.
    pub fn connect(address: &str) -> Result<DaskClient> {
        let client = with_python(|py| {
            let distributed = py.import("distributed")?;
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("timeout", format!("{CONNECT_TIMEOUT_S}s"))?;
            Ok(distributed
                .getattr("Client")?
                .call((address,), Some(&kwargs))?
                .unbind())
        })
        .map_err(|e| Error::Cluster {
            reason: format!(
                "cannot connect to the dask scheduler at {address}: {}",
                reason(&e)
            ),
        })?;
        Ok(DaskClient::new(client, None))
    }

    /// Starts a `LocalCluster` of `n_workers` processes and connects to it.
    pub fn local_cluster(n_workers: usize) -> Result<DaskClient> {
        let (cluster, client) = with_python(|py| {
            let helpers = py.import("tessera_dask")?;
            let pair = helpers.getattr("local_cluster")?.call1((n_workers,))?;
            Ok((pair.get_item(0)?.unbind(), pair.get_item(1)?.unbind()))
        })
        .map_err(|e| Error::Cluster {
            reason: format!(
                "cannot start a local dask cluster of {n_workers} workers: {}",
                reason(&e)
            ),
        })?;
        Ok(DaskClient::new(client, Some(cluster)))
    }

    fn new(client: Py<PyAny>, cluster: Option<Py<PyAny>>) -> DaskClient {
        let token = format!(
            "{:08x}",
            RandomState::new().hash_one(std::process::id()) as u32
        );
        DaskClient {
            client,
            cluster,
            token,
            runs: AtomicU64::new(0),
        }
    }

    /// Starts computing `array` on the cluster; the work ends when its values are here.
    pub(crate) fn compute(
        self: &Arc<Self>,
        key: &str,
        array: &Array,
    ) -> Arc<dyn crate::future::Work> {
        let client = self.clone();
        let array = array.clone();
        crate::future::LocalWork::spawn(key, move || {
            crate::exec::compute_on(&*client, array.node()?, &())
        })
    }

    /// Scheduler address, workers, threads, memory and dashboard link.
    pub fn info(&self) -> ClientInfo {
        let asked = with_python(|py| {
            let info = py
                .import("tessera_dask")?
                .getattr("client_info")?
                .call1((self.client.bind(py),))?;
            Ok(ClientInfo {
                scheduler: info.get_item(0)?.extract()?,
                workers: info.get_item(1)?.extract()?,
                threads: info.get_item(2)?.extract()?,
                memory: info.get_item(3)?.extract()?,
                dashboard: info.get_item(4)?.extract()?,
            })
        });
        asked.unwrap_or_else(|e| ClientInfo {
            scheduler: format!("unreachable ({})", reason(&e)),
            workers: 0,
            threads: 0,
            memory: 0,
            dashboard: None,
        })
    }

    /// The dask key of task `id` in run `run`: `('sum-aggregate-12-1a2b3c4d-0', 0, 1)`.
    fn key<'py>(
        &self,
        py: Python<'py>,
        graph: &TaskGraph,
        id: usize,
        run: u64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let key = &graph.tasks[id].key;
        let mut items: Vec<Bound<'py, PyAny>> = vec![format!("{}-{}-{run}", key.layer, self.token)
            .into_pyobject(py)?
            .into_any()];
        for &i in &key.index {
            items.push(i.into_pyobject(py)?.into_any());
        }
        PyTuple::new(py, items)
    }
}

/// The reason of a cluster error, without the `cluster: ` its message starts with.
fn reason(error: &Error) -> String {
    match error {
        Error::Cluster { reason } => reason.clone(),
        other => other.to_string(),
    }
}

impl Drop for DaskClient {
    fn drop(&mut self) {
        let _ = with_python(|py| {
            self.client.bind(py).call_method0("close")?;
            if let Some(cluster) = &self.cluster {
                cluster.bind(py).call_method0("close")?;
            }
            Ok(())
        });
    }
}

impl Executor for DaskClient {
    fn execute(&self, graph: &TaskGraph, callback: &dyn Callback) -> Result<Vec<Arc<Value>>> {
        let stop = crate::runtime::Stop::now();
        callback.start(graph);
        let outcome = self.run(graph, &stop);
        callback.finish(outcome.as_ref().err());
        outcome
    }
}

impl DaskClient {
    fn run(&self, graph: &TaskGraph, stop: &crate::runtime::Stop) -> Result<Vec<Arc<Value>>> {
        let units = units(graph, self.info().threads);
        let run = self.runs.fetch_add(1, Ordering::Relaxed);
        let futures = with_python(|py| {
            let tasks = PyList::empty(py);
            for unit in &units {
                let tasks_of_unit: Vec<&crate::graph::Task> =
                    unit.ids.iter().map(|&id| &graph.tasks[id]).collect();
                let spec = wire::encode(&unit.ids, &tasks_of_unit, &unit.inputs)
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
                let deps = unit
                    .inputs
                    .iter()
                    .map(|&d| self.key(py, graph, d, run))
                    .collect::<PyResult<Vec<_>>>()?;
                let id = *unit.ids.last().expect("a unit has a task");
                tasks.append((
                    self.key(py, graph, id, run)?,
                    PyBytes::new(py, &spec),
                    PyList::new(py, deps)?,
                ))?;
            }
            let outputs = graph
                .outputs
                .iter()
                .map(|&o| self.key(py, graph, o, run))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(py
                .import("tessera_dask")?
                .getattr("submit")?
                .call1((self.client.bind(py), tasks, outputs))?
                .unbind())
        })?;
        loop {
            if stop.stopped() {
                let _ = with_python(|py| {
                    self.client
                        .bind(py)
                        .call_method1("cancel", (futures.bind(py),))
                        .map(drop)
                });
                return Err(Error::Cancelled);
            }
            let done = with_python(|py| {
                py.import("tessera_dask")?
                    .getattr("all_done")?
                    .call1((futures.bind(py),))?
                    .extract::<bool>()
            })?;
            if done {
                break;
            }
            std::thread::sleep(POLL);
        }
        with_python(|py| {
            let values = self
                .client
                .bind(py)
                .call_method1("gather", (futures.bind(py),))?;
            values
                .try_iter()?
                .map(|v| Ok(Arc::new(value_from_python(&v?)?)))
                .collect()
        })
    }
}

/// A unit to send: task ids (absorbed inputs first, its own task last) and the tasks whose
/// outputs it receives.
#[derive(Debug, PartialEq)]
struct Unit {
    ids: Vec<usize>,
    inputs: Vec<usize>,
}

/// How `graph` is sent to a cluster of `threads` worker threads. A task with no inputs and one
/// reader (a generated block, a random chunk's partial) runs with that reader when it is its
/// only such input (nothing is lost, a block is not moved), or when there are at least two
/// readers of such tasks per thread (then the scheduler has fewer, larger tasks and every
/// thread still has work: 100 partials folded into 13 combines for 2 threads).
fn units(graph: &TaskGraph, threads: usize) -> Vec<Unit> {
    let mut readers = vec![0usize; graph.tasks.len()];
    for task in &graph.tasks {
        for &dep in &task.deps {
            readers[dep] += 1;
        }
    }
    for &out in &graph.outputs {
        readers[out] += 1;
    }
    let leaf = |id: usize| graph.tasks[id].deps.is_empty() && readers[id] == 1;
    let leaves_of = |task: &crate::graph::Task| task.deps.iter().filter(|&&d| leaf(d)).count();
    let gathering = graph.tasks.iter().filter(|t| leaves_of(t) >= 2).count();
    let fold_many = gathering >= 2 * threads.max(1);
    let folds = |task: &crate::graph::Task| match leaves_of(task) {
        0 => false,
        1 => true,
        _ => fold_many,
    };
    let mut absorbed = vec![false; graph.tasks.len()];
    for task in graph.tasks.iter().filter(|t| folds(t)) {
        for &dep in task.deps.iter().filter(|&&d| leaf(d)) {
            absorbed[dep] = true;
        }
    }
    graph
        .tasks
        .iter()
        .enumerate()
        .filter(|(id, _)| !absorbed[*id])
        .map(|(id, task)| {
            let (mut ids, inputs): (Vec<usize>, Vec<usize>) =
                task.deps.iter().partition(|&&d| absorbed[d]);
            ids.push(id);
            Unit { ids, inputs }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn graph_of(array: &Array) -> TaskGraph {
        crate::graph::lower::lower_node(&crate::optimize::optimize(array.node().unwrap()).unwrap())
    }

    #[test]
    fn many_partials_fold_into_their_combines() {
        let graph = graph_of(&random::normal([10000, 10000], [1000, 1000]).sum().unwrap());
        let sent = units(&graph, 2);
        assert_eq!(
            sent.iter().map(|u| u.ids.len() - 1).sum::<usize>(),
            100,
            "every partial runs inside a combine"
        );
        assert_eq!(
            sent.len(),
            graph.tasks.len() - 100,
            "one unit per combine and aggregate"
        );
        // With many threads, partials stay tasks of their own (parallelism first): a unit takes
        // in at most a lone partial.
        assert!(units(&graph, 64).iter().all(|u| u.ids.len() <= 2));
    }

    #[test]
    fn a_block_runs_with_its_only_reader() {
        let graph = graph_of(
            &(ones([100, 100], 50)
                .slice(s![..10, ..])
                .unwrap()
                .t()
                .rechunk([100, 10])
                .unwrap()),
        );
        for unit in units(&graph, 64) {
            for &inner in &unit.ids[..unit.ids.len() - 1] {
                assert!(graph.tasks[inner].deps.is_empty());
            }
            let last = *unit.ids.last().unwrap();
            let mut wanted: Vec<usize> = graph.tasks[last].deps.clone();
            wanted.retain(|d| !unit.ids.contains(d));
            assert_eq!(unit.inputs, wanted);
        }
    }
}
