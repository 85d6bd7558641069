"""Judges of the exercises of chapter 7 (vanishing and exploding gradients).

Each judge computes its expected answer on its own (from a grid of slopes, a loop or a
closed form), independently of the core's ``gradflow`` and ``clipping``.
"""
import numpy as np

from ._check import call, correct, exercise, not_yet, number

_GRID = np.linspace(-20.0, 20.0, 400_001)          # contains z = 0, where every slope peaks


def _largest_slope(activation):
    """γ = max_z ϕ'(z), measured on a fine grid (independent of activations.MAX_SLOPE)."""
    z = _GRID
    if activation == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return float(np.max(s * (1.0 - s)))
    if activation == "tanh":
        return float(np.max(1.0 - np.tanh(z) ** 2))
    if activation in ("relu", "identity"):
        return 1.0
    raise ValueError(f"unknown activation {activation!r}")


@exercise("7.1")
def _bound(bound_fn):
    """bound_fn(sigma_max, activation, n) must return the bound (γ σ_max)^n."""
    cases = [(2.0, "sigmoid", 30), (0.9, "tanh", 50), (1.1, "relu", 40), (3.0, "identity", 7), (4.0, "sigmoid", 12)]
    for sigma, act, n in cases:
        want = (_largest_slope(act) * sigma) ** n
        got = number(call(bound_fn, sigma, act, n), f"bound({sigma}, {act!r}, {n})")
        if not np.isclose(got, want, rtol=1e-6, atol=0.0):
            return not_yet(f"bound({sigma}, {act!r}, {n}) = {got:.4e}, expected {want:.4e}. "
                           "Which largest slope γ did you use for this activation?")
    return correct("the bound is (γ σ_max)^n with γ = 1/4 for sigmoid and 1 otherwise.")


@exercise("7.2")
def _sigmoid_limit(sigma):
    """The supremum of σ_max(W) for which the bound guarantees that a sigmoid RNN vanishes."""
    want = 1.0 / _largest_slope("sigmoid")
    sigma = number(sigma, "sigma_limit")
    if abs(sigma - want) < 1e-3:
        return correct(f"every σ_max(W) < {want:.1f} makes γσ_max < 1, so the gradient vanishes "
                       "however the state behaves.")
    return not_yet(f"{sigma:.4f} is not it. The bound factor is γσ_max with γ = max sigmoid'(z); "
                   "where does it reach 1?")


@exercise("7.3")
def _clip_global(clip_fn):
    """clip_fn(grads, max_norm) -> clipped dict: clipping by the global norm."""
    rng = np.random.default_rng(7)
    for max_norm in (0.5, 5.0, 1e3):
        grads = {"U": rng.standard_normal((4, 3)), "W": 3.0 * rng.standard_normal((4, 4)), "b": rng.standard_normal(4)}
        before = {k: v.copy() for k, v in grads.items()}
        norm = np.sqrt(sum(float(np.sum(v * v)) for v in grads.values()))
        factor = min(1.0, max_norm / norm)
        out = call(clip_fn, grads, max_norm, name="clip_global")
        if isinstance(out, tuple):
            out = out[0]
        if any(not np.array_equal(grads[k], before[k]) for k in grads):
            return not_yet("clip_global changed its input in place; return new arrays instead.")
        if not isinstance(out, dict) or set(out) != set(grads):
            return not_yet("clip_global must return a dict with the same keys as grads.")
        for k in grads:
            if np.shape(out[k]) != grads[k].shape or not np.allclose(out[k], factor * grads[k], rtol=1e-10, atol=1e-12):
                return not_yet(f"for max_norm = {max_norm}, out[{k!r}] is not grads[{k!r}] · {factor:.4f}. "
                               "Use one factor for all parameters together.")
    return correct("one common factor min(1, max_norm/‖g‖) keeps the direction of the gradient.")


@exercise("7.4")
def _steps_to_vanish(k):
    """Smallest number of steps k with 0.9^k < 1e-3 (a linear RNN with W = 0.9 · orthogonal)."""
    want, v = 0, 1.0
    while v >= 1e-3:
        v *= 0.9
        want += 1
    k_value = number(k, "k_steps")
    if k_value == int(k_value) and int(k_value) == want:
        return correct(f"after {want} steps the gradient is 0.9^{want} ≈ {0.9 ** want:.2e} of its size.")
    return not_yet(f"{k!r} is not it: solve 0.9^k < 1e-3 for the smallest integer k.")


@exercise("7.5")
def _forget_bias(forget_bias):
    """Smallest forget bias b_f with σ(b_f)^50 ≥ 0.1 (the cell path keeps 10 % over 50 steps)."""
    f = 0.1 ** (1 / 50)
    want = float(np.log(f / (1 - f)))
    b = number(forget_bias, "forget_bias")
    if abs(b - want) < 1e-3:
        return correct(f"b_f = {want:.3f} gives f = {f:.4f}, and f^50 = 0.1.")
    return not_yet(f"{b:.4f} is not it: first solve f^50 = 0.1 for f, then invert the sigmoid.")
