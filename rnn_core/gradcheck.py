"""Gradient checking by central finite differences (chapter 6).

For each parameter entry θ_i, the numerical derivative is
    (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε),
whose error is O(ε²) plus rounding of about machine-ε · |L| / ε. In float64 with ε = 1e-6 both
are near 1e-10, so a correct analytic gradient agrees to about 1e-8 or better (the book's
tolerance for "correct" is a relative error below 1e-6), and a wrong one is off by far more.
A NaN or inf anywhere makes the check fail loudly: it is never averaged or maxed away.
"""
import numpy as np

from ._validate import check_positive_float, norm


def numerical_gradient(loss_fn, params, eps=1e-6, keys=None):
    """Central-difference gradient of ``loss_fn(params) -> float`` for every entry.

    params: dict of float64 arrays; each entry is perturbed in place and restored, also when
    ``loss_fn`` raises. keys: the names to differentiate (default: all).
    Returns a dict {name: array of the parameter's shape}.
    """
    eps = check_positive_float("eps", eps)
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of arrays, got {type(params).__name__}")
    grads = {}
    for name in (params if keys is None else keys):
        p = params[name]
        if not (isinstance(p, np.ndarray) and p.dtype == np.float64):
            got = f"{type(p).__name__}" + (f" of dtype {p.dtype}" if isinstance(p, np.ndarray) else "")
            raise ValueError(f"params[{name!r}] must be a float64 array for a gradient check, got {got}")
        g = np.zeros_like(p)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            try:
                flat[i] = old + eps
                up = float(loss_fn(params))
                flat[i] = old - eps
                down = float(loss_fn(params))
            finally:
                flat[i] = old
            gflat[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def relative_error(a, b):
    """‖a − b‖ / max(‖a‖, ‖b‖) for two arrays of the same shape; 0 when both are exactly zero.

    NaN if either holds a NaN or inf (the scaled norms propagate it), so no check can pass on a
    broken gradient. The norms
    are scaled (``_validate.norm``), so gradients near 1e-200 or 1e200 are compared correctly.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error needs equal shapes, got {a.shape} and {b.shape}")
    scale = max(norm(a), norm(b))
    return 0.0 if scale == 0 else norm(a - b) / scale


def gradient_check(f, params, eps=1e-6, per_parameter=False):
    """Compare the analytic gradients of ``f`` with central differences (chapter 6).

    f(params) must return (loss, grads, ...) (e.g. a ``LossGrads``) with grads keyed like params.
    Returns the largest relative error over the parameters, each parameter's error being
    ``relative_error(analytic, numerical)``; NaN if any parameter's error is NaN (a NaN or inf
    in a gradient). With per_parameter=True, returns the dict {name: error} instead.
    """
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    analytic = f(params)[1]
    missing = set(params) - set(analytic)
    if missing:
        raise ValueError(f"f returned no gradient for {sorted(missing)}")
    numeric = numerical_gradient(lambda p: f(p)[0], params, eps=eps)
    errors = {k: relative_error(analytic[k], numeric[k]) for k in params}
    # np.max propagates a NaN; Python's max() would silently skip it unless it came first.
    return errors if per_parameter else float(np.max(list(errors.values())))
