//! [`Client`] and [`Future`]: computations sent to the background, on this machine or on a
//! dask.distributed cluster — dask's `Client`, `client.compute(x)`, `future.result()`.
//!
//! [`Client::new`] runs futures on this process's pool; [`Client::connect`] and
//! [`Client::local_cluster`] (with the `distributed` feature) send each computation's chunk
//! tasks, as data, to dask.distributed workers where tessera's Python package runs them.
//!
//! # Examples
//!
//! ```
//! use tessera::prelude::*;
//! use tessera::client::Client;
//! let client = Client::new();
//! let y = random::normal([4000, 4000], [1000, 1000]);
//! let (sum, mean) = (client.compute(&y.sum()?), client.compute(&y.mean()?));  // both run
//! let values = client.gather(&[sum, mean])?;
//! let (total, mean) = (values[0].to_scalar::<f64>()?, values[1].to_scalar::<f64>()?);
//! assert!((total / 16e6 - mean).abs() < 1e-12);
//! # Ok::<(), tessera::Error>(())
//! ```

pub mod bridge;

use std::sync::Arc;

pub use crate::future::{ClientInfo, Future, Status};

use crate::array::Array;
use crate::data::Computed;
use crate::error::Result;
use crate::future::LocalWork;

/// Sends computations to run in the background and hands back [`Future`]s.
#[derive(Clone)]
pub struct Client {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    /// This process's pool.
    Local,
    /// A dask.distributed scheduler.
    #[cfg(feature = "distributed")]
    Dask(Arc<crate::distributed::DaskClient>),
    /// A dask.distributed client held by the kernel (in notebook cells, see [`bridge`]).
    #[cfg_attr(feature = "distributed", allow(dead_code))]
    Bridge(Arc<bridge::BridgeClient>),
}

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

impl Client {
    /// A client running computations on this process's thread pool (dask's `Client()`
    /// without a cluster, but threads instead of worker processes: nothing to start).
    pub fn new() -> Client {
        Client {
            backend: Backend::Local,
        }
    }

    /// Connects to a running dask.distributed scheduler (`dask scheduler` prints its address)
    /// whose workers have tessera's Python package (`tessera_dask`) installed.
    ///
    /// **Errors**: [`Error::Cluster`](crate::Error::Cluster) naming the address when no scheduler
    /// answers within 10 seconds, or when tessera was built without the `distributed` feature.
    pub fn connect(address: &str) -> Result<Client> {
        #[cfg(feature = "distributed")]
        return Ok(Client {
            backend: Backend::Dask(Arc::new(crate::distributed::DaskClient::connect(address)?)),
        });
        #[cfg(not(feature = "distributed"))]
        if crate::hostcall::available() {
            Ok(Client {
                backend: Backend::Bridge(Arc::new(bridge::BridgeClient::connect(address)?)),
            })
        } else {
            Err(without_distributed(&format!("connect to {address}")))
        }
    }

    /// Starts a dask `LocalCluster` of `n_workers` worker processes on this machine and
    /// connects to it; the cluster stops when the last clone of the client is dropped.
    ///
    /// **Errors**: [`Error::Cluster`](crate::Error::Cluster) when Python, dask.distributed or
    /// `tessera_dask` cannot be loaded, or tessera was built without the `distributed` feature.
    pub fn local_cluster(n_workers: usize) -> Result<Client> {
        #[cfg(feature = "distributed")]
        return Ok(Client {
            backend: Backend::Dask(Arc::new(crate::distributed::DaskClient::local_cluster(
                n_workers,
            )?)),
        });
        #[cfg(not(feature = "distributed"))]
        if crate::hostcall::available() {
            Ok(Client {
                backend: Backend::Bridge(Arc::new(bridge::BridgeClient::local_cluster(n_workers)?)),
            })
        } else {
            Err(without_distributed(&format!(
                "start a cluster of {n_workers} workers"
            )))
        }
    }

    /// Starts computing `array` and returns at once with its [`Future`]. Futures run
    /// concurrently. An invalid array gives a future that has failed with its error.
    pub fn compute(&self, array: &Array) -> Future {
        let (key, dtype, shape) = match array.node() {
            Ok(node) => (
                format!("{}-{}", node.op_name(), node.id),
                array.dtype(),
                array.shape().to_vec(),
            ),
            Err(_) => ("invalid".to_string(), array.dtype(), vec![]),
        };
        let work: Arc<dyn crate::future::Work> = match &self.backend {
            Backend::Local => {
                let array = array.clone();
                LocalWork::spawn(&key, move || array.compute())
            }
            #[cfg(feature = "distributed")]
            Backend::Dask(client) => client.compute(&key, array),
            Backend::Bridge(client) => client.compute(&key, array),
        };
        Future {
            key,
            dtype,
            shape,
            work,
        }
    }

    /// Waits for every future and returns their values in order; the first error (in order)
    /// is returned instead if one failed.
    pub fn gather(&self, futures: &[Future]) -> Result<Vec<Computed>> {
        futures.iter().map(Future::result).collect()
    }

    /// Computes `array` through this client, waits, and returns an array backed by the values
    /// so later expressions reuse them (kept in this process's memory, or spilled to a
    /// temporary Zarr store beyond half the memory budget, as [`Array::persist`]).
    pub fn persist(&self, array: &Array) -> Result<Array> {
        match &self.backend {
            Backend::Local => array.persist(),
            _ => {
                let values = self.compute(array).result()?.into_data();
                let chunks = array.chunks().clone();
                Ok(crate::data::with_data!(values, a => crate::ops::from_array(a, chunks)))
            }
        }
    }

    /// What the client runs on: scheduler, workers, threads, memory, dashboard.
    pub fn info(&self) -> ClientInfo {
        match &self.backend {
            Backend::Local => ClientInfo {
                scheduler: "local".into(),
                workers: 1,
                threads: crate::exec::worker_count(),
                memory: crate::config::memory_budget() as u64,
                dashboard: None,
            },
            #[cfg(feature = "distributed")]
            Backend::Dask(client) => client.info(),
            Backend::Bridge(client) => client.info(),
        }
    }
}

/// The error for a cluster operation in a build without the `distributed` feature.
#[cfg(not(feature = "distributed"))]
fn without_distributed(what: &str) -> crate::Error {
    crate::Error::Cluster {
        reason: format!(
            "cannot {what}: tessera was built without its `distributed` feature \
             (add features = [\"distributed\"] to the tessera dependency)"
        ),
    }
}
