"""Shared fixtures for the unit tests: figures are drawn headless with Agg."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def figure_size():
    """The size of the ``ax`` fixture's figure; a test module may override it."""
    return (6.4, 4.0)


@pytest.fixture
def ax(figure_size):
    """A fresh Axes on its own figure, closed after the test."""
    fig, ax = plt.subplots(figsize=figure_size)
    yield ax
    plt.close(fig)
