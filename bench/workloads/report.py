"""Runs the real workloads with tessera and with dask, each in a fresh process, prints the table
(markdown) and writes it into bench/results/latest.json under "real_workloads" (the seed
results there are kept).

    python bench/workloads/report.py [NAME ...]      (default: every workload)
    python bench/workloads/report.py --dtypes        (issue 19's dtype workloads, key "dtypes")

Inputs are written once by `bench_workloads prepare` into bench/data/ (seeded, reused when
present; TESSERA_BENCH_DATA moves them) and read back into the page cache before every run, so
neither engine pays for the disk. Memory: each process's own peak resident memory (VmHWM /
ru_maxrss; it counts the pages of the memory-mapped inputs it touched) and its peak anonymous
memory (RssAnon, sampled every 10 ms by this script: what the computation allocates). Values:
both engines' results are written to .npy files (in /dev/shm when there is one) and compared
here, elementwise.
"""

import json
import math
import os
import pathlib
import platform
import subprocess
import sys
import threading
import time

import numpy as np

RUST = "target/release/examples/bench_workloads"
PYTHON = os.path.join(".venv", "bin", "python")
DATA = pathlib.Path(os.environ.get("TESSERA_BENCH_DATA", "bench/data"))
# Results are written to memory (tmpfs) when the machine has one, so that storing a result as
# large as the inputs measures the computation, not the disk; removed once compared.
MEMORY = "/dev/shm/tessera-workloads" if os.path.isdir("/dev/shm") else "bench/data/out"
OUT = pathlib.Path(os.environ.get("TESSERA_BENCH_OUT", MEMORY))
TIMEOUT_S = float(os.environ.get("TESSERA_BENCH_TIMEOUT", "900"))
TARGET_RATIO = 3.0
DASK = "bench/workloads/run_dask.py"
COLUMNS = ["workload", "inputs", "tessera", "dask", "dask / tessera", "tessera CPU", "dask CPU",
           "tessera peak (anon) MiB", "dask peak (anon) MiB", "values equal (max diff)",
           "target met", "setup tessera / dask"]


def rust(*args):
    return subprocess.run([RUST, *args], check=True, capture_output=True, text=True).stdout


def warm(spec):
    """Reads every input once so it is in the page cache for the run that follows."""
    for i in spec["inputs"]:
        with open(DATA / i["file"], "rb") as f:
            while f.read(1 << 24):
                pass


def sample_anon(pid, peak, done):
    while not done.is_set():
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("RssAnon:"):
                        peak[0] = max(peak[0], int(line.split()[1]) / 1024)
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.01)


