"""The training workloads that ``run_all.py`` times: each one as rnn_core does it and as a
reference does it, with the same data, the same mathematics and the same amount of work.

Each workload is a class with ``reference(n)`` and ``rnn_core(n)``: run n training updates
and return the mean loss per step of those updates (a check that both sides learn the same
thing). The state (weights, optimiser memory, position in the text) carries over between calls,
so warm-up calls come first and no timed call repeats earlier work. ``reference=False`` builds
the rnn_core side only (no PyTorch needed).

Import this module only after the thread count is pinned (``run_all.py`` does it).
"""
import numpy as np

import rnn_core as rc
from rnn_core import text

H, SEQ, LR, CLIP = 100, 25, 0.1, 5.0      # the char-RNN: hidden units, chunk length, Adagrad lr, clip value


def corpus_ids(name="pride_and_prejudice"):
    """The shipped text as integer ids (N,), and its vocabulary size."""
    corpus = rc.data.load_text(name)
    chars, index = text.build_vocab(corpus)
    return text.encode(corpus, index), len(chars)


class _Chunks:
    """An endless supply of (X, Y (SEQ, B), restarted) chunks of B parallel streams; X is
    one-hot (SEQ, B, V) for PyTorch, which needs the vectors, or ids (SEQ, B) for rnn_core."""

    def __init__(self, ids, V, batch, one_hot=True):
        self.streams, self.V, self.one_hot = text.batchify(ids, batch), V, one_hot
        self.it = iter(())

    def _start(self):
        if self.one_hot:
            return text.lm_chunks(self.streams, SEQ, self.V)
        return text.id_chunks(self.streams, SEQ)

    def next(self):
        for X, Y in self.it:
            if X.shape[0] == SEQ:
                return X, Y, False
        self.it = self._start()                                   # back to the start of the text
        X, Y = next(self.it)
        return X, Y, True


def _rnn_core_char_rnn(w, n):
    """n updates of the char-RNN with rnn_core: the loop a reader writes (chapter 8)."""
    losses = []
    for _ in range(n):
        X, Y, restart = w.chunks.next()
        if restart:
            w.s = None
        loss, grads, w.s = rc.rnn_loss_and_grads(w.params, X, Y, s0=w.s)
        w.opt.step(w.params, rc.clip_by_value(grads, CLIP))
        losses.append(loss / SEQ)
    return float(np.mean(losses))


class CharRNNBatch1:
    """Char-RNN, batch 1, H = 100, 25-step chunks, Adagrad (lr 0.1), gradients clipped to
    [-5, 5], the state carried across chunks, on chapter 8's text (Pride and Prejudice, 75
    characters); the reference is a min-char-rnn-style loop (Karpathy 2015): column vectors,
    one-hot inputs built per step, dicts of per-step arrays, every weight gradient accumulated
    inside the backward loop over time; rnn_core's side is rc.rnn_loss_and_grads on chunks of
    ids, the loop a reader writes (chapter 8)."""

    name = "char-RNN, H=100, 25-step chunks, Adagrad, batch 1"
    reference_name = "min-char-rnn-style loop"
    needs_torch = False

    def __init__(self, ids, V, seed=0, reference=True):
        self.ids, self.V = ids, V
        rng = np.random.default_rng(seed)
        self.params = rc.init_rnn(V, H, V, rng, init="gaussian")    # N(0, 0.01²) weights, as min-char-rnn
        p = self.params
        # the reference starts from the same weights, in its own layout (column vectors)
        self.ref = [p["U"].copy(), p["W"].copy(), p["V"].copy(), p["b"][:, None].copy(), p["c"][:, None].copy()]
        self.ref_mem = [np.zeros_like(a) for a in self.ref]
        self.ref_h, self.ref_pos = np.zeros((H, 1)), 0
        self.opt = rc.optim.Adagrad(LR)
        self.chunks, self.s = _Chunks(ids, V, 1, one_hot=False), None

    def reference(self, n):
        ids, V = self.ids, self.V
        Wxh, Whh, Why, bh, by = self.ref
        losses = []
        for _ in range(n):
            if self.ref_pos + SEQ + 1 > len(ids):
                self.ref_h, self.ref_pos = np.zeros((H, 1)), 0
            inputs = ids[self.ref_pos:self.ref_pos + SEQ]
            targets = ids[self.ref_pos + 1:self.ref_pos + SEQ + 1]
            xs, hs, ps = {}, {-1: self.ref_h}, {}
            loss = 0.0
            for t in range(SEQ):
                xs[t] = np.zeros((V, 1))
                xs[t][inputs[t]] = 1
                hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
                y = Why @ hs[t] + by
                ps[t] = np.exp(y - y.max()) / np.sum(np.exp(y - y.max()))
                loss -= np.log(ps[t][targets[t], 0])
            grads = [np.zeros_like(a) for a in self.ref]
            dWxh, dWhh, dWhy, dbh, dby = grads
            dhnext = np.zeros((H, 1))
            for t in reversed(range(SEQ)):
                dy = ps[t].copy()
                dy[targets[t]] -= 1
                dWhy += dy @ hs[t].T
                dby += dy
                dh = Why.T @ dy + dhnext
                dhraw = (1 - hs[t] * hs[t]) * dh
                dbh += dhraw
                dWxh += dhraw @ xs[t].T
                dWhh += dhraw @ hs[t - 1].T
                dhnext = Whh.T @ dhraw
            for p, d, m in zip(self.ref, grads, self.ref_mem):
                np.clip(d, -CLIP, CLIP, out=d)
                m += d * d
                p -= LR * d / np.sqrt(m + 1e-8)
            self.ref_h, self.ref_pos = hs[SEQ - 1], self.ref_pos + SEQ
            losses.append(loss / SEQ)
        return float(np.mean(losses))

    def rnn_core(self, n):
        return _rnn_core_char_rnn(self, n)


