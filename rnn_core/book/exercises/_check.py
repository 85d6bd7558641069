"""The one way every exercise of the book is checked.

In a chapter, an exercise is a template cell that ends with the check::

    def bound(sigma_max, activation, n):
        ...  # your code

    book.exercises.check("7.1", bound)

``check`` prints one line, "Correct: …" or "Not yet: …", and never raises on a reader's
answer: an untouched template (``...``), a function that returns None, raises, or returns the
wrong shape all get a "Not yet" that says what to do. The solution is not in the notebook's
code: it sits in a collapsed "Solution" block below the template, so Run All never overwrites
the reader's answer and never prints an answer.

Each chapter's module registers its judges with ``@exercise("N.M")``. A judge computes the
expected answer on its own, returns ``correct(message)`` or ``not_yet(message)``, and uses
``call`` to run a reader's function, and ``number`` to read a numeric answer.
"""
import inspect
import textwrap
from dataclasses import dataclass

import numpy as np

#: "N.M" -> the judge of exercise N.M, filled by the chapter modules.
JUDGES = {}
#: Verdicts are wrapped at word boundaries to this width: JupyterLab would break long lines mid-word.
WIDTH = 100


class NotYet(Exception):
    """Raised inside a judge when the reader's answer cannot be judged yet; the text says why."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``ok`` and the sentence the reader sees. Truthy when correct."""

    ok: bool
    message: str

    def __bool__(self):
        return self.ok

    def __str__(self):
        """The verdict wrapped at word boundaries, 100 characters wide (a notebook's output width)."""
        text = ("Correct: " if self.ok else "Not yet: ") + self.message
        return "\n".join(textwrap.fill(line, WIDTH, subsequent_indent="  ", break_long_words=False,
                                        break_on_hyphens=False) or line for line in text.splitlines())


def correct(message):
    """The verdict for a right answer; ``message`` explains why it is right."""
    return Verdict(True, message)


def not_yet(message):
    """The verdict for a wrong answer; ``message`` is a hint that does not give the answer away."""
    return Verdict(False, message)


def verdict(ok, good, bad):
    """``correct(good)`` if ok, else ``not_yet(bad)``."""
    return correct(good) if ok else not_yet(bad)


def exercise(number):
    """Register the decorated function as the judge of exercise ``number`` ("N.M")."""
    def register(judge_fn):
        if number in JUDGES:
            raise ValueError(f"exercise {number} has two judges")
        JUDGES[number] = judge_fn
        return judge_fn
    return register


def _unfinished(value):
    return value is Ellipsis or value is None


def call(fn, *args, name=None, **kwargs):
    """Call the reader's function ``fn(*args, **kwargs)`` and return its result.

    Raises NotYet (which ``check`` prints) if ``fn`` is not a function, raises an exception,
    or returns None or ``...`` (the body of an unfinished template).
    """
    label = name or getattr(fn, "__name__", "your function")
    if _unfinished(fn):
        raise NotYet("replace the `...` with your function, then run the cell again.")
    if not callable(fn):
        raise NotYet(f"{label} must be a function, got {type(fn).__name__}.")
    try:
        out = fn(*args, **kwargs)
    except NotYet:
        raise
    except Exception as exc:                         # noqa: BLE001 - the reader's code may raise anything
        raise NotYet(f"{label} raised {type(exc).__name__}: {exc}") from None
    if _unfinished(out):
        raise NotYet(f"{label} returned {out!r}: fill in its body (where the `...` is) and return the result.")
    return out


def number(value, name="your answer"):
    """The reader's numeric answer as a float; NotYet if it is unfinished or not a finite number."""
    if _unfinished(value):
        raise NotYet(f"replace the `...` with {name}, then run the cell again.")
    if isinstance(value, (bool, str, bytes)):
        raise NotYet(f"{name} must be a number, got {value!r}.")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise NotYet(f"{name} must be a number, got {type(value).__name__}.") from None
    if not np.isfinite(x):
        raise NotYet(f"{name} must be a finite number, got {x}.")
    return x


def array(value, shape, name="your result"):
    """The reader's array as float64 with exactly ``shape``; NotYet otherwise (never broadcast)."""
    if _unfinished(value):
        raise NotYet(f"{name} is {value!r}: compute it and return an array of shape {shape}.")
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise NotYet(f"{name} must be an array of numbers, got {type(value).__name__}.") from None
    if a.shape != tuple(shape):
        raise NotYet(f"{name} has shape {a.shape}, expected {tuple(shape)}.")
    if not np.isfinite(a).all():
        raise NotYet(f"{name} contains NaN or inf.")
    return a


def judge(exercise_number, *answers, **options):
    """The Verdict of exercise ``exercise_number`` ("N.M") for the reader's ``answers``.

    options: keyword settings that a particular exercise takes (e.g. pairs to avoid).
    """
    if exercise_number not in JUDGES:
        raise ValueError(f"there is no exercise {exercise_number!r}; the book has {sorted(JUDGES)}")
    if not answers or any(a is Ellipsis for a in answers):
        return not_yet("replace the `...` with your answer, then run the cell again.")
    judge_fn = JUDGES[exercise_number]
    try:
        inspect.signature(judge_fn).bind(*answers, **options)
    except TypeError:
        wanted = ", ".join(p for p in inspect.signature(judge_fn).parameters)
        return not_yet(f"exercise {exercise_number} takes {wanted}: check(\"{exercise_number}\", {wanted}).")
    try:
        verdict = judge_fn(*answers, **options)
    except NotYet as why:
        return not_yet(str(why))
    if not isinstance(verdict, Verdict):
        raise TypeError(f"the judge of exercise {exercise_number} returned {verdict!r}, not a Verdict")
    return verdict


def check(exercise_number, *answers, **options):
    """Print the verdict on the reader's answer to exercise ``exercise_number`` ("N.M")."""
    print(judge(exercise_number, *answers, **options))
