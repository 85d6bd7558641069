"""Self-checks for the exercises of chapter 7.

Each check computes its expected answer on its own (from a grid of slopes, a loop or
a closed form), prints a verdict and returns True or False.
"""
import numpy as np

__all__ = ["check_exercise_7_1", "check_exercise_7_2", "check_exercise_7_3",
           "check_exercise_7_4", "check_exercise_7_5"]

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


def _verdict(ok, good, bad):
    print(("Correct: " + good) if ok else ("Not yet: " + bad))
    return bool(ok)


def check_exercise_7_1(bound_fn):
    """bound_fn(sigma_max, activation, n) must return the bound (γ σ_max)^n."""
    cases = [(2.0, "sigmoid", 30), (0.9, "tanh", 50), (1.1, "relu", 40), (3.0, "identity", 7), (4.0, "sigmoid", 12)]
    for sigma, act, n in cases:
        want = (_largest_slope(act) * sigma) ** n
        try:
            got = float(bound_fn(sigma, act, n))
        except Exception as exc:              # noqa: BLE001 - report any failure to the reader
            return _verdict(False, "", f"bound_fn({sigma}, {act!r}, {n}) raised {type(exc).__name__}: {exc}")
        if not np.isclose(got, want, rtol=1e-6, atol=0.0):
            return _verdict(False, "", f"bound_fn({sigma}, {act!r}, {n}) = {got:.4e}, expected {want:.4e}. "
                                       "Which largest slope γ did you use for this activation?")
    return _verdict(True, "the bound is (γ σ_max)^n with γ = 1/4 for sigmoid and 1 otherwise.", "")


def check_exercise_7_2(sigma):
    """The supremum of σ_max(W) for which the bound guarantees that a sigmoid RNN vanishes."""
    want = 1.0 / _largest_slope("sigmoid")
    ok = np.isfinite(sigma) and abs(float(sigma) - want) < 1e-3
    return _verdict(ok, f"every σ_max(W) < {want:.1f} makes γσ_max < 1, so the gradient vanishes "
                        "however the state behaves.",
                    f"{float(sigma):.4f} is not it. The bound factor is γσ_max with γ = max sigmoid'(z); "
                    "where does it reach 1?")


def check_exercise_7_3(clip_fn):
    """clip_fn(grads, max_norm) -> clipped dict: clipping by the global norm."""
    rng = np.random.default_rng(7)
    for max_norm in (0.5, 5.0, 1e3):
        grads = {"U": rng.standard_normal((4, 3)), "W": 3.0 * rng.standard_normal((4, 4)), "b": rng.standard_normal(4)}
        before = {k: v.copy() for k, v in grads.items()}
        norm = np.sqrt(sum(float(np.sum(v * v)) for v in grads.values()))
        factor = min(1.0, max_norm / norm)
        try:
            out = clip_fn(grads, max_norm)
        except Exception as exc:              # noqa: BLE001
            return _verdict(False, "", f"clip_fn raised {type(exc).__name__}: {exc}")
        if isinstance(out, tuple):
            out = out[0]
        if any(not np.array_equal(grads[k], before[k]) for k in grads):
            return _verdict(False, "", "clip_fn changed its input in place; return new arrays instead.")
        if not isinstance(out, dict) or set(out) != set(grads):
            return _verdict(False, "", "clip_fn must return a dict with the same keys as grads.")
        for k in grads:
            if not np.allclose(out[k], factor * grads[k], rtol=1e-10, atol=1e-12):
                return _verdict(False, "", f"for max_norm = {max_norm}, out[{k!r}] is not grads[{k!r}] · "
                                           f"{factor:.4f}. Use one factor for all parameters together.")
    return _verdict(True, "one common factor min(1, max_norm/‖g‖) keeps the direction of the gradient.", "")


def check_exercise_7_4(k):
    """Smallest number of steps k with 0.9^k < 1e-3 (a linear RNN with W = 0.9 · orthogonal)."""
    want, v = 0, 1.0
    while v >= 1e-3:
        v *= 0.9
        want += 1
    ok = isinstance(k, (int, np.integer)) and int(k) == want
    return _verdict(ok, f"after {want} steps the gradient is 0.9^{want} ≈ {0.9 ** want:.2e} of its size.",
                    f"{k!r} is not it: solve 0.9^k < 1e-3 for the smallest integer k.")


def check_exercise_7_5(forget_bias):
    """Smallest forget bias b_f with σ(b_f)^50 ≥ 0.1 (the cell path keeps 10 % over 50 steps)."""
    f = 0.1 ** (1 / 50)
    want = float(np.log(f / (1 - f)))
    ok = np.isfinite(forget_bias) and abs(float(forget_bias) - want) < 1e-3
    return _verdict(ok, f"b_f = {want:.3f} gives f = {f:.4f}, and f^50 = 0.1.",
                    f"{float(forget_bias):.4f} is not it: first solve f^50 = 0.1 for f, then invert the sigmoid.")
