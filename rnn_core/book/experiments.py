"""The chapters' experiments: chapter 7's gradient-flow setups, the adding problem and clipping.

Each function draws from an explicit ``rng`` and returns plain arrays, so a notebook can plot
them, a widget can index them and a test can check them. They compose the core's functions;
none re-derives a forward or backward pass.

    toy_rnn, gradient_norms         chapter 7's explorer: W = scale · orthogonal, ‖∂L_T/∂s_k‖
    lstm_gradient_norms             the LSTM's cell path against a tanh RNN (chapters 4 and 7)
    lookback_share                  the share of ‖∂L_T/∂s_k‖ beyond a number of steps back
    norm_preserving_penalty         Pascanu et al.'s regulariser Ω and ∂Ω/∂W
    adding_model, many_to_one_step  a model of MODELS for the adding problem, and its gradients
    mse, adding_curves              test MSE, and test MSE against the update step
    load_results                    results of long runs that a script in tools/ stored
    clipping_run, clipping_runs     training loss with or without clipping
"""
import numpy as np

from .._validate import (check_choice, check_number, check_positive_float, check_positive_int,
                         check_rng, norm)
from ..activations import ACTIVATIONS, MAX_SLOPE
from ..bptt import rnn_backward_sweep
from ..clipping import clip_by_global_norm, clip_by_value, global_norm
from ..data import adding_problem
from ..gradflow import backward_norms, gradient_bound
from ..lstm import init_lstm, lstm_backward_sweep, lstm_forward
from ..optim import SGD, Adam
from ..rnn import init_rnn, orthogonal, rnn_forward
from ..structures import many_to_one_logits, many_to_one_loss_and_grads


# --- chapter 7's gradient-flow explorer (and chapter 4's forget-bias slider) -----------------

def toy_rnn(*, scale, hidden_size, input_scale, T, rng, input_size=None):
    """The network of chapter 7's explorer: W = scale · (random orthogonal), so σ_max(W) = scale.

    U ~ N(0, 1/D) and x_t ~ N(0, input_scale²), so each pre-activation receives an input drive
    of standard deviation about input_scale; b = 0; D = input_size, H by default.
    Returns (params {U (H, D), W (H, H), b (H,)}, X (T, 1, D)).
    """
    H = check_positive_int("hidden_size", hidden_size)
    T = check_positive_int("T", T)
    D = H if input_size is None else check_positive_int("input_size", input_size)
    scale = check_number("scale", scale, low=0.0)
    input_scale = check_number("input_scale", input_scale, low=0.0)
    check_rng(rng)
    params = dict(U=rng.standard_normal((H, D)) / np.sqrt(D), W=scale * orthogonal(H, rng), b=np.zeros(H))
    return params, input_scale * rng.standard_normal((T, 1, D))


def gradient_norms(scale, *, rng, T=50, activation="tanh", hidden_size=32, input_scale=1.0, residual=False):
    """Everything chapter 7's explorer plots, for one setting of ``toy_rnn`` drawn from ``rng``.

    Returns a dict:
      k            (T,) the time steps 1..T
      norms        (T,) ‖∂L_T/∂s_k‖, with ‖∂L_T/∂s_T‖ = 1 (float64: below ~1e-308 they lose
                   digits, below ~5e-324 they are 0)
      log10_norms  (T,) log10 ‖∂L_T/∂s_k‖, true also where ``norms`` underflowed; -inf only where
                   the gradient is exactly zero (or below 10^-600, far beyond the explorer's range)
      bound, log10_bound   (T,) (γ σ_max)^{T−k} (or the residual bound (1 + γ σ_max)^{T−k}) and its log10
      ratio, log10_ratio   ‖∂L_T/∂s_1‖ / ‖∂L_T/∂s_T‖, the change over T − 1 steps back, and its log10
      sigma_max, gamma, residual
    """
    check_choice("activation", activation, ACTIVATIONS)
    params, X = toy_rnn(scale=scale, hidden_size=hidden_size, input_scale=input_scale, T=T, rng=rng)
    norms = backward_norms(params, X, activation=activation, residual=residual)
    logs = _log10_norms(params, X, activation, residual, norms)
    k = np.arange(1, T + 1)
    factor = MAX_SLOPE[activation] * scale + (1.0 if residual else 0.0)
    with np.errstate(divide="ignore"):
        log10_bound = (T - k) * np.log10(factor)
    return dict(k=k, norms=norms, log10_norms=logs,
                bound=gradient_bound(scale, activation, T - k, residual=residual), log10_bound=log10_bound,
                ratio=float(norms[0] / norms[-1]), log10_ratio=float(logs[0] - logs[-1]),
                sigma_max=float(scale), gamma=MAX_SLOPE[activation], residual=bool(residual))


