//! Every user error is an `Err` with an exact, numpy-style message, never a panic.
//!
//! Shapes that do not broadcast (through operators too, surfacing at the next fallible call and
//! through further operations), axes out of range, bad chunk specifications, dtypes an
//! operation does not support, reductions over zero elements, impossible reshapes, joins of
//! mismatched arrays, `to_scalar` on several elements, bad permutations, misaligned `dot`,
//! bad `arange`/`integers` arguments, and integer powers with negative exponents.

#[macro_use]
mod common;

use common::*;
use proptest::prelude::*;
use tessera::prelude::*;

/// The message of an error result.
fn message<T: std::fmt::Debug>(result: Result<T>) -> String {
    result.expect_err("expected an error").to_string()
}

/// The message an invalid array carries.
fn carried(array: &Array) -> String {
    message(array.check().map(|_| ()))
}

const BROADCAST_34_5: &str =
    "add: operands could not be broadcast together with shapes (3, 4) (5,)";

#[test]
fn shapes_that_do_not_broadcast() {
    let a = ones([3, 4], 2);
    let b = ones([5], 2);
    let bad = &a + &b;
    assert_eq!(carried(&bad), BROADCAST_34_5);
    // at the next fallible call, whatever it is
    assert_eq!(message((&a + &b).sum()), BROADCAST_34_5);
    assert_eq!(message(bad.compute()), BROADCAST_34_5);
    assert_eq!(message(bad.slice(s![0])), BROADCAST_34_5);
    assert_eq!(message(bad.reshape([-1])), BROADCAST_34_5);
    assert_eq!(message(bad.rechunk(2)), BROADCAST_34_5);
    assert_eq!(message(bad.transpose(&[1, 0])), BROADCAST_34_5);
    assert_eq!(message(bad.dot(&a)), BROADCAST_34_5);
    assert_eq!(message(a.dot(&bad)), BROADCAST_34_5);
    assert_eq!(message(bad.mean_axis(0)), BROADCAST_34_5);
    assert_eq!(
        message(bad.map_blocks(|b: ndarray::ArrayViewD<f64>| b.to_owned())),
        BROADCAST_34_5
    );
    assert_eq!(
        message(concatenate(&[a.clone(), bad.clone()], 0)),
        BROADCAST_34_5
    );
    assert_eq!(message(stack(&[bad.clone(), a.clone()], 0)), BROADCAST_34_5);
    // through further operations, which keep the first error
    assert_eq!(message((&bad * 2.0).sum()), BROADCAST_34_5);
    assert_eq!(carried(&(-bad.sqrt() + &ones([7], 7))), BROADCAST_34_5);
    assert_eq!(carried(&bad.t()), BROADCAST_34_5);
    assert_eq!(carried(&bad.astype(DType::Int32)), BROADCAST_34_5);
    assert_eq!(carried(&where_(&bad.gt(0.0), 1.0, 0.0)), BROADCAST_34_5);
    assert_eq!(carried(&where_(&a.gt(0.0), &bad, 0.0)), BROADCAST_34_5);
    // metadata of an invalid array is empty, and it prints its error
    assert_eq!(bad.shape(), &[] as &[usize]);
    assert_eq!(
        bad.error().map(ToString::to_string).as_deref(),
        Some(BROADCAST_34_5)
    );
    assert_eq!(
        bad.to_string(),
        format!("tessera.Array<invalid: {BROADCAST_34_5}>")
    );
    // every binary operation names itself
    let names = [
        (&a - &b, "sub"),
        (&a * &b, "mul"),
        (&a / &b, "truediv"),
        (a.pow(&b), "pow"),
        (a.lt(&b), "lt"),
        (a.eq(&b), "eq"),
        (a.gt(0.0) & b.gt(0.0), "and"),
        (a.gt(0.0) | b.gt(0.0), "or"),
    ];
    for (array, op) in names {
        assert_eq!(
            carried(&array),
            format!("{op}: operands could not be broadcast together with shapes (3, 4) (5,)")
        );
    }
    assert_eq!(
        carried(&where_(
            &ones([2, 1], 1).gt(0.0),
            ones([3], 1),
            ones([4], 1)
        )),
        "where: operands could not be broadcast together with shapes (3,) (4,)"
    );
}

