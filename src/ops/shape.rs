//! Operations that move elements without changing them: `transpose`, `reshape`, `rechunk`.

use crate::array::Array;
use crate::chunks::{ChunkSpec, Chunks};
use crate::error::{ensure, Error, Result};
use crate::expr::{ExprKind, Node};

/// A target shape for [`Array::reshape`]: lengths, with at most one `-1` to infer.
pub trait IntoReshape {
    /// The requested lengths, `-1` for "infer".
    fn into_reshape(self) -> Vec<isize>;
}

macro_rules! reshape_from {
    ($($t:ty),*) => {$(
        impl<const N: usize> IntoReshape for [$t; N] {
            fn into_reshape(self) -> Vec<isize> { self.iter().map(|&d| d as isize).collect() }
        }
        impl IntoReshape for Vec<$t> {
            fn into_reshape(self) -> Vec<isize> { self.iter().map(|&d| d as isize).collect() }
        }
        impl IntoReshape for &[$t] {
            fn into_reshape(self) -> Vec<isize> { self.iter().map(|&d| d as isize).collect() }
        }
    )*};
}
reshape_from!(i32, i64, isize, usize);

/// Resolves a `-1` and checks the element count.
fn resolve_shape(from: &[usize], to: Vec<isize>) -> Result<Vec<usize>> {
    let size: usize = from.iter().product();
    let bad = || Error::InvalidShape {
        op: "reshape",
        from: from.to_vec(),
        to: to.clone(),
    };
    let unknown: Vec<usize> = (0..to.len()).filter(|&i| to[i] == -1).collect();
    ensure!(unknown.len() <= 1 && to.iter().all(|&d| d >= -1), bad());
    let known: usize = to
        .iter()
        .filter(|&&d| d >= 0)
        .map(|&d| d as usize)
        .product();
    let mut shape: Vec<usize> = to.iter().map(|&d| d.max(0) as usize).collect();
    if let [i] = unknown[..] {
        ensure!(known != 0 && size.is_multiple_of(known), bad());
        shape[i] = size / known;
    }
    ensure!(shape.iter().product::<usize>() == size, bad());
    Ok(shape)
}

/// Chunks of a reshape result such that every block is one contiguous run of the flat (C
/// order) elements: length-1 blocks on leading axes, a run on one axis, whole trailing axes,
/// each block holding about `target` elements (the largest input block).
pub(crate) fn reshape_chunks(shape: &[usize], target: usize) -> Chunks {
    if shape.iter().product::<usize>() == 0 {
        return Chunks::single(shape);
    }
    let target = target.max(1);
    // The first axis whose trailing product fits the target gets the run.
    let mut trailing = 1usize;
    let mut k = shape.len();
    while k > 0 && trailing * shape[k - 1] <= target {
        trailing *= shape[k - 1];
        k -= 1;
    }
    if k == 0 {
        return Chunks::single(shape);
    }
    let axis = k - 1;
    let run = (target / trailing).max(1);
    let sizes: Vec<usize> = (0..shape.len())
        .map(|a| match a.cmp(&axis) {
            std::cmp::Ordering::Less => 1,
            std::cmp::Ordering::Equal => run,
            std::cmp::Ordering::Greater => shape[a],
        })
        .collect();
    Chunks::regular(shape, &sizes)
}

impl Array {
    /// Reverses the axes (`.T` in numpy). Lazy.
    pub fn t(&self) -> Array {
        let perm: Vec<usize> = (0..self.ndim()).rev().collect();
        Array::from_result(self.transpose(&perm))
    }

