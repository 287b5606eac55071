//! Zarr stores: every codec and dtype round-trips, stores written by zarrs (the reference Rust
//! implementation) in groups and v3 read back, slices read the same values as the whole, and bad
//! stores are errors naming the store.

use std::sync::Arc;

use ndarray::ArrayD;
use tessera::io::{from_zarr, from_zarr_array, ZarrCodec, ZarrOptions};
use tessera::prelude::*;

mod common;

fn temp(name: &str) -> std::path::PathBuf {
    common::temp_path("zarr-tests", name)
}

#[test]
fn every_codec_and_dtype_round_trips() {
    let x = random::Rng::new(8).normal(0.0, 1.0, [250, 130], [64, 50]);
    let arrays = [
        x.clone(),
        x.astype(DType::Float32),
        (&x * 1000.0).astype(DType::Int64),
        (&x * 1000.0).astype(DType::Int32),
        x.gt(0.0),
    ];
    for (i, array) in arrays.iter().enumerate() {
        for (j, codec) in [
            ZarrCodec::None,
            ZarrCodec::Zstd { level: 1 },
            ZarrCodec::Blosc { level: 5 },
        ]
        .into_iter()
        .enumerate()
        {
            let path = temp(&format!("a{i}-{j}.zarr"));
            array
                .to_zarr_with(
                    &path,
                    &ZarrOptions {
                        codec,
                        ..ZarrOptions::default()
                    },
                )
                .unwrap();
            assert!(path.join("zarr.json").exists(), "a v3 store");
            let back = from_zarr(&path).unwrap();
            assert_eq!(
                (back.dtype(), back.chunksize()),
                (array.dtype(), vec![64, 50])
            );
            assert_eq!(
                back.compute().unwrap(),
                array.compute().unwrap(),
                "{i} {codec:?}"
            );
        }
    }
}

#[test]
fn slices_and_rechunks_read_the_same_values() {
    let x = random::Rng::new(9).uniform(0.0, 1.0, [300, 200], [70, 90]);
    let path = temp("slices.zarr");
    x.to_zarr(&path).unwrap();
    let z = from_zarr(&path).unwrap();
    for index in [
        s![10..250;7, -3..].as_ref().to_vec(),
        s![-1, ..;-2].as_ref().to_vec(),
        s![5..6, NewAxis, 199].as_ref().to_vec(),
    ] {
        let lazy = z.slice(&index).unwrap();
        assert!(
            lazy.optimized().unwrap().plan().contains("from-zarr["),
            "{}",
            lazy.optimized().unwrap().plan()
        );
        assert_eq!(
            lazy.compute().unwrap(),
            x.slice(&index).unwrap().compute().unwrap(),
            "{index:?}"
        );
    }
    // other chunks sum in another order: equal to rounding
    let rechunked = z
        .rechunk([128, 128])
        .unwrap()
        .mean_axis(0)
        .unwrap()
        .compute()
        .unwrap()
        .to_vec::<f64>();
    let direct = x.mean_axis(0).unwrap().compute().unwrap().to_vec::<f64>();
    assert!(
        rechunked
            .iter()
            .zip(&direct)
            .all(|(a, b)| (a - b).abs() < 1e-14),
        "rechunked reads give the same means"
    );
}

#[test]
fn arrays_in_groups_written_by_zarrs_read_back() {
    use zarrs::array::{data_type, ArrayBuilder};
    let path = temp("group.zarr");
    std::fs::create_dir_all(&path).unwrap();
    let store = Arc::new(zarrs::filesystem::FilesystemStore::new(&path).unwrap());
    zarrs::group::GroupBuilder::new()
        .build(store.clone(), "/")
        .unwrap()
        .store_metadata()
        .unwrap();
    zarrs::group::GroupBuilder::new()
        .build(store.clone(), "/measurements")
        .unwrap()
        .store_metadata()
        .unwrap();
    let array = ArrayBuilder::new(vec![6, 4], vec![4, 3], data_type::float64(), -1.0f64)
        .build(store.clone(), "/measurements/t")
        .unwrap();
    array.store_metadata().unwrap();
    let values = ArrayD::from_shape_fn(ndarray::IxDyn(&[5, 4]), |i| (i[0] * 4 + i[1]) as f64);
    array.store_array_subset(&[0..5u64, 0..4], values).unwrap();
    let t = from_zarr_array(&path, "measurements/t").unwrap();
    assert_eq!(t.chunksize(), [4, 3]);
    let all = t.compute().unwrap().to_vec::<f64>();
    assert_eq!(&all[..4], [0.0, 1.0, 2.0, 3.0]);
    assert_eq!(
        &all[20..],
        [-1.0; 4],
        "the fill value where nothing was written"
    );
}

#[test]
fn bad_stores_are_errors_naming_the_store() {
    let missing = from_zarr(temp("missing.zarr")).unwrap_err().to_string();
    assert!(
        missing.contains("missing.zarr: no such Zarr store"),
        "{missing}"
    );

    let path = temp("exists.zarr");
    ones([10], 5).to_zarr(&path).unwrap();
    let again = ones([10], 5).to_zarr(&path).unwrap_err().to_string();
    assert!(again.contains("exists.zarr: already exists"), "{again}");
    zeros([10], 5)
        .to_zarr_with(
            &path,
            &ZarrOptions {
                overwrite: true,
                ..ZarrOptions::default()
            },
        )
        .unwrap();
    assert_eq!(
        from_zarr(&path)
            .unwrap()
            .sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        0.0
    );

    let wrong = from_zarr_array(&path, "no/such/array")
        .unwrap_err()
        .to_string();
    assert!(
        wrong.contains("exists.zarr: cannot open array \"/no/such/array\""),
        "{wrong}"
    );

    // a corrupted chunk: the computation fails with the store's name, nothing panics
    let corrupt = temp("corrupt.zarr");
    random::Rng::new(1)
        .normal(0.0, 1.0, [100], 50)
        .to_zarr(&corrupt)
        .unwrap();
    std::fs::write(corrupt.join("c").join("1"), b"not zstd").unwrap();
    let read = from_zarr(&corrupt)
        .unwrap()
        .sum()
        .unwrap()
        .compute()
        .unwrap_err()
        .to_string();
    assert!(
        read.contains("corrupt.zarr: array \"/\": cannot read chunk data"),
        "{read}"
    );

    // a failed write leaves nothing behind
    let failing = ones([10], 5)
        .map_blocks(|_: ndarray::ArrayViewD<f64>| -> ArrayD<f64> { panic!("boom") })
        .unwrap();
    assert!(failing.to_zarr(temp("failed.zarr")).is_err());
    assert!(!temp("failed.zarr").exists() && !temp("failed.zarr.partial").exists());
}
