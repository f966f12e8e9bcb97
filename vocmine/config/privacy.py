"""Personal data outside the feedback text (the ``[privacy]`` table) and team names that become file names.

Text is redacted by enrichment; what a source sends beside it is handled here: the customer's id is
replaced in the analysts' copy by a keyed hash (the same customer always gets the same pseudonym, so
analysts can still count customers and follow one across sources), and the raw rows kept in
quarantine are emptied after a retention period.
"""

from __future__ import annotations

import re

from pydantic import Field, SecretStr

from vocmine.config.base import Strict

# A team's name is part of its report's file name: letters, digits, '_' and '-' only, no path.
TEAM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class PrivacyConfig(Strict):
    """The `[privacy]` table."""

    customer_key: SecretStr | None = Field(
        None, description="key of the customer_id pseudonyms in the published copy (any text, keep it secret); "
        "default: a random key kept in the working database")
    quarantine_raw_days: int = Field(
        30, ge=0, description="days quarantine.raw keeps a refused row as read; older rows keep their reason and "
        "location, the raw text is emptied (every run and `vocmine quarantine purge`)")

    def customer_key_bytes(self) -> bytes | None:
        """The configured key as bytes for ``publish``; None means the store's own key."""
        return self.customer_key.get_secret_value().encode() if self.customer_key else None


def check_team_name(name: str) -> str:
    """The name, or ValueError naming the key: report files are named after teams.

    >>> check_team_name("billing")
    'billing'
    """
    if not TEAM_NAME.fullmatch(name):
        raise ValueError(f"teams.{name}: a team name becomes a report's file name: use letters, digits, '_' and "
                         "'-' only (at most 64), e.g. [teams.billing]")
    return name
