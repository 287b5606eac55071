//! The scan kernel: a block's running sum or product along one axis, started from the last
//! slice along that axis of the previous block's result (its carry). Integers wrap on
//! overflow as numpy's do; float16 accumulates in float16 (each step rounded once, from an
//! exact float64 sum or product), as numpy's does.

use half::f16;
use ndarray::{ArrayD, ArrayViewD, ArrayViewMut1, Axis, Zip};

use crate::data::{ArrayData, DataElement};
use crate::dtype::DType;

/// Which scan to run (the plan's `ScanOp`, as the leaf sees it): a product or a sum, and
/// whether NaN counts as the identity.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scan {
    pub product: bool,
    pub skip_nan: bool,
}

/// The arithmetic a scan needs from its accumulator type.
trait Accumulate: DataElement + Copy {
    const ZERO: Self;
    const ONE: Self;
    fn acc_add(self, other: Self) -> Self;
    fn acc_mul(self, other: Self) -> Self;
    fn acc_nan(self) -> bool {
        false
    }
}

// Integers wrap, as numpy's do.
macro_rules! integer_accumulate {
    ($t:ty) => {
        impl Accumulate for $t {
            const ZERO: $t = 0;
            const ONE: $t = 1;
            fn acc_add(self, o: $t) -> $t {
                self.wrapping_add(o)
            }
            fn acc_mul(self, o: $t) -> $t {
                self.wrapping_mul(o)
            }
        }
    };
}
integer_accumulate!(i64);
integer_accumulate!(u64);

macro_rules! float_accumulate {
    ($t:ty) => {
        impl Accumulate for $t {
            const ZERO: $t = 0.0;
            const ONE: $t = 1.0;
            fn acc_add(self, o: $t) -> $t {
                self + o
            }
            fn acc_mul(self, o: $t) -> $t {
                self * o
            }
            fn acc_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }
    };
}
float_accumulate!(f32);
float_accumulate!(f64);

impl Accumulate for f16 {
    const ZERO: f16 = f16::ZERO;
    const ONE: f16 = f16::ONE;
    fn acc_add(self, o: f16) -> f16 {
        f16::from_f64(self.to_f64() + o.to_f64())
    }
    fn acc_mul(self, o: f16) -> f16 {
        f16::from_f64(self.to_f64() * o.to_f64())
    }
    fn acc_nan(self) -> bool {
        f16::is_nan(self)
    }
}

/// `op` along `axis` of `block` (any dtype; cast to `dtype`, the op's result dtype first),
/// each lane started from the matching element of the last slice along `axis` of `carry`
/// (the previous block's result), or from the identity.
pub(crate) fn scan(
    op: Scan,
    axis: usize,
    dtype: DType,
    block: &ArrayData,
    carry: Option<&ArrayData>,
) -> ArrayData {
    let cast = super::elementwise::cast(dtype, block);
    match cast {
        ArrayData::Int64(a) => ArrayData::Int64(typed(op, axis, a, carry)),
        ArrayData::UInt64(a) => ArrayData::UInt64(typed(op, axis, a, carry)),
        ArrayData::Float16(a) => ArrayData::Float16(typed(op, axis, a, carry)),
        ArrayData::Float32(a) => ArrayData::Float32(typed(op, axis, a, carry)),
        ArrayData::Float64(a) => ArrayData::Float64(typed(op, axis, a, carry)),
        other => unreachable!("a scan's dtype is 64-bit or float, got {:?}", other.dtype()),
    }
}

fn typed<T: Accumulate>(
    op: Scan,
    axis: usize,
    mut out: ArrayD<T>,
    carry: Option<&ArrayData>,
) -> ArrayD<T> {
    let Scan {
        product,
        skip_nan: skip,
    } = op;
    let identity = if product { T::ONE } else { T::ZERO };
    let clean = |x: T| if skip && x.acc_nan() { identity } else { x };
    let step = |acc: T, x: T| -> T {
        let x = clean(x);
        if product {
            acc.acc_mul(x)
        } else {
            acc.acc_add(x)
        }
    };
    let previous: Option<ArrayViewD<T>> = carry
        .map(|c| T::view_of(c).expect("a scan's carry has its dtype").view())
        .filter(|c| c.len_of(Axis(axis)) > 0);
    let start = previous.map(|p| {
        let last = p.len_of(Axis(axis)) - 1;
        p.index_axis_move(Axis(axis), last)
    });
    let len = out.len_of(Axis(axis));
    if len == 0 {
        return out;
    }
    if axis + 1 == out.ndim() {
        // The last axis: each lane is contiguous (C order), run it element by element.
        let run = |mut lane: ArrayViewMut1<T>, start: Option<T>| {
            let mut values = lane.iter_mut();
            // Without a carry a lane starts from its first element, as numpy's accumulate
            // does (so a leading -0.0 stays -0.0: `0.0 + -0.0` would give 0.0).
            let mut acc = match start {
                Some(start) => start,
                None => match values.next() {
                    Some(first) => {
                        *first = clean(*first);
                        *first
                    }
                    None => return,
                },
            };
            for v in values {
                acc = step(acc, *v);
                *v = acc;
            }
        };
        match start {
            Some(last) => Zip::from(out.lanes_mut(Axis(axis)))
                .and(&last)
                .for_each(|lane, &start| run(lane, Some(start))),
            None => out
                .lanes_mut(Axis(axis))
                .into_iter()
                .for_each(|lane| run(lane, None)),
        }
        return out;
    }
    // Another axis: slice `k` along it is slice `k - 1` combined elementwise with slice `k`,
    // whole slices at a time (contiguous rows in C order, where lanes along the axis would be
    // strided). The first slice continues the carry, or is the block's own (cleaned).
    {
        let mut first = out.index_axis_mut(Axis(axis), 0);
        match &start {
            Some(last) => Zip::from(&mut first)
                .and(last)
                .for_each(|v, &c| *v = step(c, *v)),
            None => first.mapv_inplace(clean),
        }
    }
    for k in 1..len {
        let (before, mut after) = out.view_mut().split_at(Axis(axis), k);
        let previous = before.index_axis(Axis(axis), k - 1);
        Zip::from(after.index_axis_mut(Axis(axis), 0))
            .and(&previous)
            .for_each(|v, &p| *v = step(p, *v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{arr2, IxDyn};

    const SUM: Scan = Scan {
        product: false,
        skip_nan: false,
    };
    const NAN_PROD: Scan = Scan {
        product: true,
        skip_nan: true,
    };

    #[test]
    fn carries_continue_each_lane() {
        let block = ArrayData::Int32(arr2(&[[1, 2], [3, 4]]).into_dyn());
        let first = scan(SUM, 0, DType::Int64, &block, None);
        let second = scan(SUM, 0, DType::Int64, &block, Some(&first));
        let v = second.into_array::<i64>();
        assert_eq!(v, arr2(&[[5, 8], [8, 12]]).into_dyn());
        let nan = ArrayData::Float64(
            ArrayD::from_shape_vec(IxDyn(&[3]), vec![2.0, f64::NAN, 3.0]).unwrap(),
        );
        let p = scan(NAN_PROD, 0, DType::Float64, &nan, None).into_array::<f64>();
        assert_eq!(p.iter().copied().collect::<Vec<_>>(), vec![2.0, 2.0, 6.0]);
    }
}
