#!/usr/bin/env python3
"""Build the web edition: the book as a static website whose sliders work without Python.

Usage: python tools/build_site.py [--notebooks DIR] [--out DIR] [--grids FILE]
       (default: notebooks/NN_*.ipynb -> build/site/, with index.html at its root)

Every chapter becomes one HTML page (nbconvert's markdown and output rendering, our page
template), with the book's contents, previous/next links and a search box. Math is typeset in
the browser by a copy of MathJax 3 from the PyPI package django-static-mathjax, served from the
site itself, so the site needs no network at all.

Pages are built from the notebooks' stored outputs (a fresh run, by the book's rules). A chapter
whose cells call ``book.widgets.live`` is also run, through its last widget, in a fresh kernel,
where one extra cell (tools/site/frames.py) draws every widget over a grid of settings
(tools/site/grids.json) with the widget's own drawing function. On the page, the widget's three
outputs are replaced by HTML controls that switch between those precomputed images
(tools/site/book.js). The build prints its time, each widget's grid and weight, and the size of
the site.
"""
import argparse
import base64
import copy
import hashlib
import html
import importlib.util
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Empty

# One BLAS thread for the kernels, as in tools/execute_notebooks.py.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import jinja2
from markupsafe import Markup
import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from PIL import Image
from pygments.formatters import HtmlFormatter

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "site"
TAG = "rnn_book_widget"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LINK = re.compile(r'href="(\d\d_[\w-]+)\.ipynb(#[^"]*)?"')
FILE_LINK = re.compile(r'href="(?![a-z]+:|#|[\w.-]+\.html[#"])([^"#]+)(#[^"]*)?"')


def page_name(stem):
    return "index.html" if stem == "00_index" else f"{stem}.html"


