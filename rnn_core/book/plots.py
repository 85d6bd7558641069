"""Plot functions: each draws arrays on a given Axes and returns it (figures of chapters 3-7).

They never call ``plt.show`` and never change global settings, so a test can draw them
headless and a widget can redraw them (``book.widgets`` supplies the figure). ``book_style``
is the one explicit opt-in that sets the book's look for a notebook.
"""
import matplotlib
import numpy as np

from .._validate import as_float_array
from ..activations import slope

BOOK_STYLE = {
    "figure.figsize": (6.4, 3.4),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "legend.frameon": False,
}

#: One color per activation, used by every figure of the book.
COLORS = {"sigmoid": "tab:orange", "tanh": "tab:blue", "relu": "tab:green", "identity": "tab:gray",
          "lstm": "tab:purple", "residual": "tab:red"}


def book_style():
    """Apply the book's matplotlib settings (call it once at the top of a notebook)."""
    matplotlib.rcParams.update(BOOK_STYLE)


def set_log_ylim(ax, *arrays, pad=10.0, floor=1e-300, ceil=1e300):
    """Fit a log y-axis to the finite, positive values of ``arrays`` with a factor ``pad`` of room."""
    vals = np.concatenate([np.ravel(a) for a in arrays])
    vals = vals[np.isfinite(vals) & (vals > 0)]
    if vals.size:
        ax.set_ylim(max(vals.min() / pad, floor), min(vals.max() * pad, ceil))
    return ax


def axes_title(ax, text, **kwargs):
    """A title centred above the Axes, as a plain text artist.

    ``ax.set_title`` measures the tick labels on every draw to place itself, which costs
    about 10 ms per Axes in a slider update; a text at a fixed place costs nothing.
    """
    return ax.text(0.5, 1.02, text, transform=ax.transAxes, ha="center", va="bottom", **kwargs)


def plot_learning_curves(ax, curves, baseline=None, baseline_label="baseline", ylabel="loss", smooth=1):
    """Loss curves {label: losses} against the update step, optionally a horizontal baseline.

    smooth > 1 draws a running mean over that many steps (the raw curve stays faint).
    """
    for label, y in curves.items():
        y = np.asarray(y, dtype=np.float64)
        steps = np.arange(1, len(y) + 1)
        if smooth > 1 and len(y) >= smooth:
            line, = ax.plot(steps, y, alpha=0.25)
            kernel = np.ones(smooth) / smooth
            ax.plot(steps[smooth - 1:], np.convolve(y, kernel, mode="valid"), color=line.get_color(), label=label)
        else:
            ax.plot(steps, y, label=label)
    if baseline is not None:
        ax.axhline(baseline, color="k", ls=":", lw=1, label=baseline_label)
    ax.set_xlabel("update step")
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


# --- chapter 1: the source's worked example with W = w·I ---
def plot_example_outputs(ax, outputs, w, ylim=None):
    """The worked example's outputs against t on a log axis (chapter 1's slider).

    outputs: (n, K) array whose row t-1 is o_t, e.g. ``rnn.source_example(n, w)``.
    Draws two curves: the size ‖o_t‖ of each output, and its first component o_t[1],
    which is all that is left of the first input x_1 at step t (w^{t-1} in the example).
    Zeros cannot be drawn on a log axis and are left out. ylim: fixed (low, high) limits,
    e.g. to keep the axis still while a slider moves; None fits them to the data.
    """
    out = as_float_array("outputs", outputs, ndim=2)
    if out.shape[0] == 0 or out.shape[1] == 0:
        raise ValueError(f"outputs must hold at least one step and one component, got shape {out.shape}")
    t = np.arange(1, out.shape[0] + 1)
    norms, first = np.linalg.norm(out, axis=1), np.abs(out[:, 0])
    ax.semilogy(t, np.where(norms > 0, norms, np.nan), "o-", color="tab:blue", lw=2,
                label="‖oₜ‖: size of the output")
    ax.semilogy(t, np.where(first > 0, first, np.nan), "s--", color="tab:red", lw=1.5,
                label="|oₜ[1]|: what is left of x₁")
    ax.set_xticks(t)
    ax.set_xlabel("time step t")
    ax.set_ylabel("size (log scale)")
    axes_title(ax, f"W = {w:.2f}·I")
    if ylim is not None:
        ax.set_ylim(*ylim)
    else:
        set_log_ylim(ax, norms, first)
    fast_log_ticks(ax)                  # plain-text decade labels: a slider redraws faster
    ax.legend(loc="upper left")
    return ax


