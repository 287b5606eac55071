#!/usr/bin/env python3
"""Pins numpy's indexing results for tests/indexing.rs: writes tests/data/indexing_expected.json.

Run with the test venv's Python: `.venv/bin/python scripts/indexing-expected.py`.

`slices`: an input array, numpy's index (as text, for messages) and its elements, each an
integer, `"newaxis"`, `"..."` or a slice `{"slice": [start, stop, step], "len": n}` (None as
null; `len` the length of the axis it applies to, which tessera's `numpy_slice` needs), and
numpy's result. `takes`: an input, integer indices (unsorted, repeated, negative, empty), an
axis and `np.take(x, indices, axis)`. `assignments`: numpy's `x[m] = v` (`where_mask`),
`x[a:b:k] = y` (`set_slice`) and `np.compress(c, x, axis)` (`compress`) with their inputs.
`choosing`: `np.isin(x, values)` and `np.select` by thresholds. `pointwise`: `x[i0, i1]` with
index lists (`vindex`). `masks`: `x[x > 0.5]`, `np.flatnonzero`, `np.nonzero`, `np.argwhere`. Arrays are `pinning.pinned`
(floats as bit patterns).
"""

import numpy as np

from pinning import pinned, write_pinned


def inputs(rng):
    """Arrays of every dtype, with NaN and infinities among the floats, and an empty one."""
    f = rng.uniform(-5, 5, (13, 7))
    f[1, 2], f[4, 0], f[7, 6] = np.nan, np.inf, -np.inf
    return [
        f,
        rng.uniform(-1, 1, (5, 3, 4)).astype(np.float32),
        rng.integers(-2**40, 2**40, (11, 4)),
        rng.integers(-1000, 1000, (4, 9)).astype(np.int32),
        rng.integers(0, 2, (6, 5)).astype(bool),
        np.zeros((0, 4)),
    ]


def element(e, length):
    if e is None:
        return "newaxis"
    if e is Ellipsis:
        return "..."
    if isinstance(e, slice):
        return {"slice": [e.start, e.stop, e.step if e.step is not None else 1], "len": length}
    return e


def encode(x, index):
    """The elements of `index` with the length of the axis each one applies to."""
    consumed = sum(1 for e in index if e is not None and e is not Ellipsis)
    out, axis = [], 0
    for e in index:
        if e is Ellipsis:
            out.append("...")
            axis += x.ndim - consumed
            continue
        out.append(element(e, x.shape[axis] if axis < x.ndim and e is not None else 0))
        if e is not None:
            axis += 1
    return out


def text(index):
    def one(e):
        if e is None:
            return "np.newaxis"
        if e is Ellipsis:
            return "..."
        if isinstance(e, slice):
            part = lambda v: "" if v is None else str(v)  # noqa: E731
            s = f"{part(e.start)}:{part(e.stop)}"
            return s + (f":{e.step}" if e.step is not None else "")
        return str(e)
    return "x[" + ", ".join(one(e) for e in index) + "]"


S = slice
SLICES = [
    (S(None, 100),),                     # clips
    (S(-100, 3),),
    (S(20, None),),                      # empty: start past the end
    (S(7, 2, -2),),                      # numpy's negative step
    (S(None, None, -1), S(None, None, -3)),
    (S(-2, None, -4), S(1, 100)),
    (S(100, -100, -4),),
    (S(2, 5, -1),),                      # empty: backwards from before the stop
    (Ellipsis, 0),
    (1, Ellipsis),
    (Ellipsis, S(None, None, -2), None),
    (None, Ellipsis, S(-3, None)),
    (Ellipsis,),
]

# (numpy text, kind, parameters): x[m] = v with a mask from a comparison; x[a:b:k] = y with y
# broadcast over the other axes; np.compress(c, x, axis)
def assignments(x, rng):
    out = []
    m = (rng.uniform(0, 1, x.shape) > 0.6)
    for value in [-1.0, 2.5]:
        want = x.copy()
        want[m] = value
        out.append({"numpy": f"x[m] = {value}", "kind": "where_mask", "mask": pinned(m),
                    "value": value, "want": pinned(want)})
    for a, b, k in [(1, 4, 1), (None, None, -1), (-2, None, 1), (3, 0, -1)]:
        rows = x[slice(a, b, k)].shape[0]
        y = np.arange(rows * (x.shape[1] if x.ndim > 1 else 1)).reshape(
            (rows,) + x.shape[1:2] + (1,) * (x.ndim - 2)).astype(x.dtype)
        want = x.copy()
        want[slice(a, b, k)] = y
        out.append({"numpy": f"x[{a}:{b}:{k}] = y", "kind": "set_slice", "rows": [a, b, k],
                    "y": pinned(y), "want": pinned(want)})
    for axis in range(x.ndim):
        c = (rng.uniform(0, 1, max(x.shape[axis] - 1, 0)) > 0.5).tolist()
        out.append({"numpy": f"np.compress({c}, x, {axis})", "kind": "compress",
                    "condition": c, "axis": axis, "want": pinned(np.compress(c, x, axis))})
    return out


