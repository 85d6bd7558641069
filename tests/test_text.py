"""rnn_core.text (chapters 6 and 8): vocabularies, streams, chunks and sampling."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import text


def test_vocabulary_encode_decode():
    chars, index = text.build_vocab("abca")
    ids = text.encode("cab", index)
    assert chars == ["a", "b", "c"] and ids.tolist() == [2, 0, 1] and text.decode(ids, chars) == "cab"
    with pytest.raises(ValueError, match="outside the vocabulary"):
        text.encode("abd", index)


def test_batchify_and_chunks_cover_the_stream_in_order():
    s = text.batchify(np.arange(10), 3)
    assert s.tolist() == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    chunks = list(text.lm_chunks(s, 2, 10))
    assert [c[0].shape for c in chunks] == [(2, 3, 10)]
    assert chunks[0][0].argmax(axis=-1).tolist() == [[0, 3, 6], [1, 4, 7]]
    assert chunks[0][1].tolist() == [[1, 4, 7], [2, 5, 8]]
    long = text.batchify(np.arange(40), 2)                  # (20, 2): chunks of 7, 7, 5
    got = list(text.lm_chunks(long, 7, 40))
    assert [len(y) for _, y in got] == [7, 7, 5]
    np.testing.assert_array_equal(np.concatenate([y for _, y in got]), long[1:])


def _greedy(step, p, first, n):
    """The sampling loop with temperature → 0 (always the likeliest next id), written here."""
    ids, state = [first], None
    for _ in range(n - 1):
        state = step(p, np.eye(p["V"].shape[0])[[ids[-1]]], state)
        h = state[0] if isinstance(state, tuple) else state
        ids.append(int(np.argmax(h[0] @ p["V"].T + p["c"])))
    return ids


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sample_feeds_back_each_id_and_sharpens_as_temperature_falls(cell):
    rng = np.random.default_rng(0)
    init = {"rnn": rc.init_rnn, "lstm": rc.init_lstm, "gru": rc.init_gru}[cell]
    step = {"rnn": rc.rnn.rnn_step, "lstm": rc.lstm.lstm_step, "gru": rc.gru.gru_step}[cell]
    p = init(6, 8, 6, rng)
    for k in p:
        p[k] = 3.0 * p[k]                                  # logits far apart: a clear argmax
    cold = text.sample(step, p, 2, 30, np.random.default_rng(1), temperature=1e-3)
    assert cold.tolist() == _greedy(step, p, 2, 30)
    warm = text.sample(step, p, 2, 30, np.random.default_rng(1), temperature=1.0)
    hot = text.sample(step, p, 2, 30, np.random.default_rng(1), temperature=100.0)
    assert len(set(hot.tolist())) > len(set(cold.tolist()))
    assert warm.shape == (30,) and warm[0] == 2 and set(warm.tolist()) <= set(range(6))


def test_sample_draws_from_softmax_of_logits_over_temperature():
    """The second id's frequencies over many draws match softmax(logits / τ)."""
    rng = np.random.default_rng(2)
    p = rc.init_rnn(4, 5, 4, rng)
    p["V"] *= 4.0
    s1 = rc.rnn.rnn_step(p, np.eye(4)[[1]])
    logits = s1[0] @ p["V"].T + p["c"]
    g = np.random.default_rng(3)
    for tau in (0.5, 2.0):
        want = np.exp(logits / tau) / np.exp(logits / tau).sum()
        draws = np.array([text.sample(rc.rnn.rnn_step, p, 1, 2, g, temperature=tau)[1] for _ in range(4000)])
        freq = np.bincount(draws, minlength=4) / len(draws)
        assert np.abs(freq - want).max() < 0.03, (tau, freq, want)
