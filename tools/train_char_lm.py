#!/usr/bin/env python3
"""Train chapter 8's character-level language models (RNN, LSTM, GRU) and save them in data/.

Usage (the exact command that produced the shipped files, from the repository root):

    OPENBLAS_NUM_THREADS=1 python tools/train_char_lm.py

What it does, all from one seed (SEED) and the settings below:
1. Cuts Pride and Prejudice into training (first 85 %), validation (85–90 %) and test (last 10 %)
   text (``book.char_lm.split_ids``).
2. Gives each cell the hidden size H whose parameter count is closest to TARGET_PARAMETERS.
3. For each cell and each learning rate of the grid LEARNING_RATES, trains a fresh model from the
   same seed for N_UPDATES updates of Adam (chunked stateful truncated BPTT, BATCH_SIZE streams,
   chunks of CHUNK_LEN characters, global-norm clipping at CLIP_NORM) and measures validation
   bits per character every EVAL_EVERY updates. While the best learning rate of a cell is the
   largest (smallest) one tried, the grid is extended by one more rate, GRID_FACTOR times larger
   (smaller), at most MAX_EXTENSIONS times: so the chosen rate has a worse one on either side.
4. Picks, for each cell, the learning rate with the lowest validation bits/char at the end (the
   test text plays no part in the choice), and saves that model as data/char_lm_CELL.npz.
5. Writes data/char_lm.json: the settings, every run's curves, the chosen learning rates and the
   test bits/char of every run.

The .npz files are plain zip archives of .npy arrays (no pickle) with fixed timestamps, and the
JSON holds no timings, so running the command again writes the same bytes (with one BLAS thread
on the same kind of machine). Run time and checksums are printed at the end, for the data sheet.
A progress line on stderr shows each run as it goes.

    python tools/train_char_lm.py --quick     a two-minute smoke run into a temporary folder
"""
import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402  (after the thread settings)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rnn_core as rc  # noqa: E402
from rnn_core.book import char_lm  # noqa: E402

SEED = 8
TARGET_PARAMETERS = 75_000
LEARNING_RATES = (1e-3, 3e-3, 9e-3)
GRID_FACTOR = 3.0
MAX_EXTENSIONS = 3
N_UPDATES = 1500
EVAL_EVERY = 75
BATCH_SIZE = 32
CHUNK_LEN = 50
CLIP_NORM = 1.0
N_FIRST = 10          # the training losses of the first updates are recorded exactly, for a reproduction test
COMMAND = "OPENBLAS_NUM_THREADS=1 python tools/train_char_lm.py"