def _log10_norms(params, X, activation, residual, norms):
    """log10 of ``norms`` = backward_norms(params, X, ...), also where they underflowed.

    The backward sweep is linear in ∂L_T/∂s_T. Where a norm is below 1e-290, the sweep is run
    again from ∂L_T/∂s_T scaled up by 2^e (so that the largest norm lands near 1e300), and e·log10(2)
    is taken off again: that reaches about 600 decades instead of 308.
    """
    with np.errstate(divide="ignore"):
        logs = np.log10(norms)
    tiny = norms < 1e-290
    if tiny.any() and np.isfinite(norms).all():
        H = params["W"].shape[0]
        e = int(np.floor(np.log2(1e300 / norms.max())))
        lifted = backward_norms(params, X, activation=activation, residual=residual,
                                dlast=np.full(H, 2.0 ** e / np.sqrt(H)))
        with np.errstate(divide="ignore"):
            logs[tiny] = np.log10(lifted[tiny]) - e * np.log10(2.0)
    return logs


def lstm_gradient_norms(forget_bias, *, rng, T=50, hidden_size=32, input_scale=1.0):
    """‖∂L_T/∂c_k‖ and ‖∂L_T/∂h_k‖ of an LSTM, and ‖∂L_T/∂s_k‖ of a tanh RNN of equal size.

    Both have PyTorch-style uniform weights drawn from ``rng``; the LSTM's forget bias b_f is set
    to ``forget_bias`` (so σ(b_f) is the typical forget gate). Inputs x_t ~ N(0, input_scale²),
    D = H. The loss sits on the last step only, with ∂L_T/∂h_T = ones / √H.
    Returns a dict: k (T,), cell (T,), hidden (T,) (LSTM), rnn (T,) (tanh RNN), mean_forget.
    """
    H, T = check_positive_int("hidden_size", hidden_size), check_positive_int("T", T)
    forget_bias = check_number("forget_bias", forget_bias)
    X = check_number("input_scale", input_scale, low=0.0) * check_rng(rng).standard_normal((T, 1, H))
    p = init_lstm(H, H, 1, rng, forget_bias=0.0)
    p["b"][H:2 * H] = forget_bias
    _, _, cache = lstm_forward(p, X)
    dH = np.zeros((T, 1, H))
    dH[-1, 0] = 1.0 / np.sqrt(H)
    sweep = lstm_backward_sweep(dH, cache)
    q = init_rnn(H, H, 1, rng)
    return dict(k=np.arange(1, T + 1), cell=norm(sweep.dc_total[:, 0], axis=1),
                hidden=norm(sweep.dh_total[:, 0], axis=1), rnn=backward_norms(q, X, activation="tanh"),
                mean_forget=float(cache["gates"][:, 0, H:2 * H].mean()))


def lookback_share(norms, steps=10):
    """The fraction of Σ_k ‖∂L_T/∂s_k‖ that lies more than ``steps`` steps before T.

    norms: (T,) with norms[k-1] = ‖∂L_T/∂s_k‖ (as ``gradient_norms`` returns them).
    A truncation to ``steps`` steps drops exactly the states s_1 .. s_{T-steps}. Returns a float.
    """
    norms = np.asarray(norms, dtype=np.float64)
    steps = check_positive_int("steps", steps)
    total = norms.sum()
    return float(norms[:-steps].sum() / total) if total > 0 else 0.0


