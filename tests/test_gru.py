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


def test_the_sweep_keeps_the_total_state_gradients():
    """dh_total[t-1] = ∂L/∂h_t: checked by perturbing h_t and re-running the steps after it."""
    rng = np.random.default_rng(6)
    p = rc.init_gru(2, 3, 1, rng)
    X, G = rng.standard_normal((5, 2, 2)), rng.standard_normal((5, 2, 3))
    Hs, cache = rc.gru_forward(p, X)
    sweep = rc.gru.gru_backward_sweep(G, cache)
    for t in (1, 3, 5):
        def L(q):           # Σ_{j ≥ t} G_j · h_j as a function of h_t
            later = rc.gru_forward(p, X[t:], h0=q["h"])[0] if t < 5 else q["h"][None]
            return float(np.sum(G[t - 1] * q["h"]) + np.sum(G[t:] * later[1:]))

        num = rc.numerical_gradient(L, {"h": Hs[t].copy()})["h"]
        assert rc.relative_error(sweep.dh_total[t - 1], num) < TOL
    back = rc.gru_backward(G, cache)
    np.testing.assert_array_equal(sweep.dX3, back.deltas)
    np.testing.assert_array_equal(sweep.dh0, back.dstate0)


def test_the_direct_path_is_multiplied_by_the_update_gate():
    """With W_h = 0, ∂L/∂h_{t-1} = dH_{t-1} + ∂L/∂h_t ⊙ z_t exactly: z plays the LSTM's f."""
    rng = np.random.default_rng(7)
    p = rc.init_gru(2, 3, 1, rng)
    p["Wh"][:] = 0.0
    _, cache = rc.gru_forward(p, rng.standard_normal((6, 1, 2)))
    G = rng.standard_normal((6, 1, 3))
    sweep = rc.gru.gru_backward_sweep(G, cache)
    z = cache["gates"][:, :, 3:6]
    np.testing.assert_allclose(sweep.dh_total[:-1], G[:-1] + sweep.dh_total[1:] * z[1:], rtol=1e-12)
    np.testing.assert_allclose(sweep.dh0, sweep.dh_total[0] * z[0], rtol=1e-12)


def test_the_sweep_checks_its_arguments():
    rng = np.random.default_rng(8)
    _, cache = rc.gru_forward(rc.init_gru(2, 3, 1, rng), rng.standard_normal((4, 1, 2)))
    with pytest.raises(ValueError, match="dH"):
        rc.gru.gru_backward_sweep(np.zeros((4, 1, 2)), cache)
    with pytest.raises(TypeError, match="gru_forward"):
        rc.gru.gru_backward_sweep(np.zeros((4, 1, 3)), {"Hs": 0})
