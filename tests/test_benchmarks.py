"""The benchmark's two sides compute the same thing (benchmarks/workloads.py).

Speed is measured by benchmarks/run_all.py, never here. What a test can check is that each
workload's reference and rnn_core side, started from the same weights on the same data, give
the same losses: otherwise a ratio would compare different work.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import workloads  # noqa: E402


@pytest.fixture(scope="module")
def corpus():
    return workloads.corpus_ids()


def test_min_char_rnn_and_rnn_core_take_the_same_first_steps(corpus):
    w = workloads.CharRNNBatch1(*corpus)
    # the same weights, the same chunks (one-hot for the reference, ids for rnn_core), the same
    # Adagrad and clipping: three updates agree to rounding
    ref, core = w.reference(3), w.rnn_core(3)
    assert ref == pytest.approx(core, rel=1e-12)
    assert w.chunks.one_hot is False


def test_the_pytorch_sides_start_from_the_same_loss(corpus):
    pytest.importorskip("torch")
    for cls in (workloads.CharRNNBatch32, workloads.LSTMAdding):
        w = cls(*corpus)
        # one update each: the loss of the first one is computed before any weight changes
        assert w.reference(1) == pytest.approx(w.rnn_core(1), rel=1e-12), cls.__name__