def title_of(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return "Untitled"


def has_live_widgets(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    return any("live(" in c.source or any(TAG in o.get("metadata", {}) for o in c.outputs) for c in code)


def in_slices(get_msg):
    """nbclient sometimes sees the kernel's reply to a cell that made widgets only when its wait
    times out (jupyter/nbclient#312, a missed wake-up): waiting in 1 s slices sees it in a second."""
    async def get_msg_in_slices(timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            step = 1.0 if end is None else max(0.0, min(1.0, end - time.monotonic()))
            try:
                return await get_msg(timeout=step)
            except Empty:
                if end is not None and time.monotonic() >= end:
                    raise
    return get_msg_in_slices


def run(nb, cwd):
    """Execute nb in place in a fresh python3 kernel whose working directory is cwd."""
    client = NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    client.on_notebook_start = lambda notebook: setattr(
        client.kc.shell_channel, "get_msg", in_slices(client.kc.shell_channel.get_msg))
    client.execute()


def through_last_widget(nb):
    """A copy of the notebook's cells up to its last live widget: all that drawing them needs."""
    last = max(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "live(" in c.source)
    return nbformat.v4.new_notebook(cells=copy.deepcopy(nb.cells[:last + 1]), metadata=nb.metadata)


def execute_with_frames(path, grids, workdir):
    """Run the notebook through its last live widget in a fresh kernel, then draw its widgets'
    grids into workdir. The page itself is built from the stored outputs."""
    nb = nbformat.read(path, as_version=4)
    run_nb = through_last_widget(nb)
    source = (SITE / "frames.py").read_text(encoding="utf-8")
    call = f"render_all({str(workdir)!r}, {grids.get(path.stem, {})!r})"
    run_nb.cells.append(nbformat.v4.new_code_cell(f"{source}\n{call}"))
    run(run_nb, path.parent)
    manifest = json.loads((workdir / "manifest.json").read_text())
    stored = {o.metadata[TAG] for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if TAG in o.get("metadata", {})}
    if stored != set(range(len(manifest))):
        print(f"warning: {path.name} stores outputs of {len(stored)} live widgets but has {len(manifest)}: "
              "run tools/execute_notebooks.py on it", flush=True)
    return nb, manifest


def save_frame(raw, folder):
    """Store a frame losslessly recompressed, named by its content (equal frames are stored once)."""
    buf = io.BytesIO()
    Image.open(io.BytesIO(raw)).save(buf, format="PNG", optimize=True)
    data = buf.getvalue()
    name = hashlib.sha1(data).hexdigest()[:16] + ".png"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return name


def static_widget(widget, url):
    """The HTML that replaces a live widget's outputs: controls, text and the default frame."""
    key = ",".join(str(c["default"]) for c in widget["controls"])
    frame = widget["frames"][key]
    controls = []
    for j, c in enumerate(widget["controls"]):
        label = f'<label for="w{widget["uid"]}-{j}">{html.escape(c["description"])}</label>'
        if c["kind"] == "select":
            opts = "".join(f'<option{" selected" if k == c["default"] else ""}>{html.escape(lab)}</option>'
                           for k, lab in enumerate(c["labels"]))
            field = f'<select id="w{widget["uid"]}-{j}" data-control>{opts}</select>'
        else:
            field = (f'<input id="w{widget["uid"]}-{j}" type="range" min="0" max="{len(c["labels"]) - 1}" '
                     f'step="1" value="{c["default"]}" data-control>'
                     f'<output>{html.escape(c["labels"][c["default"]])}</output>')
        controls.append(f'<div class="control">{label}{field}</div>')
    fixed = ", ".join(f"{widget['fixed_descriptions'][k]} (here {v})" for k, v in widget["fixed"].items())
    note = (f"Precomputed: {len(widget['frames'])} settings. "
            + (f"The live notebook also lets you change {fixed}. " if fixed else "")
            + widget["note"])
    spec = {"base": url, "frames": {k: [f["png"], f["text"]] for k, f in widget["frames"].items()},
            "labels": [c["labels"] for c in widget["controls"]]}
    spec = json.dumps(spec).replace("</", "<\\/")
    return (f'<div class="static-widget" id="widget-{widget["uid"]}" data-key="{key}">'
            f'<div class="controls">{"".join(controls)}</div>'
            f'<p class="widget-note">{html.escape(note.strip())}</p>'
            f'<pre class="widget-text">{html.escape(frame["text"])}</pre>'
            f'<img class="widget-image" src="{url}{frame["png"] or ""}"{"" if frame["png"] else " hidden"} '
            'alt="the figure for the chosen setting">'
            f'<script type="application/json">{spec}</script></div>')


NO_KERNEL_NOTE = ('<p class="widget-missing">This interactive figure needs a running kernel: open the '
                  'chapter in JupyterLab (see the README). The web edition does not have it yet.</p>')


def replace_widget_outputs(nb, widgets):
    """Swap each live widget's three outputs for its static widget, an old interact's view for a
    note; any other widget view (a progress bar) keeps only its text."""
    missing = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs, seen = [], set()
        for out in cell.outputs:
            i = out.get("metadata", {}).get(TAG)
            data = out.get("data", {})
            if i in widgets:
                if i not in seen:
                    seen.add(i)
                    outputs.append(nbformat.v4.new_output("display_data", data={"text/html": widgets[i]}))
            elif WIDGET_VIEW in data and data.get("text/plain", "").startswith("interactive("):
                missing += 1
                outputs.append(nbformat.v4.new_output("display_data", data={"text/html": NO_KERNEL_NOTE}))
            elif WIDGET_VIEW in data:
                text = data.get("text/plain", "")
                outputs.append(nbformat.v4.new_output("display_data", data={"text/plain": text}))
            else:
                outputs.append(out)
        cell.outputs = outputs
    return missing


def chapter_html(nb, exporter, stems):
    """The body of one page: the cells, with nav cells dropped and links pointed at the site."""
    nb.cells = [c for c in nb.cells if not c.metadata.get("nav")]
    body, _ = exporter.from_notebook_node(nb)
    for stem in sorted({target for target, _ in LINK.findall(body)} - set(stems)):
        print(f"warning: {title_of(nb)} links {stem}.ipynb, which is not in the book", flush=True)
    return LINK.sub(lambda m: f'href="{page_name(m.group(1))}{m.group(2) or ""}"', body)


def search_entries(body, href, page_title):
    """One search entry per heading: its anchor, its title and its text."""
    parts = re.split(r'<h[1-3] id="([^"]+)"[^>]*>(.*?)</h[1-3]>', body, flags=re.S)
    entries = []
    for k in range(1, len(parts) - 2, 3):
        text = re.sub(r"<[^>]+>", " ", parts[k + 2])
        title = re.sub(r"<[^>]+>|¶", "", parts[k + 1]).strip()
        entries.append({"href": f"{href}#{parts[k]}", "title": title, "page": page_title,
                        "text": html.unescape(" ".join(text.split()))[:4000]})
    return entries


def copy_mathjax(static):
    """MathJax 3 (tex-chtml-full and its woff fonts) from the django-static-mathjax package."""
    spec = importlib.util.find_spec("mathjax")
    es5 = Path(spec.submodule_search_locations[0]) / "static" / "mathjax" / "es5" if spec else None
    if es5 is None or not (es5 / "tex-chtml-full.js").exists():
        sys.exit("MathJax not found: install the site requirements (pip install -r requirements-site.txt)")
    shutil.copy(es5 / "tex-chtml-full.js", static / "mathjax" / "tex-chtml-full.js")
    fonts = Path("output", "chtml", "fonts", "woff-v2")
    shutil.copytree(es5 / fonts, static / "mathjax" / fonts)
    shutil.copy(es5.parent / "LICENSE", static / "mathjax" / "LICENSE")


def size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def load(path, grids, tmp):
    """(stored notebook, widget manifest); the frames are drawn only if it has live widgets."""
    nb = nbformat.read(path, as_version=4)
    if not has_live_widgets(nb):
        return nb, []
    workdir = Path(tmp) / path.stem
    workdir.mkdir()
    start = time.perf_counter()
    nb, manifest = execute_with_frames(path, grids, workdir)
    print(f"{path.name}: ran through its last widget and drew {sum(len(w['frames']) for w in manifest)} frames "
          f"in {time.perf_counter() - start:.1f} s", flush=True)
    return nb, manifest


class Writer:
    """Writes pages with the book's template: chapters, and pages for the repository files they link."""

    def __init__(self, out, pages, extras, root):
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SITE)), autoescape=True)
        self.template = env.get_template("page.html.j2")
        self.out, self.pages, self.extras, self.root = out, pages, extras, root

    def page(self, page, body, prev=None, next=None):
        (self.out / page["href"]).write_text(self.template.render(
            body=Markup(body), page=page, pages=self.pages, extras=self.extras,
            prev=prev, next=next), encoding="utf-8")

    def link_files(self, body, folder):
        """Point links to other repository files at the site: a markdown file becomes a page of
        its own (e.g. data/README.md -> data-README.html), any other file is copied to files/."""
        def fix(m):
            source = (folder / m.group(1)).resolve()
            if not source.is_file() or not source.is_relative_to(self.root):
                print(f"warning: a link to {m.group(1)} points outside the repository; left as it is")
                return m.group(0)
            rel = source.relative_to(self.root)
            if source.suffix == ".md":
                name = "-".join(rel.with_suffix(".html").parts)
                text = source.read_text(encoding="utf-8")
                self.page({"href": name, "title": title_of(nbformat.v4.new_notebook(
                    cells=[nbformat.v4.new_markdown_cell(text)]))}, markdown2html_mistune(text))
            else:
                name = f"files/{rel.as_posix()}"
                (self.out / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, self.out / name)
            return f'href="{name}{m.group(2) or ""}"'
        return FILE_LINK.sub(fix, body)


