"""The vanilla RNN: parameters and the forward pass (chapters 1 and 5).

    s*_t = U x_t + W s_{t-1} + b,    s_t = ϕ(s*_t)           (state, t = 1..T)
    o*_t = V s_t + c,                o_t = φ(o*_t)           (output)

Arrays are time-major and batches are rows, so one step is
``X[t-1] @ U.T + S[t-1] @ W.T + b``. Shapes: X (T, B, D), S (T+1, B, H) with
S[0] = s_0, U (H, D), W (H, H), b (H,), V (K, H), c (K,). U and W have the layout of
PyTorch's ``weight_ih_l0`` and ``weight_hh_l0``; b is the sum of its two biases.
"""
import numpy as np

from ._validate import as_float_array, check_choice, check_finite_result, check_params, check_positive_int
from .activations import ACTIVATIONS, activate
from .losses import output_transform

INITS = ("gaussian", "pytorch", "orthogonal", "identity")


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. np.random.default_rng(0); got {type(rng).__name__}")


def orthogonal(n, rng):
    """A random n×n orthogonal matrix (QR of a Gaussian matrix, signs fixed so it is uniform)."""
    _check_rng(rng)
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def init_rnn(input_size, hidden_size, output_size, rng, init="pytorch", w_scale=1.0):
    """Random parameters {U, W, b, V, c} for an RNN with D inputs, H states and K outputs.

    init:
      ``gaussian``   every weight ~ N(0, 0.01²), biases 0 (Karpathy's min-char-rnn).
      ``pytorch``    every weight and bias ~ Uniform(-1/√H, 1/√H) (PyTorch's nn.RNN and nn.Linear).
      ``orthogonal`` W a random orthogonal matrix, U and V as in ``pytorch``, biases 0.
      ``identity``   W = I, U and V ~ N(0, 0.001²), biases 0 (the IRNN of Le et al. 2015).
    w_scale multiplies W afterwards; for ``orthogonal`` and ``identity`` it is then
    exactly the largest singular value σ_max(W).
    Shapes: U (H, D), W (H, H), b (H,), V (K, H), c (K,). All float64.
    """
    D = check_positive_int("input_size", input_size)
    H = check_positive_int("hidden_size", hidden_size)
    K = check_positive_int("output_size", output_size)
    _check_rng(rng)
    check_choice("init", init, INITS)
    a = 1.0 / np.sqrt(H)

    def uni(*shape):
        return rng.uniform(-a, a, size=shape)

    if init == "gaussian":
        p = dict(U=0.01 * rng.standard_normal((H, D)), W=0.01 * rng.standard_normal((H, H)),
                 b=np.zeros(H), V=0.01 * rng.standard_normal((K, H)), c=np.zeros(K))
    elif init == "pytorch":
        p = dict(U=uni(H, D), W=uni(H, H), b=uni(H), V=uni(K, H), c=uni(K))
    elif init == "orthogonal":
        p = dict(U=uni(H, D), W=orthogonal(H, rng), b=np.zeros(H), V=uni(K, H), c=np.zeros(K))
    else:
        p = dict(U=0.001 * rng.standard_normal((H, D)), W=np.eye(H), b=np.zeros(H),
                 V=0.001 * rng.standard_normal((K, H)), c=np.zeros(K))
    p["W"] = p["W"] * float(w_scale)
    return p


def check_rnn_params(params, where="rnn_forward", need_output=False):
    """Validate U, W, b (and V, c) and return (U, W, b, D, H) as float64 arrays."""
    check_params(params, ("U", "W", "b", "V", "c") if need_output else ("U", "W", "b"), where)
    U = as_float_array("U", params["U"], ndim=2)
    H, D = U.shape
    W = as_float_array("W", params["W"], ndim=2, shape=(H, H))
    b = as_float_array("b", params["b"], ndim=1, shape=(H,))
    return U, W, b, D, H


def check_output_params(params, H):
    """Validate V (K, H) and c (K,) and return (V, c, K)."""
    V = as_float_array("V", params["V"], ndim=2, shape=(None, H))
    K = V.shape[0]
    c = as_float_array("c", params["c"], ndim=1, shape=(K,))
    return V, c, K


def rnn_forward(params, X, activation="tanh", s0=None, residual=False):
    """Run the recurrence over a whole batch of sequences (chapter 5, eq. 5.1).

    params: dict with U (H, D), W (H, H), b (H,); V and c are not used here.
    X: (T, B, D) inputs.  s0: (B, H) initial state, zeros if None.
    residual: if True, s_t = s_{t-1} + ϕ(s*_t) (chapter 7's residual RNN).
    Returns S (T+1, B, H) with S[0] = s0, S[t] = s_t, and a cache for ``rnn_backward``.
    The input projection is one array operation; only the recurrence is a loop.
    """
    U, W, b, D, H = check_rnn_params(params)
    check_choice("activation", activation, ACTIVATIONS)
    X = as_float_array("X", X, ndim=3, shape=(None, None, D))
    T, B, _ = X.shape
    if T == 0 or B == 0:
        raise ValueError(f"X must hold at least one time step and one sequence, got shape {X.shape}")
    s0 = np.zeros((B, H)) if s0 is None else as_float_array("s0", s0, ndim=2, shape=(B, H))
    S = np.empty((T + 1, B, H))
    A = np.empty((T, B, H))          # A[t-1] = ϕ(s*_t); equals S[t] unless residual
    S[0] = s0
    with np.errstate(over="ignore", invalid="ignore"):
        XU = X @ U.T + b             # (T, B, H): U x_t + b for every t at once
        for t in range(1, T + 1):
            A[t - 1] = activate(XU[t - 1] + S[t - 1] @ W.T, activation)
            S[t] = S[t - 1] + A[t - 1] if residual else A[t - 1]
    check_finite_result("the state S", S, "the weights or inputs are too large for this activation")
    cache = dict(X=X, S=S, A=A, U=U, W=W, activation=activation, residual=bool(residual))
    return S, cache


def rnn_outputs(params, X, activation="tanh", output="softmax", s0=None, residual=False):
    """The outputs o_t = φ(V s_t + c) for every step, shape (T, B, K) (chapter 5)."""
    S, _ = rnn_forward(params, X, activation=activation, s0=s0, residual=residual)
    V, c, _ = check_output_params(params, S.shape[2])
    return output_transform(S[1:] @ V.T + c, output)


def source_example(n=5, w=2.0):
    """The source's worked example (chapters 1 and 5): outputs o_1..o_n as rows, shape (n, n).

    U = V = I (n×n), W = w·I, no activation and no output transform, and the inputs are
    the unit vectors x_t = e_t. Then o_t = Σ_{j<=t} w^{t-j} e_j, so with w = 2 the rows are
    (1, 0, ...), (2, 1, 0, ...), ..., (2^{n-1}, ..., 2, 1).
    """
    n = check_positive_int("n", n)
    if not np.isfinite(w):
        raise ValueError(f"w must be a finite number, got {w!r}")
    eye = np.eye(n)
    params = dict(U=eye, W=float(w) * eye, b=np.zeros(n), V=eye, c=np.zeros(n))
    return rnn_outputs(params, eye[:, None, :], activation="identity", output="identity")[:, 0, :]
