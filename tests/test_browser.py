"""Real-browser tests: what a reader sees and does in JupyterLab, in headless Chromium.

One JupyterLab serves a copy of the repository (README, data/, the chapters with their outputs
and widget state stripped, so a slider can only appear if the kernel really ran). It is started
with the README's read command itself, in folders of its own (workspace, settings, runtime,
IPython profile), so a test run leaves no workspace behind in ~/.jupyter or in the clone.

- The README's command opens the contents page, with the repository as the file browser's
  root; a chapter's link to ../data/README.md opens the data sheet; a chapter's notation link
  opens the notation page with its table in view.
- Every chapter is opened and run (Run All), then: no cell failed; no exercise answer is
  visible (no "Correct" in any output, every check of a template says "Not yet", every
  Solution block is closed); no raw TeX is left in the rendered text and MathJax ran; every
  live widget (``book.widgets.live``) shows its figure right below its controls, and moving a
  control replaces that same figure in place (there is no second figure, and the page does
  not collapse while the new image arrives). The widgets and exercises are found in the page,
  so a new chapter is covered without changing this file.
- The input-to-image latency of every slider is measured in the page (median over MOVES
  moves, with its parts) and printed with the load average: a report, not a pass/fail
  (benchmarks/browser_latency.py is the same measurement as a script).

Screenshots go to test-artifacts/browser/. Needs Chromium (CHROMIUM_PATH, default
/usr/bin/chromium) and the playwright package; without them the tests are skipped with the
reason, and RNN_BOOK_REQUIRE_BROWSER=1 (set by .ci/run) turns that skip into a failure.
"""
import importlib.util
import json
import os
import re
import statistics
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
MOVES = 20

_spec = importlib.util.spec_from_file_location("browser_latency", ROOT / "benchmarks" / "browser_latency.py")
bl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bl)

CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LATENCY = {}                     # widget label -> summary, printed by the last test


