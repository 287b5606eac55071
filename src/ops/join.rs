//! Joining arrays: `concatenate` along an existing axis, `stack` along a new one.

use ndarray::SliceInfoElem;

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::DType;
use crate::error::{ensure, Error, Result};
use crate::expr::broadcast::refine;
use crate::expr::{ExprKind, Node, NodeRef};
use crate::ops::reduce::normalize_axis;

/// Joins arrays along an existing `axis` (numpy's `concatenate`). Dtypes are promoted; the other
/// axes must have equal lengths (their chunks are aligned as needed). Lazy.
///
/// **Errors**: no arrays; different numbers of dimensions; other axes of different lengths; axis
/// out of range.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let a = ones([2, 3], 2);
/// let b = zeros([1, 3], 3);
/// let c = concatenate(&[a, b], 0)?;
/// assert_eq!(c.shape(), &[3, 3]);
/// assert_eq!(c.sum_axis(1)?.compute()?.to_vec::<f64>(), vec![3.0, 3.0, 0.0]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn concatenate(arrays: &[Array], axis: isize) -> Result<Array> {
    ensure!(
        !arrays.is_empty(),
        Error::invalid("concatenate", "need at least one array to concatenate")
    );
    let nodes: Vec<&NodeRef> = arrays.iter().map(Array::node).collect::<Result<_>>()?;
    let ndim = nodes[0].shape.len();
    ensure!(
        ndim > 0,
        Error::invalid(
            "concatenate",
            "zero-dimensional arrays cannot be concatenated"
        )
    );
    let axis = normalize_axis("concatenate", axis, ndim)?;
    for node in &nodes[1..] {
        ensure!(
            node.shape.len() == ndim,
            Error::invalid(
                "concatenate",
                format!(
                    "all arrays must have the same number of dimensions, got {ndim} and {}",
                    node.shape.len()
                )
            )
        );
        let same_others = (0..ndim).all(|a| a == axis || node.shape[a] == nodes[0].shape[a]);
        ensure!(
            same_others,
            Error::ShapeMismatch {
                op: "concatenate",
                left: nodes[0].shape.clone(),
                right: node.shape.clone()
            }
        );
    }
    let dtype = nodes.iter().fold(nodes[0].dtype, |d, n| d.promote(n.dtype));
    // Other axes: every input gets the common refinement of all inputs' chunks.
    let other: Vec<Vec<usize>> = (0..ndim)
        .map(|a| {
            if a == axis {
                vec![]
            } else {
                refine(&nodes.iter().map(|n| n.chunks.axis(a)).collect::<Vec<_>>())
            }
        })
        .collect();
    let mut inputs = Vec::with_capacity(nodes.len());
    let mut along = Vec::new();
    for (array, node) in arrays.iter().zip(&nodes) {
        let mut blocks = other.clone();
        blocks[axis] = node.chunks.axis(axis).to_vec();
        let aligned = align(array, dtype, Chunks::from_vec(blocks))?;
        if node.shape[axis] > 0 {
            along.extend_from_slice(aligned.chunks().axis(axis));
        }
        inputs.push(aligned.node()?.clone());
    }
    if along.is_empty() {
        along.push(0);
    }
    let mut blocks = other;
    blocks[axis] = along;
    let chunks = Chunks::from_vec(blocks);
    let shape = chunks.shape();
    Ok(Array::from_node(Node::new(
        ExprKind::Concatenate { inputs, axis },
        shape,
        dtype,
        chunks,
    )))
}

/// Casts and rechunks an input as a join or product needs it (each step free when not needed).
pub(crate) fn align(array: &Array, dtype: DType, chunks: Chunks) -> Result<Array> {
    array.astype(dtype).rechunk(chunks)
}

