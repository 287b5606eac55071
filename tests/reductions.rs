//! Reductions checked against eager ndarray on random shapes, chunkings and dtypes.
//!
//! `sum prod min max mean var std (ddof 0 and 1) argmin argmax any all`, over the whole array,
//! one axis (also negative), several axes, with and without `keepdims`. The reference groups
//! the elements of each output position and reduces them with plain loops (compensated sums in
//! float64). Result dtypes follow numpy: sum/prod of bool and integers give int64 and of floats
//! the same float; mean/var/std give float64 (float32 stays float32); argmin/argmax give int64,
//! the first occurrence, a flat index for the whole array. `min max mean var std argmin argmax`
//! over zero elements are errors ("zero-size array to reduction operation … which has no
//! identity"); `sum prod any all` give their identities.

#[macro_use]
mod common;

use common::*;
use proptest::prelude::*;
use tessera::prelude::*;
use tessera::ArrayData;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Red {
    Sum,
    Prod,
    Min,
    Max,
    Mean,
    Var(u8),
    Std(u8),
    ArgMin,
    ArgMax,
    Any,
    All,
}

const REDUCTIONS: [Red; 13] = [
    Red::Sum,
    Red::Prod,
    Red::Min,
    Red::Max,
    Red::Mean,
    Red::Var(0),
    Red::Var(1),
    Red::Std(0),
    Red::Std(1),
    Red::ArgMin,
    Red::ArgMax,
    Red::Any,
    Red::All,
];

impl Red {
    fn name(self) -> &'static str {
        match self {
            Red::Sum => "sum",
            Red::Prod => "prod",
            Red::Min => "min",
            Red::Max => "max",
            Red::Mean => "mean",
            Red::Var(_) => "var",
            Red::Std(_) => "std",
            Red::ArgMin => "argmin",
            Red::ArgMax => "argmax",
            Red::Any => "any",
            Red::All => "all",
        }
    }

    /// Reductions without a value on zero elements.
    fn needs_elements(self) -> bool {
        !matches!(self, Red::Sum | Red::Prod | Red::Any | Red::All)
    }

    /// numpy's result dtype.
    fn dtype(self, input: DType) -> DType {
        let float = if input == DType::Float32 {
            DType::Float32
        } else {
            DType::Float64
        };
        match self {
            Red::Sum | Red::Prod if input.is_float() => input,
            Red::Sum | Red::Prod => DType::Int64,
            Red::Min | Red::Max => input,
            Red::Mean | Red::Var(_) | Red::Std(_) => float,
            Red::ArgMin | Red::ArgMax => DType::Int64,
            Red::Any | Red::All => DType::Bool,
        }
    }
}

/// Which axes to reduce.
#[derive(Debug, Clone, PartialEq)]
enum Axes {
    /// `x.sum()`
    All,
    /// `x.sum_axis(axis)`
    One(isize),
    /// `x.sum_axes(&axes, keepdims)`
    Many(Vec<isize>, bool),
}

impl Axes {
    /// The reduced axes, normalized and sorted, and whether they are kept.
    fn resolve(&self, ndim: usize) -> (Vec<usize>, bool) {
        let norm = |a: isize| {
            if a < 0 {
                (a + ndim as isize) as usize
            } else {
                a as usize
            }
        };
        let (mut axes, keep) = match self {
            Axes::All => ((0..ndim).collect(), false),
            Axes::One(a) => (vec![norm(*a)], false),
            Axes::Many(list, keep) => (list.iter().map(|&a| norm(a)).collect(), *keep),
        };
        axes.sort_unstable();
        (axes, keep)
    }
}

/// The tessera call.
fn reduce(red: Red, a: &Array, axes: &Axes) -> Result<Array> {
    macro_rules! call {
        ($all:ident, $axis:ident, $axes:ident $(, $ddof:expr)?) => {
            match axes {
                Axes::All => a.$all($($ddof)?),
                Axes::One(axis) => a.$axis(*axis $(, $ddof)?),
                Axes::Many(list, keep) => a.$axes(list, *keep $(, $ddof)?),
            }
        };
    }
    match red {
        Red::Sum => call!(sum, sum_axis, sum_axes),
        Red::Prod => call!(prod, prod_axis, prod_axes),
        Red::Min => call!(min, min_axis, min_axes),
        Red::Max => call!(max, max_axis, max_axes),
        Red::Mean => call!(mean, mean_axis, mean_axes),
        Red::Var(ddof) => call!(var, var_axis, var_axes, ddof),
        Red::Std(ddof) => call!(std, std_axis, std_axes, ddof),
        Red::ArgMin => call!(argmin, argmin_axis, argmin_axes),
        Red::ArgMax => call!(argmax, argmax_axis, argmax_axes),
        Red::Any => call!(any, any_axis, any_axes),
        Red::All => call!(all, all_axis, all_axes),
    }
}

