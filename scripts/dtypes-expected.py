#!/usr/bin/env python3
"""Pins numpy 2's dtype rules and casts for tests/dtypes.rs: writes
tests/data/dtypes_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/dtypes-expected.py`.

- `promote`: `np.result_type` of every pair of tessera's dtypes;
- `weak`: the dtype of `array + scalar` for Python scalars (NEP 50), or `"error"` where numpy
  raises (an integer the array's dtype does not hold: tessera widens instead, documented);
- `casts`: for every pair of dtypes, values of the first that the second holds (NaN and ±inf
  into floats only) and numpy's `astype` of them;
- `reductions`: numpy's reductions of a small array of each dtype (values and dtypes).
Values travel as in scripts/pinning.py.
"""
import warnings

import numpy as np

from pinning import pinned, write_pinned

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64"]
SCALARS = [True, 1, -1, 300, 70000, 2**40, 2.5]
CANDIDATES = [0, 1, 2, 7, 100, 127, 255, 1000, 32767, 65504, 65535, 2**31 - 1, 2**32 - 1,
              2**53, -1, -2, -100, -128, -32768, -2**31, 0.5, -0.5, 2.75, -7.25, 1e-3, 1e30,
              -0.0, np.nan, np.inf, -np.inf]


def holds(dtype, v):
    """Whether `dtype` holds `v` after numpy's conversion (floats truncate toward zero)."""
    if dtype == "bool":
        return True
    if "float" in dtype:
        return not np.isfinite(v) or abs(v) <= float(np.finfo(dtype).max)
    if not np.isfinite(v):
        return False
    info = np.iinfo(dtype)
    return info.min <= int(v) <= info.max


def cast_values(src):
    """The candidates `src` holds (fractions and non-finite values only in floats)."""
    out = [v for v in CANDIDATES
           if holds(src, v) and (float(v).is_integer() or "float" in src)]
    with np.errstate(all="ignore"):
        return np.array(out).astype(src)


def casts():
    cases = []
    for src in DTYPES:
        x = cast_values(src)
        for dst in DTYPES:
            keep = np.array([holds(dst, float(v)) and (np.isfinite(float(v)) or "float" in dst)
                             for v in x], dtype=bool)
            y = x[keep] if len(x) else x
            with np.errstate(all="ignore"):
                cases.append({"from": src, "to": dst, "input": pinned(y),
                              "output": pinned(y.astype(dst))})
    return cases


def weak():
    cases = []
    for d in DTYPES:
        for s in SCALARS:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    got = str((np.zeros(2, d) + s).dtype)
            except OverflowError:
                got = "error"
            kind = "bool" if isinstance(s, bool) else ("int" if isinstance(s, int) else "float")
            cases.append({"dtype": d, "kind": kind, "value": s, "result": got})
    return cases


def reductions():
    cases = []
    for d in DTYPES:
        if d == "bool":
            x = np.array([True, False, True, True, False, True, True])
        elif "float" in d:
            x = np.array([1.5, -2.25, 3.0, 0.0, 7.5, -0.5, 2.0, 100.0, -3.0]).astype(d)
        else:
            x = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 100, 127], dtype=d)
        with np.errstate(all="ignore"):
            out = {"sum": np.sum(x), "prod": np.prod(x[:6]), "min": np.min(x), "max": np.max(x),
                   "mean": np.mean(x), "var": np.var(x), "std": np.std(x, ddof=1),
                   "argmin": np.argmin(x), "argmax": np.argmax(x), "nansum": np.nansum(x),
                   "nanmean": np.nanmean(x) if d != "bool" else np.mean(x)}
        cases.append({"input": pinned(x),
                      "outputs": {k: pinned(np.asarray(v)) for k, v in out.items()}})
    return cases


def main():
    out = {
        "numpy": np.__version__,
        "dtypes": DTYPES,
        "promote": [[str(np.result_type(a, b)) for b in DTYPES] for a in DTYPES],
        "weak": weak(),
        "casts": casts(),
        "reductions": reductions(),
    }
    path = write_pinned("dtypes_expected.json", out)
    print(f"wrote {len(out['casts'])} casts, {len(out['weak'])} weak-scalar cases to {path} "
          f"(numpy {np.__version__})")


if __name__ == "__main__":
    main()
