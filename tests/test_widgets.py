"""rnn_core.book.widgets: the figure a slider redraws, and what ``live`` shows with and without a kernel."""
import base64

import numpy as np
import pytest
from ipywidgets import Dropdown, FloatSlider
from matplotlib.figure import Figure

from rnn_core.book import widgets


def test_figure_is_reused_and_cleared():
    fig, ax = widgets.figure()
    ax.plot([1, 2], [3, 4])
    fig2, ax2 = widgets.figure()
    assert fig2 is fig and not ax2.lines
    fig3, axes = widgets.figure(ncols=2, sharey=True)
    assert fig3 is not fig and len(axes) == 2
    assert isinstance(fig, Figure) and tuple(fig.get_size_inches()) == widgets.FIGSIZE


def draw(scale=1.0, name="a"):
    fig, ax = widgets.figure()
    ax.plot(np.arange(5), scale * np.arange(5))
    return f"scale = {scale:.2f}, name = {name}", fig


def test_render_draws_one_setting_as_png():
    w = widgets.Widget(draw, dict(scale=FloatSlider(value=1.0, min=0, max=2), name=Dropdown(options=["a", "b"])))
    text, png, fig = w.render(scale=2.0)
    assert text == "scale = 2.00, name = a" and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert w.render(scale=2.0)[1] == png and w.render(scale=1.5)[1] != png      # the image follows the setting
    with pytest.raises(ValueError, match=r"unknown controls \['speed'\]"):
        w.render(speed=3)


def test_live_shows_controls_text_and_figure_and_redraws_in_place(monkeypatch):
    shown, updates = [], []

    class Handle:
        def __init__(self, i):
            self.i = i

        def update(self, obj, **kw):
            updates.append((self.i, obj))

    def fake_display(obj, raw=False, metadata=None, display_id=None):
        shown.append((obj, metadata))
        return Handle(len(shown) - 1) if display_id else None

    monkeypatch.setattr("IPython.display.display", fake_display)
    before = len(widgets.REGISTRY)
    scale = FloatSlider(value=1.0, min=0.0, max=2.0, description="scale")
    assert widgets.live(draw, scale=scale) is None
    assert len(widgets.REGISTRY) == before + 1
    (controls, m0), (text, m1), (image, m2) = shown
    assert "application/vnd.jupyter.widget-view+json" in controls
    assert "run this cell" in controls["text/plain"] and "scale" in controls["text/plain"]
    assert text == {"text/plain": "scale = 1.00, name = a"}
    assert base64.b64decode(image["image/png"])[:4] == b"\x89PNG"
    assert m0["rnn_book_widget"] == m1["rnn_book_widget"] == m2["rnn_book_widget"] == before
    assert m2["image/png"] == {"width": 640, "height": 340}
    scale.value = 1.5
    assert [i for i, _ in updates] == [1, 2] and updates[0][1] == {"text/plain": "scale = 1.50, name = a"}
    assert updates[1][1]["image/png"] != image["image/png"]
