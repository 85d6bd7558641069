"""Extreme inputs: |X| = 1e4 and W scaled ×100 give no RuntimeWarning (pytest turns every
RuntimeWarning into an error, see pyproject.toml) and finite results or a clear ValueError."""
import warnings

import numpy as np
import pytest

import rnn_core as rc
from rnn_core import structures as st


@pytest.fixture
def big():
    rng = np.random.default_rng(0)
    p = rc.init_rnn(3, 6, 4, rng, init="orthogonal", w_scale=100.0)
    X = 1e4 * np.sign(rng.standard_normal((20, 2, 3)))
    return p, X, rng.integers(0, 4, (20, 2))


@pytest.mark.parametrize("output", rc.OUTPUTS)
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_saturating_activations_stay_finite(big, activation, output):
    p, X, Y = big
    Yt = Y if output == "softmax" else np.ones((20, 2, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads, _ = rc.rnn_loss_and_grads(p, X, Yt, activation, output)
        tgrads = rc.rnn_loss_and_grads(p, X, Yt, activation, output, truncate=3).grads
    assert np.isfinite(loss)
    assert all(np.isfinite(g).all() for g in list(grads.values()) + list(tgrads.values()))


@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_unbounded_activations_are_finite_while_float64_can_hold_them(big, activation):
    """20 steps at W ×100 reach about 1e44: large, but finite in value and gradient."""
    p, X, Y = big
    loss, grads, _ = rc.rnn_loss_and_grads(p, X, Y, activation)
    assert np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())


@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_unbounded_activations_fail_clearly_beyond(big, activation):
    """200 steps at W ×100 would reach 1e404: a clear ValueError, not inf, NaN or a warning."""
    p, X, _ = big
    X = np.concatenate([X] * 10)
    with pytest.raises(ValueError, match="the state S overflowed to inf or NaN"):
        rc.rnn_loss_and_grads(p, X, np.zeros((200, 2), dtype=int), activation)


def test_backward_overflow_fails_clearly():
    """A forward pass that fits but a backward signal that does not: ValueError from backward."""
    rng = np.random.default_rng(3)
    p = rc.init_rnn(2, 4, 2, rng, init="orthogonal", w_scale=40.0)
    X = 1e-250 * np.ones((200, 1, 2))          # tiny states, huge Jacobian products (40^200)
    S, cache = rc.rnn_forward(p, X, "identity")
    dS = np.zeros((200, 1, 4))
    dS[-1] = 1.0
    with pytest.raises(ValueError, match="overflowed to inf or NaN: the backward signal exploded"):
        rc.rnn_backward(dS, cache)


def test_huge_logits_in_every_loss():
    z = np.array([[[1e4, -1e4, 0.0]]])
    for output, y in (("softmax", np.array([[1]])), ("sigmoid", np.array([[[0.0, 1.0, 1.0]]])),
                      ("identity", np.zeros((1, 1, 3)))):
        loss, d = rc.losses.output_loss(z, y, output)
        assert np.isfinite(loss) and np.isfinite(d).all()
    assert rc.losses.output_loss(z, np.array([[1]]), "softmax")[0] == pytest.approx(2e4)


def test_lstm_with_huge_inputs():
    rng = np.random.default_rng(1)
    p = rc.init_lstm(3, 4, 2, rng)
    p["Wh"] *= 100
    X = 1e4 * rng.standard_normal((15, 2, 3))
    loss, grads, _ = rc.lstm_loss_and_grads(p, X, rng.integers(0, 2, (15, 2)))
    assert np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())


def test_sigmoid_and_softmax_at_the_extremes():
    """σ = ½(1 + tanh(z/2)) is within 2 ulps of 1 (4.4e-16) of 1/(1 + e^{-z}) everywhere, and never
    overflows. (The bound depends on the build's tanh: 1.1e-16 with NumPy 2.4's, 2.2e-16 with 1.26's.)"""
    assert rc.sigmoid(np.array([-1e4, 0.0, 1e4])).tolist() == [0.0, 0.5, 1.0]
    z = np.linspace(-60.0, 60.0, 100_001)
    exact = np.exp(-np.logaddexp(0.0, -z))
    assert np.max(np.abs(rc.sigmoid(z) - exact)) <= 2 * np.finfo(float).eps
    assert np.max(np.abs(rc.sigmoid(z) - exact)[z > -10] / exact[z > -10]) < 1e-11
    assert rc.sigmoid(0.5) == pytest.approx(1 / (1 + np.exp(-0.5)), rel=1e-15)   # a scalar stays a scalar
    np.testing.assert_allclose(rc.softmax(np.array([1e4, 1e4])), [0.5, 0.5])


def test_deep_bidirectional_with_huge_inputs():
    rng = np.random.default_rng(2)
    p = st.init_deep_rnn(3, 4, 2, 2, rng, bidirectional=True)
    X = 1e4 * rng.standard_normal((6, 2, 3))
    loss, grads, _ = st.deep_rnn_loss_and_grads(p, X, rng.integers(0, 2, (6, 2)), 2, bidirectional=True)
    assert np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())


def test_huge_but_finite_states_give_a_clear_error_in_the_loss_not_a_warning():
    """An IRNN with W = 10·I over 300 steps: states near 1e290 fit in float64, their squared
    error does not. The loss says so with a ValueError (pytest turns any RuntimeWarning into an error)."""
    rng = np.random.default_rng(0)
    p = rc.init_rnn(2, 16, 1, rng, init="identity", w_scale=10.0)
    X, y = rc.data.adding_problem(8, 300, rng)
    with pytest.raises(ValueError, match="the loss overflowed to inf or NaN"):
        st.many_to_one_loss_and_grads(p, X, y, activation="relu", output="identity")
