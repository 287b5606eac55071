#!/usr/bin/env python3
"""Issue 21's scan workload, tessera against dask and numpy in the same run: runs the Rust half
(the built `bench_order` example) and the same workload in dask (threaded scheduler, every
core) and numpy, and prints one line per workload with the ratios dask / tessera and
numpy / tessera of the best of REPEATS.

    .venv/bin/python bench/order/report.py [REPEATS [WORKLOAD ...]]

Every workload generates its input, `x` (20000, 5000) float64 uniform in (2000, 1000) chunks
(1e8 elements; numpy holds it whole), inside the timed region; see bench/order/main.rs.
"""
import json
import pathlib
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKLOADS = ["cumsum_axis0", "cumsum_axis1", "diff_axis0", "gradient_axis0", "sum"]
SHAPE, CHUNKS = (20000, 5000), (2000, 1000)


def dask_workload(name):
    import dask.array as da
    x = da.random.random(SHAPE, chunks=CHUNKS)
    if name == "cumsum_axis0":
        return float(x.cumsum(axis=0)[-1].compute()[0])
    if name == "cumsum_axis1":
        return float(x.cumsum(axis=1)[:, -1].compute()[0])
    if name == "diff_axis0":
        return float(da.diff(x, axis=0).sum().compute())
    if name == "gradient_axis0":
        return float(da.gradient(x, 0.5, axis=0).sum().compute())
    if name == "sum":
        return float(x.sum().compute())
    raise ValueError(name)


def numpy_workload(name):
    x = np.random.default_rng(0).random(SHAPE)
    if name == "cumsum_axis0":
        return float(np.cumsum(x, axis=0)[-1][0])
    if name == "cumsum_axis1":
        return float(np.cumsum(x, axis=1)[:, -1][0])
    if name == "diff_axis0":
        return float(np.diff(x, axis=0).sum())
    if name == "gradient_axis0":
        return float(np.gradient(x, 0.5, axis=0).sum())
    if name == "sum":
        return float(x.sum())
    raise ValueError(name)


def timed(f, name, repeats):
    """Best and median wall time, and the CPU time (all threads) of the best run."""
    runs = []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        f(name)
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    best = min(runs)
    return {"best_s": best[0], "cpu_s": best[1],
            "median_s": statistics.median(r[0] for r in runs)}


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    names = sys.argv[2:] or WORKLOADS
    binary = ROOT / "target/release/examples/bench_order"
    for name in names:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run([str(binary), name, str(repeats)], check=True,
                             capture_output=True, text=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        tessera = json.loads(out.strip().splitlines()[-1])
        # the mean CPU time of a run (all threads; the child's rusage covers every repeat)
        tessera["cpu_s"] = (after.ru_utime + after.ru_stime - before.ru_utime
                            - before.ru_stime) / repeats
        dask = timed(dask_workload, name, repeats)
        numpy = timed(numpy_workload, name, repeats)
        print(json.dumps({
            "workload": name, "tessera_s": tessera["best_s"], "dask_s": dask["best_s"],
            "numpy_s": numpy["best_s"], "tessera_cpu_s": tessera["cpu_s"],
            "dask_cpu_s": dask["cpu_s"], "numpy_cpu_s": numpy["cpu_s"],
            "dask_over_tessera": dask["best_s"] / tessera["best_s"],
            "numpy_over_tessera": numpy["best_s"] / tessera["best_s"],
            "dask_over_tessera_cpu": dask["cpu_s"] / tessera["cpu_s"],
        }), flush=True)


if __name__ == "__main__":
    main()
