"""Each chapter 7 exercise check accepts a right answer and rejects a wrong one."""
import numpy as np

import rnn_core as rc
from rnn_core.book.exercises import judge


def test_7_1_bound():
    assert judge("7.1", lambda s, a, n: ({"sigmoid": 0.25}.get(a, 1.0) * s) ** n)
    assert not judge("7.1", lambda s, a, n: s ** n)                  # forgets γ = 1/4
    assert not judge("7.1", lambda s, a, n: 1 / 0)                   # raises


def test_7_2_sigmoid_limit():
    assert judge("7.2", 4.0)
    assert not judge("7.2", 1.0)
    assert not judge("7.2", 0.25)


def test_7_3_clip_by_global_norm():
    def right(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        f = min(1.0, max_norm / norm)
        return {k: g * f for k, g in grads.items()}

    def per_tensor(grads, max_norm):       # clips each tensor on its own: changes the direction
        return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}

    def in_place(grads, max_norm):
        out, _ = rc.clip_by_global_norm(grads, max_norm)
        for k in grads:
            grads[k][...] = out[k]
        return grads

    assert judge("7.3", right)
    assert judge("7.3", rc.clip_by_global_norm)                      # returns a tuple
    assert not judge("7.3", per_tensor)
    assert not judge("7.3", rc.clip_by_value)
    assert not judge("7.3", in_place)


def test_7_4_linear_steps():
    k = int(np.ceil(np.log(1e-3) / np.log(0.9)))
    assert 0.9 ** k < 1e-3 <= 0.9 ** (k - 1)
    assert judge("7.4", k)
    assert not judge("7.4", k - 1)
    assert judge("7.4", float(k))                         # an integer written as a float is fine
    assert not judge("7.4", k + 0.5)


def test_7_5_forget_bias():
    f = 0.1 ** (1 / 50)
    b = np.log(f) - np.log1p(-f)
    assert abs(rc.sigmoid(b) ** 50 - 0.1) < 1e-9
    assert judge("7.5", b)
    assert not judge("7.5", 1.0)
    assert not judge("7.5", f)


def test_unfinished_templates_get_a_not_yet_and_never_the_answer():
    """What each template cell of chapter 7 prints when it is run as it stands."""
    def unfinished(*args):
        ...

    for number, answer in (("7.1", unfinished), ("7.2", ...), ("7.3", unfinished), ("7.4", ...), ("7.5", ...)):
        verdict = judge(number, answer)
        assert not verdict and str(verdict).startswith("Not yet: ")
        assert not any(s in verdict.message for s in ("4.0", "66", "3.055", "0.9550", "1/4"))
    assert "returned None" in judge("7.1", unfinished).message
    assert not judge("7.2", "4") and not judge("7.4", float("nan"))       # a string, a NaN: no crash
