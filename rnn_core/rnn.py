"""The vanilla RNN: parameters and the forward pass (chapters 1 and 5).

    s*_t = U x_t + W s_{t-1} + b,    s_t = ϕ(s*_t)           (state, t = 1..T)
    o*_t = V s_t + c,                o_t = φ(o*_t)           (output)

Arrays are time-major and batches are rows, so one step is
``X[t-1] @ U.T + S[t-1] @ W.T + b``. Shapes: X (T, B, D), S (T+1, B, H) with
S[0] = s_0, U (H, D), W (H, H), b (H,), V (K, H), c (K,). U and W have the layout of
PyTorch's ``weight_ih_l0`` and ``weight_hh_l0``; b is the sum of its two biases.
"""
import numpy as np

from ._validate import (as_float_array, check_bool, check_choice, check_finite_result, check_number,
                        check_params, check_positive_int, check_rng)
from .activations import ACTIVATIONS, activate, sigmoid
from .losses import OUTPUTS, output_transform

INITS = ("gaussian", "pytorch", "orthogonal", "identity")


def orthogonal(n, rng):
    """A random n×n orthogonal matrix, uniform over the orthogonal group (QR with signs fixed)."""
    n = check_positive_int("n", n)
    q, r = np.linalg.qr(check_rng(rng).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def init_rnn(input_size, hidden_size, output_size, rng, init="pytorch", w_scale=1.0):
    """Random parameters {U (H, D), W (H, H), b (H,), V (K, H), c (K,)}, all float64.

    D = input_size, H = hidden_size, K = output_size; rng a numpy Generator.
    init:
      ``gaussian``   every weight ~ N(0, 0.01²), biases 0 (Karpathy's min-char-rnn).
      ``pytorch``    every weight and bias ~ Uniform(−1/√H, 1/√H) (PyTorch's nn.RNN and nn.Linear).
      ``orthogonal`` W a random orthogonal matrix, U and V as in ``pytorch``, biases 0.
      ``identity``   W = I, U and V ~ N(0, 0.001²), biases 0 (the IRNN of Le et al. 2015).
    w_scale: a finite number ≥ 0 that multiplies W afterwards; for ``orthogonal`` and
    ``identity`` it is then exactly the largest singular value σ_max(W).
    """
    D = check_positive_int("input_size", input_size)
    H = check_positive_int("hidden_size", hidden_size)
    K = check_positive_int("output_size", output_size)
    check_rng(rng)
    check_choice("init", init, INITS)
    w_scale = check_number("w_scale", w_scale, low=0.0)
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
    p["W"] = p["W"] * w_scale
    return p


def check_rnn_params(params, where="rnn_forward"):
    """Check U (H, D), W (H, H), b (H,) in ``params``; return them as float64 arrays (U, W, b)."""
    check_params(params, ("U", "W", "b"), where)
    U = as_float_array("U", params["U"], ndim=2)
    H = U.shape[0]
    W = as_float_array("W", params["W"], shape=(H, H))
    b = as_float_array("b", params["b"], shape=(H,))
    return U, W, b


def check_inputs(X, D, name="X"):
    """Check a time-major batch of inputs with T, B ≥ 1 and return it, in one of two forms:
    X (T, B, D) numbers, returned as float64; or, where the input size D is known, X (T, B)
    integer ids in [0, D), which stand for the one-hot vectors e_{X[t, b]} (chapter 8), returned
    as an integer array. With ids a character model never builds its one-hot vectors.
    """
    if D is not None and isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "iu":
        if X.size and (X.min() < 0 or X.max() >= D):
            raise ValueError(f"{name} as integer ids (T, B) must hold ids in [0, {D - 1}] (the input size "
                             f"is D = {D}), got values from {X.min()} to {X.max()}")
        X = X.astype(np.intp, copy=False)
    else:
        X = as_float_array(name, X, shape=(None, None, D))
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must hold at least one time step and one sequence, got shape {X.shape}")
    return X


def project_inputs(X, M, out):
    """M x_t for every step and sequence at once, written into ``out`` (T, B, R) and returned.

    X: (T, B, D) numbers or (T, B) ids, as ``check_inputs`` returns them.  M: (R, D).
    For an id v, M e_v is column v of M, so the product is a lookup with no arithmetic: it
    gives exactly what the one-hot product gives.
    """
    if X.ndim == 2:
        return np.take(M.T, X, axis=0, out=out, mode="clip")    # row v of Mᵀ; the ids were checked
    T, B, D = X.shape
    np.matmul(X.reshape(T * B, D), M.T, out=out.reshape(T * B, -1))
    return out


def input_grad(deltas, X, D):
    """Σ over steps and sequences of δ x_tᵀ, the gradient of the matrix that ``project_inputs`` used.

    deltas: (T, B, R).  X: (T, B, D) numbers or (T, B) ids.  Returns (R, D).
    For ids, column v is the sum of the δ rows whose input was v (``np.bincount`` adds them).
    """
    T, B, R = deltas.shape
    flat = deltas.reshape(T * B, R)
    if X.ndim == 2:
        index = (X.reshape(T * B, 1) * R + np.arange(R)).ravel()    # entry (v, r) of the (D, R) transpose
        return np.bincount(index, weights=flat.ravel(), minlength=D * R).reshape(D, R).T.copy()
    return flat.T @ X.reshape(T * B, D)


def check_state(name, s, B, H):
    """A (B, H) initial state, zeros if ``s`` is None."""
    return np.zeros((B, H)) if s is None else as_float_array(name, s, shape=(B, H))


def rnn_forward(params, X, activation="tanh", s0=None, residual=False):
    """Run the recurrence s_t = ϕ(U x_t + W s_{t-1} + b) over a batch of sequences (chapter 5, eq. 5.1).

    params: dict with U (H, D), W (H, H), b (H,); V and c are not used here.
    X: (T, B, D) inputs, or (T, B) integer ids standing for one-hot inputs (see ``check_inputs``).
    s0: (B, H) initial state, zeros if None.
    residual: if True, s_t = s_{t-1} + ϕ(s*_t) (chapter 7's residual RNN).
    Returns (S, cache): S (T+1, B, H) with S[0] = s0 and S[t] = s_t; the cache for
    ``rnn_backward`` holds copies of X, U and W, so changing params afterwards cannot change
    the gradient.
    The input projection is one matrix product for all steps; only the recurrence is a loop.
    """
    U, W, b = check_rnn_params(params)
    check_choice("activation", activation, ACTIVATIONS)
    residual = check_bool("residual", residual)
    X = check_inputs(X, U.shape[1])
    T, B = X.shape[:2]
    H = U.shape[0]
    S = np.empty((T + 1, B, H))
    S[0] = check_state("s0", s0, B, H)
    A = np.empty((T, B, H)) if residual else S[1:]     # A[t-1] = ϕ(s*_t); S[t] itself unless residual
    WT = W.T.copy()
    Ws = np.empty((B, H))                               # W s_{t-1}, one step's product
    with np.errstate(over="ignore", invalid="ignore"):
        # A[t-1] first holds U x_t + b for every t at once (one matrix product), then, step by
        # step, the pre-activation s*_t and finally ϕ(s*_t): the same memory throughout.
        project_inputs(X, U, out=A)
        A += b
        for t in range(1, T + 1):
            z = A[t - 1]
            z += np.matmul(S[t - 1], WT, out=Ws)         # s*_t = U x_t + b + W s_{t-1}
            _phi(z, activation, out=z)                   # ϕ(s*_t)
            if residual:
                np.add(S[t - 1], z, out=S[t])            # s_t = s_{t-1} + ϕ(s*_t)
    check_finite_result("the state S", S, "the weights or inputs are too large for this activation")
    cache = dict(X=X.copy(), S=S, A=A, U=U.copy(), W=W.copy(), activation=activation, residual=residual)
    return S, cache


def _phi(z, activation, out):
    """ϕ(z) written into ``out`` (the forward loop's in-place form of ``activate``); out may be z."""
    if activation == "tanh":
        np.tanh(z, out=out)
    elif activation == "sigmoid":
        sigmoid(z, out=out)
    elif activation == "relu":
        np.maximum(z, 0.0, out=out)
    elif out is not z:
        np.copyto(out, z)


def rnn_step(params, x, s=None, activation="tanh"):
    """One step s_t = ϕ(U x_t + W s_{t-1} + b) for a batch: x (B, D), s (B, H) or None (zeros) -> s_t (B, H).

    The plain equation, one step at a time: what ``text.sample`` calls for each character.
    """
    U, W, b = check_rnn_params(params, "rnn_step")
    x = as_float_array("x", x, ndim=2, shape=(None, U.shape[1]))
    s = check_state("s", s, x.shape[0], U.shape[0])
    return activate(x @ U.T + s @ W.T + b, activation)


def rnn_outputs(params, X, activation="tanh", output="softmax", s0=None, residual=False):
    """The outputs o_t = φ(V s_t + c) for every step (chapter 5).

    params: {U, W, b, V (K, H), c (K,)}; X (T, B, D); s0 (B, H) or None.
    Returns an array (T, B, K).
    """
    check_params(params, ("U", "W", "b", "V", "c"), "rnn_outputs")
    check_choice("output", output, OUTPUTS)
    S, _ = rnn_forward(params, X, activation=activation, s0=s0, residual=residual)
    H = S.shape[2]
    V = as_float_array("V", params["V"], shape=(None, H))
    c = as_float_array("c", params["c"], shape=(V.shape[0],))
    return output_transform(S[1:] @ V.T + c, output)


def source_example(n=5, w=2.0):
    """The source's worked example (chapters 1 and 5): the outputs o_1..o_n as rows, shape (n, n).

    U = V = I (n×n), W = w·I, no activation and no output transform, and the inputs are
    the unit vectors x_t = e_t. Then o_t = Σ_{j≤t} w^{t-j} e_j, so with w = 2 the rows are
    (1, 0, ...), (2, 1, 0, ...), ..., (2^{n-1}, ..., 2, 1).
    """
    n = check_positive_int("n", n)
    w = check_number("w", w)
    eye = np.eye(n)
    params = dict(U=eye, W=w * eye, b=np.zeros(n), V=eye, c=np.zeros(n))
    return rnn_outputs(params, eye[:, None, :], activation="identity", output="identity")[:, 0, :]
