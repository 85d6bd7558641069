"""The LSTM cell with a forget gate, without peepholes (chapter 4).

    i_t = σ(W_i [x_t; h_{t-1}] + b_i)        input gate          (source: g_1)
    f_t = σ(W_f [x_t; h_{t-1}] + b_f)        forget gate         (source: r_1)
    c̃_t = tanh(W_c [x_t; h_{t-1}] + b_c)     candidate values    (source: g_2)
    ω_t = σ(W_ω [x_t; h_{t-1}] + b_ω)        output gate         (source: g_3)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t          cell state          (source: upper channel "h")
    h_t = ω_t ⊙ tanh(c_t)                    hidden state        (source: lower channel "s")
    o_t = φ(V h_t + c)                       network output

The output gate is written ω so that it is never confused with the network output o_t.
The source's r_2 is i_t ⊙ c̃_t, and its W_1..W_4 are the blocks for f, i, c̃, ω.

Parameter layout (the same as PyTorch's ``nn.LSTM``, gate order i, f, c̃, ω):
  Wx (4H, D)  = weight_ih_l0,   rows [0:H] input gate, [H:2H] forget, [2H:3H] candidate, [3H:4H] output
  Wh (4H, H)  = weight_hh_l0,   same row blocks
  b  (4H,)    = bias_ih_l0 + bias_hh_l0
  V (K, H), c (K,): the output layer, as for the vanilla RNN.
Shapes: X (T, B, D); Hs and Cs (T+1, B, H) with Hs[0] = h_0 and Cs[0] = c_0.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_finite_result, check_params, check_positive_int
from .activations import sigmoid
from .losses import OUTPUTS, output_loss

GATES = ("input", "forget", "candidate", "output")


def init_lstm(input_size, hidden_size, output_size, rng, forget_bias=1.0):
    """Random LSTM parameters {Wx, Wh, b, V, c}, PyTorch-style Uniform(-1/√H, 1/√H).

    forget_bias is then *added* to the forget block b[H:2H] (1.0 is the common choice
    of Jozefowicz et al. 2015; 0.0 gives PyTorch's default).
    """
    D = check_positive_int("input_size", input_size)
    H = check_positive_int("hidden_size", hidden_size)
    K = check_positive_int("output_size", output_size)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    a = 1.0 / np.sqrt(H)
    p = dict(Wx=rng.uniform(-a, a, (4 * H, D)), Wh=rng.uniform(-a, a, (4 * H, H)),
             b=rng.uniform(-a, a, 4 * H), V=rng.uniform(-a, a, (K, H)), c=rng.uniform(-a, a, K))
    p["b"][H:2 * H] += float(forget_bias)
    return p


def gate_slices(H):
    """Row slices of Wx, Wh and b for each gate, keyed by the names in ``GATES``."""
    return {name: slice(k * H, (k + 1) * H) for k, name in enumerate(GATES)}


def _check_lstm_params(params, where, need_output=False):
    check_params(params, ("Wx", "Wh", "b", "V", "c") if need_output else ("Wx", "Wh", "b"), where)
    Wx = as_float_array("Wx", params["Wx"], ndim=2)
    if Wx.shape[0] % 4:
        raise ValueError(f"Wx must have shape (4H, D), got {Wx.shape}: {Wx.shape[0]} rows is not a multiple of 4")
    H, D = Wx.shape[0] // 4, Wx.shape[1]
    Wh = as_float_array("Wh", params["Wh"], ndim=2, shape=(4 * H, H))
    b = as_float_array("b", params["b"], ndim=1, shape=(4 * H,))
    return Wx, Wh, b, D, H


def lstm_forward(params, X, h0=None, c0=None):
    """Run the LSTM over a batch (chapter 4).

    params: {Wx (4H, D), Wh (4H, H), b (4H,)}.  X: (T, B, D).  h0, c0: (B, H) or None.
    Returns (Hs, Cs, cache): Hs and Cs are (T+1, B, H) with Hs[0] = h0, Cs[0] = c0.
    cache["gates"] is (T, B, 4H): the activated i, f, c̃, ω of every step.
    """
    Wx, Wh, b, D, H = _check_lstm_params(params, "lstm_forward")
    X = as_float_array("X", X, ndim=3, shape=(None, None, D))
    T, B, _ = X.shape
    if T == 0 or B == 0:
        raise ValueError(f"X must hold at least one time step and one sequence, got shape {X.shape}")
    Hs, Cs = np.empty((T + 1, B, H)), np.empty((T + 1, B, H))
    Hs[0] = np.zeros((B, H)) if h0 is None else as_float_array("h0", h0, ndim=2, shape=(B, H))
    Cs[0] = np.zeros((B, H)) if c0 is None else as_float_array("c0", c0, ndim=2, shape=(B, H))
    gates = np.empty((T, B, 4 * H))
    with np.errstate(over="ignore", invalid="ignore"):
        XW = X @ Wx.T + b                        # (T, B, 4H), all input projections at once
        for t in range(1, T + 1):
            z = XW[t - 1] + Hs[t - 1] @ Wh.T
            gt = gates[t - 1]
            gt[:, :2 * H] = sigmoid(z[:, :2 * H])          # i, f
            gt[:, 2 * H:3 * H] = np.tanh(z[:, 2 * H:3 * H])  # c̃
            gt[:, 3 * H:] = sigmoid(z[:, 3 * H:])          # ω
            i, f, cand, omega = gt[:, :H], gt[:, H:2 * H], gt[:, 2 * H:3 * H], gt[:, 3 * H:]
            Cs[t] = f * Cs[t - 1] + i * cand
            Hs[t] = omega * np.tanh(Cs[t])
    check_finite_result("the cell state", Cs, "the inputs or weights are too large")
    return Hs, Cs, dict(X=X, Hs=Hs, Cs=Cs, gates=gates, Wx=Wx, Wh=Wh)


def lstm_backward_sweep(dH, cache, dC=None):
    """The backward recursion, keeping every intermediate (used by chapter 7's analysis).

    Returns (dZ, dh_total, dc_total, dh0, dc0): dZ (T, B, 4H) gradients of the gate
    pre-activations, dh_total and dc_total (T, B, H) the total ∂L/∂h_t and ∂L/∂c_t.
    Along the cell path ∂L/∂c_{t-1} receives dc_t ⊙ f_t: no matrix, no squashing.
    """
    Hs, Cs, gates, Wh = cache["Hs"], cache["Cs"], cache["gates"], cache["Wh"]
    T, B, H = dH.shape[0], Hs.shape[1], Hs.shape[2]
    dZ = np.empty((T, B, 4 * H))
    dh_total, dc_total = np.empty((T, B, H)), np.empty((T, B, H))
    dh_next, dc_next = np.zeros((B, H)), np.zeros((B, H))
    for t in range(T, 0, -1):
        g = gates[t - 1]
        i, f, cand, omega = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
        tc = np.tanh(Cs[t])
        dh = dH[t - 1] + dh_next
        dc = dc_next + dh * omega * (1.0 - tc * tc)
        if dC is not None:
            dc = dc + dC[t - 1]
        dh_total[t - 1], dc_total[t - 1] = dh, dc
        dz = dZ[t - 1]
        dz[:, :H] = dc * cand * i * (1.0 - i)
        dz[:, H:2 * H] = dc * Cs[t - 1] * f * (1.0 - f)
        dz[:, 2 * H:3 * H] = dc * i * (1.0 - cand * cand)
        dz[:, 3 * H:] = dh * tc * omega * (1.0 - omega)
        dh_next = dz @ Wh
        dc_next = dc * f
    return dZ, dh_total, dc_total, dh_next, dc_next


def lstm_backward(dH, cache, dC=None):
    """Gradients of the loss for the LSTM parameters (chapter 4).

    dH: (T, B, H), dH[t-1] = the direct gradient ∂L_t/∂h_t from step t's output.
    dC: optional (T, B, H) direct gradients on the cell states (usually None).
    Returns (grads, dh0, dc0): grads is {Wx (4H, D), Wh (4H, H), b (4H,)}.
    """
    if not isinstance(cache, dict) or "Cs" not in cache:
        raise TypeError("cache must be the dict returned by lstm_forward")
    T, B, H = cache["gates"].shape[0], cache["Hs"].shape[1], cache["Hs"].shape[2]
    dH = as_float_array("dH", dH, ndim=3, shape=(T, B, H))
    if dC is not None:
        dC = as_float_array("dC", dC, ndim=3, shape=(T, B, H))
    with np.errstate(over="ignore", invalid="ignore"):
        dZ, _, _, dh0, dc0 = lstm_backward_sweep(dH, cache, dC)
        flat = dZ.reshape(T * B, 4 * H)
        grads = dict(Wx=flat.T @ cache["X"].reshape(T * B, -1),
                     Wh=flat.T @ cache["Hs"][:-1].reshape(T * B, H), b=flat.sum(axis=0))
    for name, g in grads.items():
        check_finite_result(f"the gradient d{name}", g, "the backward signal exploded")
    return grads, dh0, dc0


def lstm_loss_and_grads(params, X, Y, output="softmax", h0=None, c0=None, return_state=False):
    """The loss L = Σ_t L_t (averaged over the batch) of an LSTM with an output layer.

    Y as in ``rnn_loss_and_grads``. Returns (loss, grads) keyed like params; with
    return_state=True also (h_T, c_T) to carry into the next chunk.
    """
    _, _, _, _, H = _check_lstm_params(params, "lstm_loss_and_grads", need_output=True)
    check_choice("output", output, OUTPUTS)
    V = as_float_array("V", params["V"], ndim=2, shape=(None, H))
    K = V.shape[0]
    c = as_float_array("c", params["c"], ndim=1, shape=(K,))
    Hs, Cs, cache = lstm_forward(params, X, h0=h0, c0=c0)
    T, B = Hs.shape[0] - 1, Hs.shape[1]
    states = Hs[1:]
    loss, dlogits = output_loss(states @ V.T + c, Y, output)
    grads, _, _ = lstm_backward(dlogits @ V, cache)
    grads["V"] = dlogits.reshape(T * B, K).T @ states.reshape(T * B, H)
    grads["c"] = dlogits.sum(axis=(0, 1))
    if return_state:
        return loss, grads, (Hs[-1].copy(), Cs[-1].copy())
    return loss, grads
