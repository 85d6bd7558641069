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
from typing import NamedTuple

import numpy as np

from ._validate import (as_float_array, check_finite_result, check_number, check_params,
                        check_positive_int, check_rng)
from .activations import sigmoid
from .bptt import Backward, LossGrads
from .losses import output_layer
from .rnn import check_inputs, check_state, input_grad, project_inputs

GATES = ("input", "forget", "candidate", "output")


def init_lstm(input_size, hidden_size, output_size, rng, forget_bias=1.0):
    """Random LSTM parameters {Wx (4H, D), Wh (4H, H), b (4H,), V (K, H), c (K,)}, all float64.

    Every entry ~ Uniform(−1/√H, 1/√H), as PyTorch initialises ``nn.LSTM`` and ``nn.Linear``.
    forget_bias (a finite number) is then *added* to the forget block b[H:2H]: 1.0, this book's
    default, follows Jozefowicz et al. 2015; 0.0 gives PyTorch's default.
    """
    D = check_positive_int("input_size", input_size)
    H = check_positive_int("hidden_size", hidden_size)
    K = check_positive_int("output_size", output_size)
    check_rng(rng)
    forget_bias = check_number("forget_bias", forget_bias)
    a = 1.0 / np.sqrt(H)
    p = dict(Wx=rng.uniform(-a, a, (4 * H, D)), Wh=rng.uniform(-a, a, (4 * H, H)),
             b=rng.uniform(-a, a, 4 * H), V=rng.uniform(-a, a, (K, H)), c=rng.uniform(-a, a, K))
    p["b"][H:2 * H] += forget_bias
    return p


def gate_slices(H):
    """Row slices of Wx, Wh and b for each gate, keyed by the names in ``GATES``."""
    return {name: slice(k * H, (k + 1) * H) for k, name in enumerate(GATES)}


def check_lstm_params(params, where="lstm_forward"):
    """Check Wx (4H, D), Wh (4H, H), b (4H,) in ``params``; return them as float64 arrays."""
    check_params(params, ("Wx", "Wh", "b"), where)
    Wx = as_float_array("Wx", params["Wx"], ndim=2)
    if Wx.shape[0] % 4:
        raise ValueError(f"Wx must have shape (4H, D), got {Wx.shape}: {Wx.shape[0]} rows is not a multiple of 4")
    H = Wx.shape[0] // 4
    Wh = as_float_array("Wh", params["Wh"], shape=(4 * H, H))
    b = as_float_array("b", params["b"], shape=(4 * H,))
    return Wx, Wh, b


def lstm_forward(params, X, h0=None, c0=None):
    """Run the LSTM over a batch (chapter 4, the equations above).

    params: {Wx (4H, D), Wh (4H, H), b (4H,)}.  X: (T, B, D), or (T, B) integer ids.
    h0, c0: (B, H) or None (zeros).
    Returns (Hs, Cs, cache): Hs and Cs are (T+1, B, H) with Hs[0] = h0, Cs[0] = c0.
    cache["gates"] is (T, B, 4H): the activated i, f, c̃, ω of every step. The cache holds copies
    of X, Wx and Wh.
    """
    Wx, Wh, b = check_lstm_params(params)
    H = Wh.shape[1]
    X = check_inputs(X, Wx.shape[1])
    T, B = X.shape[:2]
    Hs, Cs = np.empty((T + 1, B, H)), np.empty((T + 1, B, H))
    Hs[0] = check_state("h0", h0, B, H)
    Cs[0] = check_state("c0", c0, B, H)
    # σ(z) = ½(1 + tanh(z/2)), so all four gates are one tanh over the four blocks: the rows of the
    # sigmoid gates are halved once here (exact in floating point), and after the tanh the blocks
    # are mapped back with ½·t + ½ (gates i, f, ω) or 1·t + 0 (the candidate c̃).
    scale = np.full(4 * H, 0.5)
    scale[2 * H:3 * H] = 1.0
    shift = 1.0 - scale                                           # ½ for i, f, ω; 0 for c̃
    Wx_s, Wh_s, b_s = Wx * scale[:, None], Wh * scale[:, None], b * scale
    gates = project_inputs(X, Wx_s, out=np.empty((T, B, 4 * H)))   # Wx x_t for every t at once
    gates += b_s
    WhT = Wh_s.T.copy()
    I, F, Cand, Omega = (gates[:, :, k * H:(k + 1) * H] for k in range(4))   # the four blocks, (T, B, H) each
    tanh_c = np.empty((T, B, H))                                  # tanh(c_t), kept for the backward pass
    Wh_h, ic = np.empty((B, 4 * H)), np.empty((B, H))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, T + 1):
            g = gates[t - 1]
            g += np.matmul(Hs[t - 1], WhT, out=Wh_h)    # Wx x_t + b + Wh h_{t-1}, the σ rows halved
            np.tanh(g, out=g)
            g *= scale
            g += shift                                   # i, f, ω = σ(·);  c̃ = tanh(·)
            i, f, cand, omega = I[t - 1], F[t - 1], Cand[t - 1], Omega[t - 1]
            np.multiply(f, Cs[t - 1], out=Cs[t])
            Cs[t] += np.multiply(i, cand, out=ic)        # c_t = f ⊙ c_{t-1} + i ⊙ c̃
            np.tanh(Cs[t], out=tanh_c[t - 1])
            np.multiply(omega, tanh_c[t - 1], out=Hs[t])  # h_t = ω ⊙ tanh(c_t)
    check_finite_result("the cell state", Cs, "the inputs or weights are too large")
    check_finite_result("the hidden state", Hs, "the inputs or weights are too large")
    return Hs, Cs, dict(X=X.copy(), Hs=Hs, Cs=Cs, gates=gates, tanh_c=tanh_c, Wx=Wx.copy(), Wh=Wh.copy())