# --- chapter 4: the gradient along the LSTM cell path ---
def plot_lstm_gradient_norms(ax, result, show_hidden=True, show_rnn=True, color=None, label=None, ylim=None):
    """‖∂L_T/∂c_k‖ of an LSTM (and ‖∂L_T/∂h_k‖, and a tanh RNN's ‖∂L_T/∂s_k‖) against k, log axis.

    result: the dict returned by ``experiments.lstm_gradient_norms``. The cell-path curve (solid,
    in ``color``) is labelled with the mean forget gate unless ``label`` is given. The hidden path
    is drawn dotted in black on top of it, so it stays visible where the two coincide (at negative
    forget biases). Labels are typeset (math text), like the $b_f$ a caller may put in ``label``.
    Call it several times with show_rnn=False to compare forget biases on one Axes. ylim: fixed
    (low, high) limits, e.g. to keep the axis still while a slider moves; None fits them to every
    curve on the Axes. Chapters 4 and 7 both use it, in figures and in their forget-bias sliders.
    """
    k = result["k"]
    color = color or COLORS["lstm"]
    label = label or rf"LSTM cell $\|\partial L_T/\partial c_k\|$, mean $f$ = {result['mean_forget']:.2f}"
    ax.semilogy(k, result["cell"], color=color, lw=2, label=label)
    if show_hidden:
        ax.semilogy(k, result["hidden"], ":", color="k", lw=1.5, zorder=3,
                    label=r"LSTM hidden $\|\partial L_T/\partial h_k\|$")
    if show_rnn:
        ax.semilogy(k, result["rnn"], "--", color=COLORS["tanh"], lw=2,
                    label=r"tanh RNN $\|\partial L_T/\partial s_k\|$")
    ax.set_xlabel("time step k (the loss sits at the last step T)")
    ax.set_ylabel("gradient norm (log scale)")
    ax.set_xlim(k[0], k[-1])
    if ylim is not None:
        ax.set_ylim(*ylim)
    else:
        set_log_ylim(ax, *[ln.get_ydata() for ln in ax.get_lines()])
    fast_log_ticks(ax)
    if ylim is not None:                # a fixed axis gets round decades: 10⁰, 10⁻¹⁰, ... for a wide range
        from matplotlib.ticker import FixedLocator
        lo, hi = np.log10(ylim)
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (hi - lo) / s <= 8)
        ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(np.ceil(lo / step) * step, hi + 1e-9, step)))
    ax.legend(loc="lower right", fontsize=8)
    return ax


# --- chapter 6: truncation ---
def plot_truncation_errors(ax, k_values, errors, labels, k=None, title=None, legend_loc="best"):
    """Relative error of the k-step truncated gradient against k, on a log axis.

    k_values: (n_k,). errors: (n_lines, n_k), one row per setting (e.g. a scale of W),
    from ``truncation.truncation_errors``; exact zeros are left out of the log plot.
    labels: one legend entry per row. k: if given, a vertical line at k and a dot on
    each curve where it crosses it. legend_loc: where the legend goes (None: no legend); the
    default "best" puts it where it covers no curve (a fixed corner cannot: with tanh, the
    curves of a large W run along the top at every k).
    """
    k_values = np.asarray(k_values)
    errors = np.atleast_2d(np.asarray(errors, dtype=np.float64))
    if errors.shape[1] != k_values.shape[0] or len(labels) != errors.shape[0]:
        raise ValueError(f"errors must have shape ({len(labels)}, {k_values.shape[0]}) "
                         f"for {len(labels)} labels and {k_values.shape[0]} values of k, got {errors.shape}")
    colors = matplotlib.colormaps["viridis"](np.linspace(0.0, 0.85, errors.shape[0]))
    shown = np.where(errors > 0, errors, np.nan)
    for row, label, color in zip(shown, labels, colors):
        ax.semilogy(k_values, row, color=color, lw=2, label=label)
        if k is not None and k in k_values:
            ax.plot([k], [row[list(k_values).index(k)]], "o", color=color, ms=6)
    if k is not None:
        ax.axvline(k, color="k", ls=":", lw=1)
    set_log_ylim(ax, shown)
    fast_log_ticks(ax)                  # plain-text decade labels: a slider redraws faster
    ax.set_xlim(k_values.min(), k_values.max())
    ax.set_xlabel("truncation length k (steps)")
    ax.set_ylabel("relative error of the gradient")
    if title:
        axes_title(ax, title, fontsize=10)
    if legend_loc is not None:
        ax.legend(fontsize=8, loc=legend_loc)
    return ax


