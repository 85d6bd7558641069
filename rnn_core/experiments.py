"""Small training experiments of chapter 7: the adding problem and gradient clipping.

Each function trains from an explicit seed and returns plain arrays, so a notebook can
plot them, a widget can index them and a test can check them.

    adding_model(model, hidden_size, rng)            parameters for one of MODELS
    many_to_one_step(params, X, y, model, truncate)  loss and gradients, optionally truncated
    test_mse(params, X, y, model)                    mean (ŷ - y)² on a test set
    adding_curves(model, ...)                        test MSE against the update step
    clipping_run(mode, threshold, ...)               training loss with or without clipping
    clipping_runs(thresholds, ...)                   every (mode, threshold) of a slider at once
    lookback_share(norms, steps)                     share of ‖∂L_T/∂s_k‖ beyond ``steps`` back
"""
import numpy as np

from ._validate import check_choice, check_positive_float, check_positive_int
from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .data import adding_problem
from .lstm import init_lstm
from .optim import SGD, Adam
from .rnn import init_rnn
from .structures import many_to_one_logits, many_to_one_loss_and_grads

#: model name -> (cell, hidden activation, init of W)
MODELS = {
    "lstm": ("lstm", None, None),
    "rnn-pytorch": ("rnn", "tanh", "pytorch"),        # W ~ Uniform(-1/√H, 1/√H)
    "rnn-orthogonal": ("rnn", "tanh", "orthogonal"),  # W random orthogonal, σ_max = 1
    "irnn": ("rnn", "relu", "identity"),              # W = I with ReLU (Le et al. 2015)
}


def adding_model(model, hidden_size, rng, w_scale=1.0):
    """Initial parameters of ``model`` (a key of MODELS) for the adding problem (D = 2, K = 1)."""
    check_choice("model", model, MODELS)
    cell, _, init = MODELS[model]
    if cell == "lstm":
        return init_lstm(2, hidden_size, 1, rng, forget_bias=1.0)
    return init_rnn(2, hidden_size, 1, rng, init=init, w_scale=w_scale)


def many_to_one_step(params, X, y, model, truncate=None):
    """Squared-error loss ½‖o_T - y‖² (batch mean) of a many-to-one model and its gradients.

    truncate=k (RNNs only) lets the gradient of the one loss at step T reach back through
    k steps, s_T .. s_{T-k+1}, as the source's RNN2 does; None is exact BPTT.
    Returns (loss, grads).
    """
    check_choice("model", model, MODELS)
    cell, act, _ = MODELS[model]
    if truncate is not None and cell != "rnn":
        raise ValueError(f"truncate needs an RNN model, got model={model!r}")
    return many_to_one_loss_and_grads(params, X, y, activation=act or "tanh", output="identity", cell=cell,
                                      truncate=truncate)


def test_mse(params, X, y, model):
    """Mean squared error mean((ŷ - y)²) of the predictions on a test set."""
    cell, act, _ = MODELS[check_choice("model", model, MODELS)]
    pred = many_to_one_logits(params, X, activation=act or "tanh", cell=cell)
    return float(np.mean((pred - y) ** 2))


