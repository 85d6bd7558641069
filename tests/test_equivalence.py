"""The optimised core computes what the previous implementation computed (issue 9).

``reference_core.py`` is a frozen copy of the hot paths as they were before the performance
work (commit 34e82d8). On random problems, for every activation, output, truncation and
residual setting, for the RNN, the LSTM, the loss, the optimisers and clipping, every result
here must equal the reference's to 1e-12 relative (``close``). Some optimisations change the
order of floating-point operations (the LSTM's backward pass computes its local factors for all
steps at once), so the results are close, not always identical; stored results such as
data/results/adding_runs.json are checked by replaying them (tests/test_experiments.py), and the
numbers printed in the chapters by nbval.
"""
import numpy as np
import pytest

import reference_core as ref
import rnn_core as rc
from rnn_core import bptt, clipping, losses, lstm, optim, structures

REL = 1e-12


def close(new, old, what="result"):
    """|new − old| ≤ 1e-12 · max|old| for arrays (and tuples, dicts of them) or numbers."""
    if isinstance(old, dict):
        assert set(new) == set(old), f"{what}: keys {sorted(new)} != {sorted(old)}"
        for k in old:
            close(new[k], old[k], f"{what}[{k!r}]")
        return
    if isinstance(old, tuple):
        assert isinstance(new, tuple) and len(new) == len(old), what
        for k, (a, b) in enumerate(zip(new, old)):
            close(a, b, f"{what}[{k}]")
        return
    new, old = np.asarray(new, dtype=float), np.asarray(old, dtype=float)
    assert new.shape == old.shape, f"{what}: shape {new.shape} != {old.shape}"
    scale = np.max(np.abs(old)) if old.size else 0.0
    err = np.max(np.abs(new - old)) if old.size else 0.0
    assert err <= REL * scale or err == 0.0, f"{what}: max |difference| {err:.3e}, max |old| {scale:.3e}"


def shapes(seed):
    """A random small problem size (T, B, D, H, K), T up to 9 so that truncations of 1..T+2 differ."""
    rng = np.random.default_rng(seed)
    return rng, *(int(rng.integers(lo, hi)) for lo, hi in ((1, 10), (1, 5), (1, 6), (1, 7), (2, 5)))


def rnn_problem(seed, output="softmax", init="pytorch", w_scale=1.0):
    rng, T, B, D, H, K = shapes(seed)
    p = rc.init_rnn(D, H, K, rng, init=init, w_scale=w_scale)
    p["b"] += 0.1 * rng.standard_normal(H)
    p["c"] += 0.1 * rng.standard_normal(K)
    X = rng.standard_normal((T, B, D))
    s0 = 0.5 * rng.standard_normal((B, H))
    Y = {"softmax": rng.integers(0, K, (T, B)), "sigmoid": rng.integers(0, 2, (T, B, K)).astype(float),
         "identity": rng.standard_normal((T, B, K))}[output]
    return rng, p, X, Y, s0


def lstm_problem(seed, output="softmax"):
    rng, T, B, D, H, K = shapes(seed)
    p = rc.init_lstm(D, H, K, rng, forget_bias=float(rng.uniform(-1, 2)))
    X = 1.5 * rng.standard_normal((T, B, D))
    h0, c0 = 0.5 * rng.standard_normal((B, H)), rng.standard_normal((B, H))
    Y = {"softmax": rng.integers(0, K, (T, B)), "sigmoid": rng.integers(0, 2, (T, B, K)).astype(float),
         "identity": rng.standard_normal((T, B, K))}[output]
    return rng, p, X, Y, h0, c0


SEEDS = range(4)
TRUNCATIONS = [None, 1, 2, 5, 12]


# --- the vanilla RNN -----------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_rnn_forward(activation, residual, seed):
    _, p, X, _, s0 = rnn_problem(seed)
    for start in (None, s0):
        S, cache = rc.rnn_forward(p, X, activation, s0=start, residual=residual)
        S_ref, cache_ref = ref.rnn_forward(p, X, activation, s0=start, residual=residual)
        close(S, S_ref, "S")
        close(cache["A"], cache_ref["A"], "A")
    for output in rc.OUTPUTS:
        close(rc.rnn_outputs(p, X, activation, output, s0=s0, residual=residual),
              ref.rnn_outputs(p, X, activation, output, s0=s0, residual=residual), f"outputs ({output})")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("truncate", TRUNCATIONS)
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("output", rc.OUTPUTS)
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_rnn_loss_and_grads(activation, output, residual, truncate, seed):
    _, p, X, Y, s0 = rnn_problem(seed, output, w_scale=1.3)
    new = rc.rnn_loss_and_grads(p, X, Y, activation, output, truncate=truncate, s0=s0, residual=residual)
    old = ref.rnn_loss_and_grads(p, X, Y, activation, output, truncate=truncate, s0=s0, residual=residual)
    close(new.loss, old[0], "loss")
    close(new.grads, old[1], "grads")
    close(new.state, old[2], "state")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("truncate", TRUNCATIONS)
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_rnn_backward_and_sweep(activation, residual, truncate, seed):
    rng, p, X, _, s0 = rnn_problem(seed, init="orthogonal", w_scale=1.2)
    S, cache = rc.rnn_forward(p, X, activation, s0=s0, residual=residual)
    _, cache_ref = ref.rnn_forward(p, X, activation, s0=s0, residual=residual)
    dS = rng.standard_normal(S[1:].shape)
    back = rc.rnn_backward(dS, cache, truncate=truncate)
    close(tuple(back), ref.rnn_backward(dS, cache_ref, truncate), "rnn_backward")
    close(tuple(bptt.rnn_backward_sweep(dS, cache)), ref.rnn_backward_sweep(dS, cache_ref), "sweep")


