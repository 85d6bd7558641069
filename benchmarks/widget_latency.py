#!/usr/bin/env python3
"""Time one slider update of each widget of chapter 7: compute plus drawing, against 50 ms.

Usage: python benchmarks/widget_latency.py [--repeats N]

The callbacks are taken from the notebook itself: the cells that define ``show_gradients``,
``show_clipping`` and ``show_lstm`` (and the setup they need) are executed here with the Agg
backend, and ``plt.show`` is replaced by what the inline backend does on each update: render
every open figure to a PNG buffer with ``bbox_inches="tight"`` (IPython's ``print_figure``),
then close it. Printing goes to a buffer. Each setting is timed ``--repeats`` times after one
warm-up call; the median wall time is reported, and the median CPU time of this process,
which other processes on a shared machine inflate less. The load average is printed too.
"""
import argparse
import contextlib
import io
import os
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "07_gradient_problems.ipynb"
TARGET_MS = 50.0

SETTINGS = {
    "show_gradients": [
        dict(scale=1.0, activation="tanh", T=50, hidden_size=32, input_scale=1.0, seed=0),
        dict(scale=1.05, activation="tanh", T=50, hidden_size=32, input_scale=1.0, seed=0),
        dict(scale=2.0, activation="relu", T=100, hidden_size=64, input_scale=2.0, seed=3),
        dict(scale=3.0, activation="identity", T=200, hidden_size=128, input_scale=5.0, seed=20),
        dict(scale=0.1, activation="sigmoid", T=200, hidden_size=128, input_scale=0.0, seed=0),
    ],
    "show_clipping": [dict(threshold=t) for t in (0.01, 0.1, 1.0, 10.0)],
    "show_lstm": [dict(forget_bias=b) for b in (-2.0, 1.0, 3.0, 6.0)],
}


def inline_show():
    """What matplotlib-inline does on plt.show(): a PNG of each open figure, then close it."""
    for num in plt.get_fignums():
        fig = plt.figure(num)
        print_figure(fig, "png", bbox_inches="tight")
        plt.close(fig)


def load_callbacks():
    """Execute the notebook's setup cell and the cells that define the callbacks."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    ns = {}
    wanted = ("import rnn_core as rc", "THRESHOLDS =", "def show_gradients", "def show_clipping", "def show_lstm")
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type == "code" and any(w in cell.source for w in wanted) and "interact(" not in cell.source:
                exec(compile(cell.source, "notebook", "exec"), ns)
                plt.close("all")
    ns["plt"].show = inline_show
    return ns


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    ns = load_callbacks()
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; median of {args.repeats} updates")
    worst = 0.0
    for name, settings in SETTINGS.items():
        fn = ns[name]
        for kw in settings:
            times, cpu = [], []
            with contextlib.redirect_stdout(io.StringIO()):
                fn(**kw)                                   # warm-up: caches, fonts
                for _ in range(args.repeats):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    fn(**kw)
                    times.append((time.perf_counter() - start) * 1e3)
                    cpu.append((time.process_time() - start_cpu) * 1e3)
            med = statistics.median(times)
            worst = max(worst, med)
            flag = "" if med <= TARGET_MS else "   <-- over the target"
            args_text = ", ".join(f"{k}={v}" for k, v in kw.items())
            print(f"{name}({args_text}): median {med:5.1f} ms, min {min(times):5.1f} ms, "
                  f"CPU time median {statistics.median(cpu):5.1f} ms{flag}")
    print(f"slowest median {worst:.1f} ms against the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
