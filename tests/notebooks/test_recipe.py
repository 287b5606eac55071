"""The recipe notebook, executed with the installed kernel (nbclient): no cell fails, and the
outputs tell the recipe's story with tessera's numbers."""

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from execute_notebook import execute  # noqa: E402

MEMIT = re.compile(r"^peak memory: (?P<peak>\d+\.\d\d) MiB, increment: (?P<increment>-?\d+\.\d\d) MiB$", re.M)
TIME = re.compile(r"^CPU times: user .+, sys: .+, total: .+\nWall time: (?P<wall>[\d.]+ \S+)\n", re.M)


@pytest.fixture(scope="module")
def cells():
    """(source, outputs) of every code cell of the executed notebook."""
    notebook = execute(ROOT / "notebooks" / "out-of-core.ipynb")
    return [(c.source, c.outputs) for c in notebook.cells if c.cell_type == "code"]


def outputs_of(cells, source_start):
    found = [outputs for source, outputs in cells if source.startswith(source_start)]
    assert found, f"no cell starts with {source_start!r}"
    return found[0]


def text(outputs):
    parts = []
    for o in outputs:
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            parts.append(o.data.get("text/plain", ""))
    return "".join(parts)


def test_no_cell_failed(cells):
    errors = [(source, o) for source, outputs in cells for o in outputs if o.output_type == "error"]
    assert not errors, errors


def test_the_array_shows_its_table_and_grid(cells):
    [result] = outputs_of(cells, "let y = random::normal")
    assert result.data["text/plain"].startswith("tessera.Array<normal, shape=(10000, 10000)")
    assert "> 762.94 MiB </td>" in result.data["text/html"] and "<svg" in result.data["text/html"]


def test_metadata_and_the_first_mean(cells):
    assert text(outputs_of(cells, "y.shape()")) == "[10000, 10000]"
    assert text(outputs_of(cells, "y.size()")) == "100000000"
    assert abs(float(text(outputs_of(cells, "mu.slice(s![0])")))) < 0.05


def memit(cells, source):
    match = MEMIT.search(text(outputs_of(cells, source)))
    assert match, text(outputs_of(cells, source))
    return float(match["increment"])


def test_memit_tells_eager_from_lazy(cells):
    assert 720 <= memit(cells, "%%memit\nf_eager()") <= 850, "the eager version holds the whole 763 MiB array"
    assert memit(cells, "%%memit\nf_lazy()") < 30
    assert memit(cells, "%%memit\nf_lazy_columns()") < 30


def test_time_lines_are_ipythons(cells):
    for source in ["%%time\nf_eager()", "%%time\nf_lazy()", "%%time\nf_lazy_columns()"]:
        assert TIME.search(text(outputs_of(cells, source))), source


def test_explain_shows_the_slice_pushed_into_the_source(cells):
    assert "normal[:, 0:100] of (10000, 10000)" in text(outputs_of(cells, 'println!("{}", y.mean_axis(0)'))


def test_pictures_are_svg(cells):
    for source in ["y.mean_axis(0)?.slice(s![0..100])?.visualize_optimized()", "random::normal([4000, 4000]", "resources.plot()"]:
        [result] = outputs_of(cells, source)
        assert result.data["image/svg+xml"].startswith("<svg"), source


def test_plots_show_a_map_of_mu_and_a_histogram_of_y(cells):
    import base64
    [map_] = outputs_of(cells, "use tessera::plot::")
    assert map_.data["text/plain"].startswith('<Figure size 640x480 with 1 axes: image "mu'), map_.data
    assert base64.b64decode(map_.data["image/png"])[1:4] == b"PNG"
    [histogram] = outputs_of(cells, "let mut histogram = Figure::new();")
    assert histogram.data["image/svg+xml"].startswith("<svg")
    assert histogram.data["text/plain"].startswith("<Figure size 640x480 with 1 axes: 1 series")
    [overview] = outputs_of(cells, "tessera::plot::imshow(&y)?")
    assert "image (overview: 1 in 26 rows, 1 in 19 columns)" in overview.data["text/plain"]


def test_the_terabyte_mean_completes_with_its_bar(cells):
    assert text(outputs_of(cells, "let huge")) == '"Size in memory: 1117.6 GB"'
    outputs = outputs_of(cells, "let bar = ProgressBar::new()")
    [bar] = [o for o in outputs if o.output_type == "display_data"]
    assert re.match(r"\[#{40}\] \| 100% Completed \| ", bar.data["text/plain"])
    [mean] = [o for o in outputs if o.output_type == "execute_result"]
    assert abs(float(mean.data["text/plain"]) - 0.5) < 1e-4


def test_a_future_shows_its_status_and_gives_the_sum(cells):
    client = text(outputs_of(cells, "let client = Client::new();"))
    assert client.startswith("<Client: 'local' processes=1 threads="), client
    [shown] = [o for o in outputs_of(cells, "let future = client.compute") if o.output_type == "display_data"]
    # Shown as of the end of the cell; later changes arrive as updates of the same display id.
    assert re.fullmatch(r"<Future: (pending|running|finished), type: float64, key: sum-\d+>", shown.data["text/plain"]), shown.data["text/plain"]
    assert "<strong>Future: sum</strong>" in shown.data["text/html"]
    assert float(text(outputs_of(cells, "future.result()?"))) == float(text(outputs_of(cells, "y.sum()?.compute()?")))


def test_the_sum_on_a_dask_cluster_is_the_local_one(cells):
    cluster = text(outputs_of(cells, "let cluster = Client::local_cluster(2)?;"))
    assert re.match(r"<Client: 'tcp://127\.0\.0\.1:\d+' processes=2 threads=\d+, memory=", cluster), cluster
    assert text(outputs_of(cells, "let on_cluster = cluster.compute")).endswith("the same as locally: true\n")
