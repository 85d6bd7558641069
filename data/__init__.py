"""This folder is also the Python package ``rnn_core.datasets`` (see pyproject.toml): the data
files ship inside rnn_core, so ``rnn_core.data`` reads them with importlib.resources from a
source checkout, an editable install and an installed wheel alike. There is no code here."""
