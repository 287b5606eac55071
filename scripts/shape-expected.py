#!/usr/bin/env python3
"""Pins numpy's values of the shape helpers (pad in every mode, flip, rot90, roll, moveaxis,
swapaxes, squeeze, expand_dims, ravel, atleast_*d, broadcast_to, tile, repeat, split,
array_split, block, diagonal, tril, triu, eye, indices, meshgrid) for tests/shape_helpers.rs:
writes tests/data/shape_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/shape-expected.py`.

Inputs: a 1-D and a 2-D array with NaN, ±inf and -0.0, a 3-D range and an empty (0, 3) array,
in every dtype tessera has. Each case names its input by position, its parameters as tessera
takes them, and numpy's outputs (several for split); a case numpy refuses is pinned as
`"error": true`. Values travel as in scripts/ufunc-expected.py.
"""
import json
import pathlib

import numpy as np

from pinning import pinned

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
PAD_MODES = ["constant", "edge", "wrap", "reflect", "symmetric", "linear_ramp", "minimum",
             "maximum", "mean"]


def inputs(dtype):
    rng = np.random.default_rng(22)
    line = np.array([np.nan, 1.5, -np.inf, -0.0, 2.0, np.inf, 0.25])
    grid = rng.uniform(-3, 3, (5, 8)).round(2)
    grid[1, 2], grid[3, 5], grid[0, 7], grid[4, 0] = np.nan, np.inf, -np.inf, -0.0
    cube = np.arange(24.0).reshape(2, 3, 4) - 7
    out = [line, grid, cube, np.zeros((0, 3))]
    if dtype == "bool":
        return [np.nan_to_num(x, nan=0.0) != 0 for x in out]
    if dtype.startswith("int"):
        return [np.nan_to_num(x * 10, nan=0, posinf=99, neginf=-99).round().astype(dtype)
                for x in out]
    return [x.astype(dtype) for x in out]


def pad_cases(dtype):
    float_type = dtype.startswith("float")
    constant = -1.5 if float_type else (True if dtype == "bool" else 5)
    ramp_end = -3.0 if float_type else 10
    widths = [(0, [(2, 3)]), (0, [(9, 10)]), (1, [(1, 2), (3, 0)]), (1, [(6, 7), (2, 9)]),
              (2, [(1, 1), (0, 2), (3, 1)]), (3, [(1, 2), (2, 1)]), (3, [(0, 0), (1, 2)])]
    for mode in PAD_MODES:
        if mode == "linear_ramp" and dtype == "bool":
            continue
        for which, width in widths:
            kwargs = {}
            if mode == "constant":
                kwargs["constant_values"] = constant
            if mode == "linear_ramp":
                kwargs["end_values"] = ramp_end
            params = {"width": width, "mode": mode, "value": kwargs.get(
                "constant_values", kwargs.get("end_values"))}
            yield which, params, lambda x, w=width, m=mode, k=kwargs: np.pad(x, w, mode=m, **k)