# --- chapter 7: gradient flow, saturation, clipping, the adding problem ---
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("-+0123456789", "₋₊₀₁₂₃₄₅₆₇₈₉")


def subscript(value):
    """``value`` (a number or digits) as Unicode subscript digits, e.g. 's' + subscript(50) = 's₅₀'.

    For printed text, where LaTeX cannot be typeset and 's_50' would read as raw TeX.
    """
    return str(value).translate(_SUBSCRIPT)


def power_of_ten_label(value, pos=None):
    """'10⁻¹²' for 1e-12, '' for any tick that is not an exact power of ten.

    Plain Unicode text instead of matplotlib's mathtext, which would be parsed anew for
    every label of every redraw: this halves the time a slider update needs.
    """
    if not (np.isfinite(value) and value > 0):
        return ""
    e = np.log10(value)
    if abs(e - round(e)) > 1e-6:
        return ""
    return "10" + str(int(round(e))).translate(_SUPERSCRIPT)


def fast_log_ticks(ax, axis="y"):
    """Label at most about 7 decades of a log axis with ``power_of_ten_label``, no minor ticks.

    All three save time on every redraw: no mathtext to parse, and fewer Tick objects to build.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(LogLocator(base=10.0, numticks=7))     # at most about 7 labels
    target.set_major_formatter(FuncFormatter(power_of_ten_label))
    target.set_minor_locator(NullLocator())
    return ax


def sci_from_log10(log10_value, digits=3):
    """'1.549e-319' for log10_value = −318.81: a number in scientific notation given its log10.

    For magnitudes float64 cannot hold (below ~1e-308 it loses digits, below ~5e-324 it is 0);
    -inf gives '0'.
    """
    x = float(log10_value)
    if x == -np.inf:
        return "0"
    e = int(np.floor(x))
    m = round(10.0 ** (x - e), digits)
    if m >= 10.0:
        m, e = m / 10.0, e + 1
    return f"{m:.{digits}f}e{e:+03d}"


def log10_ticks(ax, axis="y", nbins=7):
    """Label an axis whose values are log10 of the quantity with '10ⁿ' at whole n (plain text).

    For quantities that span more decades than float64 holds: plot log10 values on a linear
    axis and call this. At most about ``nbins`` labels, no minor ticks.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 5, 10]))
    target.set_major_formatter(FuncFormatter(lambda v, pos=None: "10" + str(int(round(v))).translate(_SUPERSCRIPT)
                                             if abs(v - round(v)) < 1e-9 else ""))
    target.set_minor_locator(NullLocator())
    return ax


#: The style of a bound: a wide pale band, so that a curve lying exactly on it stays visible.
BOUND_STYLE = dict(color="0.55", lw=7, alpha=0.35, solid_capstyle="butt", zorder=1)


