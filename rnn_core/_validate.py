"""Argument checks for the public functions of rnn_core (and of its book layer), and ``norm``.

Each check raises ``ValueError`` (``TypeError`` for an object of the wrong kind) with a message
that names the argument, what it got and what it expected. Nothing here broadcasts: shapes must
match exactly. A public function checks each argument once, where it first receives it; the
functions it calls inside its own module take the checked arrays without checking them again.
"""
import numpy as np

_F64 = np.dtype(np.float64)
_SAFE_LOW = 1e-200      # Σ a² above this: a square that underflowed (< 2.3e-308) is below 1e-108 of it


def as_float_array(name, a, ndim=None, shape=None, finite=True):
    """Return ``a`` as a float64 array after checking its ndim, shape and finiteness.

    ``shape`` may hold ``None`` for a free axis, e.g. ``(None, B, D)``. A float64 array is
    returned as it is (no copy).
    """
    if type(a) is np.ndarray and a.dtype == _F64:      # the common case, checked fast
        arr = a
    else:
        if isinstance(a, (str, bytes, dict)) or a is None:
            raise TypeError(f"{name} must be an array of numbers, got {type(a).__name__}")
        arr = np.asarray(a)
        if arr.dtype.kind not in "biuf":
            kind = "real" if arr.dtype.kind == "c" else "an array of numbers"
            raise TypeError(f"{name} must be {kind}, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
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
    """Check that ``params`` is a dict (of arrays of any shape) holding every key in ``required``."""
    if not isinstance(params, dict):
        raise TypeError(f"{where}: params must be a dict of arrays, got {type(params).__name__}")
    missing = [k for k in required if k not in params]
    if missing:
        raise ValueError(f"{where}: params is missing {missing}; it needs the keys {list(required)}")


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def check_bool(name, value):
    """Return ``value`` if it is True or False (not 'no', not 0)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_positive_int(name, value, allow_none=False):
    """Return ``value`` as an int if it is a positive integer (or None, if allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer{' or None' if allow_none else ''}, got {value!r}")
    return int(value)


def check_number(name, value, low=-np.inf, high=np.inf, low_open=False):
    """Return ``value`` as a float if it is a finite real number in [low, high] ((low, high] if low_open)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    if not np.isfinite(value) or too_low or value > high:
        if high == np.inf:
            what = "a finite number" if low == -np.inf else f"a finite number {'>' if low_open else '>='} {low:g}"
        else:
            what = f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}]"
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return value


def check_positive_float(name, value):
    """Return ``value`` as a float if it is a finite number > 0."""
    return check_number(name, value, low=0.0, low_open=True)


def check_rng(rng):
    """Return ``rng`` if it is a numpy Generator (the book's only source of randomness)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. np.random.default_rng(0); got {type(rng).__name__}")
    return rng


def as_labels(name, y, shape, n_classes):
    """Return integer class ids ``y`` after checking dtype, shape and range [0, n_classes)."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu":
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


def norm(a, axis=None):
    """The Euclidean norm of an array ``a`` of any shape (over ``axis``), scaled so that it neither
    overflows nor underflows: a float for axis=None, else an array of a's shape without ``axis``.

    ``np.linalg.norm`` squares the entries, so vectors near 1e-170 get norm 0 and vectors near
    1e170 get inf. Where that can happen (Σ a² overflows, or is below 1e-200, so that squares
    which underflowed could matter), the entries are first divided by the largest |entry|, which
    keeps every finite input finite; otherwise sqrt(Σ a²) is exact to rounding and faster.
    """
    a = np.asarray(a, dtype=np.float64)
    if axis is None:
        flat = a.ravel()
        square = float(np.vdot(flat, flat))                 # Σ a² in one pass (inf, not a warning, on overflow)
        if _SAFE_LOW < square < np.inf:                     # no square overflowed, none that matters underflowed
            return float(np.sqrt(square))
    m = np.max(np.abs(a), axis=axis, keepdims=True) if a.size else np.zeros((1,) * a.ndim)
    safe = np.where(m > 0, m, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.sqrt(np.sum((a / safe) ** 2, axis=axis, keepdims=True)) * m
    return float(out.reshape(())) if axis is None else np.squeeze(out, axis=axis)
