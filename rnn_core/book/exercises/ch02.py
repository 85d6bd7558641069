"""Judges of the exercises of chapter 2 (RNN structures).

Each judge computes the expected answer independently (from the parameter dicts that
``rnn_core.structures`` builds, from an explicit loop written here, or from the task's
labelling rule re-implemented here).
"""
import numpy as np

from ._check import call, exercise, number, verdict
from ...data import NEGATIVE, NOUNS, POSITIVE
from ...rnn import rnn_outputs
from ...structures import init_deep_rnn, one_to_many_inputs


STRUCTURE_NAMES = ("one-to-one", "many-to-one", "one-to-many", "many-to-many",
                   "encoder-decoder", "bidirectional", "deep", "deep-bidirectional")



# --- 2.1: which structure? -----------------------------------------------------------

#: The tasks of exercise 2.1: key -> description.
EXERCISE_2_1_TASKS = {
    "a": "Decide whether a whole product review is positive or negative.",
    "b": "Compose a 32-note melody from one input: the name of a genre.",
    "c": "Translate a sentence into a language whose sentences have a different length and word order.",
    "d": "Flag, at every tick of a live sensor stream, whether the machine is failing right now (no waiting).",
    "e": "Tag every word of a finished sentence with its part of speech, where a word's tag can depend "
         "on the words that come after it.",
    "f": "Classify one photograph (a single fixed-size input) as cat or dog.",
}
_ANSWERS_2_1 = {
    "a": ({"many-to-one"}, "one label at the end"),
    "b": ({"one-to-many"}, "one input, many outputs"),
    "c": ({"encoder-decoder"}, "lengths differ"),
    "d": ({"many-to-many", "deep"}, "online, past only"),
    "e": ({"bidirectional", "deep-bidirectional"}, "needs the future"),
    "f": ({"one-to-one"}, "no sequence"),
}


@exercise("2.1")
def judge_2_1(answers):
    """answers: a dict {"a": structure name, ...} for the tasks in ``EXERCISE_2_1_TASKS``."""
    if not isinstance(answers, dict):
        return verdict(False, "", "Give a dict {'a': name, 'b': name, ...} with one structure name per task.")
    unfinished = [k for k in _ANSWERS_2_1 if answers.get(k) in (Ellipsis, None, "...")]
    if len(unfinished) == len(_ANSWERS_2_1):
        return verdict(False, "", "replace each `...` with one of the structure names printed above the tasks.")
    if unfinished:
        return verdict(False, "", f"replace the `...` of ({'), ('.join(unfinished)}) with a structure name.")
    wrong = []
    for key, (ok, why) in _ANSWERS_2_1.items():
        got = answers.get(key)
        if got not in STRUCTURE_NAMES:
            wrong.append(f"({key}) {got!r} is not one of {list(STRUCTURE_NAMES)}")
        elif got not in ok:
            wrong.append(f"({key}) not {got!r}: think about this one again")
    if wrong:
        return verdict(False, "", "; ".join(wrong) + ".")
    return verdict(True, "; ".join(f"({k}) {why}" for k, (_, why) in _ANSWERS_2_1.items()) + ".", "")


# --- 2.2: same bag of words, opposite labels -----------------------------------------

def _clause_label(words):
    """Polarity of one clause 'the NOUN was [not] [very] ADJ', or None if it is not one."""
    if len(words) < 4 or words[0] != "the" or words[1] not in NOUNS or words[2] != "was":
        return None
    middle, adj = words[3:-1], words[-1]
    if middle not in ([], ["not"], ["very"], ["not", "very"]) or adj not in POSITIVE + NEGATIVE:
        return None
    return int((adj in POSITIVE) != ("not" in middle))


def sentiment_label(text):
    """The label of a sentence of the task (the last clause's polarity), or None if invalid."""
    clauses = text.split(" but ")
    if len(clauses) > 2:
        return None
    labels = [_clause_label(c.split()) for c in clauses]
    return None if None in labels else labels[-1]


#: The chapter's own pair (section 2.5): moving "not" flips the label. Exercise 2.2 wants another.
CHAPTER_PAIR_2_2 = ("the film was not good but the plot was bad", "the film was good but the plot was not bad")


