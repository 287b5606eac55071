//! Chunk values to and from Python: a block of values is a numpy array (moved, not copied, on
//! the way out); a reduction's partial is a tuple tagged with its kind.

use numpy::{PyArray, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::data::{ArrayData, DataElement};
use crate::kernels::Value;

/// `value` as a Python object: an ndarray, `("moments", count, mean, m2)` or
/// `("arg", values, index)`.
pub(crate) fn value_to_python(py: Python<'_>, value: Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Data(data) => data_to_numpy(py, data),
        Value::Moments { count, mean, m2 } => {
            let items: [Py<PyAny>; 4] = [
                "moments".into_pyobject(py)?.into_any().unbind(),
                PyArray::from_owned_array(py, count).into_any().unbind(),
                PyArray::from_owned_array(py, mean).into_any().unbind(),
                PyArray::from_owned_array(py, m2).into_any().unbind(),
            ];
            PyTuple::new(py, items)?.into_any().unbind()
        }
        Value::Arg { values, index } => {
            let items: [Py<PyAny>; 3] = [
                "arg".into_pyobject(py)?.into_any().unbind(),
                data_to_numpy(py, values),
                PyArray::from_owned_array(py, index).into_any().unbind(),
            ];
            PyTuple::new(py, items)?.into_any().unbind()
        }
    })
}

/// The value `object` holds (what [`value_to_python`] made, here or on another worker).
pub(crate) fn value_from_python(object: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(tuple) = object.cast::<PyTuple>() {
        let tag: String = tuple.get_item(0)?.extract()?;
        return match tag.as_str() {
            "moments" => Ok(Value::Moments {
                count: typed_from_numpy::<f64>(&tuple.get_item(1)?)?,
                mean: typed_from_numpy::<f64>(&tuple.get_item(2)?)?,
                m2: typed_from_numpy::<f64>(&tuple.get_item(3)?)?,
            }),
            "arg" => Ok(Value::Arg {
                values: data_from_numpy(&tuple.get_item(1)?)?,
                index: typed_from_numpy::<i64>(&tuple.get_item(2)?)?,
            }),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "not a tessera chunk value: tuple tagged {other:?}"
            ))),
        };
    }
    Ok(Value::Data(data_from_numpy(object)?))
}

/// A block as a numpy array of the same dtype and shape (the buffer moves to numpy).
pub(crate) fn data_to_numpy(py: Python<'_>, data: ArrayData) -> Py<PyAny> {
    crate::data::with_data!(data, a => PyArray::from_owned_array(py, a).into_any().unbind())
}

/// A numpy array of a dtype tessera knows as a block (copied into an owned array).
pub(crate) fn data_from_numpy(object: &Bound<'_, PyAny>) -> PyResult<ArrayData> {
    macro_rules! try_dtype {
        ($($t:ty),*) => {
            $(if let Ok(a) = object.extract::<PyReadonlyArrayDyn<'_, $t>>() {
                return Ok(<$t>::wrap(a.as_array().to_owned()));
            })*
        };
    }
    try_dtype!(
        f64,
        f32,
        i64,
        i32,
        bool,
        i8,
        i16,
        u8,
        u16,
        u32,
        u64,
        half::f16
    );
    let described = match object.cast::<numpy::PyUntypedArray>() {
        Ok(array) => format!("a numpy array of dtype {}", array.dtype()),
        Err(_) => format!("a {}", object.get_type().name()?),
    };
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "not a tessera chunk: {described} (tessera reads arrays of {})",
        crate::dtype::DType::ALL.map(|d| d.name()).join(", ")
    )))
}

fn typed_from_numpy<T: numpy::Element + Clone>(
    object: &Bound<'_, PyAny>,
) -> PyResult<ndarray::ArrayD<T>> {
    Ok(object
        .extract::<PyReadonlyArrayDyn<'_, T>>()?
        .as_array()
        .to_owned())
}
