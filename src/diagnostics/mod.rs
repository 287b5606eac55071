//! Watching computations, as `dask.diagnostics`: a [`Callback`] hears when a computation starts,
//! when each chunk task starts and finishes, and when it ends. [`ProgressBar`],
//! [`ResourceProfiler`] and [`Profiler`] are callbacks.
//!
//! Pass one to a single computation with [`Array::compute_with`](crate::Array::compute_with),
//! or [`register`] it for every computation while its guard lives (dask's
//! `with ProgressBar(): …` / `ProgressBar().register()`).
//!
//! # Examples
//!
//! ```
//! use tessera::prelude::*;
//! use tessera::diagnostics::{Callback, TaskEvent};
//! use std::sync::atomic::{AtomicUsize, Ordering};
//!
//! #[derive(Default)]
//! struct Count(AtomicUsize);
//! impl Callback for Count {
//!     fn task_finish(&self, _event: &TaskEvent<'_>) {
//!         self.0.fetch_add(1, Ordering::Relaxed);
//!     }
//! }
//! let counter = Count::default();
//! let total = ones([100, 100], [10, 100]).sum()?;
//! total.compute_with(&counter)?;
//! let tasks = tessera::graph::lower(&total.optimized()?)?.tasks.len();
//! assert_eq!(counter.0.load(Ordering::Relaxed), tasks);   // every chunk task, once
//! # Ok::<(), tessera::Error>(())
//! ```

mod plots;
mod profiler;
mod progress;
mod resources;

pub use profiler::{Profiler, TaskRecord};
pub use progress::ProgressBar;
pub use resources::{ResourceProfiler, ResourceSample};

// The events are the executor's (it emits them); watching them is this module's.
pub use crate::exec::events::{register, Callback, Registration, TaskEvent};
