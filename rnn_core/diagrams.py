"""Diagrams drawn in code: unrolled graphs, RNN structures and the LSTM cell (chapters 1-4).

Each function draws on a given Axes with plain matplotlib patches and text and returns
the Axes, so a figure is reproducible and a test can draw it headless.
"""
