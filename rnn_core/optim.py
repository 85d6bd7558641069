"""Optimisers: SGD, Adagrad and Adam (chapter 3).

Each is a small object that updates a parameter dict in place:
    opt = Adam(lr=1e-2);  opt.step(params, grads)
The state (Adagrad's sums of squares, Adam's moments) lives in the object, keyed like params.
"""
import numpy as np

from ._validate import check_positive_float


def _check(params, grads):
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError("params and grads must be dicts of arrays")
    for k, p in params.items():
        if k not in grads:
            raise ValueError(f"grads is missing {k!r}; it needs the same keys as params")
        if np.shape(grads[k]) != p.shape:
            raise ValueError(f"grads[{k!r}] has shape {np.shape(grads[k])}, expected {p.shape} like params[{k!r}]")


class SGD:
    """θ ← θ - lr · g."""

    def __init__(self, lr=0.1):
        self.lr = check_positive_float("lr", lr)

    def step(self, params, grads):
        _check(params, grads)
        for k in params:
            params[k] -= self.lr * grads[k]


class Adagrad:
    """m ← m + g²;  θ ← θ - lr · g / sqrt(m + eps)   (as in min-char-rnn)."""

    def __init__(self, lr=0.1, eps=1e-8):
        self.lr, self.eps = check_positive_float("lr", lr), check_positive_float("eps", eps)
        self.mem = {}

    def step(self, params, grads):
        _check(params, grads)
        for k in params:
            m = self.mem.setdefault(k, np.zeros_like(params[k]))
            m += grads[k] * grads[k]
            params[k] -= self.lr * grads[k] / np.sqrt(m + self.eps)


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction."""

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.eps = check_positive_float("lr", lr), check_positive_float("eps", eps)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        self.beta1, self.beta2 = beta1, beta2
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        _check(params, grads)
        self.t += 1
        for k in params:
            m = self.m.setdefault(k, np.zeros_like(params[k]))
            v = self.v.setdefault(k, np.zeros_like(params[k]))
            m *= self.beta1
            m += (1 - self.beta1) * grads[k]
            v *= self.beta2
            v += (1 - self.beta2) * grads[k] * grads[k]
            m_hat = m / (1 - self.beta1 ** self.t)
            v_hat = v / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
