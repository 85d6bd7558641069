"""rnn_core: the small NumPy library behind the book.

The numerical core: the book's equations in NumPy, nothing else. After ``import rnn_core as rc``
every module of the core is an attribute: rc.activations, rc.losses, rc.rnn, rc.bptt, rc.lstm,
rc.gru, rc.structures, rc.optim, rc.clipping, rc.gradcheck, rc.gradflow, rc.truncation,
rc.training, rc.text and rc.data; the functions used most are also at the top level.

The book's teaching aids (plots, diagrams, widgets, exercise checks, chapter experiments) are
the separate package ``rnn_core.book`` (``from rnn_core import book``), which needs matplotlib.
The core never imports it, and importing the core has no side effects: it sets no matplotlib
options, imports no matplotlib, and seeds nothing.
"""
from . import (activations, bptt, clipping, data, gradcheck, gradflow, gru, losses, lstm, optim, rnn,
               structures, text, training, truncation)
from .activations import ACTIVATIONS, MAX_SLOPE, activate, sigmoid, slope, slope_from_output
from .bptt import rnn_backward, rnn_loss_and_grads
from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .gru import gru_backward, gru_forward, gru_loss_and_grads, init_gru
from .losses import OUTPUTS, log_softmax, output_transform, softmax
from .lstm import init_lstm, lstm_backward, lstm_forward, lstm_loss_and_grads
from .rnn import INITS, init_rnn, orthogonal, rnn_forward, rnn_outputs, source_example

__version__ = "0.2.0"
