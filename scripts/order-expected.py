#!/usr/bin/env python3
"""Pins numpy's values of the scans and differences for tests/scans.rs: writes
tests/data/scans_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/order-expected.py`.

Inputs: a (7, 5) array in each of tessera's twelve dtypes (the floats with NaN, +inf, -inf and
-0.0 in a second copy), a 1-D odd length 11, 1-D integers whose sums, products or differences
wrap, and an empty (0, 3). Cases: cumsum, cumprod, nancumsum, nancumprod along every axis (and
-1, and None: the flattened array);
diff with n = 1, 2 and 9 (more than the axis holds) along every axis; ediff1d; gradient
(spacing 1 and 0.5, axes of 2 elements or more) and trapezoid (dx 1 and 0.5) along every axis,
not on bool (numpy's gradient raises; tessera asks for a cast in both). trapezoid is compared
within a tolerance (`"compare": "close"`: its sum runs in tessera's order), the rest exactly.
Values travel as in scripts/pinning.py.
"""
import numpy as np

from pinning import pinned, write_pinned

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64"]
SCANS = {
    "cumsum": np.cumsum,
    "cumprod": np.cumprod,
    "nancumsum": np.nancumsum,
    "nancumprod": np.nancumprod,
}


def inputs():
    rng = np.random.default_rng(21)
    base = rng.integers(-3, 4, (7, 5)).astype(float)
    base[base == 0] = 1.5
    out = []
    for dtype in DTYPES:
        if dtype == "bool":
            x = base > 0
        elif dtype.startswith("uint"):
            x = np.abs(base).round().astype(dtype)
        elif dtype.startswith("int"):
            x = base.round().astype(dtype)
        else:
            x = (base / 2).astype(dtype)
        out.append((f"{dtype}", x))
        if dtype.startswith("float"):
            y = x.copy()
            y[1, 2], y[3, 0], y[5, 4], y[0, 1], y[6, 3] = np.nan, np.inf, -np.inf, -0.0, np.nan
            out.append((f"{dtype}-special", y))
    out.append(("int64-1d", rng.integers(-5, 6, 11)))
    # products and sums that wrap (numpy's integers wrap silently), diffs of small ints that do
    out.append(("int64-wrap", np.full(9, 2**20 + 3, dtype="int64")))
    out.append(("uint64-wrap", np.array([2**63, 2**63 + 5, 7, 2**62, 3], dtype="uint64")))
    out.append(("int8-wrap", np.array([127, -128, 100, -100, 0, 127], dtype="int8")))
    out.append(("uint8-wrap", np.array([0, 255, 1, 200, 3], dtype="uint8")))
    out.append(("float64-1d", rng.uniform(-2, 2, 11)))
    out.append(("float64-empty", np.zeros((0, 3))))
    out.append(("int32-empty", np.zeros((0, 3), dtype="int32")))
    return out


def cases():
    result = []
    for name, x in inputs():
        axes = list(range(x.ndim)) + [-1]
        for op, f in SCANS.items():
            for axis in axes:
                result.append({"input": name, "x": pinned(x), "op": op, "axis": axis,
                               "want": pinned(f(x, axis=axis))})
        # numpy's axis=None: the flattened array (tessera: `ravel()` then axis 0)
        for op, f in SCANS.items():
            result.append({"input": name, "x": pinned(x), "op": op, "axis": None,
                           "want": pinned(f(x, axis=None))})
        for n in [1, 2, 9]:
            for axis in axes:
                result.append({"input": name, "x": pinned(x), "op": "diff", "n": n,
                               "axis": axis, "want": pinned(np.diff(x, n=n, axis=axis))})
        if x.dtype == bool:
            continue
        result.append({"input": name, "x": pinned(x), "op": "ediff1d",
                       "want": pinned(np.ediff1d(x))})
        for h in [1.0, 0.5]:
            for axis in axes:
                if x.shape[axis] >= 2:
                    result.append({"input": name, "x": pinned(x), "op": "gradient",
                                   "spacing": h, "axis": axis, "compare": "ulps",
                                   "want": pinned(np.gradient(x, h, axis=axis))})
                result.append({"input": name, "x": pinned(x), "op": "trapezoid", "dx": h,
                               "axis": axis, "compare": "close",
                               "want": pinned(np.trapezoid(x, dx=h, axis=axis))})
    return result


def main():
    with np.errstate(all="ignore"):
        data = {"numpy": np.__version__, "cases": cases()}
    path = write_pinned("scans_expected.json", data)
    print(f"wrote {len(data['cases'])} cases to {path}")


if __name__ == "__main__":
    main()
