"""The book's teaching aids, beside the numerical core: plots, diagrams, widgets, exercise
checks and the chapters' experiments. ``from rnn_core import book`` makes every module an
attribute: book.plots, book.diagrams, book.widgets, book.exercises, book.experiments.

This layer imports the core; the core never imports it. It needs matplotlib and ipywidgets.
"""
from . import diagrams, exercises, experiments, plots, widgets
