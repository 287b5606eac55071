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
