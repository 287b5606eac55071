//! # tessera — lazy, chunked, out-of-core arrays for Rust
//!
//! tessera is to Rust what `dask.array` is to Python: an [`Array`] is a lazy expression over a
//! grid of chunks. Building one allocates nothing; [`Array::compute`] lowers the plan to one
//! task per chunk that the result needs and runs them on a thread pool, freeing each
//! intermediate chunk as soon as it has been consumed. Arrays far larger than memory can be
//! reduced chunk by chunk.
//!
//! ```
//! use tessera::prelude::*;
//! let y = random::normal([10000, 10000], [1000, 1000]);   // 800 MB, nothing allocated
//! let mu = y.mean_axis(0)?;                              // lazy, shape (10000,)
//! let first = mu.slice(s![0])?.compute()?;               // 10 chunks computed, not 100
//! assert!(first.to_scalar::<f64>()?.abs() < 0.05);
//! let total = y.sum()?.compute()?.to_scalar::<f64>()?;  // all 100 chunks, 2 at a time
//! assert!(total.abs() < 60_000.0);
//! # Ok::<(), tessera::Error>(())
//! ```
//!
//! The pipeline is visible in the modules: [`expr`] (the logical plan) → `optimize` (rewrite
//! rules) → [`graph`] (chunk tasks) → `exec` (schedulers), with `kernels` (eager chunk
//! functions) beside it.
//!
//! ## What differs from dask
//!
//! * **Random arrays are counter-based** ([`random`]): element `i` is a pure function of the
//!   seed and `i`, so values do not depend on the chunking and any slice is generated directly.
//! * **Errors are values.** A failed operator (`&a + &b` with shapes that do not broadcast)
//!   gives an invalid array whose error is returned by the next fallible call; nothing panics.
//! * **Runtime dtypes** (`bool`, `int8`…`int64`, `uint8`…`uint64`, `float16 float32 float64`)
//!   with numpy 2's promotion rules, so user code never instantiates the engine's generic
//!   kernels.

pub mod array;
pub mod chunks;
pub mod client;
pub mod config;
pub mod data;
pub mod diagnostics;
pub mod display;
#[cfg(feature = "distributed")]
pub mod distributed;
pub mod dtype;
pub mod error;
mod exec;
pub mod expr;
mod formats;
mod future;
pub mod graph;
pub mod host;
mod hostcall;
pub mod io;
mod kernels;
pub mod ops;
mod optimize;
pub mod plot;
mod prng;
pub mod profile;
pub mod random;
pub mod runtime;
mod selection;
mod shared;
pub mod simd;
mod units;

pub use array::Array;
pub use chunks::{AxisChunks, ChunkSpec, Chunks};
pub use data::{ArrayData, Computed, DataElement};
pub use dtype::{DType, Element, Scalar, UnknownDType};
pub use error::{Error, Result};
pub use expr::ReduceOp;
/// The float16 element type (`DType::Float16`), from the `half` crate.
pub use half::f16;
/// The ndarray crate results come in (`Computed::into_ndarray`), for eager code in cells.
pub use ndarray;
pub use ops::{
    arange, block, broadcast_arrays, concatenate, empty, empty_like, eye, from_array, full,
    full_dtype, full_like, indices, linspace, meshgrid, numpy_slice, ones, ones_dtype, ones_like,
    select, stack, where_, zeros, zeros_dtype, zeros_like, Boundary, Depth, Indexing, PadMode,
    PadWidth, Sections,
};
pub use ops::{compute, compute_with, persist};

/// Everything a notebook cell needs: `use tessera::prelude::*;`.
pub mod prelude {
    pub use crate::chunks::{AxisChunks, ChunkSpec, Chunks};
    pub use crate::client::{Client, Future, Status};
    pub use crate::data::Computed;
    pub use crate::diagnostics::{Profiler, ProgressBar, ResourceProfiler};
    pub use crate::display::DebugText;
    pub use crate::dtype::{DType, Scalar};
    pub use crate::error::{Error, Result};
    pub use crate::expr::ReduceOp;
    pub use crate::ops::{
        arange, block, broadcast_arrays, concatenate, empty, empty_like, eye, from_array, full,
        full_dtype, full_like, indices, linspace, meshgrid, numpy_slice, ones, ones_dtype,
        ones_like, stack, where_, zeros, zeros_dtype, zeros_like, Boundary, Depth, Indexing,
        PadMode, PadWidth, Sections,
    };
    pub use crate::random;
    pub use crate::Array;
    pub use ndarray::{self, s, Axis, NewAxis};
}
