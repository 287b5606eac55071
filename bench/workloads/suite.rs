//! The real-workloads suite, tessera's side: each workload's inputs (shapes, chunks, seeds) at a
//! scale, and its expression, written once. The benchmark (`bench/workloads/main.rs`) and the
//! test of its values against ndarray (`tests/workloads.rs`) both include this file, so the
//! test checks the very code the benchmark times. The dask side (`bench/workloads/dask.py`)
//! reads the same specification from `bench_workloads describe NAME` (JSON).
//!
//! Where each workload comes from and how it is scaled: `bench/workloads/README.md`.
#![allow(dead_code)] // the benchmark and the test each use part of it

use std::path::{Path, PathBuf};

use tessera::io::from_npy;
use tessera::prelude::*;

/// How large the inputs are: the benchmark's (`Full`, a few GiB each) or the test's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Full,
    Tiny,
}

impl Scale {
    /// `TESSERA_BENCH_SCALE` (`full`, the default, or `tiny`).
    pub fn from_env() -> Result<Scale> {
        match std::env::var("TESSERA_BENCH_SCALE").as_deref() {
            Err(_) | Ok("full") => Ok(Scale::Full),
            Ok("tiny") => Ok(Scale::Tiny),
            Ok(other) => Err(Error::InvalidArgument {
                op: "bench_workloads",
                reason: format!("TESSERA_BENCH_SCALE is {other:?}, expected \"full\" or \"tiny\""),
            }),
        }
    }

    fn pick<T>(self, full: T, tiny: T) -> T {
        match self {
            Scale::Full => full,
            Scale::Tiny => tiny,
        }
    }
}

/// What happens to a workload's result: computed into memory (a reduction), or stored to an
/// `.npy` file because it is as large as the inputs (the originals write it to /dev/null).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Compute,
    Store,
    /// Computed as its rows along the first axis, in one pass (`tessera::compute` of the
    /// rows; dask computes its `stack` of them): several results of one read.
    ComputeRows,
}

/// `result`'s rows along its first axis computed in one pass ([`Output::ComputeRows`]).
pub fn compute_rows(result: &Array) -> Result<Vec<Computed>> {
    let rows = (0..result.shape()[0])
        .map(|k| result.slice(s![k]))
        .collect::<Result<Vec<_>>>()?;
    tessera::compute(&rows.iter().collect::<Vec<_>>())
}

/// One input file: float64 uniform on [0, 1), seeded, read in `chunks` (`-1`: the whole axis),
/// with a fraction `nan` of its elements NaN (missing values; 0 for most inputs).
#[derive(Clone, Debug)]
pub struct Input {
    pub name: &'static str,
    pub shape: Vec<usize>,
    pub chunks: Vec<i64>,
    pub seed: u64,
    pub nan: f64,
}

impl Input {
    /// The file's name: the input's name and shape, so workloads that read the same data (the
    /// two `basic_sum`s) share it and a change of scale writes a new file.
    pub fn file_name(&self) -> String {
        let dims: Vec<String> = self.shape.iter().map(usize::to_string).collect();
        format!("{}-{}.npy", self.name, dims.join("x"))
    }
}

/// One workload: its inputs, the integer parameters its expression uses (the dask side reads
/// them too), what is done with its result, and how equal the two engines' values must be.
pub struct Workload {
    pub name: &'static str,
    pub inputs: Vec<Input>,
    pub params: Vec<(&'static str, Vec<i64>)>,
    pub output: Output,
    /// The memory budget tessera runs with (`None`: the default, 60% of RAM).
    pub budget: Option<usize>,
    /// Values equal: `max |tessera - dask| <= tolerance * max(1, max |dask|)` over the result.
    pub tolerance: f64,
    expression: fn(&Workload, &[Array]) -> Result<Array>,
}

/// Workloads the suite lists but cannot run yet: the operation each one needs.
pub const PENDING: &[(&str, &str)] = &[
    (
        "median_stack",
        "median along a stacked axis (dask issue 7780): needs `median`",
    ),
    (
        "map_overlap_sample",
        "map_overlap(depth=1) then a 10×10 slice (Napari): needs `map_overlap`",
    ),
];

impl Workload {
    /// The integer parameter `key` (every workload's keys are fixed below).
    pub fn param(&self, key: &str) -> &[i64] {
        let found = self.params.iter().find(|(k, _)| *k == key);
        &found
            .unwrap_or_else(|| panic!("{} has no parameter {key}", self.name))
            .1
    }

    /// The inputs read lazily from their files in `dir`, in the workload's chunks.
    pub fn open(&self, dir: &Path) -> Result<Vec<Array>> {
        let read = |i: &Input| from_npy(dir.join(i.file_name()), i.chunks.clone());
        self.inputs.iter().map(read).collect()
    }

    /// The workload's result, lazy: its expression over `inputs` (as [`Workload::open`] gives).
    pub fn expression(&self, inputs: &[Array]) -> Result<Array> {
        (self.expression)(self, inputs)
    }

