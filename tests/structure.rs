//! Operations that move elements, checked against eager ndarray on random inputs.
//!
//! `transpose` / `t()` / `reshape` (with `-1`) / `rechunk` / `concatenate` (promoting dtypes,
//! inputs with different chunkings) / `stack` / `dot` (2-D, float64 and int64, inner chunks
//! that do not line up) / `map_blocks`. `map_blocks` is also checked to call the closure once
//! per chunk with the chunk's shape; a closure that panics or returns the wrong shape makes
//! `compute()` return an error naming the chunk, and the process keeps working.

#[macro_use]
mod common;

use std::sync::{Arc, Mutex};

use common::*;
use ndarray::{ArrayD, ArrayViewD, Axis, Ix2, IxDyn};
use proptest::prelude::*;
use tessera::prelude::*;
use tessera::{ArrayData, DataElement};

proptest! {
    #![proptest_config(config(96))]

    /// A random permutation of the axes, and `t()` (all axes reversed).
    #[test]
    fn transpose_matches_ndarray(
        (case, perm) in case().prop_flat_map(|c| {
            let ndim = c.shape().len();
            (Just(c), Just((0..ndim).collect::<Vec<_>>()).prop_shuffle())
        }),
    ) {
        let a = case.lazy();
        let expected = with_array!(&case.data, x => DataElement::wrap(x.clone().permuted_axes(IxDyn(&perm)).as_standard_layout().into_owned()));
        check_array(&a.transpose(&perm)?, &expected)?;
        let reversed = with_array!(&case.data, x => DataElement::wrap(x.t().as_standard_layout().into_owned()));
        check_array(&a.t(), &reversed)?;
        // chunks move with their axes
        let t = a.transpose(&perm)?;
        for (out_axis, &in_axis) in perm.iter().enumerate() {
            prop_assert_eq!(t.chunks().axis(out_axis), a.chunks().axis(in_axis));
        }
    }

    /// Reshape to a random shape of the same size, sometimes with one `-1`.
    #[test]
    fn reshape_matches_ndarray(case in case(), picks in prop::collection::vec(0usize..64, 0..=3), infer in prop::option::of(0usize..3)) {
        let size = case.data.len();
        let target = reshape_target(size, &picks);
        let mut request: Vec<isize> = target.iter().map(|&d| d as isize).collect();
        if let Some(i) = infer {
            // -1 is only resolvable when the other lengths have a nonzero product
            let i = i % request.len().max(1);
            let others: usize = target.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &d)| d).product();
            if i < request.len() && others > 0 {
                request[i] = -1;
            }
        }
        let expected = from_elems(case.dtype(), &target, elems(&case.data));
        check_array(&case.lazy().reshape(request)?, &expected)?;
    }

    /// Rechunk to another random chunking: same values, the requested chunks.
    #[test]
    fn rechunk_matches_ndarray(
        (case, spec) in case().prop_flat_map(|c| {
            let spec = chunks_for(c.shape());
            (Just(c), spec)
        }),
    ) {
        let a = case.lazy();
        let r = a.rechunk(spec.clone())?;
        prop_assert_eq!(r.chunks(), &Chunks::normalize(spec, case.shape(), case.dtype())?);
        check_array(&r, &case.data)?;
        // and back
        check_array(&r.rechunk(a.chunks())?, &case.data)?;
    }

    /// Concatenate 1..=3 arrays of random dtypes and chunkings along a random (maybe negative) axis.
    #[test]
    fn concatenate_matches_ndarray((parts, axis, negative) in concat_case()) {
        let ndim = parts[0].shape().len();
        let dtype = parts.iter().map(|c| c.dtype()).reduce(numpy_promote).unwrap();
        let cast_parts: Vec<ArrayData> = parts.iter().map(|c| cast(&c.data, dtype)).collect();
        let expected = with_type!(dtype, T => {
            let typed: Vec<ArrayD<T>> = cast_parts.iter().map(typed::<T>).collect();
            let views: Vec<_> = typed.iter().map(|t| t.view()).collect();
            T::wrap(ndarray::concatenate(Axis(axis), &views).unwrap())
        });
        let arrays: Vec<Array> = parts.iter().map(Case::lazy).collect();
        let axis_arg = if negative { axis as isize - ndim as isize } else { axis as isize };
        check_array(&concatenate(&arrays, axis_arg)?, &expected)?;
    }

    /// Stack 1..=3 arrays of the same shape (random dtypes) along a new axis.
    #[test]
    fn stack_matches_ndarray((parts, axis, negative) in stack_case()) {
        let ndim = parts[0].shape().len();
        let dtype = parts.iter().map(|c| c.dtype()).reduce(numpy_promote).unwrap();
        let expected = with_type!(dtype, T => {
            let typed: Vec<ArrayD<T>> = parts.iter().map(|c| typed::<T>(&c.data)).collect();
            let views: Vec<_> = typed.iter().map(|t| t.view()).collect();
            T::wrap(ndarray::stack(Axis(axis), &views).unwrap())
        });
        let arrays: Vec<Array> = parts.iter().map(Case::lazy).collect();
        let axis_arg = if negative { axis as isize - ndim as isize - 1 } else { axis as isize };
        check_array(&stack(&arrays, axis_arg)?, &expected)?;
    }

    /// 2-D matrix products with independent chunkings (inner chunks usually differ).
    #[test]
    fn dot_matches_ndarray((lhs, rhs) in dot_case()) {
        let dtype = numpy_promote(lhs.dtype(), rhs.dtype());
        let (l, r) = (lhs.lazy(), rhs.lazy());
        let product = l.dot(&r)?;
        let a = typed::<f64>(&lhs.data).into_dimensionality::<Ix2>().unwrap();
        let b = typed::<f64>(&rhs.data).into_dimensionality::<Ix2>().unwrap();
        let (expected, atol): (ArrayData, Vec<f64>) = if dtype.is_float() {
            let exact = from_elems(dtype, &[a.nrows(), b.ncols()], a.dot(&b).iter().map(|&x| Elem::F(x)).collect());
            // rounding is bounded relative to sum |a_ik| |b_kj|
            let scale = a.mapv(f64::abs).dot(&b.mapv(f64::abs));
            (exact, scale.iter().map(|s| rtol(dtype) * s).collect())
        } else {
            let a = typed::<i64>(&lhs.data).into_dimensionality::<Ix2>().unwrap();
            let b = typed::<i64>(&rhs.data).into_dimensionality::<Ix2>().unwrap();
            let exact = from_elems(dtype, &[a.nrows(), b.ncols()], a.dot(&b).iter().map(|&x| Elem::I(x)).collect());
            (exact, vec![0.0; a.nrows() * b.ncols()])
        };
        prop_assert_eq!(product.dtype(), dtype);
        prop_assert_eq!(product.chunks().axis(0), l.chunks().axis(0));
        prop_assert_eq!(product.chunks().axis(1), r.chunks().axis(1));
        check_data_tol(product.compute()?.data(), &expected, Some(&atol))?;
    }

    /// `map_blocks` doubling float64 values, once per chunk, with each chunk's shape.
    #[test]
    fn map_blocks_matches_ndarray(case in case_of(DType::Float64)) {
        let a = case.lazy();
        let seen: Arc<Mutex<Vec<Vec<usize>>>> = Arc::default();
        let record = seen.clone();
        let doubled = a.map_blocks(move |block: ArrayViewD<f64>| {
            record.lock().unwrap().push(block.shape().to_vec());
            block.mapv(|x| 2.0 * x)
        })?;
        prop_assert_eq!(doubled.chunks(), a.chunks());
        let expected = typed::<f64>(&case.data).mapv(|x| 2.0 * x);
        check_array(&doubled, &f64::wrap(expected))?;
        let mut seen = seen.lock().unwrap().clone();
        let mut blocks: Vec<Vec<usize>> = a.chunks().block_indices().iter().map(|i| a.chunks().block_shape(i)).collect();
        seen.sort();
        blocks.sort();
        prop_assert_eq!(seen, blocks, "one call per chunk, with the chunk's shape");
    }

    /// `map_blocks` may change the dtype (here int32 -> bool).
    #[test]
    fn map_blocks_changes_dtype(case in case_of(DType::Int32)) {
        let odd = case.lazy().map_blocks(|block: ArrayViewD<i32>| block.mapv(|x| x % 2 != 0))?;
        let expected = typed::<i32>(&case.data).mapv(|x| x % 2 != 0);
        check_array(&odd, &bool::wrap(expected))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// A shape of `size` elements with up to `picks.len() + 1` axes, each length chosen among the
/// divisors of what is left (for size 0: one axis of length 0 among small lengths).
fn reshape_target(size: usize, picks: &[usize]) -> Vec<usize> {
    if size == 0 {
        let mut shape: Vec<usize> = picks.iter().map(|p| p % 4).collect();
        if !shape.contains(&0) {
            shape.push(0);
        }
        return shape;
    }
    let mut left = size;
    let mut shape = Vec::new();
    for &p in picks {
        let divisors: Vec<usize> = (1..=left).filter(|d| left.is_multiple_of(*d)).collect();
        let d = divisors[p % divisors.len()];
        shape.push(d);
        left /= d;
    }
    if left > 1 || shape.is_empty() && size != 1 {
        shape.push(left);
    }
    shape
}

/// Arrays that agree on all axes but `axis`, with their own lengths there, dtypes and chunks.
fn concat_case() -> impl Strategy<Value = (Vec<Case>, usize, bool)> {
    (shape_with(1..=3), 1usize..=3)
        .prop_flat_map(|(shape, count)| {
            let ndim = shape.len();
            (
                Just(shape),
                0..ndim,
                prop::collection::vec((0usize..=4, dtype()), count),
                any::<bool>(),
            )
        })
        .prop_flat_map(|(shape, axis, parts, negative)| {
            let cases: Vec<BoxedStrategy<Case>> = parts
                .into_iter()
                .map(|(len, dtype)| {
                    let mut s = shape.clone();
                    s[axis] = len;
                    case_for(s, dtype)
                })
                .collect();
            (cases, Just(axis), Just(negative))
        })
}

/// Arrays of one shape, with their own dtypes and chunks, and a new-axis position.
fn stack_case() -> impl Strategy<Value = (Vec<Case>, usize, bool)> {
    (shape_with(0..=2), prop::collection::vec(dtype(), 1..=3)).prop_flat_map(|(shape, dtypes)| {
        let ndim = shape.len();
        let cases: Vec<BoxedStrategy<Case>> = dtypes
            .into_iter()
            .map(|d| case_for(shape.clone(), d))
            .collect();
        (cases, 0..=ndim, any::<bool>())
    })
}

/// `(m, k)` and `(k, n)` operands: float64 or int64 mostly, sometimes int32/float32.
fn dot_case() -> impl Strategy<Value = (Case, Case)> {
    let dtype = || prop_oneof![3 => Just(DType::Float64), 3 => Just(DType::Int64), 1 => Just(DType::Int32), 1 => Just(DType::Float32)];
    (axis_len(), axis_len(), axis_len(), dtype(), dtype())
        .prop_flat_map(|(m, k, n, dl, dr)| (case_for(vec![m, k], dl), case_for(vec![k, n], dr)))
}

// ---------------------------------------------------------------------------------------------
// By example
// ---------------------------------------------------------------------------------------------

#[test]
fn dot_by_example() -> Result<()> {
    let a = from_array(ndarray::array![[1i64, 2, 3], [4, 5, 6]], [1, 2]);
    let b = from_array(ndarray::array![[1i64, 0], [0, 1], [2, -1]], [3, 1]);
    let c = a.dot(&b)?;
    assert_eq!(c.dtype(), DType::Int64);
    assert_eq!(
        c.compute()?.to_ndarray::<i64>(),
        ndarray::array![[7, -1], [16, -1]].into_dyn()
    );
    // mixed dtypes promote
    let f = b.astype(DType::Float32);
    assert_eq!(a.dot(&f)?.dtype(), DType::Float64);
    assert_eq!(a.astype(DType::Float32).dot(&f)?.dtype(), DType::Float32);
    Ok(())
}

#[test]
fn concatenate_and_stack_by_example() -> Result<()> {
    let a = from_array(ndarray::array![[1i32, 2], [3, 4]], [1, 2]);
    let b = from_array(ndarray::array![[0.5], [1.5]], [2, 1]);
    let c = concatenate(&[a.clone(), b], -1)?;
    assert_eq!(c.dtype(), DType::Float64);
    assert_eq!(
        c.compute()?.to_vec::<f64>(),
        vec![1.0, 2.0, 0.5, 3.0, 4.0, 1.5]
    );
    let s = stack(&[a.clone(), a.gt(2)], 2)?;
    assert_eq!(s.shape(), &[2, 2, 2]);
    assert_eq!(s.dtype(), DType::Int32);
    assert_eq!(s.compute()?.to_vec::<i32>(), vec![1, 0, 2, 0, 3, 1, 4, 1]);
    Ok(())
}

#[test]
fn reshape_by_example() -> Result<()> {
    let x = arange(0, 24, 1, 7);
    let y = x.reshape([2, -1, 4])?;
    assert_eq!(y.shape(), &[2, 3, 4]);
    assert_eq!(
        y.slice(s![1, 2, ..])?.compute()?.to_vec::<i64>(),
        vec![20, 21, 22, 23]
    );
    // reshape after a transpose reads the transposed (C order) elements
    let t = y.transpose(&[2, 0, 1])?.reshape([4, 6])?;
    assert_eq!(
        t.slice(s![1, ..])?.compute()?.to_vec::<i64>(),
        vec![1, 5, 9, 13, 17, 21]
    );
    assert_eq!(x.reshape([24])?.compute()?, x.compute()?);
    let scalar = x.slice(s![3..4])?.reshape(Vec::<usize>::new())?;
    assert_eq!(scalar.shape(), &[] as &[usize]);
    assert_eq!(scalar.compute()?.to_scalar::<i64>()?, 3);
    Ok(())
}

/// 0..24 as (4, 6) in chunks of (2, 3): value 16 is in chunk (1, 1).
fn grid() -> Array {
    from_array(
        ndarray::Array::from_iter(0..24i64)
            .into_shape_with_order((4, 6))
            .unwrap(),
        [2, 3],
    )
}

#[test]
fn map_blocks_panic_is_an_error_naming_the_chunk() -> Result<()> {
    let bad = grid().map_blocks(|block: ArrayViewD<i64>| {
        if let Some(v) = block.iter().find(|&&v| v == 16) {
            panic!("boom: found {v}");
        }
        block.to_owned()
    })?;
    let message = bad.compute().unwrap_err().to_string();
    assert!(
        message.starts_with("compute failed on chunk ('map_blocks-"),
        "{message}"
    );
    assert!(
        message.ends_with("', 1, 1): panicked: boom: found 16"),
        "{message}"
    );
    // the same again: nothing was poisoned
    assert_eq!(bad.sum()?.compute().unwrap_err().to_string(), message);
    // chunks that do not need the failing one still compute
    assert_eq!(
        bad.slice(s![..2, ..])?
            .sum()?
            .compute()?
            .to_scalar::<i64>()?,
        (0..12).sum::<i64>()
    );
    // and the engine keeps working
    assert_eq!(
        grid().sum()?.compute()?.to_scalar::<i64>()?,
        (0..24).sum::<i64>()
    );
    Ok(())
}

#[test]
fn map_blocks_wrong_shape_is_an_error_naming_the_chunk() -> Result<()> {
    let bad = grid().map_blocks(|block: ArrayViewD<i64>| {
        if block[[0, 0]] == 12 {
            ArrayD::<i64>::zeros(IxDyn(&[3]))
        } else {
            block.to_owned()
        }
    })?;
    let message = bad.compute().unwrap_err().to_string();
    assert!(
        message.starts_with("map_blocks failed on chunk ('map_blocks-"),
        "{message}"
    );
    assert!(
        message.ends_with("', 1, 0): the function returned shape (3,) for a block of shape (2, 3)"),
        "{message}"
    );
    Ok(())
}

#[test]
fn map_blocks_checks_the_element_type() {
    let err = grid()
        .map_blocks(|block: ArrayViewD<f64>| block.to_owned())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "map_blocks: array has dtype int64, but float64 was requested"
    );
}

