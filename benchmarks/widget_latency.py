#!/usr/bin/env python3
"""Time the kernel's part of a slider move for every live widget of the book, against 50 ms.

Usage: python benchmarks/widget_latency.py [--repeats N] [NN_name.ipynb ...]

Each chapter that calls ``book.widgets.live`` is run here, cell by cell (its printing
discarded), so every widget lands in ``book.widgets.REGISTRY`` with its drawing function and
controls. Then each widget is drawn as a move of its controls draws it (``Widget.render``:
compute, draw, encode the PNG) at several settings: the starting values, and each control at
both ends of its range. Each setting is timed ``--repeats`` times after a warm-up call.

Reported per widget: the median wall time of a redraw, split into the drawing function
(compute and plot calls) and the rendering and encoding of the PNG, the median CPU time of
this process (which other programs on a shared machine inflate less), the PNG size, and the
load average. What the browser adds (messages, the page) is measured by
benchmarks/browser_latency.py. BLAS runs on one thread, as in the tests.
"""
import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import nbformat  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TARGET_MS = 50.0


def run_chapter(path):
    """Run a chapter's code cells here (printing discarded); return its live widgets."""
    from rnn_core.book import widgets
    nb = nbformat.read(path, as_version=4)
    first = len(widgets.REGISTRY)
    ns = {"__name__": "__notebook__"}
    cwd = os.getcwd()
    os.chdir(path.parent)                                   # as in JupyterLab: relative paths work
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, path.name, "exec"), ns)
    finally:
        os.chdir(cwd)
    return widgets.REGISTRY[first:]


def settings_of(widget):
    """The starting values, then each control at both ends of its range (dropdown: first and last)."""
    out = [{}]
    for name, control in widget.controls.items():
        if hasattr(control, "options"):                     # a dropdown or selection slider
            values = [v[1] if isinstance(v, tuple) else v for v in control.options]
            ends = [values[0], values[-1]]
        else:
            ends = [control.min, control.max]
        out += [{name: v} for v in ends if v != control.value]
    return out


def time_render(widget, settings, repeats):
    from rnn_core.book import widgets
    walls, cpus, draws = [], [], []
    size = 0
    with contextlib.redirect_stdout(io.StringIO()):
        widget.render(**settings)                           # warm-up: caches, fonts
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            text, fig = widget.draw(**dict(widget.defaults, **settings))
            drawn = time.perf_counter()
            size = len(widgets.png(fig))
            walls.append((time.perf_counter() - start) * 1e3)
            cpus.append((time.process_time() - start_cpu) * 1e3)
            draws.append((drawn - start) * 1e3)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "draw": statistics.median(draws),
            "png": statistics.median(walls) - statistics.median(draws), "kb": size / 1024}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="chapters (default: every chapter with a live widget)")
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()
    sys.path.insert(0, str(NOTEBOOKS.parent))
    paths = [NOTEBOOKS / n for n in args.notebooks] or [
        p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if "widgets.live(" in p.read_text(encoding="utf-8")]
    if not paths:
        print("no chapter calls book.widgets.live yet")
        return
    worst = []
    for path in paths:
        found = run_chapter(path)
        print(f"{path.name}: {len(found)} live widgets   (load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
        for widget in found:
            for settings in settings_of(widget):
                r = time_render(widget, settings, args.repeats)
                worst.append(r["wall"])
                flag = "" if r["wall"] <= TARGET_MS else "   <-- over the target"
                text = ", ".join(f"{k}={v!r}" for k, v in settings.items()) or "starting values"
                print(f"  {widget.name}({text}): median {r['wall']:5.1f} ms (draw function {r['draw']:5.1f}, "
                      f"PNG {r['png']:4.1f}), CPU {r['cpu']:5.1f} ms, {r['kb']:3.0f} KB{flag}")
    print(f"slowest median {max(worst):.1f} ms, median of all {statistics.median(worst):.1f} ms, against the "
          f"{TARGET_MS:.0f} ms target (median of {args.repeats} redraws each)")


if __name__ == "__main__":
    main()
