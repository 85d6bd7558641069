"""A frozen copy of rnn_core's numerical hot paths as they were before the performance work.

Copied from rnn_core at commit 34e82d8 (losses, rnn, bptt, lstm, optim, clipping): the arithmetic
is verbatim, the argument checks and docstrings are left out (``tests/test_equivalence.py`` only
passes valid arguments). ``tests/test_equivalence.py`` asserts that the optimised core computes
what this code computes.

Never edit the arithmetic here: it is the "previous implementation" that every optimisation is
measured against. The helpers that the performance work left alone (``_validate.norm``, the
activations, log-softmax and the output transform) are imported from rnn_core instead of copied:
they are not what the equivalence test guards, and other tests check them against independent
definitions (tests/test_extreme.py, tests/test_bptt.py's plain loops).
"""
import numpy as np

from rnn_core._validate import norm
from rnn_core.activations import activate, sigmoid, slope_from_output
from rnn_core.losses import log_softmax, output_transform


# --- losses --------------------------------------------------------------------------

def output_loss(logits, Y, output):
    T, B, K = logits.shape
    if output == "softmax":
        y = np.asarray(Y).astype(np.intp, copy=False)
        logp = log_softmax(logits)
        picked = np.take_along_axis(logp, y[..., None], axis=-1)
        loss = -picked.sum() / B
        d = np.exp(logp)
        np.put_along_axis(d, y[..., None], np.take_along_axis(d, y[..., None], axis=-1) - 1.0, axis=-1)
        return float(loss), d / B
    y = np.asarray(Y, dtype=np.float64)
    if output == "sigmoid":
        per = np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
        return float(per.sum() / B), (sigmoid(logits) - y) / B
    diff = logits - y
    return float(0.5 * np.sum(diff * diff) / B), diff / B


def output_layer(params, states, Y, output):
    """(loss, dstates, dV, dc)."""
    T, B, H = states.shape
    V, c = params["V"], params["c"]
    flat = states.reshape(T * B, H)
    loss, dlogits = output_loss((flat @ V.T + c).reshape(T, B, -1), Y, output)
    dflat = dlogits.reshape(T * B, -1)
    return loss, (dflat @ V).reshape(T, B, H), dflat.T @ flat, dflat.sum(axis=0)


# --- rnn -----------------------------------------------------------------------------

def rnn_forward(params, X, activation="tanh", s0=None, residual=False):
    U, W, b = (np.asarray(params[k], dtype=np.float64) for k in ("U", "W", "b"))
    X = np.asarray(X, dtype=np.float64)
    T, B, _ = X.shape
    H = U.shape[0]
    S = np.empty((T + 1, B, H))
    S[0] = np.zeros((B, H)) if s0 is None else s0
    A = np.empty((T, B, H)) if residual else S[1:]
    WT = W.T.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        Z = (X.reshape(T * B, -1) @ U.T).reshape(T, B, H)
        Z += b
        for t in range(1, T + 1):
            z = Z[t - 1]
            z += S[t - 1] @ WT
            np.copyto(A[t - 1], activate(z, activation))
            if residual:
                np.add(S[t - 1], A[t - 1], out=S[t])
    cache = dict(X=X.copy(), S=S, A=A, U=U.copy(), W=W.copy(), activation=activation, residual=residual)
    return S, cache


def rnn_outputs(params, X, activation="tanh", output="softmax", s0=None, residual=False):
    S, _ = rnn_forward(params, X, activation=activation, s0=s0, residual=residual)
    return output_transform(S[1:] @ params["V"].T + params["c"], output)


# --- bptt ----------------------------------------------------------------------------

def _sweep(dS, cache, totals=False):
    slope = slope_from_output(cache["A"], cache["activation"])
    W, residual = cache["W"], cache["residual"]
    T = dS.shape[0]
    deltas = np.empty_like(dS)
    tot = np.empty_like(dS) if totals else None
    g = np.zeros_like(dS[0])
    for t in range(T - 1, -1, -1):
        g += dS[t]
        if totals:
            tot[t] = g
        np.multiply(slope[t], g, out=deltas[t])
        carry = deltas[t] @ W
        g = carry + g if residual else carry
    return deltas, tot, g


