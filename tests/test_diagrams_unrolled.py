"""Headless tests of the chapter 1 diagrams (rnn_core.diagrams.draw_unrolled, draw_folded)."""

import matplotlib
import matplotlib.colors as mcolors
import pytest
from matplotlib.patches import Circle, FancyArrowPatch

from rnn_core.book import diagrams


@pytest.fixture
def figure_size():
    return (6.4, 5.0)


def texts(ax):
    return [t.get_text() for t in ax.texts]


def gradient_arrows(ax):
    red = mcolors.to_rgba(diagrams.GRADIENT_COLOR)
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)
            and mcolors.to_rgba(p.get_edgecolor()) == red]


@pytest.mark.parametrize("T", range(1, 7))
def test_unrolled_has_every_node_and_weight(ax, T):
    assert diagrams.draw_unrolled(ax, T=T) is ax
    labels = texts(ax)
    for t in range(1, T + 1):
        for name in ("x", "s", "o"):
            assert labels.count(f"${name}_{{{t}}}$") == 1
    assert labels.count("$s_{0}$") == 1
    # one U and one V per step, one W per step (s_{t-1} -> s_t, starting from s_0)
    assert labels.count("$U$") == T and labels.count("$V$") == T and labels.count("$W$") == T
    assert not any("L" in s for s in labels)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 3 * T + 1
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 3 * T
    assert gradient_arrows(ax) == []
    ax.figure.canvas.draw()          # it really renders (mathtext parses)


@pytest.mark.parametrize("T", range(1, 7))
def test_loss_and_gradients(ax, T):
    diagrams.draw_unrolled(ax, T=T, show_loss=True, show_gradients=True)
    labels = texts(ax)
    for t in range(1, T + 1):
        assert f"$L_{{{t}}}$" in labels and f"$y_{{{t}}}$" in labels
    assert any(r"\sum" in s and "L =" in s for s in labels)
    # backward: L_t -> o_t and o_t -> s_t for every t, s_t -> s_{t-1} for t = 2..T
    assert len(gradient_arrows(ax)) == T + T + (T - 1)
    for p in gradient_arrows(ax):
        assert p.get_linestyle() in ("--", "dashed")
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_texts()) == 2
    ax.figure.canvas.draw()


def test_gradients_without_loss_follow_outputs_and_states(ax):
    diagrams.draw_unrolled(ax, T=3, show_gradients=True)
    assert len(gradient_arrows(ax)) == 3 + 2
    assert not any("L" in s for s in texts(ax))


@pytest.mark.parametrize("T", [1, 4])
def test_untied_labels_carry_the_step(ax, T):
    diagrams.draw_unrolled(ax, T=T, untied=True)
    labels = texts(ax)
    for t in range(1, T + 1):
        for w in ("U", "W", "V"):
            assert labels.count(f"${w}_{{{t}}}$") == 1
    assert "$U$" not in labels and "$W$" not in labels and "$V$" not in labels


@pytest.mark.parametrize("bad", [0, -2, 13, 2.5, True, "3", None])
def test_bad_T_raises(ax, bad):
    with pytest.raises(ValueError, match="T must be"):
        diagrams.draw_unrolled(ax, T=bad)


def test_folded(ax):
    assert diagrams.draw_folded(ax) is ax
    labels = texts(ax)
    for name in ("$x_t$", "$s_t$", "$o_t$", "$U$", "$V$", "$W$"):
        assert labels.count(name) == 1
    assert len([p for p in ax.patches if isinstance(p, Circle)]) == 3
    assert len([p for p in ax.patches if isinstance(p, FancyArrowPatch)]) == 3
    ax.figure.canvas.draw()


def test_drawing_changes_no_global_state(ax):
    before = dict(matplotlib.rcParams)
    diagrams.draw_unrolled(ax, T=2, show_loss=True, show_gradients=True)
    assert dict(matplotlib.rcParams) == before
