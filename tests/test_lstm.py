"""rnn_core.lstm (chapter 4): the cell against a plain loop of its equations, and its backward
pass against central differences."""
import numpy as np
import pytest

import rnn_core as rc
from oracles import targets

TOL = 1e-6


def loop(p, X, h, c):
    """The chapter's equations, one step at a time, gates in PyTorch's order i, f, c̃, ω."""
    H = p["Wh"].shape[1]
    sig = lambda z: 1 / (1 + np.exp(-z))
    hs, cs = [h], [c]
    for x in X:
        z = x @ p["Wx"].T + h @ p["Wh"].T + p["b"]
        i, f, g, o = sig(z[:, :H]), sig(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sig(z[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs), np.stack(cs)


def test_forward_and_step_equal_the_equations():
    rng = np.random.default_rng(0)
    p = rc.init_lstm(3, 4, 2, rng)
    X, h0, c0 = rng.standard_normal((6, 2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    Hs, Cs, _ = rc.lstm_forward(p, X, h0, c0)
    want_h, want_c = loop(p, X, h0, c0)
    np.testing.assert_allclose(Hs, want_h, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Cs, want_c, rtol=1e-12, atol=1e-14)
    h, c = rc.lstm.lstm_step(p, X[0], (h0, c0))
    np.testing.assert_allclose(h, want_h[1], rtol=1e-12)
    np.testing.assert_allclose(c, want_c[1], rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_loss_and_grads_against_finite_differences(output, seed):
    rng = np.random.default_rng(seed)
    T, B, D, H, K = 1 + seed * 2, 2, 3, 4, 3
    p = rc.init_lstm(D, H, K, rng, forget_bias=float(seed))
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    h0, c0 = rng.standard_normal((B, H)), rng.standard_normal((B, H))
    assert rc.gradient_check(lambda q: rc.lstm_loss_and_grads(q, X, Y, output, h0=h0, c0=c0), p) < TOL


def test_initial_state_cell_inputs_and_deltas():
    """dstate0 = (∂L/∂h_0, ∂L/∂c_0), dC's path, and deltas @ Wx = ∂L/∂X."""
    rng = np.random.default_rng(9)
    T, B, D, H = 4, 2, 3, 3
    p = {k: v for k, v in rc.init_lstm(D, H, 1, rng).items() if k in ("Wx", "Wh", "b")}
    GH, GC = rng.standard_normal((T, B, H)), rng.standard_normal((T, B, H))

    def f(q):
        Hs, Cs, cache = rc.lstm_forward(q, q["X"], h0=q["h0"], c0=q["c0"])
        back = rc.lstm_backward(GH, cache, dC=GC)
        dh0, dc0 = back.dstate0
        return (float(np.sum(GH * Hs[1:]) + np.sum(GC * Cs[1:])),
                dict(back.grads, h0=dh0, c0=dc0, X=back.deltas @ q["Wx"]))

    start = dict(p, h0=rng.standard_normal((B, H)), c0=rng.standard_normal((B, H)), X=rng.standard_normal((T, B, D)))
    assert rc.gradient_check(f, start) < TOL


def test_the_sweep_carries_the_cell_gradient_through_the_forget_gates():
    """With Wh = 0, ∂L/∂c_{t-1} = ∂L/∂c_t ⊙ f_t exactly (the cell path of chapter 4)."""
    rng = np.random.default_rng(2)
    p = rc.init_lstm(2, 3, 1, rng)
    p["Wh"][:] = 0.0
    _, _, cache = rc.lstm_forward(p, rng.standard_normal((5, 1, 2)))
    dC = np.zeros((5, 1, 3))
    dC[-1] = 1.0
    sweep = rc.lstm.lstm_backward_sweep(np.zeros((5, 1, 3)), cache, dC=dC)
    f = cache["gates"][:, :, 3:6]
    np.testing.assert_allclose(sweep.dc_total[:-1], sweep.dc_total[1:] * f[1:], rtol=1e-12)
    np.testing.assert_allclose(sweep.dc0, sweep.dc_total[0] * f[0], rtol=1e-12)


def test_forget_bias_is_added_to_the_forget_block_only():
    a = rc.init_lstm(2, 3, 1, np.random.default_rng(4), forget_bias=0.0)
    b = rc.init_lstm(2, 3, 1, np.random.default_rng(4), forget_bias=2.5)
    np.testing.assert_allclose(b["b"] - a["b"], [0, 0, 0, 2.5, 2.5, 2.5, 0, 0, 0, 0, 0, 0])
    assert rc.lstm.gate_slices(3)["forget"] == slice(3, 6)
