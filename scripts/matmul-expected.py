#!/usr/bin/env python3
"""Pins numpy's matrix products for tests/linalg.rs: writes tests/data/matmul_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/matmul-expected.py`.

Each case gives both operands (dtype, shape, values), whether tessera is to read each as the
transpose of the array it is given (`a.t()`: the stored values are the transposed operand's),
and numpy's `a @ b`: dtype, shape, values, and `scale` = `|a| @ |b|` (the bound of the
rounding error of any summation order). Floats travel as Python's `repr` (exact, and `nan`,
`inf`, `-inf` for the specials), integers as integers.
"""
import json
import pathlib

import numpy as np


def values(a):
    flat = np.ascontiguousarray(a).ravel().tolist()
    return [repr(float(v)) if a.dtype.kind == "f" else int(v) for v in flat]


def operand(a, transposed):
    stored = a.T if transposed else a
    return {"dtype": str(a.dtype), "shape": list(stored.shape), "values": values(stored),
            "transposed": transposed}


def case(a, b, ta=False, tb=False):
    with np.errstate(all="ignore"):
        out = a @ b
        scale = np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64))
    return {"lhs": operand(a, ta), "rhs": operand(b, tb), "dtype": str(out.dtype),
            "shape": list(out.shape), "values": values(out), "scale": values(scale)}


def main():
    rng = np.random.default_rng(18)
    u = lambda *shape: rng.uniform(-1, 1, shape)  # noqa: E731
    cases = [
        case(u(5, 7), u(7, 3)),
        case(u(13, 17), u(17, 11)),  # odd shapes, chunked in 3s and 7s by the test
        case(u(9, 13).astype(np.float32), u(13, 6).astype(np.float32)),
        case(u(12, 8), u(12, 8).T.copy(), tb=True),  # a @ c.T
        case(u(8, 12).T.copy(), u(8, 5), ta=True),  # c.T @ b
        case(u(6, 10), u(10, 6), ta=True, tb=True),
        # integers: exact, beyond float64's 53 bits of precision
        case(rng.integers(-2**40, 2**40, (6, 5)), rng.integers(-2**20, 2**20, (5, 4))),
        case(rng.integers(-1000, 1000, (7, 9)).astype(np.int32),
             rng.integers(-1000, 1000, (9, 3)).astype(np.int32), tb=True),
        # specials: NaN and ±inf propagate; inf · 0 is NaN
        case(np.array([[np.nan, 1.0, 2.0], [np.inf, 0.0, 1.0], [1.0, 2.0, 3.0],
                       [-np.inf, 1.0, 0.0]]),
             np.array([[1.0, 0.0], [2.0, 1.0], [3.0, -1.0]])),
        # empty: no rows, no inner length (zeros), no columns
        case(np.zeros((0, 3)), u(3, 4)),
        case(np.zeros((3, 0)), np.zeros((0, 4))),
        case(u(3, 4), np.zeros((4, 0))),
    ]
    out = {"numpy": np.__version__, "cases": cases}
    path = pathlib.Path(__file__).resolve().parent.parent / "tests/data/matmul_expected.json"
    path.write_text(json.dumps(out, indent=0) + "\n")
    print(f"wrote {len(cases)} cases to {path} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
