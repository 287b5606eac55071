//! Matrix product of blocks.

use ndarray::{Array2, ArrayView2, Ix2, LinalgScalar};

use super::inputs::BlockInput;
use super::{sub_view, Value};
use crate::data::{ArrayData, DataElement};
use crate::dtype::DType;

/// Σ over `pairs` of `a · b` for 2-D blocks of `dtype` (never bool or float16: rejected when
/// building).
/// `transposed[0]` / `[1]`: the left / right operand of every pair is the transpose of the
/// block it names (read as a strided view, not copied).
pub(crate) fn dot_sum<'a>(
    dtype: DType,
    pairs: &[(BlockInput, BlockInput)],
    transposed: [bool; 2],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    match dtype {
        DType::Int8 => dot_typed::<i8>(pairs, transposed, input),
        DType::Int16 => dot_typed::<i16>(pairs, transposed, input),
        DType::Int32 => dot_typed::<i32>(pairs, transposed, input),
        DType::Int64 => dot_typed::<i64>(pairs, transposed, input),
        DType::UInt8 => dot_typed::<u8>(pairs, transposed, input),
        DType::UInt16 => dot_typed::<u16>(pairs, transposed, input),
        DType::UInt32 => dot_typed::<u32>(pairs, transposed, input),
        DType::UInt64 => dot_typed::<u64>(pairs, transposed, input),
        DType::Float32 => dot_typed::<f32>(pairs, transposed, input),
        DType::Float64 => dot_typed::<f64>(pairs, transposed, input),
        DType::Bool | DType::Float16 => unreachable!("dot on {dtype} is rejected when building"),
    }
}

fn dot_typed<'a, T: MatMul>(
    pairs: &[(BlockInput, BlockInput)],
    transposed: [bool; 2],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    let matrix = |b: &BlockInput, transposed: bool| {
        let a = T::view_of(input(b.task).data()).expect("dot inputs are cast to the dtype");
        let m = sub_view(a.view(), b.region.as_deref())
            .into_dimensionality::<Ix2>()
            .expect("dot inputs are 2-D");
        if transposed {
            m.reversed_axes()
        } else {
            m
        }
    };
    let mut out: Option<Array2<T>> = None;
    for (a, b) in pairs {
        let (a, b) = (matrix(a, transposed[0]), matrix(b, transposed[1]));
        let acc = out.get_or_insert_with(|| Array2::zeros((a.nrows(), b.ncols())));
        T::mat_mul_add(acc, a, b);
    }
    T::wrap(out.expect("a dot block has at least one pair").into_dyn())
}

/// `acc += a · b` for one element type. Integers use ndarray's generic product (exact, with
/// the same wrapping as numpy's integer matmul); floats use the `gemm` crate's kernels.
trait MatMul: DataElement + LinalgScalar {
    fn mat_mul_add(acc: &mut Array2<Self>, a: ArrayView2<Self>, b: ArrayView2<Self>) {
        ndarray::linalg::general_mat_mul(Self::one(), &a, &b, Self::one(), acc)
    }
}

impl MatMul for i8 {}
impl MatMul for i16 {}
impl MatMul for i32 {}
impl MatMul for i64 {}
impl MatMul for u8 {}
impl MatMul for u16 {}
impl MatMul for u32 {}
impl MatMul for u64 {}

impl MatMul for f32 {
    fn mat_mul_add(acc: &mut Array2<f32>, a: ArrayView2<f32>, b: ArrayView2<f32>) {
        gemm_add(acc, a, b)
    }
}

impl MatMul for f64 {
    fn mat_mul_add(acc: &mut Array2<f64>, a: ArrayView2<f64>, b: ArrayView2<f64>) {
        gemm_add(acc, a, b)
    }
}

/// `acc += a · b` by `gemm` (f32 and f64 only: `gemm` panics on other types). One thread: the
/// executor already runs output blocks in parallel.
fn gemm_add<T: LinalgScalar>(acc: &mut Array2<T>, a: ArrayView2<T>, b: ArrayView2<T>) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    assert!(
        b.nrows() == k && acc.dim() == (m, n),
        "dot blocks are aligned when lowering"
    );
    let (acc_s, a_s, b_s) = (acc.strides().to_vec(), a.strides(), b.strides());
    // SAFETY: each pointer with its (row, column) strides addresses exactly the elements of
    // its view (shapes checked above); `acc` is an owned array, so it aliases neither input.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            acc.as_mut_ptr(),
            acc_s[1],
            acc_s[0],
            true,
            a.as_ptr(),
            a_s[1],
            a_s[0],
            b.as_ptr(),
            b_s[1],
            b_s[0],
            T::one(),
            T::one(),
            false,
            false,
            false,
            gemm::Parallelism::None,
        )
    }
}
