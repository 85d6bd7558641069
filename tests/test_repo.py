"""The repository keeps its promises: three README commands, CI runs the test one, the
requirement files agree, navigation is in sync, and importing rnn_core changes nothing."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_command(marker):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- {marker} -->\s*```bash\n(.*?)\n```", text, re.S)
    assert block, f"README has no ```bash block after <!-- {marker} -->"
    lines = [ln for ln in block.group(1).splitlines() if ln.strip()]
    assert len(lines) == 1, f"the {marker} must be one line, got {lines}"
    return lines[0]


def test_readme_has_exactly_three_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("```bash") == 3
    assert readme_command("read-command").endswith(".venv/bin/jupyter lab --ServerApp.root_dir=. notebooks/00_index.ipynb")
    assert readme_command("test-command").endswith("-m pytest")
    assert readme_command("site-command").endswith(".venv/bin/python tools/build_site.py")


def test_site_command_is_tested_and_deployed():
    """The site command installs requirements-site.txt, which the test command pulls in (so the
    site tests run in CI), and the Pages workflow runs it verbatim."""
    site = readme_command("site-command")
    assert "-r requirements-site.txt" in site
    dev = [ln.split("#")[0].strip() for ln in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    assert "-r requirements-site.txt" in dev
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert site in [ln.strip().removeprefix("run: ") for ln in workflow.splitlines()]
    assert "path: build/site" in workflow


def test_read_command_serves_the_repository_root_and_opens_the_contents_page():
    """Without root_dir, JupyterLab serves the notebook's folder: README.md and data/ would be
    out of reach, and chapter 2's link to ../data/README.md dead. tests/test_browser.py runs
    this command and checks the page it opens."""
    words = readme_command("read-command").split("&&")[-1].split()
    assert words[:2] == [".venv/bin/jupyter", "lab"]
    assert "--ServerApp.root_dir=." in words and words[-1] == "notebooks/00_index.ipynb"
    assert (ROOT / words[-1]).is_file()


def test_readme_never_weakens_jupyter_security():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "0.0.0.0" not in text and "--ServerApp.token=''" not in text and "--NotebookApp.token" not in text


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert readme_command("test-command") in commands
    assert "RNN_BOOK_REQUIRE_BROWSER=1" in ci


def requirement_ranges(lines):
    out = {}
    for ln in lines:
        ln = ln.split("#")[0].strip().lstrip("- ").strip()
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*([<>=!~].*)$", ln)
        if m:
            out[m.group(1).lower()] = m.group(2).replace(" ", "")
    return out


def test_environment_yml_names_the_same_packages_as_requirements():
    req = requirement_ranges((ROOT / "requirements.txt").read_text().splitlines())
    env_text = (ROOT / "environment.yml").read_text()
    deps = env_text.split("dependencies:")[1].split("- pip:")[0].splitlines()
    env = {k: v for k, v in requirement_ranges(deps).items() if k not in ("python",)}
    assert req == env
    assert "-e ." in (ROOT / "requirements.txt").read_text() and "-e ." in env_text


def test_every_requirement_has_a_tested_range():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for ln in (ROOT / name).read_text().splitlines():
            ln = ln.split("#")[0].strip()
            if ln and not ln.startswith("-"):
                assert ">=" in ln and "<" in ln, f"{name}: {ln} needs a range with both bounds"


def test_navigation_cells_are_in_sync():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "navlinks.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent)


def test_importing_rnn_core_has_no_side_effects():
    result = run_python(
        "import matplotlib, numpy as np; before = dict(matplotlib.rcParams); "
        "state = np.random.get_state()[1].copy(); import rnn_core; "
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed'; "
        "assert (np.random.get_state()[1] == state).all(), 'global seed changed'")
    assert result.returncode == 0, result.stderr
    # Reading rcParams can itself load pyplot (to resolve the backend), so check it alone.
    result = run_python("import sys, rnn_core; assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'")
    assert result.returncode == 0, result.stderr
