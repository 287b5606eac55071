"""Rich displays through a real jupyter_client: the array's HTML table and SVG chunk grid, a
progress bar updated in place, profile plots as SVG images."""

import queue
import re
import time
import xml.etree.ElementTree as ET

from helpers import error_text, run


def outputs_of(outputs, kind):
    return [c for t, c, _ in outputs if t == kind]


def run_with_one_display(kernel, code):
    """Runs `code`, which must succeed and show one display_data: (that display, all outputs)."""
    reply, outputs = run(kernel, code)
    assert reply["status"] == "ok", error_text(outputs)
    [shown] = outputs_of(outputs, "display_data")
    return shown, outputs


def test_an_array_ending_a_cell_shows_its_table_and_grid(kernel):
    reply, outputs = run(kernel, "random::normal([10000, 10000], [1000, 1000])")
    assert reply["status"] == "ok", error_text(outputs)
    [result] = outputs_of(outputs, "execute_result")
    data = result["data"]
    assert data["text/plain"] == "tessera.Array<normal, shape=(10000, 10000), dtype=float64, chunksize=(1000, 1000)>"
    html = data["text/html"]
    assert "> 762.94 MiB </td>" in html and "100 chunks in 1 graph layer" in html
    svg = html[html.index("<svg"): html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert len(root.findall(".//{http://www.w3.org/2000/svg}line")) == 22


def test_display_array_sends_display_data_during_the_cell(kernel):
    reply, outputs = run(kernel, "tessera::display::display_array(&ones([3, 4], 2));")
    [shown] = outputs_of(outputs, "display_data")
    assert shown["data"]["text/plain"].startswith("tessera.Array<ones, shape=(3, 4)")
    assert "<svg" in shown["data"]["text/html"]


def test_progress_bar_is_one_output_updated_in_place(kernel):
    code = "random::uniform([20000, 20000], [1000, 1000]).mean()?.compute_with(&ProgressBar::new())?.to_scalar::<f64>()?"
    shown, outputs = run_with_one_display(kernel, code)
    display_id = shown["transient"]["display_id"]
    updates = outputs_of(outputs, "update_display_data")
    assert updates, "the bar is updated while the computation runs"
    assert all(u["transient"]["display_id"] == display_id for u in updates)
    last = updates[-1]["data"]
    assert last["text/plain"].startswith("[" + "#" * 40 + "] | 100% Completed | ")
    assert "width:100.0%" in last["text/html"]
    [result] = outputs_of(outputs, "execute_result")
    assert abs(float(result["data"]["text/plain"]) - 0.5) < 1e-3


def test_profile_plots_are_svg_images(kernel):
    run(kernel, "let rprof = ResourceProfiler::new(0.02); let tprof = Profiler::new();")
    reply, outputs = run(kernel, "random::normal([8000, 8000], [1000, 1000]).sum()?.compute_with(&(&rprof, &tprof))?;")
    assert reply["status"] == "ok", error_text(outputs)
    reply, outputs = run(kernel, "rprof.plot()")
    [result] = outputs_of(outputs, "execute_result")
    svg = result["data"]["image/svg+xml"]
    assert "Profile Results" in svg and "CPU (%)" in svg and "Memory (MiB)" in svg
    ET.fromstring(svg)
    reply, outputs = run(kernel, "tprof.plot()")
    [result] = outputs_of(outputs, "execute_result")
    assert result["data"]["text/plain"].startswith("Task timeline: ")


def test_visualize_pictures_are_svg(kernel):
    run(kernel, "let part = random::normal([10000, 10000], [1000, 1000]).mean_axis(0)?.slice(s![0..100])?;")
    # the plan: getitem, mean, normal; optimized beside it: the mean, the fusion node that
    # generates the view of the source straight into its sums, and that view (3 more)
    for method, rects in [("visualize", 3), ("visualize_optimized", 6), ("visualize_tasks", None)]:
        reply, outputs = run(kernel, f"part.{method}()")
        assert reply["status"] == "ok", error_text(outputs)
        [result] = outputs_of(outputs, "execute_result")
        svg = result["data"]["image/svg+xml"]
        root = ET.fromstring(svg)
        boxes = root.findall(".//{http://www.w3.org/2000/svg}rect")
        if rects is not None:
            assert len(boxes) == rects, method
        else:
            # a mean-partial per block of the first column (generated straight into its sums),
            # plus the tree of combines: at least the 10 blocks.
            assert len(boxes) >= 10


def test_a_future_display_is_updated_after_its_cell_ended(kernel):
    code = "let slow = Client::new().compute(&random::normal([20000, 20000], [1000, 1000]).sum()?);\nslow"
    shown, _ = run_with_one_display(kernel, code)
    display_id = shown["transient"]["display_id"]
    assert shown["data"]["text/plain"].startswith("<Future: pending") or shown["data"]["text/plain"].startswith("<Future: running")
    # The cell has ended; the kernel relays the future's update when it finishes.
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            msg = kernel.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["msg_type"] == "update_display_data" and msg["content"]["transient"]["display_id"] == display_id:
            assert msg["parent_header"]["msg_id"], "sent as output of the cell that showed it"
            status = msg["content"]["data"]["text/plain"]
            assert re.match(r"<Future: (running|finished), type: float64, key: sum-\d+>", status), status
            if "finished" in status:
                break
    else:
        raise AssertionError("no update of the future's display after its cell ended")