# --- the output layer ----------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_output_layer_and_loss(output, seed):
    rng, p, X, Y, _ = rnn_problem(seed, output)
    states = rng.standard_normal((X.shape[0], X.shape[1], p["W"].shape[0]))
    close(tuple(losses.output_layer(p, states, Y, output)), ref.output_layer(p, states, Y, output), "output_layer")
    logits = 30 * rng.standard_normal(Y.shape if output != "softmax" else Y.shape + (p["V"].shape[0],))
    close(losses.output_loss(logits, Y, output), ref.output_loss(logits, Y, output), "output_loss")


# --- the LSTM ------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
def test_lstm_forward_and_backward(seed):
    rng, p, X, _, h0, c0 = lstm_problem(seed)
    for start in ((None, None), (h0, c0)):
        Hs, Cs, cache = rc.lstm_forward(p, X, *start)
        Hs_ref, Cs_ref, cache_ref = ref.lstm_forward(p, X, *start)
        close((Hs, Cs, cache["gates"]), (Hs_ref, Cs_ref, cache_ref["gates"]), "lstm_forward")
        dH, dC = rng.standard_normal(Hs[1:].shape), rng.standard_normal(Hs[1:].shape)
        for extra in (None, dC):
            back = rc.lstm_backward(dH, cache, dC=extra)
            close(tuple(back), ref.lstm_backward(dH, cache_ref, extra), "lstm_backward")
            close(tuple(lstm.lstm_backward_sweep(dH, cache, dC=extra)), ref.lstm_backward_sweep(dH, cache_ref, extra),
                  "lstm_backward_sweep")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("output", rc.OUTPUTS)
def test_lstm_loss_and_grads(output, seed):
    _, p, X, Y, h0, c0 = lstm_problem(seed, output)
    new = rc.lstm_loss_and_grads(p, X, Y, output, h0=h0, c0=c0)
    old = ref.lstm_loss_and_grads(p, X, Y, output, h0=h0, c0=c0)
    close(new.loss, old[0], "loss")
    close(new.grads, old[1], "grads")
    close(new.state, old[2], "state")


@pytest.mark.parametrize("seed", SEEDS)
def test_lstm_many_to_one(seed):
    """structures.many_to_one with cell='lstm' (the benchmark's workload) against the reference's pieces."""
    rng, p, X, _, _, _ = lstm_problem(seed, "identity")
    y = rng.standard_normal((X.shape[1], p["V"].shape[0]))
    new = structures.many_to_one_loss_and_grads(p, X, y, output="identity", cell="lstm")
    Hs, _, cache = ref.lstm_forward(p, X)
    loss, dstates, dV, dc = ref.output_layer(p, Hs[-1:], y[None], "identity")
    dH = np.zeros_like(Hs[1:])
    dH[-1] = dstates[0]
    close(new.loss, loss, "loss")
    close(new.grads, dict(ref.lstm_backward(dH, cache)[0], V=dV, c=dc), "grads")


# --- optimisers and clipping ---------------------------------------------------------

def _grads_like(params, rng, scale=1.0):
    return {k: scale * rng.standard_normal(v.shape) for k, v in params.items()}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["SGD", "Adagrad", "Adam"])
def test_optimisers(name, seed):
    rng, p, *_ = rnn_problem(seed)
    q = {k: v.copy() for k, v in p.items()}
    kwargs = dict(lr=0.05) if name != "Adam" else dict(lr=0.01, beta1=0.8, beta2=0.95)
    new, old = getattr(optim, name)(**kwargs), getattr(ref, name)(**kwargs)
    for _ in range(4):
        g = _grads_like(p, rng, scale=float(rng.uniform(0.1, 3)))
        new.step(p, g)
        old.step(q, g)
        close(p, q, f"{name} parameters")
    if name == "Adagrad":
        close(new.mem, old.mem, "Adagrad memory")
    if name == "Adam":
        close((new.m, new.v), (old.m, old.v), "Adam moments")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scale", [1e-200, 1e-3, 1.0, 1e3, 1e200])
def test_clipping(scale, seed):
    rng, p, *_ = rnn_problem(seed)
    g = _grads_like(p, rng, scale)
    close(clipping.global_norm(g), ref.global_norm(g), "global_norm")
    for threshold in (1e-3, 0.5, 2.0):
        close(clipping.clip_by_value(g, threshold), ref.clip_by_value(g, threshold), "clip_by_value")
    for max_norm in (1e-3, 1.0, 1e300):
        close(clipping.clip_by_global_norm(g, max_norm), ref.clip_by_global_norm(g, max_norm), "clip_by_global_norm")
