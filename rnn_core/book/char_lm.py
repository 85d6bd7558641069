"""Chapter 8's character-level language models: one recipe for the RNN, the LSTM and the GRU.

    CELLS, STEPS                       the three cells, and the one-step function of each (for sampling)
    parameter_count, hidden_size_for   a model's number of parameters, and the H that matches a count
    init_model                         initial parameters of a cell with a softmax output layer
    split_ids                          the corpus as training, validation and test ids
    bits_per_char                      the loss on held-out text, in bits per character
    train                              chunked stateful truncated BPTT over epochs of the text
    gradient_reach                     ‖∂L_T/∂h_{T−j}‖ against j steps back, on held-out text
    text_words, word_fraction          how many sampled words occur in the training text
    load_models                        the models that tools/train_char_lm.py trained and saved in data/

They compose the core's functions (``rc.text``, ``rc.training.stateful_tbptt``, the cells' forward
passes and backward sweeps); none re-derives a forward or backward pass. The training script,
the chapter and the tests call the same functions, so the chapter can reproduce what the script
recorded.
"""
import json
import re
from itertools import count

import numpy as np

from .._validate import as_float_array, check_choice, check_positive_float, check_positive_int, norm
from ..bptt import rnn_backward_sweep
from ..data import data_file, load_text
from ..gru import gru_backward_sweep, gru_forward, gru_step, init_gru
from ..losses import log_softmax, softmax
from ..lstm import init_lstm, lstm_backward_sweep, lstm_forward, lstm_step
from ..rnn import init_rnn, rnn_forward, rnn_step
from ..text import batchify, build_vocab, encode, lm_chunks
from ..training import stateful_tbptt

CELLS = ("rnn", "lstm", "gru")
#: cell -> its one-step function ``step(params, x (1, D), state) -> state``, as rc.text.sample takes it
STEPS = {"rnn": rnn_step, "lstm": lstm_step, "gru": gru_step}
#: where the corpus is cut: training text before TRAIN_END, validation up to TEST_START, test after
TRAIN_END, TEST_START = 0.85, 0.9
#: the files of the trained models in data/ (written by tools/train_char_lm.py)
RECORD_FILE = "char_lm.json"
MODEL_FILE = "char_lm_{cell}.npz"


def parameter_count(cell, vocab_size, hidden_size):
    """The number of parameters of ``cell`` with V = vocab_size inputs and outputs and H = hidden_size.

    rnn:  U (H, V), W (H, H), b (H,)                     + the output layer V (V, H), c (V,)
    lstm: Wx (4H, V), Wh (4H, H), b (4H,)                + the output layer
    gru:  Wx (3H, V), Wh (3H, H), bx (3H,), bh (3H,)     + the output layer
    Returns an int.
    """
    check_choice("cell", cell, CELLS)
    V, H = check_positive_int("vocab_size", vocab_size), check_positive_int("hidden_size", hidden_size)
    gates, biases = {"rnn": (1, 1), "lstm": (4, 4), "gru": (3, 6)}[cell]
    return gates * H * (V + H) + biases * H + V * H + V


def hidden_size_for(cell, vocab_size, n_params):
    """The hidden size H whose ``parameter_count`` is closest to n_params (the smaller H on a tie)."""
    n_params = check_positive_int("n_params", n_params)
    H = 1
    while parameter_count(cell, vocab_size, H + 1) <= n_params:
        H += 1
    below, above = parameter_count(cell, vocab_size, H), parameter_count(cell, vocab_size, H + 1)
    return H if n_params - below <= above - n_params else H + 1


def init_model(cell, vocab_size, hidden_size, rng):
    """Initial parameters of a character model: ``cell`` with a softmax output layer over V characters.

    Every weight and bias ~ Uniform(−1/√H, 1/√H) (PyTorch's init); the LSTM's forget bias gets
    + 1 (``init_lstm``'s default). Returns the cell's parameter dict with V (V, H) and c (V,).
    """
    check_choice("cell", cell, CELLS)
    V = check_positive_int("vocab_size", vocab_size)
    if cell == "rnn":
        return init_rnn(V, hidden_size, V, rng, init="pytorch")
    if cell == "lstm":
        return init_lstm(V, hidden_size, V, rng)
    return init_gru(V, hidden_size, V, rng)


