//! The chunk algebra of integer-array indexing along one axis (`Array::take`): which output
//! chunks the indices make, and, for one output chunk, which input blocks it reads and where
//! each picked element goes. Indices are grouped by the input block they read, so an output
//! chunk costs one small task per input block it touches and one that puts them in order, however
//! many indices there are (dask's `take` once made a task per index run: its chunk explosion).

use crate::error::{Error, Result};

/// The elements one output chunk reads from one input block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TakeGroup {
    /// The input block along the axis.
    pub block: usize,
    /// The elements read, relative to the block's start, in output order.
    pub local: Vec<usize>,
    /// Where each goes in the output chunk.
    pub positions: Vec<usize>,
}

/// `indices` (negative ones counting from the end) checked against an axis of `len`.
///
/// **Errors**: an index outside `-len..len`, named as numpy names it.
pub(crate) fn resolve_indices(
    op: &'static str,
    indices: &[i64],
    axis: usize,
    len: usize,
) -> Result<Vec<usize>> {
    indices
        .iter()
        .map(|&i| {
            let resolved = if i < 0 { i + len as i64 } else { i };
            if (0..len as i64).contains(&resolved) {
                Ok(resolved as usize)
            } else {
                Err(Error::IndexOutOfBounds {
                    op,
                    index: i as isize,
                    axis,
                    size: len,
                })
            }
        })
        .collect()
}

/// The output chunk lengths along the axis of taking `indices` from an axis in blocks of
/// `lens`. Sorted indices get a chunk per run in one input block (dask's chunks for sorted
/// indices: the output follows the input's chunks), at most the input's largest block long;
/// unsorted ones, chunks of the input's largest block length (then a chunk may read from many
/// blocks, but never more tasks than blocks it reads).
pub(crate) fn take_chunks(indices: &[usize], lens: &[usize]) -> Vec<usize> {
    let target = lens.iter().copied().max().unwrap_or(1).max(1);
    if indices.is_empty() {
        return vec![0];
    }
    if !indices.is_sorted() {
        let mut out = vec![target; indices.len() / target];
        if !indices.len().is_multiple_of(target) {
            out.push(indices.len() % target);
        }
        return out;
    }
    let bounds = boundaries(lens);
    let mut out = Vec::new();
    let mut run = (block_of(&bounds, indices[0]), 0);
    for &i in indices {
        let block = block_of(&bounds, i);
        if block != run.0 || run.1 == target {
            out.push(run.1);
            run = (block, 0);
        }
        run.1 += 1;
    }
    out.push(run.1);
    out
}

/// The groups of `indices` (those of one output chunk) by the input block they read, in block
/// order; `bounds` are the input's block boundaries along the axis. An empty chunk reads
/// nothing from block 0, so that it still has a block to be shaped like.
pub(crate) fn take_groups(indices: &[usize], bounds: &[usize]) -> Vec<TakeGroup> {
    let blocks = bounds.len().saturating_sub(1).max(1);
    let mut groups: Vec<TakeGroup> = (0..blocks)
        .map(|block| TakeGroup {
            block,
            local: Vec::new(),
            positions: Vec::new(),
        })
        .collect();
    for (position, &i) in indices.iter().enumerate() {
        let block = block_of(bounds, i);
        groups[block].local.push(i - bounds[block]);
        groups[block].positions.push(position);
    }
    if indices.is_empty() {
        groups.truncate(1);
        return groups;
    }
    groups.retain(|g| !g.local.is_empty());
    groups
}

/// Block start offsets and the end: `[0, l0, l0 + l1, …]`.
fn boundaries(lens: &[usize]) -> Vec<usize> {
    std::iter::once(0)
        .chain(lens.iter().scan(0, |at, &l| {
            *at += l;
            Some(*at)
        }))
        .collect()
}

/// The block holding element `i`, given the block boundaries.
fn block_of(bounds: &[usize], i: usize) -> usize {
    bounds.partition_point(|&b| b <= i) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_indices_follow_the_input_blocks() {
        // blocks [0,4) [4,8) [8,10)
        assert_eq!(take_chunks(&[0, 1, 1, 5, 9, 9], &[4, 4, 2]), vec![3, 1, 2]);
        // a run longer than a block is split
        assert_eq!(take_chunks(&[2; 9], &[4, 4, 2]), vec![4, 4, 1]);
        assert_eq!(take_chunks(&[], &[4, 4, 2]), vec![0]);
    }

    #[test]
    fn unsorted_indices_make_chunks_of_the_largest_block() {
        assert_eq!(take_chunks(&[9, 0, 5, 1, 8], &[4, 4, 2]), vec![4, 1]);
    }

    #[test]
    fn groups_are_by_block_in_output_order() {
        let g = take_groups(&[9, 0, 5, 1, 8, 0], &[0, 4, 8, 10]);
        let by = |block, local: &[usize], positions: &[usize]| TakeGroup {
            block,
            local: local.to_vec(),
            positions: positions.to_vec(),
        };
        assert_eq!(
            g,
            vec![
                by(0, &[0, 1, 0], &[1, 3, 5]),
                by(1, &[1], &[2]),
                by(2, &[1, 0], &[0, 4])
            ]
        );
        assert_eq!(take_groups(&[], &[0, 4, 8]), vec![by(0, &[], &[])]);
    }

    #[test]
    fn indices_resolve_like_numpy() {
        assert_eq!(
            resolve_indices("take", &[-1, 0, 2], 0, 3).unwrap(),
            vec![2, 0, 2]
        );
        assert_eq!(
            resolve_indices("take", &[0, -4], 1, 3)
                .unwrap_err()
                .to_string(),
            "take: index -4 is out of bounds for axis 1 with size 3"
        );
    }
}
