//! Every dtype through files, both ways: numpy and zarr-python write `.npy` files and Zarr v2
//! and v3 stores of each dtype (`scripts/dtype-files.py write`), tessera reads the same values;
//! tessera writes them, numpy and zarr-python read the same values (`… check`). CF-packed
//! stores xarray writes decode to xarray's values, and tessera's CF encoding decodes in xarray.
//! Needs the test venv's Python with numpy, zarr and xarray (`TESSERA_PYTHON`, else
//! `.venv/bin/python`).

use std::path::{Path, PathBuf};
use std::process::Command;

use tessera::io::{from_npy, from_zarr, from_zarr_cf, CfEncoding};
use tessera::prelude::*;

mod common;
mod pinned;
use pinned::{array, check, pinned};

fn python() -> PathBuf {
    std::env::var_os("TESSERA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"))
}

fn run_script(mode: &str, folder: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dtype-files.py");
    let out = Command::new(python())
        .arg(&script)
        .arg(mode)
        .arg(folder)
        .output()
        .expect("the test venv's Python runs");
    assert!(
        out.status.success(),
        "dtype-files.py {mode}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// numpy's values of `dtype`, pinned by the script next to its files.
fn expected(folder: &Path, dtype: DType) -> pinned::Pinned {
    let text = std::fs::read_to_string(folder.join(format!("{dtype}.json"))).unwrap();
    pinned(&serde_json::from_str(&text).unwrap())
}

#[test]
fn every_dtype_crosses_between_numpy_zarr_python_and_tessera() {
    let folder = common::temp_path("io-dtypes", "files");
    std::fs::create_dir_all(&folder).unwrap();
    run_script("write", &folder);
    for dtype in DType::ALL {
        let want = expected(&folder, dtype);
        for store in [format!("{dtype}-v3.zarr"), format!("{dtype}-v2.zarr")] {
            let z = from_zarr(folder.join(&store)).unwrap();
            assert_eq!(z.chunksize().len(), 2, "{store}");
            check(&store, &z.compute().unwrap(), &want, 0);
        }
        for file in [format!("{dtype}.npy"), format!("{dtype}-be.npy")] {
            let x = from_npy(folder.join(&file), 4).unwrap();
            check(&file, &x.compute().unwrap(), &want, 0);
            // a slice reads the same values as the whole (the byte swap on each path)
            let corner = x.slice(ndarray::s![1..3, ..;3]).unwrap().compute().unwrap();
            let whole = x.compute().unwrap().to_ndarray::<f64>();
            let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
            let expected = whole.slice(ndarray::s![1..3, ..;3]);
            assert!(
                corner
                    .to_ndarray::<f64>()
                    .iter()
                    .zip(expected)
                    .all(|(&a, &b)| same(a, b)),
                "{file}: {corner}"
            );
        }
        let values = array(&want, 4);
        values
            .to_zarr(folder.join(format!("tessera-{dtype}.zarr")))
            .unwrap();
        values
            .to_npy(folder.join(format!("tessera-{dtype}.npy")))
            .unwrap();
    }
    // CF: what xarray wrote decodes to what xarray decodes, both formats
    for name in ["int16", "uint16"] {
        for fmt in [2, 3] {
            let store = format!("cf-{name}-v{fmt}");
            let want = pinned(
                &serde_json::from_str(
                    &std::fs::read_to_string(folder.join(format!("{store}.json"))).unwrap(),
                )
                .unwrap(),
            );
            let decoded = from_zarr_cf(folder.join(format!("{store}.zarr")), "t").unwrap();
            check(&store, &decoded.compute().unwrap(), &want, 1);
        }
    }
    // … and tessera's encoding of those values decodes in xarray to them (`check` below)
    let text = std::fs::read_to_string(folder.join("cf-int16-v3.json")).unwrap();
    let decoded = array(&pinned(&serde_json::from_str(&text).unwrap()), 4);
    let encoding = CfEncoding {
        dtype: DType::Int16,
        scale_factor: Some(0.01),
        add_offset: Some(10.0),
        fill_value: Some(-32768.0),
    };
    decoded
        .to_zarr_cf(folder.join("tessera-cf.zarr"), &encoding)
        .unwrap();
    run_script("check", &folder);
    std::fs::remove_dir_all(&folder).unwrap();
}