// ---------------------------------------------------------------------------------------------
// Reference
// ---------------------------------------------------------------------------------------------

/// The output shape and, for each output position (C order), the elements reduced into it in
/// C order (so a position in a group is the index along a single reduced axis, or the flat
/// index when every axis is reduced).
fn groups(data: &ArrayData, axes: &[usize], keepdims: bool) -> (Vec<usize>, Vec<Vec<Elem>>) {
    let shape = data.shape();
    let kept: Vec<usize> = (0..shape.len()).filter(|a| !axes.contains(a)).collect();
    let out_shape: Vec<usize> = (0..shape.len())
        .filter_map(|a| {
            if axes.contains(&a) {
                keepdims.then_some(1)
            } else {
                Some(shape[a])
            }
        })
        .collect();
    let mut groups = vec![Vec::new(); out_shape.iter().product()];
    for (flat, x) in elems(data).into_iter().enumerate() {
        // multi-index of `flat`, then the flat index over the kept axes
        let mut rest = flat;
        let mut index = vec![0; shape.len()];
        for a in (0..shape.len()).rev() {
            index[a] = rest % shape[a];
            rest /= shape[a];
        }
        let out = kept.iter().fold(0, |acc, &a| acc * shape[a] + index[a]);
        groups[out].push(x);
    }
    (out_shape, groups)
}

/// Neumaier's compensated sum.
fn neumaier(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut sum, mut comp) = (0.0f64, 0.0f64);
    for x in values {
        let t = sum + x;
        comp += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    sum + comp
}

/// numpy's min/max: NaN propagates.
fn extreme(values: &[Elem], min: bool) -> Elem {
    let better = |x: Elem, best: Elem| match (x, best) {
        (_, Elem::F(b)) if b.is_nan() => false,
        (Elem::F(v), _) if v.is_nan() => true,
        (Elem::B(v), Elem::B(b)) => {
            if min {
                !v & b
            } else {
                v & !b
            }
        }
        (Elem::I(v), Elem::I(b)) => {
            if min {
                v < b
            } else {
                v > b
            }
        }
        (v, b) => {
            if min {
                v.f() < b.f()
            } else {
                v.f() > b.f()
            }
        }
    };
    values[1..]
        .iter()
        .fold(values[0], |best, &x| if better(x, best) { x } else { best })
}

/// numpy's argmin/argmax: the first extreme (the first NaN if any).
fn arg_extreme(values: &[Elem], min: bool) -> usize {
    let best = extreme(values, min);
    values
        .iter()
        .position(|&x| {
            x == best || (matches!((x, best), (Elem::F(a), Elem::F(b)) if a.is_nan() && b.is_nan()))
        })
        .unwrap()
}

