"""rnn_core.gradflow (chapter 7) against independent finite-difference Jacobians."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import gradflow as gf


def toy(scale, H, T, seed, input_scale=0.7):
    rng = np.random.default_rng(seed)
    p = dict(U=rng.standard_normal((H, H)) / np.sqrt(H), W=scale * rc.orthogonal(H, rng), b=np.zeros(H))
    return p, input_scale * rng.standard_normal((T, 1, H))


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
def test_backward_and_jacobian_norms_match_finite_differences(activation):
    params, X = toy(1.2, 5, 8, 3)
    u = np.ones(5) / np.sqrt(5)
    norms = gf.backward_norms(params, X, activation)
    jn = gf.jacobian_norms(params, X, activation)
    jf = gf.jacobian_norms(params, X, activation, ord="fro")
    for k in (1, 4, 7):
        J = fd_state_jacobian(params, X, activation, k)
        assert norms[k - 1] == pytest.approx(np.linalg.norm(J.T @ u), rel=1e-6)
        assert jn[k - 1] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)
        assert jf[k - 1] == pytest.approx(np.linalg.norm(J), rel=1e-6)
    assert norms[-1] == pytest.approx(1.0) and jn[-1] == pytest.approx(1.0)


def test_norms_far_below_the_square_root_of_the_smallest_double_are_not_zero():
    """A linear RNN with W = 0.1·I: ‖∂L_T/∂s_k‖ = 0.1^(T−k) exactly, down to 1e-199."""
    H, T = 4, 200
    p = dict(U=np.eye(H), W=0.1 * np.eye(H), b=np.zeros(H))
    norms = gf.backward_norms(p, np.zeros((T, 1, H)), "identity")
    np.testing.assert_allclose(norms, 0.1 ** (T - np.arange(1, T + 1)), rtol=1e-10)
    assert norms[0] == pytest.approx(1e-199, rel=1e-10)


def test_gradient_bound_and_spectral_norm():
    np.testing.assert_allclose(gf.gradient_bound(2.0, "sigmoid", [0, 1, 2]), [1, 0.5, 0.25])
    np.testing.assert_allclose(gf.gradient_bound(2.0, "tanh", [0, 3], residual=True), [1, 27])
    assert gf.spectral_norm(2.5 * rc.orthogonal(6, np.random.default_rng(0))) == pytest.approx(2.5)
    with pytest.raises(ValueError, match="sigma_max must be a finite number >= 0"):
        gf.gradient_bound(-1.0, "tanh", [1])


@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
@pytest.mark.parametrize("residual", [False, True])
def test_the_bound_holds(activation, residual):
    for scale in (0.5, 1.0, 2.5):
        params, X = toy(scale, 16, 40, 1, input_scale=2.0)
        norms = gf.backward_norms(params, X, activation, residual=residual)
        bound = gf.gradient_bound(scale, activation, 40 - np.arange(1, 41), residual=residual)
        assert np.all(norms <= bound * (1 + 1e-9))
