"""rnn_core.book.plots (chapters 1, 4, 6 and 7): every plot function drawn headless, and what it shows."""
import io
import re
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_core as rc
from rnn_core.book import experiments as ex
from rnn_core.book import plots, widgets


# --- The shared plotting helpers: widget figures, PNG display, titles and fast log ticks. ---

def test_widget_figure_is_reused_and_cleared():
    fig, ax = widgets.figure()
    ax.plot([1, 2], [3, 4])
    fig2, ax2 = widgets.figure()
    assert fig2 is fig and len(fig2.axes) == 1 and not ax2.lines
    fig3, axes = widgets.figure(ncols=2, sharey=True)
    assert fig3 is not fig and len(axes) == 2


def test_show_png_returns_one_png_and_displays_it(capsys):
    fig, ax = widgets.figure()
    plots.plot_gradient_flow(ax, ex.gradient_norms(1.0, T=20, rng=np.random.default_rng(0)))
    png = widgets.show_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (640, 340)              # 6.4 x 3.4 inches at 100 dpi, no tight crop
    assert "Image" in capsys.readouterr().out         # outside a kernel, display prints the repr


def test_axes_title_and_fast_log_ticks():
    fig, ax = widgets.figure()
    plots.axes_title(ax, "hello")
    ax.semilogy(np.arange(1, 10), 10.0 ** -np.arange(9))
    plots.fast_log_ticks(ax)
    fig.canvas.draw()
    assert [t.get_text() for t in ax.texts] == ["hello"]
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(lbl.startswith("10") and "$" not in lbl for lbl in labels)
    assert plots.power_of_ten_label(1e-12) == "10⁻¹²" and plots.power_of_ten_label(3.0) == ""


def test_set_log_ylim_ignores_zeros_and_nans():
    fig, ax = widgets.figure()
    ax.set_yscale("log")
    plots.set_log_ylim(ax, np.array([0.0, 1e-3, np.nan, 10.0]))
    assert np.allclose(ax.get_ylim(), (1e-4, 100.0))


# --- Headless tests of rnn_core.book.plots.plot_example_outputs (chapter 1's slider, layer 2). ---

@pytest.mark.parametrize("w", [0.5, 1.0, 2.0, 3.0])
def test_curves_are_the_sizes_derived_by_hand(ax, w):
    n = 5
    assert plots.plot_example_outputs(ax, rc.source_example(n, w), w) is ax
    norms, first = ax.get_lines()
    t = np.arange(1, n + 1)
    # by hand: o_t = sum_{j<=t} w^(t-j) e_j, so ||o_t||^2 = sum_{k<t} w^(2k) and o_t[1] = w^(t-1)
    expected_norms = np.sqrt([sum(w ** (2 * k) for k in range(s)) for s in t])
    np.testing.assert_allclose(norms.get_xdata(), t)
    np.testing.assert_allclose(norms.get_ydata(), expected_norms, rtol=1e-12)
    np.testing.assert_allclose(first.get_ydata(), w ** (t - 1.0), rtol=1e-12)
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "time step t" and "log" in ax.get_ylabel()
    assert any(f"{w:.2f}" in t.get_text() for t in ax.texts)      # the title (plots.axes_title)
    lo, hi = ax.get_ylim()
    assert lo <= min(expected_norms.min(), w ** (n - 1)) and hi >= expected_norms.max()
    ax.figure.canvas.draw()


def test_decay_flat_growth(ax):
    """The first input's trace decays for w < 1, stays for w = 1, grows for w > 1."""
    for w, sign in [(0.5, -1), (1.0, 0), (2.0, 1)]:
        ax.clear()
        plots.plot_example_outputs(ax, rc.source_example(6, w), w)
        trend = np.sign(np.round(np.diff(np.log(ax.get_lines()[1].get_ydata())), 12))
        assert (trend == sign).all()


def test_zeros_are_left_out_and_ylim_is_kept(ax):
    plots.plot_example_outputs(ax, rc.source_example(5, 0.0), 0.0, ylim=(1e-5, 1e3))
    first = ax.get_lines()[1].get_ydata()
    assert first[0] == 1.0 and np.isnan(first[1:]).all()
    assert ax.get_ylim() == pytest.approx((1e-5, 1e3))


@pytest.mark.parametrize("bad", [np.ones(5), np.ones((2, 3, 4)), np.zeros((0, 3)), np.array([[1.0, np.nan]])])
def test_bad_outputs_raise(ax, bad):
    with pytest.raises(ValueError, match="outputs"):
        plots.plot_example_outputs(ax, bad, 2.0)


