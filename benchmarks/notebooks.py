#!/usr/bin/env python3
"""Time chapters 0-7 under strict nbval: ``python -m pytest notebooks/0[0-7]*.ipynb``.

Usage: python benchmarks/notebooks.py [--pattern '0[0-7]*.ipynb'] [--python PATH]

Runs the chapters as the tests do (strict ``--nbval`` with the options in pyproject.toml, every
chapter in a fresh kernel) and prints the wall time, the CPU time of pytest and its kernels, the
pytest summary line and the load average. BLAS runs on one thread, as in the tests and in
run_all.py; the kernels inherit that setting. ``--python`` picks the interpreter that has the
book's test requirements (nbval); by default this one if it has nbval, else the repository's
.venv. The goal of issue 9 is at most 45 s on this 2-core machine when it is quiet.
"""
import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 45.0
PATTERN = "0[0-7]*.ipynb"


def book_python(python=None):
    """An interpreter that can run nbval: ``python``, this one, or the repository's .venv (None if none)."""
    if python:
        return python
    if importlib.util.find_spec("nbval") is not None:
        return sys.executable
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else None


def time_notebooks(python=None, pattern=PATTERN, quiet=False):
    """Run strict nbval on notebooks/<pattern>; return dict(wall, cpu, returncode, summary, python)."""
    python = book_python(python)
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob(pattern))
    if python is None:
        print("no interpreter with nbval found (pip install -r requirements-dev.txt, or pass --python)")
        return None
    env = dict(os.environ, **{v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
    cmd = [python, "-m", "pytest", *notebooks, "-p", "no:cacheprovider", "-q"]
    print(f"chapters: {' '.join(Path(n).name for n in notebooks)}")
    print(f"running: {' '.join(cmd[:3])} notebooks/{pattern} -p no:cacheprovider -q   (BLAS threads: 1)", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else done.stderr.strip()[-200:]
    if done.returncode != 0 and not quiet:
        print(done.stdout[-3000:])
    print(f"strict nbval, chapters 0-7: {wall:.1f} s wall, {cpu:.1f} s CPU (pytest and its kernels); "
          f"goal ≤ {GOAL_S:g} s; {summary}")
    print(f"load average: {load:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} logical cores")
    return dict(wall=wall, cpu=cpu, returncode=done.returncode, summary=summary, python=python)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pattern", default=PATTERN, help="which notebooks/ files (a glob)")
    ap.add_argument("--python", default=None, help="the interpreter with nbval (default: see above)")
    args = ap.parse_args()
    result = time_notebooks(args.python, args.pattern)
    return 1 if result is None or result["returncode"] != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
