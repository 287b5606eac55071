//! tessera on a dask.distributed cluster (feature `distributed`).
//!
//! dask.distributed schedules, moves chunks between workers and recovers from lost workers;
//! tessera's chunk kernels do the work. The driver (a notebook, a program) talks to the
//! scheduler through an embedded Python interpreter and dask's public `Client` API
//! ([`DaskClient`], used through [`Client::connect`](crate::Client::connect) and
//! [`Client::local_cluster`](crate::Client::local_cluster)). Each chunk task is sent as data
//! ([`graph::wire`](crate::graph::wire)); on the workers the Python package `tessera_dask`
//! (`python/tessera_dask`, built with maturin from this crate) runs it with [`run_task`].
//!
//! The Python whose packages are used (dask, distributed, tessera_dask) is `python3` on the
//! `PATH`, or the one named by `TESSERA_PYTHON`.

pub mod bridge;
mod convert;
mod dask;
mod python;
mod worker;

pub use dask::DaskClient;
pub use python::PYTHON_ENV;
pub use worker::run_task;
