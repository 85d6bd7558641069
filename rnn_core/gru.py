"""The gated recurrent unit (GRU) of Cho et al. 2014, in PyTorch's form (chapter 8).

    r_t = σ(W_xr x_t + b_xr + W_hr h_{t-1} + b_hr)            reset gate
    z_t = σ(W_xz x_t + b_xz + W_hz h_{t-1} + b_hz)            update gate
    n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t-1} + b_hn))  candidate state
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}                     new state
    o_t = φ(V h_t + c)                                          network output

Compared with the LSTM (chapter 4) the cell state and the hidden state are one vector h_t, the
output gate is gone, and one gate z_t does the work of the forget and input gates together:
z_t keeps old state, 1 − z_t lets the candidate in. Convention: here, as in Cho et al. 2014,
PyTorch and d2l, z_t multiplies the *old* state; some texts (Chung et al. 2014) swap z and 1 − z.
The backward signal along h_{t-1} → h_t is multiplied by z_t (plus the paths through the gates),
as the LSTM's cell path is multiplied by f_t; ``gru_backward_sweep`` keeps the total ∂L/∂h_t of
every step, for chapter 8's look at how far back the gradient reaches.

Parameter layout (exactly PyTorch's ``nn.GRU``, gate order r, z, n):
  Wx (3H, D) = weight_ih_l0,  Wh (3H, H) = weight_hh_l0,  rows [0:H] reset, [H:2H] update, [2H:3H] candidate
  bx (3H,)   = bias_ih_l0,    bh (3H,)   = bias_hh_l0
The two biases cannot be summed as for the LSTM: b_hn sits inside the reset product r ⊙ (W_hn h + b_hn).
V (K, H), c (K,): the output layer. Shapes: X (T, B, D); Hs (T+1, B, H) with Hs[0] = h_0.
"""
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_finite_result, check_params, check_positive_int, check_rng
from .activations import sigmoid
from .bptt import Backward, LossGrads
from .losses import output_layer
from .rnn import check_inputs, check_state, input_grad, project_inputs

GATES = ("reset", "update", "candidate")


def init_gru(input_size, hidden_size, output_size, rng):
    """Random GRU parameters {Wx (3H, D), Wh (3H, H), bx (3H,), bh (3H,), V (K, H), c (K,)}.

    Every entry ~ Uniform(−1/√H, 1/√H), as PyTorch initialises ``nn.GRU`` and ``nn.Linear``.
    """
    D = check_positive_int("input_size", input_size)
    H = check_positive_int("hidden_size", hidden_size)
    K = check_positive_int("output_size", output_size)
    check_rng(rng)
    a = 1.0 / np.sqrt(H)
    return dict(Wx=rng.uniform(-a, a, (3 * H, D)), Wh=rng.uniform(-a, a, (3 * H, H)),
                bx=rng.uniform(-a, a, 3 * H), bh=rng.uniform(-a, a, 3 * H),
                V=rng.uniform(-a, a, (K, H)), c=rng.uniform(-a, a, K))


def check_gru_params(params, where="gru_forward"):
    """Check Wx (3H, D), Wh (3H, H), bx (3H,), bh (3H,) in ``params``; return them as float64 arrays."""
    check_params(params, ("Wx", "Wh", "bx", "bh"), where)
    Wx = as_float_array("Wx", params["Wx"], ndim=2)
    if Wx.shape[0] % 3:
        raise ValueError(f"Wx must have shape (3H, D), got {Wx.shape}: {Wx.shape[0]} rows is not a multiple of 3")
    H = Wx.shape[0] // 3
    Wh = as_float_array("Wh", params["Wh"], shape=(3 * H, H))
    return Wx, Wh, as_float_array("bx", params["bx"], shape=(3 * H,)), as_float_array("bh", params["bh"], shape=(3 * H,))


