"""pytest setup shared by the unit tests and nbval.

nbval resolves --nbval-sanitize-with relative to the current directory; setting it here,
from this file's location, makes `pytest` work from any directory.
"""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# One BLAS thread: the book's matrices are small, and on a busy 2-core machine a threaded BLAS
# made the same notebook take 1.6 s or 17 s. Kernels started by nbval inherit this setting.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def pytest_configure(config):
    if getattr(config.option, "nbval", False) and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(ROOT / "tests" / "nbval_sanitize.cfg")


def pytest_terminal_summary(terminalreporter):
    shots = ROOT / "test-artifacts" / "browser"
    if shots.is_dir() and any(shots.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {shots.relative_to(ROOT)}/ "
                                    f"({len(list(shots.glob('*.png')))} files)")