# --- Headless tests of chapter 4's plot function (rnn_core.book.plots.plot_lstm_gradient_norms). ---

@pytest.fixture(scope="module")
def result():
    return ex.lstm_gradient_norms(2.0, T=30, hidden_size=8, rng=np.random.default_rng(0))


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
    assert f"mean $f$ = {result['mean_forget']:.2f}" in labels[0]
    for text in labels:                  # one rendering: symbols typeset, no raw "L_T" or "‖" in plain text
        plain = re.sub(r"\$[^$]*\$", "", text)
        assert "$" in text and not set("_‖∂") & set(plain), text
    low, high = ax.get_ylim()
    values = np.concatenate([result[k] for k in ("cell", "hidden", "rnn")])
    assert low <= values.min() and values.max() <= high
    ax.figure.canvas.draw()


def test_hidden_path_is_drawn_on_top_in_its_own_color(ax, result):
    """Where the two paths coincide (negative forget biases) the dotted hidden curve stays visible."""
    plots.plot_lstm_gradient_norms(ax, result)
    cell, hidden, _ = ax.get_lines()
    assert hidden.get_linestyle() == ":" and hidden.get_zorder() > cell.get_zorder()
    assert hidden.get_color() != cell.get_color()


def test_fixed_ylim_keeps_the_axis_still(ax, result):
    plots.plot_lstm_gradient_norms(ax, result, ylim=(1e-65, 10.0))
    assert ax.get_ylim() == pytest.approx((1e-65, 10.0))
    ticks = ax.yaxis.get_major_locator()()                    # round decades, at most 8 of them
    assert 2 <= len(ticks) <= 8 and np.allclose(np.log10(ticks) % 10, 0)


def test_several_forget_biases_on_one_axes(ax):
    results = [ex.lstm_gradient_norms(b, T=20, hidden_size=8, rng=np.random.default_rng(0)) for b in (0.0, 4.0)]
    plots.plot_lstm_gradient_norms(ax, results[0], show_hidden=False, show_rnn=True, color="k")
    plots.plot_lstm_gradient_norms(ax, results[1], show_hidden=False, show_rnn=False, label="$b_f$ = 4")
    assert len(ax.get_lines()) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "$b_f$ = 4"
    low, high = ax.get_ylim()            # the limits cover every curve drawn so far
    values = np.concatenate([results[0]["cell"], results[0]["rnn"], results[1]["cell"]])
    assert low <= values.min() and values.max() <= high


# --- Chapter 6's truncation figure (the k slider): its data, and a legend that hides no curve. ---

@pytest.fixture(scope="module")
def tanh_truncation():
    k_values = np.arange(1, 40)
    errors = np.array([rc.truncation.truncation_errors(k_values, s, T=40, rng=np.random.default_rng(0))
                       for s in (0.5, 1.0, 2.0, 4.0)])
    return k_values, errors, [f"σ_max(W) = {s:g}" for s in (0.5, 1.0, 2.0, 4.0)]


def _lines_under_the_legend(ax):
    """Labels of the data lines (curves and the dots at k) that the legend's box touches on screen."""
    from matplotlib.path import Path
    box = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    hit = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData:            # the vertical line at k spans the axes
            continue
        xy = line.get_xydata()
        pts = ax.transData.transform(xy[np.isfinite(xy).all(axis=1)])
        if (len(pts) == 1 and box.contains(*pts[0])) or (len(pts) > 1 and Path(pts).intersects_bbox(box, filled=False)):
            hit.append(line.get_label())
    return hit


def test_truncation_errors_draws_each_row_and_marks_k(tanh_truncation):
    k_values, errors, labels = tanh_truncation
    fig, ax = widgets.figure()
    plots.plot_truncation_errors(ax, k_values, errors, labels, k=10)
    curves = [ln for ln in ax.get_lines() if ln.get_label() in labels]
    assert [ln.get_label() for ln in curves] == labels and ax.get_yscale() == "log"
    for line, row in zip(curves, errors):
        np.testing.assert_array_equal(line.get_ydata(), np.where(row > 0, row, np.nan))
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert [ln.get_ydata()[0] for ln in dots] == list(errors[:, 9])
    with pytest.raises(ValueError, match="errors must have shape"):
        plots.plot_truncation_errors(ax, k_values, errors[:, :5], labels)


@pytest.mark.parametrize("k", [1, 10, 20, 39])
def test_truncation_legend_covers_no_curve(tanh_truncation, k):
    """Chapter 6's default view (tanh): the σ_max = 2 and 4 curves run along the top at every k."""
    k_values, errors, labels = tanh_truncation
    fig, ax = widgets.figure()
    plots.plot_truncation_errors(ax, k_values, errors, labels, k=k, title="tanh state, T = 40")
    fig.canvas.draw()
    assert _lines_under_the_legend(ax) == []


