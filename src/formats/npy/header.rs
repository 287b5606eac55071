//! `.npy` headers: read and written by `descr` (feature `npy`), or, in a copy built
//! without it (notebook cells), by the kernel's copy of the engine (see [`host`](crate::host)).
//! The values themselves are always mapped by the copy that reads or writes them.

use crate::dtype::DType;

/// What an `.npy` header says, and where the values start.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Header {
    pub(crate) dtype: DType,
    /// Values in big-endian byte order (read swapped).
    #[serde(default)]
    pub(crate) big_endian: bool,
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
    use std::io::Write;
    use std::path::Path;

    use super::super::descr;
    use super::Header;
    use crate::dtype::DType;
    use crate::error::Result;
    use crate::formats::io_error;

    /// The header of the `.npy` file at `path`, whose bytes are `map`, checked against its
    /// length (and, for bool, that every value is 0 or 1: only those are Rust bools).
    pub(crate) fn read(path: &Path, map: &[u8]) -> Result<Header> {
        let parsed = descr::parse(map).map_err(|e| io_error(path, e))?;
        let count: usize = parsed.shape.iter().product();
        let values = map.len().saturating_sub(parsed.data_start);
        if values != count * parsed.dtype.itemsize() {
            return Err(io_error(
                path,
                format!(
                    "not a readable .npy file, truncated or padded: {values} bytes of \
                     values, where the header's shape {:?} of {} takes {}",
                    parsed.shape,
                    parsed.dtype,
                    count * parsed.dtype.itemsize()
                ),
            ));
        }
        if parsed.dtype == DType::Bool {
            if let Some(at) = map[parsed.data_start..].iter().position(|&b| b > 1) {
                return Err(io_error(path, format!("bool value {at} is not 0 or 1")));
            }
        }
        Ok(Header {
            dtype: parsed.dtype,
            big_endian: parsed.big_endian,
            shape: parsed.shape,
            fortran: parsed.fortran,
            data_start: parsed.data_start,
        })
    }

    /// Creates (or truncates) `path` as a zero-filled `.npy` file of `dtype` and `shape`.
    pub(crate) fn create_zeroed(path: &Path, dtype: DType, shape: &[usize]) -> Result<()> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        let header = descr::header(dtype, shape);
        let len = header.len() + shape.iter().product::<usize>() * dtype.itemsize();
        file.write_all(&header)
            .and_then(|()| file.set_len(len as u64))
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
