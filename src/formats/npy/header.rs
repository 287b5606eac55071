//! `.npy` headers: read and written by `ndarray-npy` (feature `npy`), or, in a copy built
//! without it (notebook cells), by the kernel's copy of the engine (see [`host`](crate::host)).
//! The values themselves are always mapped by the copy that reads or writes them.

use crate::dtype::DType;

/// What an `.npy` header says, and where the values start.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Header {
    pub(crate) dtype: DType,
    pub(crate) shape: Vec<usize>,
    /// Values in column-major (Fortran) order.
    pub(crate) fortran: bool,
    /// The byte offset of the first value (the header is a multiple of 64 bytes).
    pub(crate) data_start: usize,
}

#[cfg(feature = "npy")]
pub(crate) use native::{create_zeroed, read};

#[cfg(not(feature = "npy"))]
pub(crate) use hosted::{create_zeroed, read};

#[cfg(feature = "npy")]
mod native {
    use std::fs::OpenOptions;
    use std::path::Path;

    use ndarray::{ArrayViewD, IxDyn};
    use ndarray_npy::{ViewNpyError, ViewNpyExt};

    use super::Header;
    use crate::dtype::{with_dtype, DType};
    use crate::error::Result;
    use crate::formats::io_error;

    /// The header of the `.npy` file at `path`, whose bytes are `map`, checked against its
    /// length.
    pub(crate) fn read(path: &Path, map: &[u8]) -> Result<Header> {
        let mut last = None;
        for dtype in [
            DType::Float64,
            DType::Float32,
            DType::Int64,
            DType::Int32,
            DType::Bool,
        ] {
            let header = with_dtype!(dtype, T => ArrayViewD::<T>::view_npy(map).map(|v| {
                (v.shape().to_vec(), !v.is_standard_layout() && v.ndim() > 1, v.len())
            }));
            match header {
                Ok((shape, fortran, len)) => {
                    return Ok(Header {
                        dtype,
                        shape,
                        fortran,
                        data_start: map.len() - len * dtype.itemsize(),
                    })
                }
                Err(ViewNpyError::WrongDescriptor(descriptor)) => {
                    last = Some(format!(
                        "unsupported dtype {descriptor} \
                         (tessera reads float64, float32, int64, int32 and bool .npy files)"
                    ))
                }
                Err(other) => {
                    return Err(io_error(path, format!("not a readable .npy file: {other}")))
                }
            }
        }
        Err(io_error(
            path,
            last.unwrap_or_else(|| "unsupported dtype".into()),
        ))
    }

    /// Creates (or truncates) `path` as a zero-filled `.npy` file of `dtype` and `shape`.
    pub(crate) fn create_zeroed(path: &Path, dtype: DType, shape: &[usize]) -> Result<()> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        with_dtype!(dtype, T => ndarray_npy::write_zeroed_npy::<T, _>(&file, IxDyn(shape)))
            .map_err(|e| io_error(path, e))
    }
}

#[cfg(any(test, not(feature = "npy")))]
mod hosted {
    #![cfg_attr(all(test, feature = "npy"), allow(dead_code))]

    use std::path::Path;

    use serde_json::{json, Value};

    use super::Header;
    use crate::dtype::DType;
    use crate::error::{Error, Result};

    fn request(mut request: Value) -> Result<Value> {
        request["service"] = json!("npy");
        crate::hostcall::call_json(&request, "npy")
    }

    /// The kernel's copy maps the file itself (`_map` is this copy's map of it).
    pub(crate) fn read(path: &Path, _map: &[u8]) -> Result<Header> {
        serde_json::from_value(request(json!({"op": "header", "path": path}))?).map_err(|e| {
            Error::InvalidArgument {
                op: "npy",
                reason: format!("unreadable header from the kernel: {e}"),
            }
        })
    }

    pub(crate) fn create_zeroed(path: &Path, dtype: DType, shape: &[usize]) -> Result<()> {
        request(json!({"op": "create", "path": path, "dtype": dtype, "shape": shape})).map(drop)
    }
}

/// The kernel's side of `hosted`: runs a cell's request.
#[cfg(feature = "npy")]
pub(crate) fn serve(
    request: &serde_json::Value,
    reply: &mut dyn FnMut(&[u8]),
) -> crate::error::Result<()> {
    use crate::error::Error;
    let field = |key: &str| request[key].clone();
    let invalid = |e: serde_json::Error| Error::InvalidArgument {
        op: "npy",
        reason: format!("invalid request: {e}"),
    };
    let path: std::path::PathBuf = serde_json::from_value(field("path")).map_err(invalid)?;
    let answer = match request["op"].as_str().unwrap_or_default() {
        "header" => serde_json::to_value(read(&path, &super::map_file(&path)?.1)?)
            .expect("headers serialize"),
        "create" => {
            let (dtype, shape): (DType, Vec<usize>) = (
                serde_json::from_value(field("dtype")).map_err(invalid)?,
                serde_json::from_value(field("shape")).map_err(invalid)?,
            );
            create_zeroed(&path, dtype, &shape)?;
            serde_json::Value::Null
        }
        other => {
            return Err(Error::InvalidArgument {
                op: "npy",
                reason: format!("unknown request {other:?}"),
            })
        }
    };
    reply(&serde_json::to_vec(&answer).expect("answers serialize"));
    Ok(())
}

#[cfg(all(test, feature = "npy"))]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn hosted_headers_are_native_headers() {
        crate::host::install();
        let path = std::env::temp_dir().join(format!("tessera-header-{}.npy", std::process::id()));
        hosted::create_zeroed(&path, DType::Float32, &[3, 5]).unwrap();
        let (_, map) = super::super::map_file(&path).unwrap();
        let header = hosted::read(&path, &map).unwrap();
        assert_eq!(header, native::read(&path, &map).unwrap());
        assert_eq!(
            (header.dtype, header.shape.clone(), header.fortran),
            (DType::Float32, vec![3, 5], false)
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().len() as usize,
            header.data_start + 15 * 4
        );
        let missing = hosted::read(Path::new("/nonexistent/x.npy"), &[]).unwrap_err();
        assert!(
            missing.to_string().starts_with("/nonexistent/x.npy:"),
            "{missing}"
        );
        std::fs::remove_file(&path).unwrap();
    }
}
