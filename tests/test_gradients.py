"""Every backward pass against central finite differences in float64 (relative error <= 1e-6)."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import structures as st
from rnn_core.data import adding_problem

TOL = 1e-6


def targets(output, T, B, K, rng):
    if output == "softmax":
        return rng.integers(0, K, (T, B))
    if output == "sigmoid":
        return rng.integers(0, 2, (T, B, K)).astype(float)
    return rng.standard_normal((T, B, K))


def random_shapes(seed):
    rng = np.random.default_rng(seed)
    T, B, D, H, K = (int(rng.integers(lo, hi)) for lo, hi in ((1, 7), (1, 4), (1, 5), (1, 6), (1, 4)))
    return rng, T, B, D, H, K


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("output", rc.OUTPUTS)
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_rnn_exact_bptt(activation, output, seed):
    rng, T, B, D, H, K = random_shapes(seed)
    K = max(K, 2)
    p = rc.init_rnn(D, H, K, rng)
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    s0 = 0.5 * rng.standard_normal((B, H))
    err = rc.gradient_check(lambda q: rc.rnn_loss_and_grads(q, X, Y, activation, output, s0=s0), p)
    assert err < TOL


@pytest.mark.parametrize("truncate", [1, 2, 3, 5])
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_rnn_truncated_equals_exact_when_k_covers_sequence(activation, truncate):
    rng = np.random.default_rng(truncate)
    T, B, D, H, K = truncate, 2, 3, 4, 3
    p = rc.init_rnn(D, H, K, rng)
    X, Y = rng.standard_normal((T, B, D)), rng.integers(0, K, (T, B))
    _, exact = rc.rnn_loss_and_grads(p, X, Y, activation)
    for k in (truncate, truncate + 1, 100):
        _, trunc = rc.rnn_loss_and_grads(p, X, Y, activation, truncate=k)
        for name in exact:
            np.testing.assert_allclose(trunc[name], exact[name], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
@pytest.mark.parametrize("residual", [False, True])
def test_residual_and_s0_gradient(activation, residual):
    rng = np.random.default_rng(7)
    T, B, D, H = 5, 2, 3, 4
    p = {k: v for k, v in rc.init_rnn(D, H, 2, rng).items() if k in "UWb"}
    X = rng.standard_normal((T, B, D))
    G = rng.standard_normal((T, B, H))          # L = Σ G ⊙ S[1:], so dS = G

    def f(q):
        S, cache = rc.rnn_forward(q, X, activation, s0=q["s0"], residual=residual)
        grads, ds0 = rc.rnn_backward(G, cache)
        return float(np.sum(G * S[1:])), dict(grads, s0=ds0)

    assert rc.gradient_check(f, dict(p, s0=0.3 * rng.standard_normal((B, H)))) < TOL


def test_dX_of_rnn_backward():
    rng = np.random.default_rng(8)
    p = {k: v for k, v in rc.init_rnn(3, 4, 2, rng).items() if k in "UWb"}
    G = rng.standard_normal((5, 2, 4))

    def f(q):
        S, cache = rc.rnn_forward(p, q["X"], "tanh")
        _, _, dX = rc.rnn_backward(G, cache, return_dX=True)
        return float(np.sum(G * S[1:])), dict(X=dX)

    assert rc.gradient_check(f, dict(X=rng.standard_normal((5, 2, 3)))) < TOL


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_lstm(output, seed):
    rng, T, B, D, H, K = random_shapes(seed)
    K = max(K, 2)
    p = rc.init_lstm(D, H, K, rng, forget_bias=float(seed))
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    h0, c0 = rng.standard_normal((B, H)), rng.standard_normal((B, H))
    assert rc.gradient_check(lambda q: rc.lstm_loss_and_grads(q, X, Y, output, h0=h0, c0=c0), p) < TOL


def test_lstm_initial_state_and_cell_gradients():
    rng = np.random.default_rng(9)
    T, B, D, H = 4, 2, 3, 3
    p = {k: v for k, v in rc.init_lstm(D, H, 1, rng).items() if k in ("Wx", "Wh", "b")}
    X = rng.standard_normal((T, B, D))
    GH, GC = rng.standard_normal((T, B, H)), rng.standard_normal((T, B, H))

    def f(q):
        Hs, Cs, cache = rc.lstm_forward(q, X, h0=q["h0"], c0=q["c0"])
        grads, dh0, dc0 = rc.lstm_backward(GH, cache, dC=GC)
        return float(np.sum(GH * Hs[1:]) + np.sum(GC * Cs[1:])), dict(grads, h0=dh0, c0=dc0)

    assert rc.gradient_check(f, dict(p, h0=rng.standard_normal((B, H)), c0=rng.standard_normal((B, H)))) < TOL


@pytest.mark.parametrize("output", rc.OUTPUTS)
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_many_to_one(cell, output):
    rng = np.random.default_rng(10)
    T, B, D, H, K = 6, 3, 2, 4, 3
    p = rc.init_lstm(D, H, K, rng) if cell == "lstm" else rc.init_rnn(D, H, K, rng)
    X = rng.standard_normal((T, B, D))
    y = targets(output, 1, B, K, rng)[0]
    assert rc.gradient_check(lambda q: st.many_to_one_loss_and_grads(q, X, y, "tanh", output, cell=cell), p) < TOL


def test_many_to_one_on_the_adding_problem():
    rng = np.random.default_rng(11)
    X, y = adding_problem(4, 12, rng)
    p = rc.init_lstm(2, 5, 1, rng)
    assert rc.gradient_check(lambda q: st.many_to_one_loss_and_grads(q, X, y, output="identity", cell="lstm"), p) < TOL


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_one_to_many(activation):
    rng = np.random.default_rng(12)
    p = rc.init_rnn(3, 4, 3, rng)
    x, Y = rng.standard_normal((2, 3)), rng.integers(0, 3, (5, 2))
    assert rc.gradient_check(lambda q: st.one_to_many_loss_and_grads(q, x, Y, 5, activation), p) < TOL


@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_bidirectional(output):
    rng = np.random.default_rng(13)
    T, B, D, H, K = 5, 2, 3, 4, 3
    p = st.init_birnn(D, H, K, rng)
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    assert rc.gradient_check(lambda q: st.birnn_loss_and_grads(q, X, Y, "tanh", output), p) < TOL


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_deep(n_layers, bidirectional):
    rng = np.random.default_rng(14)
    T, B, D, H, K = 4, 2, 3, 3, 2
    p = st.init_deep_rnn(D, H, K, n_layers, rng, bidirectional=bidirectional)
    X, Y = rng.standard_normal((T, B, D)), rng.integers(0, K, (T, B))
    f = lambda q: st.deep_rnn_loss_and_grads(q, X, Y, n_layers, bidirectional=bidirectional)
    assert rc.gradient_check(f, p) < TOL


def test_seq2seq():
    rng = np.random.default_rng(15)
    H, K = 4, 3
    enc, dec = rc.init_rnn(3, H, K, rng), rc.init_rnn(2, H, K, rng)
    p = dict(U_enc=enc["U"], W_enc=enc["W"], b_enc=enc["b"], U_dec=dec["U"], W_dec=dec["W"], b_dec=dec["b"],
             V=dec["V"], c=dec["c"])
    Xe, Xd, Y = rng.standard_normal((5, 2, 3)), rng.standard_normal((4, 2, 2)), rng.integers(0, K, (4, 2))
    assert rc.gradient_check(lambda q: st.seq2seq_loss_and_grads(q, Xe, Xd, Y), p) < TOL


def test_gradient_check_detects_a_wrong_gradient():
    """The checker itself can fail: a gradient off by 1 % in one parameter is caught."""
    rng = np.random.default_rng(16)
    p = rc.init_rnn(3, 4, 3, rng)
    X, Y = rng.standard_normal((5, 2, 3)), rng.integers(0, 3, (5, 2))

    def wrong(q):
        loss, g = rc.rnn_loss_and_grads(q, X, Y)
        return loss, dict(g, W=g["W"] * 1.01)

    errors = rc.gradient_check(wrong, p, per_parameter=True)
    assert errors["W"] > 1e-3 and max(v for k, v in errors.items() if k != "W") < TOL
