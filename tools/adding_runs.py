#!/usr/bin/env python3
"""Chapter 7's adding-problem runs over many seeds, written to data/results/adding_runs.json.

Usage: python tools/adding_runs.py [--out PATH]    (100 runs: about 20 minutes on a busy 2-core machine)

Every configuration (an LSTM; tanh RNNs with PyTorch's and with an orthogonal W, the second
also with its gradient truncated to 10 steps; an IRNN) gets the same budget: the same number
of updates on batches of the same size, Adam, and clipping by global norm. Only the learning
rate is each configuration's own, tuned on a small grid:

1. tuning: for every rate of the grid and every tuning seed, train for the whole budget and
   measure the MSE on a validation set (drawn apart from the test set); the rate with the
   lowest mean final validation MSE over the tuning seeds is the configuration's rate;
2. evaluation: train at that rate with each evaluation seed (none of them a tuning seed) and
   record the test MSE every ``eval_every`` updates.

The file records the settings (everything needed to repeat a run), the tuning table, the chosen
rates and every test curve, with floats in full precision. NumPy with one BLAS thread is
deterministic (bit for bit with the same code and NumPy build), so ``tests/test_experiments.py``
reruns the first updates of one run from the recorded settings and compares them with the file to
1e-9 (other builds, and the core's later speed-ups, round a few results differently in the last bit). Chapter 7 only loads the file
(``book.experiments.load_results("adding_runs")``).
"""
import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"                       # one BLAS thread: bitwise reproducible runs

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rnn_core as rc  # noqa: E402
from rnn_core.book import experiments as ex  # noqa: E402

SETTINGS = dict(
    T=50, hidden_size=16, batch_size=32, n_steps=2000, eval_every=50, clip_norm=1.0,
    optimizer="Adam (beta1 = 0.9, beta2 = 0.999)",
    test=dict(n=1000, seed=1), validation=dict(n=1000, seed=2),
    lr_grid=[0.001, 0.003, 0.01, 0.03], tuning_seeds=[100, 101, 102], seeds=list(range(8)),
)

#: configuration name (as the chapter prints it) -> the model of book.experiments.MODELS and truncation
CONFIGS = {
    "LSTM": dict(model="lstm", truncate=None),
    "tanh RNN, PyTorch-style W": dict(model="rnn-pytorch", truncate=None),
    "tanh RNN, orthogonal W": dict(model="rnn-orthogonal", truncate=None),
    "orthogonal W, truncated to 10": dict(model="rnn-orthogonal", truncate=10),
    "IRNN (ReLU, W = I)": dict(model="irnn", truncate=None),
}


def data_set(kind, settings=SETTINGS):
    """The fixed test or validation set of the settings: (X (T, n, 2), y (n, 1))."""
    spec = settings[kind]
    return rc.data.adding_problem(spec["n"], settings["T"], np.random.default_rng(spec["seed"]))


def run(config, lr, seed, evaluate_on, settings=SETTINGS, n_steps=None, progress=None):
    """One training run of ``config`` (a dict with model and truncate): its adding_curves dict."""
    s = settings
    return ex.adding_curves(config["model"], evaluate_on, rng=np.random.default_rng(seed), T=s["T"],
                            hidden_size=s["hidden_size"], n_steps=n_steps or s["n_steps"], lr=lr,
                            batch_size=s["batch_size"], clip_norm=s["clip_norm"], eval_every=s["eval_every"],
                            truncate=config["truncate"], progress=progress)


class Progress:
    """One status line, rewritten in place on a terminal (one line per run when piped)."""

    def __init__(self, total_runs):
        self.total, self.done, self.start = total_runs, 0, time.monotonic()
        self.tty = sys.stderr.isatty()

    def elapsed(self):
        m, s = divmod(int(time.monotonic() - self.start), 60)
        return f"{m:d}m{s:02d}s"

    def wrap(self, label):
        def wrapper(updates, total):
            shown = 0.0
            for i, step in enumerate(updates, start=1):
                yield step
                if self.tty and time.monotonic() - shown > 0.5:
                    shown = time.monotonic()
                    print(f"\r[{self.done + 1:3d}/{self.total}] {label}: update {i:5d}/{total}  "
                          f"elapsed {self.elapsed()}   ", end="", file=sys.stderr, flush=True)
            self.done += 1
            end = "" if self.tty else "\n"
            print(f"\r[{self.done:3d}/{self.total}] {label}: done, elapsed {self.elapsed()}          ",
                  end=end, file=sys.stderr, flush=True)
        return wrapper


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "data" / "results" / "adding_runs.json"))
    args = ap.parse_args(argv)
    s = SETTINGS
    validation, test = data_set("validation"), data_set("test")
    n_runs = len(CONFIGS) * (len(s["lr_grid"]) * len(s["tuning_seeds"]) + len(s["seeds"]))
    bar = Progress(n_runs)
    tuning, chosen, runs = {}, {}, {}
    for name, config in CONFIGS.items():
        table = {}
        for lr in s["lr_grid"]:
            table[repr(lr)] = [float(run(config, lr, seed, validation, progress=bar.wrap(f"{name}, lr {lr}, "
                                                                                       f"tuning seed {seed}"))
                                     ["test_mse"][-1]) for seed in s["tuning_seeds"]]
        tuning[name] = table
        chosen[name] = min(s["lr_grid"], key=lambda lr: np.mean(table[repr(lr)]))
        runs[name] = {str(seed): [float(v) for v in run(config, chosen[name], seed, test,
                                                        progress=bar.wrap(f"{name}, seed {seed}"))["test_mse"]]
                      for seed in s["seeds"]}
    if bar.tty:
        print(file=sys.stderr)
    out = dict(
        about="Chapter 7: the adding problem at one budget, each configuration at its tuned learning rate. "
              "Written by tools/adding_runs.py; do not edit by hand.",
        settings=dict(s, steps=list(range(0, s["n_steps"] + 1, s["eval_every"])),
                      baseline=float(np.mean((test[1] - 1.0) ** 2)),
                      tuning_rule="lowest mean final validation MSE over the tuning seeds"),
        configs=CONFIGS, tuning=tuning, lr=chosen, runs=runs,
        software=dict(python=platform.python_version(), numpy=np.__version__, rnn_core=rc.__version__,
                      blas_threads=1),
    )
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path} ({n_runs} runs, {bar.elapsed()})")
    for name in CONFIGS:
        final = np.array([v[-1] for v in runs[name].values()])
        print(f"{name:>32s}  lr {chosen[name]:<6g} final test MSE: mean {final.mean():.4f}, "
              f"min {final.min():.4f}, max {final.max():.4f}, below 0.01: {int((final < 0.01).sum())}/{len(final)}")


if __name__ == "__main__":
    main()
