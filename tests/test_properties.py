"""Property tests (hypothesis): shapes and invariants hold for any sizes."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

import rnn_core as rc
from rnn_core import structures as sts

sizes = st.integers(1, 5)
settings.register_profile("book", max_examples=40, deadline=None, derandomize=True)  # the same cases every run
settings.load_profile("book")


@given(T=sizes, B=sizes, D=sizes, H=sizes, K=st.integers(2, 5), seed=st.integers(0, 10**6),
       activation=st.sampled_from(rc.ACTIVATIONS), output=st.sampled_from(rc.OUTPUTS))
def test_rnn_shapes(T, B, D, H, K, seed, activation, output):
    rng = np.random.default_rng(seed)
    p = rc.init_rnn(D, H, K, rng)
    X = rng.standard_normal((T, B, D))
    S, cache = rc.rnn_forward(p, X, activation)
    assert S.shape == (T + 1, B, H) and np.all(S[0] == 0)
    Y = rng.integers(0, K, (T, B)) if output == "softmax" else rng.uniform(0, 1, (T, B, K))
    loss, grads, _ = rc.rnn_loss_and_grads(p, X, Y, activation, output)
    assert np.isfinite(loss)
    assert {k: g.shape for k, g in grads.items()} == {k: v.shape for k, v in p.items()}
    assert rc.rnn_outputs(p, X, activation, output).shape == (T, B, K)


@given(T=sizes, B=sizes, k=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_truncated_gradient_shapes_and_exactness(T, B, k, seed):
    rng = np.random.default_rng(seed)
    p = rc.init_rnn(2, 3, 2, rng)
    X, Y = rng.standard_normal((T, B, 2)), rng.integers(0, 2, (T, B))
    exact = rc.rnn_loss_and_grads(p, X, Y).grads
    trunc = rc.rnn_loss_and_grads(p, X, Y, truncate=k).grads
    assert all(trunc[n].shape == exact[n].shape for n in exact)
    if k >= T:
        assert all(np.allclose(trunc[n], exact[n], rtol=1e-12, atol=1e-14) for n in exact)


@given(B=sizes, seed=st.integers(0, 10**6))
def test_batch_rows_are_independent(B, seed):
    """Running a batch equals running each sequence alone: no mixing across rows."""
    rng = np.random.default_rng(seed)
    p = rc.init_rnn(3, 4, 2, rng)
    X = rng.standard_normal((5, B, 3))
    S, _ = rc.rnn_forward(p, X)
    for b in range(B):
        Sb, _ = rc.rnn_forward(p, X[:, b:b + 1])
        np.testing.assert_allclose(Sb[:, 0], S[:, b], rtol=1e-13, atol=1e-15)


@given(T=sizes, B=sizes, D=sizes, H=sizes, seed=st.integers(0, 10**6))
def test_lstm_shapes_and_bounds(T, B, D, H, seed):
    rng = np.random.default_rng(seed)
    p = rc.init_lstm(D, H, 2, rng)
    Hs, Cs, cache = rc.lstm_forward(p, 3 * rng.standard_normal((T, B, D)))
    assert Hs.shape == Cs.shape == (T + 1, B, H) and cache["gates"].shape == (T, B, 4 * H)
    assert np.all(np.abs(Hs) < 1)                     # h = ω ⊙ tanh(c) lies in (-1, 1)
    assert np.all(np.abs(Cs[1:]) <= np.abs(Cs[:-1]) + 1)   # |c_t| <= f |c_{t-1}| + i |c̃| < |c_{t-1}| + 1


@given(T=sizes, B=sizes, D=sizes, H=sizes, layers=st.integers(1, 3), bi=st.booleans(), seed=st.integers(0, 10**6))
def test_deep_shapes(T, B, D, H, layers, bi, seed):
    rng = np.random.default_rng(seed)
    p = sts.init_deep_rnn(D, H, 2, layers, rng, bidirectional=bi)
    top, caches = sts.deep_rnn_forward(p, rng.standard_normal((T, B, D)), layers, bidirectional=bi)
    assert top.shape == (T, B, 2 * H if bi else H) and len(caches) == layers


@given(seed=st.integers(0, 10**6), scale=st.floats(0.01, 100.0))
@example(seed=0, scale=0.5)          # with seed 0 the global norm is 1.99 × scale: just below,
@example(seed=0, scale=0.51)         # and just above the threshold 1
def test_clip_by_global_norm_properties(seed, scale):
    rng = np.random.default_rng(seed)
    g = {"U": scale * rng.standard_normal((3, 2)), "b": scale * rng.standard_normal(3)}
    clipped, norm = rc.clip_by_global_norm(g, 1.0)
    assert np.isclose(norm, np.sqrt(sum(np.sum(v ** 2) for v in g.values())))
    assert rc.global_norm(clipped) <= 1.0 + 1e-12
    ratio = clipped["U"] / g["U"]                     # one common factor: the direction is kept
    assert np.allclose(ratio, ratio.flat[0]) and np.allclose(clipped["b"] / g["b"], ratio.flat[0])
