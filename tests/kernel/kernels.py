"""Kernels started apart from the shared `kernel` fixture: in another working directory, with
another environment, or inside a network namespace."""

import contextlib
import json
import os
import pathlib

import jupyter_client

from helpers import error_text, run

CHECKOUT = pathlib.Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def started(cwd=None, env=None, **manager):
    """A tessera kernel started from the installed kernelspec (its client; `kc.manager` is its
    manager), shut down on exit. `env` is added to this process's environment."""
    km = jupyter_client.KernelManager(kernel_name="tessera", **manager)
    km.start_kernel(cwd=str(cwd or os.getcwd()), env={**os.environ, **(env or {})})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        kc.manager = km
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run_ok(kc, code):
    """Runs `code`, which must succeed: (reply, outputs)."""
    reply, outputs = run(kc, code)
    assert reply["status"] == "ok", f"{code!r}: {error_text(outputs) or reply}"
    return reply, outputs


def mime_types(outputs):
    """The MIME types of every execute_result and display_data, in order."""
    return [
        sorted(c["data"]) for t, c, _ in outputs if t in ("execute_result", "display_data")
    ]


def recipe_cells(count):
    """The first `count` code cells of the recipe notebook."""
    notebook = json.loads((CHECKOUT / "notebooks" / "out-of-core.ipynb").read_text())
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    return code[:count]


def crate_dir(kc):
    """The build directory of the cells' crate (the kernel's claimed slot)."""
    _, outputs = run_ok(kc, 'std::env::var("EVCXR_TMPDIR").unwrap()')
    [result] = [c for t, c, _ in outputs if t == "execute_result"]
    return pathlib.Path(json.loads(result["data"]["text/plain"]))