def norm_preserving_penalty(params, X, activation="tanh"):
    """Pascanu, Mikolov & Bengio's (2013) regulariser Ω and its gradient with respect to W.

    With the loss on the last step only and ∂L_T/∂s_T a unit vector (as in ``gradient_norms``),
    one step back maps g_{k+1} = ∂L_T/∂s_{k+1} to W^T δ_{k+1}, δ_{k+1} = ϕ'(s*_{k+1}) ⊙ g_{k+1}:
        Ω = Σ_{k=1}^{T-1} (‖W^T δ_{k+1}‖ / ‖g_{k+1}‖ − 1)²,
    zero when every step back keeps the norm of the gradient it carries. As in the paper, the
    gradients g_{k+1} are held fixed when Ω is differentiated; the slopes ϕ' are held fixed as
    well, so ∂Ω/∂W = Σ_k 2 (r_k − 1) / (‖g_{k+1}‖ ‖v_k‖) δ_{k+1} v_k^T with v_k = W^T δ_{k+1},
    r_k = ‖v_k‖ / ‖g_{k+1}‖.
    params: {U, W, b}.  X: (T, 1, D), one sequence.  Returns (Ω, ∂Ω/∂W (H, H)).
    """
    _, cache = rnn_forward(params, X, activation=activation)
    T, B, H = cache["A"].shape
    if B != 1:
        raise ValueError(f"X must hold one sequence, shape (T, 1, D); got {B} sequences")
    dS = np.zeros((T, 1, H))
    dS[-1, 0] = 1.0 / np.sqrt(H)
    sweep = rnn_backward_sweep(dS, cache)
    W, omega, grad = cache["W"], 0.0, np.zeros((H, H))
    for t in range(1, T):                            # δ_{k+1}, g_{k+1} with k + 1 = t + 1
        d, g = sweep.deltas[t, 0], sweep.totals[t, 0]
        v = d @ W                                    # W^T δ_{k+1}
        nv, ng = norm(v), norm(g)
        omega += (nv / ng - 1.0) ** 2
        grad += 2.0 * (nv / ng - 1.0) / (ng * nv) * np.outer(d, v)
    return float(omega), grad


# --- the adding problem and clipping (chapter 7) ----------------------------------------------

#: model name -> (cell, hidden activation, init of W)
MODELS = {
    "lstm": ("lstm", "tanh", None),
    "rnn-pytorch": ("rnn", "tanh", "pytorch"),        # W ~ Uniform(−1/√H, 1/√H)
    "rnn-orthogonal": ("rnn", "tanh", "orthogonal"),  # W random orthogonal, σ_max = 1
    "irnn": ("rnn", "relu", "identity"),              # W = I with ReLU (Le et al. 2015)
}


def adding_model(model, hidden_size, rng, w_scale=1.0):
    """Initial parameters of ``model`` (a key of MODELS) for the adding problem (D = 2, K = 1)."""
    cell, _, init = MODELS[check_choice("model", model, MODELS)]
    if cell == "lstm":
        return init_lstm(2, hidden_size, 1, rng, forget_bias=1.0)
    return init_rnn(2, hidden_size, 1, rng, init=init, w_scale=w_scale)


def many_to_one_step(params, X, y, model, truncate=None):
    """Squared-error loss ½‖o_T − y‖² (batch mean) of a many-to-one model, and its gradients.

    X: (T, B, 2), y: (B, 1). truncate=k (RNNs only) lets the gradient of the one loss at step T
    reach back through k steps, s_T .. s_{T-k+1}; None is exact BPTT. Returns a LossGrads.
    """
    cell, act, _ = MODELS[check_choice("model", model, MODELS)]
    return many_to_one_loss_and_grads(params, X, y, activation=act, output="identity", cell=cell,
                                      truncate=truncate)


def mse(params, X, y, model):
    """Mean squared error mean((ŷ − y)²) of the predictions ŷ (B, 1) on X (T, B, 2), y (B, 1)."""
    cell, act, _ = MODELS[check_choice("model", model, MODELS)]
    pred = many_to_one_logits(params, X, activation=act, cell=cell)
    y = np.asarray(y, dtype=np.float64)
    if y.shape != pred.shape:
        raise ValueError(f"y must have shape {pred.shape} (one target per sequence), got shape {y.shape}")
    return float(np.mean((pred - y) ** 2))


