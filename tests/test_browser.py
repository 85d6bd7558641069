"""Real-browser tests: what a reader does, in JupyterLab, in headless Chromium.

Each test starts JupyterLab on localhost with a token, opens a copy of a chapter with its
outputs and widget state stripped (so a slider can only appear if the kernel really ran),
runs all cells from the Run menu, moves a slider with the keyboard, and checks that the
printed numbers and the plotted image change to the values expected for the new setting.
Screenshots go to test-artifacts/browser/ (printed at the end of the pytest run).

Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and the playwright package.
Without them the tests are skipped with the reason; RNN_BOOK_REQUIRE_BROWSER=1 (set by
.ci/run) turns that skip into a failure.
"""
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

import rnn_core as rc

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TOKEN = "rnn-book-browser-test"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _missing():
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("RNN_BOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RNN_BOOK_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(f"browser test skipped: {reason}")
    work = tmp_path_factory.mktemp("lab")
    for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        name = path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, work / name)
    settings = work / "settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
         # Render every cell: with the default windowing, off-screen outputs are not in the page.
         "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={work}", f"--LabApp.user_settings_dir={settings}",
           "--LabServerApp.app_settings_dir=" + str(settings)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(work / "lab.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + (work / "lab.log").read_text()[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture
def page(lab, tmp_path):
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                   headless=True, args=ARGS, viewport={"width": 1280, "height": 1000})
        pg = ctx.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        ctx.close()


def open_and_run(page, lab, name):
    page.goto(f"{lab}/lab/tree/{name}?token={TOKEN}&reset")
    page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li[data-command="runmenu:run-all"]').click()


def output_text(page):
    return "\n".join(page.locator(".widget-output, .jp-OutputArea-output").all_inner_texts())


def wait_for_line(page, pattern, timeout=60):
    """Wait until some output line matches ``pattern``; return that line."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in output_text(page).splitlines():
            if re.search(pattern, line):
                return line
        time.sleep(0.2)
    raise AssertionError(f"no output line matched {pattern!r}; last output:\n{output_text(page)[-1500:]}")


def image_hash(widget_output):
    img = widget_output.locator("img").first
    img.wait_for()
    return hashlib.sha1(img.get_attribute("src").encode()).hexdigest()


def wait_for_new_image(widget_output, old_hash, timeout=20):
    """The figure is redrawn after the text is printed; wait until its image differs."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        new = image_hash(widget_output)
        if new != old_hash:
            return new
        time.sleep(0.2)
    raise AssertionError("the figure did not change after the control moved")


def screenshot(page, widget_output, name):
    """Scroll the widget's figure into view, let it paint, and save a screenshot."""
    img = widget_output.locator("img").first
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))


def press_right(page, slider_index):
    handle = page.locator(".widget-slider .noUi-handle").nth(slider_index)
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press("ArrowRight")


def test_chapter_1_slider_scales_w(page, lab):
    open_and_run(page, lab, "01_rnn_idea.ipynb")
    first = wait_for_line(page, r"^w = 2\.00: o_5 = ", timeout=120)
    expected = lambda w: f"w = {w:.2f}: o_5 = [" + ", ".join(f"{v:.4g}" for v in rc.source_example(5, w)[-1]) + "]"
    assert first.strip() == expected(2.0)
    out = page.locator(".widget-output").first
    before = image_hash(out)
    screenshot(page, out, "ch01_w_2.00.png")
    press_right(page, 0)
    assert wait_for_line(page, r"^w = 2\.10: ").strip() == expected(2.1)
    wait_for_new_image(out, before)
    screenshot(page, out, "ch01_w_2.10.png")


def ratio_line(scale, activation, T=50, H=32, input_scale=1.0, seed=0):
    r = rc.gradflow.gradient_norms(scale, T=T, activation=activation, hidden_size=H, input_scale=input_scale, seed=seed)
    return f"‖∂L_T/∂s_1‖ / ‖∂L_T/∂s_T‖ = {r['ratio']:.3e}   bound (γσ_max)^(T-1) = {r['bound'][0]:.3e}"


def lines_after(page, header):
    lines = output_text(page).splitlines()
    i = max(k for k, ln in enumerate(lines) if ln.strip() == header)
    return lines[i + 1].strip()


def test_chapter_7_main_widget(page, lab):
    open_and_run(page, lab, "07_gradient_problems.ipynb")
    h0 = "scale = 1.00, activation = tanh, T = 50, H = 32, input scale = 1.00, seed = 0"
    wait_for_line(page, "^" + re.escape(h0), timeout=120)
    assert lines_after(page, h0) == ratio_line(1.0, "tanh")
    out = page.locator(".widget-output").first
    before = image_hash(out)
    screenshot(page, out, "ch07_scale_1.00_tanh.png")

    press_right(page, 0)                                  # scale 1.00 -> 1.05
    h1 = h0.replace("scale = 1.00", "scale = 1.05", 1)          # not "input scale"
    wait_for_line(page, "^" + re.escape(h1))
    assert lines_after(page, h1) == ratio_line(1.05, "tanh")
    after_scale = wait_for_new_image(out, before)
    screenshot(page, out, "ch07_scale_1.05_tanh.png")

    page.locator(".widget-dropdown select").first.select_option("relu")
    h2 = h1.replace("activation = tanh", "activation = relu", 1)
    wait_for_line(page, "^" + re.escape(h2))
    assert lines_after(page, h2) == ratio_line(1.05, "relu")
    wait_for_new_image(out, after_scale)
    screenshot(page, out, "ch07_scale_1.05_relu.png")
