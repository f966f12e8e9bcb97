"""What every settings section shares."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown keys are typos in a hand-written config: reject them instead of ignoring."""

    model_config = ConfigDict(extra="forbid")


def check_patterns(where: str, patterns: Iterable[str]) -> None:
    """Refuse a pattern that is no regex when the config loads, naming the key, rather than when
    the first text meets it mid-run."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{where}: {pattern!r} is not a valid regex ({exc})") from exc
