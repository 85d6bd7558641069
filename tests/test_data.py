"""The shipped data match their data sheets, and the generators do what they promise."""
import re
from pathlib import Path

import numpy as np
import pytest

from rnn_core import data

DATA = Path(__file__).resolve().parent.parent / "data"
SHEET = (DATA / "README.md").read_text(encoding="utf-8")


def sheet_checksum(filename):
    section = SHEET.split(f"## {filename}")[1].split("\n## ")[0]
    return re.search(r"SHA-256\*\*:\s*`([0-9a-f]{64})`", section).group(1)


@pytest.mark.parametrize("filename", [data.SENTIMENT_FILE, *data.TEXTS.values()])
def test_checksums_match_the_data_sheet(filename):
    assert data.sha256(DATA / filename) == sheet_checksum(filename)


def test_the_package_reads_the_same_files():
    assert data.data_file(data.SENTIMENT_FILE).read_bytes() == (DATA / data.SENTIMENT_FILE).read_bytes()
    assert data.load_text("memory") == (DATA / "memory.txt").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="name must be one of"):
        data.load_text("shakespeare")


def test_sentiment_file_regenerates_byte_for_byte(tmp_path):
    data.write_sentiment(tmp_path / "s.tsv")
    assert (tmp_path / "s.tsv").read_bytes() == (DATA / data.SENTIMENT_FILE).read_bytes()


def test_sentiment_sizes_and_labels_follow_the_rule():
    train, test = data.load_sentiment("train"), data.load_sentiment("test")
    assert (len(train), len(test)) == (2400, 600)
    for text, label in train + test:
        assert label == label_of(text), text


def label_of(text):
    last = text.split(" but ")[-1].split()
    return int((last[-1] in data.POSITIVE) != ("not" in last))


def test_bag_of_words_cannot_solve_the_sentiment_task():
    """A sentence and its clause-swapped twin are equally likely and share a bag of words.

    When swapping flips the label, a bag-of-words model gets at most one of the two right,
    so its accuracy is at most 1 - (fraction of such sentences) / 2.
    """
    rows = data.make_sentiment(20000, np.random.default_rng(1))
    flips = 0
    for text, label in rows:
        if " but " in text:
            first, second = text.split(" but ")
            swapped = f"{second} but {first}"
            assert sorted(swapped.split()) == sorted(text.split())
            flips += label_of(swapped) != label
    bound = 1 - flips / len(rows) / 2
    assert bound < 0.9


def test_encode_sentences_left_pads():
    ids = data.encode_sentences(["the film was good", "the film was not good"])
    assert ids.shape == (5, 2)
    assert ids[0, 0] == 0 and ids[-1, 0] == data.SENTIMENT_VOCAB.index("good")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        data.encode_sentences(["the film was superb"])


def test_adding_problem():
    X, y = data.adding_problem(1000, 50, np.random.default_rng(0))
    assert X.shape == (50, 1000, 2) and y.shape == (1000, 1)
    markers = X[:, :, 1]
    assert np.all(markers.sum(axis=0) == 2)
    assert np.all(markers[:25].sum(axis=0) == 1) and np.all(markers[25:].sum(axis=0) == 1)
    np.testing.assert_allclose(y[:, 0], (X[:, :, 0] * markers).sum(axis=0))
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.02        # the baseline MSE


def test_delayed_recall():
    X, Y = data.delayed_recall(8, 12, 3, 4, np.random.default_rng(0))
    ids = X.argmax(axis=-1)
    assert X.shape == (12, 8, 5) and np.all(ids >= 1)
    assert np.all(Y[:3] == 0) and np.array_equal(Y[3:], ids[:-3])
    with pytest.raises(ValueError, match="delay must be smaller than T"):
        data.delayed_recall(2, 3, 3, 4, np.random.default_rng(0))


def test_generators_are_seeded():
    a = data.adding_problem(3, 10, np.random.default_rng(5))
    b = data.adding_problem(3, 10, np.random.default_rng(5))
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        data.adding_problem(3, 10, 5)
