"""Each chapter 8 exercise check accepts a right answer and rejects the typical wrong ones."""
import math

import numpy as np

import rnn_core as rc
from rnn_core.book.exercises import ch08, judge


def test_8_1_gru_parameters():
    right = lambda D, H, K: 3 * H * (D + H) + 6 * H + K * (H + 1)
    assert judge("8.1", right)
    assert judge("8.1", lambda D, H, K: sum(v.size for v in rc.init_gru(D, H, K, np.random.default_rng(0)).values()))
    one_bias = judge("8.1", lambda D, H, K: 3 * H * (D + H) + 3 * H + K * (H + 1))
    assert not one_bias and "two bias vectors" in one_bias.message
    no_head = judge("8.1", lambda D, H, K: 3 * H * (D + H) + 6 * H)
    assert not no_head and "output layer" in no_head.message
    assert not judge("8.1", lambda D, H, K: 4 * H * (D + H) + 4 * H + K * (H + 1))   # an LSTM
    assert not judge("8.1", lambda D, H, K: None)
    assert not judge("8.1", ...)


def test_8_2_gru_step_by_hand():
    q = ch08.STEP_BY_HAND
    p = dict(Wx=np.array(q["Wx"])[:, None], Wh=np.array(q["Wh"])[:, None], bx=np.array(q["bx"]), bh=np.array(q["bh"]))
    h = float(rc.gru.gru_step(p, np.array([[q["x"]]]), np.array([[q["h"]]]))[0, 0])    # the core's GRU
    assert judge("8.2", h)
    assert judge("8.2", round(h, 3))
    z = float(rc.sigmoid(q["Wx"][1] * q["x"] + q["bx"][1] + q["Wh"][1] * q["h"] + q["bh"][1]))
    n = (h - z * q["h"]) / (1 - z)
    swapped = judge("8.2", z * n + (1 - z) * q["h"])
    assert not swapped and "swapped" in swapped.message
    assert not judge("8.2", q["h"])
    assert not judge("8.2", None)
    assert not judge("8.2", ...)


def test_8_3_uniform_bits():
    assert judge("8.3", math.log2(75))
    nats = judge("8.3", math.log(75))
    assert not nats and "nats" in nats.message
    assert not judge("8.3", 1 / 75)
    assert not judge("8.3", "6.2")


def test_8_4_temperature():
    def right(logits, tau):
        z = logits / tau
        e = np.exp(z - z.max())
        return e / e.sum()

    def naive(logits, tau):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(logits / tau)
            return e / e.sum()

    assert judge("8.4", right)
    assert judge("8.4", lambda logits, tau: rc.softmax(logits / tau))
    verdict = judge("8.4", naive)
    assert not verdict and "overflows" in verdict.message
    assert not judge("8.4", lambda logits, tau: rc.softmax(logits * tau))          # τ the wrong way round
    assert not judge("8.4", lambda logits, tau: rc.softmax(logits))                # ignores τ


def test_8_2_names_the_bias_slip():
    verdict = judge("8.2", ch08._gru_by_hand(reset_inside=False))
    assert not verdict and "inside the reset product" in verdict.message
