"""The explorers in a real browser: JupyterLab + headless Chromium, driven by Playwright.

A module fixture starts `jupyter lab` from this Python on 127.0.0.1 (a free port, a random
token, a temporary root dir holding a copy of tests/browser/explorer_demo.ipynb). Chromium
(Debian's /usr/bin/chromium; Playwright downloads no browser here) opens the notebook, runs
all cells from the Run menu, and for every code cell tagged `browser-check`:

* the widget renders (a slider and the ipympl canvas appear), with no error output, and fits
  the output area of a 1280-pixel-wide window (nothing scrolls sideways);
* moving its first slider (drag) changes the canvas pixels and the readout line
  (or, if the cell's metadata says `"browser_check": {"click": "Play", "toggle": true}`,
  clicking that button changes the canvas; `toggle` clicks it once more afterwards);
* still no traceback, no "Error displaying widget", no red error line of the explorer.

Adding an explorer to this test is one tagged cell in the demo notebook. Screenshots go to
screenshots/browser/ (git ignores screenshots/). Deselect with `-m "not browser"`.
Skips, with the reason, where Chromium or Playwright is missing.
"""
from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "tests" / "browser" / "explorer_demo.ipynb"
LEARNER = ROOT / "notebooks" / "00_welcome.ipynb"  # opened as a learner opens it: nothing may mark it modified
# A Chinese learner notebook, run in a folder named zh as in notebooks/zh/: verdicts, widgets and figures in Chinese.
CHINESE = ROOT / "notebooks" / "zh" / "01_the_neuron.ipynb"
SHOTS = ROOT / "screenshots" / "browser"
CHROMIUM = "/usr/bin/chromium"
# The flags this closed network needs: without the background-networking ones Chromium keeps
# trying hosts it cannot reach.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TAG = "browser-check"
# Elements under the root that can scroll sideways and do: [class, scrollWidth, clientWidth].
SIDEWAYS_SCROLLERS = """root => [root, ...root.querySelectorAll('*')]
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
    .map(e => [e.className, e.scrollWidth, e.clientWidth])"""

pytestmark = pytest.mark.browser


def _skip_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"chromium not installed ({CHROMIUM} missing): apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright cannot be imported ({exc}): pip install -e '.[test]'"
    return None


def _checked_cells() -> list[tuple[int, dict]]:
    """(index among all cells, the cell's browser_check metadata) for each tagged code cell."""
    cells = json.loads(DEMO.read_text(encoding="utf-8"))["cells"]
    return [(i, c["metadata"].get("browser_check", {})) for i, c in enumerate(cells)
            if c["cell_type"] == "code" and TAG in c["metadata"].get("tags", [])]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    """JupyterLab user settings for the test: every cell in the DOM, no news, no update check."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
    }
    for name, value in settings.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


def _copy_learner_notebook(target: Path, source: Path = LEARNER) -> None:
    """Copy the learner notebook, its language_info version set to this Python's.

    JupyterLab replaces language_info with the kernel's on open, and a replacement that changes
    anything marks the notebook modified. The build copies the version of the Python that ran
    the solutions; here the kernel may run another one, and only that difference is left out.
    """
    nb = json.loads(source.read_text(encoding="utf-8"))
    nb["metadata"].get("language_info", {}).update(version=platform.python_version())
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab: yields (base url, token); stopped by its pid afterwards."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    root.mkdir()
    shutil.copy(DEMO, root / DEMO.name)
    _copy_learner_notebook(root / LEARNER.name)
    (root / "zh").mkdir()
    _copy_learner_notebook(root / "zh" / CHINESE.name, CHINESE)
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
        (tmp / sub).mkdir()
        env[var] = str(tmp / sub)
    _write_settings(tmp / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp / "jupyter.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer in 60 s:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.25)
            yield base, token
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser(lab):
    """Headless Chromium (one Playwright for the module: its sync API cannot be started twice)."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def page(lab, browser):
    """The demo notebook open in headless Chromium, all cells run."""
    base, token = lab
    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.errors = []  # uncaught exceptions in the page, reported at the end
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    # The notebook is open and its kernel idle: then the Run menu runs every cell.
    _open_notebook(pg, base, token, DEMO.name)
    _run_all(pg)
    yield pg
    context.close()


def _open_notebook(pg, base: str, token: str, path: str, workspace: str | None = None) -> None:
    """Open the notebook at `path` (relative to the lab's root) and wait until its kernel is idle; in a
    workspace of its own (`workspace`), reset, no other notebook is open beside it."""
    where = f"workspaces/{workspace}/tree/{path}?reset&" if workspace else f"tree/{path}?"
    pg.goto(f"{base}/lab/{where}token={token}", wait_until="domcontentloaded")
    pg.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=45_000)
    _start_kernel(pg, base, token, 45, Path(path).name)


def _run_all(pg) -> None:
    """Run every cell of the open notebook from the Run menu."""
    pg.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    pg.locator(".lm-Menu-item:not(.lm-mod-hidden)", has_text="Run All Cells").first.click()


