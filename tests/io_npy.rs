//! `.npy` files: tessera's files are numpy files (read back by ndarray-npy, numpy's format),
//! numpy-format files written by ndarray-npy (C and Fortran order, every dtype) read with the
//! same values, chunk by chunk and sliced, and bad files are clear errors naming the file.

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use ndarray_npy::{read_npy, write_npy};
use tessera::io::from_npy;
use tessera::prelude::*;

mod common;

fn temp(name: &str) -> std::path::PathBuf {
    common::temp_path("npy-tests", name)
}

#[test]
fn written_files_are_numpy_files_with_the_same_values() {
    let x = random::Rng::new(3).normal(0.0, 1.0, [300, 70], [64, 30]);
    let path = temp("normal.npy");
    x.to_npy(&path).unwrap();
    let back: ArrayD<f64> = read_npy(&path).unwrap();
    assert_eq!(back, x.compute().unwrap().into_ndarray::<f64>());
    assert!(!temp("normal.npy.partial").exists());
    // and tessera reads it back, in other chunks, whole and sliced
    let again = from_npy(&path, [100, 70]).unwrap();
    assert_eq!(again.dtype(), DType::Float64);
    assert_eq!(again.compute().unwrap().into_ndarray::<f64>(), back);
    let part = again
        .slice(s![10..200;3, -5..])
        .unwrap()
        .compute()
        .unwrap()
        .into_ndarray::<f64>();
    assert_eq!(part, back.slice(ndarray::s![10..200;3, -5..]).into_dyn());
}

/// Each block is written into its place as it completes: every block of odd chunkings along
/// every axis (edge blocks smaller), of an elementwise result, lands where it belongs; 0-d and
/// empty arrays too.
#[test]
fn blocks_are_written_in_place() {
    let x = random::Rng::new(4).uniform(0.0, 1.0, [11, 13, 5], [3, 7, 2]);
    let y = (&x * 2.0 - 1.0).astype(DType::Float32);
    let path = temp("blocks.npy");
    y.to_npy(&path).unwrap();
    let back: ArrayD<f32> = read_npy(&path).unwrap();
    assert_eq!(back, y.compute().unwrap().into_ndarray::<f32>());
    let zero_d = x.sum().unwrap();
    zero_d.to_npy(temp("zero_d.npy")).unwrap();
    let back: ArrayD<f64> = read_npy(temp("zero_d.npy")).unwrap();
    assert_eq!(back, zero_d.compute().unwrap().into_ndarray::<f64>());
    let empty = zeros([0, 4], [1, 2]);
    empty.to_npy(temp("empty.npy")).unwrap();
    let back: ArrayD<f64> = read_npy(temp("empty.npy")).unwrap();
    assert_eq!(back.shape(), &[0, 4]);
}

#[test]
fn every_dtype_and_layout_reads_back() {
    let c = ArrayD::from_shape_fn(IxDyn(&[5, 4, 3]), |i| {
        (i[0] * 100 + i[1] * 10 + i[2]) as i64
    });
    let f = ArrayD::from_shape_vec(IxDyn(&[5, 4, 3]).f(), c.iter().copied().collect()).unwrap();
    for (name, array) in [("c.npy", &c), ("f.npy", &f)] {
        write_npy(temp(name), array).unwrap();
        let a = from_npy(temp(name), [2, 3, 3]).unwrap();
        assert_eq!(a.compute().unwrap().into_ndarray::<i64>(), *array, "{name}");
        assert_eq!(
            a.sum_axis(1)
                .unwrap()
                .compute()
                .unwrap()
                .into_ndarray::<i64>(),
            array.sum_axis(ndarray::Axis(1)),
            "{name}"
        );
    }
    write_npy(temp("f32.npy"), &ArrayD::<f32>::from_elem(IxDyn(&[7]), 1.5)).unwrap();
    write_npy(
        temp("i32.npy"),
        &ArrayD::<i32>::from_elem(IxDyn(&[2, 2]), -3),
    )
    .unwrap();
    write_npy(
        temp("bool.npy"),
        &ArrayD::from_shape_vec(IxDyn(&[4]), vec![true, false, true, true]).unwrap(),
    )
    .unwrap();
    assert_eq!(
        from_npy(temp("f32.npy"), "auto")
            .unwrap()
            .sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        10.5
    );
    assert_eq!(from_npy(temp("i32.npy"), -1).unwrap().dtype(), DType::Int32);
    let flags = from_npy(temp("bool.npy"), 2).unwrap();
    assert_eq!(
        flags.compute().unwrap().to_vec::<bool>(),
        [true, false, true, true]
    );
    // every dtype writes too
    for (i, a) in [
        flags.clone(),
        from_npy(temp("i32.npy"), -1).unwrap(),
        from_npy(temp("f32.npy"), 3).unwrap(),
    ]
    .iter()
    .enumerate()
    {
        let path = temp(&format!("copy{i}.npy"));
        a.to_npy(&path).unwrap();
        assert_eq!(
            from_npy(&path, -1).unwrap().compute().unwrap(),
            a.compute().unwrap()
        );
    }
}

