"""How far a truncated BPTT gradient is from the exact one (chapter 6).

Per-output truncation to k steps lets each loss term L_t send its gradient back through step t
and the k−1 steps before it only (``rnn_backward(..., truncate=k)``). ``truncation_errors``
measures the relative error ‖g_k − g‖ / max(‖g_k‖, ‖g‖) of the truncated gradient g_k against
the exact gradient g, both taken over the recurrent parameters U, W and b (V and c never go
through time, so truncation leaves them unchanged), on a random problem whose W has largest
singular value ``scale``.
"""
import numpy as np

from ._validate import check_positive_float, check_positive_int, check_rng
from .bptt import rnn_loss_and_grads
from .gradcheck import relative_error
from .rnn import init_rnn

#: The parameters whose gradient truncation changes.
RECURRENT = ("U", "W", "b")


def make_problem(scale, *, rng, T=40, hidden_size=16, batch_size=8, input_size=4, n_classes=4):
    """A random RNN and a batch of data for the truncation experiments.

    W is a random orthogonal matrix times ``scale`` (so σ_max(W) = scale), U and V are drawn as
    in PyTorch, b = c = 0. Inputs X (T, B, D) are standard normal, labels Y (T, B) uniform over
    ``n_classes``; the loss is the softmax cross-entropy. Returns (params, X, Y).
    """
    scale = check_positive_float("scale", scale)
    T, H = check_positive_int("T", T), check_positive_int("hidden_size", hidden_size)
    B, D = check_positive_int("batch_size", batch_size), check_positive_int("input_size", input_size)
    K = check_positive_int("n_classes", n_classes)
    params = init_rnn(D, H, K, check_rng(rng), init="orthogonal", w_scale=scale)
    return params, rng.standard_normal((T, B, D)), rng.integers(0, K, (T, B))


def _flat(grads):
    return np.concatenate([grads[name].ravel() for name in RECURRENT])


def truncation_errors(k_values, scale, *, rng, T=40, activation="tanh", hidden_size=16, batch_size=8):
    """Relative error of the k-step truncated gradient against exact BPTT, for each k.

    k_values: a 1-D array of positive integers (k ≥ T gives 0). scale: σ_max(W) of the problem
    drawn by ``make_problem`` from ``rng``. Returns an array shaped like k_values.
    """
    ks = np.asarray(k_values)
    if ks.ndim != 1 or ks.size == 0 or ks.dtype.kind not in "iu" or ks.min() < 1:
        raise ValueError(f"k_values must be a non-empty 1-D array of positive integers, got {k_values!r}")
    params, X, Y = make_problem(scale, rng=rng, T=T, hidden_size=hidden_size, batch_size=batch_size)
    full = _flat(rnn_loss_and_grads(params, X, Y, activation=activation).grads)
    return np.array([relative_error(_flat(rnn_loss_and_grads(params, X, Y, activation=activation,
                                                             truncate=int(k)).grads), full) for k in ks])
