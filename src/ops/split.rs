//! Splitting an array into views along an axis: `split` and `array_split` (numpy's).

use crate::array::Array;
use crate::error::{ensure, Error, Result};
use crate::ops::rearrange::along;
use crate::ops::reduce::normalize_axis;

/// Where to split: into a number of sections, or at indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sections {
    /// This many pieces.
    Count(usize),
    /// Cuts before these indices (negative ones count from the end; past the end gives empty
    /// pieces, as numpy's slicing does).
    At(Vec<isize>),
}

impl From<usize> for Sections {
    fn from(n: usize) -> Self {
        Sections::Count(n)
    }
}
impl<const N: usize> From<[isize; N]> for Sections {
    fn from(at: [isize; N]) -> Self {
        Sections::At(at.to_vec())
    }
}
impl From<Vec<isize>> for Sections {
    fn from(at: Vec<isize>) -> Self {
        Sections::At(at)
    }
}
impl From<&[isize]> for Sections {
    fn from(at: &[isize]) -> Self {
        Sections::At(at.to_vec())
    }
}

/// The pieces' bounds along an axis of length `len`; `equal` refuses a count that does not
/// divide `len` (numpy's `split`), otherwise the first `len % n` pieces are one longer
/// (`array_split`).
fn bounds(op: &'static str, sections: Sections, len: usize, equal: bool) -> Result<Vec<usize>> {
    match sections {
        Sections::Count(n) => {
            ensure!(
                n > 0,
                Error::invalid(op, "number of sections must be larger than 0")
            );
            ensure!(
                !equal || len.is_multiple_of(n),
                Error::invalid(
                    op,
                    format!("array split does not result in an equal division: {len} into {n}")
                )
            );
            let (each, extra) = (len / n, len % n);
            let mut at = vec![0];
            for i in 0..n {
                at.push(at[i] + each + usize::from(i < extra));
            }
            Ok(at)
        }
        Sections::At(indices) => {
            // Python slicing: negative from the end, clamped to the axis.
            let clamp = |i: isize| {
                let i = if i < 0 { i + len as isize } else { i };
                i.clamp(0, len as isize) as usize
            };
            let mut at = vec![0];
            at.extend(indices.into_iter().map(clamp));
            at.push(len);
            Ok(at)
        }
    }
}

fn pieces(
    x: &Array,
    sections: Sections,
    axis: isize,
    op: &'static str,
    equal: bool,
) -> Result<Vec<Array>> {
    let shape = &x.node()?.shape;
    let axis = normalize_axis(op, axis, shape.len())?;
    let at = bounds(op, sections, shape[axis], equal)?;
    at.windows(2)
        .map(|w| along(x, axis, w[0], w[1].max(w[0]), 1))
        .collect()
}

impl Array {
    /// Splits into views along `axis` (numpy's `split`): `n` equal pieces, or cut at indices.
    /// Lazy.
    ///
    /// **Errors**: `axis` out of range; a count of 0 or one that does not divide the axis.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 4);
    /// let parts = x.split(3, 0)?;
    /// assert_eq!(parts[1].compute()?.to_vec::<i64>(), vec![2, 3]);
    /// let cut = x.split([1, -2], 0)?;
    /// assert_eq!(cut.iter().map(|p| p.shape()[0]).collect::<Vec<_>>(), vec![1, 3, 2]);
    /// assert_eq!(
    ///     x.split(4, 0).unwrap_err().to_string(),
    ///     "split: array split does not result in an equal division: 6 into 4"
    /// );
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn split(&self, sections: impl Into<Sections>, axis: isize) -> Result<Vec<Array>> {
        pieces(self, sections.into(), axis, "split", true)
    }

    /// Splits into views along `axis` (numpy's `array_split`): like [`split`](Array::split), but
    /// `n` need not divide the axis; the first `len % n` pieces are one longer. Lazy.
    ///
    /// **Errors**: `axis` out of range; a count of 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let parts = arange(0, 7, 1, 4).array_split(3, 0)?;
    /// assert_eq!(parts.iter().map(|p| p.shape()[0]).collect::<Vec<_>>(), vec![3, 2, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn array_split(&self, sections: impl Into<Sections>, axis: isize) -> Result<Vec<Array>> {
        pieces(self, sections.into(), axis, "array_split", false)
    }
}
