"""rnn_core.rnn and rnn_core.bptt (chapters 5 and 6): the forward pass against a plain loop, and
exact and truncated BPTT against central differences and the frozen-window definition."""
import numpy as np
import pytest

import rnn_core as rc
from oracles import frozen_window_loss, softmax_ce, states, targets

TOL = 1e-6


def random_shapes(seed):
    rng = np.random.default_rng(seed)
    T, B, D, H, K = (int(rng.integers(lo, hi)) for lo, hi in ((1, 7), (1, 4), (1, 5), (1, 6), (2, 4)))
    return rng, T, B, D, H, K


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_forward_equals_a_plain_loop(activation, residual):
    rng = np.random.default_rng(0)
    p = rc.init_rnn(3, 4, 2, rng)
    X, s0 = rng.standard_normal((6, 2, 3)), rng.standard_normal((2, 4))
    S, _ = rc.rnn_forward(p, X, activation, s0=s0, residual=residual)
    np.testing.assert_allclose(S, np.stack(states(p, X, s0, activation, residual)), rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("output", rc.OUTPUTS)
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_exact_bptt_against_finite_differences(activation, output, seed):
    rng, T, B, D, H, K = random_shapes(seed)
    p = rc.init_rnn(D, H, K, rng)
    p["b"] += 0.2                                   # ReLU's kink stays away from the pre-activations
    X, Y = rng.standard_normal((T, B, D)), targets(output, T, B, K, rng)
    s0 = 0.5 * rng.standard_normal((B, H))
    err = rc.gradient_check(lambda q: rc.rnn_loss_and_grads(q, X, Y, activation, output, s0=s0), p)
    assert err < TOL


@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
@pytest.mark.parametrize("residual", [False, True])
def test_initial_state_gradient_and_deltas(activation, residual):
    """dstate0 = ∂L/∂s_0 and deltas @ U = ∂L/∂X, for L = Σ_t G_t · s_t (so dS = G)."""
    rng = np.random.default_rng(7)
    T, B, D, H = 5, 2, 3, 4
    p = {k: v for k, v in rc.init_rnn(D, H, 2, rng).items() if k in "UWb"}
    p["b"] += 0.2
    G = rng.standard_normal((T, B, H))

    def f(q):
        S, cache = rc.rnn_forward(q, q["X"], activation, s0=q["s0"], residual=residual)
        back = rc.rnn_backward(G, cache)
        return float(np.sum(G * S[1:])), dict(back.grads, s0=back.dstate0, X=back.deltas @ q["U"])

    start = dict(p, s0=0.3 * rng.standard_normal((B, H)), X=rng.standard_normal((T, B, D)))
    assert rc.gradient_check(f, start) < TOL


def test_backward_returns_the_same_tuple_whatever_the_flags():
    rng = np.random.default_rng(1)
    p = rc.init_rnn(3, 4, 2, rng)
    S, cache = rc.rnn_forward(p, rng.standard_normal((5, 2, 3)))
    for k in (None, 2, 5):
        back = rc.rnn_backward(np.ones((5, 2, 4)), cache, truncate=k)
        assert back._fields == ("grads", "dstate0", "deltas")
        assert back.dstate0.shape == (2, 4) and back.deltas.shape == (5, 2, 4)
    result = rc.rnn_loss_and_grads(p, rng.standard_normal((5, 2, 3)), rng.integers(0, 2, (5, 2)))
    assert result._fields == ("loss", "grads", "state") and result.state.shape == (2, 4)


def _truncated_pair(k, activation, residual, seed, T=7):
    """rnn_core's k-step gradient and the frozen-window oracle's, for every parameter."""
    rng = np.random.default_rng(seed)
    B, D, H, K = 2, 3, 4, 3
    p0 = rc.init_rnn(D, H, K, rng, w_scale=1.5)
    p0["b"] += 0.2
    X, Y = rng.standard_normal((T, B, D)), rng.integers(0, K, (T, B))
    s0 = 0.5 * rng.standard_normal((B, H))
    got = rc.rnn_loss_and_grads(p0, X, Y, activation, truncate=k, s0=s0, residual=residual).grads
    loss = lambda q: frozen_window_loss(q, p0, X, lambda t, s: softmax_ce(q, s, Y[t - 1]) / B, k, s0=s0,
                                        activation=activation, residual=residual)
    return got, rc.numerical_gradient(loss, {n: v.copy() for n, v in p0.items()})


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
@pytest.mark.parametrize("k", [1, 2, 4, 6, 7, 9])          # T = 7: below, at T − 1, at T and beyond T
def test_truncated_bptt_against_the_frozen_window_definition(k, activation, residual):
    got, want = _truncated_pair(k, activation, residual, seed=k)
    for name in want:
        assert rc.relative_error(got[name], want[name]) < TOL, name


def test_truncation_changes_the_gradient_only_below_T():
    """The test above is not vacuous: at k < T the truncated and exact gradients differ; V, c never do."""
    rng = np.random.default_rng(3)
    p = rc.init_rnn(3, 4, 3, rng, init="orthogonal")
    X, Y = rng.standard_normal((12, 2, 3)), rng.integers(0, 3, (12, 2))
    exact = rc.rnn_loss_and_grads(p, X, Y).grads
    for k, differs in ((3, True), (11, True), (12, False), (40, False)):
        trunc = rc.rnn_loss_and_grads(p, X, Y, truncate=k).grads
        assert (rc.relative_error(exact["U"], trunc["U"]) > 1e-12) == differs, k   # dW misses δ_1 s_0ᵀ = 0
        np.testing.assert_allclose(exact["V"], trunc["V"], rtol=1e-12)
        if not differs:                              # computed by the truncated path, equal to the exact one
            assert all(rc.relative_error(exact[n], trunc[n]) < 1e-13 for n in exact)


@pytest.mark.parametrize("k", [1, 3, 6])
def test_truncated_initial_state_gradient(k):
    rng = np.random.default_rng(4)
    T, B, D, H = 6, 2, 3, 4
    p0 = {n: v for n, v in rc.init_rnn(D, H, 2, rng).items() if n in "UWb"}
    X, G = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))
    s0 = rng.standard_normal((B, H))
    _, cache = rc.rnn_forward(p0, X, "tanh", s0=s0)
    ds0 = rc.rnn_backward(G, cache, truncate=k).dstate0
    F = lambda q: frozen_window_loss(p0, p0, X, lambda t, s: np.sum(G[t - 1] * s), k, s0=q["s0"], s0_ref=s0)
    assert rc.relative_error(ds0, rc.numerical_gradient(F, {"s0": s0.copy()})["s0"]) < TOL


