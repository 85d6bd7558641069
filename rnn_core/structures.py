"""RNN structures built from the same forward/backward pairs (chapter 2).

Every function here composes ``rnn_forward``/``rnn_backward`` (or the LSTM's pair) with the one
output layer ``losses.output_layer``; none re-derives BPTT. Parameter dicts are flat, with
suffixes naming the part of the network:

  many-to-one, one-to-many   U, W, b, V, c                      (as the vanilla RNN;
                             many-to-one also takes an LSTM's Wx, Wh, b, V, c)
  bidirectional              U_f, W_f, b_f, U_b, W_b, b_b, V (K, 2H), c
  deep (L layers)            U1, W1, b1, ..., UL, WL, bL, V, c;  U1 (H, D), U_l (H, H)
  deep bidirectional         U1_f, W1_f, b1_f, U1_b, ..., V (K, 2H), c;  U_l (H, 2H) for l > 1
  encoder-decoder            U_enc, W_enc, b_enc, U_dec, W_dec, b_dec, V, c

Shapes are time-major: X (T, B, D). The synced many-to-many structure is
``bptt.rnn_loss_and_grads`` itself. Every ``*_loss_and_grads`` returns a ``LossGrads``.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_params, check_positive_int, check_rng
from .bptt import LossGrads, rnn_backward, rnn_loss_and_grads
from .losses import output_layer
from .lstm import lstm_backward, lstm_forward
from .rnn import check_inputs, init_rnn, rnn_forward

CELLS = ("rnn", "lstm")


def _sub(params, suffix):
    """The (U, W, b) of one recurrent layer, e.g. suffix '_f' or '2'."""
    return {k: params[k + suffix] for k in ("U", "W", "b")}


# --- many-to-one ---------------------------------------------------------------------

def _last_state_forward(params, X, activation, s0, cell):
    """(S, cache) of an RNN or (Hs, cache) of an LSTM: the states the many-to-one head reads."""
    if cell == "lstm":
        check_params(params, ("Wx", "Wh", "b", "V", "c"), "many_to_one (cell='lstm')")
        Hs, _, cache = lstm_forward(params, X)
        return Hs, cache
    check_params(params, ("U", "W", "b", "V", "c"), "many_to_one (cell='rnn')")
    return rnn_forward(params, X, activation=activation, s0=s0)


def many_to_one_loss_and_grads(params, X, y, activation="tanh", output="softmax", s0=None, cell="rnn",
                               truncate=None):
    """One label per sequence, read from the last state only: o = φ(V s_T + c) (or V h_T for an LSTM).

    X: (T, B, D).  y: (B,) class ids for output='softmax', (B, K) targets otherwise.
    cell: "rnn" (params U, W, b, V, c; ``activation`` and ``s0`` apply) or "lstm" (params Wx,
      Wh, b, V, c; ``activation`` must stay "tanh" and ``s0`` None).
    truncate: k lets the one loss reach back through k steps only, s_T .. s_{T-k+1} (RNN only;
      see ``rnn_backward``); None is exact BPTT.
    Returns LossGrads(loss averaged over the batch, grads keyed like params, state = the last
    state (B, H)).
    """
    check_choice("cell", cell, CELLS)
    if cell == "lstm" and (truncate is not None or s0 is not None or activation != "tanh"):
        raise ValueError("cell='lstm' takes no truncate, s0 or activation; they apply to cell='rnn'")
    S, cache = _last_state_forward(params, X, activation, s0, cell)
    y, B = np.asarray(y), S.shape[1]
    want = (B,) if output == "softmax" else (B, None)
    if y.ndim != len(want) or y.shape[0] != B:
        raise ValueError(f"y must have shape {'(B,)' if output == 'softmax' else '(B, K)'} with B = {B} "
                         f"sequences (one label each), got shape {y.shape}")
    head = output_layer(params, S[-1:], y[None], output, y_name="y")
    dS = np.zeros_like(S[1:])
    dS[-1] = head.dstates[0]
    if cell == "lstm":
        grads = lstm_backward(dS, cache).grads
    else:
        grads = rnn_backward(dS, cache, truncate=truncate).grads
    return LossGrads(head.loss, dict(grads, V=head.dV, c=head.dc), S[-1].copy())


def many_to_one_logits(params, X, activation="tanh", s0=None, cell="rnn"):
    """Logits V s_T + c (or V h_T + c for an LSTM) for each sequence of X (T, B, D); shape (B, K)."""
    check_choice("cell", cell, CELLS)
    S, _ = _last_state_forward(params, X, activation, s0, cell)
    H = S.shape[2]
    V = as_float_array("V", params["V"], shape=(None, H))
    return S[-1] @ V.T + as_float_array("c", params["c"], shape=(V.shape[0],))


# --- one-to-many ---------------------------------------------------------------------

def one_to_many_inputs(x, T):
    """Inputs for a one-to-many RNN: x (B, D) at step 1, zeros after; returns (T, B, D).

    From step 2 on, the state alone carries the sequence: s_t = ϕ(W s_{t-1} + b).
    """
    x = as_float_array("x", x, ndim=2)
    X = np.zeros((check_positive_int("T", T),) + x.shape)
    X[0] = x
    return X


def one_to_many_loss_and_grads(params, x, Y, T, activation="tanh", output="softmax"):
    """One input vector x (B, D) produces T outputs; Y as in ``rnn_loss_and_grads``. Returns LossGrads."""
    return rnn_loss_and_grads(params, one_to_many_inputs(x, T), Y, activation=activation, output=output)


# --- bidirectional -------------------------------------------------------------------

def init_birnn(input_size, hidden_size, output_size, rng, init="pytorch"):
    """Parameters for a bidirectional RNN: two (U, W, b) sets and V of shape (K, 2H)."""
    f = init_rnn(input_size, hidden_size, output_size, check_rng(rng), init=init)
    b = init_rnn(input_size, hidden_size, output_size, rng, init=init)
    V = np.concatenate([f["V"], b["V"]], axis=1)
    return dict(U_f=f["U"], W_f=f["W"], b_f=f["b"], U_b=b["U"], W_b=b["W"], b_b=b["b"], V=V, c=f["c"])


def birnn_forward(params, X, activation="tanh", suffix=""):
    """Bidirectional states [s→_t ; s←_t] for every t, shape (T, B, 2H), and the two caches.

    s→_t = ϕ(U_f x_t + W_f s→_{t-1} + b_f) runs forwards from s→_0 = 0;
    s←_t = ϕ(U_b x_t + W_b s←_{t+1} + b_b) runs backwards from s←_{T+1} = 0.
    (The source calls them s_t and h_t; the book keeps h_t for the LSTM.)
    The backward RNN is an ordinary RNN on the reversed sequence, re-reversed.
    Both need the whole sequence before any output exists.
    """
    check_params(params, [k + suffix + d for k in "UWb" for d in ("_f", "_b")], "birnn_forward")
    X = as_float_array("X", X, ndim=3)
    Sf, cf = rnn_forward(_sub(params, suffix + "_f"), X, activation=activation)
    Sb, cb = rnn_forward(_sub(params, suffix + "_b"), X[::-1], activation=activation)
    return np.concatenate([Sf[1:], Sb[1:][::-1]], axis=2), (cf, cb)


def birnn_backward(dStates, caches, suffix=""):
    """Backward of ``birnn_forward``: dStates (T, B, 2H) -> (grads, dX (T, B, D))."""
    cf, cb = caches
    H = cf["W"].shape[0]
    back_f = rnn_backward(dStates[:, :, :H], cf)
    back_b = rnn_backward(dStates[:, :, H:][::-1], cb)
    grads = {k + suffix + "_f": v for k, v in back_f.grads.items()}
    grads.update({k + suffix + "_b": v for k, v in back_b.grads.items()})
    return grads, back_f.deltas @ cf["U"] + (back_b.deltas @ cb["U"])[::-1]


def birnn_loss_and_grads(params, X, Y, activation="tanh", output="softmax"):
    """Synced many-to-many with a bidirectional RNN: o_t = φ(V [s→_t ; s←_t] + c).

    Returns LossGrads; its state is the top states (T, B, 2H) (nothing to carry: the
    structure needs the whole sequence).
    """
    states, caches = birnn_forward(params, X, activation=activation)
    head = output_layer(params, states, Y, output)
    grads, _ = birnn_backward(head.dstates, caches)
    return LossGrads(head.loss, dict(grads, V=head.dV, c=head.dc), states)


# --- deep (stacked) and deep bidirectional -------------------------------------------

def init_deep_rnn(input_size, hidden_size, output_size, n_layers, rng, bidirectional=False, init="pytorch"):
    """Parameters for n_layers stacked RNN layers (keys U1, W1, b1, ... or U1_f, ...), V and c."""
    L = check_positive_int("n_layers", n_layers)
    H = check_positive_int("hidden_size", hidden_size)
    check_rng(rng)
    width = 2 * H if bidirectional else H
    p = {}
    for layer in range(1, L + 1):
        d_in = input_size if layer == 1 else width
        for d in ("_f", "_b") if bidirectional else ("",):
            q = init_rnn(d_in, H, output_size, rng, init=init)
            p.update({f"U{layer}{d}": q["U"], f"W{layer}{d}": q["W"], f"b{layer}{d}": q["b"]})
    p["V"] = rng.uniform(-1 / np.sqrt(H), 1 / np.sqrt(H), (output_size, width))
    p["c"] = np.zeros(output_size)
    return p


def deep_rnn_forward(params, X, n_layers, activation="tanh", bidirectional=False):
    """States of the top layer, (T, B, H) or (T, B, 2H), and the caches of every layer.

    Layer 1 reads x_t; layer l reads the states of layer l−1 at the same step:
        s^(l)_t = ϕ(U_l s^(l-1)_t + W_l s^(l)_{t-1} + b_l),   s^(0)_t = x_t.
    """
    L = check_positive_int("n_layers", n_layers)
    inputs, caches = X, []
    for layer in range(1, L + 1):
        if bidirectional:
            inputs, cache = birnn_forward(params, inputs, activation=activation, suffix=str(layer))
        else:
            check_params(params, [f"U{layer}", f"W{layer}", f"b{layer}"], "deep_rnn_forward")
            S, cache = rnn_forward(_sub(params, str(layer)), inputs, activation=activation)
            inputs = S[1:]
        caches.append(cache)
    return inputs, caches


def deep_rnn_loss_and_grads(params, X, Y, n_layers, activation="tanh", output="softmax", bidirectional=False):
    """Synced many-to-many on top of n_layers stacked (bidirectional) RNN layers.

    Returns LossGrads; its state is the top layer's states (T, B, H) or (T, B, 2H).
    """
    top, caches = deep_rnn_forward(params, X, n_layers, activation=activation, bidirectional=bidirectional)
    head = output_layer(params, top, Y, output)
    grads = dict(V=head.dV, c=head.dc)
    d = head.dstates
    for layer in range(len(caches), 0, -1):
        if bidirectional:
            g, d = birnn_backward(d, caches[layer - 1], suffix=str(layer))
            grads.update(g)
        else:
            back = rnn_backward(d, caches[layer - 1])
            grads.update({f"{k}{layer}": v for k, v in back.grads.items()})
            d = back.deltas @ caches[layer - 1]["U"]
    return LossGrads(head.loss, grads, top)


# --- encoder-decoder -----------------------------------------------------------------

def seq2seq_loss_and_grads(params, X_enc, X_dec, Y, activation="tanh", output="softmax"):
    """Encoder-decoder many-to-many: read X_enc (T1, B, D), then emit T2 outputs.

    The encoder's last state is the decoder's s_0; X_dec (T2, B, D') are the decoder's inputs
    (e.g. the previous target, "teacher forcing", or zeros). Y (T2, B) or (T2, B, K).
    The gradient reaches the encoder only through that one state.
    Returns LossGrads; its state is the decoder's last state (B, H).
    """
    check_params(params, [k + s for k in "UWb" for s in ("_enc", "_dec")], "seq2seq_loss_and_grads")
    X_enc = check_inputs(X_enc, None, name="X_enc")
    X_dec = check_inputs(X_dec, None, name="X_dec")
    if X_enc.shape[1] != X_dec.shape[1]:
        raise ValueError(f"X_enc and X_dec must hold the same number of sequences (axis 1), "
                         f"got X_enc {X_enc.shape} and X_dec {X_dec.shape}")
    Se, ce = rnn_forward(_sub(params, "_enc"), X_enc, activation=activation)
    Sd, cd = rnn_forward(_sub(params, "_dec"), X_dec, activation=activation, s0=Se[-1])
    head = output_layer(params, Sd[1:], Y, output)
    dec = rnn_backward(head.dstates, cd)
    dSe = np.zeros_like(Se[1:])
    dSe[-1] = dec.dstate0
    enc = rnn_backward(dSe, ce)
    grads = {k + "_dec": v for k, v in dec.grads.items()}
    grads.update({k + "_enc": v for k, v in enc.grads.items()})
    return LossGrads(head.loss, dict(grads, V=head.dV, c=head.dc), Sd[-1].copy())
