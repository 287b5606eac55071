#!/usr/bin/env python3
"""Files of every dtype between numpy / zarr-python and tessera, for tests/io_dtypes.rs.

`dtype-files.py write DIR`: for each dtype, writes its values (`values(dtype)`) as `DTYPE.npy`
(little-endian, and `DTYPE-be.npy` big-endian), a Zarr v3 store `DTYPE-v3.zarr` (zstd) and a
v2 store `DTYPE-v2.zarr` (blosc), and their pinned values as `DTYPE.json` (scripts/pinning.py).

CF conventions: xarray writes `cf_values()` packed into int16 (`scale_factor`, `add_offset`,
`_FillValue`) as variable `t` of `cf-int16-v2.zarr` and `-v3.zarr`, and into uint16 with only a
`_FillValue` as `cf-uint16-v2/3.zarr`; the values xarray decodes from them are pinned as
`cf-*.json`.

`dtype-files.py check DIR`: reads the files tessera wrote there (`tessera-DTYPE.npy`,
`tessera-DTYPE.zarr`) and exits nonzero, naming them, unless each holds `values(dtype)` with its
dtype; and decodes `tessera-cf.zarr` (tessera's CF encoding of the pinned `cf-int16-v3`
values) with xarray's decoder, which must give those values back within half a step.
"""
import json
import pathlib
import sys

import numpy as np

from pinning import pinned

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64"]


def values(dtype):
    """A (6, 10) array of `dtype` with its extremes (and NaN, ±inf, -0.0 for floats)."""
    if dtype == "bool":
        return (np.arange(60) % 3 == 0).reshape(6, 10)
    if "float" in dtype:
        x = (np.arange(60) - 20.5) * 1.25
        x[:5] = [np.nan, np.inf, -np.inf, -0.0, float(np.finfo(dtype).max)]
        return x.astype(dtype).reshape(6, 10)
    info = np.iinfo(dtype)
    x = (np.arange(60, dtype=np.int64) - (0 if info.min == 0 else 20)).astype(dtype)
    x[:2] = [info.min, info.max]
    return x.reshape(6, 10)


CF_INT16 = {"dtype": "int16", "scale_factor": 0.01, "add_offset": 10.0, "_FillValue": -32768}
CF_UINT16 = {"dtype": "uint16", "_FillValue": 65535}


def cf_values():
    """Temperatures with missing values (NaN)."""
    x = np.linspace(-5.0, 30.0, 60).reshape(6, 10)
    x[1, 2] = x[4, 9] = np.nan
    return x


def write_cf(folder):
    import xarray as xr

    for name, encoding, x in [("int16", CF_INT16, cf_values()),
                              ("uint16", CF_UINT16, np.round(cf_values() * 100) + 1000)]:
        for fmt in (2, 3):
            path = folder / f"cf-{name}-v{fmt}.zarr"
            xr.Dataset({"t": (("y", "x"), x)}).to_zarr(
                path, zarr_format=fmt, consolidated=False,
                encoding={"t": dict(encoding, chunks=(4, 3))})
            decoded = xr.open_zarr(path, consolidated=False)["t"].values
            (folder / f"cf-{name}-v{fmt}.json").write_text(json.dumps(pinned(decoded)))


def write(folder):
    import numcodecs
    import zarr

    write_cf(folder)
    for d in DTYPES:
        x = values(d)
        np.save(folder / f"{d}.npy", x)
        np.save(folder / f"{d}-be.npy", x.astype(x.dtype.newbyteorder(">")))
        v3 = zarr.create_array(store=str(folder / f"{d}-v3.zarr"), shape=x.shape, chunks=(4, 3),
                               dtype=d, zarr_format=3, compressors=zarr.codecs.ZstdCodec(level=3))
        v3[:] = x
        v2 = zarr.create_array(store=str(folder / f"{d}-v2.zarr"), shape=x.shape, chunks=(5, 7),
                               dtype=d, zarr_format=2,
                               compressors=numcodecs.Blosc(cname="lz4", clevel=5))
        v2[:] = x
        (folder / f"{d}.json").write_text(json.dumps(pinned(x)))


def same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and (
        np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def check(folder):
    import zarr

    bad = []
    for d in DTYPES:
        x = values(d)
        npy = folder / f"tessera-{d}.npy"
        if npy.exists() and not same(np.load(npy), x):
            bad.append(f"{npy}: {np.load(npy)!r}")
        store = folder / f"tessera-{d}.zarr"
        if not same(zarr.open_array(str(store), mode="r")[:], x):
            bad.append(f"{store}: {zarr.open_array(str(store), mode='r')[:]!r}")
    import xarray as xr

    store = zarr.open_array(str(folder / "tessera-cf.zarr"), mode="r")
    raw = xr.Variable(("y", "x"), store[:], attrs=dict(store.attrs))
    decoded = xr.conventions.decode_cf_variable("t", raw).values
    x = np.round(cf_values(), 2)
    if not (decoded.dtype == np.float64 and np.allclose(decoded, x, atol=0.005, equal_nan=True)):
        bad.append(f"tessera-cf.zarr decodes in xarray to {decoded!r}")
    if bad:
        sys.exit("numpy/zarr-python read other values than tessera wrote:\n" + "\n".join(bad))


if __name__ == "__main__":
    mode, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    write(folder) if mode == "write" else check(folder)
