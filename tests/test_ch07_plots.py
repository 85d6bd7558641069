"""Chapter 7's plot functions, drawn headless; the data on the Axes is checked, not the pixels."""
import io
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import rnn_core as rc  # noqa: E402
from rnn_core import experiments as ex  # noqa: E402
from rnn_core import plots  # noqa: E402




def _render(ax):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.print_figure(io.BytesIO(), format="png", bbox_inches="tight")


def test_power_of_ten_label():
    assert plots.power_of_ten_label(1e-12) == "10⁻¹²"
    assert plots.power_of_ten_label(1.0) == "10⁰"
    assert plots.power_of_ten_label(1e95) == "10⁹⁵"
    assert plots.power_of_ten_label(3e5) == ""
    assert plots.power_of_ten_label(0.0) == "" and plots.power_of_ten_label(np.inf) == ""


def test_gradient_flow_plots_norms_and_bound(ax):
    r = rc.gradflow.gradient_norms(1.0, T=30)
    plots.plot_gradient_flow(ax, r)
    measured, bound = ax.get_lines()
    assert np.allclose(measured.get_ydata(), r["norms"]) and np.allclose(bound.get_ydata(), r["bound"])
    low, high = ax.get_ylim()
    assert low <= r["norms"].min() and high >= 1.0
    _render(ax)


@pytest.mark.parametrize("scale, act, T, inp", [(3.0, "identity", 200, 5.0), (0.1, "sigmoid", 200, 0.0),
                                                (0.1, "relu", 5, 0.0), (3.0, "relu", 200, 5.0)])
def test_gradient_flow_extremes_of_the_sliders(ax, scale, act, T, inp):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = rc.gradflow.gradient_norms(scale, T=T, activation=act, hidden_size=128, input_scale=inp)
        plots.plot_gradient_flow(ax, r)
    low, high = ax.get_ylim()
    assert 0 < low < high < np.inf
    if np.any(r["norms"] == 0):
        assert any("= 0 exactly" in t.get_text() for t in ax.texts)
    _render(ax)


def test_plot_slopes(ax):
    z = np.linspace(-6, 6, 121)
    plots.plot_slopes(ax, z)
    ys = {ln.get_label(): ln.get_ydata() for ln in ax.get_lines()}
    assert np.isclose(ys["sigmoid'(z)"].max(), 0.25) and np.isclose(ys["tanh'(z)"].max(), 1.0)
    assert np.allclose(ys["tanh'(z)"], 1 - np.tanh(z) ** 2)
    _render(ax)


def test_plot_clipping(ax):
    runs = ex.clipping_runs([0.1], n_steps=20)
    plots.plot_clipping(ax, runs, 0.1)
    lines = ax.get_lines()
    assert len(lines) == 3
    assert np.allclose(lines[2].get_ydata(), runs[("norm", 0.1)]["mse"])
    _render(ax)


def test_plot_adding_curves(ax):
    r = dict(step=np.array([0, 10, 20]), test_mse=np.array([0.2, 0.1, 0.005]))
    plots.plot_adding_curves(ax, {"LSTM": r}, baseline=1 / 6)
    ydata = [ln.get_ydata() for ln in ax.get_lines()]
    assert np.allclose(ydata[0], r["test_mse"])
    assert np.allclose(ydata[1], 1 / 6) and np.allclose(ydata[2], 0.01)
    _render(ax)
