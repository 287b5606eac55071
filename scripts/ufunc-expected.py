#!/usr/bin/env python3
"""Pins numpy's values of the elementwise functions added through the table (log10, arctan2)
for tests/ufunc.rs: writes tests/data/ufunc_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/ufunc-expected.py`.

Values travel as bit patterns (hex of the IEEE-754 bits, as the dtype stores them), so NaN,
infinities and -0.0 survive JSON exactly. Each case names the numpy function, the input
dtypes and shapes, the inputs, and numpy's result dtype and values.
"""
import json
import pathlib

import numpy as np

from pinning import bits, pinned

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 10.0, 1e-310, 5e-324,
           1e300, 1.7976931348623157e308, 123.456, -2.5, 3.0]


def case(func, *inputs):
    note = None
    with np.errstate(all="ignore"):
        out = getattr(np, func)(*inputs)
    return {
        "note": note,
        "func": func,
        "inputs": [pinned(x) for x in inputs],
        "dtype": str(out.dtype),
        "shape": list(out.shape),
        "values": bits(out),
    }


def main():
    rng = np.random.default_rng(19)
    cases = []
    special = np.array(SPECIAL)
    spread = np.concatenate([special, 10.0 ** rng.uniform(-30, 30, 40),
                             rng.uniform(-5, 5, 20)])
    # log10: floats of both widths (specials, a wide spread), integers and bool (float64),
    # 2-D, and empty arrays.
    cases.append(case("log10", spread))
    with np.errstate(over="ignore"):
        spread32 = spread.astype(np.float32)  # 1e300 and above become inf
    cases.append(case("log10", spread32))
    cases.append(case("log10", np.array([0, 1, 7, 10, 1000, -3, 2**31 - 1], dtype=np.int32)))
    cases.append(case("log10", np.array([1, 10**15, 3, 0, -1, 2**62], dtype=np.int64)))
    cases.append(case("log10", np.array([True, False, True])))
    cases.append(case("log10", spread[:77].reshape(7, 11)))
    cases.append(case("log10", np.zeros((0,))))
    cases.append(case("log10", np.zeros((0, 3), dtype=np.float32)))
    # arctan2: every pair of specials (signs of zeros and infinities), float32, ints, bool,
    # broadcasting (column against row), mixed dtypes, and empty arrays.
    ys, xs = np.meshgrid(special, special, indexing="ij")
    cases.append(case("arctan2", ys.ravel(), xs.ravel()))
    with np.errstate(over="ignore"):
        y32, x32 = ys.ravel().astype(np.float32), xs.ravel().astype(np.float32)
    cases.append(case("arctan2", y32, x32))
    cases.append(case("arctan2", rng.uniform(-4, 4, (9, 1)), rng.uniform(-4, 4, (1, 13))))
    cases.append(case("arctan2", np.array([0, 1, -1, 5, -7], dtype=np.int32),
                      np.array([1, 0, -1, -2, 3], dtype=np.int64)))
    cases.append(case("arctan2", np.array([True, False, True, False]),
                      np.array([True, True, False, False])))
    cases.append(case("arctan2", rng.uniform(-4, 4, 12).astype(np.float32),
                      rng.uniform(-4, 4, 12)))
    cases.append(case("arctan2", np.zeros((0, 4)), np.zeros((0, 4))))
    out = {"numpy": np.__version__, "cases": cases}
    path = pathlib.Path(__file__).resolve().parent.parent / "tests/data/ufunc_expected.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=0) + "\n")
    print(f"wrote {len(cases)} cases to {path} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
