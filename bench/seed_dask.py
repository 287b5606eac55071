"""One seed workload in dask (or eager numpy), timed, with its memory: the Python half of
bench/run. Prints one JSON line like bench/seed.rs.

    python bench/seed_dask.py WORKLOAD [REPEATS] [--numpy]
"""

import json
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


WORKLOADS = {
    "mean0-100-square": lambda: da.random.normal(size=(10000, 10000), chunks=(1000, 1000)).mean(axis=0)[0:100].compute()[0],
    "mean0-100-columns": lambda: da.random.normal(size=(10000, 10000), chunks=(10000, 100)).mean(axis=0)[0:100].compute()[0],
    "sum": lambda: da.random.normal(size=(10000, 10000), chunks=(1000, 1000)).sum().compute(),
    "huge-mean": lambda: da.random.uniform(size=(150000, 10000), chunks=(10000, 10000)).mean().compute(),
}

NUMPY = {
    "mean0-100-square": lambda: np.random.normal(size=(10000, 10000)).mean(axis=0)[0:100][0],
    "sum": lambda: np.random.normal(size=(10000, 10000)).sum(),
}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    name = args[0]
    repeats = int(args[1]) if len(args) > 1 else 3
    table = NUMPY if "--numpy" in sys.argv else WORKLOADS
    dask.config.set(scheduler="threads")
    baseline = rss_mib()
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = table[name]()
        best = min(best, time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"workload": name, "best_s": best, "peak_mib": peak, "baseline_mib": baseline, "value": float(value)}))


if __name__ == "__main__":
    main()
