"""Output transforms φ and their losses (chapters 3 and 6).

Each output transform is paired with the loss it is meant for:

=============  ==========================  ===============================================
output         φ(o*)                       L_t
=============  ==========================  ===============================================
``softmax``    softmax(o*)                 categorical cross-entropy  -log o_t[y_t]
``sigmoid``    σ(o*) elementwise           binary cross-entropy  -Σ_k [y log o + (1-y) log(1-o)]
``identity``   o*                          squared error  ½ ‖o_t - y_t‖²
=============  ==========================  ===============================================

For all three pairs the gradient with respect to the *pre-activation* o* is o - y
(with y one-hot for softmax). That is why ``output_loss`` takes logits o*, not o.
Losses are summed over time steps and averaged over the batch: L = (1/B) Σ_b Σ_t L_t.
Every formula is written in an overflow-safe form. ``output_layer`` is the one place where the
output layer o*_t = V s_t + c, its loss and its gradients are computed, for every cell and
structure of the book.
"""
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, as_labels, check_choice, check_finite_result
from .activations import sigmoid

OUTPUTS = ("softmax", "sigmoid", "identity")


def log_softmax(z, axis=-1):
    """log softmax(z) along ``axis``, stable for any finite z; same shape as z."""
    z = np.asarray(z, dtype=np.float64)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis=-1):
    """softmax(z) along ``axis``; same shape as z. The max is subtracted first: exp never overflows."""
    return np.exp(log_softmax(z, axis=axis))


def output_transform(logits, output):
    """φ(o*): the output transform ``output`` applied to logits (..., K); returns (..., K)."""
    check_choice("output", output, OUTPUTS)
    if output == "softmax":
        return softmax(logits)
    if output == "sigmoid":
        return sigmoid(logits)
    return np.array(logits, dtype=np.float64, copy=True)


def output_loss(logits, Y, output):
    """Loss and its gradient with respect to the logits.

    logits: (T, B, K) pre-activations o*_t.
    Y: (T, B) integer class ids for ``softmax``; (T, B, K) targets in [0, 1] for
       ``sigmoid``; (T, B, K) real targets for ``identity``.
    Returns (loss, dlogits): a float, summed over T and averaged over B, and an array
    (T, B, K) equal to (o - y) / B.
    """
    check_choice("output", output, OUTPUTS)
    logits = as_float_array("logits", logits, ndim=3)
    return _loss(np.array(logits), Y, output, "Y")


def _loss(logits, Y, output, y_name):
    """output_loss on checked logits (T, B, K), which it may overwrite (softmax reuses their memory)."""
    T, B, K = logits.shape
    if output == "softmax":
        y = as_labels(y_name, Y, (T, B), K)
        t, b = np.indices((T, B), sparse=True)
        z = logits
        z -= z.max(axis=-1, keepdims=True)                      # z = o* − max o*: exp(z) ≤ 1
        picked = z[t, b, y]                                     # z[y_t]
        e = np.exp(z, out=z)
        total = e.sum(axis=-1)                                  # Σ_k exp(z_k), (T, B)
        loss = (np.log(total) - picked).sum() / B               # −log o_t[y_t] = log Σ exp(z) − z[y_t]
        d = np.divide(e, (total * B)[..., None], out=e)         # o_t / B, o_t = exp(z) / Σ exp(z)
        d[t, b, y] -= 1.0 / B                                   # (o_t − y_t) / B, y_t one-hot
        return float(loss), d
    y = as_float_array(y_name, Y, ndim=3, shape=(T, B, K))
    if output == "sigmoid":
        if y.min() < 0 or y.max() > 1:
            raise ValueError(f"{y_name} must hold targets in [0, 1] for output='sigmoid', "
                             f"got values from {y.min()} to {y.max()}")
        # -[y log σ(z) + (1-y) log(1-σ(z))] = max(z, 0) - z y + log(1 + e^{-|z|})
        per = np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
        return float(per.sum() / B), (sigmoid(logits) - y) / B
    diff = logits - y
    return float(0.5 * np.sum(diff * diff) / B), diff / B


class OutputGrads(NamedTuple):
    """What ``output_layer`` returns."""

    loss: float          # L = (1/B) Σ_b Σ_t L_t
    dstates: np.ndarray  # (T, B, H): ∂L/∂s_t through o_t only, V^T (o_t − y_t) / B
    dV: np.ndarray       # (K, H):    Σ_t (o_t − y_t) s_t^T / B
    dc: np.ndarray       # (K,):      Σ_t (o_t − y_t) / B


def output_layer(params, states, Y, output, y_name="Y"):
    """The output layer o_t = φ(V s_t + c) on top of any cell: its loss and its gradients (chapter 3).

    params: a dict with V (K, H) and c (K,) (other keys are ignored).
    states: (T, B, H), the states s_1..s_T (or h_1..h_T) that the layer reads.
    Y: (T, B) integer class ids for output='softmax'; (T, B, K) targets for 'sigmoid' and 'identity'.
    y_name: the name the caller's user knows the targets by, for error messages (e.g. "y").
    Returns OutputGrads(loss, dstates (T, B, H), dV (K, H), dc (K,)).
    """
    check_choice("output", output, OUTPUTS)
    if not isinstance(params, dict) or "V" not in params or "c" not in params:
        raise ValueError("params must hold the output layer's V (K, H) and c (K,)")
    T, B, H = states.shape
    V = as_float_array("V", params["V"], ndim=2, shape=(None, H))
    c = as_float_array("c", params["c"], ndim=1, shape=(V.shape[0],))
    flat = states.reshape(T * B, H)
    with np.errstate(over="ignore", invalid="ignore"):        # huge but finite states: checked below
        logits = flat @ V.T
        logits += c                                             # o*_t = V s_t + c for every t at once
        check_finite_result("the logits V s_t + c", logits, "the states are too large; clip or rescale W")
        loss, dlogits = _loss(logits.reshape(T, B, -1), Y, output, y_name)
        dflat = dlogits.reshape(T * B, -1)
        grads = OutputGrads(loss, (dflat @ V).reshape(T, B, H), dflat.T @ flat,
                            np.ones(T * B) @ dflat)     # Σ_t (o_t − y_t) / B, as a product (faster than .sum)
    for name, value in zip(("the loss", "dstates", "dV", "dc"), grads):
        check_finite_result(name, np.asarray(value), "the outputs are too far from the targets for float64")
    return grads
