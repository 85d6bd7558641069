"""The exercises' self-checks: ``book.exercises.check("N.M", answer)`` prints a verdict.

The shared machinery (``check``, ``judge``, the verdicts, ``call`` for a reader's function) is
in ``_check``; each chapter's module registers its judges. A judge computes the expected answer
on its own, never with the function it checks.
"""
from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08  # noqa: F401  (each registers its judges)
from ._check import JUDGES, Verdict, check, judge
