"""Each check of chapter 6 accepts a right answer and rejects plausible wrong ones."""
import numpy as np

from rnn_core.book.exercises import judge


def say(number, *answers, **options):
    """judge, and print the verdict as check does (for the tests that read the message)."""
    verdict = judge(number, *answers, **options)
    print(verdict)
    return verdict


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- 6.1 ---

def test_6_1_accepts_the_jacobian(capsys):
    assert say("6.1", lambda z: np.diag(softmax(z)) - np.outer(softmax(z), softmax(z)))
    assert "Correct" in capsys.readouterr().out


def test_6_1_rejects_the_elementwise_slope(capsys):
    assert not say("6.1", lambda z: np.diag(softmax(z) * (1 - softmax(z))))
    assert "Not yet" in capsys.readouterr().out


def test_6_1_rejects_a_wrong_shape_and_an_exception(capsys):
    assert not say("6.1", lambda z: softmax(z))
    assert not say("6.1", lambda z: 1 / 0)
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
    assert say("6.2", grads_tanh_squared)
    out = capsys.readouterr().out
    assert "relative error per parameter: U" in out and "Correct" in out


def test_6_2_rejects_the_sigmoid_slope():
    assert not judge("6.2", lambda p, X, Y: grads_tanh_squared(p, X, Y, slope=lambda s: s * (1 - s)))


def test_6_2_rejects_a_missing_key_and_a_wrong_shape():
    assert not judge("6.2", lambda p, X, Y: {k: v for k, v in grads_tanh_squared(p, X, Y).items() if k != "c"})
    assert not judge("6.2", lambda p, X, Y: dict(grads_tanh_squared(p, X, Y), W=np.zeros(3)))


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
    assert judge("6.3", ds0)


def test_6_3_rejects_an_extra_slope_and_delta_1_itself():
    assert not judge("6.3", lambda *a: ds0(*a, through_slope=True))
    assert not judge("6.3", lambda p, X, Y, s0: np.linalg.solve(p["W"].T, ds0(p, X, Y, s0)))


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
    assert judge("6.4", truncated)


def test_6_4_rejects_an_off_by_one_window():
    assert not judge("6.4", lambda p, X, Y, k: truncated(p, X, Y, k, steps_back=k + 1))


# --- 6.5: window length for a delay ---

def test_6_5_accepts_d_plus_1(capsys):
    assert say("6.5", lambda d: d + 1)
    assert "k = d + 1" in capsys.readouterr().out


def test_6_5_rejects_d_and_names_the_wrong_delays_without_the_answer():
    verdict = judge("6.5", lambda d: d if d < 3 else d + 1)
    assert not verdict and "d = [0, 1, 2]" in verdict.message and "d + 1" not in verdict.message
    assert not judge("6.5", lambda d: max(d, 1))
