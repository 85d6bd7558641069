#!/usr/bin/env python3
"""Run notebooks top to bottom in a fresh kernel and store exactly that run.

Usage: python tools/execute_notebooks.py [NOTEBOOK ...]   (default: every notebooks/NN_*.ipynb)

Each notebook is executed with nbclient (a cell timeout, a fresh python3 kernel whose
working directory is notebooks/), then cleaned: per-cell timing metadata is removed and
the kernelspec is set to the generic python3, so diffs show only real changes.
The wall time of each notebook is printed; a notebook over 30 s is flagged.

Known hiccup: after a cell that creates widgets, nbclient sometimes receives the kernel's
reply only when its wait times out (jupyter/nbclient issue #312), so a run can take one
cell timeout (60 s) longer than it should. The stored outputs are still right. nbval, which
the tests use, reads the kernel's messages differently and was not affected in 30 of 30 runs.
"""
import os
import sys
import time
from pathlib import Path

# One BLAS thread for the kernels, as in the test run (conftest.py): stable timings.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def merge_streams(outputs):
    """Join consecutive stream outputs of the same name: how the kernel happened to split the
    printed text into messages varies from run to run, the text does not."""
    merged = []
    for out in outputs:
        if merged and out.output_type == "stream" and merged[-1].output_type == "stream" \
                and merged[-1].name == out.name:
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def clean(nb):
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)
            cell.metadata.pop("scrolled", None)
            # A widget's model id is random and its state is not stored, so the id points at
            # nothing once the kernel is gone: a stable one keeps the file from changing on every run.
            for k, out in enumerate(o for o in cell.outputs if WIDGET_VIEW in o.get("data", {})):
                out["data"][WIDGET_VIEW]["model_id"] = f"not-stored-{i}-{k}"
            cell.outputs = merge_streams(cell.outputs)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.pop("widgets", None)      # no stale widget state: sliders need a live kernel
    return nb


def execute(path, timeout=60):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(clean(nb), path)
    return seconds


def main(argv):
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for p in paths:
        seconds = execute(p)
        flag = "   <-- over the 30 s budget" if seconds > 30 else ""
        print(f"{p.name}: {seconds:5.1f} s{flag}")


if __name__ == "__main__":
    main(sys.argv[1:])
