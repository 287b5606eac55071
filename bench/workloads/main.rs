//! The real workloads in tessera, one a process: the Rust half of `bench/run --workloads`
//! (`bench/workloads/report.py` drives it and the dask half, `bench/workloads/dask.py`).
//!
//! ```text
//! bench_workloads list                      the runnable workloads, one a line
//! bench_workloads pending                   the ones waiting for an operation (JSON lines)
//! bench_workloads describe NAME             the workload's inputs and parameters (JSON)
//! bench_workloads prepare NAME DATA_DIR     writes its missing input files (seeded)
//! bench_workloads run NAME DATA_DIR OUT     computes it, writes the result to OUT (.npy)
//! bench_workloads explain NAME DATA_DIR     its plan before and after optimization
//! ```
//!
//! Sizes: `TESSERA_BENCH_SCALE=full` (default) or `tiny`. `run` prints one JSON line:
//! `{"workload", "wall_s", "cpu_s", "peak_mib", "baseline_mib"}` — wall and CPU time (all
//! threads) of the computation (for a result that is stored, writing it is the computation; a
//! small result is written to OUT after the clock stops), the process's peak resident memory
//! (VmHWM) and its resident memory before the computation, and `setup_s`, the time to open the
//! inputs and build the expression (not in `wall_s`) — or `{"workload", "error"}` when tessera
//! refuses or fails.

use std::path::Path;
use std::time::Instant;

use tessera::prelude::*;

mod suite;

use suite::{Output, Scale, Workload};

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1048576.0
}

/// User + system CPU seconds of the whole process so far.
fn cpu_seconds() -> f64 {
    let (user, sys) = tessera::profile::cpu_times();
    (user + sys).as_secs_f64()
}

/// Runs `workload` on the inputs in `dir`; the JSON line to print.
fn run(workload: &Workload, dir: &Path, out: &Path) -> Result<String> {
    if let Some(bytes) = workload.budget {
        tessera::config::set_memory_budget(bytes);
    }
    let setup = Instant::now();
    let result = workload.expression(&workload.open(dir)?)?;
    let setup = setup.elapsed().as_secs_f64();
    let baseline = mib(tessera::profile::resident_bytes());
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let computed = match workload.output {
        Output::Store => {
            result.to_npy(out)?;
            None
        }
        Output::Compute => Some(result.compute()?.to_vec::<f64>()),
        Output::ComputeRows => {
            let rows = suite::compute_rows(&result)?;
            Some(rows.iter().flat_map(|row| row.to_vec::<f64>()).collect())
        }
    };
    let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu_start);
    let peak = mib(tessera::profile::peak_resident_bytes().unwrap_or(0));
    if let Some(values) = computed {
        // flat, so a scalar is a one-element file like any other
        let flat: Vec<f64> = values;
        let len = flat.len().max(1);
        from_array(ndarray::Array1::from(flat), len).to_npy(out)?;
    }
    let line = serde_json::json!({
        "workload": workload.name, "wall_s": wall, "cpu_s": cpu, "peak_mib": peak,
        "baseline_mib": baseline, "setup_s": setup,
    });
    Ok(line.to_string())
}

fn usage() -> Error {
    Error::InvalidArgument {
        op: "bench_workloads",
        reason: "usage: bench_workloads list [dtypes] | pending | describe NAME \
                 | prepare NAME DATA_DIR \
                 | run NAME DATA_DIR OUT | explain NAME DATA_DIR"
            .into(),
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let scale = Scale::from_env()?;
    match args.as_slice() {
        ["list"] => suite::names().iter().for_each(|name| println!("{name}")),
        ["list", "dtypes"] => suite::dtype_names()
            .iter()
            .for_each(|name| println!("{name}")),
        ["pending"] => suite::PENDING.iter().for_each(|(name, needs)| {
            println!("{}", serde_json::json!({"workload": name, "needs": needs}))
        }),
        ["describe", name] => println!("{}", suite::workload(name, scale)?.describe()),
        ["prepare", name, dir] => {
            for path in suite::workload(name, scale)?.prepare(Path::new(dir))? {
                eprintln!("wrote {}", path.display());
            }
        }
        ["explain", name, dir] => {
            let workload = suite::workload(name, scale)?;
            print!(
                "{}",
                workload
                    .expression(&workload.open(Path::new(dir))?)?
                    .explain()
            );
        }
        ["run", name, dir, out] => {
            let workload = suite::workload(name, scale)?;
            match run(&workload, Path::new(dir), Path::new(out)) {
                Ok(line) => println!("{line}"),
                Err(error) => println!(
                    "{}",
                    serde_json::json!({"workload": name, "error": error.to_string()})
                ),
            }
        }
        _ => return Err(usage()),
    }
    Ok(())
}
