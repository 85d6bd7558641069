"""A chaotic run's claims must hold on every path it can take, not only on the stored one.

Chapter 3's run with a too-large learning rate (section 3.6) is chaotic: another NumPy build
rounds some sums differently and the run takes another path (at lr = 0.3, an earlier version of
the section failed its asserts on NumPy 1.26 and its prose told the story of one path only).
Here the section's cells run again, unchanged except that the initial weights are multiplied by
(1 + 1e-10 · noise), which sends the run down other paths. Every assert in the section must
still pass, and the paths must really differ from the stored one.
"""
import contextlib
import io
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "notebooks" / "03_rnn_training.ipynb"
INIT = "big = rc.init_rnn(len(VOCAB), 24, 2, np.random.default_rng(0))"
PERTURBED = ("big = {k: v * (1 + 1e-10 * np.random.default_rng(NOISE_SEED).standard_normal(v.shape))\n"
             "       for k, v in rc.init_rnn(len(VOCAB), 24, 2, np.random.default_rng(0)).items()}")


def section_cells():
    """(code cells before the large-learning-rate run, code cells from it to the repeats cell)."""
    cells = [c for c in nbformat.read(CHAPTER, as_version=4).cells if c.cell_type == "code"]
    start = next(i for i, c in enumerate(cells) if INIT in c.source)
    end = next(i for i, c in enumerate(cells) if c.get("id") == "lr3-repeats")
    return [c.source for c in cells[:start]], [c.source for c in cells[start:end + 1]]


def run(sources, namespace):
    import matplotlib.pyplot as plt
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non-interactive.*")   # plt.show() without a display
        for k, source in enumerate(sources):
            exec(compile(source, f"{CHAPTER.name} code cell {k}", "exec"), namespace)
    plt.close("all")


@pytest.fixture
def chapter_state():
    """The chapter's namespace after the cells before the section (one namespace: the chapter's
    functions read its globals, e.g. sentiment_step reads the minibatch generator ``batches``)."""
    before, section = section_cells()
    namespace = {"__name__": "__chapter__"}
    run(before, namespace)
    return namespace, section


def test_the_section_starts_from_the_stored_initial_weights():
    _, section = section_cells()
    assert INIT in section[0], "the test substitutes this line; update INIT if the chapter changes it"


@pytest.mark.parametrize("noise_seed", [11, 12])
def test_every_assert_of_the_section_holds_on_another_path(chapter_state, noise_seed):
    ns, section = chapter_state
    ns["NOISE_SEED"] = noise_seed
    stored_path = None
    # the stored path first (to compare with), then the perturbed one; each runs every cell and assert
    for sources in (section, [section[0].replace(INIT, PERTURBED)] + section[1:]):
        run(sources, ns)
        if stored_path is None:
            stored_path = ns["big_run"]["loss"].copy()
    assert np.abs(ns["big_run"]["loss"] - stored_path).max() > 0.1, "the perturbation did not change the path"