def test_the_sweep_keeps_the_total_state_gradients():
    """totals[t-1] = ∂L/∂s_t: checked by perturbing s_t and re-running the steps after it."""
    rng = np.random.default_rng(5)
    p = rc.init_rnn(2, 3, 2, rng)
    X, G = rng.standard_normal((5, 1, 2)), rng.standard_normal((5, 1, 3))
    S, cache = rc.rnn_forward(p, X)
    sweep = rc.bptt.rnn_backward_sweep(G, cache)
    t = 2

    def L(q):           # Σ_{j ≥ t} G_j · s_j as a function of s_t
        later = rc.rnn_forward(p, X[t:], s0=q["s"])[0]
        return float(np.sum(G[t - 1] * q["s"]) + np.sum(G[t:] * later[1:]))

    num = rc.numerical_gradient(L, {"s": S[t].copy()})["s"]
    assert rc.relative_error(sweep.totals[t - 1], num) < TOL
    np.testing.assert_allclose(sweep.deltas, (1 - S[1:] ** 2) * sweep.totals, rtol=1e-12)


def test_the_cache_does_not_follow_later_changes_to_params_or_X():
    rng = np.random.default_rng(6)
    p = rc.init_rnn(3, 4, 2, rng)
    X, G = rng.standard_normal((5, 2, 3)), rng.standard_normal((5, 2, 4))
    _, cache = rc.rnn_forward(p, X)
    before = rc.rnn_backward(G, cache).grads
    p["W"] *= 3.0                                    # an optimiser step between forward and backward
    p["U"] += 1.0
    X += 1.0
    after = rc.rnn_backward(G, cache).grads
    assert all(np.array_equal(before[n], after[n]) for n in before)


def test_the_state_carries_into_the_next_chunk():
    rng = np.random.default_rng(8)
    p = rc.init_rnn(3, 4, 2, rng)
    X, Y = rng.standard_normal((8, 2, 3)), rng.integers(0, 2, (8, 2))
    first = rc.rnn_loss_and_grads(p, X[:5], Y[:5])
    second = rc.rnn_loss_and_grads(p, X[5:], Y[5:], s0=first.state)
    whole = rc.rnn_loss_and_grads(p, X, Y)
    assert first.loss + second.loss == pytest.approx(whole.loss, rel=1e-12)
    np.testing.assert_allclose(second.state, whole.state, rtol=1e-12)