def build(nbdir, out, grids_path=SITE / "grids.json"):
    start = time.perf_counter()
    paths = sorted(Path(nbdir).glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        sys.exit(f"no notebooks NN_*.ipynb in {nbdir}")
    grids = json.loads(Path(grids_path).read_text(encoding="utf-8"))
    grids = {stem: entries for stem, entries in grids.items() if not stem.startswith("_")}
    if out.exists():
        shutil.rmtree(out)
    static = out / "_static"
    (static / "mathjax").mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as pool:
        loaded = list(pool.map(lambda p: load(p, grids, tmp), paths))
        all_widgets = store_frames(paths, loaded, out, tmp)
    pages = [{"href": page_name(p.stem), "title": title_of(nb), "stem": p.stem}
             for p, (nb, _) in zip(paths, loaded)]
    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True,
                            extra_template_paths=[str(SITE)], template_file="chapter.html.j2")
    index_nb = loaded[0][0] if paths[0].stem == "00_index" else None
    extras = [(name, f"index.html#{name}") for name in ("Glossary",)      # the notation is a page of the book
               if index_nb and any(c.source.startswith(f"## {name}") or f"\n## {name}" in c.source
                                   for c in index_nb.cells if c.cell_type == "markdown")]
    writer, search, missing = Writer(out, pages, extras, Path(nbdir).parent.resolve()), [], {}
    for k, (path, (nb, _)) in enumerate(zip(paths, loaded)):
        widgets = {w["index"]: static_widget(w, f"widgets/{path.stem}/")
                   for w in all_widgets if w["notebook"] == path.stem}
        missing[path.stem] = replace_widget_outputs(nb, widgets)
        body = writer.link_files(chapter_html(nb, exporter, [p.stem for p in paths]), path.parent)
        search += search_entries(body, pages[k]["href"], pages[k]["title"])
        writer.page(pages[k], body, prev=pages[k - 1] if k > 0 else None, next=(pages[k + 1:] or [None])[0])
    for name in ("book.css", "book.js"):
        shutil.copy(SITE / name, static / name)
    (static / "pygments.css").write_text(HtmlFormatter(style="default").get_style_defs(".highlight"))
    (static / "search-index.js").write_text("window.BOOK_SEARCH = " + json.dumps(search) + ";\n")
    copy_mathjax(static)
    (out / "widgets.json").write_text(json.dumps(all_widgets, indent=1))
    (out / ".nojekyll").write_text("")          # GitHub Pages: serve _static/ as it is
    report(out, pages, all_widgets, missing, time.perf_counter() - start, grids)


