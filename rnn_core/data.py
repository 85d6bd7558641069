"""The book's data: seeded generators for synthetic tasks and loaders for the shipped files.

Nothing is downloaded. Every generator takes an explicit ``rng``. The shipped files live in the
repository's ``data/`` folder, which is also the package ``rnn_core.datasets``: they are read with
``importlib.resources``, so they load the same from a source checkout, an editable install or a
wheel. data/README.md describes each file, with its checksum and how it was made.
"""
import hashlib
from importlib import resources
from pathlib import Path

import numpy as np

from ._validate import check_choice, check_positive_int, check_rng


def data_file(name):
    """The shipped file ``name`` (e.g. "sentiment.tsv") as a readable resource (a Traversable)."""
    path = resources.files("rnn_core.datasets") / name
    if not path.is_file():
        raise ValueError(f"the book ships no data file {name!r}")
    return path


# --- the adding problem --------------------------------------------------------------

def adding_problem(batch_size, T, rng):
    """The adding problem (Hochreiter & Schmidhuber 1997), in the form of Le et al. 2015.

    Each step has two inputs: a value u_t ~ Uniform(0, 1) and a marker m_t ∈ {0, 1}.
    Exactly two markers are 1, one in the first half and one in the second half.
    The target is the sum of the two marked values. Predicting the mean, 1, gives
    MSE = Var(u + u') = 1/6 ≈ 0.167: the baseline a model must beat.
    Returns X (T, B, 2) and y (B, 1), B = batch_size.
    """
    n, T = check_positive_int("batch_size", batch_size), check_positive_int("T", T)
    if T < 2:
        raise ValueError(f"T must be at least 2 for two markers, got {T}")
    check_rng(rng)
    X = np.zeros((T, n, 2))
    X[:, :, 0] = rng.uniform(0.0, 1.0, (T, n))
    half = T // 2
    first = rng.integers(0, half, n)
    second = rng.integers(half, T, n)
    cols = np.arange(n)
    X[first, cols, 1] = 1.0
    X[second, cols, 1] = 1.0
    y = (X[first, cols, 0] + X[second, cols, 0])[:, None]
    return X, y


# --- delayed recall ------------------------------------------------------------------

def delayed_recall(batch_size, T, delay, n_symbols, rng):
    """Output at step t the symbol that was read at step t - delay (many-to-many).

    Inputs are symbols 1..n_symbols, one-hot in n_symbols + 1 dimensions (dimension 0 is
    never used as input). For t <= delay there is nothing to recall yet and the target is
    class 0. A model must hold each symbol for exactly ``delay`` steps, so this is the
    smallest task where memory over several steps is essential.
    Returns X (T, B, n_symbols + 1) one-hot and Y (T, B) integer class ids, B = batch_size.
    """
    n, T = check_positive_int("batch_size", batch_size), check_positive_int("T", T)
    delay, V = check_positive_int("delay", delay), check_positive_int("n_symbols", n_symbols)
    if delay >= T:
        raise ValueError(f"delay must be smaller than T = {T}, got {delay}")
    check_rng(rng)
    ids = rng.integers(1, V + 1, (T, n))
    Y = np.zeros((T, n), dtype=np.int64)
    Y[delay:] = ids[:-delay]
    return one_hot(ids, V + 1), Y


def one_hot(ids, n_classes):
    """One-hot vectors for integer ids of any shape: returns ids.shape + (n_classes,)."""
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        raise ValueError(f"ids must be integers, got dtype {ids.dtype}")
    n_classes = check_positive_int("n_classes", n_classes)
    if ids.size and (ids.min() < 0 or ids.max() >= n_classes):
        raise ValueError(f"ids must lie in [0, {n_classes - 1}], got values from {ids.min()} to {ids.max()}")
    return np.eye(n_classes)[ids]


# --- the sentiment task --------------------------------------------------------------

