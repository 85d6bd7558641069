"""The thin layer between a drawing function and the reader's controls.

A slider in this book is three layers: a pure function in the core returns arrays, a plot
function in ``book.plots`` draws them on an Axes, and ``live`` puts the controls right above
one figure and redraws that figure in place whenever a control moves::

    def draw(scale=1.0, activation="tanh"):
        r = book.experiments.gradient_norms(scale, activation=activation)
        fig, ax = book.widgets.figure()
        book.plots.plot_gradient_flow(ax, r)
        return f"ratio = {r['ratio']:.3e}", fig

    book.widgets.live(draw, scale=FloatSlider(value=1.0, min=0.1, max=3.0),
                      activation=Dropdown(options=["tanh", "relu"], value="tanh"))

``draw`` takes the controls' values as keyword arguments and returns ``(text, fig)``: a few
lines of numbers and a Figure from ``figure()``. The cell's stored output (what GitHub, nbconvert
and a reader without a kernel see) is a line saying how to get the controls, then the text and
the figure of the default setting. With a kernel, the same two outputs are replaced in place, so
the figure that moves is the one in view and the page does not jump.

Every ``live`` widget is also kept in ``REGISTRY`` with its drawing function, so the web edition
can draw a grid of settings with exactly the function the live widget uses (``Widget.render``).
Its three outputs (controls, text, figure) carry the metadata ``{"rnn_book_widget": i}``, where i
is the widget's index in REGISTRY, so a build tool can find them in an executed notebook.
"""
import base64
import io
import textwrap
from dataclasses import dataclass, field

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .plots import BOOK_STYLE

#: The default widget figure: 6.4 × 3.4 inches at 100 dpi, 640 × 340 pixels.
FIGSIZE = BOOK_STYLE["figure.figsize"]
DPI = BOOK_STYLE["figure.dpi"]

_FIGURES = {}


def figure(ncols=1, figsize=None, left=0.13, right=0.97, bottom=0.15, top=0.9, wspace=0.25, sharey=False):
    """A cleared Figure with ``ncols`` Axes for a widget: returns (fig, ax) or (fig, axes).

    Made outside pyplot (no figure manager to close), with fixed margins (fractions of the
    figure) instead of ``bbox_inches="tight"``, which would draw the figure twice. Calls with the
    same layout get the same Figure back, cleared: its renderer and the text layouts cached on
    it survive from one update to the next, which halves the time to redraw.
    """
    figsize = tuple(figsize or FIGSIZE)
    key = (ncols, figsize, left, right, bottom, top, wspace, sharey)
    fig = _FIGURES.get(key)
    if fig is None:
        fig = _FIGURES[key] = Figure(figsize=figsize, dpi=DPI)
        FigureCanvasAgg(fig)                      # a canvas of its own keeps the renderer
    fig.clear()
    axes = fig.subplots(1, ncols, sharey=sharey)
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace)
    return fig, axes


def png(fig):
    """The Figure as PNG bytes: drawn in one pass, stored with a palette of 256 colours.

    A line plot has a few hundred colours, nearly all of them anti-aliasing shades, so a
    palette loses nothing the eye sees (the largest channel error measured on the book's
    figures is 15/255, on 1 % of the pixels) and makes the image a third of the size of an RGBA
    PNG (e.g. 13 KB instead of 38 KB): less to send to the browser on every slider move, less
    to store in the notebooks and the web edition. Encoding costs about as much as before
    (~3 ms). A figure with transparent pixels keeps them (RGBA palette).
    """
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="rgba")
    width, height = int(fig.bbox.width), int(fig.bbox.height)
    raw = buf.getvalue()              # bytes, not getbuffer(): a live export of buf breaks its cleanup
    if len(raw) != 4 * width * height:                # a layout engine changed the size: plain PNG
        buf = io.BytesIO()
        fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
        return buf.getvalue()
    image = Image.frombuffer("RGBA", (width, height), raw, "raw", "RGBA", 0, 1)
    if image.getextrema()[3][0] == 255:               # opaque: no alpha channel needed
        image = image.convert("RGB")
    image = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=1)
    return out.getvalue()


def show_png(fig):
    """Display a Figure as one PNG image in the notebook; returns the PNG bytes."""
    from IPython.display import Image, display
    data = png(fig)
    display(Image(data=data, format="png"))
    return data


def _png_bundle(data, fig):
    width, height = (int(round(v * DPI)) for v in fig.get_size_inches())
    bundle = {"image/png": base64.b64encode(data).decode("ascii"), "text/plain": "<the figure for this setting>"}
    return bundle, {"image/png": {"width": width, "height": height}}


