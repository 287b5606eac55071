"""What the scripts that pin numpy's values share: arrays as JSON, floats as the hex of their
IEEE-754 bits (so NaN, infinities and -0.0 survive exactly), ints and bool as numbers."""
import numpy as np


def bits(array):
    """The values of `array` as hex strings of their bits (bool and ints as their values)."""
    a = np.ascontiguousarray(array)
    if a.dtype == np.float64:
        return [format(v, "016x") for v in a.view(np.uint64).ravel().tolist()]
    if a.dtype == np.float32:
        return [format(v, "08x") for v in a.view(np.uint32).ravel().tolist()]
    if a.dtype == np.float16:
        return [format(v, "04x") for v in a.view(np.uint16).ravel().tolist()]
    return [int(v) for v in a.ravel().tolist()]


def pinned(x):
    """`x` as a pinned array: dtype, shape and values."""
    x = np.asarray(x)
    return {"dtype": str(x.dtype), "shape": list(x.shape), "values": bits(x)}


def write_pinned(name, data):
    """Write `data` as `tests/data/<name>` (JSON, one value a line) and return its path."""
    import json
    import pathlib
    path = pathlib.Path(__file__).resolve().parent.parent / "tests/data" / name
    path.write_text(json.dumps(data, indent=0) + "\n")
    return path
