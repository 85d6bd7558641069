"""Optimisers: SGD, Adagrad and Adam (chapter 3).

Each is a small object that updates a parameter dict in place:
    opt = Adam(lr=1e-2);  opt.step(params, grads)
The state (Adagrad's sums of squares, Adam's moments) lives in the object, keyed like params.
A gradient with NaN or inf is refused with a ValueError before any parameter changes.
"""
import numpy as np

from ._validate import as_float_array, check_number, check_positive_float


def _check(params, grads):
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError("params and grads must be dicts of arrays")
    for k, p in params.items():
        if k not in grads:
            raise ValueError(f"grads is missing {k!r}; it needs the same keys as params")
        as_float_array(f"grads[{k!r}]", grads[k], shape=p.shape)


class SGD:
    """Plain gradient descent: θ ← θ − lr · g."""

    def __init__(self, lr=0.1):
        self.lr = check_positive_float("lr", lr)

    def step(self, params, grads):
        """Update every array of ``params`` in place with its gradient in ``grads`` (same keys, shapes)."""
        _check(params, grads)
        for k in params:
            params[k] -= self.lr * grads[k]


class Adagrad:
    """m ← m + g²;  θ ← θ − lr · g / sqrt(m + eps)   (as in min-char-rnn)."""

    def __init__(self, lr=0.1, eps=1e-8):
        self.lr, self.eps = check_positive_float("lr", lr), check_positive_float("eps", eps)
        self.mem = {}
        self._work = {}            # two scratch arrays per parameter, so that a step allocates nothing

    def step(self, params, grads):
        """Update every array of ``params`` in place with its gradient in ``grads`` (same keys, shapes)."""
        _check(params, grads)
        for k, p in params.items():
            g = grads[k]
            m, (a, b) = _state(self.mem, k, p), _scratch(self._work, k, p)
            m += np.multiply(g, g, out=a)                       # m ← m + g²
            np.multiply(g, self.lr, out=a)
            a /= np.sqrt(np.add(m, self.eps, out=b), out=b)
            p -= a                                              # θ ← θ − lr · g / sqrt(m + eps)


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction:
    m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr · m̂ / (√v̂ + eps),
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ) at update t = 1, 2, ...
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.eps = check_positive_float("lr", lr), check_positive_float("eps", eps)
        self.beta1 = check_number("beta1", beta1, low=0.0, high=np.nextafter(1.0, 0.0))
        self.beta2 = check_number("beta2", beta2, low=0.0, high=np.nextafter(1.0, 0.0))
        self.m, self.v, self.t = {}, {}, 0
        self._work = {}            # two scratch arrays per parameter, so that a step allocates nothing

    def step(self, params, grads):
        """Update every array of ``params`` in place with its gradient in ``grads`` (same keys, shapes)."""
        _check(params, grads)
        self.t += 1
        c1, c2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        for k, p in params.items():
            g = grads[k]
            m, v, (a, b) = _state(self.m, k, p), _state(self.v, k, p), _scratch(self._work, k, p)
            m *= self.beta1
            m += np.multiply(g, 1 - self.beta1, out=a)          # m ← β₁m + (1−β₁)g
            v *= self.beta2
            np.multiply(g, 1 - self.beta2, out=a)
            v += np.multiply(a, g, out=a)                       # v ← β₂v + (1−β₂)g²
            np.divide(m, c1, out=a)
            a *= self.lr                                        # lr · m̂
            np.sqrt(np.divide(v, c2, out=b), out=b)
            b += self.eps                                       # √v̂ + eps
            p -= np.divide(a, b, out=a)                         # θ ← θ − lr · m̂ / (√v̂ + eps)


def _state(memory, k, p):
    """The optimiser's state array for parameter k (zeros like p the first time)."""
    if k not in memory:
        memory[k] = np.zeros_like(p)
    return memory[k]


def _scratch(work, k, p):
    """Two scratch arrays shaped like parameter k, kept between steps."""
    if k not in work or work[k][0].shape != p.shape:
        work[k] = (np.empty(p.shape), np.empty(p.shape))
    return work[k]
