//! [`Array`]: the public, lazy, chunked array handle.

use std::fmt;
use std::sync::OnceLock;

use crate::chunks::Chunks;
use crate::data::Computed;
use crate::dtype::DType;
use crate::error::{fmt_shape, Error, Result};
use crate::expr::{Node, NodeRef};

/// A lazy n-dimensional array split into chunks, like `dask.array.Array`.
///
/// An `Array` is a cheap handle (an `Arc`) to a plan node: building one never computes or
/// allocates the values. [`compute`](Array::compute) lowers the plan to one task per chunk and
/// runs only the tasks the result needs, on a thread pool.
///
/// **Errors without panics.** Operators (`&a + &b`) cannot return a `Result`, so an operation
/// that fails (say, shapes that do not broadcast) returns an *invalid* array that carries the
/// error. Every fallible call on it or on arrays built from it (`sum()?`, `slice(..)?`,
/// `compute()?`, [`check`](Array::check)`()?`) returns that error, so a bad expression in a
/// notebook cell is reported at the next `?` and never aborts the kernel. Metadata of an invalid
/// array is empty (`shape() == []`).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let y = random::Rng::new(0).normal(0.0, 1.0, [10000, 10000], [1000, 1000]);
/// assert_eq!(
///     y.to_string(),
///     "tessera.Array<normal, shape=(10000, 10000), dtype=float64, chunksize=(1000, 1000)>"
/// );
/// assert_eq!(y.shape(), &[10000, 10000]);
/// assert_eq!(y.size(), 100_000_000);
/// assert_eq!(y.npartitions(), 100);
/// let mu = y.mean_axis(0)?;                       // lazy, shape (10000,)
/// let part = mu.slice(s![0..100])?.compute()?;    // computes 10 of the 100 chunks
/// assert_eq!(part.shape(), &[100]);
/// assert!(part.to_vec::<f64>().iter().all(|m| m.abs() < 0.05));
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Clone)]
pub struct Array {
    inner: std::result::Result<NodeRef, Error>,
}

impl Array {
    /// Wraps a plan node.
    pub(crate) fn from_node(node: NodeRef) -> Array {
        Array { inner: Ok(node) }
    }

    /// An invalid array carrying `error`.
    pub(crate) fn from_error(error: Error) -> Array {
        Array { inner: Err(error) }
    }

    /// An array from a fallible build: `Err` becomes an invalid array.
    pub(crate) fn from_result(result: Result<Array>) -> Array {
        result.unwrap_or_else(Array::from_error)
    }

    /// The plan node, or the error this array carries.
    pub(crate) fn node(&self) -> Result<&NodeRef> {
        self.inner.as_ref().map_err(Clone::clone)
    }

    /// `Ok(self)` for a valid array; the carried error for one built from a failed operation.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let bad = ones([2, 3], 2) * ones([4], 2);
    /// assert!(bad.check().is_err());
    /// assert!(ones([2, 3], 2).check().is_ok());
    /// ```
    pub fn check(&self) -> Result<&Array> {
        self.node().map(|_| self)
    }

    /// The error an invalid array carries, if any.
    pub fn error(&self) -> Option<&Error> {
        self.inner.as_ref().err()
    }

    fn meta<T>(&self, f: impl FnOnce(&Node) -> T, invalid: T) -> T {
        match &self.inner {
            Ok(node) => f(node),
            Err(_) => invalid,
        }
    }

    /// The length of each axis.
    pub fn shape(&self) -> &[usize] {
        match &self.inner {
            Ok(node) => &node.shape,
            Err(_) => &[],
        }
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.meta(Node::size, 0)
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.shape().len()
    }

    /// Element type (`float64` for an invalid array).
    pub fn dtype(&self) -> DType {
        self.meta(|n| n.dtype, DType::Float64)
    }

    /// Bytes the values would take in memory if computed at once.
    pub fn nbytes(&self) -> usize {
        self.size() * self.dtype().itemsize()
    }

    /// The chunk grid: block lengths for each axis (dask's `chunks`).
    pub fn chunks(&self) -> &Chunks {
        static NONE: OnceLock<Chunks> = OnceLock::new();
        match &self.inner {
            Ok(node) => &node.chunks,
            Err(_) => NONE.get_or_init(|| Chunks::single(&[])),
        }
    }

    /// The largest block length on each axis (dask's `chunksize`).
    pub fn chunksize(&self) -> Vec<usize> {
        self.chunks().chunksize()
    }

    /// Number of chunks.
    pub fn npartitions(&self) -> usize {
        self.chunks().npartitions()
    }

    /// The operation that produced this array (`normal`, `mean`, `getitem`, …).
    pub fn name(&self) -> String {
        self.meta(Node::op_name, "invalid".to_string())
    }

    /// The logical plan as indented text, one operation a line.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let plan = ones([4, 4], 2).sum_axis(0)?.plan();
    /// assert_eq!(plan, "sum axes=[0] shape=(4,) float64\n  ones shape=(4, 4) float64\n");
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn plan(&self) -> String {
        match &self.inner {
            Ok(node) => crate::expr::plan_text(node),
            Err(e) => format!("invalid: {e}\n"),
        }
    }