class CharRNNBatch32:
    """The same char-RNN with 32 parallel streams of the text; the reference is
    torch.nn.RNN + nn.Linear + cross-entropy (summed over time, averaged over the batch, as
    rnn_core's loss), torch.optim.Adagrad (lr 0.1) and clip_grad_value_ (5), all float64, fed
    one-hot chunks of the text; rnn_core reads the same chunks as ids. torch.optim.Adagrad adds
    its eps (1e-10) after the square root, rnn_core and min-char-rnn add theirs (1e-8) under it,
    so the two runs drift apart slowly; the work per update is the same."""

    name = "the same, batch 32"
    reference_name = "torch.nn.RNN + nn.Linear + CrossEntropy"
    needs_torch = True

    def __init__(self, ids, V, seed=0, batch=32, reference=True):
        self.B = batch
        rng = np.random.default_rng(seed)
        self.params = rc.init_rnn(V, H, V, rng, init="gaussian")
        self.opt = rc.optim.Adagrad(LR)
        self.chunks, self.s = _Chunks(ids, V, batch, one_hot=False), None
        if reference:
            self._torch_side(ids, V)

    def _torch_side(self, ids, V):
        import torch
        self.torch, p = torch, self.params
        self.rnn = torch.nn.RNN(V, H, nonlinearity="tanh").double()
        self.lin = torch.nn.Linear(H, V).double()
        with torch.no_grad():                                      # the same initial weights
            self.rnn.weight_ih_l0.copy_(torch.from_numpy(p["U"]))
            self.rnn.weight_hh_l0.copy_(torch.from_numpy(p["W"]))
            self.rnn.bias_ih_l0.copy_(torch.from_numpy(p["b"]))
            self.rnn.bias_hh_l0.zero_()
            self.lin.weight.copy_(torch.from_numpy(p["V"]))
            self.lin.bias.copy_(torch.from_numpy(p["c"]))
        self.rnn.bias_hh_l0.requires_grad_(False)                 # rnn_core has one bias, b
        self.torch_params = [q for q in [*self.rnn.parameters(), *self.lin.parameters()] if q.requires_grad]
        self.torch_opt = torch.optim.Adagrad(self.torch_params, lr=LR)
        self.torch_chunks, self.h = _Chunks(ids, V, self.B), None

    def reference(self, n):
        torch, F = self.torch, self.torch.nn.functional
        losses = []
        for _ in range(n):
            X, Y, restart = self.torch_chunks.next()
            if restart:
                self.h = None
            out, h = self.rnn(torch.from_numpy(X), self.h)
            logits = self.lin(out)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.from_numpy(Y).reshape(-1),
                                   reduction="sum") / self.B
            self.torch_opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_value_(self.torch_params, CLIP)
            self.torch_opt.step()
            self.h = h.detach()
            losses.append(loss.item() / SEQ)
        return float(np.mean(losses))

    def rnn_core(self, n):
        return _rnn_core_char_rnn(self, n)


