"""Truncated BPTT against a brute-force definition written independently of rnn_core.bptt.

Definition: with truncation k, the loss L_t sends its gradient through steps t, t-1, ...,
t-k+1 only, i.e. the state s_{t-k} entering that window is a constant. So the truncated
gradient is the derivative of F(θ) = Σ_t L_t(θ; s_{t-k} frozen at its value under θ_0),
which this test computes with a forward pass of its own and central differences.
"""
import numpy as np
import pytest

import rnn_core as rc

ACT = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
       "identity": lambda z: z}


def states(p, X, s0, act, residual):
    """Plain loop, one sequence batch: returns [s_0, s_1, ..., s_T]."""
    out = [s0]
    for x in X:
        a = ACT[act](x @ p["U"].T + out[-1] @ p["W"].T + p["b"])
        out.append(out[-1] + a if residual else a)
    return out


def step_loss(p, s, y):
    """Categorical cross-entropy of one step, summed over the batch."""
    z = s @ p["V"].T + p["c"]
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].sum()


def frozen_loss(p, p0, X, Y, s0, k, act, residual):
    frozen = states(p0, X, s0, act, residual)          # states under the unperturbed θ_0
    total = 0.0
    for t in range(1, len(X) + 1):
        start = max(t - k, 0)
        s = frozen[start] if start > 0 else s0           # s_0 itself is never frozen
        for j in range(start, t):
            a = ACT[act](X[j] @ p["U"].T + s @ p["W"].T + p["b"])
            s = s + a if residual else a
        total += step_loss(p, s, Y[t - 1])
    return total / X.shape[1]


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("k", [1, 2, 4])
def test_truncated_gradient_matches_brute_force(k, activation, residual):
    rng = np.random.default_rng(k)
    T, B, D, H, K = 7, 2, 3, 4, 3
    p0 = rc.init_rnn(D, H, K, rng, w_scale=1.5)
    X, Y = rng.standard_normal((T, B, D)), rng.integers(0, K, (T, B))
    s0 = 0.5 * rng.standard_normal((B, H))
    _, g = rc.rnn_loss_and_grads(p0, X, Y, activation, truncate=k, s0=s0, residual=residual)
    p = {name: v.copy() for name, v in p0.items()}
    num = rc.numerical_gradient(lambda q: frozen_loss(q, p0, X, Y, s0, k, activation, residual), p)
    for name in p0:
        assert rc.relative_error(g[name], num[name]) < 1e-6, name


def test_truncation_differs_from_exact_for_short_k():
    """The test above is not vacuous: for k < T the truncated and exact gradients differ."""
    rng = np.random.default_rng(3)
    p = rc.init_rnn(3, 4, 3, rng, init="orthogonal")
    X, Y = rng.standard_normal((12, 2, 3)), rng.integers(0, 3, (12, 2))
    _, exact = rc.rnn_loss_and_grads(p, X, Y)
    _, trunc = rc.rnn_loss_and_grads(p, X, Y, truncate=3)
    assert rc.relative_error(exact["W"], trunc["W"]) > 1e-3
    np.testing.assert_allclose(exact["V"], trunc["V"])       # V and c never go through time


def test_truncated_ds0_matches_brute_force():
    rng = np.random.default_rng(4)
    T, B, D, H = 6, 2, 3, 4
    p0 = {k: v for k, v in rc.init_rnn(D, H, 2, rng).items() if k in "UWb"}
    X, G = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))
    s0 = rng.standard_normal((B, H))
    k = 3
    S, cache = rc.rnn_forward(p0, X, "tanh", s0=s0)
    _, ds0 = rc.rnn_backward(G, cache, truncate=k)

    def F(q):      # Σ_t G_t · s_t with s_{t-k} frozen, as a function of s_0 only
        full = states(p0, X, s0, "tanh", False)
        total = 0.0
        for t in range(1, T + 1):
            start = max(t - k, 0)
            s = full[start] if start > 0 else q["s0"]
            for j in range(start, t):
                s = np.tanh(X[j] @ p0["U"].T + s @ p0["W"].T + p0["b"])
            total += np.sum(G[t - 1] * s)
        return total

    num = rc.numerical_gradient(F, {"s0": s0.copy()})
    assert rc.relative_error(ds0, num["s0"]) < 1e-6


@pytest.mark.parametrize("k", [1, 3, 6])
def test_many_to_one_truncation_matches_brute_force(k):
    """One loss at step T, with s_{T-k} frozen: the truncated many-to-one gradient."""
    from rnn_core.structures import many_to_one_loss_and_grads
    rng = np.random.default_rng(10 + k)
    T, B, D, H, K = 6, 2, 3, 4, 3
    p0 = rc.init_rnn(D, H, K, rng, w_scale=1.5)
    X, y = rng.standard_normal((T, B, D)), rng.integers(0, K, B)
    _, g = many_to_one_loss_and_grads(p0, X, y, truncate=k)

    def F(p):
        frozen = states(p0, X, np.zeros((B, H)), "tanh", False)
        start = max(T - k, 0)
        s = frozen[start]
        for j in range(start, T):
            s = np.tanh(X[j] @ p["U"].T + s @ p["W"].T + p["b"])
        return step_loss(p, s, y) / B

    num = rc.numerical_gradient(F, {n: v.copy() for n, v in p0.items()})
    for name in p0:
        assert rc.relative_error(g[name], num[name]) < 1e-6, name
