"""RNN structures built from the same forward/backward pair (chapter 2).

Every function here composes ``rnn_forward`` / ``rnn_backward``; none re-derives BPTT.
Parameter dicts are flat, with suffixes naming the part of the network:

  many-to-one, one-to-many   U, W, b, V, c                      (as the vanilla RNN;
                             many-to-one also takes an LSTM's Wx, Wh, b, V, c)
  bidirectional              U_f, W_f, b_f, U_b, W_b, b_b, V (K, 2H), c
  deep (L layers)            U1, W1, b1, ..., UL, WL, bL, V, c;  U1 (H, D), U_l (H, H)
  deep bidirectional         U1_f, W1_f, b1_f, U1_b, ..., V (K, 2H), c;  U_l (H, 2H) for l > 1
  encoder-decoder            U_enc, W_enc, b_enc, U_dec, W_dec, b_dec, V, c

Shapes are time-major: X (T, B, D). The synced many-to-many structure is
``rnn_loss_and_grads`` itself.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_params, check_positive_int
from .bptt import rnn_backward, rnn_loss_and_grads
from .losses import output_loss
from .lstm import lstm_backward, lstm_forward
from .rnn import _check_rng, check_output_params, init_rnn, rnn_forward


def _sub(params, suffix):
    """The (U, W, b) of one recurrent layer, e.g. suffix '_f' or '2'."""
    return {k: params[k + suffix] for k in ("U", "W", "b")}


def _head(params, states, Y, output):
    """Output layer on states (T, B, H): returns (loss, dstates, dV, dc)."""
    T, B, H = states.shape
    V, c, K = check_output_params(params, H)
    loss, dlog = output_loss(states @ V.T + c, Y, output)
    return loss, dlog @ V, dlog.reshape(T * B, K).T @ states.reshape(T * B, H), dlog.sum(axis=(0, 1))


# --- many-to-one ---------------------------------------------------------------------

def many_to_one_loss_and_grads(params, X, y, activation="tanh", output="softmax", s0=None, cell="rnn",
                               truncate=None):
    """One label per sequence, read from the last state only (s_T, or h_T for an LSTM).

    X: (T, B, D).  y: (B,) class ids for softmax, (B, K) targets otherwise.
    cell: "rnn" (params U, W, b, V, c; ``activation`` applies) or "lstm" (params Wx, Wh,
    b, V, c; ``activation`` and ``s0`` are ignored).
    truncate: k lets the one loss reach back through k steps only, s_T .. s_{T-k+1}
    (RNN only; see ``rnn_backward``); None is exact BPTT.
    Returns (loss averaged over the batch, grads keyed like params).
    """
    check_choice("cell", cell, ("rnn", "lstm"))
    if truncate is not None and cell != "rnn":
        raise ValueError(f"truncate needs cell='rnn', got cell={cell!r}")
    if cell == "lstm":
        check_params(params, ("Wx", "Wh", "b", "V", "c"), "many_to_one_loss_and_grads")
        S, _, cache = lstm_forward(params, X)
    else:
        check_params(params, ("U", "W", "b", "V", "c"), "many_to_one_loss_and_grads")
        S, cache = rnn_forward(params, X, activation=activation, s0=s0)
    Y = np.asarray(y)[None]                     # a loss at one step: shape (1, B, ...)
    loss, dlast, dV, dc = _head(params, S[-1:], Y, output)
    dS = np.zeros_like(S[1:])
    dS[-1] = dlast[0]
    grads = lstm_backward(dS, cache)[0] if cell == "lstm" else rnn_backward(dS, cache, truncate=truncate)[0]
    return loss, dict(grads, V=dV, c=dc)


def many_to_one_logits(params, X, activation="tanh", s0=None, cell="rnn"):
    """Logits V s_T + c (or V h_T + c for an LSTM) for each sequence, shape (B, K)."""
    check_choice("cell", cell, ("rnn", "lstm"))
    S = lstm_forward(params, X)[0] if cell == "lstm" else rnn_forward(params, X, activation=activation, s0=s0)[0]
    V, c, _ = check_output_params(params, S.shape[2])
    return S[-1] @ V.T + c


# --- one-to-many ---------------------------------------------------------------------

def one_to_many_inputs(x, T):
    """Inputs for a one-to-many RNN: x at step 1, zeros after, shape (T, B, D).

    From step 2 on, the state alone carries the sequence: s_t = ϕ(W s_{t-1} + b).
    """
    x = as_float_array("x", x, ndim=2)
    T = check_positive_int("T", T)
    X = np.zeros((T,) + x.shape)
    X[0] = x
    return X


def one_to_many_loss_and_grads(params, x, Y, T, activation="tanh", output="softmax"):
    """One input vector x (B, D) produces T outputs; Y as in ``rnn_loss_and_grads``."""
    return rnn_loss_and_grads(params, one_to_many_inputs(x, T), Y, activation=activation, output=output)


# --- bidirectional -------------------------------------------------------------------

def init_birnn(input_size, hidden_size, output_size, rng, init="pytorch"):
    """Parameters for a bidirectional RNN: two (U, W, b) sets and V of shape (K, 2H)."""
    _check_rng(rng)
    f = init_rnn(input_size, hidden_size, output_size, rng, init=init)
    b = init_rnn(input_size, hidden_size, output_size, rng, init=init)
    V = np.concatenate([f["V"], b["V"]], axis=1)
    return dict(U_f=f["U"], W_f=f["W"], b_f=f["b"], U_b=b["U"], W_b=b["W"], b_b=b["b"], V=V, c=f["c"])


def birnn_forward(params, X, activation="tanh", suffix=""):
    """Bidirectional states [s→_t ; s←_t] for every t, shape (T, B, 2H).

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
    gf, _, dXf = rnn_backward(dStates[:, :, :H], cf, return_dX=True)
    gb, _, dXb = rnn_backward(dStates[:, :, H:][::-1], cb, return_dX=True)
    grads = {k + suffix + "_f": v for k, v in gf.items()}
    grads.update({k + suffix + "_b": v for k, v in gb.items()})
    return grads, dXf + dXb[::-1]


