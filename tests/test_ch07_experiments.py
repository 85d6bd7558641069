"""rnn_core.experiments: the many-to-one step (exact and truncated), the adding runs, clipping."""
import numpy as np
import pytest

import rnn_core as rc
from rnn_core import experiments as ex
from rnn_core.structures import many_to_one_loss_and_grads


def _small(model="rnn-orthogonal", T=12, B=3, H=5, seed=0):
    rng = np.random.default_rng(seed)
    p = ex.adding_model(model, H, rng)
    if model != "lstm":
        p["V"] = rng.standard_normal(p["V"].shape)           # a real signal through the output
    X, y = rc.data.adding_problem(B, T, rng)
    return p, X, y


@pytest.mark.parametrize("model", list(ex.MODELS))
def test_step_matches_structures_and_finite_differences(model):
    p, X, y = _small(model)
    cell, act, _ = ex.MODELS[model]
    loss, grads = ex.many_to_one_step(p, X, y, model)
    ref_loss, ref = many_to_one_loss_and_grads(p, X, y, activation=act or "tanh", output="identity", cell=cell)
    assert loss == ref_loss
    err = rc.gradient_check(lambda q: ex.many_to_one_step(q, X, y, model), p)
    assert err < 1e-6, err


@pytest.mark.parametrize("model", ["rnn-pytorch", "rnn-orthogonal"])
def test_truncated_step(model):
    p, X, y = _small(model, T=12)
    T, k = X.shape[0], 4
    exact_loss, exact = ex.many_to_one_step(p, X, y, model)
    loss, grads = ex.many_to_one_step(p, X, y, model, truncate=k)
    assert np.isclose(loss, exact_loss, rtol=1e-13)
    same = ex.many_to_one_step(p, X, y, model, truncate=T)[1]
    assert all(np.allclose(same[n], exact[n], rtol=1e-12, atol=1e-15) for n in exact)
    # Independent: finite differences of the loss restarted k steps back from a frozen state.
    S, _ = rc.rnn_forward(p, X, activation="tanh")
    frozen = S[T - k].copy()

    def detached(q):
        s = frozen
        for t in range(T - k, T):
            s = np.tanh(X[t] @ q["U"].T + s @ q["W"].T + q["b"])
        o = s @ q["V"].T + q["c"]
        return 0.5 * np.mean(np.sum((o - y) ** 2, axis=1))

    num = rc.numerical_gradient(detached, p)
    for n in p:
        assert rc.relative_error(grads[n], num[n]) < 1e-6, n
    with pytest.raises(ValueError, match="truncate needs an RNN"):
        ex.many_to_one_step(ex.adding_model("lstm", 4, np.random.default_rng(0)), X, y, "lstm", truncate=3)


def test_mse_is_twice_the_loss_for_one_output():
    p, X, y = _small("lstm")
    loss, _ = ex.many_to_one_step(p, X, y, "lstm")
    assert np.isclose(ex.test_mse(p, X, y, "lstm"), 2 * loss, rtol=1e-12)


def test_adding_curves_shapes_baseline_and_progress(capsys):
    r = ex.adding_curves("rnn-pytorch", T=10, hidden_size=4, n_steps=30, eval_every=10, n_test=50, log_every=15, seed=3)
    assert list(r["step"]) == [0, 10, 20, 30]
    assert r["test_mse"].shape == (4,) and np.all(np.isfinite(r["test_mse"]))
    _, yt = rc.data.adding_problem(50, 10, np.random.default_rng(3 + 10_000))
    assert np.isclose(r["baseline"], np.mean((yt - 1) ** 2))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "step    15" in lines[0] and "test MSE" in lines[0]
    again = ex.adding_curves("rnn-pytorch", T=10, hidden_size=4, n_steps=30, eval_every=10, n_test=50, seed=3)
    assert np.array_equal(again["test_mse"], r["test_mse"])            # seeded: reproducible


def test_clipping_run_explodes_without_clipping_and_clipping_tames_it():
    none = ex.clipping_run("none", n_steps=60)
    norm = ex.clipping_run("norm", 0.1, n_steps=60)
    value = ex.clipping_run("value", 0.01, n_steps=60)
    assert none["mse"][0] == norm["mse"][0] == value["mse"][0]           # same start, same batch
    assert none["grad_norm"].max() > 1e3 * none["grad_norm"][0]           # it really explodes
    assert none["mse"].max() > 100 * none["mse"][0]
    assert norm["mse"].max() < 2 * norm["mse"][0]
    assert norm["mse"][-10:].mean() < none["mse"][-10:].mean()
    huge = ex.clipping_run("norm", 1e12, n_steps=60)                       # never active
    assert np.array_equal(huge["mse"], none["mse"])
    with pytest.raises(ValueError):
        ex.clipping_run("sometimes", 1.0)


def test_clipping_runs_keys():
    runs = ex.clipping_runs([0.1, 1.0], n_steps=5)
    assert set(runs) == {("none", None), ("value", 0.1), ("norm", 0.1), ("value", 1.0), ("norm", 1.0)}
    assert all(len(r["mse"]) == 5 for r in runs.values())


def test_lookback_share():
    norms = np.array([1.0, 2.0, 3.0, 4.0])
    assert np.isclose(ex.lookback_share(norms, steps=2), 3.0 / 10.0)
    assert ex.lookback_share(np.zeros(4), steps=2) == 0.0
    assert ex.lookback_share(norms, steps=4) == 0.0