// ---------------------------------------------------------------------------------------------
// Pipelines: random chains of operations, lazily and eagerly
// ---------------------------------------------------------------------------------------------

/// One stage of a pipeline; its numbers are fitted to the current shape when applied.
#[derive(Debug, Clone)]
enum Stage {
    Transpose(Vec<usize>),
    Slice(Vec<RawElem>),
    Rechunk(Vec<usize>),
    Reshape(Vec<usize>),
    /// `x + y` with `y` of a shape broadcasting to `x`'s (axes set to 1, leading axes dropped).
    AddBroadcast(Vec<bool>, usize),
    SumAxis(usize, bool),
    /// `concatenate([x, -x], axis)`
    ConcatNegated(usize),
    /// `stack([x, 3 x], axis)` via `map_blocks`
    StackTripled(usize),
}

fn stage() -> impl Strategy<Value = Stage> {
    let picks = || prop::collection::vec(0usize..64, 0..=3);
    prop_oneof![
        picks().prop_map(Stage::Transpose),
        raw_index().prop_map(Stage::Slice),
        picks().prop_map(Stage::Rechunk),
        picks().prop_map(Stage::Reshape),
        (prop::collection::vec(any::<bool>(), 3), 0usize..3)
            .prop_map(|(ones, drop)| Stage::AddBroadcast(ones, drop)),
        (0usize..3, any::<bool>()).prop_map(|(a, keep)| Stage::SumAxis(a, keep)),
        (0usize..3).prop_map(Stage::ConcatNegated),
        (0usize..4).prop_map(Stage::StackTripled),
    ]
}

