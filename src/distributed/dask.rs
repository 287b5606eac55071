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
use crate::client::ClientInfo;
use crate::diagnostics::Callback;
use crate::error::{Error, Result};
use crate::exec::Executor;
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
            Ok(distributed.getattr("Client")?.call((address,), Some(&kwargs))?.unbind())
        })
        .map_err(|e| Error::Cluster { reason: format!("cannot connect to the dask scheduler at {address}: {}", reason(&e)) })?;
        Ok(DaskClient::new(client, None))
    }

    /// Starts a `LocalCluster` of `n_workers` processes and connects to it.
    pub fn local_cluster(n_workers: usize) -> Result<DaskClient> {
        let (cluster, client) = with_python(|py| {
            let helpers = py.import("tessera_dask")?;
            let pair = helpers.getattr("local_cluster")?.call1((n_workers,))?;
            Ok((pair.get_item(0)?.unbind(), pair.get_item(1)?.unbind()))
        })
        .map_err(|e| Error::Cluster { reason: format!("cannot start a local dask cluster of {n_workers} workers: {}", reason(&e)) })?;
        Ok(DaskClient::new(client, Some(cluster)))
    }

    fn new(client: Py<PyAny>, cluster: Option<Py<PyAny>>) -> DaskClient {
        let token = format!("{:08x}", RandomState::new().hash_one(std::process::id()) as u32);
        DaskClient { client, cluster, token, runs: AtomicU64::new(0) }
    }

    /// Starts computing `array` on the cluster; the work ends when its values are here.
    pub(crate) fn compute(self: &Arc<Self>, key: &str, array: &Array) -> Arc<dyn crate::client::future::Work> {
        let client = self.clone();
        let array = array.clone();
        crate::client::future::LocalWork::spawn(key, move || crate::exec::compute_on(&*client, array.node()?, &()))
    }

    /// Scheduler address, workers, threads, memory and dashboard link.
    pub fn info(&self) -> ClientInfo {
        let asked = with_python(|py| {
            let info = py.import("tessera_dask")?.getattr("client_info")?.call1((self.client.bind(py),))?;
            Ok(ClientInfo {
                scheduler: info.get_item(0)?.extract()?,
                workers: info.get_item(1)?.extract()?,
                threads: info.get_item(2)?.extract()?,
                memory: info.get_item(3)?.extract()?,
                dashboard: info.get_item(4)?.extract()?,
            })
        });
        asked.unwrap_or_else(|e| ClientInfo { scheduler: format!("unreachable ({})", reason(&e)), workers: 0, threads: 0, memory: 0, dashboard: None })
    }

    /// The dask key of task `id` in run `run`: `('sum-aggregate-12-1a2b3c4d-0', 0, 1)`.
    fn key<'py>(&self, py: Python<'py>, graph: &TaskGraph, id: usize, run: u64) -> PyResult<Bound<'py, PyTuple>> {
        let key = &graph.tasks[id].key;
        let mut items: Vec<Bound<'py, PyAny>> = vec![format!("{}-{}-{run}", key.layer, self.token).into_pyobject(py)?.into_any()];
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
        let specs: Vec<Vec<u8>> = graph.tasks.iter().map(wire::encode).collect::<Result<_>>()?;
        let run = self.runs.fetch_add(1, Ordering::Relaxed);
        let futures = with_python(|py| {
            let tasks = PyList::empty(py);
            for (id, task) in graph.tasks.iter().enumerate() {
                let deps = task.deps.iter().map(|&d| self.key(py, graph, d, run)).collect::<PyResult<Vec<_>>>()?;
                tasks.append((self.key(py, graph, id, run)?, PyBytes::new(py, &specs[id]), PyList::new(py, deps)?))?;
            }
            let outputs = graph.outputs.iter().map(|&o| self.key(py, graph, o, run)).collect::<PyResult<Vec<_>>>()?;
            Ok(py.import("tessera_dask")?.getattr("submit")?.call1((self.client.bind(py), tasks, outputs))?.unbind())
        })?;
        loop {
            if stop.stopped() {
                let _ = with_python(|py| self.client.bind(py).call_method1("cancel", (futures.bind(py),)).map(drop));
                return Err(Error::Cancelled);
            }
            let done = with_python(|py| py.import("tessera_dask")?.getattr("all_done")?.call1((futures.bind(py),))?.extract::<bool>())?;
            if done {
                break;
            }
            std::thread::sleep(POLL);
        }
        with_python(|py| {
            let values = self.client.bind(py).call_method1("gather", (futures.bind(py),))?;
            values.try_iter()?.map(|v| Ok(Arc::new(value_from_python(&v?)?))).collect()
        })
    }
}
