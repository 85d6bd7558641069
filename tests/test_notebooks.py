"""What a reader sees in the stored chapters: exercises that hide their answers until asked,
solutions that CI still runs against their checks, and prose written for readers only.

The exercise idiom (CONTRIBUTING.md): the statement in markdown; a template code cell that ends
with ``book.exercises.check("N.M", answer)``; then a markdown cell holding the solution inside
``<details><summary>Solution</summary> … ```python … ``` … </details>``, collapsed in JupyterLab,
on GitHub, in nbconvert HTML and in the web edition. A solution block runs on its own after the
chapter's setup cell (its first code cell), so this test can run each one here.
"""
import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if int(p.name[:2]) >= 1]          # not the index nor the notation page
CHECK = re.compile(r'book\.exercises\.check\("(\d+\.\d+)"')
DETAILS = re.compile(r"<details>\s*<summary>\s*Solution[^<]*</summary>(.*?)</details>", re.S)
FENCE = re.compile(r"```python\n(.*?)```", re.S)
# Words that belong to the authors' tools, not to a reader's page.
MACHINERY = re.compile(r"\b(nbval|pytest|tests/|benchmarks/|sanitiz\w*|conftest|hypothesis|CI\b|"
                       r"test suite|nbclient|nbconvert)", re.I)


def read(path):
    return nbformat.read(path, as_version=4)


def exercises(nb):
    """[(number, template cell, solution code)] in the order of the notebook."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        found = CHECK.findall(cell.source)
        if found:
            following = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            block = DETAILS.search(following.source) if following is not None and following.cell_type == "markdown" else None
            code = "\n".join(FENCE.findall(block.group(1))) if block else None
            out.append((found[-1], cell, code))
    return out


def setup_code(nb):
    return next(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_exercise_has_a_template_and_a_collapsed_solution(path):
    from rnn_core.book.exercises import JUDGES
    nb = read(path)
    found = exercises(nb)
    chapter = str(int(path.name[:2]))
    assert [n for n, _, _ in found] == sorted((n for n in JUDGES if n.split(".")[0] == chapter),
                                              key=lambda n: int(n.split(".")[1]))
    for number, template, code in found:
        assert code, f"exercise {number}: the cell after its template holds no <details> Solution block"
        assert CHECK.findall(code) == [number], f"exercise {number}: its solution must end with its check"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_answer_is_visible_in_the_stored_notebook(path):
    """Templates print "Not yet: …" after Run All; no hidden code cell holds a solution."""
    nb = read(path)
    for number, template, _ in exercises(nb):
        text = "".join(o.get("text", "") for o in template.get("outputs", []) if o.output_type == "stream")
        assert text.startswith("Not yet: ") and "Correct" not in text, f"exercise {number}: {text!r}"
        assert not [o for o in template.get("outputs", []) if o.output_type == "execute_result"]
    for cell in nb.cells:
        assert not cell.metadata.get("jupyter", {}).get("source_hidden"), "a hidden code cell: solutions go in <details>"


def solution_cases():
    for path in CHAPTERS:
        nb = read(path)
        for number, _, code in exercises(nb):
            yield pytest.param(path, number, code, id=f"{path.stem}-{number}")


@pytest.mark.parametrize("path, number, code", list(solution_cases()))
def test_every_solution_passes_its_check(path, number, code):
    """Run the chapter's setup cell, then the solution block alone: it must print "Correct: "."""
    nb = read(path)
    namespace = {"__name__": "__solution__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(setup_code(nb), f"{path.name} setup", "exec"), namespace)
        exec(compile(code, f"{path.name} solution {number}", "exec"), namespace)
    verdicts = [ln for ln in out.getvalue().splitlines() if ln.startswith(("Correct: ", "Not yet: "))]
    assert verdicts and verdicts[-1].startswith("Correct: "), out.getvalue()[-2000:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_prose_is_written_for_readers(path):
    """No test machinery in the chapters' prose or code comments; that belongs in CONTRIBUTING.md."""
    for i, cell in enumerate(read(path).cells):
        hit = MACHINERY.search(cell.source)
        assert not hit, f"cell {i} mentions {hit.group(0)!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_sections_are_numbered(path):
    """Every `## ` heading of chapter N reads `## N.k Title`, except Summary and Exercises."""
    n = int(path.name[:2])
    headings = [ln for c in read(path).cells if c.cell_type == "markdown"
                for ln in c.source.splitlines() if ln.startswith("## ")]
    assert headings, "a chapter has sections"
    assert [h for h in headings if not re.match(rf"## {n}\.\d+ ", h) and h not in ("## Summary", "## Exercises")] == []
