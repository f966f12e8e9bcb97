"""The ``vocmine`` command line (:mod:`vocmine.cli.app` builds it; each module registers its commands)."""

from vocmine.cli.app import app

__all__ = ["app"]
