"""Diagrams drawn in code: unrolled graphs, RNN structures and the LSTM cell (chapters 1-4).

Each function draws on a given Axes with plain matplotlib patches and text and returns
the Axes, so a figure is reproducible and a test can draw it headless. Patches are added
with ``ax.add_artist`` rather than ``ax.add_patch``: every diagram sets its own limits, and
skipping the data-limit update for each curved arrow makes a redraw about twice as fast.
"""


# --- chapter 1: the unrolled and the folded RNN (reused by chapters 3 and 6) ---
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.path import Path

FORWARD_COLOR = "0.15"
GRADIENT_COLOR = "tab:red"
NODE_FILL = {"x": "#dbe9f6", "s": "#fde3c0", "o": "#d9f0d3", "L": "#efd5e6", "y": "white"}
_R = 0.3            # node radius in data units
_DX, _DY = 1.6, 1.5  # column and row spacing
_MAX_T = 12


def _node(ax, xy, label, kind, r=_R, fontsize=11):
    ax.add_artist(Circle(xy, r, facecolor=NODE_FILL[kind], edgecolor="0.25", lw=1.2, zorder=2))
    ax.text(xy[0], xy[1], label, ha="center", va="center", fontsize=fontsize, zorder=3)


def _arrow(ax, a, b, ra=_R, rb=_R, side=0.0, color=FORWARD_COLOR, ls="-", lw=1.3):
    """An arrow from the rim of node a to the rim of node b, shifted to its left by ``side``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    u = (b - a) / np.hypot(*(b - a))
    n = np.array([-u[1], u[0]]) * side          # to the left of the direction of travel
    cut_a, cut_b = np.sqrt(max(ra**2 - side**2, 0.0)), np.sqrt(max(rb**2 - side**2, 0.0))
    ax.add_artist(FancyArrowPatch(a + n + cut_a * u, b + n - cut_b * u, arrowstyle="-|>",
                                 mutation_scale=11, color=color, lw=lw, linestyle=ls,
                                 shrinkA=0, shrinkB=0, zorder=1))


def _weight_label(ax, a, b, label, side):
    """A weight's name next to the middle of the arrow a→b (side > 0: to its left)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    u = (b - a) / np.hypot(*(b - a))
    mid = (a + b) / 2 + np.array([-u[1], u[0]]) * side
    ax.text(mid[0], mid[1], label, ha="center", va="center", fontsize=10, color="0.1", zorder=3)


def _check_T(T):
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or not 1 <= T <= _MAX_T:
        raise ValueError(f"T must be an integer from 1 to {_MAX_T} (the number of time steps drawn), got {T!r}")
    return int(T)


