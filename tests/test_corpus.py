"""The shipped novel for chapter 8 matches its data sheet (data/README.md).

Nothing is downloaded here: `python tools/make_corpus.py --check` re-extracts the text
from its Debian package and compares it with the shipped file.
"""
import hashlib
import math
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS = DATA / "pride_and_prejudice.txt"


@pytest.fixture(scope="module")
def sheet():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    return text.split(f"## {CORPUS.name}")[1].split("\n## ")[0]


@pytest.fixture(scope="module")
def raw():
    return CORPUS.read_bytes()


@pytest.fixture(scope="module")
def text(raw):
    return raw.decode("utf-8")            # strict: fails on invalid UTF-8


def number(pattern, sheet):
    return int(re.search(pattern, sheet).group(1).replace(",", ""))


def test_sha256_matches_the_data_sheet(raw, sheet):
    stated = re.search(r"\*\*SHA-256\*\*:\s*`([0-9a-f]{64})`", sheet).group(1)
    assert hashlib.sha256(raw).hexdigest() == stated


def test_at_least_200_kb(raw):
    assert len(raw) >= 200 * 1024


def test_utf8_with_unix_line_endings(raw, text):
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_sizes_and_vocabulary_are_as_stated(raw, text, sheet):
    assert len(raw) == number(r"\*\*Size\*\*:\s*([\d,]+) bytes", sheet)
    assert len(text) == number(r"bytes, ([\d,]+) characters", sheet)
    assert len(set(text)) == number(r"\*\*Vocabulary\*\*:\s*(\d+) distinct characters", sheet)


def test_unigram_baseline_is_as_stated(text, sheet):
    cut = number(r"split at character ([\d,]+)", sheet)
    assert cut == int(0.9 * len(text))
    train, held_out = text[:cut], text[cut:]
    counts, vocab = Counter(train), len(set(text))
    bits = -sum(math.log2((counts[c] + 1) / (len(train) + vocab)) for c in held_out) / len(held_out)
    stated = float(re.search(r"scores (\d\.\d{3}) bits per character", sheet).group(1))
    assert round(bits, 3) == stated
