"""rnn_core.clipping and rnn_core.optim (chapters 3 and 7)."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import optim


def test_clip_by_value_clamps_each_entry():
    g = {"W": np.array([[-3.0, 0.5], [2.0, -0.1]])}
    out = rc.clip_by_value(g, 1.0)
    assert out["W"].tolist() == [[-1.0, 0.5], [1.0, -0.1]]
    assert g["W"][0, 0] == -3.0                      # the input is untouched


@pytest.mark.parametrize("norm, max_norm, factor", [
    (5.0, 1.0, 0.2), (5.0, 4.999, 4.999 / 5.0), (5.0, 5.0, 1.0), (5.0, 5.001, 1.0), (5.0, 7.5, 1.0), (5.0, 10.0, 1.0),
])
def test_clip_by_global_norm_at_and_around_the_threshold(norm, max_norm, factor):
    """Boundary cases decide: the threshold is max_norm itself (not 1.5 × max_norm)."""
    g = {"U": np.array([3.0]), "W": np.array([[4.0]])}      # global norm 5
    out, before = rc.clip_by_global_norm(g, max_norm)
    assert before == pytest.approx(norm)
    assert out["U"][0] == pytest.approx(3.0 * factor) and out["W"][0, 0] == pytest.approx(4.0 * factor)
    assert rc.global_norm(out) <= max_norm * (1 + 1e-12)


def test_clipping_keeps_the_direction():
    rng = np.random.default_rng(0)
    for scale in (0.01, 1.0, 100.0):
        g = {"U": scale * rng.standard_normal((3, 2)), "b": scale * rng.standard_normal(3)}
        clipped, total = rc.clip_by_global_norm(g, 1.0)
        assert total == pytest.approx(np.sqrt(sum(np.sum(v ** 2) for v in g.values())))
        factor = clipped["U"].flat[0] / g["U"].flat[0]
        assert all(np.allclose(clipped[k], factor * g[k]) for k in g)


def test_global_norm_of_huge_finite_gradients_does_not_overflow():
    g = {"U": np.full((3, 3), 1e200), "b": np.array([-1e200, 2e200])}
    total = rc.global_norm(g)
    assert np.isfinite(total) and total == pytest.approx(np.sqrt(9 + 1 + 4) * 1e200)
    out, before = rc.clip_by_global_norm(g, 1.0)
    assert before == pytest.approx(total)
    assert rc.global_norm(out) == pytest.approx(1.0) and np.all(out["U"] > 0)


def test_global_norm_of_tiny_gradients_does_not_underflow():
    assert rc.global_norm({"w": np.array([3e-200, 4e-200])}) == pytest.approx(5e-200)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_clipping_refuses_non_finite_gradients(bad):
    g = {"U": np.ones(3), "W": np.array([1.0, bad])}
    for fn in (lambda: rc.clip_by_global_norm(g, 1.0), lambda: rc.clip_by_value(g, 1.0), lambda: rc.global_norm(g)):
        with pytest.raises(ValueError, match=r"grads\['W'\] contains"):
            fn()


def test_sgd_and_adagrad_follow_their_formulas():
    g = {"w": np.array([2.0, -0.5])}
    p = {"w": np.array([1.0, 1.0])}
    optim.SGD(0.1).step(p, g)
    np.testing.assert_allclose(p["w"], [0.8, 1.05])
    p = {"w": np.array([1.0, 1.0])}
    opt = optim.Adagrad(0.1, eps=1e-300)
    opt.step(p, g)                                   # first step: lr · g / |g|
    np.testing.assert_allclose(p["w"], [0.9, 1.1])
    opt.step(p, g)                                   # second: lr · g / sqrt(2 g²)
    np.testing.assert_allclose(p["w"], [0.9 - 0.1 / np.sqrt(2), 1.1 + 0.1 / np.sqrt(2)])


def test_adam_bias_correction_at_every_step():
    """Three steps with changing gradients, against the formulas written out by hand."""
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    grads = [np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([-1.0, 3.0])]
    p, opt = {"w": np.zeros(2)}, optim.Adam(lr, b1, b2, eps)
    w, m, v = np.zeros(2), np.zeros(2), np.zeros(2)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        opt.step(p, {"w": g})
        np.testing.assert_allclose(p["w"], w, rtol=1e-13, err_msg=f"step {t}")


@pytest.mark.parametrize("opt", [optim.SGD(), optim.Adagrad(), optim.Adam()])
def test_optimisers_refuse_non_finite_gradients_and_leave_params_alone(opt):
    p = {"a": np.ones(2), "w": np.ones(2)}
    with pytest.raises(ValueError, match=r"grads\['w'\] contains NaN"):
        opt.step(p, {"a": np.ones(2), "w": np.array([1.0, np.nan])})
    assert p["a"].tolist() == [1.0, 1.0] and p["w"].tolist() == [1.0, 1.0]


def test_optimisers_reject_mismatched_grads():
    with pytest.raises(ValueError, match=r"grads\['w'\] must have shape \(2,\), got shape \(3,\)"):
        optim.Adam().step({"w": np.zeros(2)}, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match="grads is missing 'w'"):
        optim.SGD().step({"w": np.zeros(2)}, {})
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        optim.Adam(lr=0)
    with pytest.raises(ValueError, match="beta1 must be a finite number in"):
        optim.Adam(beta1=1.0)
