#!/usr/bin/env python3
"""Writes src/plot/colormap_tables.rs: matplotlib's 256-entry lookup tables of the colormaps
tessera::plot offers (viridis, magma, gray, RdBu), as RGB bytes.

Run with a Python that has matplotlib:
`PYTHONPATH=... .venv/bin/python scripts/colormaps.py` (matplotlib is not a test dependency:
the tables are pinned in the source, and tests compare pixels with them).
"""
import pathlib

import matplotlib
import numpy as np

NAMES = {"VIRIDIS": "viridis", "MAGMA": "magma", "GRAY": "gray", "RDBU": "RdBu"}


def table(name):
    cmap = matplotlib.colormaps[name].resampled(256)
    return cmap(np.arange(256), bytes=True)[:, :3]


def main():
    lines = [
        "//! matplotlib's colormaps as 256-entry RGB tables, written by `scripts/colormaps.py`",
        f"//! (matplotlib {matplotlib.__version__}); do not edit by hand.",
        "",
    ]
    for const, name in NAMES.items():
        lines.append(f"/// matplotlib's `{name}`: entry `i` is the colour of `i / 255`.")
        lines.append("#[rustfmt::skip]")
        lines.append(f"pub(super) const {const}: [[u8; 3]; 256] = [")
        rows = table(name).tolist()
        for k in range(0, 256, 5):
            lines.append("    " + " ".join(f"[{r}, {g}, {b}]," for r, g, b in rows[k:k + 5]))
        lines.append("];")
        lines.append("")
    out = pathlib.Path(__file__).resolve().parent.parent / "src/plot/colormap_tables.rs"
    out.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