def _kernel_idle(base: str, token: str, name: str = DEMO.name) -> bool:
    """True once the server has a session for notebook `name` whose kernel is idle."""
    try:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as r:
            sessions = json.load(r)
    except OSError:
        return False
    return any(s.get("path", "").endswith(name) and (s.get("kernel") or {}).get("execution_state") == "idle"
               for s in sessions)


def _start_kernel(pg, base: str, token: str, timeout_s: float, name: str = DEMO.name) -> None:
    """Accept the "Select Kernel" dialog if JupyterLab asks, then wait until the kernel is idle."""
    dialog = pg.locator(".jp-Dialog")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if dialog.count() and dialog.first.is_visible():
            dialog.locator(".jp-mod-accept").first.click()
        elif _kernel_idle(base, token, name):
            return
        time.sleep(0.25)
    pg.screenshot(path=str(SHOTS / "kernel-not-idle.png"), full_page=True)
    raise AssertionError(f"the kernel was not idle after {timeout_s:g} s (screenshot: {SHOTS / 'kernel-not-idle.png'})")


def _errors_in(cell) -> list[str]:
    """Error outputs in one cell: tracebacks, widget errors, the explorer's red error line."""
    found = []
    for out in cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all():
        text = out.inner_text()
        if "Traceback" in text or "Error" in text:
            found.append(text[:2000])
    text = cell.locator(".jp-Cell-outputWrapper").inner_text() if cell.locator(".jp-Cell-outputWrapper").count() else ""
    for marker in ("Error displaying widget", "Error rendering", "⚠"):
        if marker in text:
            found.append(f"{marker!r} in the output: {text[:2000]}")
    return found


def _pixels(png: bytes):
    import matplotlib.image

    return matplotlib.image.imread(BytesIO(png), format="png")


def _changed_fraction(a: bytes, b: bytes) -> float:
    """The fraction of pixels that differ between two screenshots of the same element."""
    import numpy as np

    pa, pb = _pixels(a), _pixels(b)
    if pa.shape != pb.shape:
        return 1.0
    return float(np.mean(np.any(np.abs(pa - pb) > 1e-3, axis=-1)))


def _drag(pg, slider) -> None:
    """Drag a slider's handle about a third of its track to the right (or left, near the end)."""
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    track = slider.locator(".noUi-target").first.bounding_box()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    step = track["width"] / 3
    to = x + step if x + step <= track["x"] + track["width"] else x - step
    pg.mouse.move(x, y)
    pg.mouse.down()
    pg.mouse.move(to, y, steps=10)
    pg.mouse.up()


@pytest.mark.parametrize("index, check", [
    pytest.param(i, check, id=f"cell{i}" + (f"-click-{check['click']}" if "click" in check else "-slider"))
    for i, check in _checked_cells()])
def test_explorer_in_jupyterlab(page, index, check):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = time.monotonic()
    pg = page
    cell = pg.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    # The widget renders: its ipympl canvas and a readout line appear.
    canvas = cell.locator(".jupyter-matplotlib-canvas-div").first
    try:
        canvas.wait_for(state="visible", timeout=45_000)
    except PlaywrightTimeout:
        pg.screenshot(path=str(SHOTS / f"cell{index}-no-widget.png"), full_page=True)
        errors = _errors_in(cell)
        raise AssertionError(f"cell {index}: no ipympl canvas after 45 s; errors: {errors}; "
                             f"output: {cell.inner_text()[:2000]!r}")
    assert not _errors_in(cell), _errors_in(cell)
    # The widget fits the output area: nothing in it scrolls sideways (the playground's figure
    # was wider than the notebook at 1280 pixels).
    scrolling = cell.locator(".jp-Cell-outputWrapper").evaluate(SIDEWAYS_SCROLLERS)
    assert not scrolling, f"cell {index}: scrolls sideways (class, scrollWidth, clientWidth): {scrolling}"
    area = cell.locator(".jp-OutputArea-output").first.bounding_box()
    box = canvas.bounding_box()
    assert box["x"] + box["width"] <= area["x"] + area["width"], f"cell {index}: canvas {box}, output area {area}"
    readout = cell.locator(".jp-OutputArea-output .widget-html-content").first
    # The first frame has been drawn once the canvas stops changing.
    before, settled_at = canvas.screenshot(), time.monotonic()
    while time.monotonic() - settled_at < 1.0:
        time.sleep(0.3)
        shot = canvas.screenshot()
        if shot != before:
            before, settled_at = shot, time.monotonic()
    text_before = readout.inner_text()
    (SHOTS / f"cell{index}-before.png").write_bytes(before)
    pg.screenshot(path=str(SHOTS / f"cell{index}-page-before.png"), full_page=True)

    button = None
    if "click" in check:  # e.g. the playground's Play toggle
        button = cell.locator(".jp-OutputArea-output button", has_text=check["click"]).first.element_handle()
        button.click()
    else:
        _drag(pg, cell.locator(".jp-OutputArea-output .widget-slider").first)

    # The kernel redraws and ipympl sends the new image: wait for a visible change.
    deadline, fraction = time.monotonic() + 20, 0.0
    while time.monotonic() < deadline:
        after = canvas.screenshot()
        fraction = _changed_fraction(before, after)
        if fraction > 0.001 and ("click" in check or readout.inner_text() != text_before):
            break
        time.sleep(0.3)
    time.sleep(0.5)  # let a throttled last frame land, for the screenshot
    after = canvas.screenshot()
    (SHOTS / f"cell{index}-after.png").write_bytes(after)
    pg.screenshot(path=str(SHOTS / f"cell{index}-page-after.png"), full_page=True)
    text_after = readout.inner_text()
    if button is not None and check.get("toggle"):
        button.click()  # and off again (the playground's Pause), so the kernel goes quiet
    assert _changed_fraction(before, after) > 0.001, f"cell {index}: the plot did not change"
    if "click" not in check:
        assert text_after != text_before, f"cell {index}: the readout stayed {text_before!r}"
    assert not _errors_in(cell), _errors_in(cell)
    assert not pg.errors, f"errors in the page: {pg.errors}"
    assert time.monotonic() - started < 60


