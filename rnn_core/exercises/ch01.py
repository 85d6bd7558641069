"""Self-checks for the exercises of chapter 1 (the RNN idea).

Each check computes the expected answer independently (by building the parameter
arrays with ``init_rnn``, or by running the recurrence with ``rnn_forward`` /
``rnn_outputs``), prints a verdict and returns True or False.
"""
import numpy as np

from ..rnn import init_rnn, rnn_forward, rnn_outputs

__all__ = ["check_exercise_1_1", "check_exercise_1_2", "check_exercise_1_3", "check_exercise_1_4"]


def _say(ok, good, bad):
    print(("Correct. " + good) if ok else ("Not yet. " + bad))
    return bool(ok)


def _call(fn, *args):
    """fn(*args), or the exception it raised (so a check can report it instead of crashing)."""
    try:
        return fn(*args), None
    except Exception as exc:  # noqa: BLE001 - any error in the reader's code is a verdict
        return None, f"{type(exc).__name__}: {exc}"


def check_exercise_1_1(count_parameters):
    """count_parameters(D, H, K, T, tied) must give the number of trainable numbers.

    Tied: one set {U, W, b, V, c} as built by ``init_rnn``. Untied: one such set per step.
    """
    rng = np.random.default_rng(0)
    for D, H, K in [(1, 1, 1), (3, 5, 2), (10, 32, 4), (7, 16, 30)]:
        one_set = sum(a.size for a in init_rnn(D, H, K, rng).values())
        for T in (1, 4, 50):
            for tied in (True, False):
                want = one_set if tied else T * one_set
                got, err = _call(count_parameters, D, H, K, T, tied)
                if err:
                    return _say(False, "", f"count_parameters({D}, {H}, {K}, {T}, tied={tied}) raised {err}")
                if got != want:
                    return _say(False, "", f"For D={D}, H={H}, K={K}, T={T}, tied={tied} the model has {want} "
                                f"parameters; your function returned {got}. Count U, W, b, V and c "
                                "(and, untied, one of each per step).")
    return _say(True, "Tied: HD + H² + H + KH + K, whatever T is. Untied: T times as many.", "")


def _example_outputs(n, w):
    """The worked example for W = w·I, run through rnn_outputs (no closed form used)."""
    eye = np.eye(n)
    params = dict(U=eye, W=w * eye, b=np.zeros(n), V=eye, c=np.zeros(n))
    return rnn_outputs(params, eye[:, None, :], activation="identity", output="identity")[:, 0, :]


def check_exercise_1_2(outputs):
    """outputs: the (4, 4) matrix of o_1..o_4 (as rows) for the worked example with W = -I."""
    want = _example_outputs(4, -1.0)
    got = np.asarray(outputs, dtype=np.float64)
    if got.shape != want.shape:
        return _say(False, "", f"Expected a (4, 4) array with o_t in row t, got shape {got.shape}.")
    if not np.allclose(got, want):
        bad = int(np.argmax(np.any(~np.isclose(got, want), axis=1))) + 1
        return _say(False, "", f"Row {bad} (o_{bad}) is not right. Use o_t = Σ_j w^(t-j) x_j with w = -1.")
    return _say(True, "With w = -1 nothing fades and nothing grows: each earlier input "
                "returns with a sign that flips at every step.", "")


def check_exercise_1_3(rnn_step):
    """rnn_step(params, x_t, s_prev) must return s_t = tanh(U x_t + W s_{t-1} + b) for a batch.

    x_t: (B, D), s_prev: (B, H) -> (B, H). Compared with one step of ``rnn_forward``.
    """
    rng = np.random.default_rng(1)
    for B, D, H in [(1, 3, 4), (5, 2, 3), (4, 6, 6)]:
        params = init_rnn(D, H, 2, rng)
        x, s_prev = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        want = rnn_forward(params, x[None], activation="tanh", s0=s_prev)[0][1]
        got, err = _call(rnn_step, params, x, s_prev)
        if err:
            return _say(False, "", f"rnn_step raised {err} for B={B}, D={D}, H={H}.")
        got = np.asarray(got, dtype=np.float64)
        if got.shape != want.shape:
            return _say(False, "", f"For B={B}, D={D}, H={H} s_t must have shape {want.shape}, got {got.shape}. "
                        "Batches are rows: use x_t @ U.T and s_prev @ W.T.")
        if not np.allclose(got, want):
            return _say(False, "", f"Wrong values for B={B}, D={D}, H={H}. Check the transposes and the bias.")
    return _say(True, "One step for a whole batch is x_t @ U.T + s_prev @ W.T + b, then tanh.", "")


def check_exercise_1_4(steps):
    """steps: the first t at which x_1's trace |o_t[1]| in the example with w = 0.8 is below 0.01."""
    trace = np.abs(_example_outputs(40, 0.8)[:, 0])      # o_t[1] for t = 1..40
    want = int(np.argmax(trace < 0.01)) + 1
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        return _say(False, "", f"Give the step t as an integer, got {steps!r}.")
    if steps != want:
        hint = "too early: the trace is still at least 0.01 there" if steps < want else "too late: it fell below 0.01 earlier"
        return _say(False, "", f"t = {steps} is {hint}. Solve 0.8^(t-1) < 0.01 for the smallest integer t.")
    return _say(True, f"0.8^{want - 1} = {0.8 ** (want - 1):.4f} < 0.01 while 0.8^{want - 2} = "
                f"{0.8 ** (want - 2):.4f}: after {want - 1} steps less than 1 % of x_1 is left.", "")
