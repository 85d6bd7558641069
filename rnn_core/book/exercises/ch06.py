"""Judges of the exercises of chapter 6 (backpropagation through time).

The exercises use the chapter's single-sequence convention: X (T, D) holds x_1..x_T as
rows, Y (T, K) the targets y_1..y_T as rows, params = {U (H, D), W (H, H), b (H,),
V (K, H), c (K,)}, and s_0 = 0 unless an exercise says otherwise.

Each check computes the expected answer on its own: gradients by central differences of
a loss written here (a plain loop, independent of rnn_core's backward pass), truncated
gradients with ``rnn_backward(truncate=k)`` (itself tested against a brute force).
"""
import numpy as np

from ._check import NotYet, array, call, exercise, number, verdict

from ...bptt import rnn_backward, rnn_loss_and_grads
from ...rnn import init_rnn, rnn_forward


TOL = 1e-6
NAMES = ("U", "W", "b", "V", "c")


def _rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _central(f, arrays, eps=1e-6):
    """Central differences of the scalar f() with respect to every entry of each array (in place)."""
    out = []
    for a in arrays:
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            old = a[i]
            a[i] = old + eps
            up = f()
            a[i] = old - eps
            down = f()
            a[i] = old
            g[i] = (up - down) / (2 * eps)
        out.append(g)
    return out


def _problem(seed, T=5, D=3, H=4, K=3):
    rng = np.random.default_rng(seed)
    params = init_rnn(D, H, K, rng, w_scale=2.0)
    params["b"] = 0.3 * rng.standard_normal(H)
    params["c"] = 0.3 * rng.standard_normal(K)
    return rng, params, rng.standard_normal((T, D))


# --- exercise 6.1: the softmax Jacobian ------------------------------------------------

@exercise("6.1")
def judge_6_1(jacobian_fn):
    """jacobian_fn(z) must return the K×K Jacobian ∂softmax(z)/∂z, entry [i, j] = ∂o_i/∂z_j."""
    rng = np.random.default_rng(61)
    worst = 0.0
    for K in (2, 3, 6):
        z = 2.0 * rng.standard_normal(K)
        got = array(call(jacobian_fn, z.copy()), (K, K), f"the Jacobian for z of length {K}")
        want = np.stack([(_softmax(z + h) - _softmax(z - h)) / 2e-6 for h in 1e-6 * np.eye(K)], axis=1)
        worst = max(worst, _rel(got, want))
    return verdict(worst < TOL, f"J = diag(o) - o oᵀ (largest relative error against finite differences "
                   f"{worst:.0e}): every output depends on every input.",
                   f"relative error {worst:.1e}. Entry [i, j] is o_i (1[i = j] - o_j); only its diagonal is o(1 - o).")


# --- exercise 6.2: tanh state, identity output, squared error --------------------------

def _loss_tanh_squared(p, X, Y):
    """Σ_t ½‖o_t - y_t‖² with s_t = tanh(U x_t + W s_{t-1} + b), o_t = V s_t + c."""
    s, total = np.zeros(p["W"].shape[0]), 0.0
    for x, y in zip(X, Y):
        s = np.tanh(p["U"] @ x + p["W"] @ s + p["b"])
        o = p["V"] @ s + p["c"]
        total += 0.5 * np.sum((o - y) ** 2)
    return total


def _check_param_grads(grads_fn, loss, seeds, make_targets):
    worst = 0.0
    for seed in seeds:
        rng, params, X = _problem(seed)
        Y = make_targets(rng, X.shape[0], params["V"].shape[0])
        got = call(grads_fn, {k: v.copy() for k, v in params.items()}, X.copy(), Y.copy())
        if not isinstance(got, dict) or set(NAMES) - set(got):
            raise NotYet(f"return a dict with the keys {list(NAMES)}.")
        num = _central(lambda: loss(params, X, Y), [params[k] for k in NAMES])
        errs = {k: _rel(array(got[k], n.shape, f"d{k}"), n) for k, n in zip(NAMES, num)}
        worst = max(worst, *errs.values())
    return worst, "relative error per parameter: " + ", ".join(f"{k} {e:.1e}" for k, e in errs.items())


@exercise("6.2")
def judge_6_2(grads_fn):
    """grads_fn(params, X, Y) -> {U, W, b, V, c}: the gradient of L = Σ_t ½‖o_t - y_t‖².

    The network: s_t = tanh(U x_t + W s_{t-1} + b), s_0 = 0, o_t = V s_t + c (no output
    transform). Y (T, K) holds real targets.
    """
    worst, detail = _check_param_grads(grads_fn, _loss_tanh_squared, (62, 620),
                                       lambda rng, T, K: rng.standard_normal((T, K)))
    return verdict(worst < TOL, "with the identity output and the squared error, ∂L_t/∂o*_t = o_t - y_t again, "
                   f"and tanh' = 1 - s_t² replaces s_t(1 - s_t) ({detail}).",
                   f"{detail}. Check the slope of tanh (1 - s², from the stored state) and that the output "
                   "has no transform.")