/// The reduced value of one group, and an absolute tolerance for it.
fn reduce_group(red: Red, input: DType, values: &[Elem]) -> (Elem, f64) {
    let n = values.len() as f64;
    let float = input.is_float();
    let tol = rtol(red.dtype(input));
    let abs_sum = neumaier(values.iter().map(|x| x.f().abs()));
    let moments = |ddof: u8| {
        let mean = neumaier(values.iter().map(|x| x.f())) / n;
        let m2 = neumaier(values.iter().map(|x| (x.f() - mean) * (x.f() - mean)));
        let divisor = (n - ddof as f64).max(0.0);
        let squares = neumaier(values.iter().map(|x| x.f() * x.f()));
        (m2 / divisor, tol * squares / divisor.max(1.0))
    };
    match red {
        Red::Sum if float => (
            Elem::F(neumaier(values.iter().map(|x| x.f()))),
            tol * abs_sum,
        ),
        Red::Sum => (
            Elem::I(values.iter().fold(0i64, |acc, x| acc.wrapping_add(x.i()))),
            0.0,
        ),
        Red::Prod if float => (Elem::F(values.iter().fold(1.0, |acc, x| acc * x.f())), 0.0),
        Red::Prod => (
            Elem::I(values.iter().fold(1i64, |acc, x| acc.wrapping_mul(x.i()))),
            0.0,
        ),
        Red::Min | Red::Max => (extreme(values, red == Red::Min), 0.0),
        Red::Mean => (
            Elem::F(neumaier(values.iter().map(|x| x.f())) / n),
            tol * abs_sum / n,
        ),
        Red::Var(ddof) => {
            let (var, atol) = moments(ddof);
            (Elem::F(var), atol)
        }
        Red::Std(ddof) => {
            // an error d in the variance moves the deviation by at most min(sqrt(d), d / std)
            let (var, atol) = moments(ddof);
            let std = var.sqrt();
            (
                Elem::F(std),
                if std > 0.0 {
                    atol.sqrt().min(atol / std)
                } else {
                    2.0 * atol.sqrt()
                },
            )
        }
        Red::ArgMin | Red::ArgMax => (Elem::I(arg_extreme(values, red == Red::ArgMin) as i64), 0.0),
        Red::Any => (Elem::B(values.iter().any(|x| x.b())), 0.0),
        Red::All => (Elem::B(values.iter().all(|x| x.b())), 0.0),
    }
}

/// The reference result with per-element tolerances, or the expected error message.
fn reference(
    red: Red,
    data: &ArrayData,
    axes: &Axes,
) -> std::result::Result<(ArrayData, Vec<f64>), String> {
    let (axes, keepdims) = axes.resolve(data.shape().len());
    let reduced: usize = axes.iter().map(|&a| data.shape()[a]).product();
    if red.needs_elements() && reduced == 0 {
        return Err(format!(
            "{0}: zero-size array to reduction operation {0} which has no identity",
            red.name()
        ));
    }
    let (shape, groups) = groups(data, &axes, keepdims);
    let (values, atol): (Vec<Elem>, Vec<f64>) = groups
        .iter()
        .map(|g| reduce_group(red, data.dtype(), g))
        .unzip();
    Ok((from_elems(red.dtype(data.dtype()), &shape, values), atol))
}

