"""Runs every seed workload with tessera and with dask (numpy for the eager one), prints the
comparison table (markdown) with each target, and writes the figures to
bench/results/latest.json."""

import json
import os
import pathlib
import platform
import subprocess
import sys

# (name, what it computes, the peer, target: (minimum peer/tessera wall ratio, max tessera increment MiB))
WORKLOADS = [
    ("f_numpy", "eager: normal 10000², mean(axis=0)[0:100]", "numpy", (1 / 1.5, None)),
    ("f_dask", "normal 10000², chunks 1000²: mean(axis=0)[0:100]", "dask", (30, 10)),
    ("f_dask2", "normal 10000², chunks (10000, 100): mean(axis=0)[0:100]", "dask", (10, None)),
    ("sum", "normal 10000², chunks 1000²: sum()", "dask", (8, None)),
    ("mean_axis0", "normal 10000², chunks 1000²: mean(axis=0)", "dask", (8, None)),
    ("huge_mean", "uniform 1500000×100000 (1.1 TB), chunks 10000²: mean()", "dask", (None, None)),
    ("zarr_mean", "8 GiB float64 Zarr store (zstd), chunks 4096²: mean()", "dask", (2, None)),
]
CLUSTER_LABELS = {"sum": "normal 10000², chunks 1000²: sum()", "huge_mean_20": "uniform, first 20 chunks of 10000² (16 GB): mean()"}
ZARR_BYTES = 32768 * 32768 * 8
HUGE_LIMITS = {"wall_s": 60.0, "peak_mib": 100 / 1.048576}  # < 60 s, peak RSS < 100 MB


def measure(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# Workloads of a few milliseconds.
SHORT = {"f_dask", "f_dask2"}


def figures(run):
    return {"wall_s": run["wall_s"], "cpu_s": run["cpu_s"], "peak_mib": run["peak_mib"], "incr_mib": run["peak_mib"] - run["baseline_mib"],
            **({"projected_from_chunks": run["projected_from_chunks"]} if "projected_from_chunks" in run else {})}


def target_met(name, target, t, ratio):
    if name == "huge_mean":
        return t["wall_s"] < HUGE_LIMITS["wall_s"] and t["peak_mib"] < HUGE_LIMITS["peak_mib"]
    min_ratio, max_incr = target
    return (min_ratio is None or ratio >= min_ratio) and (max_incr is None or t["incr_mib"] < max_incr)


def main():
    repeats = sys.argv[1] if len(sys.argv) > 1 else "3"
    python = os.path.join(".venv", "bin", "python")
    machine = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "system": platform.platform(), "repeats": int(repeats)}
    print(f"machine: {machine['cpu']}, {machine['cores']} cores; best of {repeats} runs (f_dask, f_dask2: {10 * int(repeats)}; huge_mean: 1 run)\n")
    print("| workload | tessera | peer | peer / tessera | tessera CPU | tessera peak (incr.) MiB | peer peak (incr.) MiB | target met |")
    print("|---|---|---|---|---|---|---|---|")
    results = {}
    for name, label, peer_name, target in WORKLOADS:
        if name == "zarr_mean":
            measure(["target/release/examples/bench_seed", "zarr_write", "1"])  # the store, once
        # Millisecond workloads: ten times the runs on both sides (as %timeit repeats short
        # statements): in a fresh process a few early runs of either can miss a worker thread.
        runs = "1" if name == "huge_mean" else str(10 * int(repeats)) if name in SHORT else repeats
        t = figures(measure(["target/release/examples/bench_seed", name, runs]))
        p = figures(measure([python, "bench/seed_dask.py", name, runs]))
        ratio = p["wall_s"] / t["wall_s"]
        met = target_met(name, target, t, ratio)
        results[name] = {"tessera": t, peer_name: p, "ratio_wall": ratio, "target_met": met}
        if name == "zarr_mean":
            for run in (t, p):
                run["gb_per_s"] = ZARR_BYTES / 1e9 / run["wall_s"]
            label += f" — {t['gb_per_s']:.2f} vs {p['gb_per_s']:.2f} GB/s"
        projected = " (projected)" if "projected_from_chunks" in p else ""
        mem = lambda r: f"{r['peak_mib']:.0f} ({r['incr_mib']:.0f})"
        print(f"| {label} | {t['wall_s']:.3f} s | {peer_name} {p['wall_s']:.3f} s{projected} | {ratio:.1f}× | {t['cpu_s']:.2f} s | {mem(t)} | {mem(p)} | {'yes' if met else 'NO'} |")
    print("\nOn a dask.distributed LocalCluster (2 worker processes, 1 thread each): tessera's tasks vs dask's own\n")
    print("| workload | tessera on dask | dask | dask / tessera | target ≥ 5× |")
    print("|---|---|---|---|---|")
    cluster = subprocess.run([python, "bench/cluster.py", repeats], check=True, capture_output=True, text=True).stdout
    for line in cluster.strip().splitlines():
        run = json.loads(line)
        name = f"cluster_{run['workload']}"
        met = run["ratio"] >= 5
        results[name] = {"tessera": {"wall_s": run["tessera_s"]}, "dask": {"wall_s": run["dask_s"]}, "ratio_wall": run["ratio"], "target_met": met}
        print(f"| {CLUSTER_LABELS[run['workload']]} | {run['tessera_s']:.3f} s | {run['dask_s']:.3f} s | {run['ratio']:.1f}× | {'yes' if met else 'NO'} |")
    out = pathlib.Path("bench/results/latest.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    # keep what other parts of bench/run wrote there (the real workloads)
    latest = json.loads(out.read_text()) if out.exists() else {}
    latest.update(workloads=results, machine=machine)
    out.write_text(json.dumps(latest, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
