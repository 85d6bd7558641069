"""Headless tests of the chapter 2 structure diagrams (diagrams.structure_graph, draw_structure).

The graph tests check what each structure means (which outputs can depend on which
inputs), so a wrong edge fails even if the picture looks plausible.
"""

import matplotlib.colors as mcolors
import pytest
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from rnn_core.book import diagrams


def reach(edges, start):
    """Every node reachable from ``start`` along the edges (start excluded)."""
    seen, todo = set(), [start]
    while todo:
        n = todo.pop()
        for a, b in edges:
            if a == n and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def names(nodes, role):
    return sorted((n for n, v in nodes.items() if v[3] == role), key=lambda n: nodes[n][0])




@pytest.mark.parametrize("kind", diagrams.STRUCTURES)
@pytest.mark.parametrize("T", [1, 3, 4])
def test_every_structure_draws_each_node_once(ax, kind, T):
    nodes, edges, pairs = diagrams.structure_graph(kind, T)
    assert diagrams.draw_structure(ax, kind, T=T) is ax
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == len(nodes)
    assert sorted(t.get_text() for t in ax.texts if t.get_text().startswith("$")) == \
        sorted(v[2] for v in nodes.values())
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == len(pairs)
    assert ax.get_title() == kind
    for a, b in edges:
        assert a in nodes and b in nodes


@pytest.mark.parametrize("kind", ["bidirectional", "deep-bidirectional"])
def test_backward_chain_arrows_point_left_in_purple(ax, kind):
    nodes, edges, _ = diagrams.structure_graph(kind, 4)
    back = [(a, b) for a, b in edges if nodes[a][3] == nodes[b][3] == "sb" and nodes[a][1] == nodes[b][1]]
    assert back and all(nodes[a][0] > nodes[b][0] for a, b in back)
    diagrams.draw_structure(ax, kind, T=4)
    purple = mcolors.to_rgba(diagrams.BACKWARD_COLOR)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)
              and mcolors.to_rgba(p.get_edgecolor()) == purple]
    assert len(arrows) == len(back)


def test_unknown_kind_lists_the_valid_ones(ax):
    with pytest.raises(ValueError) as err:
        diagrams.draw_structure(ax, "many-to-few")
    for kind in diagrams.STRUCTURES:
        assert kind in str(err.value)


@pytest.mark.parametrize("T", [0, 13, 2.0, True])
def test_bad_T_is_rejected(T):
    with pytest.raises(ValueError, match="T must be"):
        diagrams.structure_graph("many-to-many", T)


def test_one_to_one_has_no_recurrence():
    nodes, edges, _ = diagrams.structure_graph("one-to-one", 5)
    assert len(names(nodes, "s")) == 1
    assert edges == [("x_1", "s_1"), ("s_1", "o_1")]


@pytest.mark.parametrize("T", [1, 2, 5])
def test_synced_many_to_many_is_causal(T):
    nodes, edges, _ = diagrams.structure_graph("many-to-many", T)
    xs, os_ = names(nodes, "x"), names(nodes, "o")
    assert len(xs) == len(os_) == T
    for j, x in enumerate(xs):
        after = reach(edges, x)
        assert [o in after for o in os_] == [t >= j for t in range(T)]


def test_many_to_one_has_one_output_that_sees_every_input():
    nodes, edges, _ = diagrams.structure_graph("many-to-one", 4)
    (o,) = names(nodes, "o")
    assert all(o in reach(edges, x) for x in names(nodes, "x"))


def test_one_to_many_has_one_input_that_reaches_every_output():
    nodes, edges, _ = diagrams.structure_graph("one-to-many", 4)
    (x,) = names(nodes, "x")
    assert set(names(nodes, "o")) <= reach(edges, x)
    assert len(names(nodes, "o")) == 4


@pytest.mark.parametrize("kind", ["bidirectional", "deep-bidirectional"])
def test_bidirectional_outputs_depend_on_the_whole_sequence(kind):
    nodes, edges, _ = diagrams.structure_graph(kind, 4)
    for x in names(nodes, "x"):
        assert set(names(nodes, "o")) <= reach(edges, x)
    # yet each direction alone is causal one way: the forward states never see later inputs
    first = "f_1" if kind == "bidirectional" else "f1_1"
    only_forward = [(a, b) for a, b in edges if nodes[b][3] != "sb" and nodes[a][3] != "sb"]
    assert nodes[first][3] == "s" and first not in reach(only_forward, "x_4")


def test_deep_layers_read_the_layer_below_at_the_same_step():
    nodes, edges, _ = diagrams.structure_graph("deep", 3)
    for t in (1, 2, 3):
        feeds = sorted(a for a, b in edges if b == f"s2_{t}")
        assert feeds == sorted([f"s1_{t}"] + ([f"s2_{t - 1}"] if t > 1 else []))
    nodes, edges, _ = diagrams.structure_graph("deep-bidirectional", 3)
    for t in (1, 2, 3):
        assert {a for a, b in edges if b == f"f2_{t}"} >= {f"f1_{t}", f"b1_{t}"}
        assert {a for a, b in edges if b == f"b2_{t}"} >= {f"f1_{t}", f"b1_{t}"}


def test_encoder_decoder_passes_one_state_and_lengths_differ():
    nodes, edges, _ = diagrams.structure_graph("encoder-decoder", 4)
    enc = [n for n in nodes if n.startswith("s_")]
    dec = [n for n in nodes if n.startswith("d_")]
    assert len(enc) == 4 and len(dec) == 3 == len(names(nodes, "o"))
    crossing = [(a, b) for a, b in edges if a in enc and b not in enc]
    assert crossing == [("s_4", "d_1")]
    for x in [n for n in nodes if n.startswith("x_")]:
        assert set(names(nodes, "o")) <= reach(edges, x)
