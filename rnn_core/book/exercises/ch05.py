"""Judges of the exercises of chapter 5 (the forward pass in NumPy).

Each judge computes the expected answer independently (a plain per-sequence loop, the
library's forward pass, or exact arithmetic).
"""
import warnings

import numpy as np

from ._check import NotYet, array, call, exercise, verdict
from ...rnn import rnn_forward, source_example


def exercise_5_1_setup(seed=51):
    """A padded batch of exercise 5.1: (params {U (4, 3), W (4, 4), b (4,)}, X (7, 5, 3), lengths (5,)).

    Sequence b has lengths[b] real steps at the start of X and zero inputs after them.
    """
    rng = np.random.default_rng(seed)
    T, B, D, H = 7, 5, 3, 4
    params = dict(U=rng.standard_normal((H, D)), W=0.5 * rng.standard_normal((H, H)), b=rng.standard_normal(H))
    lengths = np.array([7, 3, 1, 5, 6])
    X = rng.standard_normal((T, B, D))
    X[np.arange(T)[:, None] >= lengths[None, :]] = 0.0          # the padding
    return params, X, lengths


def _tanh_states(params, xs):
    """s_0 = 0, s_1, ..., s_n of one sequence xs (n, D): a plain loop, one step at a time."""
    states = [np.zeros(params["W"].shape[0])]
    for x in xs:
        states.append(np.tanh(params["U"] @ x + params["W"] @ states[-1] + params["b"]))
    return np.array(states)


@exercise("5.1")
def judge_5_1(last_states):
    """last_states(params, X, lengths) -> (B, H): the state s_{T_b} after each sequence's own last input.

    Checked against a plain loop over each sequence's real steps alone (tanh RNN, s_0 = 0).
    """
    params, X, lengths = exercise_5_1_setup()
    T, B, _ = X.shape
    want = np.stack([_tanh_states(params, X[:lengths[j], j])[-1] for j in range(B)])
    got = array(call(last_states, {k: v.copy() for k, v in params.items()}, X.copy(), lengths.copy()),
                want.shape, "last_states' result (B, H)")
    if np.allclose(got, want, rtol=1e-10, atol=1e-12):
        return verdict(True, "Each row is the state right after that sequence's last real input.", "")
    padded = np.stack([_tanh_states(params, X[:, j]) for j in range(B)], axis=1)   # (T+1, B, H)
    if np.allclose(got, padded[-1]):
        return verdict(False, "", "This is the state after all T steps, S[-1]. After a short sequence ends "
                       "it still reads zero inputs, and s_t = tanh(W s_(t-1) + b) keeps changing: "
                       "take each sequence's state at its own length.")
    if np.allclose(got, padded[lengths - 1, np.arange(B)]):
        return verdict(False, "", "Off by one step: in the book's layout S[t] is s_t and S[0] is s_0, "
                       "so the state after T_b steps is in row T_b, not T_b - 1.")
    return verdict(False, "", "Not the states after each sequence's last real input. Run the whole "
                   "batch once, then pick row lengths[b] of S for sequence b.")


@exercise("5.2")
def judge_5_2(closed_form):
    """closed_form(n, w) -> (n, n) outputs of the source's example with W = w·I, without running the RNN."""
    for n, w in [(1, 2.0), (5, 2.0), (4, 3.0), (6, 0.5), (3, -1.5)]:
        want = source_example(n, w)
        got = array(call(closed_form, n, w), want.shape, f"closed_form({n}, {w})")
        if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
            return verdict(False, "", f"For n = {n}, w = {w} the RNN gives\n{want}\nyou returned\n{got}")
    return verdict(True, "o_t[j] = w^(t-j) for j <= t and 0 above the diagonal.", "")


@exercise("5.3")
def judge_5_3(softmax):
    """softmax(z) along the last axis, with no overflow, no NaN and no warning for any finite z."""
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0],
                  [0.0, 0.0, 0.0], [700.0, -700.0, 0.0]])
    shifted = z - z.max(axis=1, keepdims=True)        # exp(shifted) is in (0, 1]: no overflow
    want = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    try:
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
            warnings.simplefilter("error")
            got = call(softmax, z.copy())
    except NotYet as why:                             # an overflow warning is raised as an error here
        hint = "; subtract the largest entry of each row before exp." if "raised" in str(why) else ""
        raise NotYet(f"{why}{hint}") from None
    got = array(got, want.shape, "softmax's result")
    if not np.allclose(got, want, rtol=1e-12, atol=1e-300):
        return verdict(False, "", f"Expected\n{np.round(want, 4)}\ngot\n{np.round(got, 4)}\n"
                    "Each row must sum to 1 (normalise along the last axis).")
    return verdict(True, "It is exact and never overflows, even for entries of ±1000.", "")


@exercise("5.4")
def judge_5_4(run_in_chunks):
    """run_in_chunks(params, X, chunk) -> S (T+1, B, H), processing X chunk steps at a time (tanh)."""
    rng = np.random.default_rng(54)
    T, B, D, H = 10, 2, 3, 4
    params = dict(U=rng.standard_normal((H, D)), W=0.5 * rng.standard_normal((H, H)), b=rng.standard_normal(H))
    X = rng.standard_normal((T, B, D))
    want, _ = rnn_forward(params, X, activation="tanh")
    for chunk in (1, 3, 4, 10):
        got = array(call(run_in_chunks, params, X.copy(), chunk), want.shape, f"S (T+1, B, H) for chunk = {chunk}")
        err = float(np.abs(got - want).max())
        if err > 1e-12:
            return verdict(False, "", f"With chunk = {chunk} the states differ from one pass over the whole "
                        f"sequence by up to {err:.3e}. Does each chunk start from the last state of the one before?")
    return verdict(True, "Carrying s_0 from chunk to chunk reproduces one pass over the whole sequence.", "")
