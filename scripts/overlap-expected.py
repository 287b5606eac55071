#!/usr/bin/env python3
"""Pins dask's values of `overlap` and `map_overlap` for tests/overlap.rs: writes
tests/data/overlap_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/overlap-expected.py`.

Input: a (9, 11) array with NaN, ±inf and -0.0 in every dtype tessera has, in chunks (3, 4)
and (7, 5); depths 1, (2, 1) and (3, 0); every boundary dask has. Each case pins the
overlapped array (its chunks and values) and `map_overlap` of a 3×3 box sum with trim (the
same function is written in Rust in the test). Values travel as in scripts/ufunc-expected.py.
"""
import json
import pathlib

import dask.array as da
import numpy as np

from pinning import pinned

DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def grid(dtype):
    rng = np.random.default_rng(23)
    x = rng.uniform(-3, 3, (9, 11)).round(2)
    x[1, 2], x[3, 5], x[0, 10], x[8, 0] = np.nan, np.inf, -np.inf, -0.0
    if dtype == "bool":
        return np.nan_to_num(x, nan=0.0) > 0
    if dtype.startswith("int"):
        return np.nan_to_num(x * 10, nan=0, posinf=99, neginf=-99).round().astype(dtype)
    return x.astype(dtype)


def box3(block):
    """The sum of each element's 3×3 neighbourhood inside the block (edges: what is there)."""
    b = block.astype(np.float64)
    p = np.pad(b, 1)
    out = sum(p[i:i + b.shape[0], j:j + b.shape[1]] for i in range(3) for j in range(3))
    return out


def main():
    cases = []
    for dtype in DTYPES:
        x = grid(dtype)
        constant = -1.5 if dtype.startswith("float") else (True if dtype == "bool" else 5)
        for chunks in [(3, 4), (7, 5)]:
            a = da.from_array(x, chunks=chunks)
            for depth in [1, (2, 1), (3, 0)]:
                for boundary in ["none", "reflect", "periodic", "nearest", "constant"]:
                    b = constant if boundary == "constant" else boundary
                    d = {0: depth, 1: depth} if isinstance(depth, int) else dict(enumerate(depth))
                    with np.errstate(all="ignore"):
                        g = da.overlap.overlap(a, depth=d, boundary=b)
                        m = a.map_overlap(box3, depth=d, boundary=b, trim=True,
                                          dtype=np.float64)
                        cases.append({
                            "dtype": dtype, "chunks": list(chunks),
                            "depth": [depth, depth] if isinstance(depth, int) else list(depth),
                            "boundary": boundary, "value": constant,
                            "overlap_chunks": [list(c) for c in g.chunks],
                            "overlap": pinned(g.compute()),
                            "box3": pinned(m.compute()),
                        })
    out = {"inputs": {d: pinned(grid(d)) for d in DTYPES}, "cases": cases}
    path = pathlib.Path(__file__).resolve().parent.parent / "tests/data/overlap_expected.json"
    path.write_text(json.dumps(out))


if __name__ == "__main__":
    main()
