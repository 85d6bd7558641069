"""Each check of chapter 6 accepts a right answer and rejects plausible wrong ones."""
import numpy as np

from rnn_core.exercises import (check_exercise_6_1, check_exercise_6_2, check_exercise_6_3,
                                check_exercise_6_4, check_exercise_6_5)


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- 6.1 ---

def test_6_1_accepts_the_jacobian(capsys):
    assert check_exercise_6_1(lambda z: np.diag(softmax(z)) - np.outer(softmax(z), softmax(z)))
    assert "Correct" in capsys.readouterr().out


def test_6_1_rejects_the_elementwise_slope(capsys):
    assert not check_exercise_6_1(lambda z: np.diag(softmax(z) * (1 - softmax(z))))
    assert "Not yet" in capsys.readouterr().out


def test_6_1_rejects_a_wrong_shape_and_an_exception(capsys):
    assert not check_exercise_6_1(lambda z: softmax(z))
    assert not check_exercise_6_1(lambda z: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


# --- 6.2: tanh state, identity output, squared error ---

def grads_tanh_squared(p, X, Y, slope=lambda s: 1 - s * s, act=np.tanh):
    T, H = len(X), p["W"].shape[0]
    S = np.zeros((T + 1, H))
    for t in range(1, T + 1):
        S[t] = act(p["U"] @ X[t - 1] + p["W"] @ S[t - 1] + p["b"])
    E = S[1:] @ p["V"].T + p["c"] - Y
    g = {k: np.zeros_like(v) for k, v in p.items()}
    g["V"], g["c"] = E.T @ S[1:], E.sum(0)
    delta = np.zeros(H)
    for t in range(T, 0, -1):
        delta = slope(S[t]) * (p["V"].T @ E[t - 1] + p["W"].T @ delta)
        g["U"] += np.outer(delta, X[t - 1])
        g["W"] += np.outer(delta, S[t - 1])
        g["b"] += delta
    return g


def test_6_2_accepts_the_gradient(capsys):
    assert check_exercise_6_2(grads_tanh_squared)
    out = capsys.readouterr().out
    assert "relative error per parameter: U" in out and "Correct" in out


def test_6_2_rejects_the_sigmoid_slope():
    assert not check_exercise_6_2(lambda p, X, Y: grads_tanh_squared(p, X, Y, slope=lambda s: s * (1 - s)))


def test_6_2_rejects_a_missing_key_and_a_wrong_shape():
    assert not check_exercise_6_2(lambda p, X, Y: {k: v for k, v in grads_tanh_squared(p, X, Y).items() if k != "c"})
    assert not check_exercise_6_2(lambda p, X, Y: dict(grads_tanh_squared(p, X, Y), W=np.zeros(3)))


# --- 6.3: gradient with respect to s_0 ---

def ds0(p, X, Y, s0, through_slope=False):
    T, H = len(X), len(s0)
    S = np.zeros((T + 1, H))
    S[0] = s0
    for t in range(1, T + 1):
        S[t] = sigmoid(p["U"] @ X[t - 1] + p["W"] @ S[t - 1] + p["b"])
    E = np.array([softmax(p["V"] @ s + p["c"]) for s in S[1:]]) - Y
    delta = np.zeros(H)
    for t in range(T, 0, -1):
        delta = S[t] * (1 - S[t]) * (p["V"].T @ E[t - 1] + p["W"].T @ delta)
    out = p["W"].T @ delta
    return S[0] * (1 - S[0]) * out if through_slope else out


def test_6_3_accepts_W_transpose_delta_1():
    assert check_exercise_6_3(ds0)


def test_6_3_rejects_an_extra_slope_and_delta_1_itself():
    assert not check_exercise_6_3(lambda *a: ds0(*a, through_slope=True))
    assert not check_exercise_6_3(lambda p, X, Y, s0: np.linalg.solve(p["W"].T, ds0(p, X, Y, s0)))


# --- 6.4: per-output truncation ---

def truncated(p, X, Y, k, steps_back=None):
    T, H = len(X), p["W"].shape[0]
    S = np.zeros((T + 1, H))
    for t in range(1, T + 1):
        S[t] = sigmoid(p["U"] @ X[t - 1] + p["W"] @ S[t - 1] + p["b"])
    E = np.array([softmax(p["V"] @ s + p["c"]) for s in S[1:]]) - Y
    g = {n: np.zeros_like(p[n]) for n in "UWb"}
    for t in range(T, 0, -1):
        d = S[t] * (1 - S[t]) * (p["V"].T @ E[t - 1])
        for j in range(t, max(0, t - (k if steps_back is None else steps_back)), -1):
            g["U"] += np.outer(d, X[j - 1])
            g["W"] += np.outer(d, S[j - 1])
            g["b"] += d
            d = S[j - 1] * (1 - S[j - 1]) * (p["W"].T @ d)
    return g


def test_6_4_accepts_k_step_truncation():
    assert check_exercise_6_4(truncated)


def test_6_4_rejects_an_off_by_one_window():
    assert not check_exercise_6_4(lambda p, X, Y, k: truncated(p, X, Y, k, steps_back=k + 1))


# --- 6.5: window length for a delay ---

def test_6_5_accepts_d_plus_1(capsys):
    assert check_exercise_6_5(lambda d: d + 1)
    assert "d = 6: your k = 7, ok" in capsys.readouterr().out


def test_6_5_rejects_d():
    assert not check_exercise_6_5(lambda d: d)
    assert not check_exercise_6_5(lambda d: max(d, 1))
