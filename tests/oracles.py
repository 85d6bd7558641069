"""Independent definitions the tests compare rnn_core with: plain loops, written once.

Nothing here calls rnn_core's forward or backward passes. The truncation oracle is the
definition itself: with truncation k, the loss L_t sends its gradient through steps t, t−1, ...,
t−k+1 only, so the state s_{t−k} that enters L_t's window is a constant. The truncated gradient
is therefore the derivative of Σ_t L_t with s_{t−k} frozen at its value under the reference
parameters p0, which ``frozen_window_loss`` computes and central differences differentiate.
"""
import numpy as np

ACT = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
       "identity": lambda z: z}


def states(p, X, s0=None, activation="tanh", residual=False):
    """[s_0, s_1, ..., s_T] of a batch X (T, B, D), by a plain loop."""
    out = [np.zeros((X.shape[1], p["W"].shape[0])) if s0 is None else s0]
    for x in X:
        a = ACT[activation](x @ p["U"].T + out[-1] @ p["W"].T + p["b"])
        out.append(out[-1] + a if residual else a)
    return out


def softmax_ce(p, s, y):
    """Categorical cross-entropy of one step's states s (B, H) with labels y (B,), summed over the batch."""
    z = s @ p["V"].T + p["c"]
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].sum()


def frozen_window_loss(p, p0, X, step_losses, k, s0=None, s0_ref=None, activation="tanh", residual=False):
    """Σ_t step_losses(t, s_t) where s_t is recomputed under p from s_{t−k} frozen under p0.

    step_losses(t, s) -> float, t = 1..T. k=None: nothing is frozen (the full loss).
    s_0 itself is never frozen: a window that starts at step 1 starts from ``s0`` (which a test
    may perturb), while the frozen states come from ``s0_ref`` (default: s0).
    """
    frozen = states(p0, X, s0 if s0_ref is None else s0_ref, activation, residual)
    first = frozen[0] if s0 is None else s0
    total = 0.0
    for t in range(1, len(X) + 1):
        start = 0 if k is None else max(t - k, 0)
        s = frozen[start] if start > 0 else first
        for j in range(start, t):
            a = ACT[activation](X[j] @ p["U"].T + s @ p["W"].T + p["b"])
            s = s + a if residual else a
        total += step_losses(t, s)
    return total


def targets(output, T, B, K, rng):
    """Targets for an output transform: class ids (T, B), 0/1 (T, B, K) or reals (T, B, K)."""
    if output == "softmax":
        return rng.integers(0, K, (T, B))
    if output == "sigmoid":
        return rng.integers(0, 2, (T, B, K)).astype(float)
    return rng.standard_normal((T, B, K))
