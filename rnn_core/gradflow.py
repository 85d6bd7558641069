"""How the backward signal grows or shrinks over time steps (chapter 7).

Going back one step multiplies the gradient by the transposed Jacobian of
    ∂s_j/∂s_{j-1} = diag(ϕ'(s*_j)) W,
so ∂L_T/∂s_k = (∏_{j=k+1..T} diag(ϕ'(s*_j)) W)^T ∂L_T/∂s_T, and its norm is bounded by
    ‖∂L_T/∂s_k‖ ≤ (γ σ_max(W))^{T-k} ‖∂L_T/∂s_T‖,
where γ = max ϕ' is 1/4 for sigmoid and 1 for tanh, ReLU and identity (Pascanu, Mikolov
& Bengio 2013). For the residual RNN s_t = s_{t-1} + ϕ(s*_t) one step back multiplies by
I + W^T diag(ϕ'), and the bound becomes (1 + γ σ_max(W))^{T-k}.

Every norm here is computed scaled (``_validate.norm``): a gradient of 1e-200 is reported as
1e-200, not as 0.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_number, norm
from .activations import ACTIVATIONS, MAX_SLOPE, slope_from_output
from .bptt import rnn_backward_sweep
from .rnn import check_rnn_params, rnn_forward


def spectral_norm(W):
    """σ_max(W), the largest singular value of a matrix W (m, n); a float."""
    return float(np.linalg.norm(as_float_array("W", W, ndim=2), 2))


def gradient_bound(sigma_max, activation, steps, residual=False):
    """The bound (γ σ_max)^n (or (1 + γ σ_max)^n if residual) for n = each entry of ``steps``.

    sigma_max: a number ≥ 0.  steps: an array of step counts n ≥ 0.  Returns an array shaped like
    ``steps`` (inf where the bound overflows float64).
    """
    check_choice("activation", activation, ACTIVATIONS)
    factor = MAX_SLOPE[activation] * check_number("sigma_max", sigma_max, low=0.0)
    if residual:
        factor += 1.0
    with np.errstate(over="ignore"):
        return factor ** np.asarray(steps, dtype=np.float64)


def _single_sequence(X):
    X = as_float_array("X", X, ndim=3)
    if X.shape[1] != 1:
        raise ValueError(f"X must hold one sequence, shape (T, 1, D); got shape {X.shape}")
    return X


def backward_norms(params, X, activation="tanh", dlast=None, residual=False):
    """‖∂L_T/∂s_k‖ for k = 1..T, when only the last step has a loss (chapter 7).

    params: {U, W, b}.  X: (T, 1, D), a single sequence.
    dlast: (H,) the gradient ∂L_T/∂s_T; a vector of ones / √H (norm 1) if None.
    Returns an array (T,) whose entry k−1 belongs to s_k.
    """
    S, cache = rnn_forward(params, _single_sequence(X), activation=activation, residual=residual)
    T, _, H = S.shape[0] - 1, S.shape[1], S.shape[2]
    dS = np.zeros((T, 1, H))
    dS[-1, 0] = np.ones(H) / np.sqrt(H) if dlast is None else as_float_array("dlast", dlast, shape=(H,))
    return norm(rnn_backward_sweep(dS, cache).totals[:, 0, :], axis=1)


def jacobian_norms(params, X, activation="tanh", ord=2):
    """‖∂s_T/∂s_k‖ for k = 1..T: the norm of the product of T−k step Jacobians diag(ϕ') W.

    params: {U, W, b}.  X: (T, 1, D), a single sequence.
    ord=2 gives the spectral norm (one SVD per k), ord='fro' the Frobenius norm.
    Returns an array (T,) whose entry k−1 belongs to s_k.
    """
    _, W, _ = check_rnn_params(params, "jacobian_norms")
    if ord not in (2, "fro"):
        raise ValueError(f"ord must be 2 or 'fro', got {ord!r}")
    S, cache = rnn_forward(params, _single_sequence(X), activation=activation)
    slopes = slope_from_output(cache["A"][:, 0, :], activation)      # (T, H)
    T, H = slopes.shape
    P = np.empty((T, H, H))
    P[-1] = np.eye(H)                                                # ∂s_T/∂s_T
    for k in range(T - 1, 0, -1):                                    # P[k-1] = ∂s_T/∂s_k
        P[k - 1] = P[k] @ (slopes[k][:, None] * W)
    return np.linalg.norm(P, ord=ord, axis=(1, 2))
