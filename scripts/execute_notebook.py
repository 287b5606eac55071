"""Executes notebooks with the tessera kernel (nbclient) and writes them with their outputs.

Used by scripts/run-notebooks (refresh the saved outputs), ./install (an executed copy) and
the notebook tests (execute, then check the outputs)."""

import argparse
import pathlib
import sys
import time

import nbclient
import nbformat

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"


def execute(path, timeout=900):
    """The notebook at `path`, executed in its own directory; raises on a cell error."""
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=timeout, kernel_name="tessera", resources={"metadata": {"path": str(pathlib.Path(path).parent)}}
    )
    client.execute()
    return notebook


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path, help="default: every notebook in notebooks/")
    parser.add_argument("--to", type=pathlib.Path, help="write executed copies here instead of in place")
    args = parser.parse_args()
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        start = time.time()
        print(f"executing {path} …", flush=True)
        try:
            notebook = execute(path)
        except nbclient.exceptions.CellExecutionError as error:
            print(f"{path}: a cell failed:\n{error}", file=sys.stderr)
            return 1
        out = path if args.to is None else args.to / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, out)
        print(f"  wrote {out} ({time.time() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
