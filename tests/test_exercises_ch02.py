"""Each chapter 2 check accepts a right answer and rejects a wrong one."""
import numpy as np

import rnn_core as rc
from rnn_core.book.exercises import judge
from rnn_core.book.exercises.ch02 import CHAPTER_PAIR_2_2, exercise_2_4_setup, sentiment_label


def say(number, *answers, **options):
    """judge, and print the verdict as check does (for the tests that read the message)."""
    verdict = judge(number, *answers, **options)
    print(verdict)
    return verdict


RIGHT_2_1 = {"a": "many-to-one", "b": "one-to-many", "c": "encoder-decoder", "d": "many-to-many",
             "e": "bidirectional", "f": "one-to-one"}


def test_2_1(capsys):
    assert say("2.1", RIGHT_2_1)
    assert say("2.1", dict(RIGHT_2_1, d="deep", e="deep-bidirectional"))
    assert not say("2.1", dict(RIGHT_2_1, d="bidirectional"))      # a live stream has no future
    assert not say("2.1", dict(RIGHT_2_1, c="many-to-many"))
    assert not say("2.1", dict(RIGHT_2_1, a="one to one"))         # not a structure name
    assert not say("2.1", ["many-to-one"])
    assert "not one of" in capsys.readouterr().out


def test_2_1_template_asks_for_every_blank_without_giving_an_answer(capsys):
    assert not say("2.1", {k: ... for k in "abcdef"})
    assert not say("2.1", dict(RIGHT_2_1, f=...))
    out = capsys.readouterr().out
    assert "replace each `...`" in out and "replace the `...` of (f)" in out
    assert not any(name in out for name in set(RIGHT_2_1.values()))


def test_the_label_rule_reproduces_every_shipped_label():
    for split in ("train", "test"):
        for text, label in rc.data.load_sentiment(split):
            assert sentiment_label(text) == label


def test_the_label_rule_rejects_other_grammar():
    assert sentiment_label("the film was good") == 1
    assert sentiment_label("the film was very not good") is None
    assert sentiment_label("the film was good but the plot was bad but the cast was fun") is None
    assert sentiment_label("a film was good") is None


def test_2_2():
    a = "the plot was not very dull but the cast was good"
    b = "the plot was dull but the cast was not very good"
    assert judge("2.2", a, b)
    assert not judge("2.2", a, b, avoid=[(b, a)])
    assert not judge("2.2", *CHAPTER_PAIR_2_2)                         # the chapter's pair, by default
    assert not judge("2.2", *reversed(CHAPTER_PAIR_2_2))
    assert sorted(CHAPTER_PAIR_2_2[0].split()) == sorted(CHAPTER_PAIR_2_2[1].split())
    assert sentiment_label(CHAPTER_PAIR_2_2[0]) != sentiment_label(CHAPTER_PAIR_2_2[1])
    assert not judge("2.2", ..., ...) and not judge("2.2", "...", "...")
    assert not judge("2.2", a, a)                                      # same label
    assert not judge("2.2", a, "the plot was dull but the cast was not good")   # different bag
    assert not judge("2.2", "the film was nice", "the film was not nice")


def test_2_2_accepts_swapped_clauses():
    assert judge("2.2", "the film was good but the plot was bad", "the plot was bad but the film was good")


def test_2_3():
    right = lambda D, H, K, L: 2 * H * (D + H + 1) + (L - 1) * 2 * H * (3 * H + 1) + K * (2 * H + 1)
    assert judge("2.3", right)
    assert not judge("2.3", lambda D, H, K, L: L * 2 * H * (D + H + 1) + K * (2 * H + 1))
    assert not judge("2.3", lambda D, H, K, L: right(D, H, K, L) - K * H)   # V reads only H


def generate_right(params, x, T):
    ids = []
    s = np.zeros((x.shape[0], params["W"].shape[0]))
    for _ in range(T):
        s = np.tanh(x @ params["U"].T + s @ params["W"].T + params["b"])
        ids.append((s @ params["V"].T + params["c"]).argmax(axis=1))
        x = np.eye(params["V"].shape[0])[ids[-1]]
    return np.array(ids)


def test_2_4(capsys):
    assert say("2.4", generate_right)
    zero_inputs = lambda p, x, T: rc.rnn_outputs(p, rc.structures.one_to_many_inputs(x, T)).argmax(axis=2)
    assert not say("2.4", zero_inputs)
    assert "zero inputs" in capsys.readouterr().out
    assert not say("2.4", lambda p, x, T: generate_right(p, x, T).T)       # (B, T)
    assert not say("2.4", lambda p, x, T: np.roll(generate_right(p, x, T), 1, axis=0))


def test_2_4_setup_is_fixed():
    p1, x1 = exercise_2_4_setup()
    p2, x2 = exercise_2_4_setup()
    assert all(np.array_equal(p1[k], p2[k]) for k in p1) and np.array_equal(x1, x2)


def test_2_2_default_pair_is_the_one_chapter_2_shows():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / "02_rnn_structures.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert all(f'"{s}"' in code for s in CHAPTER_PAIR_2_2)
