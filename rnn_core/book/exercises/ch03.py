"""Judges of the exercises of chapter 3 (training an RNN).

Each judge computes the expected answer independently (by central finite differences of a
loss written out here, by a closed form, or by evaluating on the shipped test split).
"""
import numpy as np

from ._check import array, call, exercise, number, verdict
from ...data import P_TWO_CLAUSES, SENTIMENT_VOCAB, encode_sentences, load_sentiment, one_hot
from ...gradcheck import numerical_gradient, relative_error
from ...structures import many_to_one_logits


def _fresh(params):
    return {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}


# --- 3.1: backprop through a ReLU layer with a squared-error loss ---------------------

def exercise_3_1_setup(seed=31):
    """params {U (5, 3), b (5,), V (2, 5), c (2,)}, inputs x (4, 3) and real targets y (4, 2)."""
    rng = np.random.default_rng(seed)
    params = dict(U=rng.normal(size=(5, 3)), b=rng.normal(0, 0.5, 5), V=rng.normal(size=(2, 5)), c=rng.normal(size=2))
    return params, rng.normal(size=(4, 3)), rng.normal(size=(4, 2))


def _loss_3_1(p, x, y):
    """L = (1/B) Σ_b ½‖V relu(U x_b + b) + c - y_b‖²."""
    out = np.maximum(x @ p["U"].T + p["b"], 0.0) @ p["V"].T + p["c"]
    return 0.5 * np.sum((out - y) ** 2) / len(x)


@exercise("3.1")
def judge_3_1(layer_grads):
    """layer_grads(params, x, y) -> {U, b, V, c}: gradients of the loss of exercise 3.1."""
    params, x, y = exercise_3_1_setup()
    want = numerical_gradient(lambda p: _loss_3_1(p, x, y), _fresh(params))
    got = call(layer_grads, _fresh(params), x.copy(), y.copy())
    if not isinstance(got, dict) or set(got) != set(want):
        return verdict(False, "", f"Return a dict with the keys {sorted(want)}.")
    got = {k: array(got[k], want[k].shape, f"d{k} (shaped like {k})") for k in ("V", "c", "U", "b")}
    errors = {k: relative_error(got[k], want[k]) for k in want}
    bad = [k for k in ("V", "c", "U", "b") if errors[k] > 1e-6]
    if not bad:
        return verdict(True, f"Largest relative error against finite differences: {max(errors.values()):.1e}.", "")
    hint = {"V": "dV = Σ_b (ŷ_b - y_b) h_b^T / B, with h = relu(U x + b).",
            "c": "dc = Σ_b (ŷ_b - y_b) / B.",
            "U": "dU = Σ_b δ_b x_b^T with δ = [U x + b > 0] ⊙ (V^T (ŷ - y)) / B: did you apply the ReLU's slope?",
            "b": "db = Σ_b δ_b with the same δ as for dU."}[bad[0]]
    return verdict(False, "", f"d{bad[0]} is off (relative error {errors[bad[0]]:.2e}). {hint}")


# --- 3.2: the total gradient of every state, along both paths ------------------------

def exercise_3_2_setup(seed=32):
    """A small RNN and one sequence: (params, X (6, 1, 3), Y (6, 1)); tanh, softmax over K = 4."""
    rng = np.random.default_rng(seed)
    H, D, K, T = 5, 3, 4, 6
    params = dict(U=rng.normal(0, 0.6, (H, D)), W=rng.normal(0, 0.5, (H, H)), b=rng.normal(0, 0.1, H),
                  V=rng.normal(0, 0.6, (K, H)), c=rng.normal(0, 0.1, K))
    return params, rng.normal(size=(T, 1, D)), rng.integers(0, K, size=(T, 1))


def _loss_from(p, X, Y, t, s):
    """L_t + ... + L_T of the single sequence when the state s_t is set to ``s`` (t is 1-based)."""
    total = 0.0
    for k in range(t, X.shape[0] + 1):
        if k > t:
            s = np.tanh(p["U"] @ X[k - 1, 0] + p["W"] @ s + p["b"])
        z = p["V"] @ s + p["c"]
        z = z - z.max()
        total -= z[Y[k - 1, 0]] - np.log(np.exp(z).sum())
    return total


def _states(p, X):
    s, out = np.zeros(p["W"].shape[0]), []
    for x in X[:, 0]:
        s = np.tanh(p["U"] @ x + p["W"] @ s + p["b"])
        out.append(s)
    return np.array(out)