    /// Writes the inputs missing from `dir` (seeded, so the same files every time); returns
    /// the paths written.
    pub fn prepare(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut written = Vec::new();
        for input in &self.inputs {
            let path = dir.join(input.file_name());
            if !path.exists() {
                let rng = random::Rng::new(input.seed);
                let values = rng.uniform(0.0, 1.0, input.shape.clone(), "auto");
                if input.nan > 0.0 {
                    let holes = rng.uniform(0.0, 1.0, input.shape.clone(), "auto");
                    where_(&holes.lt(input.nan), f64::NAN, &values).to_npy(&path)?;
                } else {
                    values.to_npy(&path)?;
                }
                written.push(path);
            }
        }
        Ok(written)
    }

    /// The specification as JSON, for the dask side.
    pub fn describe(&self) -> String {
        let inputs: Vec<serde_json::Value> = self
            .inputs
            .iter()
            .map(|i| {
                serde_json::json!({
                    "name": i.name, "file": i.file_name(), "shape": i.shape, "chunks": i.chunks,
                })
            })
            .collect();
        let params: serde_json::Map<String, serde_json::Value> = self
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect();
        serde_json::json!({
            "name": self.name,
            "inputs": inputs,
            "params": params,
            "output": match self.output {
                Output::Compute | Output::ComputeRows => "compute",
                Output::Store => "store",
            },
            "budget": self.budget,
            "tolerance": self.tolerance,
        })
        .to_string()
    }
}

/// The workload called `name`, at `scale` (of either group).
pub fn workload(name: &str, scale: Scale) -> Result<Workload> {
    all(scale)
        .into_iter()
        .chain(dtypes(scale))
        .find(|w| w.name == name)
        .ok_or_else(|| Error::InvalidArgument {
            op: "bench_workloads",
            reason: format!(
                "unknown workload {name:?}; the workloads are {}",
                names().join(", ")
            ),
        })
}

/// Every runnable workload's name, in the order the suite runs them.
pub fn names() -> Vec<&'static str> {
    all(Scale::Tiny).iter().map(|w| w.name).collect()
}

/// The names of the dtypes-and-missing-values workloads (`bench/run --dtypes`).
pub fn dtype_names() -> Vec<&'static str> {
    dtypes(Scale::Tiny).iter().map(|w| w.name).collect()
}

fn input(name: &'static str, shape: Vec<usize>, chunks: Vec<i64>, seed: u64) -> Input {
    Input {
        name,
        shape,
        chunks,
        seed,
        nan: 0.0,
    }
}

/// issue 19's targets: a fused normalisation to float32 stored to `.npy` over a 4 GiB float64
/// input (dask's "auto" chunks of it, 128 MiB), and `nanmean(axis=0)` of a (20000, 20000)
/// float64 input with 10% NaN in chunks of 2000².
pub fn dtypes(scale: Scale) -> Vec<Workload> {
    let s = |full: usize, tiny: usize| scale.pick(full, tiny);
    let c = |full: i64, tiny: i64| scale.pick(full, tiny);
    vec![
        Workload {
            name: "normalize_float32",
            inputs: vec![input(
                "norm_x",
                vec![s(16384, 40), s(32768, 30)],
                vec![c(512, 7), -1],
                13,
            )],
            params: vec![],
            output: Output::Store,
            budget: None,
            tolerance: 0.0,
            expression: |_, x| Ok(((&x[0] - 0.5) * 4.0).clip(-1.0, 1.0).astype(DType::Float32)),
        },
        Workload {
            name: "nanmean_axis0",
            inputs: vec![Input {
                nan: 0.1,
                ..input(
                    "nanmean_x",
                    vec![s(20000, 40), s(20000, 30)],
                    vec![c(2000, 7), c(2000, 6)],
                    14,
                )
            }],
            params: vec![],
            output: Output::Compute,
            budget: None,
            tolerance: 1e-12,
            expression: |_, x| x[0].nanmean_axis(0),
        },
    ]
}

