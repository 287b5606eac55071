//! The optimizer keeps values: random small arrays (in memory, seeded random, arange), random
//! chains of elementwise, transpose and reduce operations, a random slice on top. `compute()`
//! must equal the eager ndarray computation, and equal bit for bit the same plan computed with
//! the optimizer turned off.
//!
//! `config::set_optimize` is process-wide, so this file holds the only test that toggles it.

#[macro_use]
mod common;

use common::*;
use ndarray::{ArrayD, Axis, IxDyn};
use proptest::prelude::*;
use tessera::prelude::*;
use tessera::DataElement;

/// Where the array comes from.
#[derive(Debug, Clone)]
enum Base {
    /// `from_array` of eager data.
    Memory(Case),
    /// Seeded standard normal values.
    Random {
        seed: u64,
        shape: Vec<usize>,
        chunks: Vec<usize>,
    },
    /// `arange(0, n)` (1-D).
    Range { len: usize, chunk: usize },
}

/// One operation of the chain.
#[derive(Debug, Clone, Copy)]
enum Op {
    Sin,
    /// `x * 2 - 1`
    Affine,
    /// `x + arange(n)` along the last axis (broadcast over the others).
    AddRange,
    /// `x + x.mean(axis, keepdims)`: broadcast of a length-1 axis.
    Center(usize),
    /// `where(x > 0, x, x * 0.5)`
    Leaky,
    /// Axes reversed.
    Transpose,
    Sum(usize),
    Max(usize),
    /// Mean over one axis, keepdims.
    MeanKeep(usize),
}

fn base() -> impl Strategy<Value = Base> {
    // Mostly short axes; some longer than 8, where the order of a sum's additions matters.
    let shape = prop::collection::vec(prop_oneof![4 => 1usize..=6, 1 => 7usize..=20], 1..=3);
    prop_oneof![
        shape
            .clone()
            .prop_flat_map(|s| case_for(s, DType::Float64))
            .prop_map(Base::Memory),
        (any::<u64>(), shape).prop_flat_map(|(seed, shape)| {
            let chunks: Vec<BoxedStrategy<usize>> =
                shape.iter().map(|&len| (1..=len).boxed()).collect();
            (Just(seed), Just(shape), chunks).prop_map(|(seed, shape, chunks)| Base::Random {
                seed,
                shape,
                chunks,
            })
        }),
        (1usize..=12)
            .prop_flat_map(|len| (Just(len), 1..=len))
            .prop_map(|(len, chunk)| Base::Range { len, chunk }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Sin),
        Just(Op::Affine),
        Just(Op::AddRange),
        (0usize..3).prop_map(Op::Center),
        Just(Op::Leaky),
        Just(Op::Transpose),
        (0usize..3).prop_map(Op::Sum),
        (0usize..3).prop_map(Op::Max),
        (0usize..3).prop_map(Op::MeanKeep),
    ]
}

/// The lazy and the eager array of a base.
fn build(base: &Base) -> (Array, ArrayD<f64>) {
    match base {
        Base::Memory(case) => (case.lazy(), case.data.to_array::<f64>()),
        Base::Random {
            seed,
            shape,
            chunks,
        } => {
            let a = random::Rng::new(*seed).normal(0.0, 1.0, shape.clone(), chunks.clone());
            let eager = a
                .compute()
                .expect("a random source computes")
                .to_ndarray::<f64>();
            (a, eager)
        }
        Base::Range { len, chunk } => {
            let a = arange(0.0, *len as f64, 1.0, *chunk);
            (a, ArrayD::from_shape_fn(IxDyn(&[*len]), |i| i[0] as f64))
        }
    }
}

/// `op` applied to both; `None` when it does not apply (an axis out of range, a 0-d array).
fn apply(op: Op, lazy: &Array, eager: &ArrayD<f64>) -> Option<(Array, ArrayD<f64>)> {
    let ndim = eager.ndim();
    let axis = |k: usize| (k < ndim).then_some(k);
    let out = match op {
        Op::Sin => (lazy.sin(), eager.mapv(f64::sin)),
        Op::Affine => (lazy * 2.0 - 1.0, eager.mapv(|x| x * 2.0 - 1.0)),
        Op::AddRange => {
            let n = *eager.shape().last()?;
            let range = ArrayD::from_shape_fn(IxDyn(&[n]), |i| i[0] as f64);
            (lazy + arange(0.0, n as f64, 1.0, 2), eager + &range)
        }
        Op::Center(k) => {
            let k = axis(k)?;
            let mean = eager.mean_axis(Axis(k))?.insert_axis(Axis(k));
            (
                lazy + lazy.mean_axes(&[k as isize], true).ok()?,
                eager + &mean,
            )
        }
        Op::Leaky => (
            where_(&lazy.gt(0.0), lazy, lazy * 0.5),
            eager.mapv(|x| if x > 0.0 { x } else { x * 0.5 }),
        ),
        Op::Transpose => (lazy.t(), eager.t().as_standard_layout().into_owned()),
        Op::Sum(k) => {
            let k = axis(k)?;
            (lazy.sum_axis(k as isize).ok()?, eager.sum_axis(Axis(k)))
        }
        Op::Max(k) => {
            let k = axis(k)?;
            (
                lazy.max_axis(k as isize).ok()?,
                eager.fold_axis(Axis(k), f64::NEG_INFINITY, |a, &b| a.max(b)),
            )
        }
        Op::MeanKeep(k) => {
            let k = axis(k)?;
            (
                lazy.mean_axes(&[k as isize], true).ok()?,
                eager.mean_axis(Axis(k))?.insert_axis(Axis(k)),
            )
        }
    };
    Some(out)
}

/// The values an array starts from (in-memory data; random and arange values are at most
/// their length).
fn base_values(base: &Base) -> Vec<f64> {
    match base {
        Base::Memory(case) => case.data.to_array::<f64>().iter().copied().collect(),
        Base::Random { .. } => vec![8.0],
        Base::Range { len, .. } => vec![*len as f64],
    }
}

/// Dtype, shape and the bits of every value.
fn bits(c: &Computed) -> (DType, Vec<usize>, Vec<u64>) {
    (
        c.dtype(),
        c.shape().to_vec(),
        c.to_vec::<f64>().iter().map(|x| x.to_bits()).collect(),
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn optimized_results_match_eager_and_unoptimized(
        base in base(),
        ops in prop::collection::vec(op(), 0..=4),
        raw in raw_index(),
    ) {
        let (mut lazy, mut eager) = build(&base);
        for op in ops {
            if let Some((l, e)) = apply(op, &lazy, &eager) {
                lazy = l;
                eager = e;
            }
        }
        let elems = realize(&raw, eager.shape());
        let sliced = lazy.slice(&elems)?;
        let expected = slice_ref(&f64::wrap(eager), &elems);

        let optimized = sliced.optimized()?;
        prop_assert_eq!(optimized.chunks(), sliced.chunks());
        tessera::config::set_optimize(true);
        let with = sliced.compute()?;
        tessera::config::set_optimize(false);
        let without = sliced.compute();
        tessera::config::set_optimize(true);
        prop_assert_eq!(bits(&with), bits(&without?), "optimized vs unoptimized\n{}", sliced.explain());
        // `x + x.mean(..)` can cancel to a value far smaller than its operands, whose rounding
        // errors then exceed any relative tolerance: allow an absolute one at the data's scale.
        let scale = expected.to_array::<f64>().iter().chain(base_values(&base).iter()).fold(1.0f64, |m, v| m.max(v.abs()));
        check_data_tol(with.data(), &expected, Some(&vec![1e-12 * scale; expected.len()]))?;
    }
}
