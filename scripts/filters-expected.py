#!/usr/bin/env python3
"""Pins scipy.ndimage's values of `uniform_filter` and `gaussian_filter` for
tests/filters.rs: writes tests/data/filters_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/filters-expected.py`.

Inputs: a finite (9, 11) array in int32, int64, float32 and float64, and a float one with NaN,
±inf and -0.0. Cases: sizes 3, (3, 1), (2, 5) (even) and 7 (a depth larger than a block of 3);
sigmas 1, (0.5, 2) and (1.5, 0) with truncate 4 and 2; every mode. Odd uniform windows are
pinned as scipy's `correlate1d` with weights 1/size along each axis (`"compare": "ulps"`,
tessera sums in the same order): scipy's `uniform_filter` keeps a running sum, so one inf makes
the rest of its line NaN and an integer mean can truncate from just below a whole number, where
tessera (and `correlate1d`) sums each window. On finite floats `uniform_filter` itself and
`gaussian_filter` are pinned too (`"compare": "close"`: within a few float epsilons of the
inputs' magnitude, which a running sum, or numpy's SIMD `exp` in the Gaussian's weights,
changes in the last bits). Values travel as in scripts/ufunc-expected.py.
"""
import json
import pathlib

import numpy as np
from scipy import ndimage

from pinning import pinned

MODES = ["reflect", "mirror", "nearest", "wrap", "constant"]


def grid(dtype, special):
    rng = np.random.default_rng(24)
    x = rng.uniform(-3, 3, (9, 11)).round(2)
    if special:
        x[1, 2], x[3, 5], x[0, 10], x[8, 0] = np.nan, np.inf, -np.inf, -0.0
    if dtype.startswith("int"):
        return (x * 10).round().astype(dtype)
    return x.astype(dtype)


def uniform_by_correlate(x, sizes, mode, cval):
    out = x
    for axis, s in enumerate(sizes):
        if s > 1:
            w = np.full(s, 1.0 / s)
            out = ndimage.correlate1d(out, w, axis=axis, mode=mode, cval=cval)
    return out


def main():
    inputs, cases = [], []
    for dtype, special in [("int32", False), ("int64", False), ("float32", False),
                           ("float64", False), ("float32", True), ("float64", True)]:
        x = grid(dtype, special)
        inputs.append(pinned(x))
        which = len(inputs) - 1
        cval = -1.5 if dtype.startswith("float") else 5
        for mode in MODES:
            for size in [3, (3, 1), (2, 5), 7]:
                sizes = (size, size) if isinstance(size, int) else size
                even = any(s % 2 == 0 for s in sizes)
                base = {"func": "uniform_filter", "input": which, "mode": mode, "cval": cval,
                        "size": list(sizes)}
                with np.errstate(all="ignore"):
                    if not even:
                        out = uniform_by_correlate(x, sizes, mode, cval)
                        cases.append({**base, "compare": "ulps", "output": pinned(out)})
                    if not special and dtype.startswith("float"):
                        out = ndimage.uniform_filter(x, size, mode=mode, cval=cval)
                        cases.append({**base, "compare": "close", "output": pinned(out)})
            for sigma in [1.0, (0.5, 2.0), (1.5, 0.0)]:
                for truncate in [4.0, 2.0]:
                    with np.errstate(all="ignore"):
                        out = ndimage.gaussian_filter(x, sigma, mode=mode, cval=cval,
                                                      truncate=truncate)
                    sigmas = [sigma, sigma] if isinstance(sigma, float) else list(sigma)
                    cases.append({"func": "gaussian_filter", "input": which, "mode": mode,
                                  "cval": cval, "sigma": sigmas, "truncate": truncate,
                                  "compare": "close", "output": pinned(out)})
    path = pathlib.Path(__file__).resolve().parent.parent / "tests/data/filters_expected.json"
    path.write_text(json.dumps({"inputs": inputs, "cases": cases}))


if __name__ == "__main__":
    main()