NOUNS = ("film", "plot", "acting", "music", "ending", "story", "cast")
POSITIVE = ("good", "great", "fun", "clever", "moving")
NEGATIVE = ("bad", "dull", "boring", "weak", "silly")
PAD = "<pad>"
SENTIMENT_VOCAB = (PAD, "the", "was", "not", "very", "but") + NOUNS + POSITIVE + NEGATIVE
SENTIMENT_SEED = 2026
P_POSITIVE = 0.5       # a clause's adjective is positive
P_NOT = 0.5            # a clause is negated with "not"
P_VERY = 0.3           # a clause has "very"
P_TWO_CLAUSES = 0.6    # a sentence has two clauses joined by "but"
SENTIMENT_FILE = "sentiment.tsv"


def _clause(rng):
    """'the NOUN was [not] [very] ADJ' and its polarity (1 positive, 0 negative)."""
    positive = rng.random() < P_POSITIVE
    negated = rng.random() < P_NOT
    words = ["the", str(rng.choice(NOUNS)), "was"]
    if negated:
        words.append("not")
    if rng.random() < P_VERY:
        words.append("very")
    words.append(str(rng.choice(POSITIVE if positive else NEGATIVE)))
    return words, int(positive != negated)


def make_sentiment(n_sentences, rng):
    """``n_sentences`` sentences and labels of the book's tiny sentiment task (chapter 2).

    A sentence is one clause, or two joined by "but"; a clause is
    "the NOUN was [not] [very] ADJ". The label is the polarity of the *last* clause,
    with "not" flipping its adjective. Swapping the clauses, or moving "not" from one
    clause to the other, keeps the bag of words and can flip the label, so no
    bag-of-words model can solve the task: order matters.
    Returns a list of (text, label) pairs.
    """
    n = check_positive_int("n_sentences", n_sentences)
    check_rng(rng)
    out = []
    for _ in range(n):
        words, label = _clause(rng)
        if rng.random() < P_TWO_CLAUSES:
            second, label = _clause(rng)
            words = words + ["but"] + second
        out.append((" ".join(words), label))
    return out


def write_sentiment(path, n_train=2400, n_test=600, rng=None):
    """Write the shipped TSV (split, label, text) from ``make_sentiment``.

    rng: the Generator to draw from; None means ``np.random.default_rng(SENTIMENT_SEED)``,
    which writes the shipped file byte for byte.
    """
    rng = np.random.default_rng(SENTIMENT_SEED) if rng is None else check_rng(rng)
    rows = [("train", *r) for r in make_sentiment(n_train, rng)] + [("test", *r) for r in make_sentiment(n_test, rng)]
    text = "split\tlabel\ttext\n" + "".join(f"{s}\t{label}\t{t}\n" for s, t, label in rows)
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def sha256(path):
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_sentiment(split="train"):
    """The shipped sentiment data: a list of (text, label) pairs for 'train' or 'test'."""
    check_choice("split", split, ("train", "test"))
    lines = data_file(SENTIMENT_FILE).read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t") for line in lines]
    return [(text, int(label)) for s, label, text in rows if s == split]


def encode_sentences(texts, vocab=SENTIMENT_VOCAB, length=None):
    """Token ids (T, B), left-padded with the id of '<pad>' (0) to a common length T.

    Left padding keeps every sentence's last word at the last step, where a
    many-to-one model reads its answer.
    """
    index = {w: i for i, w in enumerate(vocab)}
    tokens = [t.split() for t in texts]
    unknown = sorted({w for ws in tokens for w in ws if w not in index})
    if unknown:
        raise ValueError(f"texts contain words outside the vocabulary: {unknown[:5]}")
    T = max(len(ws) for ws in tokens) if length is None else check_positive_int("length", length)
    if any(len(ws) > T for ws in tokens):
        raise ValueError(f"a sentence is longer than length={T}")
    ids = np.zeros((T, len(tokens)), dtype=np.int64)
    for b, ws in enumerate(tokens):
        ids[T - len(ws):, b] = [index[w] for w in ws]
    return ids


# --- texts for character-level models ------------------------------------------------

TEXTS = {"memory": "memory.txt", "pride_and_prejudice": "pride_and_prejudice.txt"}


def load_text(name="memory"):
    """A shipped English text as one string: "memory" (chapter 6's short text, 3 KB) or
    "pride_and_prejudice" (Jane Austen's novel, chapter 8's corpus, 685 KB)."""
    return data_file(TEXTS[check_choice("name", name, TEXTS)]).read_text(encoding="utf-8")