# --- exercise 6.3: the gradient with respect to the initial state ----------------------

def _loss_sigmoid_softmax(p, X, Y, s0):
    """Σ_t -y_tᵀ log o_t with s_t = σ(U x_t + W s_{t-1} + b), o_t = softmax(V s_t + c)."""
    s, total = s0, 0.0
    for x, y in zip(X, Y):
        s = _sigmoid(p["U"] @ x + p["W"] @ s + p["b"])
        z = p["V"] @ s + p["c"]
        z = z - z.max()
        total -= y @ (z - np.log(np.exp(z).sum()))
    return total


@exercise("6.3")
def judge_6_3(ds0_fn):
    """ds0_fn(params, X, Y, s0) -> ∂L/∂s_0 (H,) for the chapter's network (sigmoid, softmax, cross-entropy)."""
    worst = 0.0
    for seed in (63, 630):
        rng, params, X = _problem(seed)
        K, H = params["V"].shape
        Y = np.eye(K)[rng.integers(0, K, X.shape[0])]
        s0 = rng.uniform(0.0, 1.0, H)
        got = call(ds0_fn, {k: v.copy() for k, v in params.items()}, X.copy(), Y.copy(), s0.copy())
        got = array(got, (H,), "∂L/∂s_0 (the shape of s_0)")
        want, = _central(lambda: _loss_sigmoid_softmax(params, X, Y, s0), [s0])
        worst = max(worst, _rel(got, want))
    return verdict(worst < TOL, f"∂L/∂s_0 = Wᵀ δ_1 (relative error {worst:.0e}): one more step of the "
                   "recursion, without a ϕ' (s_0 is not the output of an activation here).",
                   f"relative error {worst:.1e}. s_0 enters only through s*_1 = U x_1 + W s_0 + b. "
                   "Which δ do you need, and which matrix?")


# --- exercise 6.4: per-output truncation -----------------------------------------------

@exercise("6.4")
def judge_6_4(truncated_fn):
    """truncated_fn(params, X, Y, k) -> {U, W, b}: every L_t sends its gradient through k steps only.

    The chapter's network (sigmoid state, softmax output, cross-entropy), Y (T, K) one-hot.
    """
    worst = 0.0
    for seed, k in ((64, 1), (64, 2), (640, 3), (640, 5), (641, 8)):
        rng, params, X = _problem(seed, T=6)
        K = params["V"].shape[0]
        labels = rng.integers(0, K, X.shape[0])
        got = call(truncated_fn, {n: v.copy() for n, v in params.items()}, X.copy(), np.eye(K)[labels], k)
        if not isinstance(got, dict) or {"U", "W", "b"} - set(got):
            return verdict(False, "", "return a dict with the keys 'U', 'W' and 'b'.")
        want = rnn_loss_and_grads(params, X[:, None, :], labels[:, None], "sigmoid", "softmax", truncate=k).grads
        err = max(_rel(array(got[n], want[n].shape, f"d{n}"), want[n]) for n in "UWb")
        if err > TOL:
            return verdict(False, "", f"for k = {k} (T = 6) the relative error is {err:.1e}. Start each L_t at "
                           "δ_t^(t) = s_t(1 - s_t) ⊙ Vᵀ(o_t - y_t), and take k - 1 steps back (not k).")
        worst = max(worst, err)
    return verdict(True, f"each L_t reaches s*_t, ..., s*_(t-k+1): O(T·k) work, exact once k >= T "
                   f"(largest relative error {worst:.0e}).", "")


# --- exercise 6.5: how long a window a dependency needs --------------------------------

def _reach(d, k, T=12, H=6, seed=65):
    """Is ∂L_T/∂x_(T-d) nonzero under k-step truncation? (measured with rnn_backward)"""
    rng = np.random.default_rng(seed)
    p = init_rnn(3, H, 3, rng)
    X = rng.standard_normal((T, 1, 3))
    _, cache = rnn_forward(p, X)
    dS = np.zeros((T, 1, H))
    dS[-1] = rng.standard_normal((1, H))
    dX = rnn_backward(dS, cache, truncate=k).deltas @ p["U"]
    return bool(np.any(dX[T - 1 - d] != 0.0))


@exercise("6.5")
def judge_6_5(min_k_fn):
    """min_k_fn(d) -> the smallest k for which L_t receives any gradient from x_(t-d)."""
    wrong = []
    for d in range(0, 7):
        want = next(k for k in range(1, 12) if _reach(d, k))
        if number(call(min_k_fn, d), f"min_k({d})") != want:
            wrong.append(d)
    return verdict(not wrong, "x_(t-d) enters at s*_(t-d), and L_t's window reaches back to s*_(t-k+1), "
                   "so k = d + 1: a delay of d steps needs a window of d + 1 steps.",
                   f"the answer is not right for d = {wrong}. Count the steps the window covers: step t "
                   "itself and the k - 1 before it.")
