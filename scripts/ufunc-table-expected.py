#!/usr/bin/env python3
"""Pins numpy's values of every function of tessera's elementwise table, and of the functions
composed from it, on every dtype tessera has, for tests/ufunc_table.rs: writes
tests/data/ufunc_table_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/ufunc-table-expected.py`.

For each row (by tessera's name; NUMPY maps it to numpy's) and each dtype (both operands of
one dtype for two-argument functions: every pair of a list of special values), the case holds
the inputs and numpy's result, or `"error": true` when numpy has no loop for the dtype
(tessera must refuse it too). Values travel as in scripts/ufunc-expected.py: floats as hex bit
patterns, ints and bool as numbers.
"""
import warnings

import numpy as np

from pinning import bits, pinned, write_pinned


FLOATS = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 10.0, 1e-310, 5e-324,
          1e300, 1.7976931348623157e308, 123.456, -2.5, 3.0, 0.9, -0.999, 1.5, 2.5, 710.0, -745.5]
PAIR_FLOATS = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.5, 3.0, 1e300, 7.25]
INTS = [0, 1, -1, 2, -2, 3, 7, -7, 100, 31, 63, -100, 12345]
INT_EXTREMES = {"int8": [127, -128], "int16": [2**15 - 1, -2**15], "int32": [2**31 - 1, -2**31],
                "int64": [2**63 - 1, -2**63], "uint8": [255], "uint16": [2**16 - 1],
                "uint32": [2**32 - 1], "uint64": [2**64 - 1, 2**63]}
PAIR_INTS = [0, 1, -1, 2, -3, 7, -7, 31, 64, 100]
BOOLS = [True, False]

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64"]


def held(ints, dtype):
    """The integers of `ints` that `dtype` holds."""
    info = np.iinfo(dtype)
    return [v for v in ints if info.min <= v <= info.max]

# tessera's row names that are not numpy's.
NUMPY = {"neg": "negative", "abs": "absolute", "not": "invert", "sub": "subtract",
         "mul": "multiply", "truediv": "true_divide", "pow": "power", "and": "bitwise_and",
         "or": "bitwise_or", "xor": "bitwise_xor", "eq": "equal", "ne": "not_equal",
         "lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal"}

UNARY = ["neg", "positive", "abs", "sign", "floor", "ceil", "trunc", "rint", "reciprocal",
         "square", "sqrt", "cbrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin",
         "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
         "arctanh", "deg2rad", "rad2deg", "isnan", "isinf", "isfinite", "isposinf", "isneginf",
         "not"]
BINARY = ["add", "sub", "mul", "truediv", "floor_divide", "remainder", "fmod", "pow",
          "float_power", "maximum", "minimum", "fmax", "fmin", "hypot", "copysign", "heaviside",
          "logaddexp", "logaddexp2", "arctan2", "eq", "ne", "lt", "le", "gt", "ge", "and", "or",
          "xor", "left_shift", "right_shift"]


def values(dtype):
    if dtype == "bool":
        return np.array(BOOLS)
    if "int" in dtype:
        return np.array(held(INTS, dtype) + INT_EXTREMES[dtype], dtype=dtype)
    with np.errstate(over="ignore"):
        return np.array(FLOATS).astype(dtype)


def pairs(dtype):
    if dtype == "bool":
        base = np.array(BOOLS)
    elif "int" in dtype:
        base = np.array(held(PAIR_INTS, dtype), dtype=dtype)
    else:
        with np.errstate(over="ignore"):
            base = np.array(PAIR_FLOATS).astype(dtype)
    x, y = np.meshgrid(base, base, indexing="ij")
    return x.ravel(), y.ravel()


