"""Hidden activations ϕ and their slopes (chapters 1, 6 and 7).

Each activation is an elementwise function of the pre-activation s* and has a slope
ϕ'(s*). For the backward pass it is cheaper to compute the slope from the output
s = ϕ(s*), which the forward pass already stored, so ``slope_from_output`` does that.
All forms are overflow-safe: no input, however large, raises a RuntimeWarning.
"""
import numpy as np

from ._validate import check_choice

#: The largest value the slope ϕ' takes anywhere (chapter 7's bound uses it).
MAX_SLOPE = {"identity": 1.0, "sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
ACTIVATIONS = tuple(MAX_SLOPE)


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{-z}), computed as exp(-log(1 + e^{-z})) so it never overflows."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))


def activate(z, name):
    """Apply the hidden activation ``name`` elementwise to pre-activations ``z``."""
    check_choice("activation", name, ACTIVATIONS)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return sigmoid(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    return np.array(z, dtype=np.float64, copy=True)


def slope_from_output(s, name):
    """ϕ'(s*) written in terms of the output s = ϕ(s*), elementwise.

    tanh' = 1 - s², sigmoid' = s(1 - s), relu' = [s > 0], identity' = 1.
    """
    check_choice("activation", name, ACTIVATIONS)
    if name == "tanh":
        return 1.0 - s * s
    if name == "sigmoid":
        return s * (1.0 - s)
    if name == "relu":
        return (s > 0).astype(np.float64)
    return np.ones_like(s, dtype=np.float64)


def slope(z, name):
    """ϕ'(z) evaluated at the pre-activation z (used for plots of saturation)."""
    return slope_from_output(activate(z, name), name)
