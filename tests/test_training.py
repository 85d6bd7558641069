"""rnn_core.training (chapters 3, 6 and 8): the loops do what they say."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import optim, text, training


def test_fit_learns_delayed_recall_and_logs(capsys):
    rng = np.random.default_rng(0)
    p = rc.init_rnn(4, 16, 4, rng)

    def step(params, i):
        X, Y = rc.data.delayed_recall(16, 8, 1, 3, rng)
        return rc.rnn_loss_and_grads(params, X, Y)

    hist = training.fit(step, p, optim.Adam(0.02), 300, clip_norm=5.0, log_every=100)
    assert hist["loss"][-20:].mean() < 0.2 * hist["loss"][:20].mean()
    assert capsys.readouterr().out.count("loss") == 3
    assert hist["grad_norm"].shape == (300,)


def test_fit_clips_before_the_update():
    """With SGD(lr=1) the update equals the clipped gradient, whose norm is at most clip_norm."""
    p = {"w": np.array([0.0, 0.0])}
    step = lambda params, i: (0.0, {"w": np.array([30.0, 40.0])})
    hist = training.fit(step, p, optim.SGD(1.0), 1, clip_norm=5.0)
    np.testing.assert_allclose(p["w"], [-3.0, -4.0])
    assert hist["grad_norm"][0] == pytest.approx(50.0)          # measured before clipping


class Frozen:
    def step(self, params, grads):
        pass


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_stateful_tbptt_carries_the_state_exactly(cell):
    """With frozen parameters, chunked forward passes reproduce one long forward pass."""
    rng = np.random.default_rng(1)
    streams = text.batchify(rng.integers(0, 5, 103), 3)          # (34, 3)
    init = {"rnn": rc.init_rnn, "lstm": rc.init_lstm, "gru": rc.init_gru}[cell]
    loss_fn = {"rnn": rc.rnn_loss_and_grads, "lstm": rc.lstm_loss_and_grads, "gru": rc.gru_loss_and_grads}[cell]
    p = init(5, 6, 5, rng)
    losses, last = training.stateful_tbptt(p, text.lm_chunks(streams, 7, 5), Frozen(), cell=cell)
    whole = loss_fn(p, rc.data.one_hot(streams[:-1], 5), streams[1:])
    np.testing.assert_allclose(last[0] if cell == "lstm" else last, whole.state[0] if cell == "lstm" else whole.state,
                               rtol=1e-12)
    assert np.sum(losses * np.array([7, 7, 7, 7, 5])) == pytest.approx(whole.loss, rel=1e-12)


def test_stateful_tbptt_learns_a_periodic_text():
    ids = np.tile(np.arange(4), 60)
    streams = text.batchify(ids, 2)
    p = rc.init_gru(4, 8, 4, np.random.default_rng(2))
    opt = optim.Adam(0.05)
    first, _ = training.stateful_tbptt(p, text.lm_chunks(streams, 10, 4), opt, cell="gru", clip_norm=5.0)
    for _ in range(5):
        later, _ = training.stateful_tbptt(p, text.lm_chunks(streams, 10, 4), opt, cell="gru", clip_norm=5.0)
    assert later.mean() < 0.1 * first[0]