/// Applies `stage` to the lazy array and to its eager twin.
fn apply_stage(
    stage: &Stage,
    lazy: &Array,
    eager: &ndarray::ArrayD<i64>,
) -> Result<(Array, ndarray::ArrayD<i64>)> {
    let shape = eager.shape().to_vec();
    let ndim = shape.len();
    Ok(match stage {
        Stage::Transpose(picks) => {
            // Lehmer code: pick the next axis among those left
            let mut left: Vec<usize> = (0..ndim).collect();
            let perm: Vec<usize> = (0..ndim)
                .map(|i| left.remove(picks.get(i).copied().unwrap_or(0) % left.len()))
                .collect();
            let e = eager
                .clone()
                .permuted_axes(IxDyn(&perm))
                .as_standard_layout()
                .into_owned();
            (lazy.transpose(&perm)?, e)
        }
        Stage::Slice(raw) => {
            let elems = realize(raw, &shape);
            let e = typed::<i64>(&slice_ref(&i64::wrap(eager.clone()), &elems));
            (lazy.slice(&elems)?, e)
        }
        Stage::Rechunk(picks) => {
            let sizes: Vec<usize> = shape
                .iter()
                .enumerate()
                .map(|(i, &len)| picks.get(i).copied().unwrap_or(1) % (len + 1) + 1)
                .collect();
            (lazy.rechunk(sizes)?, eager.clone())
        }
        Stage::Reshape(picks) => {
            let target = reshape_target(eager.len(), picks);
            let e =
                ndarray::ArrayD::from_shape_vec(IxDyn(&target), eager.iter().copied().collect())
                    .expect("same size");
            (lazy.reshape(target)?, e)
        }
        Stage::AddBroadcast(ones, drop) => {
            let drop = drop.min(&ndim);
            let y_shape: Vec<usize> = shape
                .iter()
                .zip(ones.iter().chain(std::iter::repeat(&false)))
                .skip(*drop)
                .map(|(&l, &one)| if one { 1 } else { l })
                .collect();
            let y = ndarray::ArrayD::from_shape_fn(IxDyn(&y_shape), |i| {
                ndarray::Dimension::slice(&i)
                    .iter()
                    .fold(7i64, |acc, &k| acc * 10 + k as i64)
            });
            let e = eager + &y;
            (lazy + &from_array(y, 2), e)
        }
        Stage::SumAxis(_, _) if ndim == 0 => (lazy.sum()?, eager.clone()),
        Stage::SumAxis(axis, keep) => {
            let axis = axis % ndim;
            let mut e = eager.sum_axis(Axis(axis));
            if *keep {
                e.insert_axis_inplace(Axis(axis));
            }
            (lazy.sum_axes(&[axis as isize], *keep)?, e)
        }
        Stage::ConcatNegated(_) if ndim == 0 => (lazy.clone(), eager.clone()),
        Stage::ConcatNegated(axis) => {
            let axis = axis % ndim;
            let e = ndarray::concatenate(Axis(axis), &[eager.view(), eager.mapv(|x| -x).view()])
                .unwrap();
            (concatenate(&[lazy.clone(), -lazy], axis as isize)?, e)
        }
        Stage::StackTripled(axis) => {
            let axis = axis % (ndim + 1);
            let e =
                ndarray::stack(Axis(axis), &[eager.view(), eager.mapv(|x| 3 * x).view()]).unwrap();
            let tripled = lazy.map_blocks(|b: ArrayViewD<i64>| b.mapv(|x| 3 * x))?;
            (stack(&[lazy.clone(), tripled], axis as isize)?, e)
        }
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// Up to five random stages on a random int64 array: every intermediate result, computed,
    /// equals the eager pipeline's.
    #[test]
    fn pipelines_match_ndarray(case in case_of(DType::Int64), stages in prop::collection::vec(stage(), 1..=5)) {
        let mut lazy = case.lazy();
        let mut eager = typed::<i64>(&case.data);
        for stage in &stages {
            if eager.len() > 4000 {
                break;
            }
            (lazy, eager) = apply_stage(stage, &lazy, &eager)?;
            check_array(&lazy, &i64::wrap(eager.clone()))?;
        }
    }
}

#[test]
fn from_array_accepts_any_memory_layout() -> Result<()> {
    // a transposed (Fortran-order) input and a strided view copied into an owned array
    let fortran = ndarray::array![[1, 2, 3], [4, 5, 6]].reversed_axes();
    let a = from_array(fortran.clone(), [2, 1]);
    assert_eq!(a.compute()?.to_ndarray::<i32>(), fortran.into_dyn());
    let base = ndarray::Array::from_iter(0..20i64)
        .into_shape_with_order((4, 5))
        .unwrap();
    let strided = base.slice(ndarray::s![..;2, ..;-2]).to_owned();
    assert_eq!(
        from_array(strided.clone(), 1)
            .compute()?
            .to_ndarray::<i64>(),
        strided.into_dyn()
    );
    Ok(())
}

/// Blocks of 480 KB, above the size the buffer pool keeps: freed intermediate blocks (the
/// transposed and rechunked pieces, the products) are the buffers of later ones within one
/// computation, and every block still holds its own values; computed twice (the pool is
/// emptied between computations).
#[test]
fn large_blocks_reuse_freed_buffers_with_their_own_values() -> Result<()> {
    let base = ndarray::Array::from_shape_fn((600, 400), |(i, j)| (i * 400 + j) as f64 * 0.5);
    let x = from_array(base.clone(), [300, 200]);
    let t = x.t().rechunk([100, 300])?;
    let y = concatenate(&[(&t * &t) - 1.0, t.clone() + 2.0], 0)?.reshape([2, 400, 600])?;
    let expected = {
        let t = base.t();
        let parts = [t.mapv(|v| v * v - 1.0), t.mapv(|v| v + 2.0)];
        let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
        ndarray::concatenate(Axis(0), &views)
            .unwrap()
            .into_shape_with_order((2, 400, 600))
            .unwrap()
            .into_dyn()
    };
    for _ in 0..2 {
        assert_eq!(y.compute()?.into_ndarray::<f64>(), expected);
        let sums = y.sum_axis(2)?.compute()?.into_ndarray::<f64>();
        assert_eq!(sums, expected.sum_axis(Axis(2)));
    }
    Ok(())
}

/// A reshape whose output blocks are whole input blocks (rows of (6, 4) in (1, 4) chunks as
/// (2, 3, 4)) takes over each input block's buffer when nothing else reads it, and copies it
/// when something does (here the same rows summed as well).
#[test]
fn reshape_of_whole_blocks_keeps_the_values() -> Result<()> {
    let base = ndarray::Array::from_iter(0..24i64)
        .into_shape_with_order((6, 4))
        .unwrap();
    let x = from_array(base.clone(), [1, 4]);
    let y = x.reshape([2, 3, 4])?;
    let expected = base
        .clone()
        .into_shape_with_order((2, 3, 4))
        .unwrap()
        .into_dyn();
    assert_eq!(y.compute()?.into_ndarray::<i64>(), expected);
    let both = &y.sum_axis(0)? + &x.sum_axis(0)?;
    let want = expected.sum_axis(Axis(0)) + base.sum_axis(Axis(0));
    assert_eq!(both.compute()?.into_ndarray::<i64>(), want.into_dyn());
    assert_eq!(
        y.slice(s![1, 2, ..])?.compute()?.to_vec::<i64>(),
        vec![20, 21, 22, 23]
    );
    Ok(())
}
