"""Screenshots of the recipe notebook as JupyterLab renders it, for the README.

Starts JupyterLab (no token, a free port, a temporary root holding a trusted copy of
notebooks/out-of-core.ipynb with its saved outputs) in the light and the dark theme, opens the
notebook in headless Chromium through Playwright, and saves chosen cells as PNG files in
docs/screenshots/. Then runs a cell showing a future in JupyterLab and checks that its display
turns `finished` after the cell has ended, and runs a notebook of plots (tessera::plot: a map
with a colorbar, a histogram, a grid of line plots, an overview of 80 GB) in JupyterLab in
both themes and saves each plot cell. Run it through scripts/screenshots; a JUPYTER_PATH set
in the environment is searched first for the kernelspec (a kernel installed with
`tessera-kernel install --prefix DIR`: DIR/share/jupyter)."""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
NOTEBOOK = ROOT / "notebooks" / "out-of-core.ipynb"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# (file name, the start of the first code cell, of the last) for pictures of several cells.
SPANS = [
    ("comparison", "%%memit\nf_eager()", "%%time\nf_lazy_columns()"),
    ("futures", "let client = Client::new();", "let on_cluster = cluster.compute"),
]
# (file name, the start of the code cell's source) for each picture.
SHOTS = [
    ("array", "let y = random::normal"),
    ("plan", "y.mean_axis(0)?.slice(s![0..100])?.visualize_optimized()"),
    ("tasks", "random::normal([4000, 4000]"),
    ("terabyte", "let bar = ProgressBar::new()"),
    ("profile", "resources.plot()"),
]
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings(directory, theme):
    """JupyterLab user settings: the theme, and every cell rendered (no windowing)."""
    def write(plugin, values):
        path = directory / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))

    write("@jupyterlab/apputils-extension/themes.jupyterlab-settings", {"theme": theme})
    write("@jupyterlab/notebook-extension/tracker.jupyterlab-settings", {"windowingMode": "none"})
    write("@jupyterlab/apputils-extension/notification.jupyterlab-settings", {"fetchNews": "false", "checkForUpdates": False})