def _missing():
    if not Path(bl.CHROMIUM).exists():
        return f"Chromium not found at {bl.CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def read_command_args():
    """The arguments the README's read command gives ``jupyter`` (e.g. ['lab', ..., 'notebooks/00_index.ipynb'])."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- read-command -->\s*```bash\n(.*?)\n```", text, re.S).group(1).strip()
    words = block.split("&&")[-1].split()
    assert words[0].endswith("jupyter"), f"the read command should end by starting jupyter: {block}"
    return words[1:]


def snapshot(folder):
    """Every file under ``folder`` with its modification time (to prove nothing was written there)."""
    folder = Path(folder)
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def jupyter_leftovers():
    """Files JupyterLab would leave in the clone (workspaces, checkpoints, settings)."""
    names = (".ipynb_checkpoints", ".jupyter", ".virtual_documents", "Untitled.ipynb")
    found = [p for name in names for p in ROOT.glob(f"**/{name}") if ".venv" not in p.parts]
    return {str(p) for p in found} | {str(p) for p in ROOT.rglob("*.jupyterlab-workspace") if ".venv" not in p.parts}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started by the README's read command in a copy of the book; yields a dict."""
    reason = _missing()
    if reason:
        if os.environ.get("RNN_BOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RNN_BOOK_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(f"browser test skipped: {reason}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    tmp = tmp_path_factory.mktemp("lab")
    root = bl.book_copy(tmp / "book")
    home_jupyter = Path.home() / ".jupyter"
    before = {"home": snapshot(home_jupyter), "repo": jupyter_leftovers()}
    open_file = tmp / "open_url.txt"
    with bl.jupyter_lab(root, tmp / "state", lab_args=read_command_args(), open_url_file=open_file) as url:
        for _ in range(120):
            if open_file.exists() and open_file.read_text():
                break
            time.sleep(0.25)
        yield {"url": url, "open_url": open_file.read_text() if open_file.exists() else None, "root": root,
               "state": tmp / "state", "before": before, "home_jupyter": home_jupyter}


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = bl.launch(p, tmp_path_factory.mktemp("profile"))
        yield ctx
        ctx.close()


def stop_kernels(lab):
    """Shut down every kernel the page started (the next test starts from a quiet server)."""
    headers = {"Authorization": f"token {bl.TOKEN}"}
    with urllib.request.urlopen(urllib.request.Request(f"{lab['url']}/api/sessions", headers=headers)) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(f"{lab['url']}/api/sessions/{s['id']}", method="DELETE", headers=headers)
        urllib.request.urlopen(req).close()


@pytest.fixture
def page(browser, lab):
    pg = browser.new_page()
    pg.set_default_timeout(90_000)
    yield pg
    pg.close()
    stop_kernels(lab)


def shot(page, name, locator=None):
    """Save a screenshot (of one element if given) to test-artifacts/browser/."""
    path = str(ARTIFACTS / name)
    if locator is not None:
        locator.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        locator.screenshot(path=path)
    else:
        page.wait_for_timeout(200)
        page.screenshot(path=path)


def shot_cells(page, name, first, last):
    """Save a screenshot of cells ``first`` to ``last`` of the open notebook, scrolled into view."""
    cells = current_panel(page).locator(".jp-Notebook .jp-Cell")
    cells.nth(first).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    top, bottom = cells.nth(first).bounding_box(), cells.nth(last).bounding_box()
    height = min(bottom["y"] + bottom["height"], page.viewport_size["height"]) - top["y"]
    page.screenshot(path=str(ARTIFACTS / name), clip={"x": top["x"], "y": top["y"], "width": top["width"], "height": height})


def current_panel(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def open_contents_page(page, lab):
    """Open the address the README's command opens in the reader's browser (with a fresh workspace)."""
    assert lab["open_url"], "JupyterLab did not hand a URL to the browser"
    page.goto(lab["open_url"] + "&reset")
    bl.wait_for_kernel(page)
    current_panel(page).locator(".jp-RenderedMarkdown h1").first.wait_for()


# --- Starting and navigating -----------------------------------------------------------------

def test_readme_command_opens_the_contents_page_with_the_repository_as_root(page, lab):
    assert "/lab/tree/notebooks/00_index.ipynb" in lab["open_url"]
    open_contents_page(page, lab)
    assert page.locator(".lm-TabBar-tab.lm-mod-current", has_text="00_index.ipynb").count() >= 1
    shot(page, "start_contents_page.png")
    page.locator(".jp-BreadCrumbs-home").first.click()              # the file browser's root
    listing = page.locator(".jp-DirListing-content")
    listing.get_by_text("README.md", exact=True).wait_for()
    # .jp-DirListing-itemText holds an item's name in JupyterLab 4.2 as in 4.6
    names = {t.strip() for t in page.locator(".jp-DirListing-itemText").all_inner_texts()}
    assert {"README.md", "data", "notebooks"} <= names, names
    shot(page, "start_file_browser_root.png")


def test_chapter_2_link_to_the_data_sheet_opens_it(page, lab):
    open_contents_page(page, lab)
    page.goto(f"{lab['url']}/lab/tree/notebooks/02_rnn_structures.ipynb?token={bl.TOKEN}")
    bl.wait_for_kernel(page)
    link = current_panel(page).locator('.jp-RenderedMarkdown a[href*="data/README.md"]').first
    link.scroll_into_view_if_needed()
    link.click()
    first_heading = next(ln for ln in (ROOT / "data" / "README.md").read_text().splitlines() if ln.startswith("# "))
    # JupyterLab 4.6 renders the linked file; 4.2 opens it in the text editor, as markdown source
    viewer = page.locator(".jp-MarkdownViewer:not(.lm-mod-hidden), .jp-RenderedMarkdown:not(.jp-MarkdownCell *), "
                          ".jp-FileEditor:not(.lm-mod-hidden)")
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text="README.md").first.wait_for()
    viewer.get_by_text(first_heading[2:].strip(), exact=False).first.wait_for()
    shot(page, "start_data_readme_from_chapter_2.png")


def test_notation_link_lands_on_the_notation_table(page, lab):
    """A reader who opened a chapter on its own (the contents page is not open) follows its notation
    link: the notation page opens with its table in view.

    The notation has a page of its own for this: JupyterLab 4.2-4.6 resolves a #Name fragment by
    looking for the rendered heading as soon as the target notebook's file has loaded, before its
    markdown has rendered, so a link to a heading inside the contents page scrolled there only when
    that page was already open."""
    page.goto(f"{lab['url']}/lab/tree/notebooks/03_rnn_training.ipynb?token={bl.TOKEN}&reset")
    bl.wait_for_kernel(page)
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text="03_rnn_training").wait_for()
    assert page.locator(".lm-TabBar-tab", has_text="00_index").count() == 0
    link = current_panel(page).locator('.jp-RenderedMarkdown a[href*="00_notation.ipynb"]').first
    link.scroll_into_view_if_needed()
    link.click()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text="00_notation").wait_for()
    table = current_panel(page).locator(".jp-RenderedMarkdown table").first
    table.wait_for()
    deadline = time.time() + 20
    while time.time() < deadline:
        box = table.bounding_box()
        if box and 0 <= box["y"] < page.viewport_size["height"] - 40:
            break
        time.sleep(0.2)
    shot(page, "start_notation_link.png")
    heading = current_panel(page).locator(".jp-RenderedMarkdown h1").first
    assert heading.inner_text().strip().startswith("Notation")
    box = table.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"] - 40, f"the notation table is not in view: {box}"


