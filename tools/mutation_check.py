#!/usr/bin/env python3
"""Break rnn_core on purpose and check that the tests notice: each mutant must make a test fail.

Usage: python tools/mutation_check.py

Each mutant replaces one piece of code (a bug that a careful reader reported or that could
easily happen) and runs the tests that guard it; the file is restored afterwards, whatever
happens. A mutant that survives (all tests still pass) is printed and the script exits 1.
It edits the working tree in place, so don't run it while you are editing rnn_core.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (file, exact code, its mutant, the tests that must catch it)
MUTANTS = [
    ("rnn_core/gradcheck.py", "float(np.max(list(errors.values())))", "float(np.min(list(errors.values())))",
     "tests/test_gradcheck.py"),
    ("rnn_core/gradcheck.py", "float(np.max(list(errors.values())))", "float(max(errors.values()))",
     "tests/test_gradcheck.py"),
    ("rnn_core/gradcheck.py", "            finally:\n                flat[i] = old\n",
     "            except BaseException:\n                raise\n            flat[i] = old\n", "tests/test_gradcheck.py"),
    ("rnn_core/gradcheck.py", "scale = max(norm(a), norm(b))", "scale = max(np.linalg.norm(a), np.linalg.norm(b))",
     "tests/test_gradcheck.py"),
    ("rnn_core/optim.py", "c1, c2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t",
     "c1, c2 = 1 - self.beta1, 1 - self.beta2", "tests/test_clipping.py"),
    ("rnn_core/clipping.py", "if total > max_norm else", "if total > 1.5 * max_norm else", "tests/test_clipping.py"),
    ("rnn_core/clipping.py", "return norm(np.array([norm(g) for g in grads.values()]))",
     "return float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))", "tests/test_clipping.py"),
    ("rnn_core/book/experiments.py", "grads = clip_by_value(grads, threshold)",
     "grads, _ = clip_by_global_norm(grads, threshold)", "tests/test_experiments.py"),
    ("rnn_core/book/experiments.py", "        opt.step(params, clipped)\n", "        opt.step(params, grads)\n",
     "tests/test_experiments.py"),
    ("rnn_core/text.py", "softmax((h[0] @ V.T + c) / temperature)", "softmax(h[0] @ V.T + c)", "tests/test_text.py"),
    ("rnn_core/text.py", "state = step(params, eye[ids[-1]][None], state)",
     "state = step(params, eye[ids[0]][None], state)", "tests/test_text.py"),
    ("rnn_core/bptt.py", "    return deltas, ds0\n\n\ndef _backward",
     "    return deltas * np.nan, ds0\n\n\ndef _backward", "tests/test_bptt.py"),
    ("rnn_core/bptt.py", "    for j in range(min(k, T)):", "    for j in range(min(k + 1, T)):", "tests/test_bptt.py"),
    ("rnn_core/bptt.py", "        g += dS[t]", "        g = g + 0.5 * dS[t]", "tests/test_bptt.py"),
    ("rnn_core/gradflow.py", "return norm(rnn_backward_sweep(dS, cache).totals[:, 0, :], axis=1)",
     "return np.linalg.norm(rnn_backward_sweep(dS, cache).totals[:, 0, :], axis=1)", "tests/test_gradflow.py"),
    ("rnn_core/lstm.py", "            np.multiply(dc, f, out=dc_next)", "            np.copyto(dc_next, dc)",
     "tests/test_lstm.py"),
    ("rnn_core/gru.py", "            dh_next = dh * z + dhh @ Wh", "            dh_next = dhh @ Wh", "tests/test_gru.py"),
    ("rnn_core/rnn.py", "    residual = check_bool(\"residual\", residual)", "    residual = bool(residual)",
     "tests/test_validation.py"),
]


def run(tests):
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *tests.split()]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).returncode


def main():
    survivors = []
    for path, code, mutant, tests in MUTANTS:
        file = ROOT / path
        original = file.read_text(encoding="utf-8")
        if original.count(code) != 1:
            raise SystemExit(f"{path}: the code to mutate occurs {original.count(code)} times:\n{code}")
        try:
            file.write_text(original.replace(code, mutant), encoding="utf-8")
            caught = run(tests) != 0
        finally:
            file.write_text(original, encoding="utf-8")
        print(f"{'caught  ' if caught else 'SURVIVED'}  {path}: {code.strip().splitlines()[0][:70]}")
        if not caught:
            survivors.append(path)
    print(f"{len(MUTANTS) - len(survivors)} of {len(MUTANTS)} mutants caught")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
