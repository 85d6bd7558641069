"""Judges of the exercises of chapter 6 (backpropagation through time).

The exercises use the chapter's single-sequence convention: X (T, D) holds x_1..x_T as
rows, Y (T, K) the targets y_1..y_T as rows, params = {U (H, D), W (H, H), b (H,),
V (K, H), c (K,)}, and s_0 = 0 unless an exercise says otherwise.

Each check computes the expected answer on its own: gradients by central differences of
a loss written here (a plain loop, independent of rnn_core's backward pass), truncated
gradients with ``rnn_backward(truncate=k)`` (itself tested against a brute force), and which
losses of a chunk reach an input by measuring ``rnn_backward``'s deltas.
"""
import numpy as np

from ._check import NotYet, array, call, correct, exercise, not_yet, number, verdict

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


# --- exercise 6.3: exact BPTT across a chunk boundary ----------------------------------

def _loss_sigmoid_softmax(p, X, Y, s0):
    """Σ_t -y_tᵀ log o_t with s_t = σ(U x_t + W s_{t-1} + b), o_t = softmax(V s_t + c)."""
    s, total = s0, 0.0
    for x, y in zip(X, Y):
        s = _sigmoid(p["U"] @ x + p["W"] @ s + p["b"])
        z = p["V"] @ s + p["c"]
        z = z - z.max()
        total -= y @ (z - np.log(np.exp(z).sum()))
    return total


def _last_state(p, X, s0):
    s = s0
    for x in X:
        s = _sigmoid(p["U"] @ x + p["W"] @ s + p["b"])
    return s


@exercise("6.3")
def judge_6_3(grads_fn):
    """grads_fn(params, X1, Y1, X2, Y2) -> {U, W, b, V, c}: the exact gradient of L = L⁽¹⁾ + L⁽²⁾.

    Two chunks of one sequence, read one after the other by the chapter's network (sigmoid
    state, softmax output, cross-entropy): chunk 1 starts from s_0 = 0, chunk 2 from chunk 1's
    last state. The expected gradient is central differences of the loss of the whole sequence;
    an answer that equals chunked truncation (chunk 2's initial state held constant) gets a hint.
    """
    worst, details = 0.0, ""
    for seed, T1, T2 in ((63, 4, 3), (630, 2, 5)):
        rng, params, X = _problem(seed, T=T1 + T2)
        K, H = params["V"].shape
        Y = np.eye(K)[rng.integers(0, K, T1 + T2)]
        got = call(grads_fn, {k: v.copy() for k, v in params.items()}, X[:T1].copy(), Y[:T1].copy(),
                   X[T1:].copy(), Y[T1:].copy())
        if not isinstance(got, dict) or set(NAMES) - set(got):
            raise NotYet(f"return a dict with the keys {list(NAMES)}.")
        got = {k: array(got[k], params[k].shape, f"d{k}") for k in NAMES}
        zero = np.zeros(H)
        exact = _central(lambda: _loss_sigmoid_softmax(params, X, Y, zero), [params[k] for k in NAMES])
        errs = {k: _rel(got[k], n) for k, n in zip(NAMES, exact)}
        details = "relative error per parameter: " + ", ".join(f"{k} {e:.1e}" for k, e in errs.items())
        if max(errs.values()) > TOL:
            frozen = _last_state(params, X[:T1], zero)
            cut = _central(lambda: _loss_sigmoid_softmax(params, X[:T1], Y[:T1], zero)
                           + _loss_sigmoid_softmax(params, X[T1:], Y[T1:], frozen), [params[k] for k in NAMES])
            if max(_rel(got[k], n) for k, n in zip(NAMES, cut)) < TOL:
                return not_yet("that is chunked truncation: no gradient crosses the boundary. Chunk 2's "
                               "backward pass also gives ∂L⁽²⁾/∂s_0; where does it belong in chunk 1's?")
            return not_yet(f"{details} (chunks of {T1} and {T2} steps). Chunk 2's s_0 is chunk 1's last "
                           "state: which gradient of chunk 1's backward pass does ∂L⁽²⁾/∂s_0 add to?")
        worst = max(worst, *errs.values())
    return correct(f"∂L⁽²⁾/∂s_0 = Wᵀδ_1 of chunk 2 joins the local gradient at chunk 1's last state, and the "
                   f"sweep carries it on through chunk 1 (largest relative error {worst:.0e}).")


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


# --- exercise 6.5: which losses of a chunk learn a delay --------------------------------

def _chunk_reaches(d, k, H=6, seed=65):
    """For each position i = 1..k of one chunk: does L_i get any gradient from x_(i-d)? (measured)

    Chunked truncation holds the chunk's initial state constant, so an input before the chunk
    (i - d < 1) is out of reach; inside the chunk, rnn_backward measures it.
    """
    rng = np.random.default_rng(seed)
    p = init_rnn(3, H, 3, rng)
    X = rng.standard_normal((k, 1, 3))
    _, cache = rnn_forward(p, X)
    reached = []
    for i in range(1, k + 1):
        if i - d < 1:
            reached.append(False)
            continue
        dS = np.zeros((k, 1, H))
        dS[i - 1] = rng.standard_normal((1, H))
        dX = rnn_backward(dS, cache).deltas @ p["U"]
        reached.append(bool(np.any(dX[i - 1 - d] != 0.0)))
    return reached


@exercise("6.5")
def judge_6_5(fraction_fn):
    """fraction_fn(d, k) -> the fraction of a chunk's k losses that get any gradient from their input d steps back."""
    wrong = []
    for k in (4, 8):
        for d in range(0, 10):
            want = sum(_chunk_reaches(d, k)) / k
            got = number(call(fraction_fn, d, k), f"chunk_fraction({d}, {k})")
            if abs(got - want) > 1e-9:
                wrong.append((d, k))
    return verdict(not wrong, "a loss at position i of a chunk covers its own step and the i - 1 before it, so a "
                   "delay of d needs i ≥ d + 1: k - d of the k positions for d < k, none for d ≥ k. "
                   "The first d losses of every chunk never learn the delay.",
                   f"the fraction is not right for (d, k) = {wrong[:6]}{' …' if len(wrong) > 6 else ''}. "
                   "Which positions i = 1..k of the chunk reach back d steps without leaving it?")
