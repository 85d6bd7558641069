"""Headless tests of rnn_core.plots.plot_example_outputs (chapter 1's slider, layer 2)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_core as rc  # noqa: E402




@pytest.mark.parametrize("w", [0.5, 1.0, 2.0, 3.0])
def test_curves_are_the_sizes_derived_by_hand(ax, w):
    n = 5
    assert rc.plots.plot_example_outputs(ax, rc.source_example(n, w), w) is ax
    norms, first = ax.get_lines()
    t = np.arange(1, n + 1)
    # by hand: o_t = sum_{j<=t} w^(t-j) e_j, so ||o_t||^2 = sum_{k<t} w^(2k) and o_t[1] = w^(t-1)
    expected_norms = np.sqrt([sum(w ** (2 * k) for k in range(s)) for s in t])
    np.testing.assert_allclose(norms.get_xdata(), t)
    np.testing.assert_allclose(norms.get_ydata(), expected_norms, rtol=1e-12)
    np.testing.assert_allclose(first.get_ydata(), w ** (t - 1.0), rtol=1e-12)
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "time step t" and "log" in ax.get_ylabel()
    assert any(f"{w:.2f}" in t.get_text() for t in ax.texts)      # the title (rc.plots.axes_title)
    lo, hi = ax.get_ylim()
    assert lo <= min(expected_norms.min(), w ** (n - 1)) and hi >= expected_norms.max()
    ax.figure.canvas.draw()


def test_decay_flat_growth(ax):
    """The first input's trace decays for w < 1, stays for w = 1, grows for w > 1."""
    for w, sign in [(0.5, -1), (1.0, 0), (2.0, 1)]:
        ax.clear()
        rc.plots.plot_example_outputs(ax, rc.source_example(6, w), w)
        trend = np.sign(np.round(np.diff(np.log(ax.get_lines()[1].get_ydata())), 12))
        assert (trend == sign).all()


def test_zeros_are_left_out_and_ylim_is_kept(ax):
    rc.plots.plot_example_outputs(ax, rc.source_example(5, 0.0), 0.0, ylim=(1e-5, 1e3))
    first = ax.get_lines()[1].get_ydata()
    assert first[0] == 1.0 and np.isnan(first[1:]).all()
    assert ax.get_ylim() == pytest.approx((1e-5, 1e3))


@pytest.mark.parametrize("bad", [np.ones(5), np.ones((2, 3, 4)), np.zeros((0, 3)), np.array([[1.0, np.nan]])])
def test_bad_outputs_raise(ax, bad):
    with pytest.raises(ValueError, match="outputs"):
        rc.plots.plot_example_outputs(ax, bad, 2.0)
