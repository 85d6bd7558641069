"""Hidden activations ϕ and their slopes ϕ' (chapters 1, 6 and 7).

Each activation is an elementwise function of the pre-activation s* and has a slope ϕ'(s*).
The backward pass computes the slope from the output s = ϕ(s*), which the forward pass has
already stored (``slope_from_output``). No input, however large, overflows or warns.
"""
import numpy as np

from ._validate import check_choice

#: γ = max_z ϕ'(z), the largest slope of each activation (chapter 7's bound uses it).
MAX_SLOPE = {"identity": 1.0, "sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
ACTIVATIONS = tuple(MAX_SLOPE)


def sigmoid(z, out=None):
    """σ(z) = 1 / (1 + e^{-z}) elementwise, computed as ½(1 + tanh(z/2)).

    The two are equal for every z; the tanh form cannot overflow and is one ufunc pass.
    z: any shape. out: an optional float64 array of z's shape to write into (may be z itself).
    Returns σ(z), same shape as z.
    """
    if out is None:
        out = np.array(z, dtype=np.float64)        # a copy; 0-d for a scalar z
    elif out is not z:
        np.copyto(out, z)
    out *= 0.5
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out if out.ndim else out[()]


def activate(z, activation):
    """ϕ(z) elementwise for ``activation`` in ACTIVATIONS; z of any shape, returns a new array."""
    check_choice("activation", activation, ACTIVATIONS)
    z = np.asarray(z, dtype=np.float64)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return sigmoid(z)
    if activation == "relu":
        return np.maximum(z, 0.0)
    return z.copy()


def slope_from_output(s, activation):
    """ϕ'(s*) written in terms of the output s = ϕ(s*), elementwise; same shape as s.

    tanh' = 1 − s², sigmoid' = s(1 − s), relu' = [s > 0], identity' = 1.
    """
    check_choice("activation", activation, ACTIVATIONS)
    if activation == "tanh":
        return 1.0 - s * s
    if activation == "sigmoid":
        return s * (1.0 - s)
    if activation == "relu":
        return (s > 0).astype(np.float64)
    return np.ones_like(s, dtype=np.float64)


def slope(z, activation):
    """ϕ'(z) at the pre-activation z, elementwise; same shape as z (chapter 7's saturation plot)."""
    return slope_from_output(activate(z, activation), activation)
