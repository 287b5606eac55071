#!/usr/bin/env python3
"""Issue 23's plot targets, tessera against matplotlib and dask in the same run, each
measurement in a fresh process:

* imshow of normal([100000, 100000], [10000, 10000]) (80 GB lazy) to a PNG: wall and peak RSS;
* an overview of an 8 GiB Zarr store (written first, in its own process): wall, peak, and
  the number of store chunks decoded (each once);
* a 100-bin histogram of 1e9 lazy normals (tessera, with a range and without; dask's
  da.histogram with a range), and matplotlib's plt.hist on a computed numpy array of 1e8
  (1e9 float64 would take 8 GB of a machine shared by several; its time is per element, so
  the 1e9 figure is 10x that, said as such).

    PYTHONPATH=<matplotlib> .venv/bin/python bench/plot.py [--no-zarr]
"""
import json
import subprocess
import sys
import time

RUST = ["target/release/examples/bench_plot"]


def rust(name):
    out = subprocess.run(RUST + [name], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


PY = {
    "matplotlib_hist_1e8": """
import time, numpy as np, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
x = np.random.default_rng(1).standard_normal(100_000_000)
t = time.perf_counter(); plt.hist(x, 100, range=(-5, 5)); print(time.perf_counter() - t)
""",
    "dask_hist_1e9": """
import time, dask.array as da
x = da.random.normal(0, 1, 1_000_000_000, chunks=10_000_000)
t = time.perf_counter(); da.histogram(x, 100, range=(-5, 5))[0].compute(); print(time.perf_counter() - t)
""",
}


def python(name):
    out = subprocess.run([sys.executable, "-c", PY[name]], check=True, capture_output=True,
                         text=True).stdout
    return float(out.strip().splitlines()[-1])


def main():
    # The feature set of the workspace's test builds, so nothing else is rebuilt.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--workspace", "--features",
                    "tessera/distributed", "--example", "bench_plot"], check=True)
    names = ["imshow", "hist_1e8", "hist_1e9", "hist_1e9_auto", "zarr_write", "zarr_overview"]
    # `bench/plot.py --no-zarr` leaves out the 8 GiB store (minutes of disk writing and reading).
    if "--no-zarr" in sys.argv[1:]:
        names = [n for n in names if not n.startswith("zarr")]
    results = {name: rust(name) for name in names}
    for name in PY:
        results[name] = {"wall_s": python(name)}
    for name, r in results.items():
        print(f"{name:22s} {r['wall_s']:8.3f} s" + (f"  peak {r['peak_mib']:.0f} MiB"
                                                    if "peak_mib" in r else ""))
    mpl = results["matplotlib_hist_1e8"]["wall_s"]
    print(f"hist 1e8: matplotlib / tessera = {mpl / results['hist_1e8']['wall_s']:.1f}x")
    print(f"hist 1e9: matplotlib (10 x its 1e8 time) / tessera = "
          f"{10 * mpl / results['hist_1e9']['wall_s']:.1f}x")
    print(f"hist 1e9: dask / tessera = "
          f"{results['dask_hist_1e9']['wall_s'] / results['hist_1e9']['wall_s']:.1f}x")


if __name__ == "__main__":
    main()
