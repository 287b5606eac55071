//! `overlap` and `map_overlap` against dask's values, on every dtype, two chunkings, per-axis
//! depths and every boundary; depths larger than a block against numpy's `pad`; and the
//! property the Regions node exists for: a small slice of a `map_overlap` over many blocks
//! lowers to a handful of tasks.
//!
//! dask's values are pinned in `tests/data/overlap_expected.json` by
//! `scripts/overlap-expected.py` (run it with the test venv's Python to regenerate).

use ndarray::{ArrayD, ArrayViewD, IxDyn};
use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, check, pinned};

fn expected() -> Value {
    serde_json::from_str(include_str!("data/overlap_expected.json")).unwrap()
}

fn boundary(case: &Value) -> Boundary {
    match case["boundary"].as_str().unwrap() {
        "none" => Boundary::None,
        "reflect" => Boundary::Reflect,
        "periodic" => Boundary::Periodic,
        "nearest" => Boundary::Nearest,
        _ => Boundary::Constant(match &case["value"] {
            Value::Bool(b) => Scalar::Bool(*b),
            v if v.is_i64() => Scalar::Int(v.as_i64().unwrap()),
            v => Scalar::Float(v.as_f64().unwrap()),
        }),
    }
}

/// The sum of each element's 3×3 neighbourhood within the block, as the script's `box3`.
fn box3(b: ArrayViewD<f64>) -> ArrayD<f64> {
    let (rows, cols) = (b.shape()[0], b.shape()[1]);
    ArrayD::from_shape_fn(IxDyn(&[rows, cols]), |ix| {
        let mut sum = 0.0;
        for i in ix[0].saturating_sub(1)..(ix[0] + 2).min(rows) {
            for j in ix[1].saturating_sub(1)..(ix[1] + 2).min(cols) {
                sum += b[[i, j]];
            }
        }
        sum
    })
}

fn sizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect()
}

#[test]
fn overlap_and_map_overlap_give_dasks_values() {
    let table = expected();
    let checks = table["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let table = &table;
            Box::new(move || {
                let input = pinned(&table["inputs"][case["dtype"].as_str().unwrap()]);
                let chunks = sizes(&case["chunks"]);
                let x = array(&input, 1).rechunk(chunks).unwrap();
                let depth = sizes(&case["depth"]);
                let what = format!(
                    "{} depth {depth:?} {} in chunks {}",
                    case["dtype"], case["boundary"], case["chunks"]
                );
                let g = x.overlap(depth.clone(), boundary(case)).unwrap();
                // dask first rechunks an axis whose smallest block is thinner than the depth
                // (tessera takes the ghosts from further neighbours instead): then only the
                // trimmed result, which does not depend on the blocks, is comparable.
                let thin = (0..2).any(|a| x.chunks().axis(a).iter().any(|&c| c < depth[a]));
                let want: Vec<Vec<usize>> = case["overlap_chunks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(sizes)
                    .collect();
                if !thin {
                    assert_eq!(g.chunks().as_slice(), &want[..], "{what}: chunks");
                    check(&what, &g.compute().unwrap(), &pinned(&case["overlap"]), 0);
                }
                let m = x
                    .astype(DType::Float64)
                    .map_overlap(box3, depth, boundary(case), true)
                    .unwrap();
                assert_eq!(m.chunks(), x.chunks(), "{what}: trimmed chunks");
                check(&what, &m.compute().unwrap(), &pinned(&case["box3"]), 0);
            }) as Box<dyn Fn() + std::panic::RefUnwindSafe>
        })
        .collect();
    all_of(checks);
}

#[test]
fn depths_larger_than_a_block_take_ghosts_from_further_neighbours() {
    let x = arange(0, 40, 1, 7)
        .reshape([5, 8])
        .unwrap()
        .rechunk([2, 3])
        .unwrap();
    for (boundary, mode) in [
        (Boundary::Periodic, PadMode::Wrap),
        (Boundary::Reflect, PadMode::Symmetric),
        (Boundary::Nearest, PadMode::Edge),
    ] {
        let g = x.overlap([4, 5], boundary).unwrap();
        let padded = x.pad([(4, 4), (5, 5)], mode).unwrap();
        // Block (1, 2) covers rows 2..4 and columns 6..8: padded rows 2..12, columns 6..18.
        let block = g.slice(s![10..20, 26..38]).unwrap();
        assert_eq!(g.chunks().axis(0), &[10, 10, 9]);
        assert_eq!(g.chunks().axis(1), &[13, 13, 12]);
        let want = padded.slice(s![2..12, 6..18]).unwrap().compute().unwrap();
        let got = block.compute().unwrap();
        assert_eq!(got.to_vec::<i64>(), want.to_vec::<i64>(), "{boundary:?}");
        let same = x
            .map_overlap(|b: ArrayViewD<i64>| b.to_owned(), [4, 5], boundary, true)
            .unwrap();
        assert_eq!(
            same.compute().unwrap().to_vec::<i64>(),
            x.compute().unwrap().to_vec::<i64>()
        );
    }
}

#[test]
fn a_slice_of_map_overlap_computes_only_the_blocks_under_it() {
    // dask's napari benchmark: 40000 blocks, a 10 × 10 slice of one.
    let x = random::Rng::new(1).uniform(0.0, 1.0, [10000, 10000], [50, 50]);
    let y = x
        .map_overlap(
            |b: ArrayViewD<f64>| b.to_owned(),
            1,
            Boundary::Reflect,
            true,
        )
        .unwrap();
    let part = y.slice(s![5000..5010, 5000..5010]).unwrap();
    let tasks = tessera::graph::lower(&part.optimized().unwrap())
        .unwrap()
        .tasks
        .len();
    assert!(
        tasks <= 20,
        "{tasks} tasks for one block and its neighbours"
    );
    let want = x
        .slice(s![5000..5010, 5000..5010])
        .unwrap()
        .compute()
        .unwrap();
    assert_eq!(
        part.compute().unwrap().to_vec::<f64>(),
        want.to_vec::<f64>()
    );
}

#[test]
fn bad_depths_say_what_was_expected() {
    let x = zeros([4, 4], 2);
    assert_eq!(
        x.overlap([1], Boundary::None).unwrap_err().to_string(),
        "overlap: expected one depth per axis (2), got 1"
    );
    let err = x
        .map_overlap(|b: ArrayViewD<i64>| b.to_owned(), 1, Boundary::None, true)
        .unwrap_err();
    assert!(err.to_string().contains("map_overlap"), "{err}");
}
