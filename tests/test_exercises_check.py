"""rnn_core.book.exercises._check: one way to check every exercise, and it never crashes on a reader."""
import numpy as np
import pytest

from rnn_core.book import exercises
from rnn_core.book.exercises import check, judge


def test_every_chapter_registers_its_exercises():
    chapters = {n.split(".")[0] for n in exercises.JUDGES}
    assert chapters >= {"1", "2", "3", "4", "5", "6", "7"}
    with pytest.raises(ValueError, match="there is no exercise '9.9'"):
        judge("9.9", 1)


@pytest.mark.parametrize("number", sorted(exercises.JUDGES))
def test_an_untouched_template_gets_a_not_yet_not_an_error(number):
    """The template's answer is `...`, or a function whose body is `...` (it returns None)."""
    def unfinished(*args, **kwargs):
        ...

    verdict = judge(number, ...)
    assert not verdict and "`...`" in verdict.message
    assert not judge(number, unfinished)        # a function, or a wrong kind of answer: a reason, no crash


@pytest.mark.parametrize("number", sorted(exercises.JUDGES))
def test_a_function_that_raises_gets_a_not_yet_that_names_the_error(number):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    verdict = judge(number, broken)
    assert not verdict


def test_check_prints_one_line_and_returns_nothing(capsys):
    assert check("7.2", ...) is None
    out = capsys.readouterr().out
    assert out.startswith("Not yet: ") and out.count("\n") == 1
    check("7.2", 4.0)
    assert capsys.readouterr().out.startswith("Correct: ")


@pytest.mark.parametrize("answer", ["4", True, np.nan, [4.0]])
def test_a_number_of_the_wrong_kind_is_refused_with_a_reason(answer):
    verdict = judge("7.2", answer)
    assert not verdict and "must be" in verdict.message


def test_long_verdicts_wrap_at_word_boundaries():
    from rnn_core.book.exercises._check import WIDTH, not_yet
    words = "a gradient that vanishes over fifty steps is not a gradient that anyone can learn from " * 3
    lines = str(not_yet(words.strip())).splitlines()
    assert len(lines) > 1 and all(len(ln) <= WIDTH for ln in lines)
    assert lines[0].startswith("Not yet: ") and all(ln.startswith("  ") for ln in lines[1:])
    assert " ".join(ln.strip() for ln in lines) == "Not yet: " + " ".join(words.split())
