"""Each check of chapter 6 accepts a right answer and rejects plausible wrong ones."""
import numpy as np
import pytest

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


# --- 6.3: exact BPTT across a chunk boundary ---

def chunk_pass(p, X, Y, s0, ds_last):
    """Forward and backward over one chunk from s0; ds_last is an extra gradient at its last state.

    Returns (grads {U, W, b, V, c}, ∂L/∂s0, last state): an independent loop, not rnn_core.
    """
    T, H = len(X), len(s0)
    S = np.zeros((T + 1, H))
    S[0] = s0
    for t in range(1, T + 1):
        S[t] = sigmoid(p["U"] @ X[t - 1] + p["W"] @ S[t - 1] + p["b"])
    E = np.array([softmax(p["V"] @ s + p["c"]) for s in S[1:]]) - Y
    g = {k: np.zeros_like(v) for k, v in p.items()}
    g["V"], g["c"] = E.T @ S[1:], E.sum(0)
    delta = np.zeros(H)
    for t in range(T, 0, -1):
        dst = p["V"].T @ E[t - 1] + p["W"].T @ delta + (ds_last if t == T else 0)
        delta = S[t] * (1 - S[t]) * dst
        g["U"] += np.outer(delta, X[t - 1])
        g["W"] += np.outer(delta, S[t - 1])
        g["b"] += delta
    return g, p["W"].T @ delta, S[-1]


def two_chunks(p, X1, Y1, X2, Y2, cross=True, where="last"):
    H = p["W"].shape[0]
    _, _, s_mid = chunk_pass(p, X1, Y1, np.zeros(H), np.zeros(H))
    g2, ds0, _ = chunk_pass(p, X2, Y2, s_mid, np.zeros(H))
    if not cross:
        ds0 = np.zeros(H)
    if where == "last":
        g1, _, _ = chunk_pass(p, X1, Y1, np.zeros(H), ds0)
    else:                                           # wrong: added to the slope-multiplied delta instead
        g1, _, _ = chunk_pass(p, X1, Y1, np.zeros(H), ds0 / 0.25)
    return {k: g1[k] + g2[k] for k in g1}


def test_6_3_accepts_the_gradient_across_the_boundary(capsys):
    assert say("6.3", two_chunks)
    assert "Correct" in capsys.readouterr().out


def test_6_3_names_chunked_truncation_and_rejects_a_wrong_join(capsys):
    verdict = judge("6.3", lambda *a: two_chunks(*a, cross=False))
    assert not verdict and "chunked truncation" in verdict.message
    verdict = judge("6.3", lambda *a: two_chunks(*a, where="scaled"))
    assert not verdict and "relative error per parameter" in verdict.message
    assert "Wᵀ" not in verdict.message                      # the hint does not give the answer away


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


# --- 6.5: which losses of a chunk learn a delay ---

def test_6_5_accepts_k_minus_d_over_k(capsys):
    assert say("6.5", lambda d, k: max(k - d, 0) / k)
    assert "d + 1" in capsys.readouterr().out


def test_6_5_rejects_an_off_by_one_a_negative_fraction_and_a_count():
    verdict = judge("6.5", lambda d, k: max(k - d - 1, 0) / k)
    assert not verdict and "(0, 4)" in verdict.message and "k - d" not in verdict.message
    assert not judge("6.5", lambda d, k: (k - d) / k)
    assert not judge("6.5", lambda d, k: max(k - d, 0))


# --- every check: an unfinished template gets a sentence, never a bare False or a crash ---

@pytest.mark.parametrize("number, n_args", [("6.1", 1), ("6.2", 3), ("6.3", 5), ("6.4", 4), ("6.5", 2)])
def test_a_function_that_returns_none_gets_a_message(number, n_args, capsys):
    def unfinished(*args):
        ...

    verdict = say(number, unfinished)
    assert not verdict and "returned None" in verdict.message and "fill in its body" in verdict.message
    assert capsys.readouterr().out.startswith("Not yet: ")
    assert not judge(number, ...) and "replace the `...`" in judge(number, ...).message
    assert "raised ZeroDivisionError" in judge(number, lambda *a: 1 / 0).message
