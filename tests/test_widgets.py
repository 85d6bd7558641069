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

        def update(self, obj, raw=False, metadata=None):
            updates.append((self.i, obj, metadata or {}))

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
    assert max(len(line) for line in controls["text/plain"].splitlines()) <= widgets.TEXT_WIDTH
    assert text == {"text/plain": "scale = 1.00, name = a"}
    assert base64.b64decode(image["image/png"])[:4] == b"\x89PNG"
    assert m0["rnn_book_widget"] == m1["rnn_book_widget"] == m2["rnn_book_widget"] == before
    assert m2["image/png"] == {"width": 640, "height": 340}
    scale.value = 1.5                         # the figure is replaced first, then the text, in place
    assert [i for i, _, _ in updates] == [2, 1] and updates[1][1] == {"text/plain": "scale = 1.50, name = a"}
    assert updates[0][1]["image/png"] != image["image/png"]
    assert updates[0][2]["rnn_book_widget"] == updates[1][2]["rnn_book_widget"] == before   # the tag survives
    assert updates[0][2]["image/png"] == {"width": 640, "height": 340}


def test_png_is_a_palette_image_close_to_the_drawing():
    """The PNG has a 256-colour palette (a third of the RGBA size) and differs from the drawing
    only by anti-aliasing shades; a transparent figure keeps its transparency."""
    import io

    from PIL import Image
    fig, ax = widgets.figure()
    for k in range(6):
        ax.semilogy(np.arange(1, 51), np.exp(-0.2 * k * np.arange(50)) + 1e-3, label=f"line {k}")
    ax.legend()
    data = widgets.png(fig)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "P" and image.size == (640, 340)
    fig.canvas.draw()
    exact = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    error = np.abs(np.asarray(image.convert("RGB")).astype(int) - exact)
    assert error.max() <= 32 and (error.max(axis=2) > 8).mean() < 0.03
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert len(data) < 0.6 * len(buf.getvalue())          # much smaller than matplotlib's own PNG
    see_through = Figure(figsize=(2, 1), dpi=50, facecolor="none")
    see_through.add_subplot().plot([0, 1], [1, 0])
    clear = Image.open(io.BytesIO(widgets.png(see_through))).convert("RGBA")
    assert clear.size == (100, 50) and np.asarray(clear)[0, 0, 3] == 0    # the corner stays transparent
