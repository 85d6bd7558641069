#!/usr/bin/env python3
"""Time one slider update of every widget in the book: compute plus drawing, against 50 ms.

Usage: python benchmarks/widget_latency.py [--repeats N]

Each notebook's code cells are run here (all except the ``interact(...)`` cells, with their
printing discarded), so the callbacks find everything the cells above them computed. Then
each callback is called as a slider would call it, with several settings: it computes its
numbers, draws on ``rc.plots.widget_figure()`` and encodes the PNG with ``rc.plots.show_png``,
exactly as in JupyterLab (only the final hand-over of the finished PNG to the browser is
missing). Each setting is timed ``--repeats`` times after a warm-up call. Reported: the
median wall time, the median CPU time of this process (which other programs on a shared
machine inflate less) and the load average. BLAS runs on one thread, as in the tests.
"""
import argparse
import contextlib
import io
import os
import statistics
import time
from pathlib import Path

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import nbformat  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TARGET_MS = 50.0

WIDGETS = {
    "00_index.ipynb": {"show_graph": [dict(T=T) for T in (1, 3, 4, 5, 6)]},
    "01_rnn_idea.ipynb": {"show_example": [dict(w=w) for w in (0.0, 0.5, 2.0, 3.0)]},
    "04_lstm.ipynb": {"show_cell_path": [dict(forget_bias=b, T=T) for b, T in ((1.0, 50), (5.0, 100))]},
    "06_bptt.ipynb": {"show_truncation": [dict(k=k, activation=a) for k, a in ((1, "tanh"), (10, "sigmoid"), (39, "tanh"))]},
    "07_gradient_problems.ipynb": {
        "show_gradients": [
            dict(scale=1.0, activation="tanh", T=50, hidden_size=32, input_scale=1.0, seed=0),
            dict(scale=1.05, activation="relu", T=50, hidden_size=32, input_scale=1.0, seed=0),
            dict(scale=3.0, activation="identity", T=200, hidden_size=128, input_scale=5.0, seed=20),
            dict(scale=0.1, activation="sigmoid", T=200, hidden_size=128, input_scale=0.0, seed=0),
        ],
        "show_clipping": [dict(threshold=t) for t in (0.01, 0.1, 1.0, 10.0)],
        "show_lstm": [dict(forget_bias=b) for b in (-2.0, 1.0, 6.0)],
    },
}


def load(notebook):
    """Run the notebook's cells, except those that call interact, and return its namespace."""
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    ns = {"__name__": "__notebook__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type == "code" and "interact(" not in cell.source:
                exec(compile(cell.source, notebook, "exec"), ns)
    return ns


def time_call(fn, kw, repeats):
    times, cpu = [], []
    with contextlib.redirect_stdout(io.StringIO()):
        fn(**kw)                                        # warm-up: caches, fonts
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(**kw)
            times.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
    return statistics.median(times), min(times), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    worst = 0.0
    for notebook, callbacks in WIDGETS.items():
        ns = load(notebook)
        print(f"{notebook}   (load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
        for name, settings in callbacks.items():
            for kw in settings:
                med, best, cpu = time_call(ns[name], kw, args.repeats)
                worst = max(worst, med)
                flag = "" if med <= TARGET_MS else "   <-- over the target"
                text = ", ".join(f"{k}={v}" for k, v in kw.items())
                print(f"  {name}({text}): median {med:5.1f} ms, min {best:5.1f} ms, CPU {cpu:5.1f} ms{flag}")
    print(f"slowest median {worst:.1f} ms against the {TARGET_MS:.0f} ms target (median of {args.repeats} updates)")


if __name__ == "__main__":
    main()
