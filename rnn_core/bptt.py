"""Backpropagation through time for the vanilla RNN (chapter 6).

Notation (chapter 6, and the index's notation table):
  δ_t = ∂L/∂s*_t is a *total* derivative: it collects every path from s*_t to the loss,
  through the output o_t and through all later states.  dS[t-1] = ∂L/∂s_t|direct is the
  *local* gradient that reaches s_t from its own output only.

Exact BPTT is one O(T) backward pass with a running δ (chapter 6, eq. 6.6):
  δ_t = ϕ'(s*_t) ⊙ (dS_t + W^T δ_{t+1}),   δ_{T+1} = 0,
  ∂L/∂U = Σ_t δ_t x_t^T,   ∂L/∂W = Σ_t δ_t s_{t-1}^T,   ∂L/∂b = Σ_t δ_t.
In batch-row form W^T δ is ``delta @ W`` and the sums over t and the batch are single
matrix products.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_finite_result, check_positive_int
from .activations import slope_from_output
from .losses import OUTPUTS, output_loss
from .rnn import check_output_params, check_rnn_params, rnn_forward


def _weight_grads(D_, X, S_prev):
    """∂L/∂U, ∂L/∂W, ∂L/∂b from all δ_t at once: sums over t and batch as matrix products."""
    T, B, H = D_.shape
    flat = D_.reshape(T * B, H)
    return dict(U=flat.T @ X.reshape(T * B, -1), W=flat.T @ S_prev.reshape(T * B, H), b=flat.sum(axis=0))


def rnn_backward(dS, cache, truncate=None, return_dX=False):
    """Gradients of the loss with respect to U, W, b and s_0 (chapter 6).

    dS: (T, B, H), dS[t-1] = the direct gradient ∂L_t/∂s_t of step t's own loss.
    cache: from ``rnn_forward``.
    truncate: None for exact BPTT (one O(T) pass).  An integer k makes each L_t send its
      gradient back through at most k steps: step t and the k-1 before it (the source's
      RNN2 uses k = 10).  k >= T is exact.
    Returns (grads, ds0): grads is {U (H, D), W (H, H), b (H,)}, ds0 is (B, H).
    With return_dX=True also dX (T, B, D) = ∂L/∂X, which a stacked layer below needs.
    """
    if not isinstance(cache, dict) or "S" not in cache:
        raise TypeError("cache must be the dict returned by rnn_forward")
    S, A, W = cache["S"], cache["A"], cache["W"]
    T, B, H = A.shape
    dS = as_float_array("dS", dS, ndim=3, shape=(T, B, H))
    k = check_positive_int("truncate", truncate, allow_none=True)
    slope = slope_from_output(A, cache["activation"])
    res = cache["residual"]
    with np.errstate(over="ignore", invalid="ignore"):
        if k is None or k >= T:
            deltas, ds0 = _exact(dS, slope, W, res)
        else:
            deltas, ds0 = _truncated(dS, slope, W, res, k)
        grads = _weight_grads(deltas, cache["X"], S[:-1])
    for name, g in dict(grads, s0=ds0).items():
        check_finite_result(f"the gradient d{name}", g, "the backward signal exploded; clip or rescale W")
    if return_dX:
        return grads, ds0, deltas @ cache["U"]
    return grads, ds0


def _exact(dS, slope, W, residual, totals=None):
    """One backward sweep: δ_t = ϕ'(s*_t) ⊙ (dS_t + W^T δ_{t+1}) (+ the skip path).

    If ``totals`` (T, B, H) is given, it receives the total ∂L/∂s_t of every step.
    """
    T = dS.shape[0]
    deltas = np.empty_like(dS)
    carry = np.zeros_like(dS[0])        # ∂L/∂s_t arriving from step t+1
    for t in range(T - 1, -1, -1):
        g = dS[t] + carry               # total ∂L/∂s_t
        if totals is not None:
            totals[t] = g
        deltas[t] = slope[t] * g        # δ_t
        carry = deltas[t] @ W + g if residual else deltas[t] @ W
    return deltas, carry


def _truncated(dS, slope, W, residual, k):
    """Each L_t's gradient goes back k steps.  Loop j = steps back, vectorised over all t.

    G[τ-1] holds, for origin t = τ + j, the gradient of L_t with respect to s_τ.
    """
    T = dS.shape[0]
    deltas = np.zeros_like(dS)
    ds0 = np.zeros_like(dS[0])
    G = dS.copy()
    for j in range(k):
        n = T - j                        # positions τ = 1..n still receive a signal
        d = slope[:n] * G                # δ at position τ for origin τ + j
        deltas[:n] += d
        carry = d @ W + G if residual else d @ W   # gradient at s_{τ-1}
        ds0 += carry[0]
        G = carry[1:]
        if G.shape[0] == 0:
            break
    return deltas, ds0


def rnn_loss_and_grads(params, X, Y, activation="tanh", output="softmax", truncate=None,
                       s0=None, residual=False, return_state=False):
    """The loss L = Σ_t L_t (averaged over the batch) and its gradients for every parameter.

    params: {U, W, b, V, c}.  X: (T, B, D).
    Y: (T, B) integer class ids for output='softmax'; (T, B, K) for 'sigmoid' (0/1
       targets, binary cross-entropy) and 'identity' (squared error ½‖o - y‖²).
    truncate: see ``rnn_backward``.  s0: (B, H) or None.
    Returns (loss, grads) with grads keyed like params; with return_state=True also the
    final state S[T] (B, H), to carry into the next chunk of a long sequence.
    """
    check_rnn_params(params, where="rnn_loss_and_grads", need_output=True)
    check_choice("output", output, OUTPUTS)
    S, cache = rnn_forward(params, X, activation=activation, s0=s0, residual=residual)
    T, B, H = S.shape[0] - 1, S.shape[1], S.shape[2]
    V, c, K = check_output_params(params, H)
    states = S[1:]
    loss, dlogits = output_loss(states @ V.T + c, Y, output)
    grads, _ = rnn_backward(dlogits @ V, cache, truncate=truncate)
    grads["V"] = dlogits.reshape(T * B, K).T @ states.reshape(T * B, H)
    grads["c"] = dlogits.sum(axis=(0, 1))
    if return_state:
        return loss, grads, S[-1].copy()
    return loss, grads
