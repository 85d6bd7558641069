"""Gradient clipping: the source's "threshold" for exploding gradients (chapter 7).

Two different things are called clipping:
  by value        every entry is clamped to [-threshold, threshold]; the direction changes.
  by global norm  if ‖g‖ over *all* parameters exceeds max_norm, every gradient is
                  scaled by max_norm / ‖g‖; the direction is kept (Pascanu et al. 2013).
Both return new dicts and leave the input untouched.
"""
import numpy as np

from ._validate import check_positive_float


def _check_grads(grads):
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict of arrays, got {type(grads).__name__}")
    return {k: np.asarray(v, dtype=np.float64) for k, v in grads.items()}


def global_norm(grads):
    """‖g‖ = sqrt(Σ over all parameters and entries of g²)."""
    grads = _check_grads(grads)
    return float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))


def clip_by_value(grads, threshold):
    """Clamp every gradient entry to [-threshold, threshold]."""
    threshold = check_positive_float("threshold", threshold)
    return {k: np.clip(g, -threshold, threshold) for k, g in _check_grads(grads).items()}


def clip_by_global_norm(grads, max_norm):
    """Rescale all gradients together so their global norm is at most max_norm.

    Returns (clipped, norm) where norm is the global norm *before* clipping.
    """
    max_norm = check_positive_float("max_norm", max_norm)
    grads = _check_grads(grads)
    norm = global_norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, norm