#[test]
fn slices_read_only_what_they_select() {
    let path = temp("wide.npy");
    arange(0.0, 1_000_000.0, 1.0, 100_000)
        .reshape([1000, 1000])
        .unwrap()
        .to_npy(&path)
        .unwrap();
    let a = from_npy(&path, [100, 1000]).unwrap();
    let column = a.slice(s![.., 7]).unwrap();
    let plan = column.optimized().unwrap().plan();
    assert!(
        plan.starts_with("from-npy[:, 7] of (1000, 1000) shape=(1000,) float64"),
        "{plan}"
    );
    let values = column.compute().unwrap().to_vec::<f64>();
    assert_eq!(values[..3], [7.0, 1007.0, 2007.0]);
    assert_eq!(
        a.mean_axis(0)
            .unwrap()
            .slice(s![0..3])
            .unwrap()
            .compute()
            .unwrap()
            .to_vec::<f64>(),
        [499500.0, 499501.0, 499502.0]
    );
}

/// Regions whose contiguous runs in the file are long (read by `pread`) or short (gathered from
/// the map), of a C-order and a Fortran-order file, chunked and sliced, read the file's values.
#[test]
fn long_and_short_runs_read_the_same_values() {
    let c = ArrayD::from_shape_fn(IxDyn(&[6, 5, 1100]), |i| {
        (i[0] * 100_000 + i[1] * 10_000 + i[2]) as i64
    });
    let f = ArrayD::from_shape_vec(IxDyn(&[6, 5, 1100]).f(), c.iter().copied().collect()).unwrap();
    for (name, array) in [("runs-c.npy", &c), ("runs-f.npy", &f)] {
        write_npy(temp(name), array).unwrap();
        for chunks in [
            [6, 5, 1100],
            [4, 2, 1100],
            [3, 5, 600],
            [5, 3, 7],
            [1, 1, 1100],
        ] {
            let a = from_npy(temp(name), chunks).unwrap();
            assert_eq!(
                a.compute().unwrap().into_ndarray::<i64>(),
                *array,
                "{name} {chunks:?}"
            );
            let part = a.slice(s![1..5, 2, 100..1000]).unwrap().compute().unwrap();
            let expected = array.slice(ndarray::s![1..5, 2, 100..1000]).into_dyn();
            assert_eq!(part.into_ndarray::<i64>(), expected, "{name} {chunks:?}");
            let part = a
                .slice(s![NewAxis, 3, .., -600..])
                .unwrap()
                .compute()
                .unwrap();
            let expected = array.slice(ndarray::s![NewAxis, 3, .., -600..]).into_dyn();
            assert_eq!(part.into_ndarray::<i64>(), expected, "{name} {chunks:?}");
            let part = a.slice(s![.., 1..4;2, 10..]).unwrap().compute().unwrap();
            let expected = array.slice(ndarray::s![.., 1..4;2, 10..]).into_dyn();
            assert_eq!(part.into_ndarray::<i64>(), expected, "{name} {chunks:?}");
        }
    }
}

#[test]
fn bad_files_are_errors_naming_the_file() {
    let missing = from_npy(temp("missing.npy"), "auto")
        .unwrap_err()
        .to_string();
    assert!(
        missing.contains("missing.npy: No such file or directory"),
        "{missing}"
    );

    // a complex64 header (same length as uint16's): tessera has no complex dtypes yet
    write_npy(temp("c8.npy"), &ArrayD::<u16>::zeros(IxDyn(&[3]))).unwrap();
    let mut bytes = std::fs::read(temp("c8.npy")).unwrap();
    let at = bytes.windows(3).position(|w| w == b"<u2").unwrap();
    bytes[at..at + 3].copy_from_slice(b"<c8");
    std::fs::write(temp("c8.npy"), bytes).unwrap();
    let dtype = from_npy(temp("c8.npy"), "auto").unwrap_err().to_string();
    assert!(dtype.contains("c8.npy: unsupported dtype <c8"), "{dtype}");

    let truncated = temp("truncated.npy");
    write_npy(&truncated, &ArrayD::<f64>::zeros(IxDyn(&[100]))).unwrap();
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() - 8]).unwrap();
    let short = from_npy(&truncated, "auto").unwrap_err().to_string();
    assert!(
        short.contains("truncated.npy: not a readable .npy file"),
        "{short}"
    );

    std::fs::write(temp("text.npy"), "not numpy").unwrap();
    assert!(from_npy(temp("text.npy"), "auto")
        .unwrap_err()
        .to_string()
        .contains("text.npy: not a readable .npy file"));

    // a failed write leaves nothing behind
    let failing = ones([10], 5)
        .map_blocks(|_: ndarray::ArrayViewD<f64>| -> ArrayD<f64> { panic!("boom") })
        .unwrap();
    let failed = failing.to_npy(temp("failed.npy"));
    assert!(failed.is_err());
    assert!(!temp("failed.npy").exists() && !temp("failed.npy.partial").exists());
}