fn check_reduction(red: Red, case: &Case, axes: &Axes) -> Check {
    let result = reduce(red, &case.lazy(), axes);
    match reference(red, &case.data, axes) {
        Err(message) => check_err(result, &message),
        Ok((expected, atol)) => {
            let result = result?;
            prop_assert_eq!(result.dtype(), expected.dtype());
            prop_assert_eq!(result.shape(), expected.shape());
            check_data_tol(result.compute()?.data(), &expected, Some(&atol))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// An axis of `ndim`, written negative half of the time.
fn axis(ndim: usize) -> impl Strategy<Value = isize> {
    (0..ndim, any::<bool>()).prop_map(move |(a, neg)| {
        if neg {
            a as isize - ndim as isize
        } else {
            a as isize
        }
    })
}

/// A selection of axes for an array of `ndim` axes.
fn axes_for(ndim: usize) -> BoxedStrategy<Axes> {
    let many = (
        prop::collection::vec((any::<bool>(), any::<bool>()), ndim),
        any::<bool>(),
    )
        .prop_map(move |(picks, keep)| {
            let list = picks
                .iter()
                .enumerate()
                .filter(|(_, (pick, _))| *pick)
                .map(|(a, (_, neg))| {
                    if *neg {
                        a as isize - ndim as isize
                    } else {
                        a as isize
                    }
                })
                .collect();
            Axes::Many(list, keep)
        });
    if ndim == 0 {
        return prop_oneof![Just(Axes::All), many].boxed();
    }
    prop_oneof![Just(Axes::All), axis(ndim).prop_map(Axes::One), many].boxed()
}

/// argmin/argmax take one axis or all of them.
fn arg_axes_for(ndim: usize) -> BoxedStrategy<Axes> {
    let all: Vec<isize> = (0..ndim as isize).collect();
    if ndim == 0 {
        return Just(Axes::All).boxed();
    }
    prop_oneof![
        Just(Axes::All),
        axis(ndim).prop_map(Axes::One),
        (axis(ndim), any::<bool>()).prop_map(|(a, keep)| Axes::Many(vec![a], keep)),
        any::<bool>().prop_map(move |keep| Axes::Many(all.clone(), keep)),
    ]
    .boxed()
}

fn reduction_case() -> impl Strategy<Value = (Red, Case, Axes)> {
    (
        prop::sample::select(REDUCTIONS.to_vec()),
        shape(),
        dtype(),
        any::<bool>(),
    )
        .prop_flat_map(|(red, shape, dtype, nan)| {
            let ndim = shape.len();
            let case = if nan {
                case_with_nan(shape, dtype)
            } else {
                case_for(shape, dtype)
            };
            let axes = if matches!(red, Red::ArgMin | Red::ArgMax) {
                arg_axes_for(ndim)
            } else {
                axes_for(ndim)
            };
            (Just(red), case, axes)
        })
}

proptest! {
    #![proptest_config(config(128))]

    /// Every reduction, every dtype, every way of choosing axes, random chunks, NaNs sometimes.
    #[test]
    fn reductions_match_ndarray((red, case, axes) in reduction_case()) {
        check_reduction(red, &case, &axes)?;
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Reducing the axes one after the other (from the last) gives the same as all at once,
    /// for the order-free reductions.
    #[test]
    fn stepwise_reductions_agree(case in shape_with(1..=3).prop_flat_map(|s| case_for(s, DType::Int64))) {
        let a = case.lazy();
        for red in [Red::Sum, Red::Min, Red::Max, Red::Any, Red::All] {
            if red.needs_elements() && case.data.is_empty() {
                continue;
            }
            let mut step = a.clone();
            for axis in (0..a.ndim() as isize).rev() {
                step = reduce(red, &step, &Axes::One(axis))?;
            }
            prop_assert_eq!(step.compute()?, reduce(red, &a, &Axes::All)?.compute()?, "{:?}", red);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// By example
// ---------------------------------------------------------------------------------------------

fn matrix() -> Array {
    // [[3, 1, 4, 1],
    //  [5, 9, 2, 6],
    //  [5, 3, 5, 9]]
    from_array(
        ndarray::array![[3i32, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 9]],
        [2, 3],
    )
}

#[test]
fn results_by_example() -> Result<()> {
    let m = matrix();
    assert_eq!(m.sum()?.compute()?.to_scalar::<i64>()?, 53);
    assert_eq!(m.sum()?.dtype(), DType::Int64);
    assert_eq!(m.sum_axis(-1)?.compute()?.to_vec::<i64>(), vec![9, 22, 22]);
    assert_eq!(
        m.prod_axis(0)?.compute()?.to_vec::<i64>(),
        vec![75, 27, 40, 54]
    );
    assert_eq!(m.max_axis(0)?.compute()?.to_vec::<i32>(), vec![5, 9, 5, 9]);
    assert_eq!(m.min()?.dtype(), DType::Int32);
    // first occurrence: the 9 at (1, 1) comes before the one at (2, 3); flat index
    assert_eq!(m.argmax()?.compute()?.to_scalar::<i64>()?, 5);
    assert_eq!(m.argmin()?.compute()?.to_scalar::<i64>()?, 1);
    assert_eq!(
        m.argmax_axis(0)?.compute()?.to_vec::<i64>(),
        vec![1, 1, 2, 2]
    );
    assert_eq!(m.argmin_axis(1)?.compute()?.to_vec::<i64>(), vec![1, 2, 1]);
    let kept = m.sum_axes(&[0, 1], true)?;
    assert_eq!(kept.shape(), &[1, 1]);
    assert_eq!(kept.compute()?.to_vec::<i64>(), vec![53]);
    let mean = m.mean_axis(0)?;
    assert_eq!(mean.dtype(), DType::Float64);
    assert_eq!(
        mean.compute()?.to_vec::<f64>(),
        vec![13.0 / 3.0, 13.0 / 3.0, 11.0 / 3.0, 16.0 / 3.0]
    );
    // row 0 is [3, 1, 4, 1]: mean 2.25, squared deviations sum to 6.75
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-15 * b.abs();
    assert!(near(
        m.var_axis(1, 0)?.compute()?.to_vec::<f64>()[0],
        1.6875
    ));
    assert!(near(m.var_axis(1, 1)?.compute()?.to_vec::<f64>()[0], 2.25));
    assert!(near(m.std_axis(1, 1)?.compute()?.to_vec::<f64>()[0], 1.5));
    assert_eq!(
        m.gt(4).any_axis(1)?.compute()?.to_vec::<bool>(),
        vec![false, true, true]
    );
    assert!(m.gt(0).all()?.compute()?.to_scalar::<bool>()?);
    Ok(())
}

#[test]
fn float32_stays_float32_and_bool_sums_count() -> Result<()> {
    let f = from_array(ndarray::array![1.5f32, 2.5, 4.0], 2);
    for r in [
        f.sum()?,
        f.prod()?,
        f.min()?,
        f.mean()?,
        f.var(0)?,
        f.std(1)?,
    ] {
        assert_eq!(r.dtype(), DType::Float32, "{}", r.name());
    }
    assert_eq!(f.mean()?.compute()?.to_scalar::<f32>()?, 8.0 / 3.0);
    let b = from_array(ndarray::array![true, false, true, true], 3);
    assert_eq!(b.sum()?.dtype(), DType::Int64);
    assert_eq!(b.sum()?.compute()?.to_scalar::<i64>()?, 3);
    assert_eq!(b.prod()?.compute()?.to_scalar::<i64>()?, 0);
    assert_eq!(b.min()?.dtype(), DType::Bool);
    assert_eq!(b.mean()?.compute()?.to_scalar::<f64>()?, 0.75);
    assert_eq!(b.argmin()?.compute()?.to_scalar::<i64>()?, 1);
    Ok(())
}

#[test]
fn nan_propagates_and_is_found_first() -> Result<()> {
    let x = from_array(
        ndarray::array![[1.0, f64::NAN, -2.0], [f64::NAN, 0.5, -7.0]],
        [1, 2],
    );
    assert!(x.max()?.compute()?.to_scalar::<f64>()?.is_nan());
    assert!(x.sum()?.compute()?.to_scalar::<f64>()?.is_nan());
    assert_eq!(x.argmin()?.compute()?.to_scalar::<i64>()?, 1);
    assert_eq!(x.argmax_axis(0)?.compute()?.to_vec::<i64>(), vec![1, 0, 0]);
    let min = x.min_axis(1)?.compute()?.to_vec::<f64>();
    assert!(min.iter().all(|m| m.is_nan()));
    assert_eq!(x.min_axis(0)?.compute()?.to_vec::<f64>()[2], -7.0);
    Ok(())
}

#[test]
fn empty_reductions() -> Result<()> {
    let empty = from_array(ndarray::Array2::<i32>::zeros((0, 3)), [2, 2]);
    assert_eq!(empty.sum()?.compute()?.to_scalar::<i64>()?, 0);
    assert_eq!(empty.prod()?.compute()?.to_scalar::<i64>()?, 1);
    assert!(!empty.any()?.compute()?.to_scalar::<bool>()?);
    assert!(empty.all()?.compute()?.to_scalar::<bool>()?);
    assert_eq!(empty.sum_axis(0)?.compute()?.to_vec::<i64>(), vec![0, 0, 0]);
    for red in [
        Red::Min,
        Red::Max,
        Red::ArgMin,
        Red::ArgMax,
        Red::Mean,
        Red::Var(0),
        Red::Std(1),
    ] {
        let message = format!(
            "{0}: zero-size array to reduction operation {0} which has no identity",
            red.name()
        );
        assert_eq!(
            reduce(red, &empty, &Axes::All).unwrap_err().to_string(),
            message
        );
        assert_eq!(
            reduce(red, &empty, &Axes::One(0)).unwrap_err().to_string(),
            message
        );
        // along a non-empty axis there are no outputs, so nothing is reduced over zero elements
        let along = reduce(red, &empty, &Axes::One(1))?;
        assert_eq!(along.shape(), &[0]);
        assert!(along.compute()?.is_empty());
    }
    Ok(())
}

#[test]
fn var_with_ddof_equal_to_count_is_nan() -> Result<()> {
    let one = from_array(ndarray::array![[2.0], [3.0]], 1);
    assert!(one
        .var_axis(1, 1)?
        .compute()?
        .to_vec::<f64>()
        .iter()
        .all(|v| v.is_nan()));
    assert_eq!(
        one.var_axis(1, 0)?.compute()?.to_vec::<f64>(),
        vec![0.0, 0.0]
    );
    Ok(())
}

/// numpy: `np.argmin(x, axis=())` is an error; so is an empty axis list here, when built.
#[test]
fn argmin_over_no_axes_is_rejected_when_built() {
    let m = matrix();
    let err = m.argmin_axes(&[], false).map(|_| ()).unwrap_err();
    assert!(err.to_string().starts_with("argmin: "), "{err}");
}
