"""Training loops: plain minibatch steps and stateful truncated BPTT (chapters 3, 6 and 8).

The loops are deliberately short; a chapter reads them in one glance.
"""
import numpy as np

from ._validate import check_choice, check_positive_int
from .bptt import rnn_loss_and_grads
from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .gru import gru_loss_and_grads
from .lstm import lstm_loss_and_grads


def fit(step_fn, params, optimizer, n_steps, clip_norm=None, clip_value=None, log_every=0):
    """Run ``n_steps`` updates. ``step_fn(params, step) -> (loss, grads, ...)`` picks its own batch.

    clip_norm / clip_value clip the gradients (by global norm / by value) before each update.
    Every ``log_every`` steps a line with the mean loss of those steps is printed.
    Returns {"loss": (n_steps,), "grad_norm": (n_steps,)}, the norm measured before clipping.
    """
    n_steps = check_positive_int("n_steps", n_steps)
    losses, norms = np.empty(n_steps), np.empty(n_steps)
    for step in range(n_steps):
        loss, grads = step_fn(params, step)[:2]
        norms[step] = global_norm(grads)
        if clip_value is not None:
            grads = clip_by_value(grads, clip_value)
        if clip_norm is not None:
            grads, _ = clip_by_global_norm(grads, clip_norm)
        optimizer.step(params, grads)
        losses[step] = loss
        if log_every and (step + 1) % log_every == 0:
            print(f"step {step + 1:5d}   loss {losses[step + 1 - log_every:step + 1].mean():.4f}")
    return dict(loss=losses, grad_norm=norms)


def _chunk_loss(cell, params, X, Y, state, activation):
    if cell == "lstm":
        h0, c0 = (None, None) if state is None else state
        return lstm_loss_and_grads(params, X, Y, h0=h0, c0=c0)
    if cell == "gru":
        return gru_loss_and_grads(params, X, Y, h0=state)
    return rnn_loss_and_grads(params, X, Y, activation=activation, s0=state)


def stateful_tbptt(params, chunks, optimizer, cell="rnn", activation="tanh", clip_norm=None, state=None):
    """Truncated BPTT over consecutive chunks of long sequences, carrying the state (chapter 6).

    chunks: an iterable of (X (k, B, D) or ids (k, B), Y (k, B)) pieces in time order
      (e.g. ``text.lm_chunks`` or ``text.id_chunks``).
    cell: "rnn", "lstm" or "gru" (params as for that cell, with a softmax output layer).
    The final state of each chunk becomes the initial state of the next, so the forward pass
    sees the whole history, while each gradient stops at its chunk's first step.
    Returns (losses (n_chunks,), each chunk's loss divided by its length, the last state).
    """
    check_choice("cell", cell, ("rnn", "lstm", "gru"))
    losses = []
    for X, Y in chunks:
        loss, grads, state = _chunk_loss(cell, params, X, Y, state, activation)
        if clip_norm is not None:
            grads, _ = clip_by_global_norm(grads, clip_norm)
        optimizer.step(params, grads)
        losses.append(loss / X.shape[0])
    return np.array(losses), state
