"""tessera-on-dask vs dask itself on the same dask.distributed LocalCluster (2 worker
processes, one thread each): the seed's sum() and the first 20 chunks of the 1.1 TB mean.
Prints JSON lines {"workload", "tessera_s", "dask_s", "ratio"}; bench/report.py shows them.

    python bench/cluster.py [REPEATS]
"""

import json
import os
import subprocess
import sys
import time

import dask.array as da
from distributed import Client, LocalCluster

WORKLOADS = {
    "sum": lambda: da.random.normal(size=(10000, 10000), chunks=(1000, 1000)).sum(),
    "huge_mean_20": lambda: da.random.uniform(size=(1_500_000, 100_000), chunks=(10_000, 10_000))[:20000].mean(),
}


def best(repeats, run):
    run()  # warm
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, silence_logs=50, dashboard_address=None) as cluster, Client(cluster) as client:
        for name, build in WORKLOADS.items():
            dask_s = best(repeats, lambda: build().compute())
            out = subprocess.run(
                ["target/release/examples/bench_cluster", cluster.scheduler_address, name, str(repeats)],
                check=True, capture_output=True, text=True, env={**os.environ, "TESSERA_PYTHON": sys.executable},
            ).stdout
            tessera_s = json.loads(out.strip().splitlines()[-1])["wall_s"]
            print(json.dumps({"workload": name, "tessera_s": tessera_s, "dask_s": dask_s, "ratio": dask_s / tessera_s}), flush=True)


if __name__ == "__main__":
    main()