class LSTMSweep(NamedTuple):
    """What ``lstm_backward_sweep`` returns: every intermediate of the backward recursion."""

    dZ: np.ndarray         # (T, B, 4H) gradients of the four gate pre-activations
    dh_total: np.ndarray   # (T, B, H) the total ∂L/∂h_t
    dc_total: np.ndarray   # (T, B, H) the total ∂L/∂c_t
    dh0: np.ndarray        # (B, H)
    dc0: np.ndarray        # (B, H)


def _check_cache(cache):
    if not isinstance(cache, dict) or "Cs" not in cache:
        raise TypeError("cache must be the dict returned by lstm_forward")
    return cache["gates"].shape[0], cache["Hs"].shape[1], cache["Hs"].shape[2]


def lstm_backward_sweep(dH, cache, dC=None):
    """The backward recursion, keeping every intermediate (chapters 4 and 7).

    dH: (T, B, H), dH[t-1] = the local gradient ∂L_t/∂h_t.  dC: optional (T, B, H) local
    gradients on the cell states.  cache: from ``lstm_forward``.
    Returns LSTMSweep(dZ, dh_total, dc_total, dh0, dc0). Along the cell path ∂L/∂c_{t-1} receives
    ∂L/∂c_t ⊙ f_t: no matrix, no squashing.
    """
    T, B, H = _check_cache(cache)
    dH = as_float_array("dH", dH, shape=(T, B, H))
    dC = None if dC is None else as_float_array("dC", dC, shape=(T, B, H))
    return _sweep(dH, cache, dC, totals=True)


def _sweep(dH, cache, dC, totals=False):
    """The backward recursion, from step T down to step 1 (chapter 4):

      ∂L/∂h_t = dH_t + Wh^T dz_{t+1},
      ∂L/∂c_t = ∂L/∂c_{t+1} ⊙ f_{t+1} + ∂L/∂h_t ⊙ ω_t ⊙ (1 − tanh²(c_t)),
      dz_t = [∂L/∂c_t ⊙ c̃_t ⊙ i_t(1 − i_t),  ∂L/∂c_t ⊙ c_{t-1} ⊙ f_t(1 − f_t),
              ∂L/∂c_t ⊙ i_t ⊙ (1 − c̃_t²),     ∂L/∂h_t ⊙ tanh(c_t) ⊙ ω_t(1 − ω_t)]
    (gate order i, f, c̃, ω). Each step computes the gates' slopes [i(1 − i), f(1 − f), 1 − c̃²,
    ω(1 − ω)] into dz_t, the four multipliers [∂L/∂c_t ⊙ c̃_t, ∂L/∂c_t ⊙ c_{t-1}, ∂L/∂c_t ⊙ i_t,
    ∂L/∂h_t ⊙ tanh(c_t)] into a buffer of the same shape, and multiplies the two.
    """
    Cs, gates, tanh_c, Wh = cache["Cs"], cache["gates"], cache["tanh_c"], cache["Wh"]
    T, B, H = dH.shape
    I, F, Cand, Omega = (gates[:, :, k * H:(k + 1) * H] for k in range(4))   # each (T, B, H)
    dZ = np.empty((T, B, 4 * H))
    dh_total = np.empty((T, B, H)) if totals else None
    dc_total = np.empty((T, B, H)) if totals else None
    m = np.empty((B, 4, H))                    # the multipliers of the four blocks of dz_t
    dh, dc, tmp = np.empty((B, H)), np.empty((B, H)), np.empty((B, H))
    dh_next, dc_next = np.zeros((B, H)), np.zeros((B, H))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for t in range(T, 0, -1):
            i, f, cand, omega, tc = I[t - 1], F[t - 1], Cand[t - 1], Omega[t - 1], tanh_c[t - 1]
            g, dz = gates[t - 1], dZ[t - 1]
            np.subtract(1.0, g, out=dz)
            dz *= g                                                     # i(1 − i), f(1 − f), ·, ω(1 − ω)
            np.subtract(1.0, np.multiply(cand, cand, out=tmp), out=dz[:, 2 * H:3 * H])   # 1 − c̃²
            np.add(dH[t - 1], dh_next, out=dh)                          # ∂L/∂h_t
            np.subtract(1.0, np.multiply(tc, tc, out=dc), out=dc)       # 1 − tanh²(c_t)
            dc *= omega
            dc *= dh
            dc += dc_next                                               # ∂L/∂c_t
            if dC is not None:
                dc += dC[t - 1]
            if totals:
                dh_total[t - 1], dc_total[t - 1] = dh, dc
            np.multiply(dc, cand, out=m[:, 0])
            np.multiply(dc, Cs[t - 1], out=m[:, 1])
            np.multiply(dc, i, out=m[:, 2])
            np.multiply(dh, tc, out=m[:, 3])
            dz *= m.reshape(B, 4 * H)                                   # dz_t
            np.matmul(dz, Wh, out=dh_next)                              # Wh^T dz_t, to h_{t-1}
            np.multiply(dc, f, out=dc_next)                             # along the cell path, to c_{t-1}
    return LSTMSweep(dZ, dh_total, dc_total, dh_next, dc_next)


