"""Self-checks for the exercises at the end of each chapter.

Each ``check_exercise_N_M(answer)`` computes the expected result independently (from
rnn_core or by finite differences), prints a verdict the reader can act on, and returns
True or False. Import them with ``from rnn_core.exercises import check_exercise_6_2``.
"""
from .ch01 import *  # noqa: F401,F403
from .ch02 import *  # noqa: F401,F403
from .ch03 import *  # noqa: F401,F403
from .ch04 import *  # noqa: F401,F403
from .ch05 import *  # noqa: F401,F403
from .ch06 import *  # noqa: F401,F403
from .ch07 import *  # noqa: F401,F403
