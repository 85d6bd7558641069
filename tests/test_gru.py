"""rnn_core.gru (chapter 8): the GRU in PyTorch's form against a plain loop of its equations,
and its backward pass against central differences."""
import numpy as np
import pytest

import rnn_core as rc
from oracles import targets

TOL = 1e-6


def loop(p, X, h):
    """r, z, n and h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}, with b_hn inside the reset product."""
    H = p["Wh"].shape[1]
    sig = lambda v: 1 / (1 + np.exp(-v))
    out = [h]
    for x in X:
        gx, gh = x @ p["Wx"].T + p["bx"], h @ p["Wh"].T + p["bh"]
        r, z = sig(gx[:, :H] + gh[:, :H]), sig(gx[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gx[:, 2 * H:] + r * gh[:, 2 * H:])
        h = (1 - z) * n + z * h
        out.append(h)
    return np.stack(out)


def test_forward_and_step_equal_the_equations():
    rng = np.random.default_rng(0)
    p = rc.init_gru(3, 4, 2, rng)
    X, h0 = rng.standard_normal((6, 2, 3)), rng.standard_normal((2, 4))
    Hs, _ = rc.gru_forward(p, X, h0)
    want = loop(p, X, h0)
    np.testing.assert_allclose(Hs, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(rc.gru.gru_step(p, X[0], h0), want[1], rtol=1e-12)


def test_the_update_gate_keeps_the_old_state():
    """z = 1 (a huge update bias) copies h_{t-1}; z = 0 replaces it by the candidate."""
    rng = np.random.default_rng(1)
    p = rc.init_gru(2, 3, 1, rng)
    X, h0 = rng.standard_normal((4, 1, 2)), rng.standard_normal((1, 3))
    p["bx"][3:6] = 50.0
    np.testing.assert_allclose(rc.gru_forward(p, X, h0)[0][-1], h0, atol=1e-15)
    p["bx"][3:6] = -50.0
    Hs, cache = rc.gru_forward(p, X, h0)
    np.testing.assert_allclose(Hs[1:], cache["gates"][:, :, 6:9], atol=1e-15)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_loss_and_grads_against_finite_differences(output, seed):
    rng = np.random.default_rng(seed)
    T, B, D, H, K = 1 + 2 * seed, 2, 3, 4, 3
    p = rc.init_gru(D, H, K, rng)
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    h0 = rng.standard_normal((B, H))
    assert rc.gradient_check(lambda q: rc.gru_loss_and_grads(q, X, Y, output, h0=h0), p) < TOL


def test_initial_state_and_input_gradients():
    rng = np.random.default_rng(5)
    T, B, D, H = 4, 2, 3, 3
    p = {k: v for k, v in rc.init_gru(D, H, 1, rng).items() if k in ("Wx", "Wh", "bx", "bh")}
    G = rng.standard_normal((T, B, H))

    def f(q):
        Hs, cache = rc.gru_forward(q, q["X"], h0=q["h0"])
        back = rc.gru_backward(G, cache)
        return float(np.sum(G * Hs[1:])), dict(back.grads, h0=back.dstate0, X=back.deltas @ q["Wx"])

    start = dict(p, h0=rng.standard_normal((B, H)), X=rng.standard_normal((T, B, D)))
    assert rc.gradient_check(f, start) < TOL


def test_parameter_count_is_pytorchs():
    """nn.GRU(D, H) has 3H(D + H) weights and 6H biases; nn.Linear(H, K) has K(H + 1)."""
    D, H, K = 5, 7, 3
    p = rc.init_gru(D, H, K, np.random.default_rng(0))
    assert sum(v.size for v in p.values()) == 3 * H * (D + H) + 6 * H + K * (H + 1)
