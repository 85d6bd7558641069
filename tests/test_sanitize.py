"""tests/nbval_sanitize.cfg hides rounding noise below 1e-7 and nothing else."""
import configparser
import re
from pathlib import Path

import pytest

CFG = configparser.ConfigParser()
CFG.read(Path(__file__).with_name("nbval_sanitize.cfg"), encoding="utf-8")


def sanitize(text):
    for section in CFG.sections():                 # nbval applies them in file order
        text = re.sub(CFG[section]["regex"], CFG[section]["replace"].replace("\\1", "\\g<1>"), text)
    return text


@pytest.mark.parametrize("line, expected", [
    ("relative error: dU 1.8e-09, dW 6.6e-09, db 2.0e-09", "relative error: dU TINY, dW TINY, db TINY"),
    ("our backward pass against central differences: relative error 9.5e-08",
     "our backward pass against central differences: relative error TINY"),
    ("largest |batched - loop| over 5120 outputs: 1.7e-16", "largest |batched - loop| over 5120 outputs: TINY"),
    ("<Figure size 640x340 with 1 Axes> at 0x7f3a2b", "<Figure size 640x340 with 1 Axes> at 0xADDRESS"),
])
def test_noise_and_addresses_are_hidden(line, expected):
    assert sanitize(line) == expected


@pytest.mark.parametrize("line", [
    "relative error 3.0e-07",                               # between 1e-7 and 1e-6: must stay visible
    "relative error 9.9e-07, still under the limit",
    "against its own loss (binary CE): dU 3.4e-01, dV 3.5e-01",
    "relative error against exact BPTT: dU 9.3e-06, dW below 1e-14",
    "w = 0.5: what is left of x_1 at step 60 is 1.73e-18",  # a result, not noise: no trigger phrase
    "relative error" + " is far from this number" * 3 + ": 1.0e-09",    # more than 60 characters away
])
def test_results_and_errors_above_1e_7_are_compared(line):
    assert sanitize(line) == line
