"""What every settings section shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown keys are typos in a hand-written config: reject them instead of ignoring."""

    model_config = ConfigDict(extra="forbid")
