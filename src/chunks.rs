//! Chunk grids: the block lengths along each axis, and the shorthands users write for them.
//!
//! As in dask's `normalize_chunks`, every shorthand (a size per axis, `-1` for a whole axis,
//! explicit per-axis sizes, `"auto"`) is turned into one canonical form at the API edge:
//! [`Chunks`], the list of block lengths for each axis.

use std::fmt;
use std::ops::{Deref, Range};

use crate::dtype::DType;
use crate::error::{ensure, Error, Result};

/// The canonical chunk grid of an array: for each axis, the lengths of its blocks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let c = Chunks::normalize([4, -1], &[10, 3], DType::Float64)?;
/// assert_eq!(c.axis(0), &[4, 4, 2]);
/// assert_eq!(c.axis(1), &[3]);
/// assert_eq!(c.grid_shape(), vec![3, 1]);
/// assert_eq!(format!("{c:?}"), "((4, 4, 2), (3,))");
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Chunks(Vec<Vec<usize>>);

/// How one axis is to be chunked.
#[derive(Debug, Clone, PartialEq)]
pub enum AxisChunks {
    /// Blocks of this length, the last one possibly shorter.
    Size(usize),
    /// One block spanning the axis (dask's `-1`).
    Whole,
    /// Chosen by dask's "auto" rule together with the other auto axes.
    Auto,
    /// These exact block lengths; they must sum to the axis length.
    Sizes(Vec<usize>),
}

/// A chunk specification as users write it; see [`Chunks::normalize`].
///
/// Converts from `[1000, 1000]` (any integer type; `-1` means the whole axis), a single integer
/// (the same size on every axis), `"auto"`, explicit per-axis sizes `vec![vec![5, 5], vec![10]]`,
/// a `Vec<AxisChunks>` mixing the forms, or an existing [`Chunks`].
#[derive(Debug, Clone, PartialEq)]
pub enum ChunkSpec {
    /// Every axis auto.
    Auto,
    /// One size for every axis.
    Every(i64),
    /// One entry per axis.
    Axes(Vec<AxisChunks>),
    /// A text shorthand other than "auto": rejected by `normalize` with a clear message.
    Unknown(String),
    /// A size below -1 on `axis`: rejected by `normalize` with a clear message.
    Negative { axis: usize, size: i64 },
}

impl Chunks {
    /// Wraps block lengths that are already known to be valid for their shape.
    pub(crate) fn from_vec(blocks: Vec<Vec<usize>>) -> Chunks {
        Chunks(blocks)
    }

    /// One block per axis covering `shape`.
    pub fn single(shape: &[usize]) -> Chunks {
        Chunks(shape.iter().map(|&d| vec![d]).collect())
    }

    /// Blocks of length `size[i]` along axis `i` (the last block of an axis may be shorter).
    pub(crate) fn regular(shape: &[usize], size: &[usize]) -> Chunks {
        Chunks(
            shape
                .iter()
                .zip(size)
                .map(|(&d, &c)| blockdims(d, c))
                .collect(),
        )
    }

