"""Character-level text: vocabularies, batches of streams and sampling (chapters 6 and 8).

A character language model reads one character per step and predicts the next one, so
X[t] is character t (its one-hot vector, or its id) and Y[t] the id of character t + 1.
"""
import numpy as np

from ._validate import as_float_array, check_number, check_positive_int, check_rng
from .data import one_hot
from .losses import softmax


def build_vocab(text):
    """The sorted distinct characters of ``text`` (a list), and a dict char -> id."""
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    chars = sorted(set(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def encode(text, index):
    """Integer ids, shape (N,), of the N characters of ``text``; index maps char -> id."""
    missing = sorted(set(text) - set(index))
    if missing:
        raise ValueError(f"text has characters outside the vocabulary: {missing[:5]}")
    return np.array([index[ch] for ch in text], dtype=np.int64)


def decode(ids, chars):
    """The string for integer ids (any iterable of ints in [0, len(chars)))."""
    ids = np.asarray(ids)
    if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= len(chars)):
        raise ValueError(f"ids must be integers in [0, {len(chars) - 1}], got {ids.tolist()[:5]}...")
    return "".join(chars[int(i)] for i in ids)


def batchify(ids, batch_size):
    """Cut one long stream of ids (N,) into B = batch_size parallel streams, time-major (N // B, B).

    Column b is the b-th contiguous piece of the text, so carrying the state from one chunk of
    rows to the next continues each piece where it stopped.
    """
    ids = np.asarray(ids)
    B = check_positive_int("batch_size", batch_size)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"ids must be a 1-D array of integer ids, got shape {ids.shape}, dtype {ids.dtype}")
    n = ids.shape[0] // B
    if n < 2:
        raise ValueError(f"the stream of {ids.shape[0]} ids is too short for batch_size={B}")
    return ids[: n * B].reshape(B, n).T.copy()


def id_chunks(streams, chunk_len):
    """Successive (X, Y) chunks of a character model over time-major streams (N, B), as ids.

    Yields X (k, B) the characters' ids and Y (k, B) the ids of the next characters,
    k ≤ chunk_len, in time order, covering every position that has a next character. The cells
    take X as it is (integer ids stand for one-hot vectors: ``rnn.check_inputs``).
    """
    k = check_positive_int("chunk_len", chunk_len)
    streams = np.asarray(streams)
    if streams.ndim != 2 or streams.shape[0] < 2 or streams.dtype.kind not in "iu":
        raise ValueError(f"streams must be integer ids of shape (N, B) with N >= 2, got shape "
                         f"{streams.shape}, dtype {streams.dtype}")
    N = streams.shape[0]
    for start in range(0, N - 1, k):
        stop = min(start + k, N - 1)
        yield streams[start:stop], streams[start + 1:stop + 1]


def lm_chunks(streams, chunk_len, vocab_size):
    """The chunks of ``id_chunks`` with X as one-hot vectors (k, B, V), V = vocab_size, and Y (k, B) ids."""
    vocab_size = check_positive_int("vocab_size", vocab_size)
    for X, Y in id_chunks(streams, chunk_len):
        yield one_hot(X, vocab_size), Y


def sample(step, params, first_id, n, rng, state=None, temperature=1.0):
    """Generate n ids, feeding each sampled character back in as the next input (chapters 6, 8).

    step: one step of a cell, ``step(params, x (1, D), state) -> state`` with state None meaning
      zeros: ``rnn.rnn_step``, ``lstm.lstm_step`` or ``gru.gru_step``. The output layer reads
      the hidden state (for the LSTM, the h of its (h, c) state): p = softmax((V h + c) / temperature).
    params: the cell's parameters with V (K, H) and c (K,), K = D = the vocabulary size.
    first_id: the id of the first character, in [0, K).  temperature: a number > 0; below 1
      sharpens the distribution towards the likeliest character, above 1 flattens it.
    Returns an array (n,) of ids, first_id first.
    """
    n = check_positive_int("n", n)
    check_rng(rng)
    temperature = check_number("temperature", temperature, low=0.0, low_open=True)
    V = as_float_array("V", params["V"], ndim=2)
    c = as_float_array("c", params["c"], shape=(V.shape[0],))
    K = V.shape[0]
    W_in = params["U"] if "U" in params else params["Wx"]
    if np.shape(W_in)[1] != K:
        raise ValueError(f"sample feeds each output back in as the next input, so the input size D = "
                         f"{np.shape(W_in)[1]} must equal the number of outputs K = {K}")
    if isinstance(first_id, bool) or not isinstance(first_id, (int, np.integer)) or not 0 <= first_id < K:
        raise ValueError(f"first_id must be an integer id in [0, {K - 1}], got {first_id!r}")
    eye = np.eye(K)
    ids = [int(first_id)]
    for _ in range(n - 1):
        state = step(params, eye[ids[-1]][None], state)
        h = state[0] if isinstance(state, tuple) else state
        ids.append(int(rng.choice(K, p=softmax((h[0] @ V.T + c) / temperature))))
    return np.array(ids)