def _backward(dH, cache, dC=None):
    sweep = _sweep(dH, cache, dC)
    T, B, H = dH.shape
    with np.errstate(over="ignore", invalid="ignore"):
        flat = sweep.dZ.reshape(T * B, 4 * H)
        grads = dict(Wx=input_grad(sweep.dZ, cache["X"], cache["Wx"].shape[1]),
                     Wh=flat.T @ cache["Hs"][:-1].reshape(T * B, H),
                     b=np.ones(T * B) @ flat)              # column sums, as a product (faster than .sum)
    for name, g in grads.items():
        check_finite_result(f"the gradient d{name}", g, "the backward signal exploded")
    return Backward(grads, (sweep.dh0, sweep.dc0), sweep.dZ)


def lstm_backward(dH, cache, dC=None):
    """Gradients of the loss for the LSTM's parameters (chapter 4).

    dH: (T, B, H), dH[t-1] = the local gradient ∂L_t/∂h_t from step t's output.
    dC: optional (T, B, H) local gradients on the cell states (usually None).
    Returns Backward(grads {Wx (4H, D), Wh (4H, H), b (4H,)}, dstate0 = (dh0, dc0), each (B, H),
    deltas = dZ (T, B, 4H), the gradients of the gate pre-activations; ∂L/∂X = dZ @ Wx).
    """
    T, B, H = _check_cache(cache)
    dH = as_float_array("dH", dH, shape=(T, B, H))
    dC = None if dC is None else as_float_array("dC", dC, shape=(T, B, H))
    return _backward(dH, cache, dC)


def lstm_step(params, x, state=None):
    """One LSTM step for a batch: x (B, D), state = (h, c), each (B, H), or None (zeros) -> the new (h, c).

    The plain equations, one step at a time: what ``text.sample`` calls for each character.
    """
    Wx, Wh, b = check_lstm_params(params, "lstm_step")
    H = Wh.shape[1]
    x = as_float_array("x", x, ndim=2, shape=(None, Wx.shape[1]))
    h, c = (None, None) if state is None else state
    h, c = check_state("h", h, x.shape[0], H), check_state("c", c, x.shape[0], H)
    z = x @ Wx.T + h @ Wh.T + b
    i, f, omega = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 3 * H:])
    c = f * c + i * np.tanh(z[:, 2 * H:3 * H])
    return omega * np.tanh(c), c


def lstm_loss_and_grads(params, X, Y, output="softmax", h0=None, c0=None):
    """The loss L = Σ_t L_t (averaged over the batch) of an LSTM with an output layer, and its gradients.

    params: {Wx, Wh, b, V (K, H), c (K,)}.  X: (T, B, D) or (T, B) ids.  Y as in ``rnn_loss_and_grads``.
    h0, c0: (B, H) or None.
    Returns LossGrads(loss, grads keyed like params, state = (h_T, c_T), to carry into the next chunk).
    """
    check_params(params, ("Wx", "Wh", "b", "V", "c"), "lstm_loss_and_grads")
    Hs, Cs, cache = lstm_forward(params, X, h0=h0, c0=c0)
    head = output_layer(params, Hs[1:], Y, output)
    grads = _backward(head.dstates, cache).grads
    grads.update(V=head.dV, c=head.dc)
    return LossGrads(head.loss, grads, (Hs[-1].copy(), Cs[-1].copy()))