def draw_unrolled(ax, T=3, show_loss=False, show_gradients=False, untied=False):
    """Draw the vanilla RNN unrolled over T steps on ``ax`` and return ``ax`` (chapter 1, Fig. 1.2).

    Inputs x_1..x_T sit at the bottom, states s_0, s_1..s_T in the middle (s_0 on the
    left), outputs o_1..o_T on top. Arrows carry the weights: U (x_t → s_t),
    W (s_{t-1} → s_t), V (s_t → o_t); with ``untied=True`` they are U_t, W_t, V_t.
    show_loss: add a loss node L_t above each o_t, fed by the target y_t, and the total
      L = Σ_t L_t (chapter 3).
    show_gradients: draw the backward signal dashed in red along its two paths: down
      through each output (L_t → o_t → s_t) and back along the states (s_t → s_{t-1})
      (chapters 3 and 6).
    Biases are not drawn. T must be an integer from 1 to 12; the drawing is legible up
    to T = 6 at 6.4 inches wide.
    """
    T = _check_T(T)
    yx, ys, yo, yl, ytot = 0.0, _DY, 2 * _DY, 3 * _DY, 4 * _DY
    sub = (lambda name, t: f"{name}_{{{t}}}") if untied else (lambda name, t: name)
    for t in range(0, T + 1):
        _node(ax, (t * _DX, ys), rf"$s_{{{t}}}$", "s")
    for t in range(1, T + 1):
        cx = t * _DX
        _node(ax, (cx, yx), rf"$x_{{{t}}}$", "x")
        _node(ax, (cx, yo), rf"$o_{{{t}}}$", "o")
        _arrow(ax, (cx, yx), (cx, ys))
        _weight_label(ax, (cx, yx), (cx, ys), rf"${sub('U', t)}$", 0.28)
        _arrow(ax, (cx, ys), (cx, yo))
        _weight_label(ax, (cx, ys), (cx, yo), rf"${sub('V', t)}$", 0.28)
        _arrow(ax, (cx - _DX, ys), (cx, ys))
        _weight_label(ax, (cx - _DX, ys), (cx, ys), rf"${sub('W', t)}$", 0.2)
        if show_loss:
            _node(ax, (cx, yl), rf"$L_{{{t}}}$", "L")
            _node(ax, (cx + 0.8, yl - 0.75), rf"$y_{{{t}}}$", "y", r=0.25, fontsize=10)
            _arrow(ax, (cx, yo), (cx, yl))
            _arrow(ax, (cx + 0.8, yl - 0.75), (cx, yl), ra=0.25)
        if show_gradients:   # offset to the right of a downward arrow, below a leftward one
            if show_loss:
                _arrow(ax, (cx, yl), (cx, yo), side=0.12, color=GRADIENT_COLOR, ls="--")
            _arrow(ax, (cx, yo), (cx, ys), side=0.12, color=GRADIENT_COLOR, ls="--")
            if t > 1:
                _arrow(ax, (cx, ys), (cx - _DX, ys), side=0.12, color=GRADIENT_COLOR, ls="--")
    top = yo
    if show_loss:
        mid = (T + 1) * _DX / 2
        ax.text(mid, ytot, r"$L = \sum_{t=1}^{T} L_t$", ha="center", va="center", fontsize=11, zorder=3,
                bbox=dict(boxstyle="round,pad=0.3", facecolor=NODE_FILL["L"], edgecolor="0.25", lw=1.2))
        for t in range(1, T + 1):     # each L_t feeds the sum; the arrows end at the box's lower edge
            end = (mid + 0.12 * (t * _DX - mid), ytot - 0.55)
            _arrow(ax, (t * _DX, yl), end, rb=0.0, lw=1.0)
        top = ytot
    if show_gradients:
        handles = [Line2D([], [], color=FORWARD_COLOR, lw=1.3, label="forward"),
                   Line2D([], [], color=GRADIENT_COLOR, lw=1.3, ls="--", label="backward (gradient)")]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2,
                  frameon=False, fontsize=9)
    ax.set_xlim(-0.5, T * _DX + (1.15 if show_loss else 0.5))
    ax.set_ylim(-0.5, top + 0.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def draw_folded(ax):
    """Draw the folded (compact) RNN on ``ax`` and return ``ax`` (chapter 1, Fig. 1.1).

    One input x_t, one state s_t with a self-loop labelled W (the state of the previous
    step feeds the next), one output o_t; arrows U (x_t → s_t) and V (s_t → o_t).
    """
    x, s, o = (0.0, 0.0), (0.0, _DY), (0.0, 2 * _DY)
    _node(ax, x, r"$x_t$", "x")
    _node(ax, s, r"$s_t$", "s")
    _node(ax, o, r"$o_t$", "o")
    _arrow(ax, x, s)
    _weight_label(ax, x, s, r"$U$", 0.28)
    _arrow(ax, s, o)
    _weight_label(ax, s, o, r"$V$", 0.28)
    angle = np.deg2rad(40)           # the self-loop: a Bézier curve leaving and re-entering s_t
    rim = _R * np.array([np.cos(angle), np.sin(angle)])
    loop = Path([(s[0] + rim[0], s[1] + rim[1]), (s[0] + 1.3, s[1] + 1.0),
                 (s[0] + 1.3, s[1] - 1.0), (s[0] + rim[0], s[1] - rim[1])],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    ax.add_artist(FancyArrowPatch(path=loop, arrowstyle="-|>", mutation_scale=11,
                                 color=FORWARD_COLOR, lw=1.3, zorder=1))
    ax.text(s[0] + 1.12, s[1], r"$W$", ha="left", va="center", fontsize=10)
    ax.set_xlim(-0.6, 1.7)
    ax.set_ylim(-0.5, 2 * _DY + 0.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


# --- chapter 4: LSTM cell ---

#: The elementwise product in the LSTM diagram, typeset as in the chapter's equations.
TIMES = r"$\odot$"


def draw_lstm_cell(ax):
    """Draw one LSTM cell (chapter 4) on ``ax`` and return it.

    The cell state c runs along the top with only elementwise operations on it:
    c_{t-1} → ⊙ f_t → + i_t ⊙ c̃_t → c_t. The hidden state h_{t-1} and the input x_t
    enter at the bottom and feed four layers σ, σ, tanh, σ (f_t, i_t, c̃_t, ω_t);
    h_t = ω_t ⊙ tanh(c_t) leaves at the bottom right. Rectangles are layers (a weight
    matrix, a bias and an activation); circles are elementwise operations: ⊙ (``TIMES``) is
    the elementwise product, as in the chapter's text, never × (which the source uses for
    the matrix product).
    Made to be legible at 6.4 inches wide.
    """
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    TOP, BUS, LAYER, MID = 5.4, 1.0, 2.5, 4.0      # heights of the lines and rows
    line = dict(color="0.15", lw=1.6)

    def arrow(path, **kw):
        xs, ys = zip(*path)
        if len(path) > 2:
            ax.plot(xs[:-1], ys[:-1], solid_capstyle="butt", **line)
        ax.add_artist(FancyArrowPatch(path[-2], path[-1], arrowstyle="-|>", mutation_scale=12,
                                     shrinkA=0, shrinkB=0, zorder=2, **line, **kw))

    def op(x, y, symbol, r=0.3):
        ax.add_artist(Circle((x, y), r, facecolor="#fdf3d7", edgecolor="0.15", lw=1.4, zorder=3, gid="lstm-op"))
        ax.text(x, y, symbol, ha="center", va="center", fontsize=13, zorder=4)

    def layer(x, y, name, color):
        w = 1.0 if name == "tanh" else 0.6
        ax.add_artist(FancyBboxPatch((x - w / 2, y - 0.32), w, 0.64, boxstyle="round,pad=0.02",
                                    facecolor=color, edgecolor="0.15", lw=1.4, zorder=3, gid="lstm-layer"))
        ax.text(x, y, name, ha="center", va="center", fontsize=11, zorder=4)

    ax.add_artist(FancyBboxPatch((1.3, 0.2), 9.0, 6.0, boxstyle="round,pad=0.05,rounding_size=0.3",
                                facecolor="#f4f6fb", edgecolor="0.6", lw=1.0, zorder=0))
    # the cell-state line: no layer on it, only ⊙ and +
    arrow([(0.1, TOP), (2.7, TOP)])
    op(3.0, TOP, TIMES)
    arrow([(3.3, TOP), (5.7, TOP)])
    op(6.0, TOP, "+")
    arrow([(6.3, TOP), (11.9, TOP)])
    # the hidden line and the input join into one bus that feeds the four layers
    ax.plot([0.1, 7.5], [BUS, BUS], **line)
    arrow([(2.1, -0.5), (2.1, BUS)])
    gates = [(3.0, "σ", r"$f_t$", "#d9e7f7"), (4.5, "σ", r"$i_t$", "#d9e7f7"),
             (6.0, "tanh", r"$\tilde{c}_t$", "#fde0c8"), (7.5, "σ", r"$\omega_t$", "#d9e7f7")]
    for x, name, label, color in gates:
        arrow([(x, BUS), (x, LAYER - 0.32)])
        layer(x, LAYER, name, color)
    arrow([(3.0, LAYER + 0.32), (3.0, TOP - 0.3)])                         # f_t up to ⊗
    arrow([(4.5, LAYER + 0.32), (4.5, MID), (5.7, MID)])                     # i_t to ⊗
    op(6.0, MID, TIMES)
    arrow([(6.0, LAYER + 0.32), (6.0, MID - 0.3)])                           # c̃_t up to ⊗
    arrow([(6.0, MID + 0.3), (6.0, TOP - 0.3)])                              # i_t ⊙ c̃_t up to ⊕
    # h_t = ω_t ⊙ tanh(c_t): the tanh here has no weights, so it is drawn like an operation
    ax.add_artist(FancyBboxPatch((8.6, MID - 0.28), 1.0, 0.56, boxstyle="round,pad=0.02,rounding_size=0.25",
                                facecolor="#fdf3d7", edgecolor="0.15", lw=1.4, zorder=3, gid="lstm-op"))
    ax.text(9.1, MID, "tanh", ha="center", va="center", fontsize=11, zorder=4)
    arrow([(9.1, TOP), (9.1, MID + 0.28)])
    op(9.1, LAYER, TIMES)
    arrow([(9.1, MID - 0.28), (9.1, LAYER + 0.3)])
    arrow([(7.8, LAYER), (8.8, LAYER)])                                      # ω_t to ⊗
    arrow([(9.1, LAYER - 0.3), (9.1, BUS), (11.9, BUS)])
    # labels
    big = dict(fontsize=12, va="center")
    ax.text(0.05, TOP + 0.35, r"$c_{t-1}$", ha="left", **big)
    ax.text(11.95, TOP + 0.35, r"$c_t$", ha="right", **big)
    ax.text(0.05, BUS + 0.35, r"$h_{t-1}$", ha="left", **big)
    ax.text(11.95, BUS + 0.35, r"$h_t$", ha="right", **big)
    ax.text(2.1, -0.75, r"$x_t$", ha="center", **big)
    for x, _, label, _ in gates[:3]:
        ax.text(x + 0.12, LAYER + 0.62, label, ha="left", **big)
    ax.text(8.3, LAYER + 0.3, r"$\omega_t$", ha="center", **big)
    ax.text(6.3, MID + 0.6, r"$i_t \odot \tilde{c}_t$", ha="left", fontsize=10, va="center")
    ax.text(9.35, (MID + LAYER) / 2 + 0.1, r"$\tanh(c_t)$", ha="left", fontsize=10, va="center")
    ax.text(6.9, TOP + 0.45, "cell state: no layer on this line", ha="center", fontsize=9, color="0.3")
    ax.text(5.0, BUS - 0.3, r"$[x_t;\, h_{t-1}]$ feeds all four layers", ha="center", fontsize=9,
            color="0.3", va="top")
    ax.text(11.95, -0.55, "rectangles: layers (weights, bias, activation)\n"
            "circles and rounded tanh: elementwise operations", ha="right", va="center", fontsize=8, color="0.3")
    ax.set_xlim(-0.1, 12.1)
    ax.set_ylim(-1.0, 6.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


# --- chapter 2: structures ---
from matplotlib.patches import FancyBboxPatch  # noqa: E402

#: The eight structures of chapter 2, in the chapter's order ("many-to-many" is the synced one).
STRUCTURES = ("one-to-one", "many-to-one", "one-to-many", "many-to-many",
              "encoder-decoder", "bidirectional", "deep", "deep-bidirectional")
BACKWARD_FILL = "#e6dcf5"        # states of the RNN that runs backwards in time
BACKWARD_COLOR = "#6a3d9a"       # its recurrent arrows
_SDX, _SDY = 1.8, 1.6            # column and row spacing of the structure diagrams
_PR = 0.3                        # node radius inside a bidirectional pair
_PAIR_W, _PAIR_H = 1.55, 1.15    # the box around the pair [forward state ; backward state]


def structure_graph(kind, T=3):
    """The nodes and dataflow edges of one chapter-2 structure, as plain data (chapter 2).

    Returns (nodes, edges, pairs):
      nodes  {name: (x, y, label, role)} with role "x" (input), "s" (state), "sb" (state of
             the backward-running RNN) or "o" (output); labels are mathtext.
      edges  [(a, b), ...]: node a feeds node b.
      pairs  {name: (x, y, (forward, backward))}: the two states of one bidirectional layer at
             one step; they are concatenated before they feed the layer or output above.
    T is the number of input steps (one-to-one ignores it; the decoder of "encoder-decoder"
    emits max(T - 1, 1) outputs, to show that the two lengths need not match).
    """
    if kind not in STRUCTURES:
        raise ValueError(f"kind must be one of {list(STRUCTURES)}, got {kind!r}")
    T = _check_T(T)
    nodes, edges, pairs = {}, [], {}
    steps = range(1, T + 1)
    col = lambda t: (t - 1) * _SDX

    def chain(names, backward=False):
        seq = list(names)[::-1] if backward else list(names)
        edges.extend(zip(seq[:-1], seq[1:]))

    def plain_layer(row, layer, below):
        """A forward layer of states at ``row``; ``below(t)`` lists the names feeding step t."""
        sup = f"^{{({layer})}}" if layer else ""
        for t in steps:
            nodes[f"s{layer}_{t}"] = (col(t), row * _SDY, rf"$s{sup}_{{{t}}}$", "s")
            edges.extend((a, f"s{layer}_{t}") for a in below(t))
        chain(f"s{layer}_{t}" for t in steps)
        return lambda t: [f"s{layer}_{t}"]

    def bi_layer(row, layer, below):       # labels carry no layer index: it does not fit the arrow
        for t in steps:
            x, y = col(t), row * _SDY
            f, b = f"f{layer}_{t}", f"b{layer}_{t}"
            nodes[f] = (x - 0.36, y + 0.22, rf"$\overrightarrow{{s}}_{{{t}}}$", "s")
            nodes[b] = (x + 0.36, y - 0.22, rf"$\overleftarrow{{s}}_{{{t}}}$", "sb")
            pairs[f"p{layer}_{t}"] = (x, y, (f, b))
            edges.extend((a, n) for a in below(t) for n in (f, b))
        chain(f"f{layer}_{t}" for t in steps)
        chain((f"b{layer}_{t}" for t in steps), backward=True)
        return lambda t: [f"f{layer}_{t}", f"b{layer}_{t}"]

    def outputs(row, top, which, label=lambda t: rf"$o_{{{t}}}$"):
        for t in which:
            nodes[f"o_{t}"] = (col(t), row * _SDY, label(t), "o")
            edges.extend((a, f"o_{t}") for a in top(t))

    def inputs(which, label=lambda t: rf"$x_{{{t}}}$"):
        for t in which:
            nodes[f"x_{t}"] = (col(t), 0.0, label(t), "x")
        return lambda t: [f"x_{t}"] if f"x_{t}" in nodes else []

    if kind == "one-to-one":
        nodes.update(x_1=(0.0, 0.0, "$x$", "x"), s_1=(0.0, _SDY, "$s$", "s"), o_1=(0.0, 2 * _SDY, "$o$", "o"))
        edges += [("x_1", "s_1"), ("s_1", "o_1")]
    elif kind in ("many-to-one", "one-to-many", "many-to-many"):
        first_only = kind == "one-to-many"
        top = plain_layer(1, "", inputs([1] if first_only else steps, (lambda t: "$x$") if first_only else
                                        (lambda t: rf"$x_{{{t}}}$")))
        if kind == "many-to-one":
            outputs(2, top, [T], lambda t: "$o$")
        else:
            outputs(2, top, steps)
    elif kind == "encoder-decoder":
        plain_layer(1, "", inputs(steps))
        T2 = max(T - 1, 1)
        for j in range(1, T2 + 1):
            x = col(T + j)
            nodes[f"y_{j}"] = (x, 0.0, rf"$y_{{{j - 1}}}$", "x")
            nodes[f"d_{j}"] = (x, _SDY, rf"$s'_{{{j}}}$", "s")
            nodes[f"o_{j}"] = (x, 2 * _SDY, rf"$o_{{{j}}}$", "o")
            edges += [(f"y_{j}", f"d_{j}"), (f"d_{j}", f"o_{j}")]
        chain([f"s_{T}"] + [f"d_{j}" for j in range(1, T2 + 1)])
    elif kind == "bidirectional":
        outputs(2, bi_layer(1, "", inputs(steps)), steps)
    elif kind == "deep":
        outputs(3, plain_layer(2, 2, plain_layer(1, 1, inputs(steps))), steps)
    else:
        outputs(3, bi_layer(2, 2, bi_layer(1, 1, inputs(steps))), steps)
    return nodes, edges, pairs


def draw_structure(ax, kind, T=3):
    """Draw one of the eight RNN structures of chapter 2 on ``ax`` and return ``ax``.

    kind: "one-to-one", "many-to-one", "one-to-many", "many-to-many" (synced: one output
    per input), "encoder-decoder", "bidirectional", "deep" (two stacked layers) or
    "deep-bidirectional". Inputs sit at the bottom, outputs on top. A bidirectional layer
    draws its forward state (orange) and backward state (purple) of each step inside one
    box: the box stands for their concatenation, which is what the layer passes up.
    T: input steps (1 to 12); legible up to T = 4 at half the notebook width.
    """
    nodes, edges, pairs = structure_graph(kind, T)
    fill = {"x": NODE_FILL["x"], "s": NODE_FILL["s"], "sb": BACKWARD_FILL, "o": NODE_FILL["o"]}
    box_of = {m: p for p, (_, _, members) in pairs.items() for m in members}
    for x, y, _ in pairs.values():
        ax.add_artist(FancyBboxPatch((x - _PAIR_W / 2, y - _PAIR_H / 2), _PAIR_W, _PAIR_H, zorder=0,
                                    boxstyle="round,pad=0,rounding_size=0.18", facecolor="0.96",
                                    edgecolor="0.55", lw=0.9))
    for name, (x, y, label, role) in nodes.items():
        small = name in box_of
        ax.add_artist(Circle((x, y), _PR if small else _R, facecolor=fill[role], edgecolor="0.25", lw=1.2, zorder=2))
        ax.text(x, y, label, ha="center", va="center", fontsize=8 if small or "^" in label else 10, zorder=3)
    drawn = set()
    for a, b in edges:
        (xa, ya, _, ra_role), (xb, yb, _, _) = nodes[a], nodes[b]
        if ya == yb:                       # along a row: from state to state
            color = BACKWARD_COLOR if ra_role == "sb" else FORWARD_COLOR
            _arrow(ax, (xa, ya), (xb, yb), ra=_PR if a in box_of else _R, rb=_PR if b in box_of else _R, color=color)
            continue
        ends = []                          # up a column: a pair acts as one box
        for n, (x, y) in ((a, (xa, ya)), (b, (xb, yb))):
            ends.append((pairs[box_of[n]][:2], _PAIR_H / 2) if n in box_of else ((x, y), _R))
        key = (ends[0][0], ends[1][0])
        if key not in drawn:
            drawn.add(key)
            _arrow(ax, ends[0][0], ends[1][0], ra=ends[0][1], rb=ends[1][1])
    xs = [v[0] for v in nodes.values()]
    ys = [v[1] for v in nodes.values()]
    bottom = min(ys) - 0.55
    if kind == "encoder-decoder":
        split = (T - 0.5) * _SDX
        ax.plot([split, split], [bottom, max(ys) + 0.4], color="0.6", lw=0.8, ls=":")
        ax.text((T - 1) * _SDX / 2, bottom - 0.15, "encoder", ha="center", va="top", fontsize=9)
        ax.text(split + (max(xs) - split) / 2 + 0.45, bottom - 0.15, "decoder", ha="center", va="top", fontsize=9)
        bottom -= 0.6
    left = min(xs) - 0.8
    if kind.startswith("deep"):
        for layer in (1, 2):
            ax.text(left, layer * _SDY, f"layer {layer}", rotation=90, ha="center", va="center", fontsize=8)
        left -= 0.25
    ax.set_xlim(left, max(xs) + 0.8)
    ax.set_ylim(bottom, max(ys) + 0.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(kind, fontsize=10)
    return ax