def plot_gradient_flow(ax, result, label=None, color=None, show_bound=True, legend=False, bound_label=None):
    """Chapter 7's main widget figure: ‖∂L_T/∂s_k‖ against k (thin line) and its bound (wide band).

    result: the dict from ``experiments.gradient_norms``. The y axis is logarithmic and drawn
    from ``log10_norms``, so a gradient of 1e-330 is drawn where it is, not as 0. Exact zeros
    (dead ReLUs) cannot be drawn on a log axis: they are left out, and a note in the axes says
    up to which step the gradient is exactly 0. The bound is a wide pale band (in ``color``) under
    the curve, so that both stay visible where they coincide (a linear RNN). Without a legend (the default,
    which redraws fastest) the y label says which line is which. bound_label replaces the
    bound's legend entry.
    """
    k = result["k"]
    logs = np.where(np.isfinite(result["log10_norms"]), result["log10_norms"], np.nan)
    lone = np.isfinite(logs).sum() == 1                 # e.g. dead ReLUs: only ‖∂L_T/∂s_T‖ is not 0
    ax.plot(k, logs, color=color, lw=2, zorder=3, marker="o" if lone else None,
            label=label or r"$\|\partial L_T/\partial s_k\|$ (measured)")
    shown = [logs]
    if show_bound:
        bound = np.clip(result["log10_bound"], -1000.0, 1000.0)
        form = r"(1 + \gamma\sigma_{\max})^{T-k}" if result.get("residual") else r"(\gamma\sigma_{\max})^{T-k}"
        style = dict(BOUND_STYLE, color=color or BOUND_STYLE["color"])
        ax.plot(k, bound, **style, label=bound_label or rf"bound ${form}$, $\gamma\sigma_{{\max}}$ = "
                                                              f"{result['gamma'] * result['sigma_max']:.2f}")
        shown.append(bound)
    vals = np.concatenate(shown)
    vals = vals[np.isfinite(vals)]
    if vals.size:
        ax.set_ylim(vals.min() - 1.0, vals.max() + 1.0)
    ax.set_xlim(k[0], k[-1])
    ax.set_xlabel(r"time step $k$ (the loss sits at step $T$)")
    ax.set_ylabel(r"$\|\partial L_T/\partial s_k\|$ (line), bound (band)" if show_bound
                  else r"$\|\partial L_T/\partial s_k\|$ (log scale)")
    zero = np.flatnonzero(result["log10_norms"] == -np.inf)
    if zero.size:
        ax.text(0.02, 0.04, rf"$\|\partial L_T/\partial s_k\| = 0$ exactly for $k \leq {k[zero[-1]]}$",
                transform=ax.transAxes, fontsize=9, color="0.3")
    log10_ticks(ax)
    if legend:
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=8, borderaxespad=0.2)
    return ax


def plot_slopes(ax, z, activations=("sigmoid", "tanh", "relu")):
    """ϕ'(z) against the pre-activation z for each activation: where the slope collapses."""
    z = np.asarray(z, dtype=np.float64)
    names = {"sigmoid": r"$\sigma'(z)$", "tanh": r"$\tanh'(z)$", "relu": r"$\mathrm{ReLU}'(z)$",
             "identity": "identity: 1"}
    for name in activations:
        ax.plot(z, slope(z, name), color=COLORS.get(name), lw=2, label=names.get(name, name))
    ax.set_xlabel(r"pre-activation $z = s^*$")
    ax.set_ylabel(r"slope $\phi'(z)$")
    ax.set_xlim(z.min(), z.max())
    ax.legend(loc="center right")
    return ax


def plot_clipping(ax, runs, threshold, baseline=None):
    """Training MSE per update without clipping and with both kinds of clipping at ``threshold``.

    runs: the dict from ``experiments.clipping_runs``. Log y axis; a run that overflowed
    simply ends early. baseline: if given, a dotted line at the MSE of always predicting the mean.
    """
    styles = [(("none", None), "no clipping", "tab:red", "-"),
              (("value", float(threshold)), "by value", "tab:orange", "--"),
              (("norm", float(threshold)), "by global norm", "tab:blue", "-")]
    for key, label, color, ls in styles:
        mse = runs[key]["mse"]
        ax.semilogy(np.arange(1, len(mse) + 1), mse, ls, color=color, lw=1.5, label=label)
    if baseline is not None:
        ax.axhline(baseline, color="k", ls=":", lw=1, label=f"always predicting the mean: {baseline:.3f}")
    ax.set_xlabel("update step")
    ax.set_ylabel("training MSE (log scale)")
    set_log_ylim(ax, *[runs[k]["mse"] for k, *_ in styles], pad=2.0)
    fast_log_ticks(ax)
    ax.legend(loc="upper right", fontsize=8, title=f"clipping at {threshold:g}", title_fontsize=8)
    return ax


