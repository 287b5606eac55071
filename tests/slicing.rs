//! Basic indexing (`Array::slice` with `s![]`-style elements) checked against ndarray.
//!
//! Random element lists (ranges with negative bounds and negative steps, negative indices,
//! `NewAxis`, trailing axes left out) on random arrays and chunkings must select exactly what
//! ndarray's `slice` selects from the eager array; so must slices of slices and slices of
//! derived arrays. Range bounds beyond the axis clip as numpy's do; out-of-bounds indices, a
//! zero step and too many indices are errors with numpy-style messages, never panics. numpy's
//! own values (clipped bounds, negative steps through `numpy_slice`, Ellipsis) are pinned in
//! `tests/data/indexing_expected.json` by `scripts/indexing-expected.py`.

#[macro_use]
mod common;

use common::*;
use ndarray::SliceInfoElem;
use proptest::prelude::*;
use tessera::prelude::*;

fn full() -> SliceInfoElem {
    SliceInfoElem::Slice {
        start: 0,
        end: None,
        step: 1,
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// One slice of a random array, with trailing axes omitted and (separately) written out.
    #[test]
    fn slice_matches_ndarray(case in case(), raw in raw_index()) {
        let a = case.lazy();
        let elems = realize(&raw, case.shape());
        let expected = slice_ref(&case.data, &elems);
        check_array(&a.slice(&elems)?, &expected)?;
        check_array(&a.slice(pad_index(&elems, a.ndim()))?, &expected)?;
    }

    /// A slice of a slice of a slice.
    #[test]
    fn slices_of_slices_match_ndarray(case in case(), raws in prop::collection::vec(raw_index(), 2..=3)) {
        let mut lazy = case.lazy();
        let mut eager = case.data.clone();
        for raw in &raws {
            let elems = realize(raw, eager.shape());
            lazy = lazy.slice(&elems)?;
            eager = slice_ref(&eager, &elems);
        }
        check_array(&lazy, &eager)?;
    }

    /// Slices of derived arrays: an elementwise expression, a transpose, a rechunk.
    #[test]
    fn slices_of_derived_arrays_match_ndarray(
        case in shape().prop_flat_map(|s| case_for(s, DType::Float64)),
        raw in raw_index(),
        rechunk in 1usize..=3,
    ) {
        let a = case.lazy();
        let ndim = a.ndim();
        let doubled = cast(&case.data, DType::Float64);
        let doubled = from_elems(DType::Float64, doubled.shape(), elems(&doubled).into_iter().map(|x| Elem::F(2.0 * x.f() + 1.0)).collect());
        let elems = realize(&raw, case.shape());
        check_array(&(&a * 2.0 + 1.0).slice(&elems)?, &slice_ref(&doubled, &elems))?;
        check_array(&a.rechunk(rechunk)?.slice(&elems)?, &slice_ref(&case.data, &elems))?;

        let eager_t = with_array!(&case.data, x => tessera::DataElement::wrap(x.t().as_standard_layout().into_owned()));
        let elems_t = realize(&raw, eager_t.shape());
        check_array(&a.t().slice(&elems_t)?, &slice_ref(&eager_t, &elems_t))?;
        prop_assert_eq!(a.t().ndim(), ndim);
    }

    /// An index outside `-len..len` names the index as given, the axis and its length.
    #[test]
    fn out_of_bounds_index_is_an_error(
        case in shape_with(1..=3).prop_flat_map(|s| case_for(s, DType::Int32)),
        axis_pick in 0usize..3,
        beyond in 0isize..4,
        from_end in any::<bool>(),
    ) {
        let shape = case.shape().to_vec();
        let axis = axis_pick % shape.len();
        let len = shape[axis] as isize;
        let index = if from_end { -len - 1 - beyond } else { len + beyond };
        let mut elems = vec![full(); axis];
        elems.push(SliceInfoElem::Index(index));
        let message = format!("slice: index {index} is out of bounds for axis {axis} with size {len}");
        check_err(case.lazy().slice(&elems), &message)?;
    }

    /// A range bound outside `-len..=len` clips to the axis, as numpy's does (ndarray panics).
    #[test]
    fn out_of_range_bounds_clip(
        case in shape_with(1..=3).prop_flat_map(|s| case_for(s, DType::Float32)),
        axis_pick in 0usize..3,
        beyond in 1isize..4,
        bad_end in any::<bool>(),
        from_end in any::<bool>(),
    ) {
        let shape = case.shape().to_vec();
        let axis = axis_pick % shape.len();
        let len = shape[axis] as isize;
        let (bad, clipped) = if from_end { (-len - beyond, 0) } else { (len + beyond, len) };
        let mut elems = vec![full(); axis];
        let mut same = elems.clone();
        if bad_end {
            elems.push(SliceInfoElem::Slice { start: 0, end: Some(bad), step: 1 });
            same.push(SliceInfoElem::Slice { start: 0, end: Some(clipped), step: 1 });
        } else {
            elems.push(SliceInfoElem::Slice { start: bad, end: None, step: -1 });
            same.push(SliceInfoElem::Slice { start: clipped, end: None, step: -1 });
        }
        check_array(&case.lazy().slice(&elems)?, &slice_ref(&case.data, &same))?;
    }

    /// A zero step on any axis.
    #[test]
    fn zero_step_is_an_error(case in shape_with(1..=3).prop_flat_map(|s| case_for(s, DType::Bool)), axis_pick in 0usize..3) {
        let axis = axis_pick % case.shape().len();
        let mut elems = vec![SliceInfoElem::NewAxis];
        elems.extend(std::iter::repeat_n(full(), axis));
        elems.push(SliceInfoElem::Slice { start: 0, end: None, step: 0 });
        check_err(case.lazy().slice(&elems), &format!("slice: slice step cannot be zero (axis {axis})"))?;
    }

    /// More indices than axes (`NewAxis` does not count).
    #[test]
    fn too_many_indices_is_an_error(case in case(), extra in 1usize..3) {
        let ndim = case.shape().len();
        let mut elems = vec![SliceInfoElem::NewAxis];
        elems.extend(std::iter::repeat_n(full(), ndim + extra));
        let message = format!("slice: too many indices for array: array is {ndim}-dimensional, but {} were indexed", ndim + extra);
        check_err(case.lazy().slice(&elems), &message)?;
    }
}

#[test]
fn slices_by_example() -> Result<()> {
    // 0..24 as (4, 6) in chunks of (3, 4)
    let x = arange(0, 24, 1, 5).reshape([4, 6])?.rechunk([3, 4])?;
    let v = |a: Array| -> Result<Vec<i64>> { Ok(a.compute()?.to_vec::<i64>()) };
    assert_eq!(v(x.slice(s![-1, ..])?)?, vec![18, 19, 20, 21, 22, 23]);
    assert_eq!(v(x.slice(s![.., -2])?)?, vec![4, 10, 16, 22]);
    assert_eq!(v(x.slice(s![1..3, 2..;3])?)?, vec![8, 11, 14, 17]);
    // ndarray: a negative step walks the range from its end
    assert_eq!(v(x.slice(s![0, 1..5;-2])?)?, vec![4, 2]);
    assert_eq!(v(x.slice(s![..;-1, 0])?)?, vec![18, 12, 6, 0]);
    assert_eq!(v(x.slice(s![-3..-1, -1])?)?, vec![11, 17]);
    assert_eq!(x.slice(s![2, 3])?.shape(), &[] as &[usize]);
    assert_eq!(x.slice(s![2, 3])?.compute()?.to_scalar::<i64>()?, 15);
    assert_eq!(x.slice(s![NewAxis, 1.., NewAxis, 0])?.shape(), &[1, 3, 1]);
    // empty selections
    let backwards = [SliceInfoElem::Slice {
        start: 3,
        end: Some(1),
        step: 1,
    }];
    assert_eq!(x.slice(backwards)?.shape(), &[0, 6]);
    assert!(x.slice(s![4.., ..])?.compute()?.is_empty());
    Ok(())
}

#[test]
fn slices_of_zero_dimensional_arrays() -> Result<()> {
    let x = arange(0, 24, 1, 5).reshape([4, 6])?.slice(s![1, 2])?;
    assert_eq!(x.slice(s![NewAxis])?.compute()?.to_vec::<i64>(), vec![8]);
    assert_eq!(
        x.slice(&[] as &[SliceInfoElem])?
            .compute()?
            .to_scalar::<i64>()?,
        8
    );
    assert_eq!(
        x.slice(s![0]).unwrap_err().to_string(),
        "slice: too many indices for array: array is 0-dimensional, but 1 were indexed"
    );
    Ok(())
}

#[test]
fn error_messages_by_example() {
    let x = ones([3, 4], 2);
    assert_eq!(
        x.slice(s![5, ..]).unwrap_err().to_string(),
        "slice: index 5 is out of bounds for axis 0 with size 3"
    );
    assert_eq!(
        x.slice(s![-4, ..]).unwrap_err().to_string(),
        "slice: index -4 is out of bounds for axis 0 with size 3"
    );
    assert_eq!(
        x.slice(s![0, 0, 0]).unwrap_err().to_string(),
        "slice: too many indices for array: array is 2-dimensional, but 3 were indexed"
    );
    let zero_step = [
        SliceInfoElem::Index(0),
        SliceInfoElem::Slice {
            start: 0,
            end: None,
            step: 0,
        },
    ];
    assert_eq!(
        x.slice(zero_step).unwrap_err().to_string(),
        "slice: slice step cannot be zero (axis 1)"
    );
}
