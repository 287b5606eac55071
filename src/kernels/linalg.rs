//! Matrix product of blocks.

use ndarray::{Array2, Ix2, LinalgScalar};

use super::inputs::BlockInput;
use super::{sub_view, Value};
use crate::data::{ArrayData, DataElement};
use crate::dtype::DType;

/// Σ over `pairs` of `a · b` for 2-D blocks of `dtype` (never bool: rejected when building).
pub(crate) fn dot_sum<'a>(
    dtype: DType,
    pairs: &[(BlockInput, BlockInput)],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    match dtype {
        DType::Int32 => dot_typed::<i32>(pairs, input),
        DType::Int64 => dot_typed::<i64>(pairs, input),
        DType::Float32 => dot_typed::<f32>(pairs, input),
        DType::Float64 => dot_typed::<f64>(pairs, input),
        DType::Bool => unreachable!("dot on bool is rejected when building"),
    }
}

fn dot_typed<'a, T: DataElement + LinalgScalar>(
    pairs: &[(BlockInput, BlockInput)],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    let matrix = |b: &BlockInput| {
        let a = T::view_of(input(b.task).data()).expect("dot inputs are cast to the dtype");
        sub_view(a.view(), b.region.as_deref())
            .into_dimensionality::<Ix2>()
            .expect("dot inputs are 2-D")
    };
    let mut out: Option<Array2<T>> = None;
    for (a, b) in pairs {
        let (a, b) = (matrix(a), matrix(b));
        match out.as_mut() {
            None => out = Some(a.dot(&b)),
            Some(acc) => ndarray::linalg::general_mat_mul(T::one(), &a, &b, T::one(), acc),
        }
    }
    T::wrap(out.expect("a dot block has at least one pair").into_dyn())
}
