"""The web edition: build it, serve it on 127.0.0.1, and read it in headless Chromium offline.

Two sites are built into a temporary folder: the book itself (tools/build_site.py, as the
README's site command runs it) and a small fixture book (tests/site_fixtures/make_book.py) that
always has live widgets of every kind, a collapsed solution of each kind and an old interact
cell. Every request that leaves 127.0.0.1 is blocked and counted. Screenshots go to
test-artifacts/site/.

Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and playwright for the browser
tests; without them they are skipped, and RNN_BOOK_REQUIRE_BROWSER=1 turns that into a failure.
"""
import base64
import functools
import io
import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "site_fixtures"))
import build_site  # noqa: E402
from make_book import write_book  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts" / "site"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def executed(folder):
    """Store a fresh run's outputs in the fixture chapter, as tools/execute_notebooks.py does."""
    path = folder / "01_demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    build_site.run(nb, folder)
    nbformat.write(nb, path)
    return folder


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Build both sites into one served folder; returns {name: (folder, build output)}."""
    root = tmp_path_factory.mktemp("sites")
    book = executed(write_book(tmp_path_factory.mktemp("fixture")))
    runs = {"book": [], "fixture": ["--notebooks", str(book), "--grids", str(ROOT / "tests" / "site_fixtures" / "grids.json")]}
    out = {}
    for name, extra in runs.items():
        result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(root / name), *extra],
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        print(result.stdout)
        out[name] = (root / name, result.stdout)
    return root, out


@pytest.fixture(scope="module")
def server(sites):
    root, _ = sites
    handler = functools.partial(type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
                                directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    problem = (f"Chromium not found at {CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)"
               if not Path(CHROMIUM).exists() else None)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = problem or "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if problem:
        if os.environ.get("RNN_BOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RNN_BOOK_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(f"site browser test skipped: {problem}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Offline:
    """A browser page that may only talk to 127.0.0.1: everything else is blocked and counted."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.external, self.errors = [], []
        self.context.route("**/*", self.route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(90_000)        # generous: CI machines can be busy
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def open(self, url):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        self.page.evaluate("() => MathJax.startup.promise.then(() => document.fonts.ready).then(() => true)")
        return self.page


@pytest.fixture
def offline(browser):
    o = Offline(browser)
    yield o
    o.context.close()


def page_file(stem):
    return build_site.page_name(stem)


# --- the build -----------------------------------------------------------------------------------

def test_build_prints_time_and_size_and_stays_small(sites):
    _, out = sites
    folder, stdout = out["book"]
    assert re.search(r"site: .* \(\d+\.\d MB, \d+ pages, \d+ static widgets\) built in \d+\.\d s", stdout)
    assert (folder / "index.html").exists()
    assert [f"{s}: " in stdout for s in map(page_file, CHAPTERS)] == [True] * len(CHAPTERS)
    assert build_site.size(folder) < 60e6


def test_every_link_and_file_resolves(sites):
    """Every relative link or source of every page is a file of the site; every anchor exists."""
    _, out = sites
    for name, (folder, _) in out.items():
        pages = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
        assert "interactive(children=" not in "".join(pages.values())
        for page, text in pages.items():
            for target, anchor in re.findall(r'(?:href|src)="(?![a-z]+:)([^"#]*)(?:#([^"]*))?"', text):
                assert ".ipynb" not in target, f"{name}/{page} links a notebook: {target}"
                assert (folder / (target or page)).is_file(), f"{name}/{page} links {target}: not in the site"
                if anchor:
                    assert f'id="{anchor}"' in pages[target or page], f"{name}/{page}: no anchor {target}#{anchor}"


def test_requirements_site_has_tested_ranges():
    for ln in (ROOT / "requirements-site.txt").read_text().splitlines():
        ln = ln.split("#")[0].strip()
        if ln and not ln.startswith("-"):
            assert ">=" in ln and "<" in ln, f"requirements-site.txt: {ln} needs a range with both bounds"


# --- reading it in a browser, offline ------------------------------------------------------------

def test_blocked_requests_are_counted(server, offline, sites):
    root, _ = sites
    (root / "probe.html").write_text('<img src="http://example.com/x.png"><script src="https://cdn.example.org/m.js"></script>')
    offline.page.goto(f"{server}/probe.html", wait_until="load")
    assert len(offline.external) == 2
    assert offline.page.evaluate("() => document.images[0].naturalWidth") == 0


CHECK_PAGE = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("pre, code, script, mjx-container").forEach(e => e.remove());
  const text = article.textContent;
  return {
    rawMath: (text.match(/\\$[^$\\n]{1,80}\\$|\\\\(begin|frac|partial|delta|mathbb)\\b/g) || []).slice(0, 5),
    mathErrors: document.querySelectorAll("mjx-merror").length + (text.includes("Math input error") ? 1 : 0),
    formulas: document.querySelectorAll("mjx-container").length,
    brokenImages: [...document.images].filter(i => !i.hidden && !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80)),
    images: document.images.length,
    toc: [...document.querySelectorAll(".toc a")].map(a => a.getAttribute("href")),
    pager: document.querySelectorAll(".pager a").length,
    openSolutions: document.querySelectorAll("details[open]").length,
    mathFont: [...document.fonts].some(f => f.family.startsWith("MJXTEX") && f.status === "loaded"),
  };
}"""


@pytest.mark.parametrize("stem", CHAPTERS)
def test_chapter_reads_offline(server, offline, stem):
    page = offline.open(f"{server}/book/{page_file(stem)}")
    found = page.evaluate(CHECK_PAGE)
    page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
    assert offline.external == [] and offline.errors == []
    assert found["rawMath"] == [] and found["mathErrors"] == 0
    assert found["brokenImages"] == []
    assert found["toc"] == [page_file(s) for s in CHAPTERS]
    assert found["pager"] >= 2 and found["openSolutions"] == 0
    if stem != CHAPTERS[0]:
        nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        figures = any("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert found["formulas"] > 0 and found["mathFont"] and (found["images"] > 0) == figures


def test_fixture_reads_offline_with_collapsed_solutions(server, offline):
    page = offline.open(f"{server}/fixture/01_demo.html")
    found = page.evaluate(CHECK_PAGE)
    assert offline.external == [] and offline.errors == []
    assert found["rawMath"] == [] and found["mathErrors"] == 0 and found["formulas"] >= 3 and found["mathFont"]
    assert found["brokenImages"] == [] and found["openSolutions"] == 0
    for summary in ("Solution", "Show solution"):
        details = page.locator("details", has=page.locator("summary", has_text=re.compile(f"^{summary}$")))
        answer = details.locator(".highlight").first
        assert not answer.is_visible()
        details.locator("summary").click()
        assert answer.is_visible()
    assert page.locator(".widget-missing").count() == 1           # the old interact cell
    assert page.get_by_text("[steps: 3 in all]").count() == 1     # a progress bar's stored line
    page.locator("#search").fill("glossary")
    page.locator("#search-results a").first.wait_for()
    assert "index.html#Glossary" in page.locator("#search-results a").first.get_attribute("href")


# --- static widgets -------------------------------------------------------------------------------

def widgets_of(sites, name):
    folder, _ = sites[1][name]
    return folder, json.loads((folder / "widgets.json").read_text())


def expect_frame(page, box, widget, key):
    """The widget shows the frame and the text precomputed for ``key``, and its image loaded."""
    frame = widget["frames"][key]
    assert box.get_attribute("data-key") == key
    img = box.locator(".widget-image")
    assert box.locator(".widget-text").text_content() == frame["text"]
    if frame["png"] is None:                      # a setting that cannot be drawn shows its text only
        assert img.is_hidden()
        return
    assert img.get_attribute("src") == f"widgets/{widget['notebook']}/{frame['png']}"
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())


def move(control, kind, index):
    """Set a control the way a reader would: keyboard on a slider, a choice on a dropdown."""
    if kind == "select":
        control.select_option(index=index)
        return
    control.focus()
    control.press("Home")
    for _ in range(index):
        control.press("ArrowRight")


def exercise(page, w, name):
    """Move each control of widget w to its first, last and middle setting; check every frame."""
    box = page.locator(f"#widget-{w['uid']}")
    key = [c["default"] for c in w["controls"]]
    expect_frame(page, box, w, ",".join(map(str, key)))
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(ARTIFACTS / f"{name}_{w['uid']}_default.png"))
    for j, c in enumerate(w["controls"]):
        n = len(c["labels"])
        for index in (0, n - 1, (n - 1) // 2):
            before = box.locator(".widget-image").get_attribute("src") or ""
            key[j] = index
            move(box.locator("[data-control]").nth(j), c["kind"], index)
            expect_frame(page, box, w, ",".join(map(str, key)))
            new = w["frames"][",".join(map(str, key))]["png"]
            if new and not before.endswith(new):      # a different frame: the image changed
                assert box.locator(".widget-image").get_attribute("src") != before
        key[j] = n - 1
        move(box.locator("[data-control]").nth(j), c["kind"], n - 1)
    box.screenshot(path=str(ARTIFACTS / f"{name}_{w['uid']}_last.png"))
    assert len({f["png"] for f in w["frames"].values()}) > 1


@pytest.mark.parametrize("name", ["fixture", "book"])
def test_static_widgets_switch_frames(server, offline, sites, name):
    folder, widgets = widgets_of(sites, name)
    if not widgets:
        pytest.skip(f"no page of the {name} uses book.widgets.live yet")
    for page_file_name in dict.fromkeys(w["page"] for w in widgets):
        page = offline.open(f"{server}/{name}/{page_file_name}")
        for w in widgets:
            if w["page"] == page_file_name:
                exercise(page, w, name)
        assert offline.external == [] and offline.errors == []


# --- one frame per widget against a fresh kernel --------------------------------------------------

def last_settings(widget):
    """The setting with every varied control at its last value (a frame far from the default)."""
    return {c["name"]: c["values"][-1] for c in widget["controls"]}


def kernel_drawings(notebook, settings):
    """Run the notebook in a fresh kernel, move each live widget's controls to ``settings[i]``
    there, and return the PNG each widget then shows (the live redraw's own output)."""
    nb = build_site.through_last_widget(nbformat.read(notebook, as_version=4))
    nb.cells.append(nbformat.v4.new_code_cell(
        "from rnn_core.book.widgets import REGISTRY\n"
        f"for i, settings in {settings!r}.items():\n"
        "    for name, value in settings.items():\n"
        "        REGISTRY[i].controls[name].value = value"))
    build_site.run(nb, notebook.parent)
    images = {}
    for cell in nb.cells:
        tags = [o.get("metadata", {}).get(build_site.TAG) for o in cell.get("outputs", [])]
        for i in settings:
            if i in tags:
                images[i] = base64.b64decode(cell.outputs[tags.index(i) + 2]["data"]["image/png"])
    return images


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("name", ["fixture", "book"])
def test_a_frame_of_each_widget_equals_the_kernels_drawing(sites, tmp_path, name):
    folder, widgets = widgets_of(sites, name)
    if not widgets:
        pytest.skip(f"no page of the {name} uses book.widgets.live yet")
    source = (write_book(tmp_path) if name == "fixture" else ROOT / "notebooks")
    stems = sorted({w["notebook"] for w in widgets})
    settings = {stem: {w["index"]: last_settings(w) for w in widgets if w["notebook"] == stem} for stem in stems}
    with ThreadPoolExecutor(2) as pool:           # one kernel per chapter, two at a time
        drawn = dict(zip(stems, pool.map(lambda s: kernel_drawings(source / f"{s}.ipynb", settings[s]), stems)))
    for w in widgets:
        key = ",".join(str(len(c["labels"]) - 1) for c in w["controls"])
        frame = (folder / "widgets" / w["notebook"] / w["frames"][key]["png"]).read_bytes()
        same = np.array_equal(pixels(drawn[w["notebook"]][w["index"]]), pixels(frame))
        assert same, f"{w['notebook']} widget {w['index']}: the frame at {key} differs from the kernel's drawing"


# --- the grid of settings -----------------------------------------------------------------------

def test_default_grid_keeps_both_ends_and_the_default():
    import ipywidgets
    sys.path.insert(0, str(ROOT / "tools" / "site"))
    import frames

    class Widget:                                 # what frames.grid reads of a live widget
        controls = {"scale": ipywidgets.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.05),
                    "act": ipywidgets.Dropdown(options=["tanh", "relu"], value="relu"),
                    "seed": ipywidgets.IntSlider(value=0, min=0, max=20)}
        defaults = {k: c.value for k, c in controls.items()}

    (scale, _, values, default), (_, kind, options, act), _ = frames.grid(Widget, {})[0]
    picked = [v for _, v in values]
    assert len(picked) <= frames.MAX_VALUES and picked[0] == 0.1 and picked[-1] == 3.0 and picked[default] == 1.0
    assert kind == "select" and [v for _, v in options] == ["tanh", "relu"] and act == 1
    controls, warnings = frames.grid(Widget, {"vary": {"scale": [0.1, 2.0], "seed": "all", "nope": None}})
    assert [(c[0], len(c[2])) for c in controls] == [("scale", 3), ("seed", 21)]    # 1.0 is kept as the default
    assert any("nope" in w for w in warnings)
    controls, warnings = frames.grid(Widget, {"vary": {"scale": "all", "seed": "all"}})
    assert [(c[0], len(c[2])) for c in controls] == [("scale", 59)] and "seed fixed" in warnings[0]
