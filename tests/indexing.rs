//! Indexing and selection against numpy's values: numpy's slices (bounds that clip, negative
//! steps through `numpy_slice`, Ellipsis through `slice_ellipsis`, `np.newaxis`), integer
//! indices along an axis (`take`: unsorted, repeated, negative, empty) and assignments as new
//! arrays (`where_mask`, `set_slice`, `compress`), on every dtype, whole and in chunks of 3 and
//! 7; then the errors for bad indices, and the random orders (`permutation`, `shuffle`,
//! `choice`: tessera's own values, so their properties, not numpy's numbers).
//!
//! numpy's values are pinned in `tests/data/indexing_expected.json` by
//! `scripts/indexing-expected.py` (run it with the test venv's Python to regenerate).

use ndarray::SliceInfoElem;
use serde_json::Value;
use tessera::numpy_slice;
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, check, chunk, pinned, CHUNKINGS};

fn expected() -> Value {
    serde_json::from_str(include_str!("data/indexing_expected.json")).unwrap()
}

/// One pinned element of a numpy index, as an `s![]` element (`None` for `...`).
fn element(e: &Value) -> Option<SliceInfoElem> {
    if let Some(i) = e.as_i64() {
        return Some(SliceInfoElem::Index(i as isize));
    }
    match e.as_str() {
        Some("newaxis") => return Some(SliceInfoElem::NewAxis),
        Some("...") => return None,
        _ => {}
    }
    let part = |k: usize| e["slice"][k].as_i64().map(|v| v as isize);
    let len = e["len"].as_u64().unwrap() as usize;
    Some(numpy_slice(part(0), part(1), part(2).unwrap(), len))
}

/// The results of one case on the input `x` in one chunking, each with a label.
type Run = fn(&Value, &Array) -> Vec<(&'static str, tessera::Result<Array>)>;

/// Runs every pinned case of `table` on its input whole and in chunks of 3 and 7, checking each
/// result against numpy's (dtype, shape, chunks that cover it, values); then fails with every
/// failure.
fn each_case(table: &str, run: Run) {
    let cases = expected()[table].as_array().unwrap().clone();
    all_of(
        cases
            .into_iter()
            .map(|case| -> Box<dyn Fn() + std::panic::RefUnwindSafe> {
                Box::new(move || {
                    let input = pinned(&case["input"]);
                    let want = pinned(&case["want"]);
                    let what = format!("{} of {:?} {:?}", case["numpy"], input.dtype, input.shape);
                    for c in CHUNKINGS {
                        let x = array(&input, chunk(&input, c));
                        for (how, got) in run(&case, &x) {
                            let got = got.unwrap_or_else(|e| panic!("{what}: {e}"));
                            let label = format!("{what} ({how}) chunks {c}");
                            assert_eq!(got.chunks().shape(), want.shape, "{label}");
                            check(&label, &got.compute().unwrap(), &want, 0);
                        }
                    }
                })
            })
            .collect(),
    );
}

/// A pinned list, each value read by `read`.
fn list<T>(values: &Value, read: fn(&Value) -> Option<T>) -> Vec<T> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| read(v).unwrap())
        .collect()
}

/// numpy's `x[index]`.
#[test]
fn slices_match_numpy() {
    each_case("slices", |case, x| {
        let elems: Vec<Option<SliceInfoElem>> = case["elems"]
            .as_array()
            .unwrap()
            .iter()
            .map(element)
            .collect();
        let got = match elems.iter().position(Option::is_none) {
            Some(at) => {
                let part = |r: &[Option<SliceInfoElem>]| -> Vec<SliceInfoElem> {
                    r.iter().flatten().cloned().collect()
                };
                x.slice_ellipsis(part(&elems[..at]), part(&elems[at + 1..]))
            }
            None => x.slice(elems.iter().flatten().cloned().collect::<Vec<_>>()),
        };
        vec![("slice", got)]
    });
}

#[test]
fn ellipsis_errors_name_the_count() {
    let x = ones([2, 3], 2);
    assert_eq!(
        x.slice_ellipsis(s![0, 0], s![0]).unwrap_err().to_string(),
        "slice: too many indices for array: array is 2-dimensional, but 3 were indexed around \
         the Ellipsis"
    );
    // an Ellipsis may stand for no axis at all
    assert_eq!(
        x.slice_ellipsis(s![0], s![1]).unwrap().shape(),
        &[] as &[usize]
    );
}