    /// Turns a chunk specification into block lengths for an array of `shape` and `dtype`
    /// (the dtype matters for `"auto"`, which targets
    /// [`config::chunk_size`](crate::config::chunk_size) bytes per chunk, following dask's
    /// `auto_chunks`).
    ///
    /// **Errors**: a spec with the wrong number of axes, a size of 0 or below -1, explicit sizes
    /// that do not sum to the axis length, or an unknown text shorthand.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let f64 = DType::Float64;
    /// assert_eq!(Chunks::normalize([3, 3], &[7, 3], f64)?.axis(0), &[3, 3, 1]);
    /// assert_eq!(Chunks::normalize(2, &[4, 4], f64)?.axis(1), &[2, 2]);
    /// assert_eq!(Chunks::normalize([-1, 2], &[4, 4], f64)?.axis(0), &[4]);
    /// assert_eq!(Chunks::normalize(vec![vec![1, 3], vec![4]], &[4, 4], f64)?.axis(0), &[1, 3]);
    /// // "auto": 128 MiB of float64 is 4096 x 4096, as in dask
    /// assert_eq!(Chunks::normalize("auto", &[10000, 10000], f64)?.chunksize(), vec![4096, 4096]);
    /// assert!(Chunks::normalize([0, 2], &[4, 4], f64).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn normalize(spec: impl Into<ChunkSpec>, shape: &[usize], dtype: DType) -> Result<Chunks> {
        let axes = match spec.into() {
            ChunkSpec::Auto => vec![AxisChunks::Auto; shape.len()],
            ChunkSpec::Every(size) => vec![axis_from_int(size)?; shape.len()],
            ChunkSpec::Negative { axis, size } => {
                return Err(Error::InvalidChunks {
                    reason: format!(
                        "chunk size {size} is negative (axis {axis}); use -1 for a whole axis"
                    ),
                })
            }
            ChunkSpec::Axes(axes) => axes,
            ChunkSpec::Unknown(text) => {
                return Err(Error::InvalidChunks {
                    reason: format!(
                        "unknown chunk shorthand {text:?}; use \"auto\", \
                         sizes like [1000, 1000], or -1 for a whole axis"
                    ),
                })
            }
        };
        ensure!(
            axes.len() == shape.len(),
            Error::InvalidChunks {
                reason: format!(
                    "{} chunk sizes given for an array of {} dimensions {}",
                    axes.len(),
                    shape.len(),
                    crate::error::fmt_shape(shape)
                ),
            }
        );
        let sizes = resolve_auto(&axes, shape, dtype, crate::config::chunk_size());
        let mut blocks = Vec::with_capacity(shape.len());
        for (axis, (spec, &dim)) in axes.iter().zip(shape).enumerate() {
            blocks.push(match spec {
                AxisChunks::Sizes(lens) => check_sizes(axis, lens, dim)?,
                AxisChunks::Size(0) if dim > 0 => {
                    return Err(Error::InvalidChunks {
                        reason: format!(
                        "chunk size 0 for axis {axis} of length {dim}; sizes must be at least 1"
                    ),
                    })
                }
                AxisChunks::Size(c) => blockdims(dim, *c),
                AxisChunks::Whole => vec![dim],
                AxisChunks::Auto => blockdims(dim, sizes[axis]),
            });
        }
        Ok(Chunks(blocks))
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.0.len()
    }

    /// Block lengths along `axis`.
    pub fn axis(&self, axis: usize) -> &[usize] {
        &self.0[axis]
    }

    /// Number of blocks along each axis.
    pub fn grid_shape(&self) -> Vec<usize> {
        self.0.iter().map(Vec::len).collect()
    }

    /// Total number of blocks.
    pub fn npartitions(&self) -> usize {
        self.0.iter().map(Vec::len).product()
    }

    /// The largest block length on each axis (dask's `chunksize`).
    pub fn chunksize(&self) -> Vec<usize> {
        self.0
            .iter()
            .map(|lens| lens.iter().copied().max().unwrap_or(0))
            .collect()
    }

    /// The shape these chunks cover.
    pub fn shape(&self) -> Vec<usize> {
        self.0.iter().map(|lens| lens.iter().sum()).collect()
    }

    /// Start offset of each block along `axis`, plus the axis length at the end.
    pub fn boundaries(&self, axis: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.0[axis].len() + 1);
        let mut at = 0;
        out.push(0);
        for &len in &self.0[axis] {
            at += len;
            out.push(at);
        }
        out
    }

    /// The element range that block `index` covers along `axis`.
    pub fn block_range(&self, axis: usize, index: usize) -> Range<usize> {
        let start: usize = self.0[axis][..index].iter().sum();
        start..start + self.0[axis][index]
    }

    /// The element ranges of the block at grid position `index`, one per axis.
    pub fn block_region(&self, index: &[usize]) -> Vec<Range<usize>> {
        index
            .iter()
            .enumerate()
            .map(|(axis, &i)| self.block_range(axis, i))
            .collect()
    }

    /// The shape of the block at grid position `index`.
    pub fn block_shape(&self, index: &[usize]) -> Vec<usize> {
        index
            .iter()
            .enumerate()
            .map(|(axis, &i)| self.0[axis][i])
            .collect()
    }

    /// All grid positions in C order.
    pub fn block_indices(&self) -> Vec<Vec<usize>> {
        grid_indices(&self.grid_shape())
    }

    /// The per-axis lists of block lengths.
    pub fn as_slice(&self) -> &[Vec<usize>] {
        &self.0
    }
}

impl Deref for Chunks {
    type Target = [Vec<usize>];
    fn deref(&self) -> &[Vec<usize>] {
        &self.0
    }
}

/// Prints like dask's `Array.chunks`: `((1000, 1000), (500, 500))`.
impl fmt::Debug for Chunks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let axes: Vec<String> = self
            .0
            .iter()
            .map(|lens| crate::error::fmt_shape(lens))
            .collect();
        if axes.len() == 1 {
            write!(f, "({},)", axes[0])
        } else {
            write!(f, "({})", axes.join(", "))
        }
    }
}

