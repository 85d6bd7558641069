#!/usr/bin/env python3
"""Train a character-level RNN two ways and compare their speed in the same run.

1. A reference loop in the style of Karpathy's min-char-rnn: one sequence at a time,
   column vectors, one-hot inputs built per step, dicts of per-step arrays, and a
   backward loop that accumulates every weight gradient inside the loop over time.
2. rnn_core, at batch sizes 1 and 32: one-hot inputs for a whole chunk, the input and
   output projections, softmax and weight gradients as single array operations, and
   only the recurrence as a Python loop.

Both: H = 100 hidden units, 25-step chunks, float64, Adagrad (lr 0.1), gradients clipped
by value to [-5, 5], the state carried across chunks. Prints characters per second and
the ratio to the reference loop measured in this run, plus the loss reached.

BLAS runs on one thread (set before NumPy loads), so the comparison measures Python
overhead and vectorisation, not how many idle cores the machine has; multi-threaded BLAS on
these small matrices is slower on a busy 2-core machine. Override with OPENBLAS_NUM_THREADS.

Usage: python benchmarks/char_rnn.py [--seconds 3]
"""
import argparse
import os
import time

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402  (after the thread settings)

import rnn_core as rc  # noqa: E402
from rnn_core import text  # noqa: E402

H, SEQ, LR = 100, 25, 0.1


def reference_train(ids, V, seconds, rng):
    """min-char-rnn style: per-sequence, column vectors. Returns (chars/s, mean loss/char)."""
    Wxh, Whh, Why = (0.01 * rng.standard_normal(s) for s in ((H, V), (H, H), (V, H)))
    bh, by = np.zeros((H, 1)), np.zeros((V, 1))
    mem = [np.zeros_like(p) for p in (Wxh, Whh, Why, bh, by)]
    hprev, pos, chars, losses = np.zeros((H, 1)), 0, 0, []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if pos + SEQ + 1 > len(ids):
            hprev, pos = np.zeros((H, 1)), 0
        inputs, targets = ids[pos:pos + SEQ], ids[pos + 1:pos + SEQ + 1]
        xs, hs, ps = {}, {-1: hprev}, {}
        loss = 0.0
        for t in range(SEQ):
            xs[t] = np.zeros((V, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
            y = Why @ hs[t] + by
            ps[t] = np.exp(y - y.max()) / np.sum(np.exp(y - y.max()))
            loss -= np.log(ps[t][targets[t], 0])
        grads = [np.zeros_like(p) for p in (Wxh, Whh, Why, bh, by)]
        dWxh, dWhh, dWhy, dbh, dby = grads
        dhnext = np.zeros((H, 1))
        for t in reversed(range(SEQ)):
            dy = ps[t].copy()
            dy[targets[t]] -= 1
            dWhy += dy @ hs[t].T
            dby += dy
            dh = Why.T @ dy + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            dWxh += dhraw @ xs[t].T
            dWhh += dhraw @ hs[t - 1].T
            dhnext = Whh.T @ dhraw
        for p, d, m in zip((Wxh, Whh, Why, bh, by), grads, mem):
            np.clip(d, -5, 5, out=d)
            m += d * d
            p -= LR * d / np.sqrt(m + 1e-8)
        hprev, pos, chars = hs[SEQ - 1], pos + SEQ, chars + SEQ
        losses.append(loss / SEQ)
    return chars / (time.perf_counter() - start), float(np.mean(losses[-20:]))


def rnn_core_train(ids, V, batch, seconds, rng):
    """rnn_core with B parallel streams. Returns (chars/s, mean loss/char)."""
    params = rc.init_rnn(V, H, V, rng, init="gaussian")
    opt = rc.optim.Adagrad(LR)
    streams = text.batchify(ids, batch)
    chars, losses, s = 0, [], None
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for X, Y in text.lm_chunks(streams, SEQ, V):
            if X.shape[0] < SEQ:         # a short tail chunk: start again from the beginning
                s = None
                break
            loss, grads, s = rc.rnn_loss_and_grads(params, X, Y, s0=s, return_state=True)
            opt.step(params, rc.clip_by_value(grads, 5.0))
            chars += SEQ * batch
            losses.append(loss / SEQ)
            if time.perf_counter() - start >= seconds:
                break
    return chars / (time.perf_counter() - start), float(np.mean(losses[-20:]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="training time per variant")
    args = parser.parse_args()
    corpus = rc.data.load_text()
    chars, index = text.build_vocab(corpus)
    ids, V = text.encode(corpus, index), len(chars)
    print(f"text: {len(ids)} characters, vocabulary {V}; H = {H}, chunks of {SEQ}, float64, Adagrad")
    ref, ref_loss = reference_train(ids, V, args.seconds, np.random.default_rng(0))
    print(f"{'min-char-rnn style loop':>26}: {ref:9.0f} chars/s   1.00x   loss/char {ref_loss:.3f}")
    for batch in (1, 32):
        speed, loss = rnn_core_train(ids, V, batch, args.seconds, np.random.default_rng(0))
        print(f"{f'rnn_core, batch {batch}':>26}: {speed:9.0f} chars/s   {speed / ref:4.2f}x   loss/char {loss:.3f}")


if __name__ == "__main__":
    main()
