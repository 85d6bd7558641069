"""How the backward signal grows or shrinks over time steps (chapter 7).

Going back one step multiplies the gradient by the transposed Jacobian
    ∂s_j/∂s_{j-1} = diag(ϕ'(s*_j)) W,
so ∂L_T/∂s_k = (∏_{j=k+1..T} diag(ϕ'(s*_j)) W)^T ∂L_T/∂s_T, and its norm is bounded by
    ‖∂L_T/∂s_k‖ ≤ (γ σ_max(W))^{T-k} ‖∂L_T/∂s_T‖,
where γ = max ϕ' is 1/4 for sigmoid and 1 for tanh, ReLU and identity (Pascanu, Mikolov
& Bengio 2013). For the residual RNN s_t = s_{t-1} + ϕ(s*_t) the factor is I + diag(ϕ')W
and the bound becomes (1 + γ σ_max(W))^{T-k}.

``gradient_norms`` and ``lstm_gradient_norms`` are the pure functions behind the
chapter's sliders; each returns plain arrays in a few milliseconds.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_positive_int
from .activations import ACTIVATIONS, MAX_SLOPE, slope_from_output
from .bptt import _exact
from .lstm import init_lstm, lstm_backward_sweep, lstm_forward
from .rnn import check_rnn_params, orthogonal, rnn_forward


def spectral_norm(W):
    """σ_max(W), the largest singular value."""
    return float(np.linalg.norm(as_float_array("W", W, ndim=2), 2))


def gradient_bound(sigma_max, activation, steps, residual=False):
    """The bound (γ σ_max)^n (or (1 + γ σ_max)^n if residual) for n = each entry of ``steps``."""
    check_choice("activation", activation, ACTIVATIONS)
    factor = MAX_SLOPE[activation] * float(sigma_max)
    if residual:
        factor += 1.0
    with np.errstate(over="ignore"):
        return factor ** np.asarray(steps, dtype=np.float64)


def backward_norms(params, X, activation="tanh", dlast=None, residual=False):
    """‖∂L_T/∂s_k‖ for k = 1..T, when only the last step has a loss.

    params: {U, W, b}.  X: (T, 1, D), a single sequence.
    dlast: (H,) the gradient ∂L_T/∂s_T; a vector of ones / √H if None.
    Returns an array (T,) whose entry k-1 belongs to s_k.
    """
    S, cache = rnn_forward(params, X, activation=activation, residual=residual)
    T, B, H = S.shape[0] - 1, S.shape[1], S.shape[2]
    if B != 1:
        raise ValueError(f"X must hold one sequence, shape (T, 1, D); got shape {X.shape}")
    dS = np.zeros((T, 1, H))
    dS[-1, 0] = np.ones(H) / np.sqrt(H) if dlast is None else as_float_array("dlast", dlast, ndim=1, shape=(H,))
    totals = np.empty_like(dS)
    with np.errstate(over="ignore", invalid="ignore"):
        _exact(dS, slope_from_output(cache["A"], activation), cache["W"], residual, totals=totals)
    return np.linalg.norm(totals[:, 0, :], axis=1)


def jacobian_norms(params, X, activation="tanh", ord=2):
    """‖∂s_T/∂s_k‖ for k = 1..T: the norm of the product of T-k step Jacobians.

    ord=2 gives the spectral norm (one SVD per k), ord='fro' the Frobenius norm.
    """
    _, W, _, _, H = check_rnn_params(params, "jacobian_norms")
    S, cache = rnn_forward(params, X, activation=activation)
    slopes = slope_from_output(cache["A"][:, 0, :], activation)      # (T, H)
    T = slopes.shape[0]
    P = np.empty((T, H, H))
    P[-1] = np.eye(H)                                                # ∂s_T/∂s_T
    for k in range(T - 1, 0, -1):                                    # P[k-1] = ∂s_T/∂s_k
        P[k - 1] = P[k] @ (slopes[k][:, None] * W)
    return np.linalg.norm(P, ord=ord, axis=(1, 2))


def toy_rnn(scale, hidden_size, input_scale, seed, T, input_size=None):
    """The setup of chapter 7's widget: W = scale · (random orthogonal), so σ_max(W) = scale.

    U ~ N(0, 1/D) and x_t ~ N(0, input_scale²), so each pre-activation receives an input
    drive of standard deviation about input_scale. b = 0. Returns (params, X (T, 1, D)).
    """
    H = check_positive_int("hidden_size", hidden_size)
    T = check_positive_int("T", T)
    D = H if input_size is None else check_positive_int("input_size", input_size)
    if not (np.isfinite(scale) and scale >= 0):
        raise ValueError(f"scale must be a finite number >= 0, got {scale!r}")
    if not (np.isfinite(input_scale) and input_scale >= 0):
        raise ValueError(f"input_scale must be a finite number >= 0, got {input_scale!r}")
    rng = np.random.default_rng(seed)
    params = dict(U=rng.standard_normal((H, D)) / np.sqrt(D), W=float(scale) * orthogonal(H, rng), b=np.zeros(H))
    X = float(input_scale) * rng.standard_normal((T, 1, D))
    return params, X


def gradient_norms(scale, T=50, activation="tanh", hidden_size=32, input_scale=1.0, seed=0, residual=False):
    """Everything chapter 7's main slider plots, for one setting.

    Returns a dict of arrays and numbers:
      k       (T,) time steps 1..T
      norms   (T,) ‖∂L_T/∂s_k‖, with ‖∂L_T/∂s_T‖ = 1
      bound   (T,) (γ σ_max)^{T-k}  (or the residual bound)
      ratio   norms[0] / norms[-1], the change over T-1 steps back
      sigma_max, gamma
    """
    check_choice("activation", activation, ACTIVATIONS)
    params, X = toy_rnn(scale, hidden_size, input_scale, seed, T)
    norms = backward_norms(params, X, activation=activation, residual=residual)
    T = norms.shape[0]
    k = np.arange(1, T + 1)
    bound = gradient_bound(scale, activation, T - k, residual=residual)
    return dict(k=k, norms=norms, bound=bound, ratio=float(norms[0] / norms[-1]),
                sigma_max=float(scale), gamma=MAX_SLOPE[activation])


def lstm_gradient_norms(forget_bias, T=50, hidden_size=32, input_scale=1.0, seed=0):
    """‖∂L_T/∂c_k‖ and ‖∂L_T/∂h_k‖ for an LSTM, and the same for a tanh RNN of equal size.

    Both start from PyTorch-style uniform weights drawn from ``seed``; the LSTM's forget
    bias b_f is set to ``forget_bias`` (so σ(b_f) is the typical forget gate).
    The loss sits on the last step only, with ∂L_T/∂h_T = ones / √H.
    Returns a dict: k, cell, hidden (LSTM), rnn (tanh RNN), mean_forget (the average f_t).
    """
    H = check_positive_int("hidden_size", hidden_size)
    T = check_positive_int("T", T)
    if not np.isfinite(forget_bias):
        raise ValueError(f"forget_bias must be finite, got {forget_bias!r}")
    rng = np.random.default_rng(seed)
    D = H
    X = float(input_scale) * rng.standard_normal((T, 1, D))
    p = init_lstm(D, H, 1, rng, forget_bias=0.0)
    p["b"][H:2 * H] = float(forget_bias)
    _, _, cache = lstm_forward(p, X)
    dH = np.zeros((T, 1, H))
    dH[-1, 0] = 1.0 / np.sqrt(H)
    _, dh_tot, dc_tot, _, _ = lstm_backward_sweep(dH, cache)
    a = 1.0 / np.sqrt(H)
    q = dict(U=rng.uniform(-a, a, (H, D)), W=rng.uniform(-a, a, (H, H)), b=rng.uniform(-a, a, H))
    return dict(k=np.arange(1, T + 1),
                cell=np.linalg.norm(dc_tot[:, 0], axis=1), hidden=np.linalg.norm(dh_tot[:, 0], axis=1),
                rnn=backward_norms(q, X, activation="tanh"),
                mean_forget=float(cache["gates"][:, 0, H:2 * H].mean()))
