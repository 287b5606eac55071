//! The real-workloads suite at a tiny scale: every workload's tessera code — the same
//! `bench/workloads/suite.rs` the benchmark times — runs on its `.npy` inputs (written by the
//! suite's own `prepare`) and its value is checked against the same computation done eagerly
//! with ndarray on the files read back by ndarray-npy, so a workload cannot silently compute
//! something else. Stored results go through `to_npy` as in the benchmark.

use ndarray::{concatenate, s, stack, ArrayD, Axis, Ix2, IxDyn};
use ndarray_npy::read_npy;
use tessera::prelude::{DType, Error, Result};

mod common;
#[path = "../bench/workloads/suite.rs"]
mod suite;

use suite::{Output, Scale, Workload};

fn read(path: &std::path::Path) -> ArrayD<f64> {
    read_npy(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The workload computed eagerly from its inputs, written independently of the suite's
/// expressions (the group means of `anom_mean` by `t % groups`, not by reshaping).
fn reference(w: &Workload, x: &[ArrayD<f64>]) -> ArrayD<f64> {
    let scalar = |v: f64| ArrayD::from_elem(IxDyn(&[]), v);
    match w.name {
        "basic_sum_thin" | "basic_sum_square" => x[0].sum_axis(Axis(1)),
        "double_diff" => (&x[0].slice(s![1.., 1..]) - &x[1].slice(s![..-1, ..-1])).into_dyn(),
        "dot_product" => {
            let a = x[0].view().into_dimensionality::<Ix2>().unwrap();
            scalar(a.dot(&a.t()).sum())
        }
        "vorticity" => {
            let pad = |a: &ArrayD<f64>| {
                concatenate(Axis(0), &[a.view(), a.slice(s![0..1, .., ..]).into_dyn()]).unwrap()
            };
            let column = |d: &ArrayD<f64>| d.clone().insert_axis(Axis(2));
            &column(&x[2]) * &pad(&x[0]) - &column(&x[3]) * &pad(&x[1])
        }
        "quadratic_mean" => {
            let mean = |a: ArrayD<f64>| a.mean_axis(Axis(0)).unwrap();
            let (u, v) = (&x[0], &x[1]);
            let means = [mean(u * u), mean(v * v), mean(u * v)];
            stack(
                Axis(0),
                &[means[0].view(), means[1].view(), means[2].view()],
            )
            .unwrap()
        }
        "anom_mean" => {
            let (rows, cols) = (x[0].shape()[0], x[0].shape()[1]);
            let groups = w.param("groups")[0] as usize;
            let mut climatology = ndarray::Array2::<f64>::zeros((groups, cols));
            for t in 0..rows {
                let mut g = climatology.row_mut(t % groups);
                g += &x[0].slice(s![t, ..]);
            }
            climatology /= (rows / groups) as f64;
            let mut anomaly = ndarray::Array1::<f64>::zeros(cols);
            for t in 0..rows {
                anomaly += &(&x[0].slice(s![t, ..]) - &climatology.row(t % groups));
            }
            (anomaly / rows as f64).into_dyn()
        }
        "rechunk_mean" => scalar(x[0].mean().unwrap()),
        "normalize_float32" => x[0].mapv(|v| ((v - 0.5) * 4.0).clamp(-1.0, 1.0) as f32 as f64),
        "nanmean_axis0" => x[0].map_axis(Axis(0), |column| {
            let numbers: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
            numbers.iter().sum::<f64>() / numbers.len() as f64
        }),
        other => panic!("no reference for workload {other}"),
    }
}

/// tessera's value: computed, or stored with `to_npy` and read back, as the benchmark does.
fn tessera_value(w: &Workload, dir: &std::path::Path) -> Result<ArrayD<f64>> {
    // float32 results (normalize_float32) read back as float64: the same values
    let result = w.expression(&w.open(dir)?)?.astype(DType::Float64);
    match w.output {
        Output::Compute => Ok(result.compute()?.into_ndarray::<f64>()),
        Output::ComputeRows => {
            let rows: Vec<ArrayD<f64>> = suite::compute_rows(&result)?
                .into_iter()
                .map(|row| row.into_ndarray::<f64>())
                .collect();
            let views: Vec<_> = rows.iter().map(|row| row.view()).collect();
            Ok(ndarray::stack(ndarray::Axis(0), &views).expect("rows of one shape"))
        }
        Output::Store => {
            let path = dir.join(format!("{}-result.npy", w.name));
            result.to_npy(&path)?;
            Ok(read(&path))
        }
    }
}

#[test]
fn every_workload_computes_what_ndarray_computes() -> Result<()> {
    let dir = common::temp_path("workloads", "inputs");
    let names = suite::names();
    assert_eq!(names.len(), 8, "{names:?}");
    assert_eq!(suite::dtype_names().len(), 2);
    for w in suite::all(Scale::Tiny)
        .into_iter()
        .chain(suite::dtypes(Scale::Tiny))
    {
        w.prepare(&dir)?;
        let inputs: Vec<ArrayD<f64>> = w
            .inputs
            .iter()
            .map(|i| read(&dir.join(i.file_name())))
            .collect();
        for (input, spec) in inputs.iter().zip(&w.inputs) {
            assert_eq!(input.shape(), spec.shape.as_slice(), "{}", spec.name);
        }
        let expected = reference(&w, &inputs);
        let got = tessera_value(&w, &dir)?;
        assert_eq!(got.shape(), expected.shape(), "{}", w.name);
        let scale = expected.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for (g, e) in got.iter().zip(&expected) {
            assert!(
                (g - e).abs() <= 1e-12 * scale,
                "{}: tessera {g}, ndarray {e}",
                w.name
            );
        }
    }
    Ok(())
}

#[test]
fn inputs_are_written_once_and_are_seeded() -> Result<()> {
    let dir = common::temp_path("workloads", "seeded");
    let w = suite::workload("dot_product", Scale::Tiny)?;
    assert_eq!(w.prepare(&dir)?.len(), 1);
    let first = read(&dir.join(w.inputs[0].file_name()));
    assert!(w.prepare(&dir)?.is_empty(), "a present input is reused");
    std::fs::remove_file(dir.join(w.inputs[0].file_name())).unwrap();
    w.prepare(&dir)?;
    assert_eq!(read(&dir.join(w.inputs[0].file_name())), first);
    assert!(first.iter().all(|v| (0.0..1.0).contains(v)));
    Ok(())
}

#[test]
fn an_unknown_workload_is_a_clear_error() {
    let err = suite::workload("median", Scale::Tiny)
        .err()
        .expect("an error");
    assert!(matches!(err, Error::InvalidArgument { .. }));
    let text = err.to_string();
    assert!(
        text.contains("unknown workload \"median\"") && text.contains("basic_sum_thin"),
        "{text}"
    );
}
