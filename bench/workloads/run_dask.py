"""The real workloads in dask, one a process: the Python half of `bench/run --workloads`.

    python bench/workloads/run_dask.py SPEC_JSON DATA_DIR OUT

SPEC_JSON is what `bench_workloads describe NAME` prints (the same inputs, chunks and
parameters tessera uses). Inputs are the same `.npy` files, memory-mapped
(`np.load(mmap_mode="r")`) and read chunk by chunk through `da.from_array` in the spec's chunks
(see `OnDisk`). Threaded scheduler (all cores, as tessera's pool). Prints one JSON line like
bench/workloads/main.rs: wall and CPU time of the computation (for a stored result, the store
is the computation; a small result is written to OUT after the clock stops), peak resident
memory (ru_maxrss), resident memory before the computation, and the setup time (opening the
inputs and building the expression; not in the wall time).
"""

import json
import pathlib
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from measure import cpu_s, rss_mib  # noqa: E402  (bench/measure.py)


class OnDisk:
    """An `.npy` file read chunk by chunk when a task asks for it, as dask reads h5py or zarr
    arrays: `from_array` of the memory map itself would copy the whole file into memory when
    the array is built (dask 2026.8 copies any array-like that has `.copy()`), so the timed
    run would compute from memory. `name=False` spares the hashing of the contents too."""

    def __init__(self, path):
        self.map = np.load(path, mmap_mode="r")
        self.shape, self.dtype, self.ndim = self.map.shape, self.map.dtype, self.map.ndim

    def __getitem__(self, index):
        return np.asarray(self.map[index])


def vorticity(spec, u, v, dx, dy):
    # as coiled/benchmarks' test_vorticity: pad one wrapped row, merge the one-row chunk back
    def pad_rechunk(arr):
        padded = da.pad(arr, pad_width=[(0, 1), (0, 0), (0, 0)], mode="wrap")
        chunks = list(padded.chunks)
        chunks[0] = padded.shape[0]
        return padded.rechunk(chunks)

    return dx[..., None] * pad_rechunk(u) - dy[..., None] * pad_rechunk(v)


def anom_mean(spec, data):
    rows, cols = data.shape
    groups = spec["params"]["groups"][0]
    by_group = data.reshape(rows // groups, groups, cols)
    climatology = by_group.mean(axis=0)
    return (by_group - climatology).reshape(rows, cols).mean(axis=0)


def quadratic_mean(spec, u, v):
    return da.stack([(u * u).mean(axis=0), (v * v).mean(axis=0), (u * v).mean(axis=0)])


EXPRESSIONS = {
    "basic_sum_thin": lambda spec, x: x.sum(axis=1),
    "basic_sum_square": lambda spec, x: x.sum(axis=1),
    "double_diff": lambda spec, a, b: a[1:, 1:] - b[:-1, :-1],
    "dot_product": lambda spec, a: (a @ a.T).sum(),
    "vorticity": vorticity,
    "quadratic_mean": quadratic_mean,
    "anom_mean": anom_mean,
    "rechunk_mean": lambda spec, x: x.rechunk(tuple(spec["params"]["target"])).mean(),
    # bench/run --dtypes (issue 19)
    "normalize_float32": lambda spec, x: da.clip((x - 0.5) * 4.0, -1.0, 1.0).astype(np.float32),
    "nanmean_axis0": lambda spec, x: da.nanmean(x, axis=0),
}


def main():
    spec, data_dir, out = json.loads(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    dask.config.set(scheduler="threads")
    setup = time.perf_counter()
    files = [OnDisk(data_dir / i["file"]) for i in spec["inputs"]]
    chunks = [tuple(i["chunks"]) for i in spec["inputs"]]
    inputs = [da.from_array(f, chunks=c, name=False) for f, c in zip(files, chunks)]
    result = EXPRESSIONS[spec["name"]](spec, *inputs)
    setup = time.perf_counter() - setup
    baseline = rss_mib()
    start, cpu_start = time.perf_counter(), cpu_s()
    if spec["output"] == "store":
        shape, dtype = result.shape, result.dtype
        target = np.lib.format.open_memmap(out, mode="w+", dtype=dtype, shape=shape)
        da.store(result, target, lock=False)
        target.flush()
        values = None
    else:
        values = result.compute()
    wall, cpu = time.perf_counter() - start, cpu_s() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if values is not None:
        np.save(out, np.asarray(values, dtype=np.float64).reshape(-1))
    run = {"workload": spec["name"], "wall_s": wall, "cpu_s": cpu, "peak_mib": peak}
    print(json.dumps({**run, "baseline_mib": baseline, "setup_s": setup}))


if __name__ == "__main__":
    main()