def split_ids(text=None):
    """The corpus (by default Pride and Prejudice) as ids, cut into three consecutive parts.

    Returns a dict: chars (the sorted vocabulary), index (char -> id), and the id arrays
    train = text[:0.85 N], valid = text[0.85 N:0.9 N] (for choosing the learning rate) and
    test = text[0.9 N:] (the held-out text of the data sheet's baselines), N = len(text).
    """
    text = load_text("pride_and_prejudice") if text is None else text
    chars, index = build_vocab(text)
    ids = encode(text, index)
    a, b = int(TRAIN_END * len(text)), int(TEST_START * len(text))
    return dict(chars=chars, index=index, train=ids[:a], valid=ids[a:b], test=ids[b:])


def _states(cell, params, X, state=None):
    """The hidden states h_1..h_T (T, B, H) of ``cell`` over X (T, B, D), and the forward cache."""
    if cell == "rnn":
        S, cache = rnn_forward(params, X, s0=state)
        return S[1:], cache
    if cell == "lstm":
        h0, c0 = (None, None) if state is None else state
        Hs, _, cache = lstm_forward(params, X, h0=h0, c0=c0)
        return Hs[1:], cache
    Hs, cache = gru_forward(params, X, h0=state)
    return Hs[1:], cache


def _logits(params, Hs):
    V, c = as_float_array("V", params["V"], ndim=2), as_float_array("c", params["c"], ndim=1)
    return Hs @ V.T + c


def bits_per_char(cell, params, ids, batch_size=16):
    """The mean loss −log₂ p(next character) of a model on the text ``ids`` (N,), in bits per character.

    The text is cut into ``batch_size`` contiguous streams (``rc.text.batchify``), each read from a
    zero state, and every character that has a successor in its stream is predicted: about
    N − batch_size predictions. Returns a float.
    """
    check_choice("cell", cell, CELLS)
    streams = batchify(ids, batch_size)
    Hs, _ = _states(cell, params, streams[:-1])                   # the characters as ids (rnn.check_inputs)
    logp = log_softmax(_logits(params, Hs))
    nll = -np.take_along_axis(logp, streams[1:, :, None], axis=-1)
    return float(nll.mean() / np.log(2.0))


def train(cell, params, ids, optimizer, n_updates, *, batch_size=32, chunk_len=50, clip_norm=1.0,
          eval_ids=None, eval_every=None, progress=None):
    """Chunked stateful truncated BPTT (chapter 6) over epochs of a text, with global-norm clipping.

    ids: (N,) the training text. The text is cut into ``batch_size`` streams; each update is one
    chunk of ``chunk_len`` characters of every stream (``rc.training.stateful_tbptt``), the state is
    carried from chunk to chunk and reset to zero when an epoch starts again at the streams' starts.
    params are updated in place by ``optimizer`` (e.g. ``rc.optim.Adam``) after clipping the
    gradient's global norm to ``clip_norm``.
    eval_ids, eval_every: measure ``bits_per_char`` on eval_ids before training and after every
    eval_every updates (and after the last).
    progress: None; a label (a progress bar in a notebook, ``widgets.progress``); or a function
    (iterable, total) -> iterable that wraps the loop (a script's own progress line).
    Returns a dict: loss (n_updates,) the training loss of each update in bits per character,
    eval_step (m,) and eval_bits (m,) (empty without eval_ids), epochs = the number of epochs begun.
    """
    check_choice("cell", cell, CELLS)
    n_updates = check_positive_int("n_updates", n_updates)
    clip_norm = check_positive_float("clip_norm", clip_norm)
    if eval_ids is not None:
        eval_every = check_positive_int("eval_every", eval_every)
    streams = batchify(ids, batch_size)
    K = as_float_array("V", params["V"], ndim=2).shape[0]

    def chunks():
        for epoch in count():
            for X, Y in lm_chunks(streams, chunk_len, K):   # one-hot, as the recorded models were trained
                yield epoch, X, Y

    updates = range(1, n_updates + 1)
    if isinstance(progress, str):
        from .widgets import progress as bar
        updates = bar(updates, n_updates, progress)
    elif progress is not None:
        updates = progress(updates, n_updates)
    losses, steps, bits = np.empty(n_updates), [], []
    if eval_ids is not None:
        steps.append(0)
        bits.append(bits_per_char(cell, params, eval_ids))
    state, current = None, 0
    for step, (epoch, X, Y) in zip(updates, chunks()):
        if epoch != current:
            state, current = None, epoch
        loss, state = stateful_tbptt(params, [(X, Y)], optimizer, cell=cell, clip_norm=clip_norm, state=state)
        losses[step - 1] = loss[0] / np.log(2.0)
        if eval_ids is not None and (step % eval_every == 0 or step == n_updates):
            steps.append(step)
            bits.append(bits_per_char(cell, params, eval_ids))
    return dict(loss=losses, eval_step=np.array(steps, dtype=np.int64), eval_bits=np.array(bits),
                epochs=current + 1)