def adding_curves(model, test, *, rng, T=50, hidden_size=16, n_steps=600, lr=0.01, batch_size=32,
                  clip_norm=1.0, eval_every=25, truncate=None, log_every=0, progress=None):
    """Train ``model`` on the adding problem with Adam and global-norm clipping at ``clip_norm``.

    test: (X (T, n, 2), y (n, 1)), a fixed test set (e.g. ``adding_problem(1000, T, rng)``).
    rng draws the initial parameters and a fresh batch for every update.
    log_every > 0 prints a progress line every that many updates.
    progress: None; a label (a progress bar over the updates in a notebook, see
    ``widgets.progress``); or a function (iterable, total) -> iterable that wraps the loop.
    Returns a dict: step (n,), test_mse (n,) measured after those updates (step 0 is the initial
    model), baseline = the test MSE of always predicting 1, the mean target, grad_norm (n_steps,)
    the global gradient norm of every update before clipping, and params, the trained parameters.
    """
    n_steps = check_positive_int("n_steps", n_steps)
    eval_every = check_positive_int("eval_every", eval_every)
    clip_norm = check_positive_float("clip_norm", clip_norm)
    Xt, yt = test
    params = adding_model(model, hidden_size, check_rng(rng))
    opt = Adam(lr=lr)
    steps, mses, norms = [0], [mse(params, Xt, yt, model)], np.empty(n_steps)
    updates = range(1, n_steps + 1)
    if isinstance(progress, str):
        from .widgets import progress as bar
        updates = bar(updates, n_steps, progress)
    elif progress is not None:
        updates = progress(updates, n_steps)
    for step in updates:
        X, y = adding_problem(batch_size, T, rng)
        grads = many_to_one_step(params, X, y, model, truncate=truncate).grads
        clipped, norms[step - 1] = clip_by_global_norm(grads, clip_norm)
        opt.step(params, clipped)
        if step % eval_every == 0 or step == n_steps:
            steps.append(step)
            mses.append(mse(params, Xt, yt, model))
        if log_every and step % log_every == 0:
            print(f"{model:>14s}  step {step:5d}   test MSE {mses[-1]:.4f}")
    return dict(step=np.array(steps), test_mse=np.array(mses), baseline=float(np.mean((yt - 1.0) ** 2)),
                grad_norm=norms, params=params)


def load_results(name):
    """The stored results ``name`` (e.g. "adding_runs"): the dict in data/results/NAME.json.

    Those files are written by the scripts in tools/ (tools/adding_runs.py for "adding_runs"),
    which record their exact settings in the file; a chapter loads them instead of training
    for minutes. Read with importlib.resources, like every shipped file.
    """
    import json
    from importlib import resources
    path = resources.files("rnn_core.datasets").joinpath("results", f"{name}.json")
    if not path.is_file():
        raise ValueError(f"there are no stored results {name!r} (data/results/{name}.json)")
    return json.loads(path.read_text(encoding="utf-8"))


def clipping_run(mode, threshold=1.0, *, rng, T=30, hidden_size=16, n_steps=100, lr=0.01, batch_size=16,
                 w_scale=1.2):
    """SGD on the adding problem with an IRNN whose W = w_scale · I, so the gradient explodes.

    mode: "none", "value" (clip_by_value) or "norm" (clip_by_global_norm), at ``threshold``.
    rng draws the initial parameters and all batches.
    Returns a dict: mse (n,) the training MSE of each batch before its update, and grad_norm (n,)
    the global gradient norm before clipping; n = n_steps, or fewer if the state overflowed
    float64 (the run stops there).
    """
    check_choice("mode", mode, ("none", "value", "norm"))
    threshold = check_positive_float("threshold", threshold)
    n_steps = check_positive_int("n_steps", n_steps)
    params = adding_model("irnn", hidden_size, check_rng(rng), w_scale=w_scale)
    X, y = adding_problem(batch_size * n_steps, T, rng)
    opt = SGD(lr=lr)
    mses, norms = [], []
    for step in range(n_steps):
        part = slice(step * batch_size, (step + 1) * batch_size)
        try:
            loss, grads, _ = many_to_one_step(params, X[:, part], y[part], "irnn")
        except ValueError:                       # the forward state or a gradient overflowed
            break
        mses.append(2.0 * loss)                  # K = 1: mean (ŷ − y)² = 2 · ½(ŷ − y)²
        norms.append(global_norm(grads))
        if mode == "value":
            grads = clip_by_value(grads, threshold)
        elif mode == "norm":
            grads, _ = clip_by_global_norm(grads, threshold)
        opt.step(params, grads)
    return dict(mse=np.array(mses), grad_norm=np.array(norms))


def clipping_runs(thresholds, *, rng, **kwargs):
    """``clipping_run`` for mode "none" once and for "value" and "norm" at every threshold.

    Every run gets its own copy of ``rng``, so all start from the same parameters and see the same
    batches. Returns {("none", None): run, ("value", t): run, ("norm", t): run, ...}, so a slider
    over ``thresholds`` only has to look its runs up.
    """
    import copy
    check_rng(rng)
    runs = {("none", None): clipping_run("none", rng=copy.deepcopy(rng), **kwargs)}
    for t in thresholds:
        for mode in ("value", "norm"):
            runs[(mode, float(t))] = clipping_run(mode, float(t), rng=copy.deepcopy(rng), **kwargs)
    return runs
