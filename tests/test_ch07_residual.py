"""The residual RNN s_t = s_{t-1} + ϕ(s*_t): forward, exact and truncated BPTT, gradient flow."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core.gradflow import gradient_norms

ACTS = ["sigmoid", "tanh", "relu", "identity"]


def _setup(seed=0, T=6, B=2, D=3, H=4, K=3):
    rng = np.random.default_rng(seed)
    p = rc.init_rnn(D, H, K, rng, init="pytorch")
    p["W"] *= 0.5                          # keep the residual state moderate over T steps
    X = rng.standard_normal((T, B, D))
    Y = rng.integers(0, K, (T, B))
    return p, X, Y


def _loop_states(p, X, act):
    """The residual recurrence written as a plain loop (independent of rnn_forward)."""
    s = np.zeros((X.shape[1], p["W"].shape[0]))
    out = [s]
    for x in X:
        s = s + rc.activate(x @ p["U"].T + s @ p["W"].T + p["b"], act)
        out.append(s)
    return np.stack(out)


@pytest.mark.parametrize("act", ACTS)
def test_forward_matches_loop(act):
    p, X, _ = _setup()
    S, _ = rc.rnn_forward(p, X, activation=act, residual=True)
    assert np.allclose(S, _loop_states(p, X, act), atol=1e-13)


@pytest.mark.parametrize("act", ACTS)
def test_exact_gradient_check(act):
    p, X, Y = _setup(seed=1)
    if act == "relu":
        p["b"] += 0.3                      # keep pre-activations away from the kink at 0
    err = rc.gradient_check(lambda q: rc.rnn_loss_and_grads(q, X, Y, activation=act, residual=True), p)
    assert err < 1e-7, err


def _detached_loss(p, X, Y, act, k, S_ref):
    """Σ_t L_t where L_t restarts k steps back from the *fixed* state S_ref[t-k].

    Its gradient at the reference parameters is, by definition, the k-step truncated gradient.
    """
    T = X.shape[0]
    total = 0.0
    for t in range(1, T + 1):
        start = max(t - k, 0)
        s = S_ref[start]
        for j in range(start + 1, t + 1):
            s = s + rc.activate(X[j - 1] @ p["U"].T + s @ p["W"].T + p["b"], act)
        logits = s @ p["V"].T + p["c"]
        total += -np.mean(rc.log_softmax(logits)[np.arange(X.shape[1]), Y[t - 1]])
    return total


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("k", [1, 3])
def test_truncated_gradient_against_detached_finite_differences(act, k):
    p, X, Y = _setup(seed=2)
    if act == "relu":
        p["b"] += 0.3
    S_ref, _ = rc.rnn_forward(p, X, activation=act, residual=True)
    S_ref = S_ref.copy()
    loss, grads = rc.rnn_loss_and_grads(p, X, Y, activation=act, residual=True, truncate=k)
    num = rc.numerical_gradient(lambda q: _detached_loss(q, X, Y, act, k, S_ref), p)
    for name in p:
        assert rc.relative_error(grads[name], num[name]) < 1e-6, (name, act, k)
    full = rc.rnn_loss_and_grads(p, X, Y, activation=act, residual=True)[1]
    assert rc.relative_error(grads["W"], full["W"]) > 1e-4   # truncation really changes it


@pytest.mark.parametrize("act", ACTS)
def test_truncate_at_T_is_exact(act):
    p, X, Y = _setup(seed=3)
    _, full = rc.rnn_loss_and_grads(p, X, Y, activation=act, residual=True)
    _, same = rc.rnn_loss_and_grads(p, X, Y, activation=act, residual=True, truncate=X.shape[0])
    for name in full:
        assert np.allclose(full[name], same[name], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("act", ACTS)
def test_residual_flow_under_its_bound(act):
    r = gradient_norms(0.5, T=40, activation=act, residual=True)
    assert np.all(r["norms"] <= r["bound"] * (1 + 1e-9))
    gamma = {"sigmoid": 0.25}.get(act, 1.0)
    assert np.allclose(r["bound"], (1 + gamma * 0.5) ** (40 - r["k"]))


def test_residual_does_not_vanish_where_plain_does():
    plain = gradient_norms(0.5, T=60, activation="tanh")
    res = gradient_norms(0.5, T=60, activation="tanh", residual=True)
    assert plain["ratio"] < 1e-10
    assert res["ratio"] > 1.0              # here I + diag(ϕ')W does not shrink the signal
