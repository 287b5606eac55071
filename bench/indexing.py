#!/usr/bin/env python3
"""Issue 20's indexing workloads, tessera against dask in the same run (threaded scheduler,
every core, as tessera's pool). Writes the inputs into DIR once (then reuses them), runs each
engine in a fresh process, prints wall and CPU times (all threads; on a shared machine the
CPU time is the steadier), the ratios dask / tessera, tessera's task count
against the input's chunk count, and checks that both give the same value.

    .venv/bin/python bench/indexing.py DIR [REPEATS] [--masked-size N] [--only a,b]

Sizes are the issue's, except `masked_sum`'s input (default 1e8 elements, 0.8 GB, instead of
1e9: the disk and time of this shared machine; --masked-size changes it).
"""
import json
import pathlib
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "target/release/examples/bench_indexing"


def prepare(d, masked_size):
    d.mkdir(parents=True, exist_ok=True)
    if not (d / "idx.npy").exists():
        rng = np.random.default_rng(20)
        np.save(d / "idx.npy", rng.integers(0, 10_000_000, 1_000_000))
    if not (d / "rows.npy").exists():
        write(d / "rows.npy", (10_000_000, 16), 22)
    x = d / "x.npy"
    if not x.exists() or np.load(x, mmap_mode="r").shape != (masked_size,):
        write(x, (masked_size,), 21)


def write(path, shape, seed):
    """Uniform float64 of `shape` into an .npy file, 1e6 rows at a time."""
    rng = np.random.default_rng(seed)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=shape)
    step = 1_000_000
    for s in range(0, shape[0], step):
        n = min(step, shape[0] - s)
        out[s:s + n] = rng.random((n,) + shape[1:])
    out.flush()
    del out


DASK = r'''
import sys, time, json
import numpy as np
import dask, dask.array as da
name, d, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])

class OnDisk:
    """A memory map read chunk by chunk (dask's from_array copies a numpy.memmap whole)."""
    def __init__(self, path):
        self.a = np.load(path, mmap_mode="r")
        self.shape, self.dtype, self.ndim = self.a.shape, self.a.dtype, self.a.ndim
    def __getitem__(self, k):
        return np.asarray(self.a[k])

def build():
    if name == "take":
        x = da.from_array(OnDisk(f"{d}/rows.npy"), chunks=(1_000_000, 16), name=False)
        idx = np.load(f"{d}/idx.npy")
        return x[idx].sum()
    if name == "permutation":
        return da.random.default_rng(20).permutation(100_000_000).sum()
    if name == "masked_sum":
        x = da.from_array(OnDisk(f"{d}/x.npy"), chunks=10_000_000, name=False)
        return x[x > 0.9].sum()
best, cpu, value, tasks = float("inf"), 0.0, None, 0
for _ in range(repeats):
    t, c = time.perf_counter(), time.process_time()
    r = build()
    tasks = len(r.__dask_graph__())
    value = float(r.compute())
    if time.perf_counter() - t < best:
        best, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"workload": name, "wall_s": best, "cpu_s": cpu, "tasks": tasks,
                  "value": value}))
'''


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    flags = {"--masked-size", "--only"}
    args = [a for i, a in enumerate(sys.argv[1:], 1)
            if not a.startswith("--") and sys.argv[i - 1] not in flags]
    d = pathlib.Path(args[0])
    repeats = args[1] if len(args) > 1 else "3"
    masked = 100_000_000
    if "--masked-size" in sys.argv:
        masked = int(float(sys.argv[sys.argv.index("--masked-size") + 1]))
    prepare(d, masked)
    rows = []
    names = ["take", "permutation", "masked_sum"]
    if "--only" in sys.argv:
        names = sys.argv[sys.argv.index("--only") + 1].split(",")
    for name in names:
        t = run([str(EXAMPLE), name, str(d), repeats])
        k = run([sys.executable, "-c", DASK, name, str(d), repeats])
        same = abs(t["value"] - k["value"]) <= 1e-9 * max(1.0, abs(k["value"]))
        rows.append((name, t, k, same))
        print(f"{name:12s} tessera {t['wall_s']:7.3f} s wall {t['cpu_s']:7.3f} s cpu "
              f"({t['tasks']} tasks, {t['chunks']} input chunks)  dask {k['wall_s']:7.3f} s "
              f"wall {k['cpu_s']:7.3f} s cpu ({k['tasks']} tasks)  dask/tessera wall "
              f"{k['wall_s'] / t['wall_s']:5.2f}x cpu {k['cpu_s'] / t['cpu_s']:5.2f}x  values "
              f"{'equal' if same else 'DIFFER'}", flush=True)
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
