"""Judges of the exercises of chapter 4 (the LSTM).

Each judge computes the expected answer independently (by building the parameters with
``init_lstm``, by running ``lstm_forward``, or by finite differences).
"""
import numpy as np

from ._check import array, call, exercise, number, verdict
from ...lstm import gate_slices, init_lstm, lstm_forward


@exercise("4.1")
def judge_4_1(n_params):
    """n_params(D, H, K) must return the number of trainable numbers of ``init_lstm(D, H, K, rng)``."""
    rng = np.random.default_rng(0)
    for D, H, K in [(1, 1, 1), (3, 5, 2), (10, 20, 4), (7, 64, 30)]:
        want = sum(a.size for a in init_lstm(D, H, K, rng).values())
        got = number(call(n_params, D, H, K), f"n_params({D}, {H}, {K})")
        if got != want:
            return verdict(False, "", f"For D={D}, H={H}, K={K} the LSTM has {want} parameters, "
                        f"your function returned {got}. Count Wx, Wh, b, V and c.")
    return verdict(True, "Four gates, each with H rows of D + H weights and a bias: "
                "4H(D + H + 1), plus K(H + 1) for the output layer.", "")


def exercise_4_2_setup():
    """The numbers of exercise 4.2: (params, x_1, h_0, c_0) of a cell with D = H = 1."""
    params = dict(Wx=np.array([[1.0], [0.0], [0.5], [-1.0]]),      # rows: i, f, c̃, ω
                  Wh=np.array([[0.0], [0.0], [1.0], [2.0]]),
                  b=np.array([0.0, 2.0, 0.0, 0.0]))
    return params, 1.0, 0.5, 0.5


@exercise("4.2")
def judge_4_2(c1, h1):
    """c1, h1: the cell and hidden state after one step of ``exercise_4_2_setup()``."""
    params, x, h0, c0 = exercise_4_2_setup()
    Hs, Cs, _ = lstm_forward(params, np.full((1, 1, 1), x), np.full((1, 1), h0), np.full((1, 1), c0))
    want_c, want_h = float(Cs[1, 0, 0]), float(Hs[1, 0, 0])
    c1, h1 = number(c1, "c1"), number(h1, "h1")
    ok_c, ok_h = abs(c1 - want_c) < 1e-3, abs(h1 - want_h) < 1e-3
    if ok_c and ok_h:
        return verdict(True, f"c_1 = {want_c:.4f} and h_1 = {want_h:.4f}.", "")
    if ok_c:
        return verdict(False, "", f"c_1 is right, h_1 = {float(h1):.4f} is not. h_1 = ω_1 ⊙ tanh(c_1): "
                    "did you apply tanh to the cell, and is ω_1 a sigmoid?")
    return verdict(False, "", f"c_1 = {float(c1):.4f} is not right. c_1 = f_1 c_0 + i_1 c̃_1, where every "
                "gate sees W_x x_1 + W_h h_0 + b (the sigmoid for i, f, ω and tanh for c̃).")


@exercise("4.3")
def judge_4_3(forget_bias):
    """forget_bias: the b_f for which the cell keeps 90 % of its value after 10 steps."""
    H = 1
    sl = gate_slices(H)
    params = dict(Wx=np.zeros((4 * H, 1)), Wh=np.zeros((4 * H, H)), b=np.zeros(4 * H))
    params["b"][sl["input"]] = -50.0                 # input gate shut: nothing is written
    params["b"][sl["forget"]] = number(forget_bias, "forget_bias (b_f)")
    _, Cs, _ = lstm_forward(params, np.zeros((10, 1, 1)), c0=np.ones((1, 1)))
    kept = float(Cs[-1, 0, 0])
    return verdict(abs(kept - 0.9) < 1e-3, f"After 10 steps the cell holds {kept:.4f} of its value.",
                f"After 10 steps the cell holds {kept:.4f} of its value, not 0.9000. "
                "Each step multiplies it by f = σ(b_f), so you need σ(b_f)^10 = 0.9.")


@exercise("4.4")
def judge_4_4(cell_path_gradient):
    """cell_path_gradient(params, X, w) -> ∂L/∂c_0 (shape (H,)) for L = w · c_T, when Wh = 0.

    Checked against central differences of L through ``lstm_forward`` on random problems.
    """
    rng = np.random.default_rng(44)
    for T, D, H in [(1, 2, 3), (6, 3, 4), (15, 2, 5)]:
        params = init_lstm(D, H, 1, rng, forget_bias=2.0)
        params["Wh"] = np.zeros((4 * H, H))
        X, w, c0 = rng.standard_normal((T, 1, D)), rng.standard_normal(H), rng.standard_normal((1, H))

        def loss(c):
            return float(w @ lstm_forward(params, X, c0=c[None, :])[1][-1, 0])
        want = np.array([(loss(c0[0] + e) - loss(c0[0] - e)) / 2e-6 for e in 1e-6 * np.eye(H)])
        got = call(cell_path_gradient, params, X.copy(), w.copy())
        got = array(np.reshape(got, -1) if np.size(got) == H else got, (H,), "cell_path_gradient's result")
        if np.linalg.norm(got - want) > 1e-6 * max(1.0, np.linalg.norm(want)):
            return verdict(False, "", f"For T = {T} the finite differences give {np.round(want, 4)}, "
                        f"you returned {np.round(got, 4)}. With Wh = 0 the only path from c_0 "
                        "to c_T is the cell line: one factor f_t per step.")
    return verdict(True, "∂L/∂c_0 = w ⊙ f_1 ⊙ ... ⊙ f_T: the product of the forget gates.", "")
