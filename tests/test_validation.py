"""Bad input raises a clear ValueError (or TypeError) that names the argument; nothing broadcasts."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import structures as st

rng = np.random.default_rng(0)
T, B, D, H, K = 4, 2, 3, 5, 3
P = rc.init_rnn(D, H, K, rng)
X = rng.standard_normal((T, B, D))
Y = rng.integers(0, K, (T, B))


def with_(**changes):
    return dict(P, **changes)


@pytest.mark.parametrize("params, x, match", [
    (P, X[0], r"X must have shape \(\?, \?, 3\), got shape \(2, 3\)"),
    (P, X[:, :, :2], r"X must have shape \(\?, \?, 3\), got shape \(4, 2, 2\)"),
    (with_(U=P["U"][None]), X, r"U must have 2 dimensions, got shape \(1, 5, 3\)"),
    (with_(W=P["W"][:, :4]), X, r"W must have shape \(5, 5\), got shape \(5, 4\)"),
    (with_(W=P["W"][0]), X, r"W must have shape \(5, 5\), got shape \(5,\)"),
    (with_(b=np.zeros(4)), X, r"b must have shape \(5,\), got shape \(4,\)"),
    (with_(b=np.zeros((1, 5))), X, r"b must have shape \(5,\), got shape \(1, 5\)"),
])
def test_wrong_shapes_in_forward(params, x, match):
    with pytest.raises(ValueError, match=match):
        rc.rnn_forward(params, x)


def test_every_loss_names_what_is_missing_or_wrong():
    with pytest.raises(ValueError, match=r"params is missing \['V', 'c'\]"):
        rc.rnn_outputs({k: P[k] for k in "UWb"}, X)
    with pytest.raises(TypeError, match="residual must be True or False, got 'no'"):
        rc.rnn_forward(P, X, residual="no")


@pytest.mark.parametrize("make", [
    lambda: rc.init_rnn(D, H, K, rng, w_scale=np.nan),
    lambda: rc.init_rnn(D, H, K, rng, w_scale=-1.0),
    lambda: rc.init_lstm(D, H, K, rng, forget_bias=np.nan),
    lambda: rc.init_lstm(D, H, K, rng, forget_bias=np.inf),
])
def test_initialisers_refuse_non_finite_settings(make):
    with pytest.raises(ValueError, match="(w_scale|forget_bias) must be a finite number"):
        make()


def test_lstm_checks_both_initial_states():
    p = rc.init_lstm(D, H, K, rng)
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 5\), got shape \(5,\)"):
        rc.lstm_forward(p, X, h0=np.zeros(H))
    with pytest.raises(ValueError, match=r"c0 must have shape \(2, 5\)"):
        rc.lstm_forward(p, X, c0=np.zeros((1, H)))
    with pytest.raises(ValueError, match="h0 contains NaN"):
        rc.lstm_forward(p, X, h0=np.full((B, H), np.nan))


def test_jacobian_norms_refuse_a_batch():
    with pytest.raises(ValueError, match=r"X must hold one sequence, shape \(T, 1, D\); got shape \(4, 2, 3\)"):
        rc.gradflow.jacobian_norms(P, X)
    with pytest.raises(ValueError, match="X must hold one sequence"):
        rc.gradflow.backward_norms(P, X)


def test_sample_refuses_bad_settings():
    p = rc.init_rnn(4, 5, 4, rng)
    g = np.random.default_rng(0)
    for bad in (0.0, -1.0, np.nan):
        with pytest.raises(ValueError, match="temperature must be a finite number > 0"):
            rc.text.sample(rc.rnn.rnn_step, p, 0, 5, g, temperature=bad)
    for first in (4, -1, 1.5, True):
        with pytest.raises(ValueError, match=r"first_id must be an integer id in \[0, 3\]"):
            rc.text.sample(rc.rnn.rnn_step, p, first, 5, g)
    with pytest.raises(ValueError, match="input size D = 3 must equal the number of outputs K = 4"):
        rc.text.sample(rc.rnn.rnn_step, rc.init_rnn(3, 5, 4, rng), 0, 5, g)


def test_decode_refuses_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"ids must be integers in \[0, 2\]"):
        rc.text.decode([-1], ["a", "b", "c"])
    with pytest.raises(ValueError, match=r"ids must be integers in \[0, 2\]"):
        rc.text.decode([3], ["a", "b", "c"])


def test_wrong_V_and_c():
    with pytest.raises(ValueError, match=r"V must have shape \(\?, 5\), got shape \(3, 4\)"):
        rc.rnn_loss_and_grads(with_(V=P["V"][:, :4]), X, Y)
    with pytest.raises(ValueError, match=r"c must have shape \(3,\)"):
        rc.rnn_loss_and_grads(with_(c=np.zeros(2)), X, Y)


def test_wrong_s0():
    with pytest.raises(ValueError, match=r"s0 must have shape \(2, 5\), got shape \(5,\)"):
        rc.rnn_forward(P, X, s0=np.zeros(H))      # a (H,) state would broadcast silently
    with pytest.raises(ValueError, match=r"s0 must have shape \(2, 5\), got shape \(1, 5\)"):
        rc.rnn_forward(P, X, s0=np.zeros((1, H)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_X(bad):
    x = X.copy()
    x[1, 0, 2] = bad
    with pytest.raises(ValueError, match="X contains (NaN|inf)"):
        rc.rnn_forward(P, x)
    with pytest.raises(ValueError, match="X contains"):
        rc.lstm_forward(rc.init_lstm(D, H, K, rng), x)


def test_non_finite_parameter():
    with pytest.raises(ValueError, match="W contains NaN"):
        rc.rnn_forward(with_(W=np.full((H, H), np.nan)), X)


@pytest.mark.parametrize("labels, match", [
    (np.full((T, B), K), r"Y must hold class ids in \[0, 2\], got values from 3 to 3"),
    (np.full((T, B), -1), r"Y must hold class ids in \[0, 2\]"),
    (Y.astype(float), r"Y must hold integer class ids"),
    (Y[:, :1], r"Y must have shape \(4, 2\), got shape \(4, 1\)"),
    (Y[None], r"Y must have shape \(4, 2\)"),
])
def test_bad_labels(labels, match):
    with pytest.raises(ValueError, match=match):
        rc.rnn_loss_and_grads(P, X, labels)


def test_bad_targets_for_sigmoid_and_identity():
    with pytest.raises(ValueError, match=r"Y must hold targets in \[0, 1\]"):
        rc.rnn_loss_and_grads(P, X, np.full((T, B, K), 2.0), output="sigmoid")
    with pytest.raises(ValueError, match=r"Y must have shape \(4, 2, 3\)"):
        rc.rnn_loss_and_grads(P, X, np.zeros((T, B, 1)), output="identity")   # would broadcast


def test_unknown_activation_and_output():
    with pytest.raises(ValueError, match=r"activation must be one of .*'tanh'.*got 'softplus'"):
        rc.rnn_forward(P, X, activation="softplus")
    with pytest.raises(ValueError, match=r"output must be one of .*got 'softmax2'"):
        rc.rnn_loss_and_grads(P, X, Y, output="softmax2")


@pytest.mark.parametrize("k", [0, -3, 2.5, "10", True])
def test_truncate_must_be_positive_integer(k):
    with pytest.raises(ValueError, match=r"truncate must be a positive integer or None"):
        rc.rnn_loss_and_grads(P, X, Y, truncate=k)


@pytest.mark.parametrize("missing", ["U", "W", "b", "V", "c"])
def test_missing_parameter(missing):
    p = {k: v for k, v in P.items() if k != missing}
    with pytest.raises(ValueError, match=rf"params is missing \['{missing}'\]"):
        rc.rnn_loss_and_grads(p, X, Y)


def test_missing_lstm_parameter():
    p = rc.init_lstm(D, H, K, rng)
    del p["Wh"]
    with pytest.raises(ValueError, match=r"params is missing \['Wh'\]"):
        rc.lstm_loss_and_grads(p, X, Y)


def test_lstm_shapes():
    p = rc.init_lstm(D, H, K, rng)
    with pytest.raises(ValueError, match=r"Wh must have shape \(20, 5\)"):
        rc.lstm_forward(dict(p, Wh=p["Wh"][:, :4]), X)
    with pytest.raises(ValueError, match=r"not a multiple of 4"):
        rc.lstm_forward(dict(p, Wx=p["Wx"][:7]), X)


@pytest.mark.parametrize("value", [0, -1.0, np.nan, np.inf, "1"])
def test_clipping_threshold_must_be_positive(value):
    g = {"W": np.ones((2, 2))}
    with pytest.raises(ValueError, match="max_norm must be a (finite number > 0|number)"):
        rc.clip_by_global_norm(g, value)
    with pytest.raises(ValueError, match="threshold must be a (finite number > 0|number)"):
        rc.clip_by_value(g, value)


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        rc.init_rnn(D, H, K, 0)
    with pytest.raises(ValueError, match="init must be one of"):
        rc.init_rnn(D, H, K, rng, init="xavier")


def test_not_an_array():
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        rc.rnn_forward(P, "abc")
    with pytest.raises(TypeError, match="params must be a dict"):
        rc.rnn_forward([P], X)


def test_backward_checks_dS_shape():
    _, cache = rc.rnn_forward(P, X)
    with pytest.raises(ValueError, match=r"dS must have shape \(4, 2, 5\), got shape \(4, 5\)"):
        rc.rnn_backward(np.zeros((T, H)), cache)


def test_structures_check_keys():
    with pytest.raises(ValueError, match=r"params is missing"):
        st.birnn_loss_and_grads(P, X, Y)
    with pytest.raises(ValueError, match="cell must be one of"):
        st.many_to_one_loss_and_grads(P, X, Y[0], cell="gru")


def test_gru_shapes():
    p = rc.init_gru(D, H, K, rng)
    with pytest.raises(ValueError, match=r"bh must have shape \(15,\)"):
        rc.gru_forward(dict(p, bh=np.zeros(5)), X)
    with pytest.raises(ValueError, match=r"not a multiple of 3"):
        rc.gru_forward(dict(p, Wx=p["Wx"][:7]), X)
    with pytest.raises(ValueError, match=r"params is missing \['bx'\]"):
        rc.gru_loss_and_grads({k: v for k, v in p.items() if k != "bx"}, X, Y)