def cases(dtype):
    yield from pad_cases(dtype)
    for axis in [None, 0, 1, -1]:
        yield 1, {"axis": axis}, ("flip", lambda x, a=axis: np.flip(x, a))
    yield 1, {}, ("fliplr", np.fliplr)
    yield 2, {}, ("flipud", np.flipud)
    for k in [1, 2, 3, -1, 4]:
        yield 1, {"k": k, "axes": [0, 1]}, ("rot90", lambda x, k=k: np.rot90(x, k))
        yield 2, {"k": k, "axes": [1, 2]}, ("rot90", lambda x, k=k: np.rot90(x, k, (1, 2)))
    for shift, axis, which in [(3, None, 1), (-2, 0, 1), (10, 1, 1), (-9, None, 0), (5, 2, 2)]:
        yield which, {"shift": shift, "axis": axis}, (
            "roll", lambda x, s=shift, a=axis: np.roll(x, s, a))
    for src, dst in [(0, -1), (2, 0), (1, 1)]:
        yield 2, {"source": src, "destination": dst}, (
            "moveaxis", lambda x, s=src, d=dst: np.moveaxis(x, s, d))
    yield 2, {"axis1": 0, "axis2": 2}, ("swapaxes", lambda x: np.swapaxes(x, 0, 2))
    for axes in [[], [0], [-1], [1]]:
        yield 0, {"axes": axes}, ("squeeze", lambda x, a=axes: np.squeeze(
            x[None, :, None], tuple(a) if a else None))
    for axes in [[0], [-1, 1], [3]]:
        yield 1, {"axes": axes}, ("expand_dims", lambda x, a=axes: np.expand_dims(x, tuple(a)))
    yield 2, {}, ("ravel", np.ravel)
    for n in [1, 2, 3]:
        yield 0, {"n": n}, (f"atleast_{n}d", getattr(np, f"atleast_{n}d"))
        yield 1, {"n": n}, (f"atleast_{n}d", getattr(np, f"atleast_{n}d"))
    for which, shape in [(0, [3, 7]), (1, [2, 5, 8]), (0, [7, 7]), (1, [5, 9])]:
        yield which, {"shape": shape}, (
            "broadcast_to", lambda x, s=shape: np.broadcast_to(x, s))
    for which, reps in [(0, [2]), (1, [2, 1]), (1, [1, 2, 3]), (2, [2]), (0, [0])]:
        yield which, {"reps": reps}, ("tile", lambda x, r=reps: np.tile(x, r))
    for which, n, axis in [(1, 2, None), (1, 3, 0), (1, 2, 1), (2, 2, -1), (0, 0, 0)]:
        yield which, {"repeats": n, "axis": axis}, (
            "repeat", lambda x, n=n, a=axis: np.repeat(x, n, a))
    for which, sections, axis in [(1, 5, 0), (1, 4, 1), (1, 3, 1), (0, [1, -2, 20], 0),
                                  (1, [5, 2, 6], 1)]:
        yield which, {"sections": sections, "axis": axis}, (
            "split", lambda x, s=sections, a=axis: tuple(np.split(x, s, a)))
        yield which, {"sections": sections, "axis": axis}, (
            "array_split", lambda x, s=sections, a=axis: tuple(np.array_split(x, s, a)))
    yield 1, {}, ("block", lambda x: np.block([[x, x[:, :3]], [x[:2, :], x[:2, :3]]]))
    for which, offset, a1, a2 in [(1, 0, 0, 1), (1, 2, 0, 1), (1, -1, 0, 1), (1, 9, 0, 1),
                                  (1, 1, 1, 0), (2, 1, 0, 2), (2, -1, 2, 1)]:
        yield which, {"offset": offset, "axis1": a1, "axis2": a2}, (
            "diagonal", lambda x, o=offset, a=a1, b=a2: np.diagonal(x, o, a, b))
    for k in [0, 1, -2, 9]:
        yield 1, {"k": k}, ("tril", lambda x, k=k: np.tril(x, k))
        yield 1, {"k": k}, ("triu", lambda x, k=k: np.triu(x, k))
        yield 2, {"k": k}, ("tril", lambda x, k=k: np.tril(x, k))


def run(func, x):
    try:
        with np.errstate(all="ignore"):
            out = func(x)
    except ValueError:
        return None
    return out if isinstance(out, tuple) else (out,)


def main():
    entries = {"inputs": {}, "cases": []}
    for dtype in DTYPES:
        xs = inputs(dtype)
        entries["inputs"][dtype] = [pinned(x) for x in xs]
        for which, params, func in cases(dtype):
            name, func = ("pad", func) if callable(func) else func
            case = {"func": name, "dtype": dtype, "input": which, "params": params}
            out = run(func, xs[which])
            if out is None:
                case["error"] = True
            else:
                case["outputs"] = [pinned(o) for o in out]
            entries["cases"].append(case)
        for n, m, k in [(4, None, 0), (4, 6, 1), (5, 3, -2), (3, 3, 5)]:
            entries["cases"].append({"func": "eye", "dtype": dtype, "params": {
                "n": n, "m": m, "k": k}, "outputs": [pinned(np.eye(n, m, k, dtype=dtype))]})
    entries["cases"].append({"func": "indices", "params": {"shape": [3, 4, 2]},
                             "outputs": [pinned(np.indices((3, 4, 2)))]})
    for indexing in ["xy", "ij"]:
        grids = np.meshgrid(np.arange(5), np.arange(10.0, 13.0), np.arange(2), indexing=indexing)
        entries["cases"].append({"func": "meshgrid", "params": {"indexing": indexing},
                                 "outputs": [pinned(g) for g in grids]})
    path = pathlib.Path(__file__).resolve().parent.parent / "tests/data/shape_expected.json"
    path.write_text(json.dumps(entries))


if __name__ == "__main__":
    main()