def measure(command):
    """Runs one process; its JSON line plus the sampled peak anonymous memory (MiB)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0.0], threading.Event()
    sampler = threading.Thread(target=sample_anon, args=(process.pid, peak, done))
    sampler.start()
    try:
        out, err = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"error": f"timed out after {TIMEOUT_S:.0f} s", "crashed": True}
    finally:
        done.set()
        sampler.join()
    lines = out.strip().splitlines()
    if process.returncode != 0 or not lines:
        tail = (err.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit status {process.returncode}: {tail}", "crashed": True}
    run = json.loads(lines[-1])
    if "error" not in run:
        run["anon_mib"] = peak[0]
    return run


def compare(spec, t_path, d_path):
    """max |tessera - dask|, max |dask| over the results, and whether they are equal."""
    t, d = np.load(t_path, mmap_mode="r"), np.load(d_path, mmap_mode="r")
    if t.shape != d.shape:
        return {"equal": False, "reason": f"shapes {t.shape} vs {d.shape}"}
    rows = t.shape[0] if t.ndim else 1
    t, d = t.reshape(rows, -1), d.reshape(rows, -1)
    diff, scale = 0.0, 0.0
    band = max(1, (1 << 24) // max(1, t.shape[1]))
    for start in range(0, t.shape[0], band):
        tb, db = np.asarray(t[start : start + band]), np.asarray(d[start : start + band])
        diff = max(diff, float(np.max(np.abs(tb - db), initial=0.0)))
        scale = max(scale, float(np.max(np.abs(db), initial=0.0)))
    tol = spec["tolerance"]
    equal = diff <= tol * max(1.0, scale)
    first = [float(t[0, 0]), float(d[0, 0])]  # the value itself, for a scalar result
    return {"equal": equal, "max_abs_diff": diff, "max_abs": scale, "tolerance": tol,
            "first": first}


def run_workload(name):
    spec = json.loads(rust("describe", name))
    started = time.perf_counter()
    rust("prepare", name, str(DATA))
    prepared_s = time.perf_counter() - started
    OUT.mkdir(parents=True, exist_ok=True)
    paths = {side: OUT / f"{name}.{side}.npy" for side in ("tessera", "dask")}
    runs = {}
    commands = {
        "tessera": [RUST, "run", name, str(DATA), str(paths["tessera"])],
        "dask": [PYTHON, DASK, json.dumps(spec), str(DATA), str(paths["dask"])],
    }
    for side, command in commands.items():
        paths[side].unlink(missing_ok=True)
        warm(spec)
        runs[side] = measure(command)
    t, d = runs["tessera"], runs["dask"]
    entry = {"spec": spec, "tessera": t, "dask": d, "inputs_prepared_s": prepared_s}
    if "error" not in t and "error" not in d:
        entry["values"] = compare(spec, paths["tessera"], paths["dask"])
        entry["ratio_wall"] = d["wall_s"] / t["wall_s"]
        faster = entry["ratio_wall"] >= TARGET_RATIO
        entry["target_met"] = entry["values"]["equal"] and faster and t["peak_mib"] <= d["peak_mib"]
    for path in paths.values():
        path.unlink(missing_ok=True)
    return entry


def nbytes(spec):
    return sum(8 * math.prod(i["shape"]) for i in spec["inputs"])


def row(name, e):
    t, d = e["tessera"], e["dask"]
    size = f"{nbytes(e['spec']) / 2**30:.2f} GiB"
    wall = lambda r: f"{r['wall_s']:.2f} s"
    cpu = lambda r: f"{r['cpu_s']:.1f} s"
    mem = lambda r: f"{r['peak_mib']:.0f} ({r['anon_mib']:.0f})"
    if "error" in d:
        cells = ["—", f"dask failed: {d['error']}"] + ["—"] * 8
    elif "error" in t:
        # an error the engine returned (a refusal) or a process that did not finish
        refused = f"{'failed' if t.get('crashed') else 'refused'}: {t['error']}"
        cells = [refused, wall(d), "—", "—", cpu(d), "—", mem(d), "—", "no", "—"]
    else:
        v = e["values"]
        equal = "yes" if v["equal"] else "NO"
        if "max_abs_diff" in v:
            values = f"{equal} ({v['max_abs_diff']:.1e})"
        else:
            values = f"NO ({v['reason']})"
        ratio = f"{e['ratio_wall']:.2f}×"
        met = "yes" if e["target_met"] else "no"
        setup = f"{t['setup_s']:.2f} / {d['setup_s']:.2f} s"
        cells = [wall(t), wall(d), ratio, cpu(t), cpu(d), mem(t), mem(d), values, met, setup]
    return "| " + " | ".join([name, size, *cells]) + " |"


def main():
    # --dtypes: issue 19's dtype and missing-value targets, kept under their own key
    dtypes = sys.argv[1:2] == ["--dtypes"]
    group = "dtypes" if dtypes else "real_workloads"
    if dtypes:
        names, pending = rust("list", "dtypes").split(), []
    else:
        names = sys.argv[1:] or rust("list").split()
        pending = [json.loads(line) for line in rust("pending").splitlines()]
    machine = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "system": platform.platform(),
        "scale": os.environ.get("TESSERA_BENCH_SCALE", "full"),
    }
    print(f"{group}: {machine['cpu']}, {machine['cores']} cores, scale {machine['scale']}, "
          f"load average {os.getloadavg()[0]:.1f}; one run each, a fresh process per engine\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|---" * len(COLUMNS) + "|")
    results = {}
    for name in names:
        results[name] = run_workload(name)
        print(row(name, results[name]), flush=True)
    for p in pending:
        cells = [p["workload"], "—", f"pending: {p['needs']}"] + ["—"] * (len(COLUMNS) - 3)
        print("| " + " | ".join(cells) + " |")
    ratios = [e["ratio_wall"] for e in results.values() if "ratio_wall" in e]
    if ratios and not dtypes:
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"\ngeometric mean dask / tessera over {len(ratios)} workloads: {geo:.2f}× "
              "(target ≥ 5×)")
    if machine["scale"] != "full":
        print("\n(not written to bench/results/latest.json: not the full scale)")
        return
    path = pathlib.Path("bench/results/latest.json")
    latest = json.loads(path.read_text()) if path.exists() else {}
    latest[group] = {
        "workloads": results,
        "pending": pending,
        "geometric_mean_ratio": geo if ratios and not dtypes else None,
        "machine": machine,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(latest, indent=2) + "\n")
    print(f"\nwrote {path} ({group})")


if __name__ == "__main__":
    main()