/// Every runnable workload at `scale`. Full sizes: each input 0.5–2 GiB (the suite reads
/// ~13.5 GiB of files in all), chosen so the whole suite runs in minutes on 2 cores.
pub fn all(scale: Scale) -> Vec<Workload> {
    let s = |full: usize, tiny: usize| scale.pick(full, tiny);
    let c = |full: i64, tiny: i64| scale.pick(full, tiny);
    // basic_sum: 2 GiB, twice the 1 GiB budget tessera runs it with; 256 thin chunks
    // (-1, 1) or 4096 square ones, as many as the original's 3925 / 3913.
    let basic_sum = |name, chunks| Workload {
        name,
        inputs: vec![input(
            "basic_sum",
            vec![s(1 << 20, 64), s(256, 16)],
            chunks,
            1,
        )],
        params: vec![],
        output: Output::Compute,
        budget: scale.pick(Some(1 << 30), None),
        tolerance: 1e-12,
        expression: |_, x| x[0].sum_axis(1),
    };
    // vorticity: n×n planes, t of them
    let (n, t) = (s(5000, 9), s(6, 3));
    // double_diff: dask's "20MiB" chunks of float64 (`da.empty(shape, chunks="20MiB").chunksize`)
    let dd = |name, seed| {
        let shape = vec![s(12288, 37), s(12288, 29)];
        input(name, shape, vec![c(1619, 7), c(1619, 6)], seed)
    };
    let quad = |name, seed| {
        let shape = vec![s(100, 12), 1, s(987, 5), s(1920, 6)];
        input(name, shape, vec![c(10, 5), 1, -1, -1], seed)
    };
    let (rows, groups) = (s(300, 12), s(3, 3)); // anom_mean
    vec![
        basic_sum("basic_sum_thin", vec![-1, 1]),
        basic_sum("basic_sum_square", vec![c(256, 8), c(256, 8)]),
        Workload {
            name: "double_diff",
            inputs: vec![dd("dd_a", 2), dd("dd_b", 3)],
            params: vec![],
            output: Output::Store,
            budget: None,
            tolerance: 0.0,
            expression: |_, x| Ok(x[0].slice(s![1.., 1..])? - x[1].slice(s![..-1, ..-1])?),
        },
        Workload {
            name: "dot_product",
            inputs: vec![input(
                "dot_a",
                vec![s(8192, 30), s(8192, 20)],
                vec![c(4096, 8), c(4096, 6)],
                4,
            )],
            params: vec![],
            output: Output::Compute,
            budget: None,
            tolerance: 1e-12,
            expression: |_, x| x[0].dot(&x[0].t())?.sum(),
        },
        Workload {
            name: "vorticity",
            inputs: vec![
                input("vort_u", vec![n, n, t], vec![-1, -1, 1], 5),
                input("vort_v", vec![n, n, t], vec![-1, -1, 1], 6),
                input("vort_dx", vec![n + 1, n], vec![-1, -1], 7),
                input("vort_dy", vec![n + 1, n], vec![-1, -1], 8),
            ],
            params: vec![],
            output: Output::Store,
            budget: None,
            // two products and a difference: one rounding apart where a kernel fuses them
            tolerance: 1e-15,
            expression: vorticity,
        },
        Workload {
            name: "quadratic_mean",
            inputs: vec![quad("quad_u", 9), quad("quad_v", 10)],
            params: vec![],
            output: Output::ComputeRows,
            budget: None,
            tolerance: 1e-12,
            expression: |_, x| {
                let (u, v) = (&x[0], &x[1]);
                let means = [
                    (u * u).mean_axis(0)?,
                    (v * v).mean_axis(0)?,
                    (u * v).mean_axis(0)?,
                ];
                stack(&means, 0)
            },
        },
        Workload {
            name: "anom_mean",
            inputs: vec![input("anom", vec![rows, s(655360, 10)], vec![1, -1], 11)],
            params: vec![("groups", vec![groups as i64])],
            output: Output::Compute,
            // the anomaly's mean is rounding noise around 0: compared against the inputs'
            // scale (1), not its own
            budget: None,
            tolerance: 1e-12,
            expression: anom_mean,
        },
        Workload {
            name: "rechunk_mean",
            inputs: vec![input(
                "rechunk",
                vec![s(1000, 40), s(250000, 30)],
                vec![c(10, 2), -1],
                12,
            )],
            params: vec![("target", vec![c(100, 10), c(250, 3)])],
            output: Output::Compute,
            budget: None,
            tolerance: 1e-12,
            expression: |w, x| x[0].rechunk(w.param("target").to_vec())?.mean(),
        },
    ]
}

/// `dx[..., None] * pad(u) - dy[..., None] * pad(v)`, where `pad` appends u's first row after
/// its last (numpy's `pad(mode="wrap")` by one row on axis 0, as the original) and merges the
/// one-row chunk back in.
fn vorticity(_: &Workload, x: &[Array]) -> Result<Array> {
    let pad = |a: &Array| -> Result<Array> {
        let wrapped = a.pad([(0, 1), (0, 0), (0, 0)], PadMode::Wrap)?;
        wrapped.rechunk([-1, -1, 1])
    };
    let column = |d: &Array| d.reshape([d.shape()[0], d.shape()[1], 1]);
    Ok(column(&x[2])? * pad(&x[0])? - column(&x[3])? * pad(&x[1])?)
}

/// The mean over time of each time step's anomaly from its group's mean, where step `t` is in
/// group `t % groups` (xarray's `groupby("day")` on interleaved days), written with `reshape`:
/// `(rows, x)` as `(rows / groups, groups, x)` puts each group on the middle axis.
fn anom_mean(w: &Workload, x: &[Array]) -> Result<Array> {
    let (rows, cols) = (x[0].shape()[0], x[0].shape()[1]);
    let groups = w.param("groups")[0] as usize;
    let by_group = x[0].reshape([rows / groups, groups, cols])?;
    let climatology = by_group.mean_axis(0)?;
    (by_group - climatology).reshape([rows, cols])?.mean_axis(0)
}