proptest! {
    #![proptest_config(config(64))]

    /// Two random shapes that disagree on one aligned axis (neither length 1).
    #[test]
    fn random_mismatched_shapes_are_errors(
        left in shape_with(1..=3),
        right in shape_with(1..=3),
        l in 2usize..=7,
        extra in 1usize..=5,
    ) {
        let (mut left, mut right) = (left, right);
        // make the last axes conflict: l vs l + extra, both >= 2
        *left.last_mut().unwrap() = l;
        *right.last_mut().unwrap() = l + extra;
        let expected = format!("add: operands could not be broadcast together with shapes {} {}", fmt(&left), fmt(&right));
        let sum = &ones(left.clone(), 3) + &ones(right.clone(), 2);
        check_err(sum.check().map(|_| ()), &expected)?;
        check_err(sum.sum(), &expected)?;
    }
}

fn fmt(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[test]
fn axes_out_of_range() {
    let x = ones([6, 4], 2);
    assert_eq!(
        message(x.sum_axis(2)),
        "sum: axis 2 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        message(x.mean_axis(-3)),
        "mean: axis -3 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        message(x.argmax_axis(5)),
        "argmax: axis 5 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        message(x.var_axes(&[0, 2], false, 1)),
        "var: axis 2 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        message(x.sum_axes(&[0, -2], false)),
        "sum: duplicate value in axis"
    );
    let scalar = x.sum().unwrap();
    assert_eq!(
        message(scalar.max_axis(0)),
        "max: axis 0 is out of bounds for array of dimension 0"
    );
    assert_eq!(
        message(concatenate(&[x.clone(), x.clone()], 2)),
        "concatenate: axis 2 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        message(concatenate(&[x.clone(), x.clone()], -3)),
        "concatenate: axis -3 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        message(stack(&[x.clone(), x.clone()], 3)),
        "stack: axis 3 is out of bounds for array of dimension 3"
    );
    assert_eq!(
        message(ones([2, 2, 2], 1).argmin_axes(&[0, 1], false)),
        "argmin: reduces one axis or the whole (flattened) array, not several axes"
    );
}

#[test]
fn bad_chunks() {
    // wrong number of axes
    assert_eq!(
        carried(&ones([4, 4], [2])),
        "invalid chunks: 1 chunk sizes given for an array of 2 dimensions (4, 4)"
    );
    assert_eq!(
        carried(&ones([4], [2, 2])),
        "invalid chunks: 2 chunk sizes given for an array of 1 dimensions (4,)"
    );
    assert_eq!(
        carried(&from_array(ndarray::array![[1, 2], [3, 4]], vec![vec![2]])),
        "invalid chunks: 1 chunk sizes given for an array of 2 dimensions (2, 2)"
    );
    // explicit sizes that do not sum to the axis, or contain an empty block
    assert_eq!(
        carried(&ones([10, 3], vec![vec![5, 4], vec![3]])),
        "invalid chunks: chunks for axis 0 sum to 9, but the axis has length 10"
    );
    assert_eq!(
        carried(&ones([4, 3], vec![vec![4], vec![1, 3]])),
        "invalid chunks: chunks for axis 1 sum to 4, but the axis has length 3"
    );
    assert_eq!(
        carried(&ones([4], vec![vec![0, 4]])),
        "invalid chunks: chunks for axis 0 contain a block of length 0: [0, 4]"
    );
    // zero, or below -1
    assert_eq!(
        carried(&ones([4, 4], [2, 0])),
        "invalid chunks: chunk size 0 for axis 1 of length 4; sizes must be at least 1"
    );
    assert_eq!(
        carried(&ones([4, 4], 0)),
        "invalid chunks: chunk size 0 for axis 0 of length 4; sizes must be at least 1"
    );
    assert_eq!(
        carried(&ones([4, 4], -2)),
        "invalid chunks: chunk size -2 is negative; use -1 for a whole axis"
    );
    assert!(carried(&ones([4, 4], [-2, 2])).starts_with("invalid chunks: "));
    assert!(carried(&ones([4, 4], [-2, 2])).contains("-2"));
    // unknown text
    assert_eq!(
        carried(&ones([4], "big")),
        "invalid chunks: unknown chunk shorthand \"big\"; use \"auto\", sizes like [1000, 1000], or -1 for a whole axis"
    );
    // the same checks on rechunk, as a Result
    let x = ones([4, 4], 2);
    assert_eq!(
        message(x.rechunk([3])),
        "invalid chunks: 1 chunk sizes given for an array of 2 dimensions (4, 4)"
    );
    assert_eq!(
        message(x.rechunk(vec![vec![1, 1], vec![4]])),
        "invalid chunks: chunks for axis 0 sum to 2, but the axis has length 4"
    );
    // a size of 0 is fine on an empty axis; "auto" and -1 are fine anywhere
    assert!(ones([0, 4], [0, 2]).check().is_ok());
    assert!(ones([5, 4], "auto").check().is_ok());
    assert!(ones([5, 4], [-1, -1]).check().is_ok());
}

/// A negative size in a per-axis list is reported as negative, with its axis (as the single-size
/// form `ones([4, 4], -2)` is), not as an unknown shorthand.
#[test]
fn negative_size_in_a_chunk_list_is_reported_as_negative() {
    let message = carried(&ones([4, 4], [-2, 2]));
    assert!(!message.contains("shorthand"), "{message}");
    assert!(message.contains("chunk size -2 is negative"), "{message}");
}

#[test]
fn unsupported_dtypes() -> Result<()> {
    let b = ones([2, 3], 2).gt(0.0);
    let f = ones([2, 3], 2);
    assert_eq!(
        carried(&-&b),
        "neg: not supported for dtype bool (use `!` for logical not)"
    );
    assert_eq!(
        carried(&!&f),
        "not: not supported for dtype float64 (`!` needs a bool or integer array)"
    );
    assert_eq!(
        carried(&!f.astype(DType::Float32)),
        "not: not supported for dtype float32 (`!` needs a bool or integer array)"
    );
    assert_eq!(carried(&(&b - &b)), "sub: not supported for dtype bool (boolean subtract is not supported; use `.ne(..)` for xor)");
    assert_eq!(
        carried(&(&f & &b)),
        "and: not supported for dtype float64 (logical and/or need bool or integer arrays)"
    );
    assert_eq!(
        carried(&(&b | 1.5)),
        "or: not supported for dtype float64 (logical and/or need bool or integer arrays)"
    );
    assert_eq!(
        message(b.dot(&b.t())),
        "dot: not supported for dtype bool (cast with .astype(DType::Int64) first)"
    );
    // these are fine
    // numpy: the square root of a bool array is float16 (the smallest float holding bools).
    assert_eq!(b.sqrt().dtype(), DType::Float16);
    assert_eq!(
        b.sqrt().astype(DType::Float64).compute()?.to_vec::<f64>(),
        vec![1.0; 6]
    );
    assert_eq!((!&b).dtype(), DType::Bool);
    assert_eq!(
        b.astype(DType::Int64)
            .dot(&b.t().astype(DType::Int64))?
            .compute()?
            .to_vec::<i64>(),
        vec![3, 3, 3, 3]
    );
    assert_eq!(
        message(f.map_blocks(|x: ndarray::ArrayViewD<i32>| x.to_owned())),
        "map_blocks: array has dtype float64, but int32 was requested"
    );
    Ok(())
}

#[test]
fn empty_reductions() {
    let e = ones([0, 3], 2);
    for (result, op) in [
        (e.min(), "min"),
        (e.max(), "max"),
        (e.argmin(), "argmin"),
        (e.argmax(), "argmax"),
        (e.mean(), "mean"),
        (e.var(0), "var"),
        (e.std(1), "std"),
        (e.max_axis(0), "max"),
        (e.argmin_axis(-2), "argmin"),
    ] {
        assert_eq!(
            message(result),
            format!("{op}: zero-size array to reduction operation {op} which has no identity")
        );
    }
    assert!(
        e.sum().is_ok()
            && e.prod().is_ok()
            && e.any().is_ok()
            && e.all().is_ok()
            && e.min_axis(1).is_ok()
    );
}

#[test]
fn reshapes_to_a_wrong_size() {
    let x = ones([3, 4], 2);
    assert_eq!(
        message(x.reshape([5, 3])),
        "reshape: cannot reshape array of shape (3, 4) into shape (5, 3)"
    );
    assert_eq!(
        message(x.reshape([5])),
        "reshape: cannot reshape array of shape (3, 4) into shape (5,)"
    );
    assert_eq!(
        message(x.reshape([-1, -1])),
        "reshape: cannot reshape array of shape (3, 4) into shape (-1, -1)"
    );
    assert_eq!(
        message(x.reshape([5, -1])),
        "reshape: cannot reshape array of shape (3, 4) into shape (5, -1)"
    );
    assert_eq!(
        message(x.reshape([-2, -6])),
        "reshape: cannot reshape array of shape (3, 4) into shape (-2, -6)"
    );
    assert_eq!(
        message(x.reshape(Vec::<usize>::new())),
        "reshape: cannot reshape array of shape (3, 4) into shape ()"
    );
    assert_eq!(
        message(ones([0, 4], 2).reshape([-1, 0])),
        "reshape: cannot reshape array of shape (0, 4) into shape (-1, 0)"
    );
}

#[test]
fn joins_of_mismatched_arrays() {
    let (a, b) = (ones([2, 3], 2), ones([2, 4], 2));
    assert_eq!(
        message(concatenate(&[a.clone(), b.clone()], 0)),
        "concatenate: operands could not be broadcast together with shapes (2, 3) (2, 4)"
    );
    assert!(concatenate(&[a.clone(), b.clone()], 1).is_ok());
    assert_eq!(
        message(concatenate(&[a.clone(), ones([3], 2)], 0)),
        "concatenate: all arrays must have the same number of dimensions, got 2 and 1"
    );
    assert_eq!(
        message(concatenate(&[], 0)),
        "concatenate: need at least one array to concatenate"
    );
    let scalar = a.sum().unwrap();
    assert_eq!(
        message(concatenate(&[scalar.clone(), scalar], 0)),
        "concatenate: zero-dimensional arrays cannot be concatenated"
    );
    assert_eq!(
        message(stack(&[a.clone(), b.clone()], 0)),
        "stack: operands could not be broadcast together with shapes (2, 3) (2, 4)"
    );
    assert_eq!(
        message(stack(&[], 0)),
        "stack: need at least one array to stack"
    );
}

#[test]
fn dot_of_misaligned_or_non_matrix_arrays() {
    let a = ones([2, 3], 2);
    assert_eq!(
        message(a.dot(&ones([4, 5], 2))),
        "dot: shapes (2, 3) and (4, 5) not aligned: 3 (dim 1) != 4 (dim 0)"
    );
    assert_eq!(
        message(a.dot(&ones([3], 2))),
        "dot: only 2-D arrays are supported, got shapes (2, 3) and (3,)"
    );
    assert_eq!(
        message(ones([2, 3, 1], 2).dot(&a)),
        "dot: only 2-D arrays are supported, got shapes (2, 3, 1) and (2, 3)"
    );
}

#[test]
fn to_scalar_of_several_elements() -> Result<()> {
    let c = ones([2, 3], 2).compute()?;
    assert_eq!(
        message(c.to_scalar::<f64>()),
        "to_scalar: the result has shape (2, 3) (6 elements); only one-element results convert to a scalar"
    );
    let empty = ones([0], 2).compute()?;
    assert_eq!(
        message(empty.to_scalar::<i64>()),
        "to_scalar: the result has shape (0,) (0 elements); only one-element results convert to a scalar"
    );
    // one element is fine in any shape, converted with astype rules
    assert_eq!(full([1, 1], 2.5, 1).compute()?.to_scalar::<i32>()?, 2);
    Ok(())
}

#[test]
fn bad_permutations() {
    let x = ones([2, 3], 2);
    assert_eq!(
        message(x.transpose(&[0, 0])),
        "transpose: axes [0, 0] are not a permutation of the 2 axes"
    );
    assert_eq!(
        message(x.transpose(&[0])),
        "transpose: axes [0] are not a permutation of the 2 axes"
    );
    assert_eq!(
        message(x.transpose(&[0, 2])),
        "transpose: axes [0, 2] are not a permutation of the 2 axes"
    );
}

#[test]
fn bad_generator_arguments() {
    assert_eq!(
        carried(&arange(0, 10, 0, 2)),
        "arange: step must be a nonzero finite number, got 0"
    );
    assert_eq!(
        carried(&arange(0.0, 1.0, f64::NAN, 2)),
        "arange: step must be a nonzero finite number, got NaN"
    );
    assert_eq!(
        carried(&random::Rng::new(1).integers(5, 5, [3], 2)),
        "integers: high must be greater than low, got low=5, high=5"
    );
    assert_eq!(
        carried(&random::integers(5, -5, [3], 2)),
        "integers: high must be greater than low, got low=5, high=-5"
    );
}

#[test]
fn negative_integer_powers_fail_when_computed() {
    let x = from_array(ndarray::array![[2i64, 3], [4, 5]], 1);
    let y = from_array(ndarray::array![[1i64, 2], [-1, 0]], 1);
    let p = x.pow(&y);
    assert!(p.check().is_ok());
    assert_eq!(
        message(p.compute())
            .split_once(" on chunk ")
            .map(|(op, _)| op),
        Some("pow failed")
    );
    assert!(message(p.compute())
        .ends_with("', 1, 0): integers to negative integer powers are not allowed"));
    // the chunks without a negative exponent are fine
    assert_eq!(
        p.slice(s![0, ..])
            .unwrap()
            .compute()
            .unwrap()
            .to_vec::<i64>(),
        vec![2, 9]
    );
    // float exponents are fine
    assert_eq!(
        x.pow(-1.0).compute().unwrap().to_vec::<f64>(),
        vec![0.5, 1.0 / 3.0, 0.25, 0.2]
    );
}