# --- Chapter 7's plot functions, drawn headless; the data on the Axes is checked, not the pixels. ---

def _no_warnings():
    """Warnings become errors, except deprecations triggered inside Matplotlib or pyparsing
    (Matplotlib 3.8 calls pyparsing names that pyparsing 3.3 deprecates). A deprecated call in
    the book's code is attributed to the book's module and still fails."""
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(matplotlib|pyparsing)\.")


def _render(ax):
    with warnings.catch_warnings():
        _no_warnings()
        ax.figure.canvas.print_figure(io.BytesIO(), format="png", bbox_inches="tight")


def test_power_of_ten_label():
    assert plots.power_of_ten_label(1e-12) == "10⁻¹²"
    assert plots.power_of_ten_label(1.0) == "10⁰"
    assert plots.power_of_ten_label(1e95) == "10⁹⁵"
    assert plots.power_of_ten_label(3e5) == ""
    assert plots.power_of_ten_label(0.0) == "" and plots.power_of_ten_label(np.inf) == ""


def test_gradient_flow_plots_norms_and_bound(ax):
    r = ex.gradient_norms(1.0, T=30, rng=np.random.default_rng(0))
    plots.plot_gradient_flow(ax, r)
    measured, bound = ax.get_lines()
    assert np.allclose(10 ** measured.get_ydata(), r["norms"]) and np.allclose(10 ** bound.get_ydata(), r["bound"])
    assert bound.get_linewidth() > 2 * measured.get_linewidth()           # a band under a thin line
    low, high = ax.get_ylim()
    assert low <= np.log10(r["norms"].min()) and high >= 0.0
    assert not ax.texts                                                    # no zero to report
    _render(ax)


@pytest.mark.parametrize("scale, act, T, inp", [(3.0, "identity", 200, 5.0), (0.1, "sigmoid", 200, 0.0),
                                                (0.1, "relu", 5, 0.0), (3.0, "relu", 200, 5.0)])
def test_gradient_flow_extremes_of_the_sliders(ax, scale, act, T, inp):
    with warnings.catch_warnings():
        _no_warnings()
        r = ex.gradient_norms(scale, T=T, activation=act, hidden_size=128, input_scale=inp, rng=np.random.default_rng(0))
        plots.plot_gradient_flow(ax, r)
    low, high = ax.get_ylim()
    assert -np.inf < low < high < np.inf
    if np.any(r["log10_norms"] == -np.inf):
        assert any("= 0$ exactly" in t.get_text() for t in ax.texts)
    _render(ax)


@pytest.mark.parametrize("activation", ["identity", "sigmoid"])
def test_gradient_flow_draws_the_true_values_at_the_far_end(ax, activation):
    """Scale 0.1, T = 200 (issue: the figure said "= 0 exactly" where the gradient is 1e-199 or 1e-333)."""
    r = ex.gradient_norms(0.1, T=200, activation=activation, rng=np.random.default_rng(0))
    plots.plot_gradient_flow(ax, r)
    measured = ax.get_lines()[0].get_ydata()
    assert np.all(np.isfinite(measured)) and not ax.texts
    if activation == "identity":
        np.testing.assert_allclose(measured, -(200.0 - r["k"]), atol=1e-9)
    else:
        assert r["norms"][0] == 0.0 and -400 < measured[0] < -324      # float64 holds no such number
    assert ax.get_ylim()[0] < measured.min()
    _render(ax)


def test_sci_from_log10_subscript_and_log10_ticks(ax):
    assert plots.sci_from_log10(np.log10(1.549e-319)) == "1.549e-319"
    assert plots.sci_from_log10(np.log10(9.9996e5)) == "1.000e+06"
    assert plots.sci_from_log10(-np.inf) == "0" and plots.sci_from_log10(0.0) == "1.000e+00"
    assert "s" + plots.subscript(50) == "s₅₀"
    ax.plot([0, 1], [-330.0, 2.0])
    plots.log10_ticks(ax)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(t.startswith("10") for t in labels) and "10⁻³⁰⁰" in labels


def test_plot_slopes(ax):
    z = np.linspace(-6, 6, 121)
    plots.plot_slopes(ax, z)
    ys = {ln.get_label(): ln.get_ydata() for ln in ax.get_lines()}
    assert np.isclose(ys[r"$\sigma'(z)$"].max(), 0.25) and np.isclose(ys[r"$\tanh'(z)$"].max(), 1.0)
    assert np.allclose(ys[r"$\tanh'(z)$"], 1 - np.tanh(z) ** 2)
    _render(ax)


