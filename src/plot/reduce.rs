//! Out-of-core reductions behind the plots: a histogram in one pass over the blocks (per-block
//! counts, summed), and the screen-sized overview of an image larger than the figure (a
//! strided selection where the source makes it exactly and cheaply, else block means).

use std::sync::Mutex;

use ndarray::{ArrayD, IxDyn, SliceInfoElem};

use super::PlotData;
use crate::error::{Error, Result};
use crate::expr::{ExprKind, Node, Source};
use crate::kernels::coarsen::{add_block, Means};
use crate::kernels::histogram::{count_into, finite_range, Bins};

/// A histogram: `counts[i]` values fell in `edges[i]..edges[i + 1]` (the last bin closed).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Values in each bin.
    pub counts: Vec<u64>,
    /// The `counts.len() + 1` bin edges.
    pub edges: Vec<f64>,
}

impl Histogram {
    /// numpy's `density=True`: each count divided by the total and its bin's width, so the
    /// bars' area is 1 (all zeros when nothing was counted).
    pub fn density(&self) -> Vec<f64> {
        let total: u64 = self.counts.iter().sum();
        self.counts
            .iter()
            .zip(self.edges.windows(2))
            .map(|(&c, e)| {
                if total == 0 {
                    0.0
                } else {
                    c as f64 / total as f64 / (e[1] - e[0])
                }
            })
            .collect()
    }
}

/// `numpy.histogram(data, bins, range)` with equal-width bins, out of core for a lazy array:
/// each block is counted as it is computed and freed (one pass; without `range`, a first pass
/// finds the range).
///
/// The automatic range is that of the finite values: NaN is left out, as matplotlib's `hist`
/// does (numpy refuses data with NaN without a range), and so are ±inf, which fall outside
/// every bin (numpy and matplotlib refuse them). Empty data has numpy's range `(0, 1)`.
///
/// **Errors**: `bins` of 0; a `range` whose ends are not finite or not increasing; data with
/// values but none finite and no `range`; an invalid array or a failed computation.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let h = tessera::plot::histogram(&arange(0, 10, 1, 3), 2, None)?;
/// assert_eq!(h.counts, vec![5, 5]);                 // np.histogram(np.arange(10), 2)
/// assert_eq!(h.edges, vec![0.0, 4.5, 9.0]);
/// let h = tessera::plot::histogram(vec![0.5, f64::NAN, 7.0], 2, Some((0.0, 1.0)))?;
/// assert_eq!(h.counts, vec![0, 1]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn histogram(
    data: impl Into<PlotData>,
    bins: usize,
    range: Option<(f64, f64)>,
) -> Result<Histogram> {
    let data = data.into();
    data.check()?;
    if bins == 0 {
        return Err(invalid("hist", "bins must be at least 1, got 0".into()));
    }
    let (first, last) = match range {
        Some((lo, hi)) if !(lo.is_finite() && hi.is_finite()) => {
            return Err(invalid("hist", format!("range ({lo}, {hi}) is not finite")))
        }
        Some((lo, hi)) if lo > hi => {
            return Err(invalid(
                "hist",
                format!("range ({lo}, {hi}): the first end must not exceed the second"),
            ))
        }
        Some(range) => range,
        None if data.shape().contains(&0) => (0.0, 1.0),
        None => data_range(&data)?,
    };
    let bins = Bins::new(first, last, bins);
    let counts = Mutex::new(vec![0u64; bins.len()]);
    for_each_block(&data, &|_, block| {
        let mut mine = vec![0u64; bins.len()];
        count_into(block, &bins, &mut mine);
        let mut total = counts.lock().expect("counts");
        for (t, m) in total.iter_mut().zip(mine) {
            *t += m;
        }
        Ok(())
    })?;
    Ok(Histogram {
        counts: counts.into_inner().expect("counts"),
        edges: bins.edges,
    })
}

