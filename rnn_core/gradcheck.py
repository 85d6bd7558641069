"""Gradient checking by central finite differences (chapter 6).

For each parameter entry θ_i, the numerical derivative is
    (L(θ + ε e_i) - L(θ - ε e_i)) / (2ε),
whose error is O(ε²) plus rounding of about machine-ε · |L| / ε. In float64 with
ε = 1e-6 both are near 1e-10, so a correct analytic gradient agrees to about 1e-8 or
better, and a wrong one is off by far more.
"""
import numpy as np

from ._validate import check_positive_float


def numerical_gradient(loss_fn, params, eps=1e-6, keys=None):
    """Central-difference gradient of ``loss_fn(params) -> float`` for every entry.

    params: dict of float64 arrays (it is perturbed in place and restored).
    Returns a dict with the same keys and shapes as ``params`` (or ``keys``).
    """
    eps = check_positive_float("eps", eps)
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of arrays, got {type(params).__name__}")
    grads = {}
    for name in (keys if keys is not None else params):
        p = params[name]
        if not (isinstance(p, np.ndarray) and p.dtype == np.float64):
            raise ValueError(f"params[{name!r}] must be a float64 array for a gradient check, got {type(p).__name__}"
                             f"{' of dtype ' + str(p.dtype) if isinstance(p, np.ndarray) else ''}")
        g = np.zeros_like(p)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = float(loss_fn(params))
            flat[i] = old - eps
            down = float(loss_fn(params))
            flat[i] = old
            gflat[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def relative_error(a, b):
    """‖a - b‖ / max(‖a‖, ‖b‖), and 0 when both are exactly zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error needs equal shapes, got {a.shape} and {b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def gradient_check(f, params, eps=1e-6, per_parameter=False):
    """Compare the analytic gradients of ``f`` with central differences.

    f(params) must return (loss, grads) with grads keyed like params.
    Returns the largest relative error over the parameters, where each parameter's
    error is ‖analytic - numerical‖ / max(‖analytic‖, ‖numerical‖). With
    per_parameter=True, returns a dict {name: error} instead.
    """
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    _, analytic = f(params)
    missing = set(params) - set(analytic)
    if missing:
        raise ValueError(f"f returned no gradient for {sorted(missing)}")
    numeric = numerical_gradient(lambda p: f(p)[0], params, eps=eps)
    errors = {k: relative_error(analytic[k], numeric[k]) for k in params}
    return errors if per_parameter else max(errors.values())
