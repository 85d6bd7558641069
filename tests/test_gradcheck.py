"""rnn_core.gradcheck (chapter 6): the checker every chapter trusts must be able to fail."""
import numpy as np
import pytest

import rnn_core as rc


def quadratic(p):
    """L = Σ a² + 3 Σ b, with its exact gradient."""
    return float(np.sum(p["a"] ** 2) + 3 * np.sum(p["b"])), {"a": 2 * p["a"], "b": np.full_like(p["b"], 3.0)}


P = {"a": np.array([1.0, -2.0, 0.5]), "b": np.array([[0.3, 0.1]])}


def test_a_right_gradient_passes_and_the_largest_error_is_reported():
    assert rc.gradient_check(quadratic, P) < 1e-8
    per = rc.gradient_check(quadratic, P, per_parameter=True)
    assert set(per) == {"a", "b"}


@pytest.mark.parametrize("broken", ["a", "b"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_nan_or_inf_in_any_gradient_fails(broken, bad):
    """max() over errors would skip a NaN that is not first: the check must return NaN."""
    def f(p):
        loss, g = quadratic(p)
        g[broken] = g[broken].copy()
        g[broken].flat[0] = bad
        return loss, g

    assert np.isnan(rc.gradient_check(f, P))
    assert not rc.gradient_check(f, P) < 1e-6
    assert np.isnan(rc.gradient_check(f, P, per_parameter=True)[broken])


def test_the_largest_error_not_the_smallest():
    """One wrong parameter among right ones decides the result."""
    def f(p):
        loss, g = quadratic(p)
        return loss, dict(g, b=g["b"] * 1.01)

    per = rc.gradient_check(f, P, per_parameter=True)
    assert per["b"] > 1e-3 > 1e-6 > per["a"]
    assert rc.gradient_check(f, P) == pytest.approx(per["b"])


def test_a_scalar_parameter_is_checked():
    f = lambda p: (float(p["w"] ** 3), {"w": 3 * p["w"] ** 2})
    assert rc.gradient_check(f, {"w": np.array(2.0)}) < 1e-8
    wrong = lambda p: (float(p["w"] ** 3), {"w": 2 * p["w"] ** 2})
    assert rc.gradient_check(wrong, {"w": np.array(2.0)}) > 0.1
    g = rc.numerical_gradient(lambda p: float(p["w"] ** 3), {"w": np.array(2.0)})
    assert g["w"].shape == () and g["w"] == pytest.approx(12.0, rel=1e-8)


def test_parameters_are_restored_when_the_loss_raises():
    p = {"w": np.array([1.0, 2.0, 3.0])}
    calls = []

    def loss(q):
        calls.append(q["w"].copy())
        if len(calls) == 4:
            raise RuntimeError("boom")
        return float(np.sum(q["w"]))

    with pytest.raises(RuntimeError, match="boom"):
        rc.numerical_gradient(loss, p)
    assert p["w"].tolist() == [1.0, 2.0, 3.0]


def test_missing_gradient_and_relative_error_edge_cases():
    with pytest.raises(ValueError, match=r"no gradient for \['b'\]"):
        rc.gradient_check(lambda p: (0.0, {"a": p["a"]}), P)
    assert rc.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert np.isnan(rc.relative_error(np.array([np.nan]), np.array([1.0])))
    tiny = 1e-200 * np.array([1.0, 2.0])                 # squares underflow: the norm must not
    assert rc.relative_error(tiny, 1.01 * tiny) == pytest.approx(0.01 / 1.01)
    with pytest.raises(ValueError, match="equal shapes"):
        rc.relative_error(np.zeros(2), np.zeros(3))
