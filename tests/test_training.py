"""Clipping, optimisers, training loops and character-model helpers."""
import ast
import inspect

import numpy as np
import pytest

import rnn_core as rc
from rnn_core import bptt, losses, lstm, optim, rnn, text, training


def test_clip_by_value_clamps_each_entry():
    g = {"W": np.array([[-3.0, 0.5], [2.0, -0.1]])}
    out = rc.clip_by_value(g, 1.0)
    assert out["W"].tolist() == [[-1.0, 0.5], [1.0, -0.1]]
    assert g["W"][0, 0] == -3.0                      # the input is untouched


def test_clip_by_global_norm_rescales_all_parameters_together():
    g = {"U": np.array([3.0]), "W": np.array([4.0])}   # global norm 5
    out, norm = rc.clip_by_global_norm(g, 1.0)
    assert norm == pytest.approx(5.0)
    assert out["U"][0] == pytest.approx(0.6) and out["W"][0] == pytest.approx(0.8)
    same, norm2 = rc.clip_by_global_norm(g, 10.0)
    assert norm2 == pytest.approx(5.0) and same["U"][0] == 3.0


def test_optimisers_first_steps_follow_their_formulas():
    g = {"w": np.array([2.0, -0.5])}
    p = {"w": np.array([1.0, 1.0])}
    optim.SGD(0.1).step(p, g)
    np.testing.assert_allclose(p["w"], [0.8, 1.05])
    p = {"w": np.array([1.0, 1.0])}
    opt = optim.Adagrad(0.1, eps=0.0 + 1e-300)
    opt.step(p, g)                                   # first step: lr · g / |g|
    np.testing.assert_allclose(p["w"], [0.9, 1.1])
    opt.step(p, g)                                   # second: lr · g / sqrt(2 g²)
    np.testing.assert_allclose(p["w"], [0.9 - 0.1 / np.sqrt(2), 1.1 + 0.1 / np.sqrt(2)])
    p = {"w": np.array([1.0, 1.0])}
    optim.Adam(0.01, eps=1e-300).step(p, g)          # bias-corrected first step: lr · sign(g)
    np.testing.assert_allclose(p["w"], [0.99, 1.01])


def test_optimisers_reject_mismatched_grads():
    with pytest.raises(ValueError, match=r"grads\['w'\] has shape \(3,\), expected \(2,\)"):
        optim.Adam().step({"w": np.zeros(2)}, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match="grads is missing 'w'"):
        optim.SGD().step({"w": np.zeros(2)}, {})
    with pytest.raises(ValueError, match="lr must be a positive"):
        optim.Adam(lr=0)


def test_fit_learns_delayed_recall_and_logs(capsys):
    rng = np.random.default_rng(0)
    p = rc.init_rnn(4, 16, 4, rng)

    def step(params, i):
        X, Y = rc.data.delayed_recall(16, 8, 1, 3, rng)
        return rc.rnn_loss_and_grads(params, X, Y)

    hist = training.fit(step, p, optim.Adam(0.02), 300, clip_norm=5.0, log_every=100)
    assert hist["loss"][-20:].mean() < 0.2 * hist["loss"][:20].mean()
    assert capsys.readouterr().out.count("loss") == 3
    assert hist["grad_norm"].shape == (300,)


class Frozen:
    def step(self, params, grads):
        pass


def test_stateful_tbptt_carries_the_state_exactly():
    """With frozen parameters, chunked forward passes reproduce one long forward pass."""
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 5, 103)
    streams = text.batchify(ids, 3)                  # (34, 3)
    p = rc.init_rnn(5, 6, 5, rng)
    losses, last = training.stateful_tbptt(p, text.lm_chunks(streams, 7, 5), Frozen())
    X = rc.data.one_hot(streams[:-1], 5)
    S, _ = rc.rnn_forward(p, X)
    np.testing.assert_allclose(last, S[-1], rtol=1e-12)
    full, _ = rc.rnn_loss_and_grads(p, X, streams[1:])
    assert np.sum(losses * np.array([7, 7, 7, 7, 5])) == pytest.approx(full)


def test_text_helpers():
    chars, index = text.build_vocab("abca")
    ids = text.encode("cab", index)
    assert chars == ["a", "b", "c"] and ids.tolist() == [2, 0, 1] and text.decode(ids, chars) == "cab"
    s = text.batchify(np.arange(10), 3)
    assert s.tolist() == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    chunks = list(text.lm_chunks(s, 2, 10))
    assert [c[0].shape for c in chunks] == [(2, 3, 10)]
    assert chunks[0][1].tolist() == [[1, 4, 7], [2, 5, 8]]
    p = rc.init_rnn(3, 4, 3, np.random.default_rng(0))
    out = text.sample(p, 1, 20, np.random.default_rng(0))
    assert out.shape == (20,) and out[0] == 1 and set(out) <= {0, 1, 2}


def loops_in(fn):
    tree = ast.parse(inspect.getsource(fn))
    return sum(isinstance(node, (ast.For, ast.While)) for node in ast.walk(tree))


@pytest.mark.parametrize("fn, n", [
    (rnn.rnn_forward, 1), (bptt._exact, 1), (bptt._truncated, 1), (bptt._weight_grads, 0),
    (bptt.rnn_loss_and_grads, 0), (bptt.rnn_backward, 1), (losses.output_loss, 0),
    (lstm.lstm_forward, 1), (lstm.lstm_backward_sweep, 1), (lstm.lstm_backward, 1), (lstm.lstm_loss_and_grads, 0),
])
def test_only_the_recurrence_is_a_python_loop(fn, n):
    """Projections, softmax and weight gradients are array operations over all T steps.

    The one loop of rnn_backward and lstm_backward runs over the few gradients to check them for overflow.
    """
    assert loops_in(fn) == n
