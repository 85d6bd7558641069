"""Judges of the exercises of chapter 8 (a character-level language model with RNN, LSTM and GRU).

Each judge computes its expected answer on its own: parameter shapes listed by hand, the GRU's
equations written out here, logarithms and a softmax of its own. None calls ``rc.gru`` or
``rc.text``.
"""
import math

import numpy as np

from ._check import array, call, correct, exercise, not_yet, number


def _gru_parameter_shapes(D, H, K):
    """PyTorch's nn.GRU(D, H) followed by nn.Linear(H, K): every parameter's shape."""
    return [(3 * H, D), (3 * H, H), (3 * H,), (3 * H,), (K, H), (K,)]


@exercise("8.1")
def _gru_parameters(count_fn):
    """count_fn(D, H, K) -> the number of parameters of a GRU with an output layer."""
    for D, H, K in ((75, 115, 75), (3, 4, 2), (10, 1, 7), (1, 20, 1)):
        want = sum(math.prod(s) for s in _gru_parameter_shapes(D, H, K))
        got = number(call(count_fn, D, H, K, name="gru_parameters"), f"gru_parameters({D}, {H}, {K})")
        if got != want:
            hint = ""
            if got == want - 3 * H:
                hint = " The GRU keeps two bias vectors, b_x and b_h: the candidate's b_hn sits inside the reset product."
            elif got == want - K * (H + 1):
                hint = " Don't forget the output layer V, c."
            return not_yet(f"gru_parameters({D}, {H}, {K}) = {got:g}, expected another number.{hint} "
                           "List the shapes of Wx, Wh, bx, bh, V and c.")
    return correct("3H(D + H) weights, 6H biases and K(H + 1) in the output layer: "
                   "for D = K = 75 and H = 115, 74,940 parameters.")


def _sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


#: Exercise 8.2's GRU with D = H = 1: the weights of the reset, update and candidate blocks, in that order.
STEP_BY_HAND = dict(Wx=(0.5, -1.0, 2.0), Wh=(1.0, 0.5, -1.0), bx=(0.0, 0.5, 0.0), bh=(0.0, 0.0, 1.0), x=1.0, h=0.5)


def _gru_by_hand(reset_inside=True, z_keeps_old=True):
    """Exercise 8.2's new state, written out with scalars; the flags give the two classic slips."""
    q = STEP_BY_HAND
    sig = lambda v: 1.0 / (1.0 + math.exp(-v))
    x, h = q["x"], q["h"]
    r = sig(q["Wx"][0] * x + q["bx"][0] + q["Wh"][0] * h + q["bh"][0])
    z = sig(q["Wx"][1] * x + q["bx"][1] + q["Wh"][1] * h + q["bh"][1])
    if reset_inside:
        n = math.tanh(q["Wx"][2] * x + q["bx"][2] + r * (q["Wh"][2] * h + q["bh"][2]))
    else:
        n = math.tanh(q["Wx"][2] * x + q["bx"][2] + q["bh"][2] + r * (q["Wh"][2] * h))
    return (1 - z) * n + z * h if z_keeps_old else z * n + (1 - z) * h


@exercise("8.2")
def _gru_step(h_new):
    """The new state h_t of exercise 8.2's one-unit GRU (STEP_BY_HAND), to 3 decimals."""
    got = number(h_new, "h_new")
    if abs(got - _gru_by_hand()) < 5e-4:
        return correct(f"h_t = (1 − z) n + z h_(t−1) = {_gru_by_hand():.4f}.")
    if abs(got - _gru_by_hand(z_keeps_old=False)) < 5e-4:
        return not_yet("your z and 1 − z are swapped. In this book (and PyTorch) z_t keeps the old state: "
                       "h_t = (1 − z_t) n_t + z_t h_(t−1).")
    if abs(got - _gru_by_hand(reset_inside=False)) < 5e-4:
        return not_yet("the candidate's hidden bias b_hn belongs inside the reset product: r (W_hn h + b_hn).")
    return not_yet(f"{got:.4f} is not it. Compute r, then z, then n (with r multiplying W_hn h + b_hn), "
                   "then h_t, one number at a time.")


@exercise("8.3")
def _uniform_bits(bits):
    """The held-out bits per character of a model that gives each of the 75 characters probability 1/75."""
    want = math.log(75) / math.log(2)
    b = number(bits, "uniform_bits")
    if abs(b - want) < 1e-3:
        return correct(f"−log₂(1/75) = log₂ 75 = {want:.4f} bits for every character, whatever the text.")
    if abs(b - math.log(75)) < 1e-3:
        return not_yet(f"{b:.4f} is the loss in nats (natural logarithm). Bits use log base 2.")
    return not_yet(f"{b:.4f} is not it. Every character gets probability 1/75; what is −log₂ of that?")


def _softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


@exercise("8.4")
def _with_temperature(prob_fn):
    """prob_fn(logits (K,), tau) -> softmax(logits / tau), finite for every tau > 0 (also 1e-4 and 1e6)."""
    logits = np.array([2.0, 1.0, 0.5, -1.0, 3.5, 3.0])
    for tau in (1.0, 0.5, 2.0, 1e-4, 1e6):
        out = call(prob_fn, logits.copy(), tau, name="with_temperature")
        try:
            finite = bool(np.isfinite(np.asarray(out, dtype=np.float64)).all())
        except (TypeError, ValueError):
            finite = True                                      # not numbers: ``array`` says so below
        if not finite:
            return not_yet(f"with_temperature(logits, {tau:g}) contains NaN or inf: exp(logits / τ) overflows "
                           "for small τ. Subtract the largest of logits / τ before exponentiating.")
        got = array(out, logits.shape, f"with_temperature(logits, {tau:g})")
        want = _softmax(logits / tau)
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            return not_yet(f"with_temperature(logits, {tau:g}) differs from softmax(logits / τ). "
                           "Divide the logits by τ, subtract their largest value, then exponentiate and normalise.")
    return correct("as τ → 0 all probability goes to the largest logit (greedy choice); as τ → ∞ every "
                   "character gets 1/K (uniform noise).")