def run(func, inputs):
    """numpy's result."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*inputs), None


def case(name, inputs):
    func = getattr(np, NUMPY.get(name, name))
    entry = {"func": name, "inputs": [pinned(x) for x in inputs]}
    try:
        out, note = run(func, inputs)
    except TypeError:
        entry["error"] = True
        return entry
    entry.update({"note": note, "dtype": str(out.dtype), "shape": list(out.shape),
                  "values": bits(out)})
    return entry


def table_cases():
    cases = []
    for name in UNARY:
        for dtype in DTYPES:
            cases.append(case(name, [values(dtype)]))
    for name in BINARY:
        for dtype in DTYPES:
            x, y = pairs(dtype)
            if name == "pow" and dtype.startswith("int"):
                y = np.abs(y)  # numpy refuses negative integer exponents (tested apart)
            cases.append(case(name, [x, y]))
    return cases


def composite(func, inputs, params, out):
    outs = out if isinstance(out, tuple) else (out,)
    return {"func": func, "params": params, "inputs": [pinned(x) for x in inputs],
            "outputs": [pinned(o) for o in outs]}


def composite_cases():
    cases = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dtype in DTYPES:
            x = values(dtype)
            # without the integer extremes: rounding them to tens leaves the dtype's range,
            # and out-of-range float-to-int casts are the cast's business (numpy's are x86's)
            r = x[:len(held(INTS, dtype))] if "int" in dtype else x
            for d in [0, 1, 2, -1, -2]:
                # numpy rounds bool in float16 (decimals 0) or refuses it; tessera in float16
                y = r.astype(np.float16) if dtype == "bool" else r
                cases.append(composite("round", [r], {"decimals": d}, np.round(y, d)))
            if dtype != "bool":
                low = -1.0 if "float" in dtype else (1 if dtype.startswith("u") else -1)
                high = 2.5 if "float" in dtype else 2
                cases.append(composite("clip", [x], {"min": low, "max": high},
                                       np.clip(x, low, high)))
            cases.append(composite("nan_to_num", [x], {"nan": 0.0},
                                   np.nan_to_num(x, nan=0.0)))
            cases.append(composite("nan_to_num", [x], {"nan": -9.0, "posinf": 1e9,
                                                       "neginf": -1e9},
                                   np.nan_to_num(x, nan=-9.0, posinf=1e9, neginf=-1e9)))
            if dtype != "bool":
                a, b = pairs(dtype)
                q, r = np.divmod(a, b)
                cases.append(composite("divmod", [a, b], {}, (q, r)))
        r = np.random.default_rng(19)
        base = np.array(PAIR_FLOATS)
        near = base * (1 + r.choice([0, 1e-9, 1e-6, 1e-4, 1e-2], base.size))
        x, y = np.meshgrid(base, near, indexing="ij")
        for equal_nan in [False, True]:
            for rtol, atol in [(1e-5, 1e-8), (1e-3, 0.0), (0.0, 0.5)]:
                params = {"rtol": rtol, "atol": atol, "equal_nan": equal_nan}
                cases.append(composite("isclose", [x.ravel(), y.ravel()], params,
                                       np.isclose(x.ravel(), y.ravel(), rtol, atol, equal_nan)))
        ints = np.array(PAIR_INTS, dtype=np.int64)
        cases.append(composite("isclose", [ints, ints[::-1].copy()], {"rtol": 0.5, "atol": 1.0,
                                                                     "equal_nan": False},
                               np.isclose(ints, ints[::-1], 0.5, 1.0)))
        f32 = np.array(PAIR_FLOATS, dtype=np.float32)
        cases.append(composite("isclose", [f32, (f32 * np.float32(1.000001))],
                               {"rtol": 1e-7, "atol": 0.0, "equal_nan": True},
                               np.isclose(f32, f32 * np.float32(1.000001), 1e-7, 0.0, True)))
    return cases


def main():
    out = {"numpy": np.__version__, "table": table_cases(), "composite": composite_cases()}
    path = write_pinned("ufunc_table_expected.json", out)
    print(f"wrote {len(out['table'])} table and {len(out['composite'])} composite cases to "
          f"{path} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
