"""rnn_core.truncation and its plot, against a brute-force computation of its own.

The brute force never calls rnn_core's backward pass: the exact gradient is a central
difference of a plain forward loop, and the k-step truncated gradient is a central
difference of the same loss with the state s_{t-k} that enters L_t's window frozen at its
unperturbed value (that is what "L_t sends its gradient back through k steps" means).
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_core as rc  # noqa: E402
from rnn_core import truncation  # noqa: E402
from rnn_core.plots import plot_truncation_errors  # noqa: E402

ACT = {"tanh": np.tanh, "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2))}


def plain_states(p, X, act):
    out = [np.zeros((X.shape[1], p["W"].shape[0]))]
    for x in X:
        out.append(ACT[act](x @ p["U"].T + out[-1] @ p["W"].T + p["b"]))
    return out


def step_loss(p, s, y):
    z = s @ p["V"].T + p["c"]
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].sum() / len(y)


def brute_loss(p, p0, X, Y, k, act):
    """Σ_t L_t where L_t's window starts from s_{t-k} under p0 (k=None: no freezing)."""
    frozen = plain_states(p0, X, act)
    total = 0.0
    for t in range(1, len(X) + 1):
        start = 0 if k is None else max(t - k, 0)
        s = frozen[start]                      # s_0 = 0 either way
        for j in range(start, t):
            s = ACT[act](X[j] @ p["U"].T + s @ p["W"].T + p["b"])
        total += step_loss(p, s, Y[t - 1])
    return total


def brute_gradient(p0, X, Y, k, act):
    p = {name: p0[name].copy() for name in p0}
    g = rc.numerical_gradient(lambda q: brute_loss(q, p0, X, Y, k, act), p, keys=list(truncation.RECURRENT))
    return np.concatenate([g[name].ravel() for name in truncation.RECURRENT])


@pytest.mark.parametrize("activation, scale", [("tanh", 1.5), ("tanh", 0.8), ("sigmoid", 4.0)])
def test_errors_match_brute_force(activation, scale):
    T, H, B, ks = 7, 3, 2, [1, 2, 3, 5]
    p0, X, Y = truncation.make_problem(scale, T=T, hidden_size=H, batch_size=B, seed=3)
    full = brute_gradient(p0, X, Y, None, activation)
    expected = np.array([rc.relative_error(brute_gradient(p0, X, Y, k, activation), full) for k in ks])
    assert expected.min() > 1e-4           # large enough for finite differences to resolve
    got = truncation.truncation_errors(ks, scale, T=T, activation=activation, hidden_size=H, batch_size=B, seed=3)
    np.testing.assert_allclose(got, expected, rtol=1e-4)


def test_exact_for_k_at_least_T():
    errors = truncation.truncation_errors([8, 9, 50], 1.2, T=8)
    assert np.all(errors == 0.0)
    assert truncation.truncation_errors([7], 1.2, T=8)[0] > 0.0


def test_longer_memory_means_larger_error():
    ks = np.array([10])
    small, large = (truncation.truncation_errors(ks, s)[0] for s in (0.5, 1.5))
    assert small < 1e-2 < large


def test_make_problem_scale_is_sigma_max():
    p, X, Y = truncation.make_problem(2.5, T=5, hidden_size=6, batch_size=3)
    assert np.isclose(np.linalg.norm(p["W"], 2), 2.5)
    assert X.shape == (5, 3, 4) and Y.shape == (5, 3)


@pytest.mark.parametrize("bad", [[0, 1], [1.5, 2.0], [], [[1, 2]]])
def test_rejects_bad_k_values(bad):
    with pytest.raises(ValueError, match="k_values"):
        truncation.truncation_errors(bad, 1.0, T=5)


def test_rejects_bad_activation_and_scale():
    with pytest.raises(ValueError, match="activation"):
        truncation.truncation_errors([1], 1.0, activation="softplus")
    with pytest.raises(ValueError, match="scale"):
        truncation.truncation_errors([1], -1.0)


def test_plot_truncation_errors_headless():
    ks = np.arange(1, 6)
    errors = np.array([[0.5, 0.1, 0.01, 1e-3, 0.0], [0.9, 0.8, 0.7, 0.6, 0.5]])
    fig, ax = plt.subplots()
    plot_truncation_errors(ax, ks, errors, ["a", "b"], k=3, title="t")
    assert ax.get_yscale() == "log"
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(lab.startswith("10") and "$" not in lab for lab in labels)   # no mathtext
    assert ax.get_xlabel() and ax.get_ylabel()
    curves = [ln for ln in ax.get_lines() if ln.get_label() in ("a", "b")]
    assert len(curves) == 2 and np.isnan(curves[0].get_ydata()[-1])   # the exact zero is not drawn
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert [d.get_ydata()[0] for d in dots] == [0.01, 0.7]
    assert ax.get_legend() is not None
    fig2, ax2 = plt.subplots()
    plot_truncation_errors(ax2, ks, errors, ["a", "b"], legend_loc=None)
    assert ax2.get_legend() is None
    plt.close(fig2)
    with pytest.raises(ValueError, match="errors must have shape"):
        plot_truncation_errors(ax, ks, errors, ["only one"])
    plt.close(fig)