def birnn_loss_and_grads(params, X, Y, activation="tanh", output="softmax"):
    """Synced many-to-many with a bidirectional RNN: o_t = φ(V [s→_t ; s←_t] + c)."""
    states, caches = birnn_forward(params, X, activation=activation)
    loss, dstates, dV, dc = _head(params, states, Y, output)
    grads, _ = birnn_backward(dstates, caches)
    return loss, dict(grads, V=dV, c=dc)


# --- deep (stacked) and deep bidirectional -------------------------------------------

def init_deep_rnn(input_size, hidden_size, output_size, n_layers, rng, bidirectional=False, init="pytorch"):
    """Parameters for n_layers stacked RNN layers (keys U1, W1, b1, ... or U1_f, ...)."""
    L = check_positive_int("n_layers", n_layers)
    _check_rng(rng)
    H = hidden_size
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

    Layer 1 reads x_t; layer l reads the states of layer l-1 at the same step:
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
    """Synced many-to-many on top of n_layers stacked (bidirectional) RNN layers."""
    top, caches = deep_rnn_forward(params, X, n_layers, activation=activation, bidirectional=bidirectional)
    loss, dtop, dV, dc = _head(params, top, Y, output)
    grads = dict(V=dV, c=dc)
    d = dtop
    for layer in range(len(caches), 0, -1):
        if bidirectional:
            g, d = birnn_backward(d, caches[layer - 1], suffix=str(layer))
            grads.update(g)
        else:
            g, _, d = rnn_backward(d, caches[layer - 1], return_dX=True)
            grads.update({f"{k}{layer}": v for k, v in g.items()})
    return loss, grads


# --- encoder-decoder -----------------------------------------------------------------

def seq2seq_loss_and_grads(params, X_enc, X_dec, Y, activation="tanh", output="softmax"):
    """Encoder-decoder many-to-many: read X_enc (T1, B, D), then emit T2 outputs.

    The encoder's last state is the decoder's s_0; X_dec (T2, B, D') are the decoder's
    inputs (e.g. the previous target, "teacher forcing", or zeros). Y (T2, B) or (T2, B, K).
    The gradient reaches the encoder only through that one state.
    """
    check_params(params, [k + s for k in "UWb" for s in ("_enc", "_dec")], "seq2seq_loss_and_grads")
    Se, ce = rnn_forward(_sub(params, "_enc"), X_enc, activation=activation)
    Sd, cd = rnn_forward(_sub(params, "_dec"), X_dec, activation=activation, s0=Se[-1])
    loss, dstates, dV, dc = _head(params, Sd[1:], Y, output)
    gd, ds0 = rnn_backward(dstates, cd)
    dSe = np.zeros_like(Se[1:])
    dSe[-1] = ds0
    ge, _ = rnn_backward(dSe, ce)
    grads = {k + "_dec": v for k, v in gd.items()}
    grads.update({k + "_enc": v for k, v in ge.items()})
    return loss, dict(grads, V=dV, c=dc)
