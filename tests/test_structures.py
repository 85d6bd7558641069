"""rnn_core.structures (chapter 2): every structure's gradient against central differences, and
many-to-one truncation against the frozen-window definition."""
import numpy as np
import pytest

import rnn_core as rc
from oracles import frozen_window_loss, softmax_ce, targets

TOL = 1e-6
st = rc.structures


@pytest.mark.parametrize("output", rc.OUTPUTS)
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_many_to_one(cell, output):
    rng = np.random.default_rng(10)
    T, B, D, H, K = 6, 3, 2, 4, 3
    p = rc.init_lstm(D, H, K, rng) if cell == "lstm" else rc.init_rnn(D, H, K, rng)
    X = rng.standard_normal((T, B, D))
    y = targets(output, 1, B, K, rng)[0]
    assert rc.gradient_check(lambda q: st.many_to_one_loss_and_grads(q, X, y, output=output, cell=cell), p) < TOL
    logits = st.many_to_one_logits(p, X, cell=cell)
    assert logits.shape == (B, K)


@pytest.mark.parametrize("k", [1, 3, 5, 6])
def test_many_to_one_truncation_against_the_frozen_window(k):
    """One loss at step T, with s_{T-k} frozen: the truncated many-to-one gradient."""
    rng = np.random.default_rng(10 + k)
    T, B, D, H, K = 6, 2, 3, 4, 3
    p0 = rc.init_rnn(D, H, K, rng, w_scale=1.5)
    X, y = rng.standard_normal((T, B, D)), rng.integers(0, K, B)
    got = st.many_to_one_loss_and_grads(p0, X, y, truncate=k).grads
    F = lambda q: frozen_window_loss(q, p0, X, lambda t, s: softmax_ce(q, s, y) / B if t == T else 0.0, k)
    want = rc.numerical_gradient(F, {n: v.copy() for n, v in p0.items()})
    for name in p0:
        assert rc.relative_error(got[name], want[name]) < TOL, name


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_one_to_many(activation):
    rng = np.random.default_rng(12)
    p = rc.init_rnn(3, 4, 3, rng)
    x, Y = rng.standard_normal((2, 3)), rng.integers(0, 3, (5, 2))
    assert rc.gradient_check(lambda q: st.one_to_many_loss_and_grads(q, x, Y, 5, activation), p) < TOL
    X = st.one_to_many_inputs(x, 5)
    assert np.array_equal(X[0], x) and not X[1:].any()


@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_bidirectional(output):
    rng = np.random.default_rng(13)
    T, B, D, H, K = 5, 2, 3, 4, 3
    p = st.init_birnn(D, H, K, rng)
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    assert rc.gradient_check(lambda q: st.birnn_loss_and_grads(q, X, Y, "tanh", output), p) < TOL


def test_bidirectional_backward_state_reads_the_future():
    """s←_t depends on x_t..x_T only: changing x_T changes s←_1, changing x_1 leaves s←_T alone."""
    rng = np.random.default_rng(14)
    p = st.init_birnn(2, 3, 2, rng)
    X = rng.standard_normal((4, 1, 2))
    states, _ = st.birnn_forward(p, X)
    Y = X.copy()
    Y[0] += 1.0
    changed, _ = st.birnn_forward(p, Y)
    assert np.array_equal(states[-1, :, 3:], changed[-1, :, 3:])     # s←_T ignores x_1
    assert not np.allclose(states[-1, :, :3], changed[-1, :, :3])    # s→_T does not


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_deep(n_layers, bidirectional):
    rng = np.random.default_rng(14)
    T, B, D, H, K = 4, 2, 3, 3, 2
    p = st.init_deep_rnn(D, H, K, n_layers, rng, bidirectional=bidirectional)
    X, Y = rng.standard_normal((T, B, D)), rng.integers(0, K, (T, B))
    f = lambda q: st.deep_rnn_loss_and_grads(q, X, Y, n_layers, bidirectional=bidirectional)
    assert rc.gradient_check(f, p) < TOL


def _seq2seq_params(rng, H=4, K=3):
    enc, dec = rc.init_rnn(3, H, K, rng), rc.init_rnn(2, H, K, rng)
    return dict(U_enc=enc["U"], W_enc=enc["W"], b_enc=enc["b"], U_dec=dec["U"], W_dec=dec["W"], b_dec=dec["b"],
                V=dec["V"], c=dec["c"])


def test_seq2seq():
    rng = np.random.default_rng(15)
    p = _seq2seq_params(rng)
    Xe, Xd, Y = rng.standard_normal((5, 2, 3)), rng.standard_normal((4, 2, 2)), rng.integers(0, 3, (4, 2))
    assert rc.gradient_check(lambda q: st.seq2seq_loss_and_grads(q, Xe, Xd, Y), p) < TOL


def test_seq2seq_with_different_batches_names_the_inputs():
    rng = np.random.default_rng(16)
    p = _seq2seq_params(rng)
    with pytest.raises(ValueError, match=r"X_enc and X_dec must hold the same number of sequences"):
        st.seq2seq_loss_and_grads(p, rng.standard_normal((5, 2, 3)), rng.standard_normal((4, 3, 2)),
                                  rng.integers(0, 3, (4, 3)))


def test_many_to_one_names_y():
    rng = np.random.default_rng(17)
    p = rc.init_rnn(2, 3, 2, rng)
    X = rng.standard_normal((4, 3, 2))
    with pytest.raises(ValueError, match=r"y must have shape \(B,\) with B = 3 .* got shape \(4, 3\)"):
        st.many_to_one_loss_and_grads(p, X, rng.integers(0, 2, (4, 3)))
    with pytest.raises(ValueError, match=r"y must hold class ids in \[0, 1\]"):
        st.many_to_one_loss_and_grads(p, X, np.array([0, 1, 5]))
    with pytest.raises(ValueError, match="cell='lstm' takes no truncate"):
        st.many_to_one_loss_and_grads(rc.init_lstm(2, 3, 2, rng), X, np.array([0, 1, 1]), cell="lstm", truncate=2)
