"""Runs every seed workload with tessera and dask and prints the comparison table (markdown)."""

import json
import os
import platform
import subprocess
import sys

WORKLOADS = [
    ("mean0-100-square", "normal 10000², chunks 1000²: mean(axis=0)[0:100]", True),
    ("mean0-100-columns", "normal 10000², chunks (10000, 100): mean(axis=0)[0:100]", False),
    ("sum", "normal 10000², chunks 1000²: sum()", True),
    ("huge-mean", "uniform 150000×10000 (12 GB), chunks 10000²: mean()", False),
]


def measure(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    repeats = sys.argv[1] if len(sys.argv) > 1 else "3"
    python = os.path.join(".venv", "bin", "python")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; best of {repeats} runs\n")
    print("| workload | tessera | dask | dask / tessera | numpy (eager) | tessera peak (incr.) MiB | dask peak (incr.) MiB |")
    print("|---|---|---|---|---|---|---|")
    for name, label, with_numpy in WORKLOADS:
        t = measure(["target/release/examples/bench_seed", name, repeats])
        d = measure([python, "bench/seed_dask.py", name, repeats])
        n = measure([python, "bench/seed_dask.py", name, repeats, "--numpy"]) if with_numpy else None
        numpy = f"{n['best_s']:.3f} s" if n else "—"
        mem = lambda r: f"{r['peak_mib']:.0f} ({r['peak_mib'] - r['baseline_mib']:.0f})"
        print(f"| {label} | {t['best_s']:.3f} s | {d['best_s']:.3f} s | {d['best_s'] / t['best_s']:.2f}× | {numpy} | {mem(t)} | {mem(d)} |")


if __name__ == "__main__":
    main()
