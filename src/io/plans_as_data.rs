//! A plan that reads files is plain data: serialized, sent, deserialized, optimized and
//! lowered while its files do not exist (nothing opens a file before execution), and computing
//! it then is an error naming the missing path; with the files back, the same values.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::expr::Node;
use crate::formats::touch_later;
use crate::prelude::*;

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("tessera-plan-data-{}-{name}", std::process::id()))
}

/// Serializes `array`'s plan with `moved` renamed away, then deserializes, optimizes and lowers
/// it and checks the missing-file error; puts the file back and checks the values.
fn round_trip_without(array: &Array, moved: &Path) {
    let expected = array.compute().unwrap();
    let text = serde_json::to_string(&**array.node().unwrap()).unwrap();
    let away = moved.with_extension("away");
    std::fs::rename(moved, &away).unwrap();

    let node: Node = serde_json::from_str(&text).expect("deserializing touches no file");
    let node = Arc::new(node);
    let optimized = crate::optimize::optimize(&node).expect("optimizing touches no file");
    let graph = crate::graph::lower::lower_node(&optimized);
    assert!(!graph.tasks.is_empty());
    let error = crate::exec::compute(&node, &()).unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error}");
    assert!(
        error.to_string().contains(&*moved.to_string_lossy()),
        "the error names the path: {error}"
    );

    std::fs::rename(&away, moved).unwrap();
    assert_eq!(crate::exec::compute(&node, &()).unwrap(), expected);
}

#[test]
fn an_npy_plan_round_trips_without_its_file() {
    let path = temp("a.npy");
    arange(0.0, 60.0, 1.0, 60)
        .reshape([6, 10])
        .unwrap()
        .to_npy(&path)
        .unwrap();
    let a = crate::io::from_npy(&path, [4, 3]).unwrap();
    let computation = (&a * 2.0).sum_axis(0).unwrap().slice(s![1..8;3]).unwrap();
    round_trip_without(&computation, &path);
    assert_eq!(
        computation.compute().unwrap().to_vec::<f64>(),
        [312.0, 348.0, 384.0]
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_zarr_plan_round_trips_without_its_store() {
    let path = temp("b.zarr");
    let _ = std::fs::remove_dir_all(&path);
    arange(0, 40, 1, 7)
        .reshape([5, 8])
        .unwrap()
        .rechunk([2, 3])
        .unwrap()
        .to_zarr(&path)
        .unwrap();
    let z = crate::io::from_zarr(&path).unwrap();
    let computation = z.slice(s![1.., ..;-2]).unwrap().sum_axis(1).unwrap();
    round_trip_without(&computation, &path);
    assert_eq!(
        computation.compute().unwrap().to_vec::<i64>(),
        [48, 80, 112, 144]
    );
    std::fs::remove_dir_all(&path).unwrap();
}

#[test]
fn a_file_replaced_by_another_shape_is_an_error_naming_it() {
    let path = temp("c.npy");
    ones([4], 2).to_npy(&path).unwrap();
    let a = crate::io::from_npy(&path, 2).unwrap();
    assert_eq!(
        a.sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        4.0
    );
    ones([5], 2).to_npy(&path).unwrap();
    touch_later(&path);
    let error = a.sum().unwrap().compute().unwrap_err().to_string();
    assert!(
        error.contains(&*path.to_string_lossy()) && error.contains("changed"),
        "{error}"
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_store_rewritten_with_another_shape_is_an_error_naming_it() {
    let path = temp("d.zarr");
    let _ = std::fs::remove_dir_all(&path);
    ones([4], 2).to_zarr(&path).unwrap();
    let z = crate::io::from_zarr(&path).unwrap();
    assert_eq!(
        z.sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        4.0
    );
    let options = crate::io::ZarrOptions {
        overwrite: true,
        ..Default::default()
    };
    ones([5], 2).to_zarr_with(&path, &options).unwrap();
    touch_later(&path.join("zarr.json"));
    let error = z.sum().unwrap().compute().unwrap_err().to_string();
    assert!(
        error.contains(&*path.to_string_lossy()) && error.contains("changed"),
        "{error}"
    );
    std::fs::remove_dir_all(&path).unwrap();
}
