"""rnn_core.truncation (chapter 6) against the frozen-window definition, computed by brute force."""
import numpy as np
import pytest

import rnn_core as rc
from oracles import frozen_window_loss, softmax_ce
from rnn_core import truncation


def brute_gradient(p0, X, Y, k, act):
    B = X.shape[1]
    loss = lambda q: frozen_window_loss(q, p0, X, lambda t, s: softmax_ce(q, s, Y[t - 1]) / B, k, activation=act)
    g = rc.numerical_gradient(loss, {n: v.copy() for n, v in p0.items()}, keys=list(truncation.RECURRENT))
    return np.concatenate([g[n].ravel() for n in truncation.RECURRENT])


@pytest.mark.parametrize("activation, scale", [("tanh", 1.5), ("tanh", 0.8), ("sigmoid", 4.0)])
def test_errors_match_brute_force(activation, scale):
    T, H, B, ks = 7, 3, 2, [1, 2, 3, 5]
    p0, X, Y = truncation.make_problem(scale, rng=np.random.default_rng(3), T=T, hidden_size=H, batch_size=B)
    full = brute_gradient(p0, X, Y, None, activation)
    expected = np.array([rc.relative_error(brute_gradient(p0, X, Y, k, activation), full) for k in ks])
    assert expected.min() > 1e-4           # large enough for finite differences to resolve
    got = truncation.truncation_errors(ks, scale, rng=np.random.default_rng(3), T=T, activation=activation,
                                       hidden_size=H, batch_size=B)
    np.testing.assert_allclose(got, expected, rtol=1e-4)


def test_exact_for_k_at_least_T():
    errors = truncation.truncation_errors([8, 9, 50], 1.2, rng=np.random.default_rng(0), T=8)
    assert np.all(errors < 1e-14)
    assert truncation.truncation_errors([7], 1.2, rng=np.random.default_rng(0), T=8)[0] > 1e-6


def test_longer_memory_means_larger_error():
    small, large = (truncation.truncation_errors([10], s, rng=np.random.default_rng(0))[0] for s in (0.5, 1.5))
    assert small < 1e-2 < large


def test_make_problem_scale_is_sigma_max():
    p, X, Y = truncation.make_problem(2.5, rng=np.random.default_rng(0), T=5, hidden_size=6, batch_size=3)
    assert np.isclose(np.linalg.norm(p["W"], 2), 2.5)
    assert X.shape == (5, 3, 4) and Y.shape == (5, 3)


@pytest.mark.parametrize("bad", [[0, 1], [1.5, 2.0], [], [[1, 2]]])
def test_rejects_bad_k_values(bad):
    with pytest.raises(ValueError, match="k_values"):
        truncation.truncation_errors(bad, 1.0, rng=np.random.default_rng(0), T=5)


def test_rejects_bad_activation_and_scale():
    with pytest.raises(ValueError, match="activation"):
        truncation.truncation_errors([1], 1.0, rng=np.random.default_rng(0), activation="softplus")
    with pytest.raises(ValueError, match="scale"):
        truncation.truncation_errors([1], -1.0, rng=np.random.default_rng(0))
