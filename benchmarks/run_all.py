#!/usr/bin/env python3
"""Time rnn_core against a reference on the book's workloads, in one run, and write the figures
into benchmarks/README.md.

Usage: python benchmarks/run_all.py [--rounds 7] [--scale 1.0] [--threads 1] [--notebooks] [--no-readme]
                                    [--no-fresh] [--default-allocator]

For each workload (see workloads.py) the reference and rnn_core each train for a fixed number of
updates, alternately (the reference first in odd rounds, rnn_core first in even rounds),
``--rounds`` times. Printed: the median wall time per update of each side, the ratio reference /
rnn_core (above 1: rnn_core is faster; the median over the rounds of the ratio within a round)
and the same ratio of CPU times, which a busy machine disturbs less. Both sides run on ``--threads`` threads (default 1): the BLAS and OpenMP variables
are set before NumPy and PyTorch load, and torch.set_num_threads is called. PyTorch is optional
(``pip install torch``); without it the PyTorch rows say so and the NumPy comparison still runs.
glibc's malloc thresholds are fixed for the whole process (``pin_allocator``) unless
``--default-allocator``; each row is also run with each side in a fresh process of its own, with
the default allocator, as a reader's script runs (unless ``--no-fresh``).
``--notebooks`` also times chapters 0-7 under strict nbval (benchmarks/notebooks.py). Unless
``--no-readme``, everything is written to benchmarks/README.md, with the machine, the library
versions and the load average.
"""
import argparse
import os

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--rounds", type=int, default=7, help="timed runs of each side per workload (median taken)")
ap.add_argument("--scale", type=float, default=1.0, help="multiply the number of updates per timed run")
ap.add_argument("--threads", type=int, default=1, help="threads for BLAS and PyTorch, both sides")
ap.add_argument("--notebooks", action="store_true", help="also time chapters 0-7 under strict nbval")
ap.add_argument("--no-readme", action="store_true", help="print only; leave benchmarks/README.md alone")
ap.add_argument("--default-allocator", action="store_true",
                help="leave glibc malloc's thresholds to adapt (the process's history then decides page faults)")
ap.add_argument("--no-fresh", action="store_true", help="skip the runs in fresh processes")
ARGS = ap.parse_args()

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
               "NUMEXPR_NUM_THREADS")
for var in THREAD_VARS:                      # before NumPy or PyTorch is imported
    os.environ[var] = str(ARGS.threads)

import ctypes  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402



def pin_allocator():
    """Fix glibc malloc's two thresholds for this process; returns what was done, as a sentence.

    By default glibc adapts them to what the process freed before: an update that frees more
    than twice the largest block freed so far hands its pages back to the OS, and the next update
    page-faults them in again. Whether a workload faults then depends on what ran before it in
    the process (importing PyTorch, an earlier workload). Fixed thresholds make both sides of
    every row independent of that history.
    """
    if ARGS.default_allocator:
        return "glibc's default (adaptive) malloc thresholds (--default-allocator)"
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return "the platform's default (not glibc)"
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    if mallopt(M_MMAP_THRESHOLD, 32 << 20) and mallopt(M_TRIM_THRESHOLD, 256 << 20):
        return ("glibc malloc thresholds fixed for both sides: M_MMAP_THRESHOLD 32 MiB, "
                "M_TRIM_THRESHOLD 256 MiB (mallopt)")
    return "glibc's default malloc thresholds (mallopt refused)"


ALLOCATOR = pin_allocator()                  # before NumPy or PyTorch allocates anything

import numpy as np  # noqa: E402

try:
    import torch  # noqa: E402
    torch.set_num_threads(ARGS.threads)
    torch.set_num_interop_threads(1)
except ImportError:
    torch = None

import rnn_core  # noqa: E402
import workloads  # noqa: E402  (benchmarks/ is on sys.path: this script's folder)
from notebooks import GOAL_S as NOTEBOOK_GOAL_S, time_notebooks  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (workload, updates per timed run at --scale 1, goal ratio): about half a second per reference run
CASES = [
    (workloads.CharRNNBatch1, 200, 3.0),
    (workloads.CharRNNBatch32, 50, 2.0),
    (workloads.LSTMAdding, 30, 2.0),
]


def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed(fn, n):
    """(wall seconds, CPU seconds, mean loss, minor page faults per update) of fn(n)."""
    wall, cpu, f0 = time.perf_counter(), time.process_time(), faults()
    loss = fn(n)
    return time.perf_counter() - wall, time.process_time() - cpu, loss, (faults() - f0) / n


