"""On-disk arrays between numpy and tessera, through the kernel: files numpy writes (C and
Fortran order, several dtypes) are read by tessera with the same values, and files tessera writes
load in numpy."""

import numpy as np
import pytest

from helpers import error_text, result_text, run


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("npy")


@pytest.mark.parametrize(
    "name, array",
    [
        ("c.npy", np.arange(60, dtype=np.float64).reshape(5, 12) / 7),
        ("f.npy", np.asfortranarray(np.arange(60, dtype=np.float64).reshape(5, 12) / 7)),
        ("i4.npy", np.arange(-10, 14, dtype=np.int32).reshape(2, 3, 4)),
        ("f4.npy", np.linspace(0, 1, 9, dtype=np.float32)),
        ("b.npy", np.array([True, False, True])),
    ],
)
def test_tessera_reads_what_numpy_wrote(kernel, folder, name, array):
    path = folder / name
    np.save(path, array)
    code = f'let a = tessera::io::from_npy("{path}", 2)?;\nformat!("{{}} {{:?}} {{:?}}", a.dtype(), a.shape(), a.astype(DType::Float64).compute()?.to_vec::<f64>())'
    reply, outputs = run(kernel, code)
    assert reply["status"] == "ok", error_text(outputs)
    [text] = result_text(outputs)
    dtype, rest = text.strip('"').split(" ", 1)
    assert dtype == {"float64": "float64", "int32": "int32", "float32": "float32", "bool": "bool"}[str(array.dtype)]
    values = [float(v) for v in rest[rest.index("[", rest.index("]") + 1) + 1: -1].split(",")]
    assert np.allclose(values, array.astype(np.float64).ravel(order="C"), rtol=0, atol=1e-6)


def test_numpy_loads_what_tessera_wrote(kernel, folder):
    path = folder / "normal.npy"
    reply, outputs = run(kernel, f'random::Rng::new(42).normal(0.0, 1.0, [400, 300], [128, 100]).to_npy("{path}")?;\nrandom::Rng::new(42).normal(0.0, 1.0, [400, 300], [128, 100]).sum()?.compute()?')
    assert reply["status"] == "ok", error_text(outputs)
    loaded = np.load(path)
    assert loaded.shape == (400, 300) and loaded.dtype == np.float64
    assert abs(loaded.sum() - float(result_text(outputs)[0])) < 1e-9 * np.abs(loaded).sum()
    assert 0.9 < loaded.std() < 1.1


ZARR_CASES = [
    # (name, zarr format, compressors, chunks, dtype)
    ("v3-zstd", 3, "zstd", (64, 50), "float64"),
    ("v3-blosc", 3, "blosc", (100, 7), "int32"),
    ("v3-none", 3, None, (250, 130), "float32"),
    ("v2-blosc", 2, "blosc", (30, 40), "float64"),
    ("v2-zstd", 2, "zstd", (128, 128), "int64"),
]


def zarr_compressors(fmt, kind):
    import zarr

    if kind is None:
        return None
    if fmt == 3:
        return zarr.codecs.ZstdCodec(level=3) if kind == "zstd" else zarr.codecs.BloscCodec(cname="lz4", clevel=5, shuffle="shuffle")
    import numcodecs

    return numcodecs.Zstd(level=3) if kind == "zstd" else numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)


@pytest.mark.parametrize("name, fmt, kind, chunks, dtype", ZARR_CASES)
def test_tessera_reads_what_zarr_python_wrote(kernel, folder, name, fmt, kind, chunks, dtype):
    import zarr

    data = (np.random.default_rng(7).normal(size=(250, 130)) * 100).astype(dtype)
    path = folder / f"{name}.zarr"
    z = zarr.create_array(store=str(path), shape=data.shape, chunks=chunks, dtype=dtype, zarr_format=fmt, compressors=zarr_compressors(fmt, kind), fill_value=0)
    z[:] = data
    code = (
        f'let a = tessera::io::from_zarr("{path}")?;\n'
        'format!("{} {:?} {:?}", a.dtype(), a.chunksize(), a.astype(DType::Float64).sum()?.compute()?.to_scalar::<f64>()?)'
    )
    reply, outputs = run(kernel, code)
    assert reply["status"] == "ok", error_text(outputs)
    got_dtype, rest = result_text(outputs)[0].strip('"').split(" ", 1)
    got_chunks, total = rest.rsplit(" ", 1)
    assert got_dtype == dtype
    assert got_chunks == str(list(chunks))
    assert abs(float(total) - data.astype(np.float64).sum()) <= 1e-9 * np.abs(data).sum()


def test_zarr_python_and_numpy_read_what_tessera_wrote(kernel, folder):
    import zarr

    for codec in ["None", "Zstd { level: 3 }", "Blosc { level: 5 }"]:
        path = folder / f"tessera-{codec.split()[0].lower()}.zarr"
        code = (
            "let x = random::Rng::new(3).normal(0.0, 1.0, [300, 200], [64, 50]);\n"
            f'x.to_zarr_with("{path}", &tessera::io::ZarrOptions {{ codec: tessera::io::ZarrCodec::{codec}, ..Default::default() }})?;\n'
            "x.sum()?.compute()?"
        )
        reply, outputs = run(kernel, code)
        assert reply["status"] == "ok", error_text(outputs)
        z = zarr.open_array(str(path), mode="r")
        assert z.shape == (300, 200) and z.chunks == (64, 50) and z.dtype == np.float64
        values = z[:]
        assert abs(values.sum() - float(result_text(outputs)[0])) < 1e-9 * np.abs(values).sum(), codec
