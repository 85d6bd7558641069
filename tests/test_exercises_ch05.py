"""Each chapter 5 check accepts a right answer and rejects a wrong one."""
import numpy as np

from rnn_core.book.exercises import judge
from rnn_core.rnn import rnn_forward


def test_5_1_batched_step():
    assert judge("5.1", lambda x, s, U, W, b: np.tanh(x @ U.T + s @ W.T + b))
    assert not judge("5.1", lambda x, s, U, W, b: np.tanh(x @ U.T + s @ W + b))   # W not transposed
    assert not judge("5.1", lambda x, s, U, W, b: np.tanh(x @ U.T + s @ W.T + b)[0])


def test_5_2_closed_form():
    def right(n, w):
        t, j = np.indices((n, n))
        return np.where(j <= t, float(w) ** np.maximum(t - j, 0), 0.0)

    assert judge("5.2", right)
    assert not judge("5.2", lambda n, w: right(n, w).T)
    assert not judge("5.2", lambda n, w: right(n, 2.0))     # the source's w only


def test_5_3_stable_softmax():
    def stable(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def naive(z):
        return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)

    assert judge("5.3", stable)
    assert not judge("5.3", naive)
    assert not judge("5.3", lambda z: stable(z.T).T)        # normalised along the wrong axis


def test_5_4_chunks_carry_the_state():
    def right(params, X, chunk):
        S, s = [None], None
        for start in range(0, X.shape[0], chunk):
            Sc, _ = rnn_forward(params, X[start:start + chunk], activation="tanh", s0=s)
            S[0] = Sc[0] if S[0] is None else S[0]
            S += list(Sc[1:])
            s = Sc[-1]
        return np.array(S)

    def restarts(params, X, chunk):
        S = [np.zeros((X.shape[1], params["W"].shape[0]))]
        for start in range(0, X.shape[0], chunk):
            S += list(rnn_forward(params, X[start:start + chunk], activation="tanh")[0][1:])
        return np.array(S)

    assert judge("5.4", right)
    assert not judge("5.4", restarts)