# --- Every chapter, run as a reader runs it ----------------------------------------------------

#: Text in rendered markdown that MathJax did not typeset, or TeX written outside $…$.
RAW_TEX = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const patterns = [/\$[^$\n]+\$/, /\\(frac|mathbb|mathrm|mathbf|partial|sum|prod|sigma|delta|odot|cdot|top|left|right|begin|end|nabla|tanh|quad|text|hat|tilde|bar|dots|ldots|le|ge|in|to|approx|varphi|phi|rho|gamma)(?![A-Za-z])/,
                    /[A-Za-z\u0370-\u03ff\)\]}][_^]\{/, /[A-Za-z\u0370-\u03ff\)\]}]\^[A-Za-z0-9(\u0370-\u03ff]/,
                    /(^|[\s(])[A-Za-z\u0370-\u03ff]_[A-Za-z0-9\u0370-\u03ff]/];
  const bad = [];
  const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell'));
  cells.forEach((cell, i) => {
    for (const md of cell.querySelectorAll(':scope .jp-MarkdownOutput')) {
      const clone = md.cloneNode(true);
      clone.querySelectorAll('mjx-container, code, pre, script, style, details').forEach(e => e.remove());
      const text = clone.textContent;
      for (const p of patterns) {
        const m = text.match(p);
        if (m) { bad.push({cell: i, match: m[0], context: text.slice(Math.max(0, m.index - 40), m.index + 40)}); break; }
      }
    }
  });
  return {bad, mathjax: panel.querySelectorAll('.jp-MarkdownOutput mjx-container').length};
}
"""

#: The exercises as the page shows them: outputs with "Correct", the Solution blocks, the checks.
EXERCISES = r"""
(checkCells) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell'));
  const outText = c => Array.from(c.querySelectorAll('.jp-OutputArea-output')).map(o => o.textContent).join('\n');
  const correct = [];
  cells.forEach((c, i) => { if (/(^|\n)\s*Correct\b/.test(outText(c))) correct.push({cell: i, text: outText(c).slice(0, 200)}); });
  const details = Array.from(panel.querySelectorAll('.jp-MarkdownOutput details')).map(d => ({
    open: d.open,
    summary: (d.querySelector('summary') || {}).textContent || '',
    visible: Array.from(d.children).filter(k => k.tagName !== 'SUMMARY').some(k => k.checkVisibility())
  }));
  const checks = checkCells.map(i => ({cell: i, text: cells[i] ? outText(cells[i]).slice(0, 300) : null}));
  return {correct, details, checks, cells: cells.length};
}
"""


#: Output text whose lines the output area breaks (each line: its length and its start).
WRAPPED_LINES = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const found = [];
  panel.querySelectorAll('.jp-OutputArea-output.jp-RenderedText pre').forEach(pre => {
    const lines = pre.textContent.replace(/\n$/, '').split('\n');
    const lineHeight = parseFloat(getComputedStyle(pre).lineHeight);
    if (!(lineHeight > 0)) return;
    const rows = Math.round(pre.getBoundingClientRect().height / lineHeight);
    if (rows > lines.length) {
      const longest = lines.reduce((a, b) => (a.length >= b.length ? a : b));
      found.push({rows, lines: lines.length, longest: longest.length, start: longest.slice(0, 60)});
    }
  });
  return found;
}
"""
WRAPPED_WIDTH = "about 105 characters in the test's 1280-pixel window"