def start_lab(root, settings_dir, port):
    path = os.pathsep.join(p for p in [os.environ.get("JUPYTER_PATH"), str(ROOT / ".venv/share/jupyter")] if p)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings_dir), JUPYTER_PATH=path)
    lab = subprocess.Popen(
        [str(ROOT / ".venv/bin/jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=1)
            return lab
        except OSError:
            time.sleep(0.5)
    lab.kill()
    raise RuntimeError("JupyterLab did not start")


def cell_index(notebook, start):
    for i, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and "".join(cell["source"]).startswith(start):
            return i
    raise KeyError(start)


def write_notebook(path, cells):
    """Writes a notebook of the code `cells` (pairs of cell id and source) for the tessera
    kernel, without outputs."""
    code = [{"cell_type": "code", "execution_count": None, "id": name, "metadata": {},
             "outputs": [], "source": source} for name, source in cells]
    kernelspec = {"name": "tessera", "display_name": "Rust (tessera)", "language": "rust"}
    notebook = {"cells": code, "metadata": {"kernelspec": kernelspec}, "nbformat": 4,
                "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))


def open_to_run(browser, port, name, size, idle_within):
    """A page of `size` (width, height) of the JupyterLab at `port` showing notebook `name`,
    once its kernel is idle (waited for up to `idle_within` ms)."""
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
    page.wait_for_selector("text=Rust (tessera) | Idle", timeout=idle_within)
    return page


def open_saved(browser, port, name, height=900):
    """A page of the JupyterLab at `port` showing notebook `name` with its saved outputs."""
    page = browser.new_page(viewport={"width": 1200, "height": height}, device_scale_factor=1)
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}")
    page.wait_for_selector(".jp-Notebook .jp-Cell .jp-OutputArea-output", timeout=60000)
    page.wait_for_timeout(3000)
    return page


def shoot(theme_key, theme, browser, work):
    root = work / theme_key
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    subprocess.run([str(ROOT / ".venv/bin/jupyter"), "trust", str(root / NOTEBOOK.name)], check=True, capture_output=True)
    settings(work / f"settings-{theme_key}", theme)
    port = free_port()
    lab = start_lab(root, work / f"settings-{theme_key}", port)
    try:
        page = open_saved(browser, port, NOTEBOOK.name)
        notebook = json.loads(NOTEBOOK.read_text())
        cells = page.locator(".jp-Notebook .jp-Cell")
        for name, start in SHOTS:
            cell = cells.nth(cell_index(notebook, start))
            cell.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            path = OUT / f"{name}-{theme_key}.png"
            cell.screenshot(path=str(path))
            print(f"  {path.relative_to(ROOT)}")
        for name, first, last in SPANS:
            top = cells.nth(cell_index(notebook, first))
            bottom = cells.nth(cell_index(notebook, last))
            top.scroll_into_view_if_needed()
            page.set_viewport_size({"width": 1200, "height": 2400})
            page.wait_for_timeout(300)
            a, b = top.bounding_box(), bottom.bounding_box()
            clip = {"x": a["x"], "y": a["y"], "width": a["width"], "height": b["y"] + b["height"] - a["y"]}
            path = OUT / f"{name}-{theme_key}.png"
            page.screenshot(path=str(path), clip=clip)
            page.set_viewport_size({"width": 1200, "height": 900})
            print(f"  {path.relative_to(ROOT)}")
        page.close()
    finally:
        lab.terminate()
        lab.wait(timeout=30)


LIVE_CELL = "let f = Client::new().compute(&random::normal([30000, 30000], [2000, 2000]).sum()?);\nf"


def shoot_live(browser, work):
    """Runs a cell that shows a future in JupyterLab itself and waits, after the cell has ended,
    for the future's display to turn `finished` (the kernel's update between cells); fails if it
    does not within a minute."""
    root = work / "live"
    root.mkdir()
    write_notebook(root / "live.ipynb", [("live", LIVE_CELL)])
    settings(work / "settings-live", THEMES["light"])
    port = free_port()
    lab = start_lab(root, work / "settings-live", port)
    try:
        page = open_to_run(browser, port, "live.ipynb", (1000, 300), idle_within=120000)
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.keyboard.press("Control+Enter")
        output = page.locator(".jp-Notebook .jp-Cell .jp-OutputArea").first
        seen = []
        for _ in range(60):
            page.wait_for_timeout(1000)
            text = output.inner_text()
            if text and (not seen or seen[-1] != text):
                seen.append(text)
            if "status: finished" in text:
                break
        else:
            raise RuntimeError(f"the future's display never showed finished: {seen}")
        print(f"  live future: {' -> '.join(t.split('status: ')[1].split(',')[0] for t in seen)}")
        cell = page.locator(".jp-Notebook .jp-Cell").first
        path = OUT / "future-live-light.png"
        cell.screenshot(path=str(path))
        print(f"  {path.relative_to(ROOT)}")
        page.close()
    finally:
        lab.terminate()
        lab.wait(timeout=30)


# (file name, cell source) of the plots notebook, run in JupyterLab.
PLOT_CELLS = [
    ("plot-map", """use tessera::plot::{Colormap, Figure, HistOptions, ImageOptions, Scale};
let y = random::Rng::new(5).normal(10.0, 1.0, [10000, 10000], [1000, 1000]);
let mu = y.mean_axis(0)?;
let mut map = Figure::new();
map.ax()
    .imshow_with(&mu.reshape([100, 100])?, &ImageOptions::new().cmap(Colormap::RdBu).colorbar(true))?
    .title("mu: the 10,000 column means");
map"""),
    ("plot-hist", """let mut histogram = Figure::new();
histogram.ax().hist_with(&y, &HistOptions::new(100).density(true))?.label("y");
histogram.ax().title("y: 10⁸ normal values, counted out of core").xlabel("value").ylabel("density");
histogram"""),
    ("plot-grid", """let t: Vec<f64> = (0..400).map(|i| i as f64 / 40.0).collect();
let noise = random::Rng::new(3).normal(0.0, 1.0, [600], [600]).compute()?.to_vec::<f64>();
let a: Vec<f64> = noise[..300].to_vec();
let b: Vec<f64> = a.iter().zip(&noise[300..]).map(|(x, e)| 0.6 * x + 0.8 * e).collect();
let mut grid = Figure::grid(2, 2).size(7.6, 5.6).title("a grid of subplots");
{
    let ax = grid.at(0, 0)?;
    ax.plot_xy(&t, t.iter().map(|x| x.sin()).collect::<Vec<_>>())?.label("sin");
    ax.plot_xy(&t, t.iter().map(|x| (0.5 * x).cos()).collect::<Vec<_>>())?.label("cos x/2");
    ax.title("plot_xy").xlabel("t");
}
{
    let ax = grid.at(0, 1)?;
    ax.scatter(&a, &b)?.label("0.6 a + 0.8 e");
    ax.title("scatter").xlabel("a").ylabel("b");
}
{
    let ax = grid.at(1, 0)?;
    ax.plot(&y.mean_axis(1)?.slice(s![..100])?)?.label("means of rows");
    ax.title("a lazy array").xlabel("row");
}
{
    let ax = grid.at(1, 1)?;
    ax.plot_xy(vec![1.0, 10.0, 100.0, 1000.0], vec![1.0, 30.0, 900.0, 27000.0])?.label("x^1.5");
    ax.xscale(Scale::Log).yscale(Scale::Log).title("log axes");
}
grid"""),
    ("plot-overview", """tessera::plot::imshow(&random::normal([100000, 100000], [10000, 10000]))?"""),
]


def shoot_plots(browser, work):
    """Runs the plots notebook in JupyterLab (once, in the light theme: its outputs are saved
    with it), then shows the saved notebook in both themes and saves each plot cell."""
    root = work / "plots"
    root.mkdir()
    path = root / "plots.ipynb"
    write_notebook(path, PLOT_CELLS)
    for key, theme in THEMES.items():
        settings(work / f"settings-plots-{key}", theme)
    port = free_port()
    lab = start_lab(root, work / "settings-plots-light", port)
    try:
        page = open_to_run(browser, port, "plots.ipynb", (1200, 2400), idle_within=300000)
        for k in range(len(PLOT_CELLS)):
            cell = page.locator(".jp-Notebook .jp-Cell").nth(k)
            cell.scroll_into_view_if_needed()
            cell.locator(".jp-InputArea").click()
            page.keyboard.press("Control+Enter")
            cell.locator(".jp-OutputArea-output").first.wait_for(timeout=600000)
            page.wait_for_selector("text=Rust (tessera) | Idle", timeout=600000)
            text = cell.locator(".jp-OutputArea").inner_text()
            if "error" in text.lower()[:200]:
                raise RuntimeError(f"cell {PLOT_CELLS[k][0]} failed: {text[:2000]}")
        page.keyboard.press("Control+s")
        page.wait_for_timeout(3000)
        page.close()
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    saved = json.loads(path.read_text())
    missing = [name for (name, _), cell in zip(PLOT_CELLS, saved["cells"]) if not cell["outputs"]]
    if missing:
        raise RuntimeError(f"no saved output for {missing}")
    subprocess.run([str(ROOT / ".venv/bin/jupyter"), "trust", str(path)], check=True, capture_output=True)
    for key in THEMES:
        port = free_port()
        lab = start_lab(root, work / f"settings-plots-{key}", port)
        try:
            # Tall enough for the tallest cell, shot whole.
            page = open_saved(browser, port, path.name, height=2400)
            for k, (name, _) in enumerate(PLOT_CELLS):
                cell = page.locator(".jp-Notebook .jp-Cell").nth(k)
                cell.scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                out = OUT / f"{name}-{key}.png"
                cell.screenshot(path=str(out))
                print(f"  {out.relative_to(ROOT)}")
            page.close()
        finally:
            lab.terminate()
            lab.wait(timeout=30)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    only_plots = sys.argv[1:] == ["--plots"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        print("Plots (tessera::plot), run in JupyterLab:")
        shoot_plots(browser, pathlib.Path(tmp))
        if only_plots:
            browser.close()
            return 0
        for key, theme in THEMES.items():
            print(f"{theme}:")
            shoot(key, theme, browser, pathlib.Path(tmp))
        print("A future updated after its cell ended:")
        shoot_live(browser, pathlib.Path(tmp))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
