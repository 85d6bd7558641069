"""Chapter 7's analysis functions against independent finite-difference Jacobians."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import gradflow as gf


def fd_state_jacobian(params, X, activation, k, eps=1e-6):
    """∂s_T/∂s_k by perturbing s_k and re-running steps k+1..T with rnn_forward."""
    S, _ = rc.rnn_forward(params, X, activation)
    H = S.shape[2]
    J = np.empty((H, H))
    for i in range(H):
        cols = []
        for sign in (1, -1):
            s = S[k].copy()
            s[0, i] += sign * eps
            cols.append(rc.rnn_forward(params, X[k:], activation, s0=s)[0][-1, 0])
        J[:, i] = (cols[0] - cols[1]) / (2 * eps)
    return J


@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_backward_norms_match_finite_differences(activation):
    params, X = gf.toy_rnn(1.2, 5, 0.7, 3, 8)
    H = 5
    u = np.ones(H) / np.sqrt(H)
    norms = gf.backward_norms(params, X, activation)
    jn = gf.jacobian_norms(params, X, activation)
    for k in (1, 4, 7):
        J = fd_state_jacobian(params, X, activation, k)
        assert norms[k - 1] == pytest.approx(np.linalg.norm(J.T @ u), rel=1e-6)
        assert jn[k - 1] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)
    assert norms[-1] == pytest.approx(1.0) and jn[-1] == pytest.approx(1.0)


def test_linear_rnn_norm_is_exactly_scale_to_the_power():
    r = gf.gradient_norms(1.3, T=30, activation="identity", hidden_size=8)
    np.testing.assert_allclose(r["norms"], 1.3 ** (30 - r["k"]), rtol=1e-10)
    np.testing.assert_allclose(r["norms"], r["bound"], rtol=1e-10)


@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
@pytest.mark.parametrize("scale", [0.5, 1.0, 2.5])
def test_bound_holds(activation, scale):
    r = gf.gradient_norms(scale, T=40, activation=activation, hidden_size=16, input_scale=2.0, seed=1)
    assert np.all(r["norms"] <= r["bound"] * (1 + 1e-9))
    rr = gf.gradient_norms(scale, T=40, activation=activation, hidden_size=16, seed=1, residual=True)
    assert np.all(rr["norms"] <= rr["bound"] * (1 + 1e-9))


def test_errata_10_magnitudes():
    """The orders of magnitude of ERRATA item 10 (orthogonal W, T = 60)."""
    at = {a: gf.gradient_norms(1.0, T=60, activation=a)["ratio"] for a in ("sigmoid", "tanh", "relu")}
    assert at["sigmoid"] < 1e-35 and 1e-14 < at["tanh"] < 1e-8 and 1e-13 < at["relu"] < 1e-6
    at4 = {a: gf.gradient_norms(4.0, T=60, activation=a)["ratio"] for a in ("sigmoid", "tanh", "relu")}
    assert at4["sigmoid"] < 1e-8 and at4["tanh"] > 1e5 and at4["relu"] > 1e20


def test_spectral_norm_and_toy_rnn():
    params, X = gf.toy_rnn(2.5, 6, 1.0, 0, 10)
    assert gf.spectral_norm(params["W"]) == pytest.approx(2.5)
    assert np.allclose(np.abs(np.linalg.eigvals(params["W"])), 2.5)     # spectral radius too
    assert X.shape == (10, 1, 6)
    with pytest.raises(ValueError, match="scale must be a finite number >= 0"):
        gf.toy_rnn(np.nan, 6, 1.0, 0, 10)


def test_lstm_gradient_norms_match_finite_differences():
    r = gf.lstm_gradient_norms(1.0, T=6, hidden_size=3, seed=2)
    rng = np.random.default_rng(2)                 # rebuild the same LSTM as the function does
    X = rng.standard_normal((6, 1, 3))
    p = rc.init_lstm(3, 3, 1, rng, forget_bias=0.0)
    p["b"][3:6] = 1.0
    Hs, Cs, cache = rc.lstm_forward(p, X)
    omega = cache["gates"][:, :, 9:12]          # the output gate ω_t, rows [3H:4H]
    u = np.ones(3) / np.sqrt(3)
    k = 2
    g = np.empty(3)
    for i in range(3):
        vals = []
        for sign in (1, -1):
            c = Cs[k].copy()
            c[0, i] += sign * 1e-6
            h = omega[k - 1] * np.tanh(c)              # h_k moves with c_k: a total derivative
            vals.append(u @ rc.lstm_forward(p, X[k:], h0=h, c0=c)[0][-1, 0])
        g[i] = (vals[0] - vals[1]) / 2e-6
    assert r["cell"][k - 1] == pytest.approx(np.linalg.norm(g), rel=1e-6)


def test_forget_bias_keeps_the_cell_gradient_alive():
    low, high = gf.lstm_gradient_norms(-2.0, T=60), gf.lstm_gradient_norms(5.0, T=60)
    assert high["cell"][0] > 1e3 * low["cell"][0]
    assert high["mean_forget"] > 0.95 > low["mean_forget"]


def test_gradient_bound_formula():
    np.testing.assert_allclose(gf.gradient_bound(2.0, "sigmoid", [0, 1, 2]), [1, 0.5, 0.25])
    np.testing.assert_allclose(gf.gradient_bound(2.0, "tanh", [0, 3], residual=True), [1, 27])
