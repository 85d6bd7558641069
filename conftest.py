"""pytest setup shared by the unit tests and nbval.

nbval resolves --nbval-sanitize-with relative to the current directory; setting it here,
from this file's location, makes `pytest` work from any directory.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    if getattr(config.option, "nbval", False) and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(ROOT / "tests" / "nbval_sanitize.cfg")


def pytest_terminal_summary(terminalreporter):
    shots = ROOT / "test-artifacts" / "browser"
    if shots.is_dir() and any(shots.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {shots.relative_to(ROOT)}/ "
                                    f"({len(list(shots.glob('*.png')))} files)")
