//! numpy broadcasting of shapes, and the chunk grid of a broadcast result.

use crate::chunks::Chunks;
use crate::error::{Error, Result};

/// The broadcast shape of several shapes (numpy rules: align from the right; lengths must be
/// equal or 1).
///
/// **Errors**: [`Error::ShapeMismatch`] naming `op` and the first two shapes that disagree.
pub(crate) fn broadcast_shapes(op: &'static str, shapes: &[&[usize]]) -> Result<Vec<usize>> {
    let ndim = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1usize; ndim];
    for (i, shape) in shapes.iter().enumerate() {
        let pad = ndim - shape.len();
        for (axis, &len) in shape.iter().enumerate() {
            let slot = &mut out[pad + axis];
            if *slot == 1 {
                *slot = len;
            } else if len != 1 && len != *slot {
                let other = shapes[..i]
                    .iter()
                    .find(|s| conflicts(s, shape))
                    .unwrap_or(&shapes[0]);
                return Err(Error::ShapeMismatch {
                    op,
                    left: other.to_vec(),
                    right: shape.to_vec(),
                });
            }
        }
    }
    Ok(out)
}

fn conflicts(a: &[usize], b: &[usize]) -> bool {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .any(|(&x, &y)| x != y && x != 1 && y != 1)
}

/// The chunks of a broadcast result: on each axis, the common refinement of the inputs that
/// span it (an input of length 1 there is broadcast and does not split the axis).
pub(crate) fn broadcast_chunks(shape: &[usize], inputs: &[&Chunks]) -> Chunks {
    let ndim = shape.len();
    let blocks = (0..ndim)
        .map(|axis| {
            let spanning: Vec<&[usize]> = inputs
                .iter()
                .filter_map(|c| {
                    let pad = ndim - c.ndim();
                    (axis >= pad && c.shape()[axis - pad] == shape[axis])
                        .then(|| c.axis(axis - pad))
                })
                .collect();
            if spanning.is_empty() {
                vec![shape[axis]]
            } else {
                refine(&spanning)
            }
        })
        .collect();
    Chunks::from_vec(blocks)
}

/// The coarsest block lengths whose boundaries include every boundary of every input
/// (dask's `common_blockdim`, without its rechunk heuristics).
pub(crate) fn refine(axes: &[&[usize]]) -> Vec<usize> {
    if axes.iter().all(|a| *a == axes[0]) {
        return axes[0].to_vec();
    }
    let mut bounds: Vec<usize> = axes
        .iter()
        .flat_map(|lens| {
            lens.iter().scan(0usize, |at, &l| {
                *at += l;
                Some(*at)
            })
        })
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut out = Vec::with_capacity(bounds.len());
    let mut prev = 0;
    for b in bounds {
        if b > prev {
            out.push(b - prev);
            prev = b;
        }
    }
    if out.is_empty() {
        out.push(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_broadcast_like_numpy() {
        assert_eq!(
            broadcast_shapes("add", &[&[3, 1], &[4]]).unwrap(),
            vec![3, 4]
        );
        assert_eq!(
            broadcast_shapes("add", &[&[], &[2, 2]]).unwrap(),
            vec![2, 2]
        );
        assert_eq!(
            broadcast_shapes("add", &[&[5, 1, 2], &[4, 1]]).unwrap(),
            vec![5, 4, 2]
        );
        let err = broadcast_shapes("add", &[&[3, 4], &[5]]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "add: operands could not be broadcast together with shapes (3, 4) (5,)"
        );
    }

    #[test]
    fn chunks_refine_and_broadcast() {
        assert_eq!(refine(&[&[4, 4, 2], &[5, 5]]), vec![4, 1, 3, 2]);
        assert_eq!(refine(&[&[2, 2], &[2, 2]]), vec![2, 2]);
        let a = Chunks::from_vec(vec![vec![2, 2], vec![1]]);
        let b = Chunks::from_vec(vec![vec![3, 3]]);
        let out = broadcast_chunks(&[4, 6], &[&a, &b]);
        assert_eq!(out.as_slice(), &[vec![2, 2], vec![3, 3]]);
    }
}
