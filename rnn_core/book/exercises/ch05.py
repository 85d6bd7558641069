"""Judges of the exercises of chapter 5 (the forward pass in NumPy).

Each judge computes the expected answer independently (a plain per-sequence loop, the
library's forward pass, or exact arithmetic).
"""
import warnings

import numpy as np

from ._check import NotYet, call, exercise, verdict
from ...rnn import rnn_forward, source_example


@exercise("5.1")
def judge_5_1(step):
    """step(x_t (B, D), s_prev (B, H), U, W, b) -> s_t (B, H) for a tanh RNN, all rows at once."""
    rng = np.random.default_rng(51)
    B, D, H = 4, 3, 5
    U, W, b = rng.standard_normal((H, D)), rng.standard_normal((H, H)), rng.standard_normal(H)
    x, s = rng.standard_normal((B, D)), rng.standard_normal((B, H))
    want = np.stack([np.tanh(U @ x[r] + W @ s[r] + b) for r in range(B)])   # one sequence at a time
    got = np.asarray(call(step, x.copy(), s.copy(), U.copy(), W.copy(), b.copy()), dtype=np.float64)
    if got.shape != want.shape:
        return verdict(False, "", f"The new state must have shape {want.shape} (B, H), got {got.shape}.")
    err = float(np.abs(got - want).max())
    return verdict(err < 1e-12, f"All {B} rows agree with a per-sequence loop (max abs difference below 1e-12).",
                f"Max abs difference {err:.3e} from a per-sequence loop. With batches as rows, "
                "U x_t becomes x_t @ U.T, and W s_{t-1} becomes s_prev @ W.T.")


@exercise("5.2")
def judge_5_2(closed_form):
    """closed_form(n, w) -> (n, n) outputs of the source's example with W = w·I, without running the RNN."""
    for n, w in [(1, 2.0), (5, 2.0), (4, 3.0), (6, 0.5), (3, -1.5)]:
        want = source_example(n, w)
        got = np.asarray(call(closed_form, n, w), dtype=np.float64)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-12, atol=1e-12):
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
            got = np.asarray(call(softmax, z.copy()), dtype=np.float64)
    except NotYet as why:                             # an overflow warning is raised as an error here
        raise NotYet(f"{why} Subtract the largest entry of each row before exp.") from None
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-12, atol=1e-300):
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
        got = np.asarray(call(run_in_chunks, params, X.copy(), chunk), dtype=np.float64)
        if got.shape != want.shape:
            return verdict(False, "", f"S must have shape {want.shape} (T+1, B, H), got {got.shape} for chunk = {chunk}.")
        err = float(np.abs(got - want).max())
        if err > 1e-12:
            return verdict(False, "", f"With chunk = {chunk} the states differ from one pass over the whole "
                        f"sequence by up to {err:.3e}. Does each chunk start from the last state of the one before?")
    return verdict(True, "Carrying s_0 from chunk to chunk reproduces one pass over the whole sequence.", "")