/// The least and greatest finite values (a pass over the blocks).
fn data_range(data: &PlotData) -> Result<(f64, f64)> {
    let range: Mutex<Option<(f64, f64)>> = Mutex::new(None);
    for_each_block(data, &|_, block| {
        if let Some((lo, hi)) = finite_range(block) {
            let mut r = range.lock().expect("range");
            *r = Some(r.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
        Ok(())
    })?;
    range.into_inner().expect("range").ok_or_else(|| {
        let n: usize = data.shape().iter().product();
        invalid(
            "hist",
            format!(
                "no finite values to bin: all {n} values are NaN or ±inf (pass a range to \
                 count the finite ones of a part)"
            ),
        )
    })
}

/// Calls `f(region, block)` for each block: as a lazy array's blocks are computed (from the
/// worker threads, each freed after), or once for values in memory.
fn for_each_block(data: &PlotData, f: crate::exec::BlockSink<'_>) -> Result<()> {
    match data {
        PlotData::Lazy(a) => crate::io::bands::for_each_block(&in_small_blocks(a)?, f),
        PlotData::Eager(d) => {
            let region: Vec<_> = d.shape().iter().map(|&n| 0..n).collect();
            f(&region, d)
        }
    }
}

/// Elements of a block a streaming reduction asks a generated source for: a block in cache
/// (generated and counted there, as the fused random sums do), not a chunk in memory —
/// 128 KiB of f64, well inside a core's L2 with the generator's tables beside it.
const STREAM_BLOCK: usize = 1 << 14;

/// `array`, when its plan optimizes to a source that generates any region (random values,
/// ranges, constants, in-memory arrays), as that source in blocks of about [`STREAM_BLOCK`]
/// elements along the first axis; else `array` itself. The values are the same (counter-based
/// random values do not depend on the chunks).
fn in_small_blocks(array: &crate::Array) -> Result<crate::Array> {
    let optimized = array.optimized()?;
    let node = optimized.node()?;
    let inner: usize = node.shape[1..].iter().product();
    // Files are read in their chunks; only generated sources can be asked for small regions.
    let generated = match &node.kind {
        ExprKind::Source { source, .. } => {
            !matches!(source, Source::Zarr { .. } | Source::Npy { .. })
        }
        _ => false,
    };
    if !generated || node.shape.is_empty() || inner > STREAM_BLOCK || node.size() == 0 {
        return Ok(array.clone());
    }
    let ExprKind::Source { source, view } = &node.kind else {
        return Ok(array.clone());
    };
    let mut sizes = node.shape.clone();
    sizes[0] = (STREAM_BLOCK / inner).max(1).min(node.shape[0]);
    let chunks = crate::Chunks::normalize(sizes, &node.shape, node.dtype)?;
    let kind = ExprKind::Source {
        source: source.clone(),
        view: view.clone(),
    };
    Ok(crate::Array::from_node(Node::new(
        kind,
        node.shape.clone(),
        node.dtype,
        chunks,
    )))
}

fn invalid(op: &'static str, reason: String) -> Error {
    Error::InvalidArgument { op, reason }
}

/// How an [`Overview`] was made from its array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewKind {
    /// The whole array: it fits the pixels.
    Whole,
    /// Every `step[0]`-th row and `step[1]`-th column, selected in the source (exact values).
    Strided {
        /// The steps along rows and columns.
        step: [usize; 2],
    },
    /// Means of `size[0]` × `size[1]` blocks of elements (NaN left out), read chunk by chunk.
    BlockMean {
        /// Rows and columns of a block.
        size: [usize; 2],
    },
}

impl OverviewKind {
    /// What a plot's title says of it (`None` for the whole array).
    pub fn note(self) -> Option<String> {
        match self {
            OverviewKind::Whole => None,
            OverviewKind::Strided { step } => Some(format!(
                "overview: 1 in {} rows, 1 in {} columns",
                step[0], step[1]
            )),
            OverviewKind::BlockMean { size } => {
                Some(format!("overview: means of {}×{} blocks", size[0], size[1]))
            }
        }
    }
}

/// A screen-sized image of an array: its values as f64 and how they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// At most the requested rows × columns (and the array's later axes, for RGB images).
    pub values: ArrayD<f64>,
    /// Whole, strided or block means.
    pub kind: OverviewKind,
}

