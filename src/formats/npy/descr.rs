//! The `.npy` header (numpy's `numpy/lib/format.py`, versions 1 to 3): the magic string, the
//! version, and a Python dict literal of `descr`, `fortran_order` and `shape`, padded so that
//! the values start on a 64-byte boundary. Read and written here for every dtype (ndarray-npy,
//! which this replaced, has no float16).

use crate::dtype::DType;

const MAGIC: &[u8] = b"\x93NUMPY";

/// What a header says: the dtype, whether its values are big-endian, the shape, Fortran order,
/// and where the values start.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub(crate) dtype: DType,
    pub(crate) big_endian: bool,
    pub(crate) shape: Vec<usize>,
    pub(crate) fortran: bool,
    pub(crate) data_start: usize,
}

/// numpy's type string of `dtype` in little-endian order (`<f8`; `|u1` and `|b1` have no
/// order).
pub(crate) fn descr(dtype: DType) -> String {
    let kind = match dtype {
        DType::Bool => 'b',
        d if d.is_signed() => 'i',
        d if d.is_unsigned() => 'u',
        _ => 'f',
    };
    let order = if dtype.itemsize() == 1 { '|' } else { '<' };
    format!("{order}{kind}{}", dtype.itemsize())
}

/// The dtype and byte order of a type string (`<u2`, `>f8`, `|b1`, `=i4`).
fn parse_descr(text: &str) -> Option<(DType, bool)> {
    let (order, code) = text.split_at(text.char_indices().nth(1)?.0);
    let big_endian = match order {
        ">" => true,
        "<" | "|" | "=" => cfg!(target_endian = "big") && order == "=",
        _ => return None,
    };
    let dtype = DType::ALL.into_iter().find(|&d| descr(d)[1..] == *code)?;
    Some((dtype, big_endian && dtype.itemsize() > 1))
}

/// Reads the header at the start of `bytes`.
///
/// **Errors**: what is wrong with it (not an `.npy` file; a dtype tessera does not read,
/// named by its type string).
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let not_npy = || "not a readable .npy file (no NUMPY magic string and header)".to_string();
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(not_npy());
    }
    let (len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => {
            let len = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
            (len as usize, 12)
        }
        v => return Err(format!("unknown .npy format version {v}")),
    };
    let header = bytes.get(start..start + len).ok_or_else(not_npy)?;
    let header = std::str::from_utf8(header).map_err(|_| not_npy())?;
    let value = |key: &str| -> Result<&str, String> {
        let at = header
            .find(&format!("'{key}':"))
            .ok_or_else(|| format!("the header has no {key:?}: {header}"))?;
        Ok(header[at + key.len() + 3..].trim_start())
    };
    let descr = value("descr")?;
    let descr = descr
        .strip_prefix('\'')
        .and_then(|d| d.split('\'').next())
        .ok_or_else(|| format!("unreadable descr in {header}"))?;
    let (dtype, big_endian) = parse_descr(descr).ok_or_else(|| {
        let names: Vec<String> = DType::ALL.iter().map(|&d| self::descr(d)).collect();
        format!(
            "unsupported dtype {descr} (tessera reads .npy files of {}, either byte order)",
            names.join(" ")
        )
    })?;
    let fortran = value("fortran_order")?.starts_with("True");
    let shape = value("shape")?;
    let shape = shape
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| format!("unreadable shape in {header}"))?;
    let shape = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| format!("unreadable shape in {header}"))
        })
        .collect::<Result<Vec<usize>, String>>()?;
    Ok(Parsed {
        dtype,
        big_endian,
        shape,
        fortran,
        data_start: start + len,
    })
}

/// The header of a little-endian, C-order file of `dtype` and `shape` (version 1.0 when the
/// dict fits its 16-bit length, else 2.0), padded to a multiple of 64 bytes.
pub(crate) fn header(dtype: DType, shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {shape}, }}",
        descr(dtype)
    );
    let version = if dict.len() + 11 < 65536 { 1 } else { 2 };
    let prefix = if version == 1 { 10 } else { 12 };
    // The dict, spaces and a newline fill the header to a multiple of 64 bytes.
    let total = (prefix + dict.len() + 1).div_ceil(64) * 64;
    let len = total - prefix;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[version, 0]);
    if version == 1 {
        out.extend_from_slice(&(len as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(len as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_back_and_name_every_dtype_as_numpy() {
        assert_eq!(descr(DType::Float16), "<f2");
        assert_eq!(descr(DType::UInt8), "|u1");
        assert_eq!(descr(DType::Bool), "|b1");
        for dtype in DType::ALL {
            for shape in [vec![], vec![7], vec![3, 0, 5]] {
                let h = header(dtype, &shape);
                assert_eq!(h.len() % 64, 0);
                let parsed = parse(&h).unwrap();
                assert_eq!(
                    parsed,
                    Parsed {
                        dtype,
                        big_endian: false,
                        shape,
                        fortran: false,
                        data_start: h.len()
                    }
                );
            }
        }
    }

    #[test]
    fn numpys_headers_parse_and_bad_ones_say_why() {
        let numpy = b"\x93NUMPY\x01\x00\x3b\x00{'descr': '>u2', 'fortran_order': True, \
                      'shape': (6, 10), }";
        let parsed = parse(numpy).unwrap();
        assert_eq!(parsed.dtype, DType::UInt16);
        assert!(parsed.big_endian && parsed.fortran);
        assert_eq!(parsed.shape, vec![6, 10]);
        assert!(parse(b"PK\x03\x04 a zip")
            .unwrap_err()
            .contains("not a readable .npy file"));
        let complex = b"\x93NUMPY\x01\x00\x3a\x00{'descr': '<c16', 'fortran_order': False, \
                        'shape': (2,), }";
        let e = parse(complex).unwrap_err();
        assert!(
            e.contains("unsupported dtype <c16") && e.contains("<f2"),
            "{e}"
        );
    }
}