def gru_forward(params, X, h0=None):
    """Run the GRU over a batch (chapter 8, the equations above).

    params: {Wx (3H, D), Wh (3H, H), bx (3H,), bh (3H,)}.  X: (T, B, D), or (T, B) integer ids.
    h0: (B, H) or None (zeros).
    Returns (Hs, cache): Hs (T+1, B, H) with Hs[0] = h0. cache["gates"] (T, B, 3H) holds r, z, n
    of every step and cache["hn"] (T, B, H) the products W_hn h_{t-1} + b_hn; the cache holds
    copies of X, Wx and Wh.
    """
    Wx, Wh, bx, bh = check_gru_params(params)
    H = Wh.shape[1]
    X = check_inputs(X, Wx.shape[1])
    T, B = X.shape[:2]
    Hs = np.empty((T + 1, B, H))
    Hs[0] = check_state("h0", h0, B, H)
    gates = project_inputs(X, Wx, out=np.empty((T, B, 3 * H)))   # W_x x_t + b_x for all t at once
    gates += bx
    hn = np.empty((T, B, H))
    WhT = Wh.T.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, T + 1):
            g, h = gates[t - 1], Hs[t - 1]
            gh = h @ WhT + bh                                    # W_h h_{t-1} + b_h, all three blocks
            hn[t - 1] = gh[:, 2 * H:]
            g[:, :2 * H] += gh[:, :2 * H]
            sigmoid(g[:, :2 * H], out=g[:, :2 * H])              # r, z
            r, z, n = g[:, :H], g[:, H:2 * H], g[:, 2 * H:]
            n += r * hn[t - 1]
            np.tanh(n, out=n)                                    # n = tanh(W_xn x + b_xn + r ⊙ (W_hn h + b_hn))
            np.multiply(z, h - n, out=Hs[t])
            Hs[t] += n                                           # h_t = n + z ⊙ (h_{t-1} − n)
    check_finite_result("the state", Hs, "the inputs or weights are too large")
    return Hs, dict(X=X.copy(), Hs=Hs, gates=gates, hn=hn, Wx=Wx.copy(), Wh=Wh.copy())


class GRUSweep(NamedTuple):
    """What ``gru_backward_sweep`` returns: every intermediate of the backward recursion."""

    dX3: np.ndarray        # (T, B, 3H) ∂L/∂(W_x x_t + b_x): the r, z, n blocks
    dH3: np.ndarray        # (T, B, 3H) ∂L/∂(W_h h_{t-1} + b_h): the r, z blocks equal dX3's, the n block is r ⊙ dX3's
    dh_total: np.ndarray   # (T, B, H) the total ∂L/∂h_t
    dh0: np.ndarray        # (B, H) ∂L/∂h_0


def _check_cache(cache):
    if not isinstance(cache, dict) or "hn" not in cache:
        raise TypeError("cache must be the dict returned by gru_forward")
    return cache["gates"].shape[0], cache["Hs"].shape[1], cache["Hs"].shape[2]


def gru_backward_sweep(dH, cache):
    """The backward recursion, keeping every intermediate (chapter 8).

    dH: (T, B, H), dH[t-1] = the local gradient ∂L_t/∂h_t.  cache: from ``gru_forward``.
    Returns GRUSweep(dX3 (T, B, 3H), dH3 (T, B, 3H), dh_total (T, B, H), dh0 (B, H)). One step back,
    ∂L/∂h_{t-1} = ∂L/∂h_t ⊙ z_t + W_h^T dH3_t: the direct path is multiplied by the update gate
    (as the LSTM's cell path by f_t), the other paths go through the gates and W_h.
    The mirror of ``lstm.lstm_backward_sweep`` and ``bptt.rnn_backward_sweep``.
    """
    T, B, H = _check_cache(cache)
    return _sweep(as_float_array("dH", dH, shape=(T, B, H)), cache)