def plot_adding_curves(ax, curves, baseline, target=0.01):
    """Test MSE against the update step for each model {label: adding_curves result}, log y.

    Draws the baseline (always predicting the mean) and the target MSE as horizontal lines.
    """
    for label, r in curves.items():
        ax.semilogy(r["step"], r["test_mse"], "o-", ms=3, lw=1.5, label=label)
    ax.axhline(baseline, color="k", ls=":", lw=1, label=f"baseline (predict 1): {baseline:.3f}")
    ax.axhline(target, color="0.5", ls="--", lw=1, label=f"target {target:g}")
    ax.set_xlabel("update step")
    ax.set_ylabel("test MSE (log scale)")
    fast_log_ticks(ax)
    ax.legend(loc="lower left", fontsize=8)
    return ax


def plot_adding_runs(ax, steps, runs, baseline, target=0.01):
    """Test MSE against the update step over many seeds: per configuration the median (line)
    and the range from the best to the worst seed (band), log y axis (chapter 7's stored runs).

    steps: (n,) update steps.  runs: {label: array (n_seeds, n)} of test MSE.
    Draws the baseline (always predicting the mean) and the target MSE as horizontal lines.
    """
    steps = np.asarray(steps)
    for label, mse in runs.items():
        mse = np.asarray(mse, dtype=np.float64)
        if mse.ndim != 2 or mse.shape[1] != steps.shape[0]:
            raise ValueError(f"runs[{label!r}] must have shape (n_seeds, {steps.shape[0]}), got {mse.shape}")
        line, = ax.semilogy(steps, np.median(mse, axis=0), lw=2, label=f"{label} (median)")
        ax.fill_between(steps, mse.min(axis=0), mse.max(axis=0), color=line.get_color(), alpha=0.15, lw=0)
    ax.axhline(baseline, color="k", ls=":", lw=1, label=f"always predicting 1: {baseline:.3f}")
    ax.axhline(target, color="0.5", ls="--", lw=1, label=f"target {target:g}")
    ax.set_xlim(steps[0], steps[-1])
    ax.set_xlabel("update step")
    ax.set_ylabel("test MSE (log scale)")
    fast_log_ticks(ax)
    ax.legend(loc="lower left", fontsize=8)
    return ax


# --- chapter 8: character-level language models ---