/// Every index of a grid of this shape, in C order (last axis fastest).
pub(crate) fn grid_indices(grid: &[usize]) -> Vec<Vec<usize>> {
    let total: usize = grid.iter().product();
    let mut out = Vec::with_capacity(total);
    if total == 0 {
        return out;
    }
    let mut index = vec![0; grid.len()];
    for _ in 0..total {
        out.push(index.clone());
        for axis in (0..grid.len()).rev() {
            index[axis] += 1;
            if index[axis] < grid[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    out
}

/// Blocks of length `size` covering `dim` (dask's `blockdims_from_blockshape`); `[0]` for an
/// empty axis.
fn blockdims(dim: usize, size: usize) -> Vec<usize> {
    if dim == 0 {
        return vec![0];
    }
    let size = size.clamp(1, dim);
    let mut out = vec![size; dim / size];
    if !dim.is_multiple_of(size) {
        out.push(dim % size);
    }
    out
}

fn axis_from_int(size: i64) -> Result<AxisChunks> {
    match size {
        -1 => Ok(AxisChunks::Whole),
        s if s >= 0 => Ok(AxisChunks::Size(s as usize)),
        s => Err(Error::InvalidChunks {
            reason: format!("chunk size {s} is negative; use -1 for a whole axis"),
        }),
    }
}

fn check_sizes(axis: usize, lens: &[usize], dim: usize) -> Result<Vec<usize>> {
    let sum: usize = lens.iter().sum();
    ensure!(
        sum == dim,
        Error::InvalidChunks {
            reason: format!("chunks for axis {axis} sum to {sum}, but the axis has length {dim}")
        }
    );
    if dim == 0 {
        return Ok(vec![0]);
    }
    ensure!(
        lens.iter().all(|&l| l > 0),
        Error::InvalidChunks {
            reason: format!("chunks for axis {axis} contain a block of length 0: {lens:?}")
        }
    );
    Ok(lens.to_vec())
}

/// dask's `auto_chunks` without previous chunks: the auto axes share one size so that a block
/// holds about `limit` bytes; axes shorter than that size take their whole length and the rest
/// is solved again. Returns, for each auto axis, its block length (other entries unused).
fn resolve_auto(axes: &[AxisChunks], shape: &[usize], dtype: DType, limit: usize) -> Vec<usize> {
    let mut sizes: Vec<usize> = shape.to_vec();
    let mut autos: Vec<usize> = (0..axes.len())
        .filter(|&i| axes[i] == AxisChunks::Auto)
        .collect();
    // Bytes already taken by one block of the fixed axes.
    let mut largest_block: f64 = axes
        .iter()
        .zip(shape)
        .map(|(spec, &dim)| match spec {
            AxisChunks::Size(c) => (*c).min(dim).max(1) as f64,
            AxisChunks::Whole => dim.max(1) as f64,
            AxisChunks::Sizes(lens) => lens.iter().copied().max().unwrap_or(1).max(1) as f64,
            AxisChunks::Auto => 1.0,
        })
        .product();
    while !autos.is_empty() {
        let size =
            (limit as f64 / dtype.itemsize() as f64 / largest_block).powf(1.0 / autos.len() as f64);
        let (small, large): (Vec<usize>, Vec<usize>) =
            autos.iter().partition(|&&i| (shape[i] as f64) < size);
        if small.is_empty() {
            for &i in &large {
                sizes[i] = (size as usize).max(1);
            }
            break;
        }
        for &i in &small {
            largest_block *= shape[i].max(1) as f64;
        }
        autos = large;
    }
    sizes
}

macro_rules! spec_from_ints {
    ($($t:ty),*) => {$(
        impl<const N: usize> From<[$t; N]> for ChunkSpec {
            fn from(sizes: [$t; N]) -> Self { ints_to_spec(sizes.iter().map(|&s| s as i64)) }
        }
        impl From<Vec<$t>> for ChunkSpec {
            fn from(sizes: Vec<$t>) -> Self { ints_to_spec(sizes.iter().map(|&s| s as i64)) }
        }
        impl From<&[$t]> for ChunkSpec {
            fn from(sizes: &[$t]) -> Self { ints_to_spec(sizes.iter().map(|&s| s as i64)) }
        }
        impl From<$t> for ChunkSpec {
            fn from(size: $t) -> Self { ChunkSpec::Every(size as i64) }
        }
    )*};
}
spec_from_ints!(i32, i64, isize, usize, u32);

fn ints_to_spec(sizes: impl Iterator<Item = i64>) -> ChunkSpec {
    let mut axes = Vec::new();
    for (axis, size) in sizes.enumerate() {
        match axis_from_int(size) {
            Ok(a) => axes.push(a),
            // Keep the bad value so `normalize` reports it with its axis.
            Err(_) => return ChunkSpec::Negative { axis, size },
        }
    }
    ChunkSpec::Axes(axes)
}

impl From<Vec<Vec<usize>>> for ChunkSpec {
    fn from(per_axis: Vec<Vec<usize>>) -> Self {
        ChunkSpec::Axes(per_axis.into_iter().map(AxisChunks::Sizes).collect())
    }
}

impl From<Vec<AxisChunks>> for ChunkSpec {
    fn from(axes: Vec<AxisChunks>) -> Self {
        ChunkSpec::Axes(axes)
    }
}

impl From<&str> for ChunkSpec {
    fn from(text: &str) -> Self {
        if text == "auto" {
            ChunkSpec::Auto
        } else {
            ChunkSpec::Unknown(text.to_string())
        }
    }
}

impl From<&Chunks> for ChunkSpec {
    fn from(chunks: &Chunks) -> Self {
        ChunkSpec::Axes(chunks.0.iter().cloned().map(AxisChunks::Sizes).collect())
    }
}

impl From<Chunks> for ChunkSpec {
    fn from(chunks: Chunks) -> Self {
        ChunkSpec::Axes(chunks.0.into_iter().map(AxisChunks::Sizes).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(shape: &[usize], dtype: DType, limit: usize) -> Vec<usize> {
        let axes = vec![AxisChunks::Auto; shape.len()];
        let sizes = resolve_auto(&axes, shape, dtype, limit);
        shape.iter().zip(sizes).map(|(&d, s)| s.min(d)).collect()
    }

    #[test]
    fn auto_matches_dask() {
        // da.ones((10000, 10000)).chunksize == (4096, 4096)
        assert_eq!(
            auto(&[10000, 10000], DType::Float64, 128 << 20),
            vec![4096, 4096]
        );
        // a short axis takes its whole length, the rest share the budget:
        // da.ones((10, 10_000_000)).chunksize == (10, 1677721)
        assert_eq!(
            auto(&[10, 10_000_000], DType::Float64, 128 << 20),
            vec![10, 1677721]
        );
        // small arrays are one chunk
        assert_eq!(auto(&[100, 50], DType::Float32, 128 << 20), vec![100, 50]);
    }

    #[test]
    fn auto_with_fixed_axis() {
        let c = Chunks::normalize(
            vec![AxisChunks::Size(1000), AxisChunks::Auto],
            &[10000, 100000],
            DType::Float64,
        )
        .unwrap();
        // 128 MiB / 8 B / 1000 = 16777.216
        assert_eq!(c.chunksize(), vec![1000, 16777]);
    }

    #[test]
    fn explicit_sizes_must_sum_to_shape() {
        let err = Chunks::normalize(vec![vec![5, 4], vec![3]], &[10, 3], DType::Int32).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid chunks: chunks for axis 0 sum to 9, but the axis has length 10"
        );
    }

    #[test]
    fn bad_shorthands_are_errors() {
        assert_eq!(
            Chunks::normalize([2], &[4, 4], DType::Int32)
                .unwrap_err()
                .to_string(),
            "invalid chunks: 1 chunk sizes given for an array of 2 dimensions (4, 4)"
        );
        assert!(Chunks::normalize([-2, 2], &[4, 4], DType::Int32)
            .unwrap_err()
            .to_string()
            .contains("-2"));
        assert!(Chunks::normalize("big", &[4], DType::Int32)
            .unwrap_err()
            .to_string()
            .contains("\"big\""));
        assert!(Chunks::normalize([0], &[4], DType::Int32).is_err());
    }

    #[test]
    fn empty_axis_has_one_empty_block() {
        let c = Chunks::normalize([5, 5], &[0, 7], DType::Float64).unwrap();
        assert_eq!(c.axis(0), &[0]);
        assert_eq!(c.axis(1), &[5, 2]);
    }

    #[test]
    fn grid_indices_are_c_order() {
        assert_eq!(
            grid_indices(&[2, 2]),
            vec![vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]]
        );
        assert_eq!(grid_indices(&[]), vec![Vec::<usize>::new()]);
    }
}
