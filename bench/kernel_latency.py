"""Kernel latency, tessera vs ipykernel, measured the same way in the same run.

    .venv/bin/python bench/kernel_latency.py [--runs N]

For each kernel: time from start to the first reply (kernel_info), time from start to the
first array displayed (tessera: random::normal(..) then `y`; ipykernel: dask's da.random.normal
if dask is installed, else numpy), the round trip of warm cells (an expression with no new
definitions, a cell that defines a variable), and the first array of a second kernel started
while the first still runs. Prints a table (median of N runs). Where tessera-kernel's build
slots live is `TESSERA_CACHE_DIR` (a slot a second kernel uses for the first time is seeded
from a warm one; in a run against an older kernel it is compiled once, in the first run).
"""

import argparse
import statistics
import time

import jupyter_client

CELLS = {
    "tessera": {
        "first_array": ["let y = random::normal([10000, 10000], [1000, 1000]);", "y"],
        "warm_expr": "y.shape()",
        "define": "let z = 6 * 7;",
    },
    "python3": {
        "first_array": ["import dask.array as da; y = da.random.normal(size=(10000, 10000), chunks=(1000, 1000))", "y"],
        "warm_expr": "y.shape",
        "define": "z = 6 * 7",
    },
}


def run(kc, code):
    reply = kc.execute_interactive(code, timeout=600, output_hook=lambda m: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")


def start(kernel_name):
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=kernel_name, startup_timeout=600)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def first_array(kernel_name, cells):
    """Starts a kernel and shows the first array: (seconds to kernel_info, seconds to the
    array, the running kernel)."""
    begin = time.perf_counter()
    km, kc = start(kernel_name)
    ready = time.perf_counter() - begin
    for code in cells["first_array"]:
        run(kc, code)
    return ready, time.perf_counter() - begin, (km, kc)


def measure(kernel_name, cells, warm_repeats=10):
    ready, first, (km, kc) = first_array(kernel_name, cells)
    try:
        warm = []
        for _ in range(warm_repeats):
            t = time.perf_counter()
            run(kc, cells["warm_expr"])
            warm.append(time.perf_counter() - t)
        define = []
        for _ in range(3):
            t = time.perf_counter()
            run(kc, cells["define"])
            define.append(time.perf_counter() - t)
        _, second, other = first_array(kernel_name, cells)
        stop(*other)
    finally:
        stop(km, kc)
    return {"ready": ready, "first_array": first, "warm_expr": statistics.median(warm),
            "define": statistics.median(define), "second_kernel": second}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = {}
    for name, cells in CELLS.items():
        try:
            samples = [measure(name, cells) for _ in range(args.runs)]
        except Exception as error:  # a kernel or dask missing: report, keep the other
            print(f"{name}: not measured ({error})")
            continue
        rows[name] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    labels = {"ready": "start → kernel_info reply", "first_array": "start → first array shown",
              "warm_expr": "warm cell, no definitions", "define": "cell defining a variable",
              "second_kernel": "2nd concurrent kernel → array"}
    names = list(rows)
    print(f"{'':32}" + "".join(f"{n:>14}" for n in names))
    for key, label in labels.items():
        print(f"{label:32}" + "".join(f"{rows[n][key]:>13.3f}s" for n in names))


if __name__ == "__main__":
    main()
