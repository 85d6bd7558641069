"""Each chapter 5 check accepts a right answer and rejects a wrong one."""
import numpy as np

from rnn_core.book.exercises import judge
from rnn_core.book.exercises.ch05 import exercise_5_1_setup
from rnn_core.rnn import rnn_forward


def test_5_1_padded_batch():
    def right(params, X, lengths):
        S, _ = rnn_forward(params, X, activation="tanh")
        return S[lengths, np.arange(X.shape[1])]

    def one_at_a_time(params, X, lengths):          # another right answer: each sequence alone
        return np.stack([rnn_forward(params, X[:n, b:b + 1])[0][-1, 0] for b, n in enumerate(lengths)])

    def say(answer):
        verdict = judge("5.1", answer)
        print(verdict)
        return verdict

    assert say(right) and say(one_at_a_time)
    last = say(lambda params, X, lengths: rnn_forward(params, X)[0][-1])            # S[-1]: after the padding
    assert not last and "zero inputs" in last.message
    early = say(lambda params, X, lengths: right(params, X, lengths - 1))           # the source's row
    assert not early and "Off by one" in early.message
    no_bias = say(lambda params, X, lengths: right(dict(params, b=0 * params["b"]), X, lengths))
    assert not no_bias
    assert not say(lambda params, X, lengths: right(params, X, lengths).T)          # (H, B)


def test_5_1_setup_is_padded_with_zeros():
    params, X, lengths = exercise_5_1_setup()
    T, B, _ = X.shape
    assert lengths.max() == T and lengths.min() >= 1 and len(lengths) == B
    for b, n in enumerate(lengths):
        assert not X[n:, b].any() and np.abs(X[:n, b]).min() > 0
    assert np.abs(params["b"]).min() > 0          # with a bias the padding moves the state: S[-1] is wrong


def test_unfinished_templates_get_a_not_yet():
    def template(*args):
        ...

    for number in ("5.1", "5.2", "5.3", "5.4"):
        for answer in (..., template, lambda *args: ..., lambda *args: "text", lambda *args: np.zeros(1)):
            verdict = judge(number, answer)
            assert not verdict and verdict.message, (number, answer)


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