#: One color per cell in chapter 8's figures (the RNN keeps tanh's color, the LSTM its own).
CELL_COLORS = {"rnn": COLORS["tanh"], "lstm": COLORS["lstm"], "gru": "tab:brown"}
#: How chapter 8's figures name the cells.
CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def plot_bits_curves(ax, curves, baseline=None, baseline_label="unigram model", ylabel="held-out bits per character",
                     xlabel="update step", legend_loc="center right"):
    """Bits per character against the update step, one line per cell (chapter 8).

    curves: {cell: (steps (n,), bits (n,))}, cell one of "rnn", "lstm", "gru" (or any label).
    baseline: a number drawn as a dotted horizontal line, e.g. a unigram model's bits per character.
    legend_loc: where the legend goes (a matplotlib location); the default suits falling curves.
    """
    for cell, (steps, bits) in curves.items():
        steps, bits = np.asarray(steps), as_float_array("bits", bits, shape=(len(steps),))
        ax.plot(steps, bits, lw=2, color=CELL_COLORS.get(cell), label=CELL_NAMES.get(cell, cell))
    if baseline is not None:
        ax.axhline(baseline, color="k", ls=":", lw=1, label=f"{baseline_label}: {baseline:.3f}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc=legend_loc, fontsize=9)
    return ax


def plot_learning_rate_grid(ax, grid, chosen=None):
    """Validation bits per character at the end of training against the learning rate (log x axis).

    grid: {cell: (learning rates (m,), bits (m,))}.  chosen: optional {cell: learning rate} to circle.
    """
    for cell, (lrs, bits) in grid.items():
        lrs, bits = np.asarray(lrs, dtype=np.float64), as_float_array("bits", bits, shape=(len(lrs),))
        color = CELL_COLORS.get(cell)
        ax.semilogx(lrs, bits, "o-", lw=1.5, color=color, label=CELL_NAMES.get(cell, cell))
        if chosen is not None and cell in chosen:
            i = int(np.argmin(np.abs(lrs - chosen[cell])))
            ax.plot(lrs[i], bits[i], "o", ms=13, mfc="none", mec=color, mew=1.5)
    ax.set_xlabel("learning rate of Adam (log scale)")
    ax.set_ylabel("validation bits per character")
    ax.legend(loc="upper left", fontsize=9)
    return ax


def char_label(ch):
    """A character as a readable tick label: '␣' for a space, '↵' for a newline."""
    return {" ": "␣", "\n": "↵"}.get(ch, ch)


def plot_next_char(ax, probs, labels, reference=None, ymax=1.0):
    """Bars of the probabilities of some next characters, with a reference distribution as dashes.

    probs: (m,) the probabilities to draw as bars (e.g. at a temperature τ).  labels: m strings.
    reference: optional (m,) probabilities drawn as short black dashes across the bars (e.g. at τ = 1).
    Made for a slider: the bars are one collection of thick lines (one artist, not m patches), the
    tick labels are plain text, and the y label says what bars and dashes are instead of a legend.
    """
    probs = as_float_array("probs", probs, ndim=1)
    m = probs.shape[0]
    if len(labels) != m:
        raise ValueError(f"labels must hold {m} strings, got {len(labels)}")
    x = np.arange(m)
    width_points = ax.get_position().width * ax.figure.get_figwidth() * 72.0 / (m + 0.2)
    ax.vlines(x, 0.0, probs, lw=0.7 * width_points, color="tab:blue", capstyle="butt")
    if reference is not None:
        reference = as_float_array("reference", reference, shape=probs.shape)
        ax.plot(x, reference, "_", color="k", ms=0.9 * width_points, mew=2)
    ax.set_xticks(x, labels)
    ax.set_yticks([0.0, 0.5 * ymax, ymax])                  # few labels: text is what costs most to draw
    ax.grid(False, axis="x")
    ax.set_xlim(-0.6, m - 0.4)
    ax.set_ylim(0.0, ymax)
    ax.set_xlabel("next character (the most likely ones at temperature 1)")
    ax.set_ylabel("probability (bars)" if reference is None else "probability (bars; dashes: τ = 1)")
    return ax


def plot_gradient_reach(ax, reach, chunk_len=None):
    """Chapter 7's gradient-flow curve for trained models: ‖∂L_T/∂h_{T−j}‖ / ‖∂L_T/∂h_T‖ against j.

    reach: {cell: the dict from ``char_lm.gradient_reach``}; the median over the windows is the
    line, the band between the 25th and 75th percentiles is shaded. Log y axis.
    chunk_len: draw a vertical line there (how far back truncated BPTT let the gradient go in training).
    """
    shown = []
    for cell, r in reach.items():
        j, ratio = np.asarray(r["steps_back"]), np.asarray(r["ratio"], dtype=np.float64)
        color = CELL_COLORS.get(cell)
        lo, hi = np.percentile(ratio, [25, 75], axis=1)
        ax.fill_between(j, lo, hi, color=color, alpha=0.15, lw=0)
        ax.semilogy(j, r["median"], lw=2, color=color, label=CELL_NAMES.get(cell, cell))
        shown += [lo, hi]
    if chunk_len is not None:
        ax.axvline(chunk_len, color="0.4", ls="--", lw=1, label=f"chunk length in training ({chunk_len})")
    set_log_ylim(ax, *shown, pad=2.0)
    ax.set_xlabel(r"steps back $j$ (the loss sits on the prediction at step $T$)")
    ax.set_ylabel(r"$\|\partial L_T/\partial h_{T-j}\|\,/\,\|\partial L_T/\partial h_T\|$")
    fast_log_ticks(ax)
    ax.legend(loc="lower left", fontsize=9)
    return ax
