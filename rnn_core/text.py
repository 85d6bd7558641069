"""Character-level text helpers: vocabularies, batches of streams and sampling (chapter 6).

A character language model reads one character per step and predicts the next one, so
X[t] is the one-hot character t and Y[t] the id of character t + 1.
"""
import numpy as np

from ._validate import check_positive_int
from .data import one_hot
from .losses import softmax
from .rnn import check_output_params, check_rnn_params
from .activations import activate


def build_vocab(text):
    """The sorted distinct characters of ``text``, and a dict char -> id."""
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    chars = sorted(set(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def encode(text, index):
    """Integer ids (N,) of the characters of ``text``."""
    missing = sorted(set(text) - set(index))
    if missing:
        raise ValueError(f"text has characters outside the vocabulary: {missing[:5]}")
    return np.array([index[ch] for ch in text], dtype=np.int64)


def decode(ids, chars):
    """The string for integer ids."""
    return "".join(chars[int(i)] for i in ids)


def batchify(ids, batch_size):
    """Cut one long stream of ids (N,) into B parallel streams, time-major (N // B, B).

    Column b is the b-th contiguous piece of the text, so carrying the state from one
    chunk of rows to the next continues each piece where it stopped.
    """
    ids = np.asarray(ids)
    B = check_positive_int("batch_size", batch_size)
    n = ids.shape[0] // B
    if n < 2:
        raise ValueError(f"the stream of {ids.shape[0]} ids is too short for batch_size={B}")
    return ids[: n * B].reshape(B, n).T.copy()


def lm_chunks(streams, chunk_len, vocab_size):
    """Successive (X, Y) chunks of a character model over time-major streams (N, B).

    X: (k, B, V) one-hot characters, Y: (k, B) the next characters, with k <= chunk_len.
    """
    k = check_positive_int("chunk_len", chunk_len)
    N = streams.shape[0]
    for start in range(0, N - 1, k):
        stop = min(start + k, N - 1)
        yield one_hot(streams[start:stop], vocab_size), streams[start + 1:stop + 1]


def sample(params, first_id, n, rng, activation="tanh", s0=None, temperature=1.0):
    """Generate n ids by feeding each sampled character back in as the next input.

    params: {U (H, V), W, b, V (V, H), c}. Returns an array (n,) of ids, first_id first.
    """
    U, W, b, D, H = check_rnn_params(params, "sample", need_output=True)
    Vo, c, K = check_output_params(params, H)
    n = check_positive_int("n", n)
    s = np.zeros(H) if s0 is None else np.asarray(s0, dtype=np.float64).reshape(H)
    ids = [int(first_id)]
    for _ in range(n - 1):
        s = activate(U[:, ids[-1]] + W @ s + b, activation)
        p = softmax((Vo @ s + c) / temperature)
        ids.append(int(rng.choice(K, p=p)))
    return np.array(ids)
