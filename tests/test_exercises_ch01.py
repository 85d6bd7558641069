"""Each chapter 1 check accepts a right answer and rejects wrong ones.

The right answers here are written from the math (closed forms, hand-typed values),
not copied from the checks' own code.
"""
import numpy as np

from rnn_core.book.exercises import judge


def say(number, *answers, **options):
    """judge, and print the verdict as check does (for the tests that read the message)."""
    verdict = judge(number, *answers, **options)
    print(verdict)
    return verdict


def count_right(D, H, K, T, tied=True):
    per_step = H * D + H * H + H + K * H + K
    return per_step if tied else T * per_step


def test_1_1_parameter_count(capsys):
    assert say("1.1", count_right)
    assert capsys.readouterr().out.startswith("Correct:")
    # forgetting the biases, forgetting T, or multiplying the tied count by T are all wrong
    assert not say("1.1", lambda D, H, K, T, tied=True: (H * D + H * H + K * H) * (1 if tied else T))
    assert not say("1.1", lambda D, H, K, T, tied=True: count_right(D, H, K, 1))
    assert not say("1.1", lambda D, H, K, T, tied=True: T * count_right(D, H, K, 1))
    assert not say("1.1", lambda D, H, K, T, tied=True: None)
    assert capsys.readouterr().out.count("Not yet:") == 4


def test_1_1_reports_an_exception(capsys):
    def broken(D, H, K, T, tied=True):
        raise ZeroDivisionError("oops")
    assert not say("1.1", broken)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_1_2_worked_example_with_w_minus_one():
    right = np.array([[1, 0, 0, 0],
                      [-1, 1, 0, 0],
                      [1, -1, 1, 0],
                      [-1, 1, -1, 1]])
    assert judge("1.2", right)
    assert not judge("1.2", np.abs(right))                 # the w = +1 answer
    assert not judge("1.2", right.T)                       # outputs as columns
    assert not judge("1.2", right[:3])                     # wrong shape


def test_1_3_one_batched_step():
    def step(params, x_t, s_prev):
        return np.tanh(x_t @ params["U"].T + s_prev @ params["W"].T + params["b"])

    def no_bias(params, x_t, s_prev):
        return np.tanh(x_t @ params["U"].T + s_prev @ params["W"].T)

    def transposed(params, x_t, s_prev):        # W instead of W.T: right only when W is symmetric
        return np.tanh(x_t @ params["U"].T + s_prev @ params["W"] + params["b"])

    def unbatched(params, x_t, s_prev):         # written for one column vector; fails on rows
        return np.tanh(params["U"] @ x_t + params["W"] @ s_prev + params["b"])

    assert judge("1.3", step)
    for wrong in (no_bias, transposed, unbatched):
        assert not judge("1.3", wrong)


def test_1_4_memory_of_x1():
    # smallest t with 0.8^(t-1) < 0.01: t - 1 > log(0.01)/log(0.8) = 20.64, so t = 22
    t = 1 + int(np.floor(np.log(0.01) / np.log(0.8))) + 1
    assert t == 22
    assert judge("1.4", t)
    assert "t = 22 is the first" in str(judge("1.4", t))   # the message answers the question asked
    assert judge("1.4", np.int64(t))
    assert judge("1.4", 22.0)                              # an integer written as a float is fine
    for wrong in (21, 23, 22.5, "22", True, None):
        assert not judge("1.4", wrong)