@exercise("2.2")
def judge_2_2(sentence_a, sentence_b, avoid=(CHAPTER_PAIR_2_2,)):
    """Two sentences of the task with the same bag of words and opposite labels.

    avoid: pairs the reader must not reuse (by default the chapter's own example).
    """
    if any(s in (None, "...") for s in (sentence_a, sentence_b)):
        return verdict(False, "", "replace each `...` with a sentence of the task, as a string.")
    if not all(isinstance(s, str) for s in (sentence_a, sentence_b)):
        return verdict(False, "", "give two sentences as strings.")
    la, lb = sentiment_label(sentence_a), sentiment_label(sentence_b)
    for s, lab in ((sentence_a, la), (sentence_b, lb)):
        if lab is None:
            return verdict(False, "", f"{s!r} is not a sentence of the task: one or two clauses "
                        "'the NOUN was [not] [very] ADJ' joined by ' but '.")
    if sorted(sentence_a.split()) != sorted(sentence_b.split()):
        return verdict(False, "", "The two sentences do not contain the same words the same number of times.")
    if la == lb:
        return verdict(False, "", f"Both sentences have label {la}. Move 'not', or swap the clauses.")
    if {sentence_a, sentence_b} in [set(p) for p in avoid]:
        return verdict(False, "", "That is the chapter's own pair; find a different one.")
    return verdict(True, f"Same bag of words, labels {la} and {lb}: only the order tells them apart.", "")


# --- 2.3: parameters of a deep bidirectional RNN -------------------------------------

@exercise("2.3")
def judge_2_3(n_params):
    """n_params(D, H, K, L): trainable numbers of an L-layer bidirectional RNN with a K-way head."""
    rng = np.random.default_rng(0)
    for D, H, K, L in [(1, 1, 1, 1), (3, 4, 2, 2), (23, 16, 2, 3), (5, 7, 11, 4)]:
        want = sum(a.size for a in init_deep_rnn(D, H, K, L, rng, bidirectional=True).values())
        got = number(call(n_params, D, H, K, L), f"n_params({D}, {H}, {K}, {L})")
        if got != want:
            return verdict(False, "", f"For D={D}, H={H}, K={K}, L={L} the network has {want} parameters, "
                        f"your function returned {got}. Layer 1 reads D inputs, every later layer reads 2H; "
                        "each direction has its own U, W and b, and V reads 2H numbers.")
    return verdict(True, "2H(D + H + 1) for layer 1, 2H(2H + H + 1) for each later layer, K(2H + 1) for the head.",
                "")


# --- 2.4: one-to-many with the output fed back ---------------------------------------

def exercise_2_4_setup(seed=1):
    """A small RNN whose inputs are its own outputs: returns (params, x) with x (3, 5) one-hot.

    D = K = 5 (the input is a one-hot symbol), H = 8.
    """
    rng = np.random.default_rng(seed)
    H, K = 8, 5
    params = dict(U=rng.normal(0, 0.8, (H, K)), W=rng.normal(0, 0.5, (H, H)), b=rng.normal(0, 0.1, H),
                  V=rng.normal(0, 0.8, (K, H)), c=rng.normal(0, 0.1, K))
    return params, np.eye(K)[[0, 2, 4]]


def _generate_loop(params, x, T):
    """s_t = tanh(U x_t + W s_{t-1} + b), id_t = argmax(V s_t + c), x_{t+1} = one-hot(id_t)."""
    K = params["V"].shape[0]
    s = np.zeros((x.shape[0], params["W"].shape[0]))
    ids = np.empty((T, x.shape[0]), dtype=np.int64)
    for t in range(T):
        s = np.tanh(x @ params["U"].T + s @ params["W"].T + params["b"])
        ids[t] = np.argmax(s @ params["V"].T + params["c"], axis=1)
        x = np.eye(K)[ids[t]]
    return ids


@exercise("2.4")
def judge_2_4(generate):
    """generate(params, x, T) -> ids (T, B): the symbols emitted when each output is the next input."""
    params, x = exercise_2_4_setup()
    T = 7
    want = _generate_loop(params, x, T)
    got = np.asarray(call(generate, {k: v.copy() for k, v in params.items()}, x.copy(), T))
    if got.shape != want.shape:
        return verdict(False, "", f"Expected ids of shape {want.shape} (T, B), got {got.shape}.")
    if np.array_equal(got, want):
        return verdict(True, f"The three sequences are {want.T.tolist()}.", "")
    zeros_after = np.argmax(rnn_outputs(params, one_to_many_inputs(x, T)), axis=2)
    if np.array_equal(got, zeros_after):
        return verdict(False, "", "These are the outputs with zero inputs after step 1 (the chapter's one-to-many). "
                    "Here the one-hot of each output must be the next input.")
    first = int(np.argmax(got[:, 0] != want[:, 0])) + 1 if (got[:, 0] != want[:, 0]).any() else None
    return verdict(False, "", "Your symbols differ from the expected ones"
                + (f" first at step {first} of sequence 1" if first else "") +
                ". Step t reads x_t, updates s_t, emits id_t = argmax(V s_t + c); x_{t+1} is the one-hot of id_t.")