def chapter_number(name):
    return name[:2]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_runs_and_reads_well(page, lab, name):
    nb = nbformat.read(lab["root"] / "notebooks" / name, as_version=4)
    tag = f"ch{chapter_number(name)}"
    bl.open_notebook(page, lab["url"], f"notebooks/{name}")
    seconds, state = bl.run_all(page, cells=len(nb.cells), timeout=300)
    assert not state["errors"], f"{name}: a cell failed during Run All:\n" + "\n---\n".join(state["errors"][:2])
    assert state["cells"] == len(nb.cells), f"{name}: the page shows {state['cells']} of {len(nb.cells)} cells"

    # Exercises: nothing gives an answer away, every template's check says "Not yet".
    check_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "exercises.check(" in c.source]
    ex = page.evaluate(EXERCISES, check_cells)
    assert not ex["correct"], f"{name}: an answer is visible after Run All: {ex['correct'][:3]}"
    assert all(not d["open"] and not d["visible"] for d in ex["details"]), f"{name}: an open Solution block: {ex['details']}"
    for c in ex["checks"]:
        assert c["text"] and "Not yet" in c["text"], f"{name}: cell {c['cell']}'s check should say 'Not yet': {c['text']!r}"
    if check_cells:                           # the first exercise: template, its "Not yet", the closed Solution
        shot_cells(page, f"{tag}_exercise_after_run_all.png", check_cells[0], min(check_cells[0] + 1, len(nb.cells) - 1))

    # Mathematics: typeset by MathJax, no raw TeX left in the text.
    has_math = any(c.cell_type == "markdown" and "$" in c.source for c in nb.cells)
    deadline = time.time() + 30
    while True:
        tex = page.evaluate(RAW_TEX)
        if (not tex["bad"] and (tex["mathjax"] or not has_math)) or time.time() > deadline:
            break
        time.sleep(0.5)
    assert not tex["bad"], f"{name}: raw TeX in the rendered text: {tex['bad'][:5]}"
    assert tex["mathjax"] or not has_math, f"{name}: MathJax typeset nothing"
    math = current_panel(page).locator(".jp-MarkdownOutput:has(mjx-container)")
    if math.count():
        shot(page, f"{tag}_math_typeset.png", math.nth(min(2, math.count() - 1)))

    # Live widgets: the figure right below its controls, replaced in place when a control moves.
    inner = page.evaluate("() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')"
                          ".querySelectorAll('.widget-output img').length")
    assert not inner, f"{name}: a figure drawn inside a widget's Output (an interact): use book.widgets.live"
    for k, w in enumerate(bl.find_widgets(page)):
        label = f"{name} cell {w['cell']} ({', '.join(w['labels'][:2])})"
        assert w["after"][:2] == ["text/plain", "image/png"] and w["images"] == 1, \
            f"{label}: expected the controls, one text and one figure, got {w['after']} and {w['images']} images"
        check_live_widget(page, w, label, f"{tag}_widget{k}")

    # Printed lines: none is broken by the output area (JupyterLab breaks long lines mid-word).
    wrapped = page.evaluate(WRAPPED_LINES)
    assert not wrapped, f"{name}: printed lines wider than the output area ({WRAPPED_WIDTH}), broken mid-word: {wrapped[:3]}"