class LSTMAdding:
    """An LSTM on the adding problem (T = 50, batch 64, H = 32), many-to-one: one linear output
    from h_T, loss ½(o − y)² averaged over the batch, gradients clipped to global norm 1.0,
    Adam (lr 0.01); rnn_core's side is structures.many_to_one_loss_and_grads(cell="lstm"), as
    in chapter 7; the reference is torch.nn.LSTM + nn.Linear with the same loss, clip_grad_norm_
    and torch.optim.Adam, float64. Both read the same 64 batches in turn, drawn before the
    clock starts."""

    name = "LSTM, adding problem, T=50, batch 64, H=32, Adam, clip 1.0"
    reference_name = "torch.nn.LSTM + nn.Linear"
    needs_torch = True
    T, B, HIDDEN, LR, N_BATCHES = 50, 64, 32, 0.01, 64

    def __init__(self, ids=None, V=None, seed=0, reference=True):
        rng = np.random.default_rng(seed)
        self.batches = [rc.data.adding_problem(self.B, self.T, rng) for _ in range(self.N_BATCHES)]
        self.params = rc.init_lstm(2, self.HIDDEN, 1, rng)
        self.opt = rc.optim.Adam(lr=self.LR)
        self.k = 0
        if reference:
            self._torch_side()

    def _torch_side(self):
        import torch
        self.torch, p = torch, self.params
        self.torch_batches = [(torch.from_numpy(X), torch.from_numpy(y)) for X, y in self.batches]
        self.lstm = torch.nn.LSTM(2, self.HIDDEN).double()
        self.lin = torch.nn.Linear(self.HIDDEN, 1).double()
        with torch.no_grad():                                      # the same initial weights
            self.lstm.weight_ih_l0.copy_(torch.from_numpy(p["Wx"]))
            self.lstm.weight_hh_l0.copy_(torch.from_numpy(p["Wh"]))
            self.lstm.bias_ih_l0.copy_(torch.from_numpy(p["b"]))
            self.lstm.bias_hh_l0.zero_()
            self.lin.weight.copy_(torch.from_numpy(p["V"]))
            self.lin.bias.copy_(torch.from_numpy(p["c"]))
        self.lstm.bias_hh_l0.requires_grad_(False)                # rnn_core has one bias, b
        self.torch_params = [q for q in [*self.lstm.parameters(), *self.lin.parameters()] if q.requires_grad]
        self.torch_opt = torch.optim.Adam(self.torch_params, lr=self.LR)
        self.torch_k = 0

    def reference(self, n):
        torch = self.torch
        losses = []
        for _ in range(n):
            X, y = self.torch_batches[self.torch_k % self.N_BATCHES]
            self.torch_k += 1
            out, _ = self.lstm(X)
            diff = self.lin(out[-1]) - y
            loss = 0.5 * (diff * diff).sum() / self.B
            self.torch_opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.torch_params, 1.0)
            self.torch_opt.step()
            losses.append(loss.item())
        return float(np.mean(losses))

    def rnn_core(self, n):
        losses = []
        for _ in range(n):
            X, y = self.batches[self.k % self.N_BATCHES]
            self.k += 1
            loss, grads, _ = rc.structures.many_to_one_loss_and_grads(self.params, X, y, output="identity",
                                                                      cell="lstm")
            clipped, _ = rc.clip_by_global_norm(grads, 1.0)
            self.opt.step(self.params, clipped)
            losses.append(loss)
        return float(np.mean(losses))


if __name__ == "__main__":
    # python workloads.py CLASS SIDE N: one side of a workload in a process of its own (run_all.py's
    # fresh-process runs): a warm-up, then N timed updates; prints {"ms": per update, "faults": per update}.
    import json
    import os
    import resource
    import sys
    import time
    cls, side, n = getattr(sys.modules[__name__], sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if side == "reference" and cls.needs_torch:
        import torch
        torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))   # run_all.py sets the thread count
    ids, V = corpus_ids()
    w = cls(ids, V, reference=side == "reference")
    run = getattr(w, side)
    run(max(2, n // 10))
    f0, t0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, time.perf_counter()
    run(n)
    dt, df = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
    print(json.dumps({"ms": 1e3 * dt / n, "faults": df / n}))
