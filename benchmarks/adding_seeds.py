#!/usr/bin/env python3
"""The adding problem at T = 50 over several seeds: chapter 7's three models, longer and more often.

Usage: python benchmarks/adding_seeds.py [--seeds N] [--models a,b,...] [--steps lstm=800,rnn-orthogonal=2000,...]
                                         [--lr model=0.003,...] [--truncate model=10]

Prints one row per (model, seed): the test MSE after every quarter of the run and at the
end, then the mean, min and max of the final test MSE per model. The settings are the
chapter's (H = 16, batch 32, Adam, global-norm clipping at 1.0, 1000 test sequences).
"""
import argparse
import time

import numpy as np

from rnn_core.experiments import adding_curves

DEFAULT_STEPS = {"lstm": 600, "rnn-pytorch": 3000, "rnn-orthogonal": 3000}
DEFAULT_LR = {"lstm": 0.02, "rnn-pytorch": 0.003, "rnn-orthogonal": 0.003}


def pairs(text, cast):
    return {k: cast(v) for k, v in (item.split("=") for item in text.split(",") if item)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--models", default=",".join(DEFAULT_STEPS))
    ap.add_argument("--steps", default="")
    ap.add_argument("--lr", default="")
    ap.add_argument("--truncate", default="")
    ap.add_argument("--T", type=int, default=50)
    args = ap.parse_args()
    steps = dict(DEFAULT_STEPS, **pairs(args.steps, int))
    lrs = dict(DEFAULT_LR, **pairs(args.lr, float))
    trunc = pairs(args.truncate, int)
    finals = {}
    print(f"adding problem, T = {args.T}, H = 16, batch 32, Adam, clip 1.0")
    for model in args.models.split(","):
        n = steps.get(model, 2000)
        for seed in range(args.seeds):
            start = time.perf_counter()
            r = adding_curves(model, T=args.T, n_steps=n, lr=lrs.get(model, 0.01), eval_every=max(n // 4, 1),
                              seed=seed, truncate=trunc.get(model))
            mses = " ".join(f"{v:.4f}" for v in r["test_mse"][1:])
            print(f"{model:>15s} seed {seed}  steps {n:5d}  lr {lrs.get(model, 0.01):.4f}  truncate {trunc.get(model)}  "
                  f"test MSE at each quarter: {mses}   baseline {r['baseline']:.4f}   ({time.perf_counter() - start:.1f} s)",
                  flush=True)
            finals.setdefault(model, []).append(r["test_mse"][-1])
    print()
    for model, f in finals.items():
        f = np.array(f)
        print(f"{model:>15s}  final test MSE over {len(f)} seeds: mean {f.mean():.4f}  min {f.min():.4f}  max {f.max():.4f}  "
              f"below 0.01: {int((f < 0.01).sum())}/{len(f)}")


if __name__ == "__main__":
    main()