    /// Permutes the axes: output axis `i` is input axis `perm[i]`. Lazy.
    ///
    /// **Errors**: `perm` is not a permutation of `0..ndim`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = ones([2, 3, 4], [1, 3, 2]);
    /// let y = x.transpose(&[2, 0, 1])?;
    /// assert_eq!(y.shape(), &[4, 2, 3]);
    /// assert_eq!(y.chunks().as_slice(), &[vec![2, 2], vec![1, 1], vec![3]]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn transpose(&self, perm: &[usize]) -> Result<Array> {
        let input = self.node()?;
        let ndim = input.shape.len();
        let mut seen = vec![false; ndim];
        let valid = perm.len() == ndim
            && perm
                .iter()
                .all(|&p| p < ndim && !std::mem::replace(&mut seen[p], true));
        ensure!(
            valid,
            Error::invalid(
                "transpose",
                format!("axes {perm:?} are not a permutation of the {ndim} axes")
            )
        );
        let shape = perm.iter().map(|&p| input.shape[p]).collect();
        let chunks = Chunks::from_vec(
            perm.iter()
                .map(|&p| input.chunks.axis(p).to_vec())
                .collect(),
        );
        let kind = ExprKind::Transpose {
            input: input.clone(),
            perm: perm.to_vec(),
        };
        Ok(Array::from_node(Node::new(
            kind,
            shape,
            input.dtype,
            chunks,
        )))
    }

    /// The same elements (C order) in a new shape; one length may be `-1` to infer it. Lazy.
    ///
    /// **Errors**: the new shape has a different number of elements, or more than one `-1`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 12, 1, 5).reshape([-1, 4])?;
    /// assert_eq!(x.shape(), &[3, 4]);
    /// assert_eq!(x.slice(s![2, ..])?.compute()?.to_vec::<i64>(), vec![8, 9, 10, 11]);
    /// assert_eq!(
    ///     x.reshape([5, 3]).unwrap_err().to_string(),
    ///     "reshape: cannot reshape array of shape (3, 4) into shape (5, 3)"
    /// );
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn reshape(&self, shape: impl IntoReshape) -> Result<Array> {
        let input = self.node()?;
        let shape = resolve_shape(&input.shape, shape.into_reshape())?;
        if shape == input.shape {
            return Ok(self.clone());
        }
        let largest_block = input.chunks.chunksize().iter().product::<usize>();
        let chunks = reshape_chunks(&shape, largest_block);
        Ok(Array::from_node(Node::new(
            ExprKind::Reshape {
                input: input.clone(),
            },
            shape,
            input.dtype,
            chunks,
        )))
    }

    /// The same values with a new chunk grid (any chunk shorthand). Lazy.
    ///
    /// **Errors**: invalid chunks.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = ones([10000, 10000], [1000, 1000]).rechunk([10000, 100])?;
    /// assert_eq!(x.chunksize(), vec![10000, 100]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn rechunk(&self, chunks: impl Into<ChunkSpec>) -> Result<Array> {
        let input = self.node()?;
        let chunks = Chunks::normalize(chunks, &input.shape, input.dtype)?;
        if chunks == input.chunks {
            return Ok(self.clone());
        }
        Ok(Array::from_node(Node::new(
            ExprKind::Rechunk {
                input: input.clone(),
            },
            input.shape.clone(),
            input.dtype,
            chunks,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reshape_blocks_are_contiguous_runs() {
        assert_eq!(
            reshape_chunks(&[100], 30).as_slice(),
            &[vec![30, 30, 30, 10]]
        );
        // rows of 10 elements, 3 rows a block
        assert_eq!(
            reshape_chunks(&[10, 10], 30).as_slice(),
            &[vec![3, 3, 3, 1], vec![10]]
        );
        // a row bigger than the target: single rows, runs along the last axis
        assert_eq!(
            reshape_chunks(&[2, 50], 20).as_slice(),
            &[vec![1, 1], vec![20, 20, 10]]
        );
        assert_eq!(reshape_chunks(&[4, 5], 100).as_slice(), &[vec![4], vec![5]]);
    }

    #[test]
    fn shapes_resolve() {
        assert_eq!(resolve_shape(&[3, 4], vec![-1]).unwrap(), vec![12]);
        assert_eq!(
            resolve_shape(&[3, 4], vec![2, -1, 3]).unwrap(),
            vec![2, 2, 3]
        );
        assert!(resolve_shape(&[3, 4], vec![-1, -1]).is_err());
        assert!(resolve_shape(&[3, 4], vec![5, -1]).is_err());
        assert_eq!(
            resolve_shape(&[0, 4], vec![0, 2, 2]).unwrap(),
            vec![0, 2, 2]
        );
    }
}