def test_plot_clipping(ax):
    runs = ex.clipping_runs([0.1], n_steps=20, rng=np.random.default_rng(0))
    plots.plot_clipping(ax, runs, 0.1)
    lines = ax.get_lines()
    assert len(lines) == 3
    assert np.allclose(lines[2].get_ydata(), runs[("norm", 0.1)]["mse"])
    plots.plot_clipping(ax, runs, 0.1, baseline=1 / 6)
    assert np.allclose(ax.get_lines()[-1].get_ydata(), 1 / 6)
    _render(ax)


def test_plot_adding_curves(ax):
    r = dict(step=np.array([0, 10, 20]), test_mse=np.array([0.2, 0.1, 0.005]))
    plots.plot_adding_curves(ax, {"LSTM": r}, baseline=1 / 6)
    ydata = [ln.get_ydata() for ln in ax.get_lines()]
    assert np.allclose(ydata[0], r["test_mse"])
    assert np.allclose(ydata[1], 1 / 6) and np.allclose(ydata[2], 0.01)
    _render(ax)


def test_plot_adding_runs_draws_median_and_range(ax):
    steps = np.array([0, 10, 20])
    runs = {"LSTM": np.array([[0.2, 0.1, 0.004], [0.2, 0.15, 0.02], [0.2, 0.12, 0.006]])}
    plots.plot_adding_runs(ax, steps, runs, baseline=1 / 6)
    median, baseline, target = ax.get_lines()
    assert np.allclose(median.get_ydata(), [0.2, 0.12, 0.006])
    assert np.allclose(baseline.get_ydata(), 1 / 6) and np.allclose(target.get_ydata(), 0.01)
    (band,) = ax.collections
    ys = band.get_paths()[0].vertices[:, 1]
    assert np.isclose(ys.min(), 0.004) and np.isclose(ys.max(), 0.2)
    with pytest.raises(ValueError, match="shape"):
        plots.plot_adding_runs(ax, steps, {"x": np.ones((2, 4))}, baseline=1 / 6)
    _render(ax)


# --- Chapter 8: the character-level language models. ---

def test_plot_bits_curves(ax):
    curves = {"rnn": ([0, 10, 20], [6.2, 3.1, 2.5]), "gru": ([0, 10, 20], [6.2, 2.9, 2.2])}
    plots.plot_bits_curves(ax, curves, baseline=4.487)
    assert [line.get_label() for line in ax.lines] == ["RNN", "GRU", "unigram model: 4.487"]
    assert ax.lines[1].get_color() == plots.CELL_COLORS["gru"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [6.2, 3.1, 2.5])
    with pytest.raises(ValueError, match="bits"):
        plots.plot_bits_curves(ax, {"rnn": ([0, 1], [1.0, 2.0, 3.0])})


def test_plot_learning_rate_grid_circles_the_chosen_rate(ax):
    plots.plot_learning_rate_grid(ax, {"lstm": ([1e-3, 3e-3, 9e-3], [2.3, 2.1, 2.4])}, chosen={"lstm": 3e-3})
    assert ax.get_xscale() == "log"
    assert ax.lines[1].get_xdata()[0] == 3e-3 and ax.lines[1].get_ydata()[0] == 2.1


def test_plot_next_char(ax):
    p, ref = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    plots.plot_next_char(ax, p, [plots.char_label(c) for c in " e\n"], reference=ref)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["␣", "e", "↵"]
    bars = ax.collections[0].get_segments()                 # one vertical segment per character
    np.testing.assert_array_equal([s[1, 1] for s in bars], p)
    np.testing.assert_array_equal([s[0, 1] for s in bars], 0.0)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), ref)
    assert "τ = 1" in ax.get_ylabel()
    with pytest.raises(ValueError, match="labels"):
        plots.plot_next_char(ax, p, ["a", "b"])


def test_plot_gradient_reach_draws_the_median_on_a_log_axis(ax):
    ratio = np.exp(-np.outer(np.arange(30), [0.1, 0.2, 0.3]))
    reach = dict(steps_back=np.arange(30), ratio=ratio, median=np.median(ratio, axis=1))
    plots.plot_gradient_reach(ax, {"lstm": reach}, chunk_len=20)
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.exp(-0.2 * np.arange(30)))
    assert ax.lines[1].get_xdata()[0] == 20
    low, high = ax.get_ylim()
    assert low <= np.percentile(ratio, 25, axis=1).min() and high >= 1.0     # the band fits