def adding_curves(model, T=50, hidden_size=16, n_steps=600, lr=0.01, batch=32, clip_norm=1.0,
                  seed=0, eval_every=25, n_test=1000, truncate=None, log_every=0):
    """Train ``model`` on the adding problem with Adam and global-norm clipping.

    A fresh batch is drawn for every update; the test set (n_test sequences) comes from
    its own generator, seeded by ``seed + 10_000``, and is the same for every model.
    log_every > 0 prints a progress line every that many updates.
    Returns a dict: step (n,), test_mse (n,) measured after those updates (step 0 is the
    initial model), baseline = the test MSE of always predicting 1, the mean target.
    """
    n_steps = check_positive_int("n_steps", n_steps)
    eval_every = check_positive_int("eval_every", eval_every)
    rng = np.random.default_rng(seed)
    params = adding_model(model, hidden_size, rng)
    Xt, yt = adding_problem(n_test, T, np.random.default_rng(seed + 10_000))
    opt = Adam(lr=lr)
    steps, mses = [0], [test_mse(params, Xt, yt, model)]
    for step in range(1, n_steps + 1):
        X, y = adding_problem(batch, T, rng)
        _, grads = many_to_one_step(params, X, y, model, truncate=truncate)
        grads, _ = clip_by_global_norm(grads, clip_norm)
        opt.step(params, grads)
        if step % eval_every == 0 or step == n_steps:
            steps.append(step)
            mses.append(test_mse(params, Xt, yt, model))
        if log_every and step % log_every == 0:
            print(f"{model:>14s}  step {step:5d}   test MSE {mses[-1]:.4f}")
    return dict(step=np.array(steps), test_mse=np.array(mses), baseline=float(np.mean((yt - 1.0) ** 2)))


def clipping_run(mode, threshold=1.0, T=30, hidden_size=16, n_steps=100, lr=0.01, batch=16,
                 w_scale=1.2, seed=0):
    """SGD on the adding problem with an IRNN whose W = w_scale · I, so the gradient explodes.

    mode: "none", "value" (clip_by_value) or "norm" (clip_by_global_norm), at ``threshold``.
    Every run with the same seed starts from the same parameters and sees the same batches.
    Returns a dict: mse (n_steps,) the training MSE of each batch, before its update, and
    grad_norm (n_steps,) the global gradient norm before clipping. If the state overflows,
    the run stops and both arrays are shorter than n_steps.
    """
    check_choice("mode", mode, ("none", "value", "norm"))
    threshold = check_positive_float("threshold", threshold)
    n_steps = check_positive_int("n_steps", n_steps)
    rng = np.random.default_rng(seed)
    params = adding_model("irnn", hidden_size, rng, w_scale=w_scale)
    X, y = adding_problem(batch * n_steps, T, rng)
    opt = SGD(lr=lr)
    mse, norms = [], []
    for step in range(n_steps):
        part = slice(step * batch, (step + 1) * batch)
        try:
            loss, grads = many_to_one_step(params, X[:, part], y[part], "irnn")
        except ValueError:                       # the forward state or a gradient overflowed
            break
        mse.append(2.0 * loss)                   # K = 1: mean (ŷ - y)² = 2 · ½(ŷ - y)²
        norms.append(global_norm(grads))
        if mode == "value":
            grads = clip_by_value(grads, threshold)
        elif mode == "norm":
            grads, _ = clip_by_global_norm(grads, threshold)
        opt.step(params, grads)
    return dict(mse=np.array(mse), grad_norm=np.array(norms))


def clipping_runs(thresholds, **kwargs):
    """clipping_run for mode "none" once and for "value" and "norm" at every threshold.

    Returns {("none", None): run, ("value", t): run, ("norm", t): run, ...}, so a slider
    over ``thresholds`` only has to look its runs up.
    """
    runs = {("none", None): clipping_run("none", **kwargs)}
    for t in thresholds:
        for mode in ("value", "norm"):
            runs[(mode, float(t))] = clipping_run(mode, float(t), **kwargs)
    return runs


def lookback_share(norms, steps=10):
    """The fraction of Σ_k ‖∂L_T/∂s_k‖ that lies more than ``steps`` steps before T.

    norms: (T,) with norms[k-1] = ‖∂L_T/∂s_k‖ (as ``gradflow.gradient_norms`` returns).
    A truncation to ``steps`` steps drops exactly the states s_1 .. s_{T-steps}.
    """
    norms = np.asarray(norms, dtype=np.float64)
    steps = check_positive_int("steps", steps)
    total = norms.sum()
    return float(norms[:-steps].sum() / total) if total > 0 else 0.0
