"""The front pages keep their promises: the index's contents table matches the chapter files, the
notation page (00_notation.ipynb, which every chapter links to) states the book's decisions, and
the glossary's Chinese terms are the source's own. (Navigation cells are checked in test_repo.py.)"""
import os
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
# The source text is not part of the book; it sits next to the authors' checkout, or wherever
# RNN_BOOK_SOURCE points (.ci/run sets it when it can find the file).
SOURCE = Path(os.environ.get("RNN_BOOK_SOURCE", ROOT.parent / "shared" / "seed" / "000_392ba9b56252dea6.txt"))

CHAPTERS = {
    "00_index.ipynb": "Recurrent Neural Networks and Backpropagation Through Time",
    "00_notation.ipynb": "Notation",
    "01_rnn_idea.ipynb": "1. The RNN idea: state as memory",
    "02_rnn_structures.ipynb": "2. RNN structures",
    "03_rnn_training.ipynb": "3. Training an RNN",
    "04_lstm.ipynb": "4. Long short-term memory",
    "05_forward_implementation.ipynb": "5. The forward pass in NumPy",
    "06_bptt.ipynb": "6. Backpropagation through time",
    "07_gradient_problems.ipynb": "7. Vanishing and exploding gradients",
    "08_char_lm.ipynb": "8. Capstone: a character-level language model",
}


@pytest.fixture(scope="module")
def index():
    return nbformat.read(NOTEBOOKS / "00_index.ipynb", as_version=4)


def section(nb, heading):
    """The text of the markdown cells from '## heading' up to the next '## '."""
    out, inside = [], False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("## "):
                inside = line[3:].strip() == heading
            elif inside:
                out.append(line)
    return "\n".join(out)


def test_title(index):
    assert index.cells[0].source.splitlines()[0] == "# " + CHAPTERS["00_index.ipynb"]


def test_contents_lists_every_chapter_once_with_its_title(index):
    rows = re.findall(r"^\|\s*(\d)\s*\|\s*\[([^\]]+)\]\(([^)]+)\)", section(index, "Contents"), re.M)
    assert [r[2] for r in rows] == list(CHAPTERS)
    for number, title, target in rows:
        assert target.startswith(number.zfill(2) + "_")
        assert CHAPTERS[target].endswith(title)


def test_every_notebook_on_disk_is_in_the_contents(index):
    listed = set(re.findall(r"\]\((\d\d_[a-z_]+\.ipynb)\)", section(index, "Contents")))
    on_disk = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert on_disk <= listed, f"not in the contents: {sorted(on_disk - listed)}"
    for name in on_disk:                       # and each chapter that exists opens with its title
        first = nbformat.read(NOTEBOOKS / name, as_version=4).cells[0].source.splitlines()[0]
        assert first == "# " + CHAPTERS[name]


def test_links_point_only_to_chapter_files(index):
    text = "\n".join(c.source for c in index.cells if c.cell_type == "markdown")
    for target in re.findall(r"\]\(([^)#]+\.ipynb)", text):
        assert target in CHAPTERS, target


def headings(nb):
    """The anchors of a notebook's headings, as JupyterLab and nbconvert make them (spaces -> dashes)."""
    return {line.lstrip("#").strip().replace(" ", "-") for c in nb.cells if c.cell_type == "markdown"
            for line in c.source.splitlines() if line.startswith("#")}


def test_anchor_links_land_on_a_heading(index):
    text = "\n".join(c.source for c in index.cells if c.cell_type == "markdown")
    links = re.findall(r"\]\((\d\d_[a-z_0-9]+\.ipynb)?#([^)]+)\)", text)
    assert ("", "Glossary") in links and ("07_gradient_problems.ipynb", "Regularisation") in links
    for target, anchor in links:
        nb = index if target in ("", "00_index.ipynb") else nbformat.read(NOTEBOOKS / target, as_version=4)
        assert anchor in headings(nb), f"{target}#{anchor}"


@pytest.fixture(scope="module")
def notation():
    """The notation page's markdown, as one text."""
    nb = nbformat.read(NOTEBOOKS / "00_notation.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown" and not c.metadata.get("nav"))


def test_every_chapter_links_to_the_notation_page():
    """A link to a page of its own lands on the table in JupyterLab even when the page is not open yet
    (an anchor inside the index does not: JupyterLab looks for it before the markdown has rendered)."""
    for path in sorted(NOTEBOOKS.glob("0[1-9]_*.ipynb")):
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        assert "](00_notation.ipynb)" in text and "#Notation" not in text, path.name


def test_notation_page_has_the_books_decisions(notation):
    text = notation
    for needle in [r"s^*_t = U x_t + W s_{t-1} + b", r"o^*_t = V s_t + c", r"\delta_t = \partial L / \partial s^*_t",
                   "**total**", "local (direct)", r"\omega_t", r"$\tilde c_t", "`(T, B, D)`", "`(T+1, B, H)`",
                   "`S[0]`", "`U (H, D)`", "`W (H, H)`", "`V (K, H)`", "`Wx (4H, D)`", "no subscript"]:
        assert needle in text, needle
    for source_name in ("$r_1$", "$g_1$", "$g_2$", "$g_3$"):
        assert source_name in text


def test_notation_states_delta_once_and_the_one_tolerance(notation):
    text = notation
    # δ_t = ϕ'(s*_t) ⊙ ∂L/∂s_t, both total, and one step back collects W^T δ_t
    for needle in [r"\phi'(s^*_t) \odot \frac{\partial L}{\partial s_t}", "both derivatives total",
                   r"+ W^\top \delta_t", r"W^\top \operatorname{diag}\big(\phi'(s^*_t)\big)"]:
        assert needle in text, needle
    # the gradient-check policy of CONTRIBUTING.md: central differences, ε = 1e-6, accept below 1e-6
    for needle in ["central differences", r"\varepsilon = 10^{-6}", r"relative error below $10^{-6}$",
                   r"$10^{-11}$ and $10^{-7}$", r"far above $10^{-3}$"]:
        assert needle in text, needle


def test_the_source_is_named_with_its_sections(index):
    text = section(index, "The source")
    assert "随时间反向传播(BPTT)" in text and "Erratum (source §N)" in text
    for n in range(1, 8):
        assert f"(§{n})" in text and f"| §{n} " in text, n


GLOSSARY_MUST_HAVE = ["梯度消失", "梯度爆炸", "随时间反向传播", "循环神经网络", "状态", "激活函数", "变换函数",
                      "局部梯度", "遗忘门", "输入门", "输出门", "双向 RNN", "深层 RNN", "前向传导算法",
                      "权值共享", "展开", "序列"]


def glossary_terms(nb):
    rows = [ln for ln in section(nb, "Glossary").splitlines() if ln.startswith("|") and "---" not in ln][1:]
    return [ln.split("|")[2].strip() for ln in rows]


def test_glossary_has_the_core_terms(index):
    text = "\n".join(glossary_terms(index))
    for term in GLOSSARY_MUST_HAVE:
        assert term in text, term


@pytest.mark.skipif(not SOURCE.exists(), reason="the source text is not next to this checkout "
                                                 "(set RNN_BOOK_SOURCE to its path to run this check)")
def test_glossary_terms_are_the_sources_own():
    source = SOURCE.read_text(encoding="utf-8")
    nb = nbformat.read(NOTEBOOKS / "00_index.ipynb", as_version=4)
    for cell in glossary_terms(nb):
        # every run of Chinese characters in the glossary's source column occurs in the source
        for term in re.findall(r"[\u4e00-\u9fff]+", cell):
            assert term in source, term
