"""The book's teaching aids, beside the numerical core: plots, diagrams, widgets, exercise
checks and the chapters' experiments. ``from rnn_core import book`` makes every module an
attribute: book.plots, book.diagrams, book.widgets, book.exercises, book.experiments,
book.char_lm (chapter 8).

This layer imports the core; the core never imports it. It needs matplotlib and ipywidgets.
"""
from . import char_lm, diagrams, exercises, experiments, plots, widgets