/// numpy's `np.take(x, indices, axis)`, indices given as a Vec, an ndarray and a lazy integer
/// array.
#[test]
fn takes_match_numpy() {
    each_case("takes", |case, x| {
        let axis = case["axis"].as_i64().unwrap() as isize;
        let indices = list(&case["indices"], Value::as_i64);
        let nd = ndarray::Array1::from(indices.clone());
        let lazy = from_array(nd.clone().into_dyn(), 2);
        vec![
            ("vec", x.take(indices, axis)),
            ("ndarray", x.take(&nd, axis)),
            ("lazy", x.take(&lazy, axis)),
        ]
    });
}

/// numpy's `x[i0, i1]` with index lists, as `vindex`.
#[test]
fn pointwise_matches_numpy() {
    each_case("pointwise", |case, x| {
        let lists: Vec<Vec<i64>> = case["lists"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| list(l, Value::as_i64))
            .collect();
        vec![("vindex", x.vindex(&lists))]
    });
}

/// numpy's `x[x > 0.5]`, `np.flatnonzero`, `np.nonzero` and `np.argwhere`.
#[test]
fn masks_match_numpy() {
    each_case("masks", |case, x| {
        let got = match case["kind"].as_str().unwrap() {
            "mask" if x.dtype() == DType::Bool => x.mask(x),
            "mask" => x.mask(&x.gt(case["threshold"].as_f64().unwrap())),
            "flatnonzero" => x.flatnonzero(3),
            "argwhere" => x.argwhere(3),
            _ => x
                .nonzero(3)
                .map(|parts| parts[case["axis"].as_u64().unwrap() as usize].clone()),
        };
        vec![("mask", got)]
    });
}

#[test]
fn mask_errors_are_numpys() {
    let x = ones([3, 4], 2);
    assert_eq!(
        x.mask(&ones([3, 5], 2).gt(0.0)).unwrap_err().to_string(),
        "mask: boolean index did not match indexed array along axis 1; size of axis is 4 but \
         size of corresponding boolean axis is 5 (shapes [3, 4] and [3, 5])"
    );
    assert_eq!(
        x.mask(&x).unwrap_err().to_string(),
        "mask: a mask must be a bool array, got float64"
    );
    assert_eq!(
        x.slice(s![0, 0])
            .unwrap()
            .nonzero(2)
            .unwrap_err()
            .to_string(),
        "nonzero: calling nonzero on 0d arrays is not allowed; use atleast_1d(x).nonzero()"
    );
    // all true and all false
    assert_eq!(x.mask(&x.gt(0.0)).unwrap().shape(), &[12]);
    assert_eq!(x.mask(&x.lt(0.0)).unwrap().compute().unwrap().len(), 0);
}

#[test]
fn vindex_errors_are_numpys() {
    let x = ones([3, 4], 2);
    assert_eq!(
        x.vindex(&[vec![0, 1], vec![0, 1, 2]])
            .unwrap_err()
            .to_string(),
        "vindex: shape mismatch: indexing arrays could not be broadcast together with shapes \
         (2,) (3,)"
    );
    assert_eq!(
        x.vindex(&[vec![0], vec![4]]).unwrap_err().to_string(),
        "vindex: index 4 is out of bounds for axis 1 with size 4"
    );
    assert_eq!(
        x.vindex(&[vec![0], vec![0], vec![0]])
            .unwrap_err()
            .to_string(),
        "vindex: too many indices for array: array is 2-dimensional, but 3 were indexed (at \
         least one is needed)"
    );
}

#[test]
fn take_errors_name_the_index() {
    let x = ones([3, 4], 2);
    assert_eq!(
        x.take([0, 4], 1).unwrap_err().to_string(),
        "take: index 4 is out of bounds for axis 1 with size 4"
    );
    assert_eq!(
        x.take(vec![-4i64], 0).unwrap_err().to_string(),
        "take: index -4 is out of bounds for axis 0 with size 3"
    );
    assert_eq!(
        x.take([0], 2).unwrap_err().to_string(),
        "take: axis 2 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        x.take(&ones([2], 1), 0).unwrap_err().to_string(),
        "take: arrays used as indices must be of integer type, got float64"
    );
    assert_eq!(
        x.compress(&[true; 5], 0).unwrap_err().to_string(),
        "compress: index 4 is out of bounds for axis 0 with size 3"
    );
}

