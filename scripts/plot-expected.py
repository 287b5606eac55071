#!/usr/bin/env python3
"""Pins numpy's and matplotlib's values for tests/plot.rs: writes tests/data/plot_expected.json.

Run with a Python that has numpy and matplotlib (matplotlib only for this script):
`PYTHONPATH=<dir with matplotlib> .venv/bin/python scripts/plot-expected.py`.

* `hist`: `np.histogram(x, bins, range)` (counts, edges) and `density=True` for inputs of
  every dtype tessera has, with NaN and ±inf (left out of the automatic range, as tessera
  documents: the range given to numpy is that of the finite values) and constant data; and
  values on the bin edges and the floats either side of each.
* `image`: the RGBA bytes matplotlib's `imshow` gives each value of a tiny image
  (`cmap(Normalize(vmin, vmax)(x), bytes=True)`), for each colormap, NaN included.
"""
import json
import pathlib

import matplotlib
import numpy as np

from pinning import pinned

DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def hist_inputs(dtype):
    rng = np.random.default_rng(23)
    x = rng.normal(0, 2, 101)
    x[[3, 50]] = np.nan
    x[7], x[9] = np.inf, -np.inf
    const = np.full(5, 2.0)
    if dtype == "bool":
        return [x > 0, const > 0]
    if dtype.startswith("int"):
        return [np.nan_to_num(x * 10, nan=0, posinf=0, neginf=0).astype(dtype),
                const.astype(dtype)]
    return [x.astype(dtype), const.astype(dtype)]


def edge_inputs():
    """Values on the bin edges and the floats either side of them (numpy's index correction
    decides their bins), with the range that makes those edges."""
    out = []
    for bins, rng in [(7, (0.1, 0.7)), (10, (-1.0, 3.0)), (3, (0.0, 1.0))]:
        edges = np.histogram_bin_edges([], bins, rng)
        x = np.concatenate([edges, np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)])
        out.append((x, bins, rng))
    return out


def hist_cases():
    cases = []
    for x, bins, rng in edge_inputs():
        counts, edges = np.histogram(x, bins, rng)
        density, _ = np.histogram(x, bins, rng, density=True)
        cases.append({"input": pinned(x), "bins": bins, "range": list(rng),
                      "counts": counts.tolist(), "edges": pinned(edges),
                      "density": pinned(density)})
    for dtype in DTYPES:
        for x in hist_inputs(dtype):
            f = x.astype(np.float64)
            finite = f[np.isfinite(f)]
            for bins, rng in [(7, None), (10, (-1.0, 3.0)), (1, None)]:
                span = rng if rng is not None else (finite.min(), finite.max())
                counts, edges = np.histogram(f[~np.isnan(f)], bins, span)
                density, _ = np.histogram(f[~np.isnan(f)], bins, span, density=True)
                cases.append({
                    "input": pinned(x), "bins": bins, "range": rng,
                    "counts": counts.tolist(), "edges": pinned(edges),
                    "density": pinned(density),
                })
    return cases


def image_cases():
    x = np.array([[0.0, 1.0, 2.0], [3.0, np.nan, 5.0]])
    out = []
    for name in ["viridis", "magma", "gray", "RdBu"]:
        cmap = matplotlib.colormaps[name]
        norm = matplotlib.colors.Normalize(0.5, 4.5)
        rgba = cmap(norm(np.ma.masked_invalid(x)), bytes=True)
        rgba[np.isnan(x)] = 0  # tessera leaves NaN transparent (matplotlib's "bad" colour)
        out.append({"cmap": name, "input": pinned(x), "vmin": 0.5, "vmax": 4.5,
                    "rgba": rgba.reshape(-1).tolist()})
    return out


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "tests/data/plot_expected.json"
    out.write_text(json.dumps({"hist": hist_cases(), "image": image_cases()}, indent=0))


if __name__ == "__main__":
    main()