/// At most `max` rows × columns of `data` (2-D, or 3-D with colour channels last), computing
/// no more than that where it can: a lazy array larger than `max` becomes a strided selection
/// when the optimizer pushes it into sources that generate or read exactly the selected
/// elements (random, ranges, in-memory arrays, `.npy` files, elementwise functions of them),
/// else the means of blocks, computed chunk by chunk (each chunk once: a Zarr store's chunks
/// are each decoded once when the array's chunks are the store's).
///
/// **Errors**: fewer than 2 axes, or a `max` of 0; an invalid array or a failed computation.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::plot::{overview, OverviewKind};
/// let x = random::normal([10000, 8000], [1000, 1000]);
/// let o = overview(&x, [500, 500])?;                 // every 20th row, 16th column
/// assert_eq!(o.kind, OverviewKind::Strided { step: [20, 16] });
/// assert_eq!(o.values.shape(), &[500, 500]);
/// let mean = random::normal([4, 1000, 800], [4, 500, 500]).mean_axis(0)?;  // not a source
/// let o = overview(&mean, [100, 100])?;
/// assert_eq!(o.kind, OverviewKind::BlockMean { size: [10, 8] });
/// assert_eq!(o.values.shape(), &[100, 100]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn overview(data: impl Into<PlotData>, max: [usize; 2]) -> Result<Overview> {
    let data = data.into();
    data.check()?;
    let shape = data.shape().to_vec();
    if shape.len() < 2 || max.contains(&0) {
        return Err(invalid(
            "overview",
            format!(
                "needs an array of at least 2 axes and a size of at least 1×1, got shape {:?} \
                 and size {}×{}",
                shape, max[0], max[1]
            ),
        ));
    }
    let step = [
        shape[0].div_ceil(max[0]).max(1),
        shape[1].div_ceil(max[1]).max(1),
    ];
    if step == [1, 1] {
        let values = data.values()?.into_array::<f64>();
        return Ok(Overview {
            values,
            kind: OverviewKind::Whole,
        });
    }
    if let PlotData::Lazy(a) = &data {
        let strided = a.slice(strided_index(step, shape.len()).as_slice())?;
        if exact_and_cheap(strided.optimized()?.node()?) {
            return Ok(Overview {
                values: strided.compute()?.into_data().into_array::<f64>(),
                kind: OverviewKind::Strided { step },
            });
        }
    }
    Ok(Overview {
        values: block_means(&data, step)?,
        kind: OverviewKind::BlockMean { size: step },
    })
}

fn strided_index(step: [usize; 2], ndim: usize) -> Vec<SliceInfoElem> {
    let mut index = vec![
        SliceInfoElem::Slice {
            start: 0,
            end: None,
            step: step[0] as isize,
        },
        SliceInfoElem::Slice {
            start: 0,
            end: None,
            step: step[1] as isize,
        },
    ];
    index.resize(ndim, SliceInfoElem::from(..));
    index
}

/// True when an optimized plan makes only the elements it selects: elementwise operations over
/// sources that generate or read a view exactly (everything but Zarr, whose chunks a strided
/// view would decode whole, many times over).
fn exact_and_cheap(node: &Node) -> bool {
    match &node.kind {
        ExprKind::Source { source, .. } => !matches!(source, Source::Zarr { .. }),
        ExprKind::Unary { .. } | ExprKind::Cast { .. } | ExprKind::Binary { .. } => {
            node.inputs().into_iter().all(|n| exact_and_cheap(n))
        }
        ExprKind::Where { .. } => node.inputs().into_iter().all(|n| exact_and_cheap(n)),
        _ => false,
    }
}

/// The pixels that elements `range` of an axis fall in, `step` elements a pixel.
fn pixels(range: &std::ops::Range<usize>, step: usize) -> std::ops::Range<usize> {
    if range.is_empty() {
        return 0..0;
    }
    range.start / step..(range.end - 1) / step + 1
}

/// Means of `step` blocks, over the data's blocks as they are computed.
fn block_means(data: &PlotData, step: [usize; 2]) -> Result<ArrayD<f64>> {
    let shape = data.shape();
    let mut out: Vec<usize> = vec![shape[0].div_ceil(step[0]), shape[1].div_ceil(step[1])];
    out.extend_from_slice(&shape[2..]);
    let total = Mutex::new(Means::new(out.clone(), [0, 0]));
    for_each_block(data, &|region, block| {
        // The block's own pixels only, added to the whole under the lock.
        let (rows, columns) = (pixels(&region[0], step[0]), pixels(&region[1], step[1]));
        let mut shape = vec![rows.len(), columns.len()];
        shape.extend_from_slice(&out[2..]);
        let mut mine = Means::new(shape, [rows.start, columns.start]);
        add_block(block, region, step, &mut mine);
        total.lock().expect("means").merge(&mine);
        Ok(())
    })?;
    let means = total.into_inner().expect("means").means();
    Ok(ArrayD::from_shape_vec(IxDyn(&out), means).expect("one mean a pixel"))
}