def gradient_reach(cell, params, ids, T=150, n_windows=32, warmup=0):
    """How far back the gradient of one prediction reaches in a trained model (chapter 7's tool).

    The text ``ids`` is cut into n_windows consecutive windows of warmup + T + 1 characters. Each
    window is read from a zero state (the first ``warmup`` characters only warm the state up); the
    loss L_T = −log p(y_T) sits on its last prediction only, and the backward sweep of the cell
    (``rnn_backward_sweep``, ``lstm_backward_sweep``, ``gru_backward_sweep``) gives the total
    ∂L_T/∂h_k for every step (for the LSTM, the hidden h_k).
    Returns a dict: steps_back (T,) j = 0..T−1; ratio (T, n_windows) ‖∂L_T/∂h_{T−j}‖ / ‖∂L_T/∂h_T‖;
    median (T,) the median of ratio over the windows.
    """
    check_choice("cell", cell, CELLS)
    T, n = check_positive_int("T", T), check_positive_int("n_windows", n_windows)
    if isinstance(warmup, bool) or not isinstance(warmup, (int, np.integer)) or warmup < 0:
        raise ValueError(f"warmup must be an integer >= 0, got {warmup!r}")
    ids = np.asarray(ids)
    L = warmup + T + 1
    if ids.ndim != 1 or ids.shape[0] < n * L:
        raise ValueError(f"ids must be a 1-D array of at least n_windows · (warmup + T + 1) = {n * L} ids, "
                         f"got shape {ids.shape}")
    windows = ids[:n * L].reshape(n, L).T                          # (warmup + T + 1, n), time-major
    Hs, cache = _states(cell, params, windows[:-1])
    dlogits = softmax(_logits(params, Hs[-1]))
    dlogits[np.arange(n), windows[-1]] -= 1.0                      # ∂L_T/∂o*_T = p_T − y_T, per window
    dH = np.zeros_like(Hs)
    dH[-1] = dlogits @ params["V"]                                 # the local ∂L_T/∂h_T
    if cell == "rnn":
        totals = rnn_backward_sweep(dH, cache).totals
    elif cell == "lstm":
        totals = lstm_backward_sweep(dH, cache).dh_total
    else:
        totals = gru_backward_sweep(dH, cache).dh_total
    norms = norm(totals, axis=2)[::-1][:T]                         # row j: j steps back from the last step
    ratio = norms / norms[0]
    return dict(steps_back=np.arange(T), ratio=ratio, median=np.median(ratio, axis=1))


_WORD = re.compile(r"[A-Za-z]+")


def text_words(text):
    """The set of words of ``text``: maximal runs of the letters A–Z, a–z, in lower case."""
    return {w.lower() for w in _WORD.findall(text)}


def word_fraction(sample, words):
    """The fraction of the words of ``sample`` that are in ``words`` (a set, from ``text_words``).

    Words are maximal runs of letters, compared in lower case; a word cut off by the end of the
    sample is not counted. Returns (fraction, number of words counted).
    """
    found = [m for m in _WORD.finditer(sample) if m.end() < len(sample)]
    if not found:
        return 0.0, 0
    real = sum(m.group(0).lower() in words for m in found)
    return real / len(found), len(found)


def load_models():
    """The record and the trained models that tools/train_char_lm.py saved in data/.

    Returns (record, models): record is the dict of data/char_lm.json (settings, learning-rate
    grid, curves, held-out bits per character); models maps each cell to its parameter dict
    (float64 arrays, read from data/char_lm_CELL.npz without pickle).
    """
    record = json.loads(data_file(RECORD_FILE).read_text(encoding="utf-8"))
    models = {}
    for cell in CELLS:
        with data_file(MODEL_FILE.format(cell=cell)).open("rb") as f, np.load(f, allow_pickle=False) as npz:
            models[cell] = {k: npz[k].copy() for k in npz.files}
    return record, models
