"""Headless tests of the chapter 4 diagram (rnn_core.diagrams.draw_lstm_cell)."""
import itertools



from rnn_core.book import diagrams




def patches(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def text_at(ax, x, y, tol=0.05):
    return [t.get_text() for t in ax.texts if abs(t.get_position()[0] - x) < tol and abs(t.get_position()[1] - y) < tol]


def test_returns_the_axes_and_renders(ax):
    assert diagrams.draw_lstm_cell(ax) is ax
    ax.figure.canvas.draw()                 # mathtext parses, nothing raises
    assert not ax.axison


def test_standard_names_are_all_there(ax):
    diagrams.draw_lstm_cell(ax)
    labels = [t.get_text() for t in ax.texts]
    for name in ("$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$h_t$", "$x_t$",
                 "$f_t$", "$i_t$", r"$\tilde{c}_t$", r"$\omega_t$"):
        assert labels.count(name) == 1, name
    assert not any(s in ("$o_t$", "o") for s in labels)     # the output gate is never called o


def test_four_layers_in_order_and_none_on_the_cell_line(ax):
    diagrams.draw_lstm_cell(ax)
    layers = sorted(patches(ax, "lstm-layer"), key=lambda p: p.get_x())
    assert len(layers) == 4
    names = [text_at(ax, p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2) for p in layers]
    assert names == [["σ"], ["σ"], ["tanh"], ["σ"]]
    # the cell-state line is where the ⊕ sits; the ⊗ with f_t sits on it too
    ops = patches(ax, "lstm-op")
    plus = [p for p in ops if hasattr(p, "center") and text_at(ax, *p.center) == ["+"]]
    assert len(plus) == 1
    top = plus[0].center[1]
    on_line = [p for p in ops if hasattr(p, "center") and abs(p.center[1] - top) < 1e-9]
    assert sorted(text_at(ax, *p.center)[0] for p in on_line) == sorted(["+", diagrams.TIMES])
    for p in layers:
        assert p.get_y() + p.get_height() < top - 1.0
    # three elementwise products in all: f_t ⊙ c_{t-1}, i_t ⊙ c̃_t, ω_t ⊙ tanh(c_t), drawn as ⊙
    assert diagrams.TIMES == r"$\odot$"
    times = [p for p in ops if hasattr(p, "center") and text_at(ax, *p.center) == [diagrams.TIMES]]
    assert len(times) == 3
    assert not any("×" in t.get_text() for t in ax.texts)     # × is the source's matrix product


def test_labels_do_not_overlap_at_book_width(ax):
    diagrams.draw_lstm_cell(ax)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        assert not ba.overlaps(bb), f"{a!r} overlaps {b!r}"
    for t in ax.texts:
        assert t.get_fontsize() >= 8
    # everything is inside the figure
    fig_box = fig.bbox
    for name, box in boxes:
        assert fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1 and fig_box.y0 <= box.y0 and box.y1 <= fig_box.y1, name