    /// The same array with its plan rewritten by the optimizer, as `compute()` runs it: same
    /// shape, dtype, chunks and values (up to rounding), usually fewer or smaller chunk tasks:
    /// slices are pushed toward the sources, so only the selected part of a random array is
    /// generated, and elementwise operations under a reduction are fused into it, so their
    /// chunks are never allocated.
    ///
    /// **Errors**: the error an invalid array carries; an optimizer rule that broke the plan
    /// ([`Error::Rule`], a bug).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::graph::TaskOp;
    /// use tessera::prelude::*;
    /// let part = random::normal([1000, 1000], [100, 100]).mean_axis(0)?.slice(s![0..10])?;
    /// // How many random values the computation generates (in blocks, or straight into sums).
    /// let generated = |a: &Array| -> tessera::Result<usize> {
    ///     let graph = tessera::graph::lower(a)?;
    ///     Ok(graph.tasks.iter().map(|t| match &t.op {
    ///         TaskOp::Generate { region, .. } | TaskOp::RandomReduce { region, .. } => {
    ///             region.iter().map(|r| r.len()).product()
    ///         }
    ///         _ => 0,
    ///     }).sum())
    /// };
    /// // the ten 100 x 100 chunks of the first column
    /// assert_eq!(generated(&part)?, 1000 * 100);
    /// let optimized = part.optimized()?;
    /// assert_eq!(optimized.chunks(), part.chunks());
    /// // The slice reached the source, which is generated straight into the mean's sums: only
    /// // the ten columns it keeps are generated.
    /// let plan = optimized.plan();
    /// assert!(plan.contains("fused into the sum shape=(1000, 10) float64\n    normal[:, 0:10]"));
    /// assert_eq!(generated(&optimized)?, 1000 * 10);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn optimized(&self) -> Result<Array> {
        crate::optimize::optimize(self.node()?).map(Array::from_node)
    }

    /// What `compute()` will run: the logical plan as built, the plan after optimization, and
    /// the number of chunk tasks of the optimized plan. For an invalid array, its error.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let y = random::Rng::new(0).normal(0.0, 1.0, [100, 100], [50, 50]);
    /// let text = y.mean_axis(0)?.slice(s![0..10])?.explain();
    /// assert_eq!(text, "\
    /// logical plan:
    /// getitem [0:10] shape=(10,) float64
    ///   mean axes=[0] shape=(100,) float64
    ///     normal shape=(100, 100) float64
    /// optimized plan:
    /// mean axes=[0] shape=(10,) float64
    ///   fused into the sum shape=(100, 10) float64
    ///     normal[:, 0:10] of (100, 100) shape=(100, 10) float64
    /// chunk tasks: 4
    /// ");
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn explain(&self) -> String {
        let node = match self.node() {
            Ok(node) => node,
            Err(e) => return format!("invalid: {e}\n"),
        };
        let before = crate::expr::plan_text(node);
        match crate::optimize::optimize(node) {
            Ok(after) => {
                let tasks = crate::graph::lower::lower_node(&after).tasks.len();
                format!(
                    "logical plan:\n{before}optimized plan:\n{}chunk tasks: {tasks}\n",
                    crate::expr::plan_text(&after)
                )
            }
            Err(e) => format!("logical plan:\n{before}optimizer error: {e}\n"),
        }
    }

    /// Computes the values: builds the chunk tasks the result needs and runs them on the
    /// thread pool, freeing each intermediate chunk as soon as its consumers are done. The plan
    /// is optimized first (see [`optimized`](Array::optimized)); the values are the same.
    ///
    /// **Errors**: the error an invalid array carries, or one raised while computing (a failing
    /// `map_blocks` function, a cancelled run).
    pub fn compute(&self) -> Result<Computed> {
        crate::exec::compute(self.node()?, &())
    }

    /// [`compute`](Array::compute), telling `callback` (a [`ProgressBar`], a
    /// [`ResourceProfiler`], a tuple of them, …) as the computation runs: dask's
    /// `with ProgressBar(): x.compute()`.
    ///
    /// [`ProgressBar`]: crate::diagnostics::ProgressBar
    /// [`ResourceProfiler`]: crate::diagnostics::ResourceProfiler
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let (bar, profiler) = (ProgressBar::new(), Profiler::new());
    /// let total = ones([1000, 1000], [100, 1000]).sum()?.compute_with(&(&bar, &profiler))?;
    /// assert_eq!(total.to_scalar::<f64>()?, 1e6);
    /// assert!(bar.last_line().contains("100% Completed"));
    /// assert_eq!(profiler.results().iter().filter(|t| t.operation == "sum-partial").count(), 10);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn compute_with(&self, callback: &dyn crate::exec::events::Callback) -> Result<Computed> {
        crate::exec::compute(self.node()?, callback)
    }
}

/// dask's text repr:
/// `tessera.Array<normal, shape=(10000, 10000), dtype=float64, chunksize=(1000, 1000)>`.
impl fmt::Display for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Ok(node) => write!(
                f,
                "tessera.Array<{}, shape={}, dtype={}, chunksize={}>",
                node.op_name(),
                fmt_shape(&node.shape),
                node.dtype,
                fmt_shape(&node.chunks.chunksize())
            ),
            Err(e) => write!(f, "tessera.Array<invalid: {e}>"),
        }
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An array is a plan (lowering and the displays take either).
impl crate::expr::AsPlan for Array {
    fn plan_root(&self) -> Result<&NodeRef> {
        self.node()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_results_cross_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Array>();
        assert_send_sync::<Computed>();
        assert_send_sync::<Error>();
    }
}