/// Joins arrays of equal shape along a new axis at position `axis` (numpy's `stack`). Lazy.
///
/// **Errors**: no arrays; different shapes; axis out of `0..=ndim`.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let s = stack(&[ones([3], 2), zeros([3], 2)], 1)?;
/// assert_eq!(s.shape(), &[3, 2]);
/// assert_eq!(s.compute()?.to_vec::<f64>(), vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn stack(arrays: &[Array], axis: isize) -> Result<Array> {
    ensure!(
        !arrays.is_empty(),
        Error::invalid("stack", "need at least one array to stack")
    );
    let first = arrays[0].node()?;
    for array in &arrays[1..] {
        let node = array.node()?;
        ensure!(
            node.shape == first.shape,
            Error::ShapeMismatch {
                op: "stack",
                left: first.shape.clone(),
                right: node.shape.clone()
            }
        );
    }
    let axis = normalize_axis("stack", axis, first.shape.len() + 1)?;
    let mut index = vec![
        SliceInfoElem::Slice {
            start: 0,
            end: None,
            step: 1
        };
        axis
    ];
    index.push(SliceInfoElem::NewAxis);
    let expanded: Vec<Array> = arrays
        .iter()
        .map(|a| a.slice(&index))
        .collect::<Result<_>>()?;
    concatenate(&expanded, axis as isize)
}

/// An array assembled from a grid of blocks (numpy's `block` with a list of lists): each row's
/// arrays are joined along the last axis, the rows along the one before. Arrays with fewer
/// dimensions than the result (at least 2) get leading axes of length 1. Lazy.
///
/// **Errors**: no rows or an empty row; blocks whose lengths do not line up.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let a = ones([2, 2], 1);
/// let b = zeros([2, 1], 1);
/// let c = full([1, 3], 5.0, 1);
/// let m = block(&[vec![a, b], vec![c]])?;
/// assert_eq!(m.shape(), &[3, 3]);
/// assert_eq!(m.slice(s![.., 2])?.compute()?.to_vec::<f64>(), vec![0.0, 0.0, 5.0]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn block(rows: &[Vec<Array>]) -> Result<Array> {
    ensure!(
        !rows.is_empty() && rows.iter().all(|r| !r.is_empty()),
        Error::invalid("block", "lists cannot be empty")
    );
    let mut ndim = 2;
    for array in rows.iter().flatten() {
        ndim = ndim.max(array.node()?.shape.len());
    }
    let joined: Vec<Array> = rows
        .iter()
        .map(|row| {
            let row: Vec<Array> = row
                .iter()
                .map(|a| {
                    let new: Vec<isize> = (0..(ndim - a.ndim()) as isize).collect();
                    a.expand_dims(&new)
                })
                .collect::<Result<_>>()?;
            concatenate(&row, -1)
        })
        .collect::<Result<_>>()?;
    concatenate(&joined, -2)
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn join_errors() {
        assert!(concatenate(&[], 0).is_err());
        let err = concatenate(&[ones([2, 3], 2), ones([2, 4], 2)], 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "concatenate: operands could not be broadcast together with shapes (2, 3) (2, 4)"
        );
        assert!(concatenate(&[ones([2, 3], 2), ones([3], 2)], 0).is_err());
        assert!(stack(&[ones([2], 2), ones([3], 2)], 0).is_err());
        assert!(stack(&[ones([2], 2)], 2).is_err());
    }

    #[test]
    fn concatenate_promotes_and_aligns_chunks() {
        let a = arange(0, 6, 1, 4)
            .reshape([2, 3])
            .unwrap()
            .rechunk([1, 2])
            .unwrap();
        let b = full([2, 2], 0.5, [2, 1]);
        let c = concatenate(&[a, b], 1).unwrap();
        assert_eq!(c.dtype(), DType::Float64);
        assert_eq!(c.chunks().axis(0), &[1, 1]);
        assert_eq!(
            c.compute().unwrap().to_vec::<f64>(),
            vec![0.0, 1.0, 2.0, 0.5, 0.5, 3.0, 4.0, 5.0, 0.5, 0.5]
        );
    }
}