def rnn_backward_sweep(dS, cache):
    """(deltas, totals, dstate0)."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return _sweep(np.asarray(dS, dtype=np.float64), cache, totals=True)


def _truncated(dS, cache, k):
    slope = slope_from_output(cache["A"], cache["activation"])
    W, residual = cache["W"], cache["residual"]
    T = dS.shape[0]
    deltas = np.zeros_like(dS)
    ds0 = np.zeros_like(dS[0])
    G = dS.copy()
    for j in range(min(k, T)):
        n = T - j
        d = slope[:n] * G
        deltas[:n] += d
        carry = d @ W + G if residual else d @ W
        ds0 += carry[0]
        G = carry[1:]
    return deltas, ds0


def rnn_backward(dS, cache, truncate=None):
    """(grads, dstate0, deltas)."""
    dS = np.asarray(dS, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if truncate is None:
            deltas, _, ds0 = _sweep(dS, cache)
        else:
            deltas, ds0 = _truncated(dS, cache, truncate)
        T, B, H = deltas.shape
        flat = deltas.reshape(T * B, H)
        grads = dict(U=flat.T @ cache["X"].reshape(T * B, -1), W=flat.T @ cache["S"][:-1].reshape(T * B, H),
                     b=flat.sum(axis=0))
    return grads, ds0, deltas


def rnn_loss_and_grads(params, X, Y, activation="tanh", output="softmax", truncate=None, s0=None,
                       residual=False):
    """(loss, grads, s_T)."""
    S, cache = rnn_forward(params, X, activation=activation, s0=s0, residual=residual)
    loss, dstates, dV, dc = output_layer(params, S[1:], Y, output)
    grads = rnn_backward(dstates, cache, truncate)[0]
    grads.update(V=dV, c=dc)
    return loss, grads, S[-1].copy()


# --- lstm ----------------------------------------------------------------------------

def lstm_forward(params, X, h0=None, c0=None):
    Wx, Wh, b = (np.asarray(params[k], dtype=np.float64) for k in ("Wx", "Wh", "b"))
    H = Wh.shape[1]
    X = np.asarray(X, dtype=np.float64)
    T, B, _ = X.shape
    Hs, Cs = np.empty((T + 1, B, H)), np.empty((T + 1, B, H))
    Hs[0] = np.zeros((B, H)) if h0 is None else h0
    Cs[0] = np.zeros((B, H)) if c0 is None else c0
    gates = (X.reshape(T * B, -1) @ Wx.T).reshape(T, B, 4 * H)
    gates += b
    WhT = Wh.T.copy()
    tc = np.empty((B, H))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, T + 1):
            g = gates[t - 1]
            g += Hs[t - 1] @ WhT
            cand = np.tanh(g[:, 2 * H:3 * H])
            sigmoid(g, out=g)
            g[:, 2 * H:3 * H] = cand
            i, f, omega = g[:, :H], g[:, H:2 * H], g[:, 3 * H:]
            np.multiply(f, Cs[t - 1], out=Cs[t])
            Cs[t] += i * cand
            np.tanh(Cs[t], out=tc)
            np.multiply(omega, tc, out=Hs[t])
    return Hs, Cs, dict(X=X.copy(), Hs=Hs, Cs=Cs, gates=gates, Wx=Wx.copy(), Wh=Wh.copy())


def _lstm_sweep(dH, cache, dC):
    Cs, gates, Wh = cache["Cs"], cache["gates"], cache["Wh"]
    T, B, H = dH.shape
    dZ = np.empty((T, B, 4 * H))
    dh_total, dc_total = np.empty((T, B, H)), np.empty((T, B, H))
    dh_next, dc_next = np.zeros((B, H)), np.zeros((B, H))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for t in range(T, 0, -1):
            g = gates[t - 1]
            i, f, cand, omega = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
            tc = np.tanh(Cs[t])
            dh = dH[t - 1] + dh_next
            dc = dc_next + dh * omega * (1.0 - tc * tc)
            if dC is not None:
                dc += dC[t - 1]
            dh_total[t - 1], dc_total[t - 1] = dh, dc
            dz = dZ[t - 1]
            dz[:, :H] = dc * cand * i * (1.0 - i)
            dz[:, H:2 * H] = dc * Cs[t - 1] * f * (1.0 - f)
            dz[:, 2 * H:3 * H] = dc * i * (1.0 - cand * cand)
            dz[:, 3 * H:] = dh * tc * omega * (1.0 - omega)
            dh_next = dz @ Wh
            dc_next = dc * f
    return dZ, dh_total, dc_total, dh_next, dc_next


def lstm_backward_sweep(dH, cache, dC=None):
    """(dZ, dh_total, dc_total, dh0, dc0)."""
    return _lstm_sweep(np.asarray(dH, dtype=np.float64), cache, None if dC is None else np.asarray(dC, float))


def lstm_backward(dH, cache, dC=None):
    """(grads, (dh0, dc0), dZ)."""
    dH = np.asarray(dH, dtype=np.float64)
    dZ, _, _, dh0, dc0 = _lstm_sweep(dH, cache, None if dC is None else np.asarray(dC, float))
    T, B, H = dH.shape
    with np.errstate(over="ignore", invalid="ignore"):
        flat = dZ.reshape(T * B, 4 * H)
        grads = dict(Wx=flat.T @ cache["X"].reshape(T * B, -1),
                     Wh=flat.T @ cache["Hs"][:-1].reshape(T * B, H), b=flat.sum(axis=0))
    return grads, (dh0, dc0), dZ


def lstm_loss_and_grads(params, X, Y, output="softmax", h0=None, c0=None):
    """(loss, grads, (h_T, c_T))."""
    Hs, Cs, cache = lstm_forward(params, X, h0=h0, c0=c0)
    loss, dstates, dV, dc = output_layer(params, Hs[1:], Y, output)
    grads = lstm_backward(dstates, cache)[0]
    grads.update(V=dV, c=dc)
    return loss, grads, (Hs[-1].copy(), Cs[-1].copy())


# --- optim ---------------------------------------------------------------------------

class SGD:
    def __init__(self, lr=0.1):
        self.lr = lr

    def step(self, params, grads):
        for k in params:
            params[k] -= self.lr * grads[k]


class Adagrad:
    def __init__(self, lr=0.1, eps=1e-8):
        self.lr, self.eps = lr, eps
        self.mem = {}

    def step(self, params, grads):
        for k in params:
            g = grads[k]
            m = self.mem.setdefault(k, np.zeros_like(params[k]))
            m += g * g
            params[k] -= self.lr * g / np.sqrt(m + self.eps)


class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.eps, self.beta1, self.beta2 = lr, eps, beta1, beta2
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        c1, c2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        for k in params:
            g = grads[k]
            m = self.m.setdefault(k, np.zeros_like(params[k]))
            v = self.v.setdefault(k, np.zeros_like(params[k]))
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            params[k] -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


# --- clipping ------------------------------------------------------------------------

def global_norm(grads):
    return norm(np.array([norm(np.asarray(g, dtype=np.float64)) for g in grads.values()]))


def clip_by_value(grads, threshold):
    return {k: np.clip(np.asarray(g, dtype=np.float64), -threshold, threshold) for k, g in grads.items()}


def clip_by_global_norm(grads, max_norm):
    grads = {k: np.asarray(g, dtype=np.float64) for k, g in grads.items()}
    total = global_norm(grads)
    scale = max_norm / total if total > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, total
