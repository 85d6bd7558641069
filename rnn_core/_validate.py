"""Input checks shared by every public function of rnn_core.

Each check raises ``ValueError`` (or ``TypeError`` for an object that is not an array
at all) with a message that names the argument, what it got and what it expected.
Nothing here broadcasts: shapes must match exactly.
"""
import numpy as np


def as_float_array(name, a, ndim=None, shape=None, finite=True):
    """Return ``a`` as a float64 array after checking ndim, shape and finiteness.

    ``shape`` may hold ``None`` for a free axis, e.g. ``(None, B, D)``.
    """
    if isinstance(a, (str, bytes, dict)) or a is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(a).__name__}")
    arr = np.asarray(a)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be an array of numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if shape is not None:
        if len(shape) != arr.ndim or any(s is not None and s != g for s, g in zip(shape, arr.shape)):
            raise ValueError(f"{name} must have shape {_fmt(shape)}, got shape {arr.shape}")
    elif ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {arr.shape}")
    if finite and not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {bad}; all entries must be finite")
    return arr


def _fmt(shape):
    """(4, ?, 3) for a shape with a free axis; (5,) for one axis, as Python writes it."""
    parts = ["?" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def check_params(params, required, where):
    """Check that ``params`` is a dict holding every key in ``required``."""
    if not isinstance(params, dict):
        raise TypeError(f"{where}: params must be a dict of arrays, got {type(params).__name__}")
    missing = [k for k in required if k not in params]
    if missing:
        raise ValueError(f"{where}: params is missing {missing}; it needs the keys {list(required)}")


def check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def check_positive_int(name, value, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer{' or None' if allow_none else ''}, got {value!r}")
    return int(value)


def check_positive_float(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number, got {value!r}")
    return float(value)


def as_labels(name, y, shape, n_classes):
    """Return integer class ids ``y`` after checking dtype, shape and range [0, n_classes)."""
    arr = np.asarray(y)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class ids (an integer dtype), got dtype {arr.dtype}")
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {_fmt(shape)}, got shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(f"{name} must hold class ids in [0, {n_classes - 1}], "
                         f"got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.intp, copy=False)


def check_finite_result(name, arr, hint):
    """Raise ValueError if a computed array overflowed to inf or NaN."""
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} overflowed to inf or NaN: {hint}")