def test_pyplot_after_the_explorers_is_still_inline(page):
    """The cell tagged `pyplot-inline` runs after every explorer: its plt.show() is an inline PNG.

    Making an explorer once switched pyplot to ipympl, so every later figure became a
    full-width interactive canvas (clipped on the right beside JupyterLab's file browser).
    """
    cells = json.loads(DEMO.read_text(encoding="utf-8"))["cells"]
    index = next(i for i, c in enumerate(cells) if "pyplot-inline" in c["metadata"].get("tags", []))
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    output = cell.locator(".jp-OutputArea-output").first
    output.wait_for(state="visible", timeout=60_000)
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(
        '.jp-OutputArea-output[data-mime-type="image/png"] img, .jupyter-matplotlib').first.wait_for(timeout=30_000)
    assert cell.locator(".jupyter-matplotlib").count() == 0, "plt.show() gave an ipympl canvas, not an inline image"
    assert cell.locator('.jp-OutputArea-output[data-mime-type="image/png"] img').count() == 1
    assert not _errors_in(cell), _errors_in(cell)


def test_a_learner_notebook_opens_unmodified(lab, browser):
    """Open notebooks/00_welcome.ipynb; once its kernel is idle the tab shows no unsaved-changes dot.

    JupyterLab fills in the kernelspec and language_info the kernel reports; if the file's
    metadata were incomplete, that counted as an edit and closing the tab asked to save.
    """
    base, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        context.set_default_timeout(30_000)
        pg = context.new_page()
        _open_notebook(pg, base, token, LEARNER.name)
        tab = pg.locator(".lm-TabBar-tab", has_text=LEARNER.name).first
        tab.wait_for(state="visible")
        time.sleep(1.5)  # metadata updates follow the kernel's info reply
        pg.screenshot(path=str(SHOTS / "learner-notebook-opened.png"))
        # (the demo notebook may be open too, restored from the workspace, and modified by its run)
        assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), "the learner notebook is marked modified"
    finally:
        context.close()


HAN = "\u4e00-\u9fff"


def test_a_chinese_notebook_speaks_chinese(lab, browser):
    """Run notebooks/zh/01_the_neuron.ipynb (every exercise unsolved) in JupyterLab: the checks' verdicts and
    the widgets' readouts are Chinese, every figure is drawn, and no output reports a glyph missing from the
    fonts (matplotlib's warning when a 汉字 would be drawn as a box)."""
    import re

    base, token = lab
    name = f"zh/{CHINESE.name}"
    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    try:
        context.set_default_timeout(30_000)
        pg = context.new_page()
        _open_notebook(pg, base, token, name, workspace="chinese")
        _run_all(pg)
        # every cell has run when no input prompt shows [*] (queued or running) and the kernel is idle
        deadline = time.monotonic() + 240
        time.sleep(2)
        while time.monotonic() < deadline and not (
                _kernel_idle(base, token, CHINESE.name)
                and "*" not in "".join(pg.locator(".jp-InputPrompt").all_inner_texts())):
            time.sleep(0.5)
        time.sleep(3)  # the last outputs and widget views render after the kernel goes idle
        pg.screenshot(path=str(SHOTS / "chinese-notebook.png"), full_page=True)
        outputs = pg.locator(".jp-OutputArea-output").all_inner_texts()
        text = "\n".join(outputs)
        verdicts = [t for t in outputs if t.lstrip().startswith(("✓", "✗", "○", "⚠"))]
        assert verdicts, "no check verdict was shown"
        assert all(re.search(f"[{HAN}]", v) for v in verdicts), f"verdicts not in Chinese: {verdicts[:3]}"
        widget_text = " ".join(pg.locator(".widget-html-content, .widget-label").all_inner_texts())
        assert re.search(f"[{HAN}]", widget_text), f"no Chinese in the widgets' labels and readouts: {widget_text[:300]}"
        assert pg.locator('.jp-OutputArea-output[data-mime-type="image/png"] img').count() > 0, "no figure was drawn"
        assert "missing from" not in text and "does not have a glyph" not in text, \
            [t for t in outputs if "glyph" in t.lower()][:3]
        assert "Traceback" not in text, [t for t in outputs if "Traceback" in t][:1]
    finally:
        context.close()
