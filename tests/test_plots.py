"""The shared plotting helpers: widget figures, PNG display, titles and fast log ticks."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import rnn_core as rc  # noqa: E402
from rnn_core import plots  # noqa: E402


def test_widget_figure_is_reused_and_cleared():
    fig, ax = plots.widget_figure()
    ax.plot([1, 2], [3, 4])
    fig2, ax2 = plots.widget_figure()
    assert fig2 is fig and len(fig2.axes) == 1 and not ax2.lines
    fig3, axes = plots.widget_figure(ncols=2, sharey=True)
    assert fig3 is not fig and len(axes) == 2


def test_show_png_returns_one_png_and_displays_it(capsys):
    fig, ax = plots.widget_figure()
    plots.plot_gradient_flow(ax, rc.gradflow.gradient_norms(1.0, T=20))
    png = plots.show_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (640, 340)              # 6.4 x 3.4 inches at 100 dpi, no tight crop
    assert "Image" in capsys.readouterr().out         # outside a kernel, display prints the repr


def test_axes_title_and_fast_log_ticks():
    fig, ax = plots.widget_figure()
    plots.axes_title(ax, "hello")
    ax.semilogy(np.arange(1, 10), 10.0 ** -np.arange(9))
    plots.fast_log_ticks(ax)
    fig.canvas.draw()
    assert [t.get_text() for t in ax.texts] == ["hello"]
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(lbl.startswith("10") and "$" not in lbl for lbl in labels)
    assert plots.power_of_ten_label(1e-12) == "10⁻¹²" and plots.power_of_ten_label(3.0) == ""


def test_set_log_ylim_ignores_zeros_and_nans():
    fig, ax = plots.widget_figure()
    ax.set_yscale("log")
    plots.set_log_ylim(ax, np.array([0.0, 1e-3, np.nan, 10.0]))
    assert np.allclose(ax.get_ylim(), (1e-4, 100.0))