def _sweep(dH, cache):
    Hs, gates, hn, Wh = cache["Hs"], cache["gates"], cache["hn"], cache["Wh"]
    T, B, H = dH.shape
    dX3 = np.empty((T, B, 3 * H))                 # ∂L/∂(W_x x_t + b_x): the r, z, n pre-activation inputs
    dH3 = np.empty((T, B, 3 * H))                 # ∂L/∂(W_h h_{t-1} + b_h)
    dh_total = np.empty((T, B, H))
    dh_next = np.zeros((B, H))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for t in range(T, 0, -1):
            g, h_prev = gates[t - 1], Hs[t - 1]
            r, z, n = g[:, :H], g[:, H:2 * H], g[:, 2 * H:]
            dh = dH[t - 1] + dh_next                               # total ∂L/∂h_t
            dh_total[t - 1] = dh
            dan = dh * (1.0 - z) * (1.0 - n * n)                   # through n_t's tanh
            dx, dhh = dX3[t - 1], dH3[t - 1]
            dx[:, :H] = dan * hn[t - 1] * r * (1.0 - r)            # reset gate
            dx[:, H:2 * H] = dh * (h_prev - n) * z * (1.0 - z)     # update gate
            dx[:, 2 * H:] = dan
            dhh[:, :2 * H] = dx[:, :2 * H]
            dhh[:, 2 * H:] = dan * r
            dh_next = dh * z + dhh @ Wh                            # ∂L/∂h_{t-1}
    return GRUSweep(dX3, dH3, dh_total, dh_next)


def _backward(dH, cache):
    sweep = _sweep(dH, cache)
    T, B, H = dH.shape
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        flat_x, flat_h = sweep.dX3.reshape(T * B, 3 * H), sweep.dH3.reshape(T * B, 3 * H)
        grads = dict(Wx=input_grad(sweep.dX3, cache["X"], cache["Wx"].shape[1]),
                     Wh=flat_h.T @ cache["Hs"][:-1].reshape(T * B, H),
                     bx=np.ones(T * B) @ flat_x, bh=np.ones(T * B) @ flat_h)   # column sums, as products
    for name, grad in grads.items():
        check_finite_result(f"the gradient d{name}", grad, "the backward signal exploded")
    return Backward(grads, sweep.dh0, sweep.dX3)


def gru_backward(dH, cache):
    """Gradients of the loss for the GRU's parameters (chapter 8).

    dH: (T, B, H), dH[t-1] = the local gradient ∂L_t/∂h_t from step t's output.  cache: from ``gru_forward``.
    Returns Backward(grads {Wx (3H, D), Wh (3H, H), bx (3H,), bh (3H,)}, dstate0 = ∂L/∂h_0 (B, H),
    deltas (T, B, 3H) = the gradients of W_x x_t + b_x, so that ∂L/∂X = deltas @ Wx).
    """
    T, B, H = _check_cache(cache)
    return _backward(as_float_array("dH", dH, shape=(T, B, H)), cache)


def gru_step(params, x, h=None):
    """One GRU step for a batch: x (B, D), h (B, H) or None (zeros) -> the new h (B, H).

    The plain equations, one step at a time: what ``text.sample`` calls for each character.
    """
    Wx, Wh, bx, bh = check_gru_params(params, "gru_step")
    H = Wh.shape[1]
    x = as_float_array("x", x, ndim=2, shape=(None, Wx.shape[1]))
    h = check_state("h", h, x.shape[0], H)
    gx, gh = x @ Wx.T + bx, h @ Wh.T + bh
    r, z = sigmoid(gx[:, :H] + gh[:, :H]), sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * gh[:, 2 * H:])
    return (1.0 - z) * n + z * h


def gru_loss_and_grads(params, X, Y, output="softmax", h0=None):
    """The loss L = Σ_t L_t (averaged over the batch) of a GRU with an output layer, and its gradients.

    params: {Wx, Wh, bx, bh, V (K, H), c (K,)}.  X: (T, B, D).  Y as in ``rnn_loss_and_grads``.
    h0: (B, H) or None.
    Returns LossGrads(loss, grads keyed like params, state = h_T (B, H), to carry into the next chunk).
    """
    check_params(params, ("Wx", "Wh", "bx", "bh", "V", "c"), "gru_loss_and_grads")
    Hs, cache = gru_forward(params, X, h0=h0)
    head = output_layer(params, Hs[1:], Y, output)
    grads = _backward(head.dstates, cache).grads
    grads.update(V=head.dV, c=head.dc)
    return LossGrads(head.loss, grads, Hs[-1].copy())
