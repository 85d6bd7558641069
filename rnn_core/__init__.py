"""rnn_core: the small NumPy library behind the book.

Importing it has no side effects: it sets no matplotlib options and seeds nothing.
The most used functions are available at the top level; the rest live in their modules:
clipping, data, gradflow, optim, plots, structures, text, training, exercises.
"""
from . import clipping, data, gradflow, optim, plots, structures, text, training
from .activations import ACTIVATIONS, MAX_SLOPE, activate, sigmoid, slope, slope_from_output
from .bptt import rnn_backward, rnn_loss_and_grads
from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .losses import OUTPUTS, log_softmax, output_loss, output_transform, softmax
from .lstm import init_lstm, lstm_backward, lstm_forward, lstm_loss_and_grads
from .rnn import INITS, init_rnn, orthogonal, rnn_forward, rnn_outputs, source_example

__version__ = "0.1.0"