/// Random indices spread over every block (the bench's case, smaller): the output chunk is as
/// long as an input block, and the take costs one task per input block read plus one to put
/// them in order: within twice the input's chunk count, not a task per index.
#[test]
fn take_groups_indices_by_block() -> Result<()> {
    let x = arange(0, 4000, 1, 400)
        .reshape([1000, 4])?
        .rechunk([100, 4])?;
    let indices: Vec<i64> = (0..100).map(|k| (k * 379 + 11) % 1000).collect();
    let taken = x.take(indices.clone(), 0)?;
    assert_eq!(taken.chunks().axis(0), &[100]);
    let tasks = take_tasks(&taken)?;
    assert_eq!(tasks, 10 + 1);
    assert!(tasks <= 2 * x.npartitions());
    let got = taken.compute()?.to_vec::<i64>();
    let want: Vec<i64> = indices
        .iter()
        .flat_map(|&i| (0..4).map(move |j| i * 4 + j))
        .collect();
    assert_eq!(got, want);
    // sorted indices: one chunk per input block read, a single task each
    let sorted = x.take((0..1000).step_by(30).collect::<Vec<usize>>(), 0)?;
    assert_eq!(sorted.chunks().axis(0), &[4, 3, 3, 4, 3, 3, 4, 3, 3, 4]);
    assert_eq!(take_tasks(&sorted)?, 10);
    Ok(())
}

