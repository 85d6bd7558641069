"""Gradient clipping: the source's "threshold" for exploding gradients (chapter 7).

Two different things are called clipping:
  by value        every entry is clamped to [−threshold, threshold]; the direction changes.
  by global norm  if ‖g‖ over *all* parameters exceeds max_norm, every gradient is
                  scaled by max_norm / ‖g‖; the direction is kept (Pascanu et al. 2013).
Both return new dicts and leave the input untouched. Both refuse NaN and inf: clipping an
overflowed gradient would hide the overflow (a NaN norm would set every gradient to 0).
"""
import numpy as np

from ._validate import as_float_array, check_positive_float, norm


def _check_grads(grads):
    if not isinstance(grads, dict) or not grads:
        raise TypeError(f"grads must be a non-empty dict of arrays, got {type(grads).__name__}")
    return {k: as_float_array(f"grads[{k!r}]", v) for k, v in grads.items()}


def global_norm(grads):
    """‖g‖ = sqrt(Σ over all parameters and entries of g²), for a dict of arrays; a float.

    Computed scaled, so finite gradients near 1e200 give a finite norm instead of inf.
    """
    grads = _check_grads(grads)
    return norm(np.array([norm(g) for g in grads.values()]))


def clip_by_value(grads, threshold):
    """Clamp every gradient entry to [−threshold, threshold]; returns a new dict of the same shapes."""
    threshold = check_positive_float("threshold", threshold)
    return {k: _clamp(g, threshold) for k, g in _check_grads(grads).items()}


def _clamp(g, threshold):
    """min(max(g, −threshold), threshold), a new array (np.clip's result, with less overhead)."""
    out = np.maximum(g, -threshold)
    return np.minimum(out, threshold, out=out)


def clip_by_global_norm(grads, max_norm):
    """Rescale all gradients together so that their global norm is at most max_norm.

    Returns (clipped, norm): a new dict of the same shapes, and the global norm *before* clipping.
    """
    max_norm = check_positive_float("max_norm", max_norm)
    grads = _check_grads(grads)
    total = global_norm(grads)
    scale = max_norm / total if total > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, total