@dataclass
class Widget:
    """A drawing function and its controls: what ``live`` shows, and what the web edition renders."""

    draw: object
    controls: dict
    name: str = field(default="")

    @property
    def defaults(self):
        """The controls' starting values, {name: value}."""
        return {k: c.value for k, c in self.controls.items()}

    def render(self, **settings):
        """Draw one setting (missing names take their default): returns (text, png bytes, fig)."""
        values = dict(self.defaults, **settings)
        unknown = set(settings) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}; this widget has {list(self.controls)}")
        text, fig = self.draw(**values)
        if not isinstance(text, str) or not isinstance(fig, Figure):
            raise TypeError(f"{self.name}: draw must return (text, Figure), got "
                            f"({type(text).__name__}, {type(fig).__name__})")
        return text, png(fig), fig


#: Every widget made by ``live`` in this kernel, in the order the cells ran.
REGISTRY = []


#: Lines of text this layer prints are wrapped at word boundaries to this width: JupyterLab's
#: output style (white-space: pre-wrap; word-break: break-all) breaks a longer line mid-word.
TEXT_WIDTH = 88


def _wrap(text):
    return "\n".join(textwrap.fill(line, TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)
                     for line in text.splitlines())


def _no_kernel_text(controls):
    names = ", ".join(getattr(c, "description", "") or k for k, c in controls.items())
    return _wrap(f"[Controls: {names}. They need a running kernel: run this cell (or Run All). "
                 "Below is the figure for the starting values.]")


def live(draw, **controls):
    """Show ``controls`` above one figure drawn by ``draw(**values) -> (text, fig)``.

    controls: name -> ipywidgets control (a slider or a dropdown); each name is a keyword
    argument of ``draw`` and the control's value is its starting value. Moving a control
    redraws the text and the figure in place. Returns None (so nothing else is printed); the
    ``Widget`` is the last entry of ``REGISTRY``.
    """
    import ipywidgets
    from IPython.display import display

    if not controls:
        raise ValueError("live needs at least one control, e.g. scale=FloatSlider(...)")
    for name, control in controls.items():
        if not isinstance(control, ipywidgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets control, got {type(control).__name__}")
    widget = Widget(draw, dict(controls), name=getattr(draw, "__name__", "draw"))
    REGISTRY.append(widget)
    text, data, fig = widget.render()

    box = ipywidgets.HBox(list(controls.values()), layout=ipywidgets.Layout(flex_flow="row wrap"))
    view = dict(box._repr_mimebundle_(), **{"text/plain": _no_kernel_text(controls)})
    tag = {"rnn_book_widget": len(REGISTRY) - 1}  # lets the web edition find this widget's outputs
    display(view, raw=True, metadata=tag)
    text_out = display({"text/plain": text}, raw=True, metadata=tag, display_id=True)
    bundle, meta = _png_bundle(data, fig)
    image_out = display(bundle, raw=True, metadata=dict(meta, **tag), display_id=True)

    def redraw(_change=None):
        try:
            new_text, new_data, new_fig = widget.render(**{k: c.value for k, c in controls.items()})
        except ValueError as err:             # e.g. a setting whose state overflows float64
            text_out.update({"text/plain": _wrap(f"this setting cannot be drawn: {err}")}, raw=True, metadata=tag)
            return
        new_bundle, new_meta = _png_bundle(new_data, new_fig)
        image_out.update(new_bundle, raw=True, metadata=dict(new_meta, **tag))  # the figure first:
        text_out.update({"text/plain": new_text}, raw=True, metadata=tag)         # it is what the eye follows

    for control in controls.values():
        control.observe(redraw, names="value")


def progress(iterable, total, label="step"):
    """Yield from ``iterable`` while a progress bar shows how far it has got (in a notebook).

    For loops a reader waits on for more than a couple of seconds. The bar and its count are
    redrawn at most every 0.25 s. The cell's stored output is one fixed line (the bar itself
    needs a kernel), so it is the same on every run. Outside a notebook nothing is shown.
    """
    import time

    import ipywidgets
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is None:
        yield from iterable
        return
    bar = ipywidgets.IntProgress(value=0, max=total, description=label)
    count = ipywidgets.Label(f"0 of {total}")
    box = ipywidgets.HBox([bar, count])
    display(dict(box._repr_mimebundle_(), **{"text/plain": f"[{label}: {total} in all]"}), raw=True)
    shown, done = time.monotonic(), 0
    for done, item in enumerate(iterable, start=1):
        yield item
        if time.monotonic() - shown > 0.25:
            bar.value, count.value = done, f"{done} of {total}"
            shown = time.monotonic()
    bar.value, count.value = done, f"{done} of {total}"
