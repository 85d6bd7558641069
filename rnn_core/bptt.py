"""Backpropagation through time for the vanilla RNN (chapter 6).

Notation (the index's notation table): δ_t = ∂L/∂s*_t is a *total* derivative, collecting every
path from s*_t to the loss, through the output o_t and through all later states. dS[t-1] is the
*local* gradient ∂L_t/∂s_t that reaches s_t from its own output only.

Exact BPTT is one O(T) backward sweep with a running δ (chapter 6, eq. 6.6):
  ∂L/∂s_t = dS_t + W^T δ_{t+1},   δ_t = ϕ'(s*_t) ⊙ ∂L/∂s_t,   δ_{T+1} = 0,
  ∂L/∂U = Σ_t δ_t x_t^T,   ∂L/∂W = Σ_t δ_t s_{t-1}^T,   ∂L/∂b = Σ_t δ_t.
In batch-row form W^T δ is ``delta @ W``, and the sums over t and the batch are single matrix
products. The named tuples here (``Backward``, ``LossGrads``) are what every cell's backward
pass and loss returns, so an RNN, an LSTM and a GRU are used the same way.
"""
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_finite_result, check_params, check_positive_int
from .losses import output_layer
from .rnn import input_grad, rnn_forward


class Backward(NamedTuple):
    """What a cell's backward pass returns (``rnn_backward``, ``lstm_backward``, ``gru_backward``)."""

    grads: dict            # the gradient of every parameter of the cell, keyed like params
    dstate0: object        # ∂L/∂(initial state): (B, H); for the LSTM the pair (dh0, dc0)
    deltas: np.ndarray     # ∂L/∂(pre-activations): (T, B, H) δ_t for the RNN, (T, B, nH) for gated cells


class LossGrads(NamedTuple):
    """What every ``*_loss_and_grads`` returns."""

    loss: float            # L = Σ_t L_t, averaged over the batch
    grads: dict            # ∂L/∂θ for every parameter θ, keyed like params
    state: object          # the final state, (B, H) (LSTM: (h_T, c_T)), to carry into the next chunk


class Sweep(NamedTuple):
    """What ``rnn_backward_sweep`` returns: every intermediate of the backward recursion."""

    deltas: np.ndarray     # (T, B, H) δ_t = ∂L/∂s*_t
    totals: np.ndarray     # (T, B, H) the total ∂L/∂s_t
    dstate0: np.ndarray    # (B, H) ∂L/∂s_0


def _check_cache(cache):
    if not isinstance(cache, dict) or "S" not in cache or "A" not in cache:
        raise TypeError("cache must be the dict returned by rnn_forward")
    return cache


def rnn_backward_sweep(dS, cache):
    """The exact backward recursion, keeping every intermediate (chapters 6 and 7).

    dS: (T, B, H), dS[t-1] = the local gradient ∂L_t/∂s_t of step t's own loss.
    cache: from ``rnn_forward``.
    Returns Sweep(deltas (T, B, H), totals (T, B, H), dstate0 (B, H)). The mirror of
    ``lstm.lstm_backward_sweep``; ``rnn_backward`` turns the deltas into parameter gradients.
    """
    T, B, H = _check_cache(cache)["A"].shape
    dS = as_float_array("dS", dS, shape=(T, B, H))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return _sweep(dS, cache, totals=True)


def _sweep(dS, cache, totals=False):
    """One backward sweep: ∂L/∂s_t = dS_t + (W^T δ_{t+1} [+ ∂L/∂s_{t+1} if residual]), δ_t = ϕ' ⊙ it."""
    W, residual = cache["W"], cache["residual"]
    T = dS.shape[0]
    deltas = _slope_into(cache["A"], cache["activation"], np.empty_like(dS))   # ϕ'(s*_t) for every t at once
    tot = np.empty_like(dS) if totals else None
    g = np.zeros_like(dS[0])                 # ∂L/∂s_t arriving from step t+1
    for t in range(T - 1, -1, -1):
        g += dS[t]                                          # total ∂L/∂s_t
        if totals:
            tot[t] = g
        delta = np.multiply(deltas[t], g, out=deltas[t])   # δ_t = ϕ'(s*_t) ⊙ ∂L/∂s_t, over the slope
        if residual:
            g += delta @ W                                  # ∂L/∂s_{t-1} = W^T δ_t + ∂L/∂s_t
        else:
            np.matmul(delta, W, out=g)                      # ∂L/∂s_{t-1} = W^T δ_t
    return Sweep(deltas, tot, g)