def choosing(x):
    """np.isin with a list of values (on every dtype) and np.select by thresholds on x (not
    bool: the choices are x and x * 2)."""
    out = []
    for values in [[1.0, 4.0, -3.0, 2.5], [0.0], []]:
        out.append({"numpy": f"np.isin(x, {values})", "kind": "isin", "values": values,
                    "input": pinned(x), "want": pinned(np.isin(x, values))})
    if x.dtype != bool:
        lo, hi = (-1, 1) if x.dtype.kind == "f" else (-100, 100)
        want = np.select([x < lo, x > hi], [x, x * 2], -1)
        out.append({"numpy": f"np.select([x < {lo}, x > {hi}], [x, x * 2], -1)",
                    "kind": "select", "lo": lo, "hi": hi, "input": pinned(x),
                    "want": pinned(want)})
    return out


def pointwise(x):
    """numpy's x[i0, i1] with index lists (repeated, negative, one of length 1 broadcast)."""
    out = []
    if x.ndim < 2 or x.shape[0] == 0:
        return out
    r, c = x.shape[0], x.shape[1]
    for lists in [[[0, -1, 1, 0], [1, 0, -1, 1]], [[r - 1], [0, c - 1, 1]], [[2, 0, 2]]]:
        want = x[tuple(np.array(i) for i in lists)]
        out.append({"numpy": f"x[{', '.join(map(str, lists))}]", "lists": lists,
                    "input": pinned(x), "want": pinned(want)})
    return out


def masks(x):
    """x[m] with m a comparison of x (x itself for bool), and np.flatnonzero, np.nonzero,
    np.argwhere of x (NaN counts as nonzero)."""
    m = x if x.dtype == bool else x > 0.5
    out = [{"numpy": "x[x > 0.5]", "kind": "mask", "threshold": 0.5, "input": pinned(x),
            "want": pinned(x[m])},
           {"numpy": "np.flatnonzero(x)", "kind": "flatnonzero", "input": pinned(x),
            "want": pinned(np.flatnonzero(x).astype(np.int64))},
           {"numpy": "np.argwhere(x)", "kind": "argwhere", "input": pinned(x),
            "want": pinned(np.argwhere(x).astype(np.int64))}]
    for axis, part in enumerate(np.nonzero(x)):
        out.append({"numpy": f"np.nonzero(x)[{axis}]", "kind": "nonzero", "axis": axis,
                    "input": pinned(x), "want": pinned(part.astype(np.int64))})
    return out


TAKES = [
    ([3, 0, 0, -1, 2, 2, 2], 0),         # unsorted, repeated, negative
    ([-1, 1, -3], 1),
    ([], 0),                             # empty selection
    ([0, 1, 2, 3], -1),
]


def main():
    rng = np.random.default_rng(20)
    slices, takes, assigned, chosen, points, masked = [], [], [], [], [], []
    for x in inputs(rng):
        assigned.extend(dict(a, input=pinned(x)) for a in assignments(x, rng))
        chosen.extend(choosing(x))
        points.extend(pointwise(x))
        masked.extend(masks(x))
        for index in SLICES:
            try:
                want = x[index]
            except IndexError:
                continue
            slices.append({"input": pinned(x), "numpy": text(index),
                           "elems": encode(x, index), "want": pinned(want)})
        for indices, axis in TAKES:
            length = x.shape[axis]
            usable = [i for i in indices if -length <= i < length]
            idx = np.array(usable, dtype=np.int64)
            takes.append({"input": pinned(x), "indices": usable, "axis": axis,
                          "want": pinned(np.take(x, idx, axis=axis))})
    out = {"numpy": np.__version__, "slices": slices, "takes": takes, "assignments": assigned,
           "choosing": chosen, "pointwise": points, "masks": masked}
    path = write_pinned("indexing_expected.json", out)
    print(f"wrote {len(slices)} slices, {len(takes)} takes, {len(assigned)} assignments to "
          f"{path} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
