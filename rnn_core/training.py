"""Training loops: plain minibatch steps and stateful truncated BPTT (chapters 3 and 6).

The loops are deliberately short; a chapter reads them in one glance.
"""
import numpy as np

from .bptt import rnn_loss_and_grads
from .clipping import clip_by_global_norm, clip_by_value, global_norm


def fit(step_fn, params, optimizer, n_steps, clip_norm=None, clip_value=None, log_every=0):
    """Run ``n_steps`` updates. ``step_fn(params, step) -> (loss, grads)`` picks its own batch.

    clip_norm / clip_value clip the gradients (by global norm / by value) before each update.
    Every ``log_every`` steps a line with the mean loss of those steps is printed.
    Returns {"loss": (n_steps,), "grad_norm": (n_steps,)}, the norm measured before clipping.
    """
    losses, norms = np.empty(n_steps), np.empty(n_steps)
    for step in range(n_steps):
        loss, grads = step_fn(params, step)
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


def stateful_tbptt(params, chunks, optimizer, activation="tanh", output="softmax", clip_norm=None, s0=None):
    """Truncated BPTT over consecutive chunks of long sequences, carrying the state.

    chunks: an iterable of (X (k, B, D), Y) pieces in time order (e.g. ``text.lm_chunks``).
    The final state of each chunk becomes s_0 of the next, so the forward pass sees the
    whole history, while each gradient stops at its chunk's first step.
    Returns (losses per chunk divided by its length, the last state).
    """
    losses, s = [], s0
    for X, Y in chunks:
        loss, grads, s = rnn_loss_and_grads(params, X, Y, activation=activation, output=output,
                                            s0=s, return_state=True)
        if clip_norm is not None:
            grads, _ = clip_by_global_norm(grads, clip_norm)
        optimizer.step(params, grads)
        losses.append(loss / X.shape[0])
    return np.array(losses), s
