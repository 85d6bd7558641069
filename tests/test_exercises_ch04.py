"""Each chapter 4 check accepts a right answer and rejects a wrong one."""
import numpy as np

from rnn_core.activations import sigmoid
from rnn_core.book.exercises import judge
from rnn_core.book.exercises.ch04 import exercise_4_2_setup


def test_4_1_parameter_count():
    assert judge("4.1", lambda D, H, K: 4 * H * (D + H + 1) + K * (H + 1))
    assert not judge("4.1", lambda D, H, K: 4 * H * (D + H) + K * H)          # no biases
    assert not judge("4.1", lambda D, H, K: 4 * H * (D + H + 2) + K * (H + 1))  # PyTorch's two biases


def test_4_2_one_step_by_hand():
    # by hand: i = σ(1), f = σ(2), c̃ = tanh(0.5 + 0.5), ω = σ(-1 + 1) = 0.5
    c1 = sigmoid(2.0) * 0.5 + sigmoid(1.0) * np.tanh(1.0)
    h1 = 0.5 * np.tanh(c1)
    assert abs(c1 - 0.9972) < 1e-4 and abs(h1 - 0.3802) < 1e-4
    assert judge("4.2", c1, h1)
    assert not judge("4.2", c1, 0.5 * c1)                 # forgot the tanh
    assert not judge("4.2", sigmoid(1.0) * np.tanh(1.0), h1)   # forgot the old cell
    params, x, h0, c0 = exercise_4_2_setup()
    assert params["Wx"].shape == (4, 1) and (x, h0, c0) == (1.0, 0.5, 0.5)


def test_4_3_forget_bias_for_ninety_percent():
    p = 0.9 ** 0.1
    assert judge("4.3", np.log(p / (1 - p)))              # about 4.55
    assert not judge("4.3", np.log(0.9 / 0.1))            # keeps 90 % per step, not per 10 steps
    assert not judge("4.3", 4.6)


def test_4_4_cell_path_gradient():
    def right(params, X, w):
        H = params["Wh"].shape[1]
        f = sigmoid(X[:, 0, :] @ params["Wx"][H:2 * H].T + params["b"][H:2 * H])
        return w * f.prod(axis=0)

    def only_last_gate(params, X, w):
        H = params["Wh"].shape[1]
        return w * sigmoid(X[-1, 0] @ params["Wx"][H:2 * H].T + params["b"][H:2 * H])

    assert judge("4.4", right)
    assert not judge("4.4", lambda params, X, w: w)
    assert not judge("4.4", only_last_gate)


def test_unfinished_templates_get_a_not_yet():
    def template(*args):
        ...

    for number, answers in [("4.1", (template,)), ("4.1", (...,)), ("4.2", (..., ...)), ("4.2", (0.9, ...)),
                            ("4.3", (...,)), ("4.3", ("4.5",)), ("4.4", (template,)),
                            ("4.4", (lambda p, X, w: "text",)), ("4.4", (lambda p, X, w: np.zeros(2),))]:
        verdict = judge(number, *answers)
        assert not verdict and verdict.message, (number, answers)