/// A take from a `.npy` file reads the picked rows in place (one task per block read, none
/// for the blocks themselves) and gives the values of the same take from memory, along any
/// axis.
#[test]
fn take_from_a_file_reads_rows_in_place() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("tessera-indexing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("x.npy");
    let x = random::Rng::new(3).normal(0.0, 1.0, [50, 6], [7, 4]);
    x.to_npy(&path)?;
    let file = tessera::io::from_npy(&path, [7, 4])?;
    let indices = [49i64, 0, 3, 3, -1, 20, 8];
    for axis in [0, 1] {
        let list: Vec<i64> = indices
            .iter()
            .map(|&i| i % x.shape()[axis] as i64)
            .collect();
        let from_file = file.take(list.clone(), axis as isize)?;
        assert_eq!(
            from_file.compute()?,
            x.take(list, axis as isize)?.compute()?
        );
        let graph = tessera::graph::lower(&from_file)?;
        assert!(graph
            .tasks
            .iter()
            .all(|t| !t.key.layer.starts_with("from-npy")));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

/// The tasks of the `take` layers in the graph of `a`.
fn take_tasks(a: &Array) -> Result<usize> {
    let graph = tessera::graph::lower(a)?;
    Ok(graph
        .tasks
        .iter()
        .filter(|t| t.key.layer.starts_with("take"))
        .count())
}

/// numpy's `x[m] = v`, `x[index] = y` and `np.compress(c, x, axis)`, as new arrays.
#[test]
fn assignments_match_numpy() {
    each_case("assignments", |case, x| {
        let shape = x.shape().to_vec();
        let got = match case["kind"].as_str().unwrap() {
            "where_mask" => {
                let m = pinned(&case["mask"]);
                x.where_mask(&array(&m, chunk(&m, 3)), case["value"].as_f64().unwrap())
            }
            "set_slice" => {
                let rows = case["rows"].as_array().unwrap();
                let bound = |k: usize| rows[k].as_i64().map(|v| v as isize);
                let elem = numpy_slice(bound(0), bound(1), bound(2).unwrap(), shape[0]);
                let y = pinned(&case["y"]);
                x.set_slice([elem], array(&y, chunk(&y, 2)))
            }
            _ => {
                let condition = list(&case["condition"], Value::as_bool);
                x.compress(&condition, case["axis"].as_i64().unwrap() as isize)
            }
        };
        vec![("assign", got)]
    });
}

/// numpy's `np.isin(x, values)` and `np.select([x < lo, x > hi], [x, x * 2], -1)`.
#[test]
fn choosing_matches_numpy() {
    each_case("choosing", |case, x| {
        if case["kind"] == "isin" {
            let values = list(&case["values"], Value::as_f64);
            return vec![("isin", Ok(x.isin(&values)))];
        }
        let (lo, hi) = (case["lo"].as_i64().unwrap(), case["hi"].as_i64().unwrap());
        let (lo, hi) = (lo as i32, hi as i32);
        let got = tessera::select(&[x.lt(lo), x.gt(hi)], &[x.clone(), x * 2], -1);
        vec![("select", got)]
    });
}

#[test]
fn select_errors_are_numpys() {
    let x = arange(0, 4, 1, 2);
    assert_eq!(
        tessera::select(&[x.lt(1)], &[], 0).unwrap_err().to_string(),
        "select: list of cases must be same length as list of conditions (0 cases, 1 \
         conditions)"
    );
    assert_eq!(
        tessera::select(std::slice::from_ref(&x), std::slice::from_ref(&x), 0)
            .unwrap_err()
            .to_string(),
        "select: invalid entry 0 in condlist: should be boolean ndarray, got int64"
    );
    assert_eq!(
        tessera::select(&[], &[], 0).unwrap_err().to_string(),
        "select: select with an empty condition list is not possible"
    );
}

#[test]
fn assignment_errors_say_what_was_given() {
    let x = zeros([3, 4], 2);
    assert_eq!(
        x.where_mask(&ones([2, 4], 2).gt(0.0), 1.0)
            .unwrap_err()
            .to_string(),
        "where_mask: the mask and value must broadcast to the array's shape [3, 4] (where: \
         operands could not be broadcast together with shapes (2, 4) (3, 4))"
    );
    assert_eq!(
        x.where_mask(&ones([4], 2).gt(0.0), ones([2, 3, 4], 2))
            .unwrap_err()
            .to_string(),
        "where_mask: the mask and value broadcast to shape [2, 3, 4], not the array's shape [3, 4]"
    );
    assert_eq!(
        x.set_slice(s![.., 0], ones([4], 2))
            .unwrap_err()
            .to_string(),
        "set_slice: the value does not broadcast to the selection's shape [3] (where: operands \
         could not be broadcast together with shapes (3,) (4,))"
    );
    assert_eq!(
        x.set_slice(s![..;2], 1.0).unwrap_err().to_string(),
        "set_slice: a range step of 2 is not supported (only 1 and -1)"
    );
    // an empty selection leaves the array as it is
    assert_eq!(
        x.set_slice(s![5.., ..], 1.0).unwrap().compute().unwrap(),
        x.compute().unwrap()
    );
}

/// Random orders: every element once, the same for a seed whatever the chunks, and samples
/// with replacement within range.
#[test]
fn random_orders_are_permutations_and_chunk_invariant() -> Result<()> {
    let sorted = |mut v: Vec<i64>| {
        v.sort();
        v
    };
    let p = random::Rng::new(9)
        .permutation(1000, 7)
        .compute()?
        .to_vec::<i64>();
    assert_eq!(
        p,
        random::Rng::new(9)
            .permutation(1000, 1000)
            .compute()?
            .to_vec::<i64>()
    );
    assert_ne!(p, (0..1000).collect::<Vec<i64>>());
    assert_eq!(sorted(p), (0..1000).collect::<Vec<i64>>());
    assert!(random::Rng::new(1).permutation(0, 1).compute()?.is_empty());

    let x = arange(0, 60, 1, 7).reshape([20, 3])?;
    let rows = random::Rng::new(2).shuffle(&x, 0)?;
    let same = random::Rng::new(2).shuffle(&x.rechunk([3, 3])?, 0)?;
    assert_eq!(rows.compute()?, same.compute()?);
    let rows = rows.compute()?.to_vec::<i64>();
    assert_eq!(sorted(rows.clone()), (0..60).collect::<Vec<i64>>());
    assert!(rows
        .chunks(3)
        .all(|r| r[0] % 3 == 0 && r[1] == r[0] + 1 && r[2] == r[0] + 2));
    let cols = random::Rng::new(2)
        .shuffle(&x, -1)?
        .compute()?
        .to_vec::<i64>();
    assert!(cols
        .chunks(3)
        .enumerate()
        .all(|(i, r)| sorted(r.to_vec()) == [3 * i as i64, 3 * i as i64 + 1, 3 * i as i64 + 2]));

    let rng = random::Rng::new(4);
    let picks = rng.choice(&x, 500, true)?;
    assert_eq!(picks.shape(), &[500, 3]);
    let firsts: Vec<i64> = picks
        .compute()?
        .to_vec::<i64>()
        .into_iter()
        .step_by(3)
        .collect();
    assert!(firsts.iter().all(|&v| v % 3 == 0 && (0..60).contains(&v)));
    let distinct = rng.choice(&x, 20, false)?.compute()?.to_vec::<i64>();
    assert_eq!(sorted(distinct), (0..60).collect::<Vec<i64>>());
    assert_eq!(
        rng.choice(&x, 21, false).unwrap_err().to_string(),
        "choice: Cannot take a larger sample than population when replace is False \
         (population 20, sample 21)"
    );
    assert_eq!(
        rng.choice(&x.slice(s![0, 0])?, 1, true)
            .unwrap_err()
            .to_string(),
        "choice: x must be at least 1-dimensional"
    );
    assert_eq!(
        rng.shuffle(&x, 2).unwrap_err().to_string(),
        "shuffle: axis 2 is out of bounds for array of dimension 2"
    );
    Ok(())
}
