#!/usr/bin/env python3
"""Pins numpy's values of the nan-reductions (nansum nanprod nanmin nanmax nanmean nanvar
nanstd nanargmin nanargmax) and count_nonzero for tests/nanreduce.rs: writes
tests/data/nanreduce_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/nanreduce-expected.py`.

Inputs: 1-D and 2-D arrays with NaN, ±inf and -0.0, an all-NaN row and column, every dtype
tessera has, over every axis choice (with keepdims), ddof 0, 1 and one past some slices'
counts, and empty arrays. A case numpy refuses (nanargmin of an all-NaN slice, nanmin of an
empty array) is pinned as `"error": true`. Values travel as in scripts/ufunc-expected.py.
"""
import warnings

import numpy as np

from pinning import bits, pinned, write_pinned

FUNCS = ["nansum", "nanprod", "nanmin", "nanmax", "nanmean", "nanvar", "nanstd", "nanargmin",
         "nanargmax", "count_nonzero"]
DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def inputs(dtype):
    rng = np.random.default_rng(19)
    line = np.array([np.nan, 1.5, -np.inf, -0.0, 2.0, np.nan, 0.25])
    grid = rng.uniform(-3, 3, (7, 5)).round(2)
    grid[rng.uniform(size=(7, 5)) < 0.3] = np.nan
    grid[:, 2] = np.nan  # an all-NaN column
    grid[4, :] = np.nan  # an all-NaN row
    grid[1, 1], grid[2, 3], grid[6, 0] = np.inf, -0.0, 0.0
    out = [line, grid, np.full((3, 4), np.nan), np.zeros((0,)), np.zeros((0, 3))]
    if dtype == "bool":
        return [np.nan_to_num(x, nan=0.0) != 0 for x in out]
    if dtype.startswith("int"):
        return [np.nan_to_num(x * 10, nan=0, posinf=99, neginf=-99).astype(dtype) for x in out]
    return [x.astype(dtype) for x in out]


def axes_of(x):
    if x.ndim == 1:
        return [None, 0]
    return [None, 0, 1, (0, 1)]


def run(func, x, axis, keepdims, ddof):
    kwargs = {"axis": axis, "keepdims": keepdims}
    if func in ("nanvar", "nanstd"):
        kwargs["ddof"] = ddof
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(getattr(np, func)(x, **kwargs))


def cases():
    """The inputs (each pinned once) and the cases, which name their input by position."""
    arrays, out = [], []
    for dtype in DTYPES:
        for x in inputs(dtype):
            arrays.append(pinned(x))
            for func in FUNCS:
                for axis in axes_of(x):
                    if func.startswith("nanarg") and axis == (0, 1):
                        continue  # numpy's argmin takes one axis or none
                    for keepdims in [False, True]:
                        for ddof in ([0, 1, 5] if func in ("nanvar", "nanstd") else [0]):
                            case = {"func": func, "input": len(arrays) - 1,
                                    "axis": list(axis) if isinstance(axis, tuple) else axis,
                                    "keepdims": keepdims, "ddof": ddof}
                            try:
                                case["output"] = pinned(run(func, x, axis, keepdims, ddof))
                            except ValueError:
                                case["error"] = True
                            out.append(case)
    return arrays, out


def main():
    arrays, pinned_cases = cases()
    data = {"numpy": np.__version__, "inputs": arrays, "cases": pinned_cases}
    path = write_pinned("nanreduce_expected.json", data)
    print(f"wrote {len(data['cases'])} cases to {path} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
