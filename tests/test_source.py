"""The source text's examples, reproduced, and its RNN2 bugs shown and fixed (ERRATA 1-4).

``SeedRNN2`` below follows the logic of the source's RNN1/RNN2 (sigmoid state, softmax
output, no biases, 10-step truncation, s_0 stored in the never-written last row), written
for this test. ``fixed=False`` keeps its shape bug.
"""
import numpy as np
import pytest

import rnn_core as rc


class SeedRNN2:
    def __init__(self, u, v, w, fixed):
        self.u, self.v, self.w, self.fixed = u, v, w, fixed

    def run(self, x):
        self.states = np.zeros((len(x) + 1, self.u.shape[0]))     # the last row stays 0: s_0
        out = []
        for t, xt in enumerate(x):
            self.states[t] = 1 / (1 + np.exp(-(self.u @ xt + self.w @ self.states[t - 1])))
            z = self.v @ self.states[t]
            e = np.exp(z - z.max())
            out.append(e / e.sum())
        return np.array(out)

    def bptt(self, x, y):
        n = len(y)
        o = self.run(x)
        dis = o - y
        dv = dis.T @ self.states[:n] if self.fixed else dis.T.dot(self.states[:n - 1])
        du, dw = np.zeros_like(self.u), np.zeros_like(self.w)
        for t in range(n - 1, -1, -1):
            st = self.states[t]
            ds = self.v.T @ dis[t] * st * (1 - st)
            for step in range(t, max(-1, t - 10), -1):
                du += np.outer(ds, x[step])
                dw += np.outer(ds, self.states[step - 1])
                st = self.states[step - 1]
                ds = self.w.T @ ds * st * (1 - st)
        return du, dv, dw

    def binary_ce(self, x, y):      # the source's loss()
        o = self.run(x)
        return np.sum(-y * np.log(np.maximum(o, 1e-12)) - (1 - y) * np.log(np.maximum(1 - o, 1e-12)))


def test_worked_example_rows():
    expected = np.array([[1, 0, 0, 0, 0], [2, 1, 0, 0, 0], [4, 2, 1, 0, 0], [8, 4, 2, 1, 0], [16, 8, 4, 2, 1]], float)
    assert np.array_equal(rc.source_example(5, 2.0), expected)


@pytest.mark.parametrize("n, w", [(1, 2.0), (3, 0.5), (7, 2.0), (6, -1.5)])
def test_worked_example_formula(n, w):
    """o_t = Σ_{j<=t} w^{t-j} e_j, derived by hand in chapter 1."""
    expected = np.array([[w ** (t - j) if j <= t else 0.0 for j in range(n)] for t in range(n)])
    np.testing.assert_allclose(rc.source_example(n, w), expected, rtol=1e-14)


def make(n, T, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    D = H = K = n
    u, v, w = (scale * rng.standard_normal((H, D)), rng.standard_normal((K, H)), scale * rng.standard_normal((H, H)))
    x = np.eye(D)[rng.integers(0, D, T)]
    labels = rng.integers(0, K, T)
    return u, v, w, x, labels


def test_seed_bptt_crashes_with_shape_error():
    u, v, w, x, labels = make(5, 6, 0)
    with pytest.raises(ValueError, match="not aligned"):
        SeedRNN2(u, v, w, fixed=False).bptt(x, np.eye(5)[labels])


@pytest.mark.parametrize("T", [3, 10, 25])
def test_fixed_seed_bptt_equals_rnn_core_truncate_10(T):
    u, v, w, x, labels = make(4, T, T)
    du, dv, dw = SeedRNN2(u, v, w, fixed=True).bptt(x, np.eye(4)[labels])
    params = dict(U=u, W=w, b=np.zeros(4), V=v, c=np.zeros(4))
    g = rc.rnn_loss_and_grads(params, x[:, None, :], labels[:, None], "sigmoid", "softmax", truncate=10).grads
    for mine, theirs in ((g["U"], du), (g["V"], dv), (g["W"], dw)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-13)


def seed_grads_vs(loss_of, T, seed=1, scale=1.0):
    u, v, w, x, labels = make(4, T, seed, scale)
    y = np.eye(4)[labels]
    du, dv, dw = SeedRNN2(u, v, w, fixed=True).bptt(x, y)

    def f(p):
        return loss_of(SeedRNN2(p["u"], p["v"], p["w"], True), x, y, labels)

    num = rc.numerical_gradient(f, dict(u=u.copy(), v=v.copy(), w=w.copy()))
    return max(rc.relative_error(a, num[k]) for a, k in ((du, "u"), (dv, "v"), (dw, "w")))


def categorical_ce(model, x, y, labels):
    return -np.sum(np.log(model.run(x)[np.arange(len(labels)), labels]))


def test_seed_gradient_is_not_the_gradient_of_its_own_loss():
    err = seed_grads_vs(lambda m, x, y, labels: m.binary_ce(x, y), T=8)
    assert err > 0.05          # ERRATA 2: 8-21 % relative


def test_seed_gradient_is_the_gradient_of_categorical_cross_entropy_up_to_10_steps():
    assert seed_grads_vs(categorical_ce, T=8, scale=3.0) < 1e-6
    assert seed_grads_vs(categorical_ce, T=10, scale=3.0) < 1e-6
    assert seed_grads_vs(categorical_ce, T=30, scale=3.0) > 1e-3   # beyond 10 steps: an approximation
