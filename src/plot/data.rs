//! What plots take: a lazy [`Array`], a [`Computed`] result, or Rust values (slices, vectors,
//! ndarray arrays) — all turned into [`PlotData`].

use crate::array::Array;
use crate::data::{ArrayData, Computed, DataElement};
use crate::error::Result;

/// Values to plot: lazy (computed by the plot, as little as it needs) or already in memory.
///
/// Made from an [`Array`] (by reference or value), a [`Computed`], a slice or `Vec` of any
/// element type, or an ndarray array.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::plot::PlotData;
/// let lazy = PlotData::from(&random::normal([10], 5));
/// assert!(lazy.is_lazy());
/// assert_eq!(PlotData::from(vec![1.0, 2.0]).shape(), &[2]);
/// assert_eq!(PlotData::from(&[1i64, 2, 3][..]).shape(), &[3]);
/// ```
#[derive(Debug, Clone)]
pub enum PlotData {
    /// A lazy array.
    Lazy(Array),
    /// Values in memory.
    Eager(ArrayData),
}

impl PlotData {
    /// True for a lazy array.
    pub fn is_lazy(&self) -> bool {
        matches!(self, PlotData::Lazy(_))
    }

    /// The shape (a lazy array's, without computing it; an invalid array's is empty).
    pub fn shape(&self) -> &[usize] {
        match self {
            PlotData::Lazy(a) => a.shape(),
            PlotData::Eager(d) => d.shape(),
        }
    }

    /// The dtype.
    pub fn dtype(&self) -> crate::dtype::DType {
        match self {
            PlotData::Lazy(a) => a.dtype(),
            PlotData::Eager(d) => d.dtype(),
        }
    }

    /// The values, computed whole.
    ///
    /// **Errors**: an invalid array's error, or one raised computing it.
    pub(crate) fn values(&self) -> Result<ArrayData> {
        match self {
            PlotData::Lazy(a) => Ok(a.compute()?.into_data()),
            PlotData::Eager(d) => Ok(d.clone()),
        }
    }

    /// The values as a flat `Vec<f64>`, computed whole.
    pub(crate) fn to_f64(&self) -> Result<Vec<f64>> {
        Ok(self.values()?.into_array::<f64>().into_iter().collect())
    }

    /// The error an invalid lazy array carries.
    pub(crate) fn check(&self) -> Result<()> {
        match self {
            PlotData::Lazy(a) => a.check().map(|_| ()),
            PlotData::Eager(_) => Ok(()),
        }
    }
}

impl From<&Array> for PlotData {
    fn from(a: &Array) -> PlotData {
        PlotData::Lazy(a.clone())
    }
}

impl From<Array> for PlotData {
    fn from(a: Array) -> PlotData {
        PlotData::Lazy(a)
    }
}

impl From<&Computed> for PlotData {
    fn from(c: &Computed) -> PlotData {
        PlotData::Eager(c.data().clone())
    }
}

impl From<Computed> for PlotData {
    fn from(c: Computed) -> PlotData {
        PlotData::Eager(c.into_data())
    }
}

impl<T: DataElement> From<&[T]> for PlotData {
    fn from(v: &[T]) -> PlotData {
        PlotData::Eager(T::wrap(ndarray::Array1::from(v.to_vec()).into_dyn()))
    }
}

impl<T: DataElement> From<Vec<T>> for PlotData {
    fn from(v: Vec<T>) -> PlotData {
        PlotData::Eager(T::wrap(ndarray::Array1::from(v).into_dyn()))
    }
}

impl<T: DataElement> From<&Vec<T>> for PlotData {
    fn from(v: &Vec<T>) -> PlotData {
        PlotData::from(v.as_slice())
    }
}

impl<T: DataElement, D: ndarray::Dimension> From<ndarray::Array<T, D>> for PlotData {
    fn from(a: ndarray::Array<T, D>) -> PlotData {
        PlotData::Eager(T::wrap(a.into_dyn()))
    }
}

impl<T: DataElement, D: ndarray::Dimension> From<&ndarray::Array<T, D>> for PlotData {
    fn from(a: &ndarray::Array<T, D>) -> PlotData {
        PlotData::Eager(T::wrap(a.clone().into_dyn()))
    }
}