def save_npz(path, arrays):
    """Write arrays as an uncompressed .npz (np.load reads it) with fixed timestamps: same arrays, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name], dtype=np.float64), allow_pickle=False)
            zf.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buf.getvalue())


def progress_line(label):
    """A progress wrapper for ``char_lm.train``: one line on stderr, rewritten in place."""
    def wrap(iterable, total):
        start = shown = time.perf_counter()
        for done, item in enumerate(iterable, start=1):
            yield item
            now = time.perf_counter()
            if now - shown > 1.0 or done == total:
                shown = now
                filled = int(30 * done / total)
                eta = (now - start) / done * (total - done)
                sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} updates, "
                                 f"{now - start:5.0f} s, about {eta:4.0f} s to go ")
                sys.stderr.flush()
        sys.stderr.write("\n")
    return wrap


def run(cell, lr, data, hidden_size, n_updates, eval_every):
    """One training run from the seed; returns (record of the run, trained params)."""
    params = char_lm.init_model(cell, len(data["chars"]), hidden_size, np.random.default_rng(SEED))
    result = char_lm.train(cell, params, data["train"], rc.optim.Adam(lr=lr), n_updates,
                           batch_size=BATCH_SIZE, chunk_len=CHUNK_LEN, clip_norm=CLIP_NORM,
                           eval_ids=data["valid"], eval_every=eval_every,
                           progress=progress_line(f"{cell:>4s} lr {lr:.1e}"))
    blocks = [result["loss"][a:b].mean() for a, b in zip(result["eval_step"][:-1], result["eval_step"][1:])]
    record = dict(learning_rate=lr, eval_step=result["eval_step"].tolist(), valid_bits=result["eval_bits"].tolist(),
                  train_bits=[float(v) for v in blocks], first_losses=result["loss"][:N_FIRST].tolist(),
                  epochs=result["epochs"], final_valid_bits=float(result["eval_bits"][-1]),
                  test_bits=char_lm.bits_per_char(cell, params, data["test"]))
    return record, params


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run into a temporary folder")
    args = parser.parse_args(argv)
    n_updates, eval_every = (30, 10) if args.quick else (N_UPDATES, EVAL_EVERY)
    out = Path(tempfile.mkdtemp()) if args.quick else ROOT / "data"
    data = char_lm.split_ids()
    V = len(data["chars"])
    corpus = rc.data.data_file("pride_and_prejudice.txt").read_bytes()
    record = dict(command=COMMAND + (" --quick" if args.quick else ""), seed=SEED,
                  corpus="pride_and_prejudice.txt", corpus_sha256=hashlib.sha256(corpus).hexdigest(),
                  split=dict(train_end=char_lm.TRAIN_END, test_start=char_lm.TEST_START,
                             train=len(data["train"]), valid=len(data["valid"]), test=len(data["test"])),
                  vocab_size=V, target_parameters=TARGET_PARAMETERS, learning_rates=list(LEARNING_RATES),
                  grid_factor=GRID_FACTOR, max_extensions=MAX_EXTENSIONS,
                  optimizer="Adam (beta1 0.9, beta2 0.999, eps 1e-8)", n_updates=n_updates,
                  eval_every=eval_every, batch_size=BATCH_SIZE, chunk_len=CHUNK_LEN, clip_norm=CLIP_NORM,
                  selection="the learning rate with the lowest validation bits/char after the last update",
                  numpy=np.__version__, cells={})
    start, cpu_start = time.perf_counter(), time.process_time()
    for cell in char_lm.CELLS:
        H = char_lm.hidden_size_for(cell, V, TARGET_PARAMETERS)
        runs, best, todo = [], None, list(LEARNING_RATES)
        for _ in range(len(LEARNING_RATES) + MAX_EXTENSIONS):
            if not todo:
                break
            lr = todo.pop(0)
            rec, params = run(cell, lr, data, H, n_updates, eval_every)
            runs.append(rec)
            print(f"{cell:>4s}  H = {H:3d}  lr {lr:.1e}: validation {rec['final_valid_bits']:.4f}, "
                  f"test {rec['test_bits']:.4f} bits/char", flush=True)
            if best is None or rec["final_valid_bits"] < best[0]["final_valid_bits"]:
                best = (rec, params)
            if not todo:                                   # the grid is done: is its best at an edge?
                tried = sorted(r["learning_rate"] for r in runs)
                if best[0]["learning_rate"] == tried[-1]:
                    todo.append(float(f"{tried[-1] * GRID_FACTOR:.3g}"))
                elif best[0]["learning_rate"] == tried[0]:
                    todo.append(float(f"{tried[0] / GRID_FACTOR:.3g}"))
        runs.sort(key=lambda r: r["learning_rate"])
        save_npz(out / char_lm.MODEL_FILE.format(cell=cell), best[1])
        record["cells"][cell] = dict(hidden_size=H, parameters=char_lm.parameter_count(cell, V, H),
                                     learning_rate=best[0]["learning_rate"],
                                     valid_bits=best[0]["final_valid_bits"], test_bits=best[0]["test_bits"],
                                     runs=runs)
    (out / char_lm.RECORD_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"\nwall time {time.perf_counter() - start:.0f} s, CPU time {time.process_time() - cpu_start:.0f} s, "
          f"numpy {np.__version__}, written to {out}")
    for name in [char_lm.RECORD_FILE] + [char_lm.MODEL_FILE.format(cell=c) for c in char_lm.CELLS]:
        path = out / name
        print(f"{name}: {path.stat().st_size:,} bytes, SHA-256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
