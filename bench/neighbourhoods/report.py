#!/usr/bin/env python3
"""Issue 22's neighbourhood workloads, tessera against dask in the same run: runs the Rust half
(`cargo run --release --example bench_neighbourhoods`) and the same workload in dask (threaded
scheduler, every core), each in a fresh process, and prints one line per workload with the
ratio dask / tessera of the best of REPEATS.

    .venv/bin/python bench/neighbourhoods/report.py [REPEATS]
"""
import json
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKLOADS = ["map_overlap_sample"]


def dask_workload(name):
    import dask.array as da
    if name == "map_overlap_sample":
        # coiled/benchmarks tests/benchmarks/test_array.py::test_map_overlap_sample
        x = da.random.random((10000, 10000), chunks=(50, 50))
        y = x.map_overlap(lambda b: b, depth=1, boundary="reflect")
        return float(y[5000:5010, 5000:5010].compute()[0, 0])
    raise ValueError(name)


def run_dask(name, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        dask_workload(name)
        times.append(time.perf_counter() - start)
    return {"best_s": min(times), "median_s": statistics.median(times)}


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if len(sys.argv) > 2 and sys.argv[2] == "--dask":
        print(json.dumps(run_dask(sys.argv[3], repeats)))
        return
    for name in WORKLOADS:
        ours = json.loads(subprocess.run(
            ["cargo", "run", "--release", "--quiet", "--example", "bench_neighbourhoods", "--",
             name, str(repeats)], cwd=ROOT, check=True, capture_output=True,
            text=True).stdout)
        theirs = json.loads(subprocess.run(
            [sys.executable, __file__, str(repeats), "--dask", name], check=True,
            capture_output=True, text=True).stdout)
        print(f"{name}: tessera {ours['best_s'] * 1e3:.1f} ms (median "
              f"{ours['median_s'] * 1e3:.1f}), dask {theirs['best_s'] * 1e3:.1f} ms (median "
              f"{theirs['median_s'] * 1e3:.1f}): dask / tessera "
              f"{theirs['best_s'] / ours['best_s']:.1f}x")


if __name__ == "__main__":
    main()
