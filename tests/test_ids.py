"""Integer ids as inputs (rnn.check_inputs): X (T, B) ids stands for the one-hot vectors e_{X[t, b]}.

U e_v is column v of U, so the forward pass with ids is a lookup that must give *exactly* the
states of the one-hot product (every other term of that product is an exact zero). The gradient of
the input matrix sums the same δ rows in another order, so it agrees to rounding; both are also
checked against finite differences, through the one-hot inputs, in test_gradcheck.py's style.
"""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import text

CELLS = {
    "rnn": (lambda D, H, K, rng: rc.init_rnn(D, H, K, rng), "U"),
    "lstm": (lambda D, H, K, rng: rc.init_lstm(D, H, K, rng), "Wx"),
    "gru": (lambda D, H, K, rng: rc.init_gru(D, H, K, rng), "Wx"),
}


def loss_and_grads(cell, params, X, Y, h0=None):
    if cell == "rnn":
        return rc.rnn_loss_and_grads(params, X, Y, s0=h0)
    if cell == "lstm":
        return rc.lstm_loss_and_grads(params, X, Y, h0=h0)
    return rc.gru_loss_and_grads(params, X, Y, h0=h0)


def forward_states(cell, params, X):
    if cell == "rnn":
        return rc.rnn_forward(params, X)[0]
    if cell == "lstm":
        return rc.lstm_forward(params, X)[0]
    return rc.gru_forward(params, X)[0]


def problem(seed, cell, T=7, B=5, V=6, H=4):
    rng = np.random.default_rng(seed)
    init, _ = CELLS[cell]
    params = init(V, H, V, rng)
    ids = rng.integers(0, V, (T, B))
    ids[0, 0], ids[1, 0] = 0, V - 1                                  # both ends of the vocabulary occur
    return rng, params, ids, rng.integers(0, V, (T, B))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_ids_give_exactly_the_one_hot_states(cell, seed):
    _, params, ids, _ = problem(seed, cell)
    V = params["V"].shape[0]
    with_ids = forward_states(cell, params, ids)
    with_vectors = forward_states(cell, params, rc.data.one_hot(ids, V))
    assert np.array_equal(with_ids, with_vectors)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_ids_give_the_one_hot_loss_and_gradients(cell, seed):
    rng, params, ids, Y = problem(seed, cell)
    V = params["V"].shape[0]
    a = loss_and_grads(cell, params, ids, Y)
    b = loss_and_grads(cell, params, rc.data.one_hot(ids, V), Y)
    assert a.loss == b.loss
    for k in params:
        np.testing.assert_allclose(a.grads[k], b.grads[k], rtol=0, atol=1e-14 * np.max(np.abs(b.grads[k])))
    _, name = CELLS[cell]
    unused = np.setdiff1d(np.arange(V), ids)
    assert np.all(a.grads[name][:, unused] == 0.0)                  # a character that never occurs gets no gradient


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_the_input_matrix_gradient_with_ids_matches_finite_differences(cell):
    rng, params, ids, Y = problem(7, cell, T=5, B=3)
    _, name = CELLS[cell]
    grad = loss_and_grads(cell, params, ids, Y).grads[name]
    eps = 1e-6
    for i, j in [(0, ids[0, 0]), (1, ids[2, 1]), (params[name].shape[0] - 1, ids[4, 2])]:
        bumped = {k: v.copy() for k, v in params.items()}
        bumped[name][i, j] += eps
        up = loss_and_grads(cell, bumped, ids, Y).loss
        bumped[name][i, j] -= 2 * eps
        down = loss_and_grads(cell, bumped, ids, Y).loss
        fd = (up - down) / (2 * eps)
        assert abs(fd - grad[i, j]) <= 1e-7 * max(1.0, abs(fd)), (i, j, fd, grad[i, j])


def test_the_char_lm_chunks_are_the_same_characters_as_ids_or_vectors():
    streams = text.batchify(np.arange(40) % 7, 3)
    for (Xi, Yi), (Xv, Yv) in zip(text.id_chunks(streams, 4), text.lm_chunks(streams, 4, 7), strict=True):
        assert np.array_equal(rc.data.one_hot(Xi, 7), Xv) and np.array_equal(Yi, Yv)


@pytest.mark.parametrize("bad, match", [
    (np.array([[0, 6]]),
     r"X as integer ids \(T, B\) must hold ids in \[0, 5\] \(the input size is D = 6\), got values from 0 to 6"),
    (np.array([[-1, 2]]), r"ids in \[0, 5\].*got values from -1 to 2"),
    (np.zeros((3, 2)), r"X must have shape \(\?, \?, 6\), got shape \(3, 2\)"),   # floats (T, B): not ids
    (np.zeros((0, 2), dtype=int), r"X must hold at least one time step"),
])
def test_bad_ids_are_refused_by_name(bad, match):
    params = rc.init_rnn(6, 3, 6, np.random.default_rng(0))
    with pytest.raises(ValueError, match=match):
        rc.rnn_forward(params, bad)


def test_id_chunks_refuses_streams_that_are_not_ids():
    with pytest.raises(ValueError, match=r"streams must be integer ids of shape \(N, B\)"):
        next(text.id_chunks(np.zeros((5, 2)), 3))
