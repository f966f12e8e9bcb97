"""``python -m vocmine.cli``: the same command line as ``vocmine``."""

from vocmine.cli.app import app

app()
