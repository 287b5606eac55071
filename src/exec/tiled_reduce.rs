//! Tiled reductions (`TaskOp::TiledReduce`): a reduction's partial over one block of what a
//! tile program computes, run tile by tile. A tile is a slab of the block cut along its first
//! reduced axis, so each tile's partial has the block partial's shape and the partials merge
//! in place as the tree reduction combines blocks; when one step along that axis is more than
//! a tile, the block is first cut in bands along a kept axis, each with its slice of the
//! partial. Per tile, every step of the
//! program runs once (a value used twice, as in `x * x`, is one step) and its values are
//! dropped with the tile: `(x * x + 1.0).sum()` never holds `x * x` for a whole chunk.

use std::ops::Range;

use rayon::prelude::*;

use super::generate;
use crate::data::ArrayData;
use crate::error::Result;
use crate::expr::ReduceOp;
use crate::graph::{TileOp, TileProgram};
use crate::kernels::reduce::Partial;
use crate::kernels::{elementwise, reduce, Value};

/// Elements of one tile (512 KiB of float64 for each plan node: within the L2 cache).
const TILE_ELEMENTS: usize = 64 * 1024;
/// The most bytes of tile partials a task holds while its tiles run in parallel.
const HELD_PARTIALS: usize = 8 << 20;
/// Bytes of a partial per element it keeps (the moments of `var`/`std`: count, mean, M2).
const PARTIAL_BYTES_PER_ELEMENT: usize = 24;

/// The partial of `op` over `axes` of `region` of what `program` computes (`offset` and
/// `shape` as for `ReducePartial`).
pub(crate) fn partial(
    op: ReduceOp,
    axes: &[usize],
    program: &TileProgram,
    region: &[Range<usize>],
    offset: &[usize],
    shape: &[usize],
) -> Result<Value> {
    let op = op.row().partial;
    let Some(&axis) = axes.first() else {
        return Ok(reduce::partial(
            op,
            axes,
            &evaluate(program, region)?,
            offset,
            shape,
        ));
    };
    let Some((band_axis, bands)) = bands(axes, region) else {
        return slab_partial(op, axes, program, region, offset, shape);
    };
    // Bands are independent: in a computation's worker pool they run in parallel (each one's
    // tiles in order), elsewhere one after another; the same bits either way.
    let band_partial = |rows: &Range<usize>| -> Result<Value> {
        let mut band = region.to_vec();
        band[band_axis] = rows.clone();
        let mut band_offset = offset.to_vec();
        band_offset[band_axis] += rows.start - region[band_axis].start;
        slab_partial(op, axes, program, &band, &band_offset, shape)
    };
    let parts: Vec<Value> = if rayon::current_thread_index().is_some() {
        bands.par_iter().map(band_partial).collect::<Result<_>>()?
    } else {
        bands.iter().map(band_partial).collect::<Result<_>>()?
    };
    debug_assert!(axis != band_axis);
    Ok(reduce::concatenate(band_axis, &parts))
}

/// When one step along the first reduced axis is more than a tile: the outermost kept axis
/// longer than 1, cut in bands so that a step of a band is about a tile (at least one row).
/// A tile of the block is then one step of one band: cache-sized, and each band's partial
/// is its slice of the block's partial.
fn bands(axes: &[usize], region: &[Range<usize>]) -> Option<(usize, Vec<Range<usize>>)> {
    let step: usize = region
        .iter()
        .enumerate()
        .filter(|(a, _)| *a != axes[0])
        .map(|(_, r)| r.len())
        .product();
    if step <= TILE_ELEMENTS {
        return None;
    }
    let band_axis = (0..region.len()).find(|a| !axes.contains(a) && region[*a].len() > 1)?;
    let rows = region[band_axis].clone();
    let per_row = step / rows.len();
    let height = (TILE_ELEMENTS / per_row.max(1)).max(1);
    let bands = rows
        .clone()
        .step_by(height)
        .map(|start| start..(start + height).min(rows.end))
        .collect();
    Some((band_axis, bands))
}

/// The partial over `region` cut in slabs along the first reduced axis (every other axis
/// whole), merged in tile order into one accumulator.
fn slab_partial(
    op: Partial,
    axes: &[usize],
    program: &TileProgram,
    region: &[Range<usize>],
    offset: &[usize],
    shape: &[usize],
) -> Result<Value> {
    let axis = axes[0];
    let others: usize = region
        .iter()
        .enumerate()
        .filter(|(a, _)| *a != axis)
        .map(|(_, r)| r.len())
        .product();
    let step = (TILE_ELEMENTS / others.max(1)).max(1);
    let along = region[axis].clone();
    let starts: Vec<usize> = if along.is_empty() {
        vec![along.start]
    } else {
        along.clone().step_by(step).collect()
    };
    let tile_partial = |&start: &usize| -> Result<Value> {
        let mut tile = region.to_vec();
        tile[axis] = start..(start + step).min(along.end);
        let mut tile_offset = offset.to_vec();
        tile_offset[axis] += start - along.start;
        Ok(reduce::partial(
            op,
            axes,
            &evaluate(program, &tile)?,
            &tile_offset,
            shape,
        ))
    };
    // Inside a computation's worker pool the tiles run in parallel, in batches whose partials
    // take at most `HELD_PARTIALS` bytes (and at least one tile per worker), so a lone chunk
    // uses every worker; elsewhere (a dask worker thread, or a band already run in parallel
    // with the others) one after another. Either way the partials merge in tile order: the
    // result has the same bits.
    let batch = if rayon::current_thread_index().is_some() {
        let partial_bytes = others.max(1) * PARTIAL_BYTES_PER_ELEMENT;
        (HELD_PARTIALS / partial_bytes)
            .max(rayon::current_num_threads())
            .min(starts.len())
            .max(1)
    } else {
        1
    };
    let mut merged: Option<Value> = None;
    for group in starts.chunks(batch) {
        let parts: Vec<Value> = if group.len() > 1 {
            group.par_iter().map(tile_partial).collect::<Result<_>>()?
        } else {
            vec![tile_partial(&group[0])?]
        };
        for part in parts {
            match merged.as_mut() {
                None => merged = Some(part),
                Some(acc) => reduce::merge_into(op, acc, &part),
            }
        }
    }
    Ok(merged.expect("at least one tile"))
}

