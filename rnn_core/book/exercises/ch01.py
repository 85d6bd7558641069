"""Judges of the exercises of chapter 1 (the RNN idea).

Each judge computes the expected answer independently (by building the parameter arrays with
``init_rnn``, or by running the recurrence with ``rnn_forward`` / ``rnn_outputs``).
"""
import numpy as np

from ._check import array, call, exercise, number, verdict

from ...rnn import init_rnn, rnn_forward, rnn_outputs


@exercise("1.1")
def judge_1_1(count_parameters):
    """count_parameters(D, H, K, T, tied) must give the number of trainable numbers.

    Tied: one set {U, W, b, V, c} as built by ``init_rnn``. Untied: one such set per step.
    """
    rng = np.random.default_rng(0)
    for D, H, K in [(1, 1, 1), (3, 5, 2), (10, 32, 4), (7, 16, 30)]:
        one_set = sum(a.size for a in init_rnn(D, H, K, rng).values())
        for T in (1, 4, 50):
            for tied in (True, False):
                want = one_set if tied else T * one_set
                got = number(call(count_parameters, D, H, K, T, tied),
                             f"count_parameters({D}, {H}, {K}, {T}, tied={tied})")
                if got != want:
                    return verdict(False, "", f"For D={D}, H={H}, K={K}, T={T}, tied={tied} the model has {want} "
                                f"parameters; your function returned {got}. Count U, W, b, V and c "
                                "(and, untied, one of each per step).")
    return verdict(True, "HD + H² + H + KH + K tied, whatever T is; T times that untied "
                   "(W_1 included, though it meets only s_0 = 0).", "")


def _example_outputs(n, w):
    """The worked example for W = w·I, run through rnn_outputs (no closed form used)."""
    eye = np.eye(n)
    params = dict(U=eye, W=w * eye, b=np.zeros(n), V=eye, c=np.zeros(n))
    return rnn_outputs(params, eye[:, None, :], activation="identity", output="identity")[:, 0, :]


@exercise("1.2")
def judge_1_2(outputs):
    """outputs: the (4, 4) matrix of o_1..o_4 (as rows) for the worked example with W = -I."""
    want = _example_outputs(4, -1.0)
    got = array(outputs, want.shape, "outputs (o_t in row t)")
    if not np.allclose(got, want):
        bad = int(np.argmax(np.any(~np.isclose(got, want), axis=1))) + 1
        return verdict(False, "", f"Row {bad} (o_{bad}) is not right. Use o_t = Σ_j w^(t-j) x_j with w = -1.")
    return verdict(True, "With w = -1 nothing fades and nothing grows: each earlier input "
                "returns with a sign that flips at every step.", "")


@exercise("1.3")
def judge_1_3(rnn_step):
    """rnn_step(params, x_t, s_prev) must return s_t = tanh(U x_t + W s_{t-1} + b) for a batch.

    x_t: (B, D), s_prev: (B, H) -> (B, H). Compared with one step of ``rnn_forward``.
    """
    rng = np.random.default_rng(1)
    for B, D, H in [(1, 3, 4), (5, 2, 3), (4, 6, 6)]:
        params = init_rnn(D, H, 2, rng)
        x, s_prev = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        want = rnn_forward(params, x[None], activation="tanh", s0=s_prev)[0][1]
        got = np.asarray(call(rnn_step, params, x, s_prev))
        if got.shape != want.shape:
            return verdict(False, "", f"For B={B}, D={D}, H={H} s_t must have shape {want.shape}, got {got.shape}. "
                        "Batches are rows: use x_t @ U.T and s_prev @ W.T.")
        got = array(got, want.shape, "rnn_step's result")
        if not np.allclose(got, want):
            return verdict(False, "", f"Wrong values for B={B}, D={D}, H={H}. Check the transposes and the bias.")
    return verdict(True, "One step for a whole batch is x_t @ U.T + s_prev @ W.T + b, then tanh.", "")


@exercise("1.4")
def judge_1_4(steps):
    """steps: the first t at which x_1's trace |o_t[1]| in the example with w = 0.8 is below 0.01."""
    trace = np.abs(_example_outputs(40, 0.8)[:, 0])      # o_t[1] for t = 1..40
    want = int(np.argmax(trace < 0.01)) + 1
    t = number(steps, "the step t")
    if t != int(t):
        return verdict(False, "", f"Give the step t as an integer, got {steps!r}.")
    if t != want:
        hint = "too early: the trace is still at least 0.01 there" if t < want else "too late: it fell below 0.01 earlier"
        return verdict(False, "", f"t = {int(t)} is {hint}. Solve |o_t[1]| = 0.8^(t-1) < 0.01 for the smallest "
                       "integer t.")
    return verdict(True, f"|o_{want}[1]| = 0.8^{want - 1} = {0.8 ** (want - 1):.4f} < 0.01 ≤ "
                   f"{0.8 ** (want - 2):.4f} = |o_{want - 1}[1]|: t = {want} is the first such step.", "")
