//! Chunk kernels: the eager functions a task runs on in-memory blocks. They know nothing of
//! plans or graphs; each is monomorphised here for every dtype and chosen at run time.

pub(crate) mod coarsen;
pub(crate) mod copy;
pub(crate) mod correlate;
pub(crate) mod elementwise;
pub(crate) mod gather;
pub(crate) mod generate;
pub(crate) mod histogram;
pub(crate) mod inputs;
pub(crate) mod linalg;
pub(crate) mod pool;
pub(crate) mod random_sum;
pub(crate) mod reduce;
pub(crate) mod scan;
pub(crate) mod structure;

use std::borrow::Cow;
use std::ops::Range;

use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Axis, Slice};

use crate::data::{ArrayData, DataElement};

/// What a task produces: a block of values, or a reduction's partial state.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Data(ArrayData),
    /// Count, mean and sum of squared deviations (for `mean`, `var`, `std`), each position
    /// of the block its own (the nan-reductions count the numbers of each).
    Moments {
        count: ArrayD<f64>,
        mean: ArrayD<f64>,
        m2: ArrayD<f64>,
    },
    /// Best value so far and its global index (for `argmin`, `argmax`).
    Arg {
        values: ArrayData,
        index: ArrayD<i64>,
    },
}

impl Value {
    /// Moves out the block of values.
    pub(crate) fn into_data(self) -> ArrayData {
        match self {
            Value::Data(d) => d,
            other => unreachable!("a reduction partial is not an output: {other:?}"),
        }
    }

    /// Bytes held by this value (what progress events report).
    pub(crate) fn nbytes(&self) -> usize {
        match self {
            Value::Data(d) => d.len() * d.dtype().itemsize(),
            Value::Moments { count, mean, m2 } => (count.len() + mean.len() + m2.len()) * 8,
            Value::Arg { values, index } => {
                values.len() * values.dtype().itemsize() + index.len() * 8
            }
        }
    }

    /// The block of values; reduction partials are never read as data.
    pub(crate) fn data(&self) -> &ArrayData {
        match self {
            Value::Data(d) => d,
            other => unreachable!("a task read a reduction partial as data: {other:?}"),
        }
    }
}

/// A block as `T`: borrowed when the dtype already is `T`, converted otherwise.
pub(crate) fn typed<T: DataElement>(data: &ArrayData) -> Cow<'_, ArrayD<T>> {
    match T::view_of(data) {
        Some(a) => Cow::Borrowed(a),
        None => Cow::Owned(data.to_array::<T>()),
    }
}

/// `region` of a view (whole view when `None`).
pub(crate) fn sub_view<'a, T>(
    mut view: ArrayViewD<'a, T>,
    region: Option<&[Range<usize>]>,
) -> ArrayViewD<'a, T> {
    for (axis, r) in region.unwrap_or_default().iter().enumerate() {
        view.slice_axis_inplace(Axis(axis), Slice::from(r.clone()));
    }
    view
}

/// `region` of a mutable view.
pub(crate) fn sub_view_mut<'a, T>(
    mut view: ArrayViewMutD<'a, T>,
    region: &[Range<usize>],
) -> ArrayViewMutD<'a, T> {
    for (axis, r) in region.iter().enumerate() {
        view.slice_axis_inplace(Axis(axis), Slice::from(r.clone()));
    }
    view
}