@exercise("3.2")
def judge_3_2(state_grads):
    """state_grads(params, X, Y) -> (T, H): row t-1 is the total ∂L/∂s_t of exercise 3.2's sequence."""
    params, X, Y = exercise_3_2_setup()
    S = _states(params, X)
    T, H = S.shape
    want = np.array([numerical_gradient(lambda q, t=t: _loss_from(params, X, Y, t, q["s"]),
                                        {"s": S[t - 1].copy()})["s"] for t in range(1, T + 1)])
    got = array(call(state_grads, _fresh(params), X.copy(), Y.copy()), want.shape, "state_grads' result (T, H)")
    err = relative_error(got, want)
    if err < 1e-6:
        return verdict(True, f"Relative error against finite differences {err:.1e}. Both paths are in.", "")
    O = np.exp(S @ params["V"].T + params["c"])
    O /= O.sum(axis=1, keepdims=True)
    direct = (O - np.eye(params["c"].size)[Y[:, 0]]) @ params["V"]
    if relative_error(got, direct) < 1e-6:
        return verdict(False, "", "This is only the path through each output, V^T (o_t - y_t). "
                    "Add the path through time: W^T δ_{t+1} with δ_{t+1} = ϕ'(s*_{t+1}) ⊙ ∂L/∂s_{t+1}, "
                    "computed from t = T down.")
    if np.allclose(got[-1], want[-1]):
        return verdict(False, "", f"The last row is right, the earlier ones are not (relative error {err:.2e}). "
                    "Going back one step multiplies by the slope 1 - s_{t+1}^2 of tanh (giving δ_{t+1}), then by W^T.")
    return verdict(False, "", f"Relative error {err:.2e}. At t = T only the output path exists: V^T (o_T - y_T).")


# --- 3.3: what a network without memory can reach on delayed recall -------------------

@exercise("3.3")
def judge_3_3(baseline):
    """baseline(T, delay, n_symbols) -> the best accuracy over all T steps without any memory of inputs."""
    cases = [(20, 3, 4), (20, 8, 4), (10, 1, 2), (50, 10, 7)]
    for T, delay, n in cases:
        want = (delay + (T - delay) / n) / T
        got = number(call(baseline, T, delay, n), f"baseline({T}, {delay}, {n})")
        if abs(got - want) > 1e-9:
            if abs(got - 1 / n) < 1e-9:
                return verdict(False, "", "1/n_symbols is the chance level at the steps after the delay. "
                            "At the first `delay` steps the target is always 0, and the model knows t.")
            return verdict(False, "", f"For T={T}, delay={delay}, n_symbols={n} the answer is not {got:.4f}. "
                        "Count the steps whose target is certain and those where only a guess is possible.")
    return verdict(True, "(delay + (T - delay)/n) / T: for the chapter's T = 20, delay = 3, n = 4 that is "
                f"{(3 + 17 / 4) / 20:.4f}. Anything above it needs memory.", "")


# --- 3.4: train with plain SGD --------------------------------------------------------

@exercise("3.4")
def judge_3_4(params, threshold=0.85):
    """params: a trained many-to-one RNN {U, W, b, V, c} for the sentiment task (D = 23, K = 2, tanh)."""
    need = {"U", "W", "b", "V", "c"}
    if not isinstance(params, dict) or not need <= set(params):
        return verdict(False, "", f"Give the parameter dict of your network, with keys {sorted(need)}.")
    D, K = len(SENTIMENT_VOCAB), 2
    if np.shape(params["U"])[1:] != (D,) or np.shape(params["V"])[:1] != (K,):
        return verdict(False, "", f"Expected U of shape (H, {D}) and V of shape ({K}, H), "
                    f"got {np.shape(params['U'])} and {np.shape(params['V'])}.")
    test = load_sentiment("test")
    X = one_hot(encode_sentences([t for t, _ in test], length=13), D)
    try:
        logits = many_to_one_logits(params, X)
    except (TypeError, ValueError) as err:
        return verdict(False, "", f"Your network cannot read the test sentences: {err}")
    acc = float(np.mean(logits.argmax(axis=1) == np.array([y for _, y in test])))
    bound = (1 - P_TWO_CLAUSES) + P_TWO_CLAUSES * 5 / 8      # chapter 2: the best bag-of-words model
    if acc >= threshold:
        return verdict(True, f"Test accuracy {acc:.3f}, above the bag-of-words bound {bound:.3f}.", "")
    return verdict(False, "", f"Test accuracy {acc:.3f}, below {threshold:.2f}. "
                "With SGD: learning rate 0.2 to 0.5, 1000 updates.")
