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
loss, grads, _ = rc.lstm_loss_and_grads(p, X, Y)
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
print(f"LSTM dWx: max |difference| = {np.abs(np_(net.weight_ih_l0.grad) - grads['Wx']).max():.1e}")
print(f"LSTM dV:  max |difference| = {np.abs(np_(tp['V'].grad) - grads['V']).max():.1e}")

# nn.GRU (chapter 8): the same gate order (reset, update, candidate), both biases kept apart,
# since b_hn sits inside the reset product. Forward states, the loss, and every gradient
# (the six parameters, h_0 and the inputs) against autograd.
p = rc.init_gru(D, H, K, rng)
h0 = rng.standard_normal((B, H))
Y = rng.integers(0, K, (T, B))
net = torch.nn.GRU(D, H).double()
with torch.no_grad():
    for name, key in (("weight_ih_l0", "Wx"), ("weight_hh_l0", "Wh"), ("bias_ih_l0", "bx"), ("bias_hh_l0", "bh")):
        getattr(net, name).copy_(torch.tensor(p[key]))
tX, th0 = torch.tensor(X, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
tV, tc = torch.tensor(p["V"], requires_grad=True), torch.tensor(p["c"], requires_grad=True)
out, hT = net(tX, th0)
Hs, cache = rc.gru_forward(p, X, h0)
print(f"nn.GRU hidden states: max |difference| = {np.abs(Hs[1:] - np_(out)).max():.1e}")
L = torch.nn.functional.cross_entropy((out @ tV.T + tc).reshape(-1, K), torch.tensor(Y).reshape(-1),
                                      reduction="sum") / B
L.backward()
loss, grads, _ = rc.gru_loss_and_grads(p, X, Y, h0=h0)
print(f"GRU loss: rnn_core {loss:.12f}, torch {L.item():.12f}")
torch_grads = dict(Wx=net.weight_ih_l0.grad, Wh=net.weight_hh_l0.grad, bx=net.bias_ih_l0.grad,
                   bh=net.bias_hh_l0.grad, V=tV.grad, c=tc.grad)
for key, g in torch_grads.items():
    print(f"GRU d{key}: max |difference| = {np.abs(np_(g) - grads[key]).max():.1e}")
dH = np.zeros((T, B, H))                              # ∂L_t/∂h_t through the output layer, then one sweep
probs = rc.softmax(Hs[1:] @ p["V"].T + p["c"])
probs[np.arange(T)[:, None], np.arange(B), Y] -= 1.0
back = rc.gru_backward(probs @ p["V"] / B, cache)
print(f"GRU dh0: max |difference| = {np.abs(np_(th0.grad[0]) - back.dstate0).max():.1e}")
print(f"GRU dX:  max |difference| = {np.abs(np_(tX.grad) - back.deltas @ p['Wx']).max():.1e}")