def measure(w, n, rounds):
    """Alternate the two sides ``rounds`` times after a warm-up.

    Returns {side: (median wall, median CPU, last loss, median page faults per update)} and, under
    "ratio" and "cpu_ratio", the median over the rounds of reference / rnn_core within each round:
    the two runs of a round are adjacent in time, so a machine whose speed drifts over a minute
    moves both sides of the ratio alike.
    """
    sides = {"reference": w.reference, "rnn_core": w.rnn_core}
    for fn in sides.values():                  # warm-up: first calls, caches, the allocator
        fn(max(2, n // 10))
    runs = {side: [] for side in sides}
    for r in range(rounds):
        for side in (("reference", "rnn_core") if r % 2 == 0 else ("rnn_core", "reference")):
            runs[side].append(timed(sides[side], n))
    out = {side: (statistics.median(x[0] for x in rs), statistics.median(x[1] for x in rs), rs[-1][2],
                  statistics.median(x[3] for x in rs))
           for side, rs in runs.items()}
    pairs = list(zip(runs["reference"], runs["rnn_core"]))
    out["ratio"] = statistics.median(a[0] / b[0] for a, b in pairs)
    out["cpu_ratio"] = statistics.median(a[1] / b[1] for a, b in pairs)
    return out


def fresh(cls, n, rounds):
    """Each side in a process of its own (glibc's default allocator), as a reader's script runs:
    {side: (median ms per update, median page faults per update)} and "ratio", the median of the
    rounds' reference / rnn_core; the sides alternate."""
    runs = {"reference": [], "rnn_core": []}
    for r in range(rounds):
        for side in (("reference", "rnn_core") if r % 2 == 0 else ("rnn_core", "reference")):
            out = subprocess.run([sys.executable, str(HERE / "workloads.py"), cls.__name__, side, str(n)],
                                 capture_output=True, text=True, check=True).stdout
            runs[side].append(json.loads(out.splitlines()[-1]))
    out = {side: (statistics.median(x["ms"] for x in rs), statistics.median(x["faults"] for x in rs))
           for side, rs in runs.items()}
    out["ratio"] = statistics.median(a["ms"] / b["ms"] for a, b in zip(runs["reference"], runs["rnn_core"]))
    return out


def updates(n):
    return max(1, round(n * ARGS.scale))


def machine():
    """What the figures were measured on: a dict of printable facts."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = np.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    if torch is None:
        torch_text = "not installed"
    else:
        torch_text = torch.__version__ + (" (BLAS: MKL)" if "mkl" in torch.__config__.show().lower() else "")
    threads = f"{ARGS.threads} for both sides ({', '.join(THREAD_VARS)} = {ARGS.threads}"
    threads += ")" if torch is None else f"; torch.get_num_threads() = {torch.get_num_threads()})"
    return {
        "date (UTC)": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "system": platform.platform(),
        "Python": platform.python_version(),
        "NumPy": f"{np.__version__} ({blas.get('name', '?')} {blas.get('version', '?')})",
        "PyTorch": torch_text,
        "rnn_core": f"{rnn_core.__version__}, commit {commit or '?'}",
        "threads": threads,
        "allocator": ALLOCATOR,
    }


def main():
    load_before = os.getloadavg()
    print(f"allocator: {ALLOCATOR}")
    print(f"threads: {ARGS.threads} for both sides ({', '.join(THREAD_VARS)})"
          + ("" if torch is None else f"; torch.get_num_threads() = {torch.get_num_threads()}"))
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"on {os.cpu_count()} logical cores")
    if torch is None:
        print("PyTorch is not installed (pip install torch): the PyTorch rows are skipped; "
              "the NumPy comparison runs.")
    ids, V = workloads.corpus_ids()
    rows = []
    for cls, n, goal in CASES:
        n = updates(n)
        if cls.needs_torch and torch is None:
            rows.append(dict(name=cls.name, skipped=True, goal=goal))
            print(f"{cls.name}  vs  {cls.reference_name}: skipped, PyTorch is not installed")
            continue
        w = cls(ids, V)
        print(f"{w.name}  vs  {w.reference_name}: {n} updates per run, {ARGS.rounds} rounds ...", flush=True)
        med = measure(w, n, ARGS.rounds)
        (ref_wall, ref_cpu, ref_loss, ref_faults), (core_wall, core_cpu, core_loss, core_faults) = \
            med["reference"], med["rnn_core"]
        row = dict(name=w.name, reference=w.reference_name, n=n, goal=goal, skipped=False,
                   ref_ms=1e3 * ref_wall / n, core_ms=1e3 * core_wall / n,
                   ratio=med["ratio"], cpu_ratio=med["cpu_ratio"], ref_loss=ref_loss, core_loss=core_loss,
                   ref_faults=ref_faults, core_faults=core_faults)
        rows.append(row)
        print(f"  reference {row['ref_ms']:8.3f} ms/update   rnn_core {row['core_ms']:8.3f} ms/update   "
              f"ratio {row['ratio']:.2f}× (CPU time {row['cpu_ratio']:.2f}×; goal ≥ {goal:g}×)   "
              f"page faults/update {ref_faults:.0f} vs {core_faults:.0f}   "
              f"mean loss: {ref_loss:.4f} vs {core_loss:.4f}", flush=True)
        if not ARGS.no_fresh:
            f = fresh(cls, n, ARGS.rounds)
            row["fresh"] = f
            print(f"  each in a fresh process, default allocator: reference {f['reference'][0]:8.3f} ms/update "
                  f"({f['reference'][1]:.0f} faults), rnn_core {f['rnn_core'][0]:8.3f} ms/update "
                  f"({f['rnn_core'][1]:.0f} faults), ratio {f['ratio']:.2f}×", flush=True)
    nb = time_notebooks(python=None, quiet=True) if ARGS.notebooks else None
    load_after = os.getloadavg()
    print()
    table = render_table(rows, nb)
    print(table)
    print(f"\nload average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if not ARGS.no_readme:
        write_readme(rows, nb, table, load_before, load_after)
        print(f"wrote {HERE / 'README.md'}")


def render_table(rows, nb):
    lines = ["| workload | reference | reference ms/update | rnn_core ms/update | ratio (wall) | ratio (CPU) | goal |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if r["skipped"]:
            lines.append(f"| {r['name']} | PyTorch not installed | – | – | – | – | ≥ {r['goal']:g}× |")
            continue
        ok = "met" if r["ratio"] >= r["goal"] else "not met"
        lines.append(f"| {r['name']} | {r['reference']} | {r['ref_ms']:.3f} | {r['core_ms']:.3f} | "
                     f"**{r['ratio']:.2f}×** | {r['cpu_ratio']:.2f}× | ≥ {r['goal']:g}× ({ok}) |")
    lines[0] = lines[0].replace(" | goal |", " | page faults per update | goal |")
    lines[1] = lines[1][:-len("---|")] + "---:|---|"
    for k, r in enumerate(rows, start=2):
        if not r["skipped"]:
            cells = lines[k].split(" | ")
            cells.insert(-1, f"{r['ref_faults']:.0f} / {r['core_faults']:.0f}")
            lines[k] = " | ".join(cells)
        else:
            lines[k] = lines[k].replace(" | ≥", " | – | ≥")
    if nb is None:
        lines.append(f"| chapters 0–7, strict nbval | – | – | not measured in this run (`--notebooks`) | – | – | – | "
                     f"≤ {NOTEBOOK_GOAL_S:g} s |")
    else:
        ok = "met" if nb["wall"] <= NOTEBOOK_GOAL_S and nb["returncode"] == 0 else "not met"
        status = "passed" if nb["returncode"] == 0 else f"pytest exit code {nb['returncode']}"
        lines.append(f"| chapters 0–7, strict nbval ({status}) | – | – | **{nb['wall']:.1f} s** wall, "
                     f"{nb['cpu']:.1f} s CPU | – | – | – | ≤ {NOTEBOOK_GOAL_S:g} s ({ok}) |")
    return "\n".join(lines)


def render_fresh(rows):
    """The table of the fresh-process runs (glibc's default allocator), or a sentence if none ran."""
    done = [r for r in rows if not r["skipped"] and "fresh" in r]
    if not done:
        return "(not measured in this run: `--no-fresh`, or no row ran)"
    lines = ["| workload | reference ms/update (page faults) | rnn_core ms/update (page faults) | ratio |",
             "|---|---:|---:|---:|"]
    for r in done:
        (ref_ms, ref_f), (core_ms, core_f) = r["fresh"]["reference"], r["fresh"]["rnn_core"]
        lines.append(f"| {r['name']} | {ref_ms:.3f} ({ref_f:.0f}) | {core_ms:.3f} ({core_f:.0f}) | "
                     f"{r['fresh']['ratio']:.2f}× |")
    return "\n".join(lines)


def write_readme(rows, nb, table, load_before, load_after):
    info = machine()
    facts = "\n".join(f"- {k}: {v}" for k, v in info.items())
    facts += (f"\n- load average: {load_before[0]:.2f} before, {load_after[0]:.2f} after (1-minute; "
              f"{os.cpu_count()} logical cores: above that number, programs were waiting for a core)")
    losses = "\n".join(f"- {r['name']}: {r['ref_loss']:.4f} (reference) and {r['core_loss']:.4f} (rnn_core)"
                       for r in rows if not r["skipped"])
    descriptions = "\n\n".join(f"**{cls.name}.** {' '.join(cls.__doc__.split())}" for cls, _, _ in CASES)
    command = "python benchmarks/run_all.py" + (" --notebooks" if nb is not None else "")
    command += "" if ARGS.rounds == 7 else f" --rounds {ARGS.rounds}"
    command += "" if ARGS.scale == 1 else f" --scale {ARGS.scale:g}"
    text = README.format(command=command, table=table, fresh=render_fresh(rows), facts=facts, losses=losses or "- (none run)",
                         descriptions=descriptions, rounds=ARGS.rounds,
                         torch_version="not installed" if torch is None else torch.__version__)
    (HERE / "README.md").write_text(text, encoding="utf-8")


README = """# Benchmarks

<!-- Written by benchmarks/run_all.py: change the template in that script, not this file. -->

How long a reader waits with `rnn_core` compared with what they would otherwise reach for:
a loop in the style of Karpathy's min-char-rnn, and PyTorch in float64. Every figure below was
printed by `{command}` in one run; both sides of each row ran in the same process,
alternately, {rounds} times, on the same number of threads. Each round runs both sides, one
right after the other; the ratio is the reference's time divided by `rnn_core`'s within a round,
and the table gives the median of the {rounds} rounds' ratios (above 1, `rnn_core` is faster)
beside the median time per update of each side. Pairing the runs of a round matters on a
shared virtual machine, whose speed drifts by tens of percent over a minute: a drift moves both
runs of a round alike.

## Results

{table}

The wall-time ratio is the goal's measure; the CPU-time ratio is printed beside it because
other programs on a shared machine disturb it less. A row's goal is met when its wall-time
ratio reaches the goal in the same run.

**Page faults.** By default glibc's allocator adapts two thresholds to what the process has
freed so far, and when one update frees more than twice the largest block freed before, it
hands those pages back to the operating system; the next update then page-faults them in
again (on this virtual machine, a few microseconds each). Whether a workload does that depends
on what ran before it in the same process (importing PyTorch, an earlier row), so the script
fixes both thresholds with `mallopt` for the whole process before anything is allocated: the
same setting for both sides, printed under "allocator" below; `--default-allocator` leaves
them alone. The table's page-fault column shows what each side paid per update.

**In a process of its own.** A reader's script is a fresh process with the default allocator.
The same workloads, each side in a process of its own ({rounds} processes per side,
alternating, medians):

{fresh}

The machine:

{facts}

Mean training loss per step of the last timed run, on the same data (a check that both sides
compute the same thing, not a speed figure):

{losses}

## What is compared

{descriptions}

Both sides start from the same weights, read the same data and compute the same function: the
same loss (summed over time, averaged over the batch), the same optimiser (up to where
PyTorch's Adagrad adds its eps) and clipping, float64 throughout. In the char-RNN rows the
reference builds one-hot vectors and multiplies them by its input matrix (`torch.nn.RNN` takes
vectors; min-char-rnn does the same); `rnn_core` reads the characters as integer ids, for which
U x_t is column x_t of U (chapter 8): a lookup that gives exactly the one-hot product's values,
and a sum of δ rows per id for ∂L/∂U. That saves the two input products of 800×75×100
multiply-adds per update at batch 32; it is the book's own way of feeding characters, not a
trick hidden from the reference, and the reference has no such input. The second bias of `torch.nn.RNN` and `torch.nn.LSTM` (`bias_hh_l0`) is frozen at
zero, because `rnn_core` has one bias per layer (b = `bias_ih_l0` + `bias_hh_l0`). Building the
chunks (one-hot vectors for the reference, slices of ids for `rnn_core`) is timed on both sides;
the adding problem's batches are drawn before the clock starts.

## Running it

```
python benchmarks/run_all.py              # the training rows, about a minute
python benchmarks/run_all.py --notebooks  # and chapters 0-7 under strict nbval
python benchmarks/notebooks.py            # only the chapters
```

`--rounds N` (default 7) and `--scale X` (X times more updates per run) trade time for
stability, `--threads N` sets the thread count of both sides, `--no-fresh` skips the
fresh-process runs, `--default-allocator` leaves glibc's thresholds alone, `--no-readme` leaves
this file alone. Run it on a quiet machine: the load average is recorded with the figures for that reason.

PyTorch is an optional extra for the benchmarks only; the book never needs it. Install it
with `pip install torch` (or `pip install -r benchmarks/requirements.txt`). These figures were
measured with PyTorch {torch_version}. Without PyTorch the script says so, skips the PyTorch
rows and still runs the NumPy comparison.

The optimisations behind these figures compute what the previous implementation computed:
`tests/test_equivalence.py` checks the results against a frozen copy of it
(`tests/reference_core.py`) to 1e-12 of each result's largest entry, on random problems, for
every activation, output, truncation and residual setting. Some optimisations reorder
floating-point operations (the LSTM's backward pass, the softmax loss), so results are close,
not always identical. `tests/test_ids.py` checks that ids give exactly the states of one-hot
vectors, and gradients equal to rounding and to finite differences.

The other scripts here: `notebooks.py` times the chapters, `widget_latency.py` and
`browser_latency.py` time the sliders.
"""

if __name__ == "__main__":
    main()
