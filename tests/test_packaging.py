"""rnn_core works when installed, not only when edited: a wheel carries the data and the book layer."""
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import numpy
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                             "-w", str(out), str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("rnn_core-*.whl")
    return path


def test_the_wheel_holds_every_data_file_and_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for data_file in ("sentiment.tsv", "memory.txt", "pride_and_prejudice.txt"):
        assert f"rnn_core/datasets/{data_file}" in names
    assert {"rnn_core/gru.py", "rnn_core/book/widgets.py", "rnn_core/book/exercises/_check.py"} <= names
    assert not any(n.startswith(("tests/", "notebooks/", "tools/")) for n in names)


def test_a_fresh_environment_with_the_wheel_loads_every_data_set(wheel, tmp_path):
    """A new venv (NumPy borrowed by a path entry, not rnn_core) with the wheel installed, run elsewhere."""
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True)
    (site / "borrowed_numpy.pth").write_text(str(Path(numpy.__file__).parent.parent) + "\n")
    code = ("import rnn_core, rnn_core.data as d; assert 'site-packages' in rnn_core.__file__ or 'fresh' in "
            "rnn_core.__file__, rnn_core.__file__; assert len(d.load_sentiment('train')) == 2400; "
            "assert len(d.load_sentiment('test')) == 600; assert len(d.load_text('memory')) > 1000; "
            "assert len(d.load_text('pride_and_prejudice')) > 600_000; print(rnn_core.__file__)")
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(site) in result.stdout and str(ROOT) not in result.stdout
