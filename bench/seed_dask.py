"""One seed workload in dask (or eager numpy), timed, with its CPU time and memory: the Python
half of bench/run. Prints one JSON line like bench/seed.rs.

    python bench/seed_dask.py WORKLOAD [REPEATS]

`huge_mean` (1.1 TB) would take dask many minutes here: it is projected from the time of its
first 20 chunks (the array has 1,500 chunks of the same size, reduced the same way), and the
JSON says so ("projected_from_chunks").
"""

import json
import os
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np
from measure import cpu_s, rss_mib

HUGE_CHUNKS, SAMPLE_CHUNKS = 1500, 20


def huge_sample():
    huge = da.random.uniform(size=(1500000, 100000), chunks=(10000, 10000))
    # the first 20 chunks: two rows of chunks (10 chunks across each)
    return huge[: 2 * 10000].mean().compute()


WORKLOADS = {
    "f_numpy": lambda: np.random.normal(size=(10000, 10000)).mean(axis=0)[0:100][0],
    "f_dask": lambda: da.random.normal(size=(10000, 10000), chunks=(1000, 1000)).mean(axis=0)[0:100].compute()[0],
    "f_dask2": lambda: da.random.normal(size=(10000, 10000), chunks=(10000, 100)).mean(axis=0)[0:100].compute()[0],
    "sum": lambda: da.random.normal(size=(10000, 10000), chunks=(1000, 1000)).sum().compute(),
    "mean_axis0": lambda: da.random.normal(size=(10000, 10000), chunks=(1000, 1000)).mean(axis=0).compute()[0],
    "huge_mean": huge_sample,
    "zarr_mean": lambda: da.from_zarr(os.environ.get("TESSERA_BENCH_ZARR", "bench/data/normal-8gib.zarr")).mean().compute(),
}


def main():
    name = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    dask.config.set(scheduler="threads")
    baseline = rss_mib()
    wall, cpu, value = float("inf"), 0.0, None
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), cpu_s()
        value = WORKLOADS[name]()
        elapsed = time.perf_counter() - start
        if elapsed < wall:
            wall, cpu = elapsed, cpu_s() - cpu_start
    result = {"workload": name, "wall_s": wall, "cpu_s": cpu, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "baseline_mib": baseline, "value": float(value)}
    if name == "huge_mean":
        scale = HUGE_CHUNKS / SAMPLE_CHUNKS
        result.update(wall_s=wall * scale, cpu_s=cpu * scale, projected_from_chunks=SAMPLE_CHUNKS)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
