"""Headless tests of chapter 4's plot function (rnn_core.plots.plot_lstm_gradient_norms)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_core import gradflow, plots  # noqa: E402




@pytest.fixture(scope="module")
def result():
    return gradflow.lstm_gradient_norms(2.0, T=30, hidden_size=8)


def test_draws_the_three_curves_on_a_log_axis(ax, result):
    assert plots.plot_lstm_gradient_norms(ax, result) is ax
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert len(lines) == 3
    for line, key in zip(lines, ("cell", "hidden", "rnn")):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 31))
        np.testing.assert_array_equal(line.get_ydata(), result[key])
    assert ax.get_xlabel() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"mean f = {result['mean_forget']:.2f}" in labels[0]
    low, high = ax.get_ylim()
    values = np.concatenate([result[k] for k in ("cell", "hidden", "rnn")])
    assert low <= values.min() and values.max() <= high
    ax.figure.canvas.draw()


def test_several_forget_biases_on_one_axes(ax):
    results = [gradflow.lstm_gradient_norms(b, T=20, hidden_size=8) for b in (0.0, 4.0)]
    plots.plot_lstm_gradient_norms(ax, results[0], show_hidden=False, show_rnn=True, color="k")
    plots.plot_lstm_gradient_norms(ax, results[1], show_hidden=False, show_rnn=False, label="b_f = 4")
    assert len(ax.get_lines()) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "b_f = 4"
    low, high = ax.get_ylim()            # the limits cover every curve drawn so far
    values = np.concatenate([results[0]["cell"], results[0]["rnn"], results[1]["cell"]])
    assert low <= values.min() and values.max() <= high
