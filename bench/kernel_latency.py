"""Kernel latency, tessera vs ipykernel, measured the same way in the same run.

    .venv/bin/python bench/kernel_latency.py [--runs N]

For each kernel: time from start to the first reply (kernel_info), time from start to the
first array displayed (tessera: random::normal(..) then `y`; ipykernel: dask's da.random.normal
if dask is installed, else numpy), the round trip of warm cells (an expression with no new
definitions, a cell that defines a variable), the first array after a restart, and the first
array of a second kernel started while the first still runs. Prints a table (median of N runs).

tessera is measured twice: without a standby kernel (`TESSERA_KERNEL_STANDBY=0`: every start is
a full start), and with one (each start and restart waits first until a standby is warm and
waiting, so it measures an adoption; the standbys are ended at the end). Where tessera-kernel's
build slots live is `TESSERA_CACHE_DIR` (a slot a second kernel uses for the first time is
seeded from a warm one; in a run against an older kernel it is compiled once, in the first run).
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import time

import jupyter_client
import jupyter_client.kernelspec

TESSERA = {
    "first_array": ["let y = random::normal([10000, 10000], [1000, 1000]);", "y"],
    "warm_expr": "y.shape()",
    "define": "let z = 6 * 7;",
}

# (label, kernel name, cells, environment of its kernels, whether starts wait for a standby)
KERNELS = [
    ("tessera", "tessera", TESSERA, {"TESSERA_KERNEL_STANDBY": "0"}, False),
    ("tessera+standby", "tessera", TESSERA, {"TESSERA_KERNEL_STANDBY": "1"}, True),
    ("ipykernel", "python3", {
        "first_array": ["import dask.array as da; y = da.random.normal(size=(10000, 10000), chunks=(1000, 1000))", "y"],
        "warm_expr": "y.shape",
        "define": "z = 6 * 7",
    }, {}, False),
]



def run(kc, code):
    reply = kc.execute_interactive(code, timeout=600, output_hook=lambda m: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")


def standby_dir():
    cache = os.environ.get("TESSERA_CACHE_DIR") or pathlib.Path(
        os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "tessera"
    return pathlib.Path(cache) / "standby"


def wait_for_standby(env, timeout=900):
    """Waits until a standby kernel is waiting. Kernels start the next one once warm or
    adopted; for the first start of a run, one is started here (it exits at once if one is
    already warming)."""
    if not list(standby_dir().glob("*.sock")):
        # The kernelspec's environment too: the standby's key must be the launched kernels'.
        spec = jupyter_client.kernelspec.get_kernel_spec("tessera")
        subprocess.Popen([kernel_binary(), "standby"], env={**env, **spec.env},
                         start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if list(standby_dir().glob("*.sock")):
            return
        time.sleep(0.2)
    raise RuntimeError(f"no standby kernel was waiting after {timeout} s")


def kernel_binary():
    return jupyter_client.kernelspec.get_kernel_spec("tessera").argv[0]


def stop_standbys():
    subprocess.run([kernel_binary(), "standby", "--stop"], capture_output=True)


class Kernel:
    def __init__(self, name, cells, env, standby):
        self.name, self.cells, self.standby = name, cells, standby
        self.env = {**os.environ, **env}

    def first_array(self):
        """Starts a kernel and shows the first array: (seconds to kernel_info, seconds to the
        array, the running kernel)."""
        if self.standby:
            wait_for_standby(self.env)  # not timed: the start is an adoption
        begin = time.perf_counter()
        km, kc = jupyter_client.manager.start_new_kernel(
            kernel_name=self.name, startup_timeout=600, env=self.env)
        ready = time.perf_counter() - begin
        for code in self.cells["first_array"]:
            run(kc, code)
        return ready, time.perf_counter() - begin, (km, kc)

    def restart(self, km, kc):
        """Restarts the kernel and shows the first array: seconds."""
        if self.standby:
            wait_for_standby(self.env)
        begin = time.perf_counter()
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=600)
        for code in self.cells["first_array"]:
            run(kc, code)
        return time.perf_counter() - begin


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def timed(kc, code, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run(kc, code)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(kernel, warm_repeats=10):
    ready, first, (km, kc) = kernel.first_array()
    try:
        warm = timed(kc, kernel.cells["warm_expr"], warm_repeats)
        define = timed(kc, kernel.cells["define"], 3)
        _, second, other = kernel.first_array()
        stop(*other)
        restart = kernel.restart(km, kc)
    finally:
        stop(km, kc)
    return {"ready": ready, "first_array": first, "warm_expr": warm, "define": define,
            "restart": restart, "second_kernel": second}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kernels", default=",".join(k[0] for k in KERNELS),
                        help="which to measure, e.g. tessera+standby,ipykernel")
    args = parser.parse_args()
    chosen = args.kernels.split(",")
    rows = {}
    try:
        for label, name, cells, env, standby in KERNELS:
            if label not in chosen:
                continue
            kernel = Kernel(name, cells, env, standby)
            try:
                samples = [measure(kernel) for _ in range(args.runs)]
            except Exception as error:  # a kernel or dask missing: report, keep the others
                print(f"{label}: not measured ({error})")
                continue
            rows[label] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    finally:
        stop_standbys()
    labels = {"ready": "start → kernel_info reply", "first_array": "start → first array shown",
              "warm_expr": "warm cell, no definitions", "define": "cell defining a variable",
              "restart": "restart → first array shown",
              "second_kernel": "2nd concurrent kernel → array"}
    names = list(rows)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{'':32}" + "".join(f"{n:>17}" for n in names))
    for key, label in labels.items():
        print(f"{label:32}" + "".join(f"{rows[n][key]:>16.3f}s" for n in names))
    if "ipykernel" in rows:
        base = rows["ipykernel"]
        for name in names[:-1]:
            ratios = ", ".join(f"{key} {rows[name][key] / base[key]:.1f}x" for key in labels)
            print(f"{name} / ipykernel: {ratios}")


if __name__ == "__main__":
    main()