def settled_positions(page, controls, img, timeout=5.0):
    """The controls' bottom and the image's top, read together once the page has stopped moving
    (it may still be scrolling, or laying out images above): two equal readings 0.1 s apart."""
    read = lambda: page.evaluate("([c, i]) => [c.getBoundingClientRect().bottom, i.getBoundingClientRect().top]",
                                 [controls.element_handle(), img.element_handle()])
    last, deadline = read(), time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.1)
        now = read()
        if now == last:
            return now
        last = now
    return last


def check_live_widget(page, w, label, stem):
    cell, controls, _ = bl.widget_locators(page, w)
    figure = bl.figure_host(page, w)
    controls.scroll_into_view_if_needed()
    bottom, top = settled_positions(page, controls, figure.locator("img"))
    assert 0 <= top - bottom < 200, f"{label}: the figure is not right below its controls"
    start_src = figure.locator("img").get_attribute("src")
    copies = page.evaluate("src => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
                           ".jp-OutputArea img')).filter(i => i.src === src).length", start_src)
    assert copies == 1, f"{label}: the page shows a second, static copy of this widget's figure"
    height = lambda: cell.locator(".jp-OutputArea").evaluate("e => e.getBoundingClientRect().height")
    h0 = height()
    page.evaluate("""(area) => { const R = window.__rb; R.heights = [];
        R.resize = new ResizeObserver(es => es.forEach(e => R.heights.push(e.contentRect.height)));
        R.resize.observe(area); }""", cell.locator(".jp-OutputArea").element_handle())
    if w["sliders"]:
        samples = bl.measure_widget(page, w, moves=MOVES,
                                    screenshot=lambda i: shot(page, f"{stem}_{'before' if i == 0 else 'after'}.png", cell))
        LATENCY[label] = bl.summarize(samples)
        assert all(s["img_width"] and s["img_height"] for s in samples), f"{label}: the image has no width/height"
        hashes = [s["hash"] for s in samples]
        assert all(a != b for a, b in zip(hashes, hashes[1:])), f"{label}: a move did not change the figure"
    if w["dropdowns"]:
        select = controls.locator(".widget-dropdown select").first
        old = figure.locator("img").get_attribute("src")
        options = select.locator("option").all_inner_texts()
        select.select_option(options[-1] if select.input_value() != options[-1] else options[0])
        page.wait_for_function("([el, old]) => { const i = el.querySelector('img'); return i && i.src !== old; }",
                               arg=[figure.element_handle(), old])
        shot(page, f"{stem}_dropdown.png", cell)
    heights = page.evaluate("() => { const R = window.__rb; R.resize.disconnect(); return R.heights; }")
    assert cell.locator(".jp-OutputArea img").count() == 1, f"{label}: a second figure appeared"
    assert figure.locator("img").get_attribute("src") != start_src or w["sliders"], f"{label}: the figure did not change"
    assert min(heights or [h0]) > h0 - 100, f"{label}: the output collapsed while redrawing ({h0:.0f} -> {min(heights):.0f} px)"


# --- After everything --------------------------------------------------------------------------

def test_latency_report_and_nothing_written_outside_the_test_folders(lab, capsys):
    """Print the latency of every slider; check the tests wrote no workspace into ~/.jupyter or the clone."""
    lines = [bl.report_line(k, v) for k, v in LATENCY.items()]
    medians = [v["median"] for v in LATENCY.values()]
    if medians:
        lines.append(f"median of the widgets' medians: {statistics.median(medians):.0f} ms "
                     f"(first moves: {statistics.median(v['first'] for v in LATENCY.values()):.0f} ms); {bl.load_average()}")
    else:
        lines.append("no live widget was measured")
    (ARTIFACTS / "latency.txt").write_text("\n".join(lines) + "\n")
    with capsys.disabled():
        print("\ninput-to-image latency in JupyterLab (headless Chromium):")
        for ln in lines:
            print("  " + ln)
    assert snapshot(lab["home_jupyter"]) == lab["before"]["home"], "the tests wrote into ~/.jupyter"
    assert jupyter_leftovers() == lab["before"]["repo"], "the tests left JupyterLab files in the clone"
    assert any((lab["state"] / "workspaces").iterdir()), "the test server did not use its own workspace folder"
