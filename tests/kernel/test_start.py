"""How the kernel starts: without the network, with the kernel's own dependency versions, and
the same whatever the user's environment holds (a rust-toolchain.toml beside the notebook,
evcxr's config directory, a linker on PATH). Each test starts its own kernel."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tomllib

import pytest

from kernels import CHECKOUT, crate_dir, recipe_cells, run_ok, started


def loopback_only_namespace():
    """The command prefix that runs a command with only loopback, or why there is none."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return None, "unshare or ip (util-linux, iproute2) is not installed"
    prefix = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-r", "-n"]
    probe = subprocess.run(prefix + ["ip", "link", "set", "lo", "up"], capture_output=True)
    if probe.returncode != 0:
        return None, f"unshare is not permitted here: {probe.stderr.decode().strip()}"
    return prefix, None


def test_the_recipe_starts_and_runs_without_network():
    prefix, why = loopback_only_namespace()
    if prefix is None:
        pytest.skip(why)
    here = os.path.dirname(os.path.abspath(__file__))
    script = f'ip link set lo up && exec "$0" {here}/offline_session.py 3'
    done = subprocess.run(prefix + ["sh", "-c", script, sys.executable], capture_output=True,
                          text=True, timeout=600, cwd=here)
    assert done.returncode == 0, done.stderr
    cells = json.loads(done.stdout.strip().splitlines()[-1])
    for cell in cells:
        assert cell["status"] == "ok", f"{cell['code']!r} failed offline:\n{cell['error']}"
    assert cells[0]["types"] == [["text/html", "text/plain"]], "the array shows its table"
    assert len(cells) == 3


def registry_versions(lock):
    """{name: {versions}} of the registry packages in a Cargo.lock's text."""
    found = {}
    for package in tomllib.loads(lock)["package"]:
        if package.get("source", "").startswith("registry+"):
            found.setdefault(package["name"], set()).add(package["version"])
    return found


def test_cells_use_the_dependency_versions_of_cargo_lock():
    with started() as kc:
        run_ok(kc, "ones([2, 2], 1).sum()?.compute()?.to_scalar::<f64>()?")
        slot = crate_dir(kc)
        cells = registry_versions((slot / "Cargo.lock").read_text())
        config = (slot / ".cargo" / "config.toml").read_text()
    kernel = registry_versions((CHECKOUT / "Cargo.lock").read_text())
    assert {"ndarray", "rayon", "serde"} <= set(cells), "the engine's dependencies are locked"
    for name, versions in cells.items():
        assert versions <= kernel.get(name, set()), f"{name} {versions} is not in Cargo.lock"
    # Off again after the start: a user's `:dep foo = "1"` may reach the registry.
    assert tomllib.loads(config)["net"]["offline"] is False


def test_the_users_toolchain_config_and_linker_do_not_change_the_start(tmp_path):
    notebook = tmp_path / "notebook"
    notebook.mkdir()
    # A toolchain that does not exist: using it would fail every compile.
    (notebook / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "tessera-missing"\n')
    config = tmp_path / "config" / "evcxr"
    config.mkdir(parents=True)
    moved = tmp_path / "moved-build-dir"
    (config / "evcxr.toml").write_text(f'[evcxr]\ntmpdir = "{moved}"\nopt_level = "0"\n')
    (config / "init.evcxr").write_text(":dep tessera_missing_crate = \"1\"\n")
    # One beside the notebook is read first by evcxr.
    moved_too = tmp_path / "moved-by-the-notebooks-evcxr-toml"
    (notebook / "evcxr.toml").write_text(f'[evcxr]\ntmpdir = "{moved_too}"\n')
    # A linker evcxr would pick up: it logs every use.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    used = tmp_path / "mold-used"
    (bin_dir / "mold").write_text(
        f'#!/bin/sh\necho "$@" >> {used}\n[ "$1" = -run ] && shift\nexec "$@"\n')
    (bin_dir / "mold").chmod(0o755)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "RUSTUP_TOOLCHAIN": "tessera-missing"}
    with started(cwd=notebook, env=env) as kc:
        _, outputs = run_ok(kc, "let q = ones([3], 3).sum()?.compute()?.to_scalar::<f64>()?; q")
        slot = crate_dir(kc)
        used.unlink(missing_ok=True)
        run_ok(kc, "let r = q + 1.0; r")
        _, cwd = run_ok(kc, "std::env::current_dir().unwrap()")
    assert not moved.exists(), "evcxr.toml in the user's config dir moved the build directory"
    assert not moved_too.exists(), "evcxr.toml beside the notebook moved the build directory"
    assert slot.name.startswith("evcxr-"), f"cells were built in {slot}, not a kernel's slot"
    assert not used.exists(), f"cells were linked through mold: {used.read_text()}"
    assert str(notebook) in cwd[0][1]["data"]["text/plain"], "cells run in the notebook's directory"