/// The values `program` computes over `tile`: every step in order, 0-d steps over no region.
fn evaluate(program: &TileProgram, tile: &[Range<usize>]) -> Result<ArrayData> {
    let mut values: Vec<ArrayData> = Vec::with_capacity(program.steps.len());
    for step in &program.steps {
        let region: &[Range<usize>] = if step.zero_d { &[] } else { tile };
        let shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
        let value = match &step.op {
            TileOp::Generate {
                source,
                view,
                dtype,
                shape: source_shape,
            } => generate::generate(source, view.as_deref(), *dtype, source_shape, region)?,
            TileOp::Unary { op, dtype, input } => op.apply(*dtype, &values[*input]),
            TileOp::Cast { dtype, input } => elementwise::cast(*dtype, &values[*input]),
            TileOp::Binary {
                op,
                operand_dtype,
                lhs,
                rhs,
            } => op.apply(*operand_dtype, &shape, &values[*lhs], &values[*rhs])?,
            TileOp::Where { dtype, cond, x, y } => {
                elementwise::where_blocks(*dtype, &shape, &values[*cond], &values[*x], &values[*y])
            }
        };
        values.push(value);
    }
    Ok(values.pop().expect("a tile program has a step"))
}

/// The most a tiled task over `region` holds at once: a tile (or the whole region, if
/// smaller) of every step of its program.
pub(crate) fn tile_bytes(program: &TileProgram, region: &[Range<usize>]) -> usize {
    let elements: usize = region.iter().map(|r| r.len()).product();
    program.tile_bytes(TILE_ELEMENTS.min(elements))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// The partial of a lone block, as `Debug` text (which prints every value in full).
    fn lone_block_partial(op: ReduceOp, axes: &[usize], threads: Option<usize>) -> String {
        let x = random::Rng::new(5).normal(0.0, 1.0, [3000, 70], [3000, 70]);
        let plan = (&x * 2.0 + 1.0).node().unwrap().clone();
        let program = TileProgram::of_plan(&plan);
        let region = [0..3000, 0..70];
        let run = || {
            format!(
                "{:?}",
                partial(op, axes, &program, &region, &[0, 0], &[3000, 70]).unwrap()
            )
        };
        match threads {
            None => run(),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(run),
        }
    }

    #[test]
    fn tiles_in_parallel_give_the_same_bits_as_one_after_another() {
        for (op, axes) in [
            (ReduceOp::Sum, vec![0]),
            (ReduceOp::Var { ddof: 1.0 }, vec![0]),
            (ReduceOp::Max, vec![1]),
            (ReduceOp::Mean, vec![0, 1]),
        ] {
            let sequential = lone_block_partial(op, &axes, None);
            for threads in [1, 2, 4] {
                assert_eq!(
                    lone_block_partial(op, &axes, Some(threads)),
                    sequential,
                    "{op:?} over {axes:?} on {threads} threads"
                );
            }
        }
    }

    /// A block whose step along the reduced axis is more than a tile is cut in bands along a
    /// kept axis: each band's partial is its slice, and the result is the untiled one (within
    /// rounding for sums and moments, exactly for min/max), run in a pool or not.
    #[test]
    fn bands_of_a_wide_block_give_its_partial() {
        let x = random::Rng::new(7).normal(0.0, 1.0, [3, 301, 400], [3, 301, 400]);
        let plan = (&x * 2.0 + 1.0).node().unwrap().clone();
        let program = TileProgram::of_plan(&plan);
        let region = [0..3, 0..301, 0..400];
        let (band_axis, bands) = bands(&[0], &region).expect("one step is 120,400 elements");
        assert_eq!(band_axis, 1);
        assert!(bands.len() > 1 && bands.iter().all(|b| b.len() * 400 <= TILE_ELEMENTS));
        let whole = evaluate(&program, &region).unwrap();
        for (op, axes) in [
            (ReduceOp::Sum, vec![0]),
            (ReduceOp::Var { ddof: 0.0 }, vec![0]),
            (ReduceOp::Max, vec![0, 2]),
            (ReduceOp::Min, vec![0]),
        ] {
            let untiled = reduce::partial(op.row().partial, &axes, &whole, &[0; 3], &[3, 301, 400]);
            let run = || partial(op, &axes, &program, &region, &[0; 3], &[3, 301, 400]).unwrap();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            for tiled in [run(), pool.install(run)] {
                let (got, want) = match (&tiled, &untiled) {
                    (Value::Data(g), Value::Data(w)) => (g.to_array::<f64>(), w.to_array::<f64>()),
                    (Value::Moments { m2: g, .. }, Value::Moments { m2: w, .. }) => {
                        (g.clone(), w.clone())
                    }
                    other => panic!("{op:?}: partials of different kinds {other:?}"),
                };
                assert_eq!(got.shape(), want.shape(), "{op:?}");
                let exact = matches!(op, ReduceOp::Max | ReduceOp::Min);
                for (g, w) in got.iter().zip(&want) {
                    let tol = if exact { 0.0 } else { 1e-12 * w.abs().max(1.0) };
                    assert!((g - w).abs() <= tol, "{op:?}: {g} against {w}");
                }
            }
        }
    }
}
