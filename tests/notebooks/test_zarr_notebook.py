"""The on-disk arrays notebook, executed with the kernel: a 1.6 GB Zarr store written, read
lazily and reduced in a fraction of its size, sliced, persisted; a .npy file."""

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from execute_notebook import execute  # noqa: E402


@pytest.fixture(scope="module")
def cells():
    notebook = execute(ROOT / "notebooks" / "zarr.ipynb")
    return [(c.source, c.outputs) for c in notebook.cells if c.cell_type == "code"]


def text_of(cells, start):
    [outputs] = [o for source, o in cells if source.startswith(start)]
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)


def test_no_cell_failed(cells):
    assert not [o for _, outputs in cells for o in outputs if o.output_type == "error"]


def test_the_store_streams_through_a_fraction_of_its_size(cells):
    assert text_of(cells, "let z = tessera::io::from_zarr").startswith("tessera.Array<from-zarr, shape=(20000, 10000)")
    increment = float(re.search(r"increment: ([\d.]+) MiB", text_of(cells, "%%memit")).group(1))
    assert increment < 400, "reading 1.6 GB keeps a few chunks at a time"
    assert "from-zarr[4500:4510, 0:3] of (20000, 10000)" in text_of(cells, "println!")


def test_persisted_standardized_values(cells):
    mean, std = text_of(cells, "(standardized.mean()").strip("()").split(", ")
    assert abs(float(mean)) < 1e-9 and abs(float(std) - 1) < 1e-9


def test_uint16_frames_and_a_cf_packed_int16_store(cells):
    assert "dtype=uint16" in text_of(cells, "let frames_path")
    assert 2000 < float(text_of(cells, "frames.astype").strip()) < 2100
    assert "dtype=int16" in text_of(cells, "let climate_path")
    dtype, mean, missing = text_of(cells, "let temperature").strip().strip("()").split(", ")
    assert dtype == "Float64" and 14 < float(mean) < 16 and int(missing) > 0