def _slope_into(s, activation, out):
    """``slope_from_output(s, activation)`` written into ``out`` (not s itself), the same arithmetic."""
    if activation == "tanh":
        np.multiply(s, s, out=out)
        return np.subtract(1.0, out, out=out)           # 1 − s²
    if activation == "sigmoid":
        np.subtract(1.0, s, out=out)
        return np.multiply(s, out, out=out)             # s(1 − s)
    if activation == "relu":
        return np.greater(s, 0, out=out)                # [s > 0]: 1.0 or 0.0
    out.fill(1.0)
    return out


def _truncated(dS, cache, k):
    """Each L_t's gradient goes back through k steps only. Loop over j = steps back, vectorised over t.

    G[τ-1] holds, for the origin t = τ + j, the gradient of L_t with respect to s_τ.
    """
    slope = _slope_into(cache["A"], cache["activation"], np.empty_like(dS))
    W, residual = cache["W"], cache["residual"]
    T, B, H = dS.shape
    deltas = np.zeros_like(dS)
    ds0 = np.zeros_like(dS[0])
    G = dS
    d_buf, carry_bufs = np.empty_like(dS), (np.empty_like(dS), np.empty_like(dS))   # G alternates between the two
    for j in range(min(k, T)):
        n = T - j                        # positions τ = 1..n still receive a signal
        d = np.multiply(slope[:n], G, out=d_buf[:n])        # δ at position τ for origin τ + j
        deltas[:n] += d
        carry = carry_bufs[j % 2][:n]    # the gradient at s_{τ-1}: W^T δ (+ G if residual)
        np.matmul(d.reshape(n * B, H), W, out=carry.reshape(n * B, H))
        if residual:
            carry += G
        ds0 += carry[0]
        G = carry[1:]
    return deltas, ds0


def _backward(dS, cache, k):
    """rnn_backward on checked arguments: exact if k is None, else truncated to k steps."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if k is None:
            deltas, _, ds0 = _sweep(dS, cache)
        else:
            deltas, ds0 = _truncated(dS, cache, k)
        T, B, H = deltas.shape
        flat = deltas.reshape(T * B, H)
        grads = dict(U=input_grad(deltas, cache["X"], cache["U"].shape[1]),
                     W=flat.T @ cache["S"][:-1].reshape(T * B, H),
                     b=np.ones(T * B) @ flat)              # Σ_t δ_t: column sums, as a product (faster than .sum)
    for name, g in dict(grads, s0=ds0).items():
        check_finite_result(f"the gradient d{name}", g, "the backward signal exploded; clip or rescale W")
    return Backward(grads, ds0, deltas)


def rnn_backward(dS, cache, truncate=None):
    """Gradients of the loss with respect to U, W, b and s_0 (chapter 6).

    dS: (T, B, H), dS[t-1] = the local gradient ∂L_t/∂s_t of step t's own loss.
    cache: from ``rnn_forward``.
    truncate: None for exact BPTT (one O(T) sweep). An integer k lets each L_t send its gradient
      back through k steps only: step t and the k−1 before it (the source's RNN2 uses k = 10).
      This costs O(T·k); for k ≥ T it equals exact BPTT.
    Returns Backward(grads {U (H, D), W (H, H), b (H,)}, dstate0 = ∂L/∂s_0 (B, H),
    deltas = δ_t (T, B, H)). A layer below needs ∂L/∂X = deltas @ U, shape (T, B, D) (none for ids).
    """
    T, B, H = _check_cache(cache)["A"].shape
    dS = as_float_array("dS", dS, shape=(T, B, H))
    return _backward(dS, cache, check_positive_int("truncate", truncate, allow_none=True))


def rnn_loss_and_grads(params, X, Y, activation="tanh", output="softmax", truncate=None, s0=None,
                       residual=False):
    """The loss L = Σ_t L_t (averaged over the batch) and its gradient for every parameter (chapters 3, 6).

    params: {U (H, D), W (H, H), b (H,), V (K, H), c (K,)}.  X: (T, B, D), or (T, B) integer ids.
    Y: (T, B) integer class ids for output='softmax'; (T, B, K) for 'sigmoid' (0/1 targets,
       binary cross-entropy) and 'identity' (squared error ½‖o − y‖²).
    truncate: see ``rnn_backward``.  s0: (B, H) or None (zeros).  residual: see ``rnn_forward``.
    Returns LossGrads(loss, grads keyed like params, state = s_T (B, H), to carry into the next chunk).
    """
    check_params(params, ("U", "W", "b", "V", "c"), "rnn_loss_and_grads")
    k = check_positive_int("truncate", truncate, allow_none=True)
    S, cache = rnn_forward(params, X, activation=activation, s0=s0, residual=residual)
    head = output_layer(params, S[1:], Y, output)
    grads = _backward(head.dstates, cache, k).grads
    grads.update(V=head.dV, c=head.dc)
    return LossGrads(head.loss, grads, S[-1].copy())
