#!/usr/bin/env python3
"""Check that rnn_core's layouts are PyTorch's: same weights in, same numbers out.

Not part of the test suite (the book does not depend on PyTorch). With torch installed
(`pip install torch`), run `python tools/compare_with_pytorch.py`; every line should
print a difference near 1e-16.
"""
import numpy as np
import torch

import rnn_core as rc

rng = np.random.default_rng(0)
T, B, D, H, K = 7, 3, 4, 5, 3
X = rng.standard_normal((T, B, D))


def np_(t):
    return t.detach().numpy()


# nn.RNN: weight_ih_l0 is U, weight_hh_l0 is W, and b = bias_ih_l0 + bias_hh_l0.
for act in ("tanh", "relu"):
    net = torch.nn.RNN(D, H, nonlinearity=act).double()
    params = dict(U=np_(net.weight_ih_l0), W=np_(net.weight_hh_l0), b=np_(net.bias_ih_l0 + net.bias_hh_l0))
    out, _ = net(torch.tensor(X))
    S, _ = rc.rnn_forward(params, X, activation=act)
    print(f"nn.RNN({act}) states: max |difference| = {np.abs(S[1:] - np_(out)).max():.1e}")

# nn.LSTM: the same gate order (input, forget, candidate, output) and row blocks.
net = torch.nn.LSTM(D, H).double()
params = dict(Wx=np_(net.weight_ih_l0), Wh=np_(net.weight_hh_l0), b=np_(net.bias_ih_l0 + net.bias_hh_l0))
h0, c0 = rng.standard_normal((B, H)), rng.standard_normal((B, H))
out, (hT, cT) = net(torch.tensor(X), (torch.tensor(h0)[None], torch.tensor(c0)[None]))
Hs, Cs, _ = rc.lstm_forward(params, X, h0, c0)
print(f"nn.LSTM hidden states: max |difference| = {np.abs(Hs[1:] - np_(out)).max():.1e}")
print(f"nn.LSTM last cell state: max |difference| = {np.abs(Cs[-1] - np_(cT[0])).max():.1e}")

# Gradients: the LSTM loss and its gradients against autograd.
p = rc.init_lstm(D, H, K, rng)
Y = rng.integers(0, K, (T, B))
loss, grads = rc.lstm_loss_and_grads(p, X, Y)
tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
net = torch.nn.LSTM(D, H).double()
with torch.no_grad():
    net.weight_ih_l0.copy_(tp["Wx"])
    net.weight_hh_l0.copy_(tp["Wh"])
    net.bias_ih_l0.copy_(tp["b"])
    net.bias_hh_l0.zero_()
out, _ = net(torch.tensor(X))
logits = out @ tp["V"].T + tp["c"]
L = torch.nn.functional.cross_entropy(logits.reshape(-1, K), torch.tensor(Y).reshape(-1), reduction="sum") / B
L.backward()
print(f"LSTM loss: rnn_core {loss:.12f}, torch {L.item():.12f}")
print(f"dWx: max |difference| = {np.abs(np_(net.weight_ih_l0.grad) - grads['Wx']).max():.1e}")
print(f"dV:  max |difference| = {np.abs(np_(tp['V'].grad) - grads['V']).max():.1e}")