def store_frames(paths, loaded, out, tmp):
    """Copy each widget's frames into the site; returns the widget manifests, frames as file names."""
    widgets = []
    for path, (_, manifest) in zip(paths, loaded):
        folder = out / "widgets" / path.stem
        for w in manifest:
            for frame in w["frames"].values():
                name = frame.pop("file")
                frame["png"] = name and save_frame((Path(tmp) / path.stem / name).read_bytes(), folder)
            w.update(notebook=path.stem, page=page_name(path.stem), uid=f"{path.stem[:2]}-{w['index']}",
                     bytes=sum((folder / n).stat().st_size for n in {f["png"] for f in w["frames"].values()} - {None}))
            widgets.append(w)
    return widgets


def report(out, pages, widgets, missing, seconds, grids):
    for stem, entries in grids.items():
        if stem not in {p["stem"] for p in pages}:
            continue
        mine = [w for w in widgets if w["notebook"] == stem]
        for key in sorted(set(entries) - {w["name"] for w in mine} - {str(w["index"]) for w in mine}):
            print(f"warning: grids.json names {stem} {key}, which is not a live widget there")
    for w in widgets:
        dims = " x ".join(f"{c['name']} {len(c['labels'])}" for c in w["controls"])
        print(f"widget {w['notebook']}[{w['index']}] {w['name']}: {dims} = {len(w['frames'])} frames, "
              f"{w['bytes'] / 1e6:.2f} MB" + "".join(f"\n  warning: {x}" for x in w["warnings"]))
    for stem, n in missing.items():
        if n:
            print(f"{stem}: {n} interactive output(s) not yet made with book.widgets.live: shown as a note")
    for p in pages:
        extra = size(out / "widgets" / p["stem"]) if (out / "widgets" / p["stem"]).exists() else 0
        print(f"{p['href']}: page {(out / p['href']).stat().st_size / 1e6:.2f} MB, "
              f"widget frames {extra / 1e6:.2f} MB")
    print(f"site: {out} ({size(out) / 1e6:.1f} MB, {len(pages)} pages, {len(widgets)} static widgets) "
          f"built in {seconds:.1f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--grids", type=Path, default=SITE / "grids.json", help="the widget grids (JSON)")
    args = parser.parse_args(argv)
    build(args.notebooks.resolve(), args.out.resolve(), args.grids)


if __name__ == "__main__":
    main()
