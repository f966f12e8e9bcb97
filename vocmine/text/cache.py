"""The folder for files vocmine derives from installed packages, not from any store: the Polish
lemma table (``vocmine.nlp.lemma_file``), the vectors of the journey taxonomy's phrases
(``vocmine.journey.semantic``). Deleting it is safe: each file is made again when needed."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    """``$VOCMINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/vocmine``, else ``~/.cache/vocmine``."""
    if os.environ.get("VOCMINE_CACHE_DIR"):
        return Path(os.environ["VOCMINE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vocmine"
