"""Screenshots of the recipe notebook as JupyterLab renders it, for the README.

Starts JupyterLab (no token, a free port, a temporary root holding a trusted copy of
notebooks/out-of-core.ipynb with its saved outputs) in the light and the dark theme, opens the
notebook in headless Chromium through Playwright, and saves chosen cells as PNG files in
docs/screenshots/. Then runs a cell showing a future in JupyterLab and checks that its display
turns `finished` after the cell has ended. Run it through scripts/screenshots."""

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
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings_dir), JUPYTER_PATH=str(ROOT / ".venv/share/jupyter"))
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


def shoot(theme_key, theme, browser, work):
    root = work / theme_key
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    subprocess.run([str(ROOT / ".venv/bin/jupyter"), "trust", str(root / NOTEBOOK.name)], check=True, capture_output=True)
    settings(work / f"settings-{theme_key}", theme)
    port = free_port()
    lab = start_lab(root, work / f"settings-{theme_key}", port)
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}")
        page.wait_for_selector(".jp-Notebook .jp-Cell .jp-OutputArea-output", timeout=60000)
        page.wait_for_timeout(3000)
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
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "live", "metadata": {}, "outputs": [], "source": LIVE_CELL}],
                "metadata": {"kernelspec": {"name": "tessera", "display_name": "Rust (tessera)", "language": "rust"}}, "nbformat": 4, "nbformat_minor": 5}
    (root / "live.ipynb").write_text(json.dumps(notebook))
    settings(work / "settings-live", THEMES["light"])
    port = free_port()
    lab = start_lab(root, work / "settings-live", port)
    try:
        page = browser.new_page(viewport={"width": 1000, "height": 300}, device_scale_factor=1)
        page.goto(f"http://127.0.0.1:{port}/lab/tree/live.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
        page.wait_for_selector("text=Rust (tessera) | Idle", timeout=120000)
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


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for key, theme in THEMES.items():
            print(f"{theme}:")
            shoot(key, theme, browser, pathlib.Path(tmp))
        print("A future updated after its cell ended:")
        shoot_live(browser, pathlib.Path(tmp))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