def mode(path):
    return path.stat().st_mode & 0o777


def test_files_the_kernel_writes_are_the_users_only(tmp_path):
    data = tmp_path / "data"
    cache = pathlib.Path(os.environ.get("TESSERA_CACHE_DIR") or pathlib.Path(
        os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "tessera")
    # An existing history file from an older kernel, world-readable.
    (data / "tessera").mkdir(parents=True)
    (data / "tessera" / "history.jsonl").write_text("")
    (data / "tessera" / "history.jsonl").chmod(0o644)
    if cache.exists():
        cache.chmod(0o755)  # as kernels before this version left it
    with started(env={"XDG_DATA_HOME": str(data)}) as kc:
        run_ok(kc, 'let secret = "hunter2"; secret.len()')
        slot = crate_dir(kc)
        history = data / "tessera" / "history.jsonl"
        assert "hunter2" in history.read_text()
        assert mode(history) == 0o600
        assert mode(cache) == 0o700, "the build slots hold every cell's source"
        assert slot.parent == cache
        assert mode(slot.parent / f"{slot.name}.lock") == 0o600
        assert mode(slot / "Cargo.lock") == 0o600
        assert mode(cache / "evcxr-config") == 0o700


def test_the_ipc_transport_works(tmp_path):
    # Socket files at an absolute path: a relative one (jupyter_client's default "kernel-ipc")
    # is resolved against each process's own working directory, for ipykernel too.
    with started(transport="ipc", ip=str(tmp_path / "kernel-ipc")) as kc:
        assert kc.manager.transport == "ipc"
        _, outputs = run_ok(kc, "6 * 7")
        assert [c["data"]["text/plain"] for t, c, _ in outputs if t == "execute_result"] == ["42"]
        sockets = [p for p in tmp_path.iterdir() if p.name.startswith("kernel-ipc-")]
        assert len(sockets) == 5 and all(p.is_socket() for p in sockets), sockets


def engine_builds(slot):
    """{file name: modification time} of the engine's compiled libraries in a build slot."""
    return {p.name: p.stat().st_mtime for p in slot.glob("target/*/debug/deps/libtessera-*.rlib")}


def test_a_second_concurrent_kernel_is_seeded_from_the_warm_slot(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    subprocess.run(["cp", "-a", str(crate_dir_of_a_kernel()), str(cache / "evcxr-0")], check=True)
    env = {"TESSERA_CACHE_DIR": str(cache)}
    with started(env=env) as first:
        run_ok(first, "let a = 1;")
        with started(env=env) as second:
            _, outputs = run_ok(second, "ones([2, 2], 1).sum()?.compute()?.to_scalar::<f64>()?")
            slots = (crate_dir(first), crate_dir(second))
    assert [s.name for s in slots] == ["evcxr-0", "evcxr-1"]
    warm, seeded = (engine_builds(s) for s in slots)
    assert warm, "the warm slot holds the engine"
    assert seeded == warm, "the second slot's engine is the copy, not a new build"
    assert not list(cache.glob("*.seeding-*")), "no copy is left half-way"


def crate_dir_of_a_kernel():
    with started() as kc:
        return crate_dir(kc)
