"""Where a warm kernel cell's compile goes, measured outside the kernel (no kernel build needed).

    .venv/bin/python bench/cell_compile.py WORKDIR [--repeats N] [--no-ipykernel]

evcxr compiles every cell as a crate `ctx` with `cargo build` (RUSTFLAGS=-Cprefer-dynamic,
its profile: opt-level 2, codegen-units 16, incremental). This times the parts of that on
their own, with the cells' real dependency graph (the engine without default features, pinned
by the checkout's Cargo.lock, offline) built once with `cargo check` into WORKDIR:

- cargo's own overhead per cell: a `cargo check` with nothing to do, and `cargo metadata`
  (loading and resolving the package graph, which cargo does at every cell);
- rustc's front end (`--emit=metadata`) on a `y.shape()`-like cell: with the engine's prelude
  glob-imported (what every cell does), with one import, and with no engine at all;
- a std-only cell's full compile to a cdylib (codegen + link) at opt-level 2, 1 and 0, and to
  an object file only (the difference is the link).

ipykernel's warm cell (`y.shape` on a dask array) is timed in the same run for the ratio.
Prints medians of N runs and the load average. WORKDIR (~0.5 GB) can be deleted afterwards.
"""

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import time

ENGINE = pathlib.Path(__file__).resolve().parent.parent

MANIFEST = f"""[package]
name = "ctx"
version = "1.0.0"
edition = "2024"

[lib]
path = "src/lib.rs"

[dependencies]
tessera = {{ path = "{ENGINE}", default-features = false }}

[workspace]
"""

CELL = """#![allow(unused_imports)]
{imports}
#[unsafe(no_mangle)]
pub extern "C" fn run_user_code_7(store: &mut Vec<Box<dyn std::any::Any>>) {{
    let y = store[0].downcast_ref::<{ty}>().unwrap();
    let shape = {shape};
    println!("EVCXR_BEGIN_CONTENT text/plain\\n{{:?}}\\nEVCXR_END_CONTENT", shape);
}}
"""

CELLS = {
    "prelude glob": ("use tessera::prelude::*;", "Array", "y.shape()"),
    "one import": ("use tessera::Array;", "Array", "y.shape()"),
    "no engine": ("", "Vec<usize>", "y.clone()"),
}


def tool(name):
    """The toolchain's binary itself, as evcxr runs it (not rustup's proxy)."""
    found = subprocess.run(["rustup", "which", name], capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else name


def median_time(command, repeats, cwd, env=None):
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def ipykernel_warm_cell(repeats):
    import jupyter_client

    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        run = lambda code: kc.execute_interactive(code, timeout=120, output_hook=lambda m: None)
        run("import dask.array as da; "
            "y = da.random.normal(size=(10000, 10000), chunks=(1000, 1000))")
        times = []
        for _ in range(repeats):
            begin = time.perf_counter()
            run("y.shape")
            times.append(time.perf_counter() - begin)
        return statistics.median(times)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=pathlib.Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-ipykernel", action="store_true")
    args = parser.parse_args()
    work = args.workdir.resolve()
    (work / "src").mkdir(parents=True, exist_ok=True)
    (work / "Cargo.toml").write_text(MANIFEST)
    (work / "src" / "lib.rs").write_text("")
    shutil.copy(ENGINE / "Cargo.lock", work / "Cargo.lock")
    cargo, rustc = tool("cargo"), tool("rustc")
    env = {**os.environ, "CARGO_TARGET_DIR": str(work / "target")}
    print("building the cells' dependencies (cargo check, once, untimed) ...", flush=True)
    subprocess.run([cargo, "check", "--offline", "-q"], cwd=work, env=env, check=True)
    deps = work / "target" / "debug" / "deps"
    engine = sorted(deps.glob("libtessera-*.rmeta"), key=lambda p: p.stat().st_mtime)[-1]

    rows = []
    n = args.repeats
    rows.append(("cargo check, nothing to do", median_time(
        [cargo, "check", "--offline", "-q"], n, work, env)))
    rows.append(("cargo metadata (package graph)", median_time(
        [cargo, "metadata", "--offline", "--format-version", "1"], n, work, env)))
    for label, (imports, ty, shape) in CELLS.items():
        source = work / f"cell-{label.replace(' ', '-')}.rs"
        source.write_text(CELL.format(imports=imports, ty=ty, shape=shape))
        extern = ["-L", f"dependency={deps}", "--extern", f"tessera={engine}"] if imports else []
        rows.append((f"rustc front end, {label}", median_time(
            [rustc, "--edition", "2024", "--crate-type", "cdylib", "-C", "opt-level=2",
             "--emit=metadata", "-o", str(work / "cell.rmeta"), *extern, str(source)], n, work)))
    std_cell = work / "cell-no-engine.rs"
    common = [rustc, "--edition", "2024", "--crate-type", "cdylib", "-C", "prefer-dynamic",
              "-C", "debug-assertions", "-C", "overflow-checks", "-C", "strip=debuginfo",
              "-C", "codegen-units=16"]
    for level in ["2", "1", "0"]:
        rows.append((f"std-only cell to .so, opt-level {level}", median_time(
            [*common, "-C", f"opt-level={level}", "-o", str(work / "cell.so"), str(std_cell)],
            n, work)))
    rows.append(("std-only cell to .o only, opt-level 2", median_time(
        [*common, "-C", "opt-level=2", "--emit=obj", "-o", str(work / "cell.o"), str(std_cell)],
        n, work)))
    if not args.no_ipykernel:
        rows.append(("ipykernel warm cell `y.shape` (dask)", ipykernel_warm_cell(max(n, 10))))

    print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); "
          f"{rustc_version(rustc)}; median of {n}")
    for label, seconds in rows:
        print(f"{label:44} {seconds * 1e3:8.1f} ms")


def rustc_version(rustc):
    return subprocess.run([rustc, "-V"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
