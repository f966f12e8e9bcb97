"""Copying the config into the store, so the analyst views need no configuration of their own.

The views (``priorities``, ``theme_drivers``, ``lost_customers``, ``assumption_gap``) are plain
SQL files in ``analytics/sql`` (created by ``analytics.views``); what differs between companies
(which numbers are outcomes, the priority weights, who counts as lost, what the company assumes)
lives in small tables that this step rewrites. Analysts can read those tables to see exactly what produced a number.

Assumed priorities are matched to themes by meaning (``vocmine.analytics.assumptions``): the
assumption ("delivery speed") is embedded with the model the themes were built with and compared
with a sample of each theme's segments and with its label and keywords, so both what customers
said and how the theme is named count.

Example::

    refresh_analysis(con, outcomes=settings.outcomes, priorities=settings.priorities,
                     lost_customers=settings.lost_customers, assumptions=settings.assumptions,
                     teams=settings.teams, backend=load_backend("minilm"))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from vocmine.analytics.assumptions import match_assumptions
from vocmine.config.analyst import AssumptionsConfig, LostCustomersConfig, Outcome, PrioritiesConfig, TeamConfig
from vocmine.embed.backends import EmbeddingBackend
from vocmine.store.sqlfiles import run_sql
from vocmine.store.tx import registered, transaction


@dataclass(frozen=True)
class AnalysisRefresh:
    outcomes: int
    assumptions: int
    assumptions_matched: int   # assumptions that mean at least one theme
    theme_matches: int
    unmatched_team_themes: dict[str, list[str]]  # team -> label words no active theme has


def refresh_analysis(
    con: duckdb.DuckDBPyConnection,
    *,
    outcomes: Mapping[str, Outcome],
    priorities: PrioritiesConfig,
    lost_customers: LostCustomersConfig,
    assumptions: AssumptionsConfig,
    teams: Mapping[str, TeamConfig],
    backend: EmbeddingBackend | None,
) -> AnalysisRefresh:
    """Rewrite the analyst views' settings and the assumption matches in one transaction.

    ``backend`` may be None only when no assumptions are configured.
    """
    matches = match_assumptions(con, assumptions, backend)
    new_outcomes = pa.table({
        "outcome": list(outcomes), "column_name": [o.column for o in outcomes.values()],
        "metadata_key": [o.metadata for o in outcomes.values()], "better": [o.better for o in outcomes.values()]},
        schema=pa.schema([("outcome", pa.string()), ("column_name", pa.string()),
                          ("metadata_key", pa.string()), ("better", pa.string())]))
    params = {
        "top_n": priorities.top, "volume_weight": priorities.volume_weight,
        "negativity_weight": priorities.negativity_weight, "growth_weight": priorities.growth_weight,
        "impact_weight": priorities.impact_weight, "impact_outcome": priorities.impact_outcome,
        "prior_strength": priorities.prior_strength, "priorities_count": priorities.count,
        "lost_metadata_key": lost_customers.metadata, "lost_values": lost_customers.values,
        "lost_date_key": lost_customers.date_metadata, "rarely_voiced_share": assumptions.rarely_voiced_share,
    }
    new_teams, unmatched = resolve_teams(con, teams)
    with transaction(con), registered(con, new_outcomes=new_outcomes, new_assumptions=matches, new_teams=new_teams):
        run_sql(con, "vocmine.analytics", "analysis_settings.sql", params)
    matched = matches.filter(pc.is_valid(matches["theme_id"]))
    return AnalysisRefresh(outcomes=len(outcomes), assumptions=len(assumptions.priorities),
                           assumptions_matched=len(set(matched["assumption"].to_pylist())),
                           theme_matches=matched.num_rows, unmatched_team_themes=unmatched)


def resolve_teams(con: duckdb.DuckDBPyConnection, teams: Mapping[str, TeamConfig]) -> tuple[pa.Table, dict]:
    """Teams with their themes as IDs: a label word list names every active theme whose label has
    all its words (case-insensitive), so a team can say "refund" instead of tracking IDs."""
    labels = con.execute("SELECT theme_id, lower(label) FROM themes WHERE status = 'active' AND level = 2").fetchall()
    rows, unmatched = [], {}
    for name, team in teams.items():
        ids = {t for t in team.themes if isinstance(t, int)}
        for words in (t for t in team.themes if isinstance(t, str)):
            hits = {tid for tid, label in labels if all(w in label for w in words.lower().split())}
            ids |= hits
            if not hits:
                unmatched.setdefault(name, []).append(words)
        rows.append({"team": name, "stages": team.stages, "touchpoints": team.touchpoints, "theme_ids": sorted(ids)})
    schema = pa.schema([("team", pa.string()), ("stages", pa.list_(pa.string())),
                        ("touchpoints", pa.list_(pa.string())), ("theme_ids", pa.list_(pa.int32()))])
    return pa.Table.from_pylist(rows, schema=schema), unmatched
