"""Every cell shows its value the same way on its first compile, whatever came before it in a
fresh kernel: arrays as their table, pictures as SVG, futures as a display, plain values as
text. (evcxr blamed a `?` in a cell's last expression on the display call around it and fell
back to `{:?}` text the first time: `Picture { svg: "<svg …`.)"""

import pytest

from kernels import mime_types, run_ok, started

ARRAY = (["text/html", "text/plain"], "execute_result")
PICTURE = (["image/svg+xml", "text/html", "text/plain"], "execute_result")
FUTURE = (["text/html", "text/plain"], "display_data")
TEXT = (["text/plain"], "execute_result")
NOTHING = (None, None)

CELLS = {
    "array": ("random::normal([1000, 1000], [100, 100])", ARRAY),
    "array?": ("random::normal([1000, 1000], [100, 100]).mean_axis(0)?", ARRAY),
    "picture": ("ones([4, 4], 2).visualize()", PICTURE),
    "picture?": ("random::normal([1000, 1000], [100, 100]).sum()?.visualize()", PICTURE),
    "future?": ("Client::new().compute(&ones([4, 4], 2).sum()?)", FUTURE),
    "int": ("6 * 7", TEXT),
    "float?": ("ones([3], 3).sum()?.compute()?.to_scalar::<f64>()?", TEXT),
    "shape": ("ones([4, 6], [2, 3]).shape()", TEXT),
    "string": ('format!("{}-{}", 1, 2)', TEXT),
    "unit": ('println!("printed")', NOTHING),
}

SEQUENCES = [
    # The report: a plain array first, then a picture behind a `?`, twice.
    ["array", "picture?", "picture?"],
    ["picture?", "int", "array?"],
    ["int", "float?", "array?", "future?", "shape"],
    ["future?", "picture", "unit", "array", "float?", "string"],
]


def shown(outputs):
    """(MIME types, message type) of the one rich output of a cell, or (None, None)."""
    rich = [(t, c) for t, c, _ in outputs if t in ("execute_result", "display_data")]
    if not rich:
        return NOTHING
    assert len(rich) == 1, rich
    kind, _ = rich[0]
    [types] = mime_types(outputs)
    return types, kind


@pytest.mark.parametrize("sequence", SEQUENCES, ids=["-".join(s) for s in SEQUENCES])
def test_each_cell_shows_its_value_on_its_first_compile(sequence):
    with started() as kc:
        for name in sequence:
            code, expected = CELLS[name]
            _, outputs = run_ok(kc, code)
            assert shown(outputs) == expected, f"{name}: {code}"
